//! Acting on a verified result: the predicate picks the call, which runs in the next block with
//! the requesting origin and nothing more; unspent funds return to the treasury.

use super::*;
use crate::{Event, Outcome, RequestOfJob, Requests, Slots};
use frame_support::{assert_ok, traits::fungible::Inspect};
use sp_runtime::DispatchError;

/// The council requests a job that dispatches `remark("high")` if output field 0 is ≥ 100,
/// `remark("low")` otherwise.
fn council_requests_risk_mode() {
	let action = dispatch(field(0, Comparison::GreaterOrEqual, 100), remark(b"high"), remark(b"low"));
	assert_ok!(request(RuntimeOrigin::signed(COUNCIL), 400, action));
}

#[test]
fn the_predicate_on_the_verified_output_selects_the_call_run_with_the_requesting_origin() {
	run_test(|| {
		council_requests_risk_mode();
		let worst = <ComputeGovernance as pallet_jobs::OnJobCompleted<u64>>::weight();
		assert!(worst.ref_time() > 0);
		assert_eq!(complete(500, &output(&[250])), worst, "a request's job is charged the worst case");
		// What the job did not spend (400 + 1 − PRICE) is back in the treasury at once.
		assert_eq!(Balances::balance(&TREASURY), TREASURY_FUNDS - PRICE);
		assert_eq!(Balances::balance(&ComputeGovernance::request_account(0)), 0);
		assert_eq!(Balances::balance(&WORKER), 1 + PRICE);
		assert!(Requests::<Test>::get(0).is_none() && RequestOfJob::<Test>::get(500).is_none());
		assert_eq!(Slots::<Test>::get(), 0);
		assert_eq!(
			governance_events().last(),
			Some(&Event::RequestSettled { request: 0, job: 500, outcome: Outcome::PredicateHeld, returned: 401 - PRICE })
		);
		// Enacted in the next block, as the council.
		assert!(!remarked(COUNCIL, b"high"));
		run_to(2);
		assert!(remarked(COUNCIL, b"high"));
		assert!(!remarked(COUNCIL, b"low"));
		assert_eq!(dispatched(), vec![Ok(())]);
	});
}

#[test]
fn output_that_flips_the_predicate_enacts_the_other_call() {
	run_test(|| {
		council_requests_risk_mode();
		complete(500, &output(&[99]));
		run_to(2);
		assert!(remarked(COUNCIL, b"low"));
		assert!(!remarked(COUNCIL, b"high"));
		assert!(matches!(
			governance_events().last(),
			Some(Event::RequestSettled { outcome: Outcome::PredicateFailed, .. })
		));
	});
}

#[test]
fn a_refunded_job_runs_the_false_call_and_returns_everything() {
	run_test(|| {
		council_requests_risk_mode();
		refund(500);
		assert_eq!(Balances::balance(&TREASURY), TREASURY_FUNDS);
		run_to(2);
		assert!(remarked(COUNCIL, b"low"));
		assert!(matches!(governance_events().last(), Some(Event::RequestSettled { outcome: Outcome::NoResult, returned: 401, .. })));
	});
}

#[test]
fn a_call_needing_more_privilege_than_the_requesting_origin_fails_with_bad_origin() {
	run_test(|| {
		// The council (a signed origin here) asks for a root-only call on success.
		let action = dispatch(Default::default(), set_storage(b"risk", b"high"), remark(b"f"));
		assert_ok!(request(RuntimeOrigin::signed(COUNCIL), 400, action));
		complete(500, &output(&[1]));
		run_to(2);
		assert_eq!(dispatched(), vec![Err(DispatchError::BadOrigin)]);
		assert_eq!(sp_io::storage::get(b"risk"), None);
		// The same request from root enacts it.
		assert_ok!(request(RuntimeOrigin::root(), 400, dispatch(Default::default(), set_storage(b"risk", b"high"), remark(b"f"))));
		complete(501, &output(&[1]));
		run_to(3);
		assert_eq!(sp_io::storage::get(b"risk").as_deref(), Some(&b"high"[..]));
	});
}

#[test]
fn jobs_this_pallet_did_not_post_are_ignored() {
	run_test(|| {
		council_requests_risk_mode();
		let used = <ComputeGovernance as pallet_jobs::OnJobCompleted<u64>>::on_job_completed(9, MODEL, &OUTSIDER, &output(&[250]));
		assert_eq!(used, <<Test as frame_system::Config>::DbWeight as frame_support::traits::Get<frame_support::weights::RuntimeDbWeight>>::get().reads(1), "a lookup is all");
		assert!(Requests::<Test>::get(0).is_some());
		assert_eq!(governance_events().len(), 1);
	});
}

#[test]
fn a_call_given_by_preimage_is_kept_until_it_is_enacted() {
	run_test(|| {
		use frame_support::traits::{Bounded, QueryPreimage};
		// A call too large to be inline is noted as a preimage by its proposer.
		let big = remark(&[7u8; 200]);
		let encoded = codec::Encode::encode(&big);
		assert_ok!(Preimage::note_preimage(RuntimeOrigin::signed(OUTSIDER), encoded.clone()));
		let hash = <Test as frame_system::Config>::Hashing::hash(&encoded);
		let if_true: Bounded<RuntimeCall, _> = Bounded::Lookup { hash, len: encoded.len() as u32 };
		let action = Action::Dispatch { predicate: Default::default(), if_true, if_false: Preimage::bound(remark(b"f")).unwrap() };
		assert_ok!(request(RuntimeOrigin::signed(COUNCIL), 400, action));
		assert!(Preimage::is_requested(&hash), "held while the job runs");
		// Its noter cannot take it away meanwhile: it is requested, so it stays.
		let _ = Preimage::unnote_preimage(RuntimeOrigin::signed(OUTSIDER), hash);
		complete(500, &output(&[1]));
		run_to(2);
		assert!(remarked(COUNCIL, &[7u8; 200]));
		assert!(!Preimage::is_requested(&hash), "released once enacted");
	});
}
