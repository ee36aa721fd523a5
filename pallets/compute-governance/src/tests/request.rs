//! Requesting a computation: who may, within which budget, on which tiers and models, and
//! what moves from the treasury.

use super::*;
use crate::{Error, Event, Requests, Slots};
use frame_support::{assert_noop, assert_ok, traits::fungible::Inspect};
use sp_runtime::DispatchError;

#[test]
fn a_request_is_funded_from_the_treasury_and_posts_its_job_as_the_request_account() {
	run_test(|| {
		assert_ok!(request(RuntimeOrigin::signed(COUNCIL), 400, dispatch(field(0, Comparison::Less, 0), remark(b"t"), remark(b"f"))));
		let account = ComputeGovernance::request_account(0);
		// max_price plus the existential deposit (1) left the treasury for the request's account.
		assert_eq!(Balances::balance(&TREASURY), TREASURY_FUNDS - 401);
		assert_eq!(Balances::balance(&account), 401);
		let job = submitted(500);
		assert_eq!((job.requester, job.model, job.tier, job.max_price, job.timeout), (account, MODEL, Tier::Zk, 400, 10));
		assert_eq!(job.input, vec![1, 2, 3, 4]);
		assert_eq!(Requests::<Test>::get(0).unwrap().origin, OriginCaller::system(frame_system::RawOrigin::Signed(COUNCIL)));
		assert_eq!(governance_events(), vec![Event::ComputationRequested { request: 0, job: 500, model: MODEL, funded: 401 }]);
	});
}

#[test]
fn a_request_over_the_origins_budget_is_rejected_at_once() {
	run_test(|| {
		let action = || dispatch(Default::default(), remark(b"t"), remark(b"f"));
		assert_noop!(request(RuntimeOrigin::signed(COUNCIL), BUDGET + 1, action()), Error::<Test>::OverBudget);
		assert_ok!(request(RuntimeOrigin::signed(COUNCIL), BUDGET, action()));
		// Root's budget is unlimited, the treasury's balance is not.
		assert_noop!(request(RuntimeOrigin::root(), TREASURY_FUNDS, action()), Error::<Test>::TreasuryCannotPay);
	});
}

#[test]
fn only_governance_origins_may_request() {
	run_test(|| {
		let action = dispatch(Default::default(), remark(b"t"), remark(b"f"));
		assert_noop!(request(RuntimeOrigin::signed(OUTSIDER), 200, action.clone()), DispatchError::BadOrigin);
		assert_noop!(request(RuntimeOrigin::none(), 200, action), DispatchError::BadOrigin);
	});
}

#[test]
fn optimistic_jobs_and_unapproved_models_are_refused() {
	run_test(|| {
		let action = || Box::new(dispatch(Default::default(), remark(b"t"), remark(b"f")));
		let input = || BoundedVec::truncate_from(vec![1, 2, 3, 4]);
		assert_noop!(
			ComputeGovernance::request_computation(RuntimeOrigin::root(), MODEL, input(), Tier::Optimistic, 200, 10, action()),
			Error::<Test>::TierNotAllowed
		);
		assert_ok!(ComputeGovernance::request_computation(
			RuntimeOrigin::root(), MODEL, input(), Tier::Redundancy { replicas: 3 }, 200, 10, action()
		));
		assert_noop!(
			ComputeGovernance::set_model_approval(RuntimeOrigin::signed(COUNCIL), MODEL, false),
			DispatchError::BadOrigin
		);
		assert_ok!(ComputeGovernance::set_model_approval(RuntimeOrigin::root(), MODEL, false));
		assert_noop!(
			ComputeGovernance::request_computation(RuntimeOrigin::root(), MODEL, input(), Tier::Zk, 200, 10, action()),
			Error::<Test>::ModelNotApproved
		);
	});
}

#[test]
fn a_job_the_market_refuses_moves_nothing() {
	run_test(|| {
		// The test market wants at least PRICE.
		let action = dispatch(Default::default(), remark(b"t"), remark(b"f"));
		assert_noop!(request(RuntimeOrigin::root(), PRICE - 1, action), DispatchError::Other("PriceAboveMax"));
		assert_eq!(Balances::balance(&TREASURY), TREASURY_FUNDS);
	});
}

#[test]
fn requests_and_kept_results_are_bounded() {
	run_test(|| {
		let action = || dispatch(Default::default(), remark(b"t"), remark(b"f"));
		for _ in 0..3 {
			assert_ok!(request(RuntimeOrigin::root(), 200, action()));
		}
		assert_noop!(request(RuntimeOrigin::root(), 200, action()), Error::<Test>::TooManyRequests);
		// A slot is freed when a job ends; a kept result keeps its slot until it is removed.
		complete(500, &output(&[1]));
		assert_ok!(request(RuntimeOrigin::root(), 200, Action::Keep { blocks: 5 }));
		assert_eq!(Slots::<Test>::get(), 3);
		assert_noop!(request(RuntimeOrigin::root(), 200, Action::Keep { blocks: 0 }), Error::<Test>::BadRetention);
		assert_noop!(request(RuntimeOrigin::root(), 200, Action::Keep { blocks: 101 }), Error::<Test>::BadRetention);
	});
}
