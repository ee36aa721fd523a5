//! Governance end to end on the real runtime (natively, block by block): a referendum on the
//! `compute` track passes; its enactment requests a redundancy job paid by the treasury; two
//! workers agree on the output; the predicate on the verified output picks a treasury spend,
//! which runs with the `compute` origin, and is paid out. Output that flips the predicate picks
//! the other spend; a chosen call needing more than the `compute` origin fails with `BadOrigin`.
//!
//! Governance periods are those of the `fast-runtime` feature (`scripts/test.sh` enables it).
#![cfg(feature = "fast-runtime")]

mod common;

use aichain_compute::{ModelId, ModelKind, Tier};
use aichain_runtime::{
	configs::TreasuryAccount,
	genesis_config_presets::TREASURY_ENDOWMENT,
	governance::{origins::Origin, tracks},
	AccountId, AllPalletsWithSystem, Balance, Balances, BlockNumber, OriginCaller, Runtime, RuntimeCall, RuntimeEvent,
	RuntimeOrigin, System, UNIT,
};
use frame_support::{
	assert_ok,
	traits::{schedule::DispatchTime, Get, OnInitialize, StorePreimage},
	BoundedVec,
};
use pallet_compute_governance::{Action, Clause, Comparison, Outcome};
use pallet_conviction_voting::{AccountVote, Conviction, Vote};
use sp_keyring::Sr25519Keyring::{self, Alice, Bob, Dave, Eve, Ferdie};
use sp_runtime::DispatchError;

type Referenda = pallet_referenda::Pallet<Runtime>;
type Jobs = pallet_jobs::Pallet<Runtime>;

/// The job's price per worker; two workers and the protocol fee make its cost.
const PRICE: Balance = 5 * UNIT;
/// The spends the two calls make.
const HIGH_RISK_SPEND: Balance = 500 * UNIT;
const LOW_RISK_SPEND: Balance = 100 * UNIT;

fn account(who: Sr25519Keyring) -> AccountId {
	who.to_account_id()
}

/// Free plus held: what `who` owns.
fn total(who: Sr25519Keyring) -> Balance {
	<Balances as frame_support::traits::Currency<AccountId>>::total_balance(&account(who))
}

fn signed(who: Sr25519Keyring) -> RuntimeOrigin {
	RuntimeOrigin::signed(account(who))
}

/// Runs the hooks of every block up to `n`.
fn run_to(n: BlockNumber) {
	while System::block_number() < n {
		let next = System::block_number() + 1;
		System::set_block_number(next);
		<AllPalletsWithSystem as OnInitialize<BlockNumber>>::on_initialize(next);
	}
}

/// Eve registers a 4-byte classifier served on the redundancy tier; Dave and Ferdie bond as
/// its workers; the `model_admin` origin approves it for governance requests. Returns the model.
fn market_with_two_workers() -> ModelId {
	let spec = pallet_models::ModelSpec {
		name: BoundedVec::truncate_from(b"risk-regime".to_vec()),
		kind: ModelKind::Classifier,
		weights_sha256: [7; 32],
		content_address: BoundedVec::truncate_from(b"models/risk-regime".to_vec()),
		verifying_key: None,
		price: PRICE,
		royalty_bps: 0,
		max_input_len: 4,
		max_output_len: 4,
		min_timeout: 1,
		output_tolerance: 0,
	};
	assert_ok!(pallet_models::Pallet::<Runtime>::register_model(signed(Eve), spec));
	let model = 0;
	for worker in [Dave, Ferdie] {
		assert_ok!(pallet_workers::Pallet::<Runtime>::register_worker(
			signed(worker),
			100 * UNIT,
			pallet_workers::Capabilities { cpu_cores: 2, memory_mb: 4096, gpu: None },
			BoundedVec::truncate_from(vec![model]),
		));
	}
	assert_ok!(pallet_compute_governance::Pallet::<Runtime>::set_model_approval(
		RuntimeOrigin::from(Origin::ModelAdmin),
		model,
		true
	));
	let warmup: BlockNumber = <Runtime as pallet_workers::Config>::BondWarmup::get();
	run_to(System::block_number() + warmup + 1);
	model
}

/// A treasury spend of `amount` to `to`.
fn spend(amount: Balance, to: Sr25519Keyring) -> RuntimeCall {
	RuntimeCall::Treasury(pallet_treasury::Call::spend {
		asset_kind: Box::new(()),
		amount,
		beneficiary: Box::new(account(to)),
		valid_from: None,
	})
}

