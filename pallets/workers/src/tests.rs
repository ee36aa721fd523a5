//! Tests of the workers pallet: every call's success path and every error, bonds checked to
//! the unit, eligibility by heartbeat and bond, reputation and slashing.

use crate::{
	mock::*, Capabilities, Error, Event, Gpu, GpuKind, HoldReason, JobOutcome, ModelWorkers, WorkerRegistry,
	WorkerStatus, Workers as WorkersStorage,
};
use frame_support::{
	assert_noop, assert_ok,
	traits::fungible::{Inspect, InspectHold},
	BoundedVec,
};
use frame_system::RawOrigin;

fn origin(who: u64) -> RuntimeOrigin {
	RawOrigin::Signed(who).into()
}

fn caps() -> Capabilities {
	Capabilities { cpu_cores: 2, memory_mb: 4096, gpu: Some(Gpu { kind: GpuKind::NvidiaCuda, memory_mb: 80_000 }) }
}

fn models(ids: &[u32]) -> BoundedVec<u32, frame_support::traits::ConstU32<4>> {
	ids.to_vec().try_into().unwrap()
}

fn bonded(who: u64) -> u64 {
	Balances::balance_on_hold(&HoldReason::WorkerBond.into(), &who)
}

fn register(who: u64, bond: u64, ids: &[u32]) {
	assert_ok!(Workers::register_worker(origin(who), bond, caps(), models(ids)));
}

fn candidates(model: u32) -> Vec<u64> {
	Workers::candidates(model).into_iter().map(|(who, _)| who).collect()
}

#[test]
fn register_holds_the_bond_and_lists_the_worker_under_its_models() {
	run_test(|| {
		register(ALICE, 5_000, &[0, 2]);
		assert_eq!(bonded(ALICE), 5_000);
		assert_eq!(Balances::balance(&ALICE), INITIAL - 5_000);
		let info = WorkersStorage::<Test>::get(ALICE).unwrap();
		assert_eq!((info.bond, info.status, info.last_heartbeat, info.capabilities), (5_000, WorkerStatus::Active, 1, caps()));
		assert_eq!(ModelWorkers::<Test>::get(0).to_vec(), vec![ALICE]);
		assert_eq!(ModelWorkers::<Test>::get(2).to_vec(), vec![ALICE]);
		assert_eq!(Workers::candidates(0), vec![(ALICE, 2_500)]);
		assert!(candidates(1).is_empty());
		System::assert_last_event(Event::WorkerRegistered { worker: ALICE, bond: 5_000 }.into());
	});
}

#[test]
fn bad_registrations_are_refused_with_their_own_errors_and_change_nothing() {
	run_test(|| {
		register(ALICE, MIN_BOND, &[0]);
		assert_noop!(Workers::register_worker(origin(ALICE), MIN_BOND, caps(), models(&[1])), Error::<Test>::AlreadyRegistered);
		assert_noop!(Workers::register_worker(origin(BOB), MIN_BOND - 1, caps(), models(&[0])), Error::<Test>::BondTooLow);
		let no_cpu = Capabilities { cpu_cores: 0, ..caps() };
		assert_noop!(Workers::register_worker(origin(BOB), MIN_BOND, no_cpu, models(&[0])), Error::<Test>::InvalidCapabilities);
		assert_noop!(Workers::register_worker(origin(BOB), MIN_BOND, caps(), models(&[])), Error::<Test>::NoModels);
		assert_noop!(Workers::register_worker(origin(BOB), MIN_BOND, caps(), models(&[1, 1])), Error::<Test>::DuplicateModel);
		assert_noop!(Workers::register_worker(origin(BOB), MIN_BOND, caps(), models(&[1, 5])), Error::<Test>::UnknownModel);
		assert_noop!(Workers::register_worker(origin(POOR), MIN_BOND, caps(), models(&[0])), Error::<Test>::InsufficientBalanceForBond);
		register(BOB, MIN_BOND, &[0]);
		register(CHARLIE, MIN_BOND, &[0]);
		assert_noop!(Workers::register_worker(origin(DAVE), MIN_BOND, caps(), models(&[1, 0])), Error::<Test>::TooManyWorkersForModel);
	});
}

