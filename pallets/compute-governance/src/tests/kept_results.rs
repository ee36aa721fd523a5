//! Kept results: a later call acts only if the kept result satisfies its predicate, with its
//! own origin, until the result expires.

use super::*;
use crate::{Error, Event, Outcome, Results, Slots};
use frame_support::{assert_noop, assert_ok};
use sp_runtime::DispatchError;

/// Root requests a job whose verified output is kept for 10 blocks; it completes with `[42]`.
fn kept_result() {
	assert_ok!(request(RuntimeOrigin::root(), 400, Action::Keep { blocks: 10 }));
	complete(500, &output(&[42]));
}

#[test]
fn a_verified_result_is_kept_and_a_later_call_acts_only_if_it_satisfies_its_predicate() {
	run_test(|| {
		kept_result();
		let kept = Results::<Test>::get(0).unwrap();
		assert_eq!((kept.job, kept.output.to_vec(), kept.expires_at), (500, output(&[42]), 11));
		assert!(matches!(governance_events().last(), Some(Event::RequestSettled { outcome: Outcome::ResultKept, .. })));
		assert_noop!(
			ComputeGovernance::enact_if(RuntimeOrigin::root(), 0, field(0, Comparison::Greater, 42), Box::new(set_storage(b"k", b"v"))),
			Error::<Test>::PredicateNotSatisfied
		);
		assert_ok!(ComputeGovernance::enact_if(RuntimeOrigin::root(), 0, field(0, Comparison::Equal, 42), Box::new(set_storage(b"k", b"v"))));
		assert_eq!(sp_io::storage::get(b"k").as_deref(), Some(&b"v"[..]));
		assert_eq!(governance_events().last(), Some(&Event::Enacted { request: 0, result: Ok(()) }));
	});
}

#[test]
fn enact_if_grants_no_privilege() {
	run_test(|| {
		kept_result();
		assert_ok!(ComputeGovernance::enact_if(
			RuntimeOrigin::signed(OUTSIDER),
			0,
			Default::default(),
			Box::new(set_storage(b"k", b"v"))
		));
		assert_eq!(governance_events().last(), Some(&Event::Enacted { request: 0, result: Err(DispatchError::BadOrigin) }));
		assert_eq!(sp_io::storage::get(b"k"), None);
	});
}

#[test]
fn an_expired_result_cannot_be_acted_on_and_anyone_removes_it() {
	run_test(|| {
		kept_result();
		assert_noop!(ComputeGovernance::remove_expired_result(RuntimeOrigin::signed(OUTSIDER), 0), Error::<Test>::ResultNotExpired);
		System::set_block_number(12);
		assert_noop!(
			ComputeGovernance::enact_if(RuntimeOrigin::root(), 0, Default::default(), Box::new(remark(b"x"))),
			Error::<Test>::ResultExpired
		);
		assert_eq!(Slots::<Test>::get(), 1);
		assert_ok!(ComputeGovernance::remove_expired_result(RuntimeOrigin::signed(OUTSIDER), 0));
		assert_eq!(Slots::<Test>::get(), 0);
		assert_noop!(ComputeGovernance::remove_expired_result(RuntimeOrigin::signed(OUTSIDER), 0), Error::<Test>::UnknownResult);
	});
}

#[test]
fn a_kept_request_whose_job_is_refunded_keeps_nothing() {
	run_test(|| {
		assert_ok!(request(RuntimeOrigin::root(), 400, Action::Keep { blocks: 10 }));
		refund(500);
		assert!(Results::<Test>::get(0).is_none());
		assert_eq!(Slots::<Test>::get(), 0);
		assert_noop!(
			ComputeGovernance::enact_if(RuntimeOrigin::root(), 0, Default::default(), Box::new(remark(b"x"))),
			Error::<Test>::UnknownResult
		);
	});
}