/// The call a `compute` referendum enacts: a redundancy job on `model` whose output's first
/// `i32` (the risk regime) selects `if_high` (≥ 1) or `if_low`.
fn request(model: ModelId, if_high: RuntimeCall, if_low: RuntimeCall) -> RuntimeCall {
	RuntimeCall::ComputeGovernance(pallet_compute_governance::Call::request_computation {
		model,
		input: BoundedVec::truncate_from(vec![1, 2, 3, 4]),
		tier: Tier::Redundancy { replicas: 2 },
		max_price: 20 * UNIT,
		timeout: 10,
		action: Box::new(Action::Dispatch {
			predicate: BoundedVec::truncate_from(vec![Clause::Field {
				index: 0,
				comparison: Comparison::GreaterOrEqual,
				value: 1,
			}]),
			if_true: pallet_preimage::Pallet::<Runtime>::bound(if_high).unwrap(),
			if_false: pallet_preimage::Pallet::<Runtime>::bound(if_low).unwrap(),
		}),
	})
}

/// Alice proposes `call` on the `compute` track and places its decision deposit; returns the
/// referendum's index.
fn propose_on_compute_track(call: RuntimeCall) -> u32 {
	let index = pallet_referenda::ReferendumCount::<Runtime>::get();
	assert_ok!(Referenda::submit(
		signed(Alice),
		Box::new(OriginCaller::Origins(Origin::ComputeRequester)),
		pallet_preimage::Pallet::<Runtime>::bound(call).unwrap(),
		DispatchTime::After(0),
	));
	assert_ok!(Referenda::place_decision_deposit(signed(Alice), index));
	let info = pallet_referenda::ReferendumInfoFor::<Runtime>::get(index).unwrap();
	if let pallet_referenda::ReferendumInfo::Ongoing(status) = info {
		assert_eq!(status.track, tracks::COMPUTE);
	}
	index
}

/// Alice and Bob vote aye on referendum `index` with 900,000 AIC each; blocks run until it is
/// approved.
fn approve(index: u32) {
	for voter in [Alice, Bob] {
		assert_ok!(pallet_conviction_voting::Pallet::<Runtime>::vote(
			signed(voter),
			index,
			AccountVote::Standard { vote: Vote { aye: true, conviction: Conviction::Locked1x }, balance: 900_000 * UNIT },
		));
	}
	for _ in 0..40 {
		run_to(System::block_number() + 1);
		if matches!(pallet_referenda::ReferendumInfoFor::<Runtime>::get(index), Some(pallet_referenda::ReferendumInfo::Approved(..))) {
			return;
		}
	}
	panic!("referendum {index} was not approved: {:?}", pallet_referenda::ReferendumInfoFor::<Runtime>::get(index));
}

/// Proposes `call` on the `compute` track and approves it.
fn pass_compute_referendum(call: RuntimeCall) {
	approve(propose_on_compute_track(call));
}

/// The results of the calls the scheduler dispatched (referenda's enactments and the chosen
/// calls), in order.
fn scheduler_results() -> Vec<sp_runtime::DispatchResult> {
	System::events()
		.into_iter()
		.filter_map(|r| match r.event {
			RuntimeEvent::Scheduler(pallet_scheduler::Event::Dispatched { result, .. }) => Some(result),
			_ => None,
		})
		.collect()
}

/// Runs blocks until the governance request's job exists; returns it.
fn requested_job() -> aichain_compute::JobId {
	for _ in 0..10 {
		if let Some(job) = System::events().into_iter().find_map(|r| match r.event {
			RuntimeEvent::ComputeGovernance(pallet_compute_governance::Event::ComputationRequested { job, .. }) => Some(job),
			_ => None,
		}) {
			return job;
		}
		run_to(System::block_number() + 1);
	}
	panic!("the referendum's call did not request a computation");
}