#[test]
fn workers_without_a_fresh_heartbeat_or_enough_bond_get_no_jobs() {
	run_test(|| {
		register(ALICE, MIN_BOND, &[0]);
		register(BOB, MIN_BOND, &[0]);
		System::set_block_number(1 + HEARTBEAT_TIMEOUT - 1);
		// A listed worker's heartbeat pays for itself only, not for a relisting.
		let post = Workers::heartbeat(origin(BOB)).expect("a registered worker");
		assert_eq!(post.actual_weight, Some(<() as crate::WeightInfo>::heartbeat()));
		assert!(<() as crate::WeightInfo>::heartbeat().all_lte(<() as crate::WeightInfo>::heartbeat_relisting()));
		assert_eq!(candidates(0), vec![ALICE, BOB]);
		System::set_block_number(1 + HEARTBEAT_TIMEOUT);
		assert_eq!(candidates(0), vec![BOB]);
		assert_ok!(Workers::heartbeat(origin(ALICE)));
		assert_eq!(candidates(0), vec![ALICE, BOB]);
		assert_noop!(Workers::heartbeat(origin(CHARLIE)), Error::<Test>::NotWorker);

		// A slash below the minimum bond makes Bob ineligible until he bonds more.
		assert_eq!(Workers::slash(&BOB, 1), 1);
		assert_eq!(candidates(0), vec![ALICE]);
		assert_noop!(Workers::bond_extra(origin(BOB), 0), Error::<Test>::ZeroAmount);
		assert_noop!(Workers::bond_extra(origin(CHARLIE), 1), Error::<Test>::NotWorker);
		assert_ok!(Workers::bond_extra(origin(BOB), 1));
		System::assert_last_event(Event::BondIncreased { worker: BOB, bond: MIN_BOND }.into());
		// The slash evicted him from the lists: his next heartbeat lists him again, and the
		// added bond counts once it has warmed up.
		assert_eq!(candidates(0), vec![ALICE]);
		// Relisting is what the call was charged for: no refund.
		assert_eq!(Workers::heartbeat(origin(BOB)).expect("an idle worker").actual_weight, None);
		assert_eq!(candidates(0), vec![ALICE]);
		System::set_block_number(1 + HEARTBEAT_TIMEOUT + BOND_WARMUP);
		assert_eq!(candidates(0), vec![ALICE, BOB]);
	});
}

#[test]
fn slashing_moves_the_bond_to_the_treasury_exactly() {
	run_test(|| {
		register(ALICE, 3_000, &[0]);
		assert_eq!(Workers::slash(&ALICE, 1_200), 1_200);
		System::assert_last_event(Event::Slashed { worker: ALICE, amount: 1_200, beneficiary: TREASURY }.into());
		assert_eq!(bonded(ALICE), 1_800);
		assert_eq!(WorkersStorage::<Test>::get(ALICE).unwrap().bond, 1_800);
		assert_eq!(Balances::balance(&TREASURY), INITIAL + 1_200);
		// Never more than the bond.
		assert_eq!(Workers::slash(&ALICE, 10_000), 1_800);
		assert_eq!(bonded(ALICE), 0);
		assert_eq!(Balances::balance(&TREASURY), INITIAL + 3_000);
		assert_eq!(Balances::total_balance(&ALICE), INITIAL - 3_000);
		assert_eq!(Workers::slash(&BOB, 5), 0);
		// Or to a named beneficiary (a successful challenger), exactly.
		register(BOB, 3_000, &[0]);
		assert_eq!(Workers::slash_to(&BOB, 500, &CHARLIE), 500);
		System::assert_last_event(Event::Slashed { worker: BOB, amount: 500, beneficiary: CHARLIE }.into());
		assert_eq!(bonded(BOB), 2_500);
		assert_eq!(Balances::balance(&CHARLIE), INITIAL + 500);
	});
}