/// Both assigned workers commit to and reveal `output` for `job`.
fn workers_agree(job: aichain_compute::JobId, output: [u8; 4]) {
	let assigned: Vec<AccountId> =
		pallet_jobs::Jobs::<Runtime>::get(job).unwrap().assignments.iter().map(|a| a.worker.clone()).collect();
	assert_eq!(assigned.len(), 2);
	let salt = [9u8; 32];
	for worker in &assigned {
		let commitment = pallet_jobs::commitment_of(job, worker, &output, &salt);
		assert_ok!(Jobs::commit_result(RuntimeOrigin::signed(worker.clone()), job, commitment));
	}
	for worker in &assigned {
		assert_ok!(Jobs::reveal_result(
			RuntimeOrigin::signed(worker.clone()),
			job,
			BoundedVec::truncate_from(output.to_vec()),
			salt
		));
	}
}

/// What the job cost the treasury: both workers' prices and the protocol fee.
fn job_cost() -> Balance {
	let price = 2 * PRICE;
	price + (<Runtime as pallet_jobs::Config>::ProtocolFee::get() * price).max(<Runtime as pallet_jobs::Config>::MinJobFee::get())
}

/// The outcome the compute-governance pallet reported.
fn settled_outcome() -> Outcome {
	System::events()
		.into_iter()
		.find_map(|r| match r.event {
			RuntimeEvent::ComputeGovernance(pallet_compute_governance::Event::RequestSettled { outcome, .. }) => Some(outcome),
			_ => None,
		})
		.expect("the request was settled")
}

/// The index of the treasury spend approved, after the chosen call ran.
fn approved_spend() -> Option<u32> {
	System::events().into_iter().find_map(|r| match r.event {
		RuntimeEvent::Treasury(pallet_treasury::Event::AssetSpendApproved { index, .. }) => Some(index),
		_ => None,
	})
}

/// The whole flow with the workers' `output`; returns the spend's index.
fn referendum_job_and_enactment(output: [u8; 4]) -> Option<u32> {
	let model = market_with_two_workers();
	pass_compute_referendum(request(model, spend(HIGH_RISK_SPEND, Ferdie), spend(LOW_RISK_SPEND, Eve)));
	let job = requested_job();
	assert_eq!(pallet_jobs::Jobs::<Runtime>::get(job).unwrap().requester, pallet_compute_governance::Pallet::<Runtime>::request_account(0));
	// The job's escrow (and the request account's existential deposit) left the treasury.
	assert!(Balances::free_balance(TreasuryAccount::get()) < TREASURY_ENDOWMENT - 20 * UNIT);
	workers_agree(job, output);
	// What the job did not spend is back at once; the chosen call runs in the next block.
	assert_eq!(Balances::free_balance(TreasuryAccount::get()), TREASURY_ENDOWMENT - job_cost());
	run_to(System::block_number() + 1);
	approved_spend()
}

#[test]
fn a_compute_referendum_pays_a_job_from_the_treasury_and_its_verified_output_picks_the_spend() {
	common::genesis("development").execute_with(|| {
		System::set_block_number(1);
		let ferdie_before = total(Ferdie);
		let index = referendum_job_and_enactment(1i32.to_le_bytes()).expect("the high-risk spend was approved");
		assert_eq!(settled_outcome(), Outcome::PredicateHeld);
		assert_ok!(pallet_treasury::Pallet::<Runtime>::payout(signed(Alice), index));
		assert_eq!(Balances::free_balance(TreasuryAccount::get()), TREASURY_ENDOWMENT - job_cost() - HIGH_RISK_SPEND);
		// Ferdie was also one of the two workers: paid its price (its bond stays held).
		assert_eq!(total(Ferdie), ferdie_before + PRICE + HIGH_RISK_SPEND);
	});
}

#[test]
fn output_that_flips_the_predicate_enacts_the_other_spend() {
	common::genesis("development").execute_with(|| {
		System::set_block_number(1);
		let eve_before = total(Eve);
		let index = referendum_job_and_enactment(0i32.to_le_bytes()).expect("the low-risk spend was approved");
		assert_eq!(settled_outcome(), Outcome::PredicateFailed);
		assert_ok!(pallet_treasury::Pallet::<Runtime>::payout(signed(Alice), index));
		assert_eq!(Balances::free_balance(TreasuryAccount::get()), TREASURY_ENDOWMENT - job_cost() - LOW_RISK_SPEND);
		// Eve owns the model (no royalty) and receives the spend.
		assert_eq!(total(Eve), eve_before + LOW_RISK_SPEND);
	});
}