#[test]
fn reputation_scales_the_selection_weight() {
	run_test(|| {
		register(ALICE, 10_000, &[0]);
		Workers::job_assigned(&ALICE);
		Workers::job_finished(&ALICE, JobOutcome::Completed);
		Workers::job_assigned(&ALICE);
		Workers::job_finished(&ALICE, JobOutcome::Completed);
		// (2 + 1) / (2 + 0 + 2) of 10,000.
		assert_eq!(Workers::candidates(0), vec![(ALICE, 7_500)]);
		Workers::record_failure(&ALICE);
		Workers::record_failure(&ALICE);
		// (2 + 1) / (2 + 2 + 2).
		assert_eq!(Workers::candidates(0), vec![(ALICE, 5_000)]);
		let info = WorkersStorage::<Test>::get(ALICE).unwrap();
		assert_eq!((info.completed, info.failed, info.active_jobs), (2, 2, 0));
	});
}

#[test]
fn unbonding_waits_for_jobs_and_the_unbonding_period() {
	run_test(|| {
		register(ALICE, 2_000, &[0, 1]);
		Workers::job_assigned(&ALICE);
		assert_noop!(Workers::unbond(origin(ALICE)), Error::<Test>::WorkerHasJobs);
		assert_noop!(Workers::withdraw_unbonded(origin(ALICE)), Error::<Test>::NotUnbonding);
		Workers::job_finished(&ALICE, JobOutcome::Released);
		assert_ok!(Workers::unbond(origin(ALICE)));
		System::assert_last_event(Event::Unbonding { worker: ALICE, withdrawable_at: 1 + UNBONDING_PERIOD }.into());
		assert!(candidates(0).is_empty() && candidates(1).is_empty());
		assert_noop!(Workers::unbond(origin(ALICE)), Error::<Test>::WorkerUnbonding);
		assert_noop!(Workers::heartbeat(origin(ALICE)), Error::<Test>::WorkerUnbonding);
		assert_eq!(Workers::active_bond(&ALICE), None);

		System::set_block_number(UNBONDING_PERIOD);
		assert_noop!(Workers::withdraw_unbonded(origin(ALICE)), Error::<Test>::StillUnbonding);
		// Still slashable while unbonding.
		assert_eq!(Workers::slash(&ALICE, 500), 500);
		System::set_block_number(1 + UNBONDING_PERIOD);
		assert_ok!(Workers::withdraw_unbonded(origin(ALICE)));
		System::assert_last_event(Event::Withdrawn { worker: ALICE, amount: 1_500 }.into());
		assert_eq!(bonded(ALICE), 0);
		assert_eq!(Balances::balance(&ALICE), INITIAL - 500);
		assert!(!WorkersStorage::<Test>::contains_key(ALICE));
		assert_noop!(Workers::withdraw_unbonded(origin(ALICE)), Error::<Test>::NotWorker);
	});
}

/// Attack 8 of the market review: workers that never heartbeat (squatters) or were slashed
/// below the minimum bond kept their slots in a model's list forever, locking working
/// providers out of the model.
#[test]
fn workers_that_take_no_jobs_are_evicted_to_make_room_and_relisted_by_a_heartbeat() {
	run_test(|| {
		// Three workers fill model 0's list (`MaxWorkersPerModel` = 3).
		register(ALICE, MIN_BOND, &[0, 1]);
		register(BOB, MIN_BOND, &[0]);
		register(CHARLIE, MIN_BOND, &[0]);
		assert_noop!(
			Workers::register_worker(origin(DAVE), MIN_BOND, caps(), models(&[0])),
			Error::<Test>::TooManyWorkersForModel
		);
		// Alice and Bob stop sending heartbeats; Charlie keeps working.
		System::set_block_number(1 + HEARTBEAT_TIMEOUT);
		assert_ok!(Workers::heartbeat(origin(CHARLIE)));
		// Dave's registration evicts the first idle worker, Alice, from every list.
		register(DAVE, MIN_BOND, &[0]);
		System::assert_has_event(Event::WorkerEvicted { worker: ALICE }.into());
		assert_eq!(ModelWorkers::<Test>::get(0).to_vec(), vec![BOB, CHARLIE, DAVE]);
		assert!(ModelWorkers::<Test>::get(1).is_empty());
		// Still registered and bonded (and slashable).
		assert_eq!(WorkersStorage::<Test>::get(ALICE).unwrap().status, WorkerStatus::Idle);
		assert_eq!(bonded(ALICE), MIN_BOND);

		// Alice's heartbeat lists her again, in Bob's place: he is idle too.
		assert_ok!(Workers::heartbeat(origin(ALICE)));
		System::assert_has_event(Event::WorkerEvicted { worker: BOB }.into());
		System::assert_last_event(Event::WorkerRelisted { worker: ALICE }.into());
		assert_eq!(ModelWorkers::<Test>::get(0).to_vec(), vec![CHARLIE, DAVE, ALICE]);
		assert_eq!(ModelWorkers::<Test>::get(1).to_vec(), vec![ALICE]);
		// Bob finds the list full of workers that take jobs.
		assert_noop!(Workers::heartbeat(origin(BOB)), Error::<Test>::TooManyWorkersForModel);

		// A slash below the minimum bond evicts at once.
		assert_eq!(Workers::slash(&DAVE, 1), 1);
		assert_eq!(ModelWorkers::<Test>::get(0).to_vec(), vec![CHARLIE, ALICE]);
		assert_noop!(Workers::heartbeat(origin(DAVE)), Error::<Test>::BondTooLow);
		assert_ok!(Workers::heartbeat(origin(BOB)));
		assert_eq!(candidates(0), vec![CHARLIE, ALICE, BOB]);
		// An idle worker may still unbond and leave.
		assert_ok!(Workers::unbond(origin(DAVE)));
	});
}

/// Attack 7 of the market review: `bond_extra` counted at once, so a worker that saw the next
/// draw's seed (the parent hash, known a block ahead) could raise its bond just in time to win
/// it. An increase is held and slashable at once but counts only after `BondWarmup` blocks.
#[test]
fn a_bond_increase_counts_for_selection_only_after_its_warmup() {
	run_test(|| {
		register(ALICE, 10_000, &[0]);
		assert_ok!(Workers::bond_extra(origin(ALICE), 30_000));
		assert_eq!(bonded(ALICE), 40_000);
		// A fresh worker's weight is half its counting bond: (0 + 1) / (0 + 0 + 2).
		assert_eq!(Workers::candidates(0), vec![(ALICE, 5_000)]);
		System::set_block_number(1 + BOND_WARMUP - 1);
		assert_eq!(Workers::candidates(0), vec![(ALICE, 5_000)]);
		// Another increase before the first counted restarts the warm-up for both.
		assert_ok!(Workers::bond_extra(origin(ALICE), 10_000));
		System::set_block_number(1 + BOND_WARMUP);
		assert_eq!(Workers::candidates(0), vec![(ALICE, 5_000)]);
		System::set_block_number(BOND_WARMUP + BOND_WARMUP);
		assert_eq!(Workers::candidates(0), vec![(ALICE, 25_000)]);
	});
}

#[test]
fn a_worker_publishes_its_encryption_key_until_it_withdraws_and_bad_keys_change_nothing() {
	run_test(|| {
		assert_noop!(Workers::set_encryption_key(origin(ALICE), [7; 32]), Error::<Test>::NotWorker);
		register(ALICE, 2_000, &[0]);
		assert_noop!(Workers::set_encryption_key(origin(ALICE), [0; 32]), Error::<Test>::InvalidEncryptionKey);
		assert_ok!(Workers::set_encryption_key(origin(ALICE), [7; 32]));
		System::assert_last_event(Event::EncryptionKeySet { worker: ALICE, key: [7; 32] }.into());
		assert_eq!(Workers::encryption_key(&ALICE), Some([7; 32]));
		assert_noop!(Workers::set_encryption_key(origin(ALICE), [7; 32]), Error::<Test>::SameEncryptionKey);
		// A new key replaces the old one, also while unbonding (sealed jobs may still be held).
		assert_ok!(Workers::unbond(origin(ALICE)));
		assert_ok!(Workers::set_encryption_key(origin(ALICE), [8; 32]));
		assert_eq!(Workers::encryption_key(&ALICE), Some([8; 32]));
		System::set_block_number(1 + UNBONDING_PERIOD);
		assert_ok!(Workers::withdraw_unbonded(origin(ALICE)));
		assert_eq!(Workers::encryption_key(&ALICE), None, "removed with the worker");
		assert_ok!(Workers::do_try_state());
	});
}