#[test]
fn a_chosen_call_needing_more_than_the_compute_origin_fails_with_bad_origin() {
	common::genesis("development").execute_with(|| {
		System::set_block_number(1);
		let model = market_with_two_workers();
		// Minting to Eve needs root: the compute track cannot.
		let mint = RuntimeCall::Balances(pallet_balances::Call::force_set_balance {
			who: account(Eve).into(),
			new_free: 10_000_000 * UNIT,
		});
		pass_compute_referendum(request(model, mint.clone(), mint));
		let job = requested_job();
		workers_agree(job, 1i32.to_le_bytes());
		run_to(System::block_number() + 1);
		assert_eq!(scheduler_results().last(), Some(&Err(DispatchError::BadOrigin)));
		assert!(Balances::free_balance(account(Eve)) < 10_000_000 * UNIT);
	});
}

#[test]
fn a_compute_request_over_the_tracks_budget_is_rejected() {
	common::genesis("development").execute_with(|| {
		System::set_block_number(1);
		let model = market_with_two_workers();
		let call = RuntimeCall::ComputeGovernance(pallet_compute_governance::Call::request_computation {
			model,
			input: BoundedVec::truncate_from(vec![1, 2, 3, 4]),
			tier: Tier::Redundancy { replicas: 2 },
			max_price: aichain_runtime::governance::origins::COMPUTE_BUDGET + 1,
			timeout: 10,
			action: Box::new(Action::Keep { blocks: 10 }),
		});
		let result = sp_runtime::traits::Dispatchable::dispatch(call, RuntimeOrigin::from(Origin::ComputeRequester));
		assert_eq!(
			result.map_err(|e| e.error),
			Err(pallet_compute_governance::Error::<Runtime>::OverBudget.into())
		);
		assert_eq!(Balances::free_balance(TreasuryAccount::get()), TREASURY_ENDOWMENT);
	});
}

#[test]
fn a_model_owner_raising_the_price_while_the_referendum_runs_cannot_charge_the_treasury_more() {
	common::genesis("development").execute_with(|| {
		System::set_block_number(1);
		let model = market_with_two_workers();
		let index = propose_on_compute_track(request(model, spend(HIGH_RISK_SPEND, Ferdie), spend(LOW_RISK_SPEND, Eve)));
		// Eve, the model's owner, sees the proposal (max_price 20 AIC for two workers at 5 AIC)
		// and raises her price to 11 AIC: two workers would now cost 22 AIC.
		assert_ok!(pallet_models::Pallet::<Runtime>::update_price(signed(Eve), model, 11 * UNIT));
		approve(index);
		run_to(System::block_number() + 3);
		// The enactment fails in the job market; nothing left the treasury and no job exists.
		assert!(
			scheduler_results().contains(&Err(pallet_jobs::Error::<Runtime>::PriceAboveMax.into())),
			"{:?}",
			scheduler_results()
		);
		assert_eq!(Balances::free_balance(TreasuryAccount::get()), TREASURY_ENDOWMENT);
		assert!(!System::events().iter().any(|r| matches!(
			r.event,
			RuntimeEvent::ComputeGovernance(pallet_compute_governance::Event::ComputationRequested { .. })
		)));
		assert_eq!(pallet_compute_governance::Slots::<Runtime>::get(), 0);
	});
}

#[test]
fn retiring_the_model_while_its_job_runs_does_not_change_what_the_verified_output_selects() {
	common::genesis("development").execute_with(|| {
		System::set_block_number(1);
		let ferdie_before = total(Ferdie);
		let model = market_with_two_workers();
		pass_compute_referendum(request(model, spend(HIGH_RISK_SPEND, Ferdie), spend(LOW_RISK_SPEND, Eve)));
		let job = requested_job();
		// Eve, who would receive the low-risk spend, retires the model to force a refund (and
		// so `if_false`): the job keeps the terms it was submitted with and completes.
		assert_ok!(pallet_models::Pallet::<Runtime>::retire_model(signed(Eve), model));
		workers_agree(job, 1i32.to_le_bytes());
		run_to(System::block_number() + 1);
		assert_eq!(settled_outcome(), Outcome::PredicateHeld);
		let index = approved_spend().expect("the high-risk spend was approved");
		assert_ok!(pallet_treasury::Pallet::<Runtime>::payout(signed(Alice), index));
		assert_eq!(total(Ferdie), ferdie_before + PRICE + HIGH_RISK_SPEND);
	});
}
