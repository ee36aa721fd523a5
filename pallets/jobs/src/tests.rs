//! Tests of the jobs pallet on a runtime with the real verifier, models and workers pallets:
//! full lifecycles per tier with balances checked to the unit (requester, workers, model owner,
//! treasury, fee pot), real Groth16 proofs for the zk tier, deadlines, refunds, and every error.

use crate::{
	impls::commitment_of, mock::*, test_circuit, Deadlines, DisputeVerdict, Error, Event, HoldReason, JobStatus, Jobs as JobsStorage,
	PendingJobs, RefundReason, Tier,
};
use aichain_compute::ModelKind;
use ark_bn254::Bn254;
use ark_groth16::ProvingKey;
use frame_support::{
	assert_noop, assert_ok,
	traits::fungible::{Inspect, InspectHold},
	BoundedVec,
};
use frame_system::RawOrigin;
use pallet_workers::{Capabilities, Workers as WorkersStorage};
use pallet_zk_verifier::VerifyError;

const PRICE: u64 = 1_000;
/// 5% royalty.
const ROYALTY_BPS: u16 = 500;
const ROYALTY: u64 = 50;
/// 10% protocol fee.
const FEE: u64 = 100;
const INPUT: [u8; 4] = [1, 2, 3, 250];

fn origin(who: u64) -> RuntimeOrigin {
	RawOrigin::Signed(who).into()
}

fn input(bytes: &[u8]) -> BoundedVec<u8, frame_support::traits::ConstU32<64>> {
	bytes.to_vec().try_into().unwrap()
}

fn output(bytes: &[u8]) -> BoundedVec<u8, frame_support::traits::ConstU32<32>> {
	bytes.to_vec().try_into().unwrap()
}

fn free(who: u64) -> u64 {
	Balances::balance(&who)
}

fn escrowed(who: u64) -> u64 {
	Balances::balance_on_hold(&HoldReason::JobEscrow.into(), &who)
}

fn bond(who: u64) -> u64 {
	WorkersStorage::<Test>::get(who).map_or(0, |w| w.bond)
}

/// Registers the byte-sum circuit's key and its model (owned by `OWNER`); returns the model id
/// and the proving key.
fn zk_model() -> (u32, ProvingKey<Bn254>) {
	let (pk, vk) = test_circuit::setup();
	let key = pallet_zk_verifier::register_for::<Test>(OWNER, vk).unwrap();
	let model = register_model(Some(key), test_circuit::INPUT_LEN as u32, test_circuit::OUTPUT_LEN as u32);
	(model, pk)
}

fn register_model(verifying_key: Option<[u8; 32]>, max_input_len: u32, max_output_len: u32) -> u32 {
	let spec = pallet_models::ModelSpec {
		name: b"byte-sum".to_vec().try_into().unwrap(),
		kind: ModelKind::Classifier,
		weights_sha256: [0; 32],
		content_address: b"builtin".to_vec().try_into().unwrap(),
		verifying_key,
		price: PRICE,
		royalty_bps: ROYALTY_BPS,
		max_input_len,
		max_output_len,
	};
	pallet_models::Pallet::<Test>::do_register_model(OWNER, spec).unwrap()
}

fn register_workers(model: u32, workers: &[u64]) {
	for worker in workers {
		assert_ok!(Workers::register_worker(
			origin(*worker),
			MIN_BOND,
			Capabilities { cpu_cores: 2, memory_mb: 1024, gpu: None },
			vec![model].try_into().unwrap(),
		));
	}
}

fn submit(model: u32, tier: Tier, data: &[u8]) -> u64 {
	let job = crate::NextJobId::<Test>::get();
	assert_ok!(Jobs::submit_job(origin(REQUESTER), model, input(data), tier, u64::MAX, DEADLINE));
	job
}

fn assigned(job: u64) -> Vec<u64> {
	JobsStorage::<Test>::get(job).unwrap().assignments.iter().map(|a| a.worker).collect()
}

fn jobs_held(worker: u64) -> u32 {
	WorkersStorage::<Test>::get(worker).unwrap().active_jobs
}

#[test]
fn zk_job_is_paid_to_worker_owner_and_pot_exactly_after_a_valid_proof() {
	run_test(|| {
		let (model, pk) = zk_model();
		register_workers(model, &[ALICE]);
		let (requester_before, owner_before, pot_before, alice_before) =
			(free(REQUESTER), free(OWNER), free(POT), free(ALICE));

		let job = submit(model, Tier::Zk, &INPUT);
		assert_eq!(escrowed(REQUESTER), PRICE + FEE);
		assert_eq!(free(REQUESTER), requester_before - PRICE - FEE);
		assert_eq!(assigned(job), vec![ALICE]);
		assert_eq!(jobs_held(ALICE), 1);
		System::assert_has_event(Event::JobAssigned { job, workers: vec![ALICE], deadline: 1 + DEADLINE }.into());

		let out = test_circuit::byte_sum(&INPUT);
		assert_ok!(Jobs::submit_result(origin(ALICE), job, output(&out), test_circuit::prove(&pk, &INPUT, &out)));

		System::assert_last_event(
			Event::JobCompleted {
				job,
				output: output(&out),
				workers: vec![ALICE],
				worker_payment: PRICE - ROYALTY,
				royalty: ROYALTY,
				fee: FEE,
				refund: 0,
			}
			.into(),
		);
		assert_eq!(escrowed(REQUESTER), 0);
		assert_eq!(free(REQUESTER), requester_before - PRICE - FEE);
		assert_eq!(free(ALICE), alice_before + PRICE - ROYALTY);
		assert_eq!(free(OWNER), owner_before + ROYALTY);
		assert_eq!(free(POT), pot_before + FEE);
		assert_eq!(bond(ALICE), MIN_BOND);
		let worker = WorkersStorage::<Test>::get(ALICE).unwrap();
		assert_eq!((worker.completed, worker.failed, worker.active_jobs), (1, 0, 0));
		VERIFIED_WORK.with(|w| assert_eq!(*w.borrow(), vec![(ALICE, PRICE - ROYALTY)]));
		assert!(!JobsStorage::<Test>::contains_key(job));
		assert!(Deadlines::<Test>::iter().next().is_none());
		COMPLETED.with(|c| assert_eq!(*c.borrow(), vec![(job, model, REQUESTER, out.clone())]));

		// A second submission of the same result.
		assert_noop!(
			Jobs::submit_result(origin(ALICE), job, output(&out), test_circuit::prove(&pk, &INPUT, &out)),
			Error::<Test>::JobAlreadyFinished
		);
	});
}

#[test]
fn a_malicious_zk_result_is_rejected_pays_nothing_and_counts_as_a_failure() {
	run_test(|| {
		let (model, pk) = zk_model();
		register_workers(model, &[ALICE]);
		let job = submit(model, Tier::Zk, &INPUT);
		let (requester_before, alice_before) = (free(REQUESTER), free(ALICE));
		let honest = test_circuit::byte_sum(&INPUT);
		let lie = vec![honest[0].wrapping_add(1), honest[1]];

		// A proof made for a wrong output (the circuit is unsatisfied, the proof is invalid).
		assert_ok!(Jobs::submit_result(origin(ALICE), job, output(&lie), test_circuit::prove(&pk, &INPUT, &lie)));
		System::assert_last_event(
			Event::ResultRejected {
				job,
				worker: ALICE,
				reason: VerifyError::Invalid(aichain_zk::Error::ProofRejected),
			}
			.into(),
		);
		// An honest proof of another input, presented for this job.
		let other = [9, 9, 9, 9];
		let other_out = test_circuit::byte_sum(&other);
		assert_ok!(Jobs::submit_result(
			origin(ALICE),
			job,
			output(&other_out),
			test_circuit::prove(&pk, &other, &other_out)
		));
		// The honest proof with a claimed output changed afterwards.
		assert_ok!(Jobs::submit_result(origin(ALICE), job, output(&lie), test_circuit::prove(&pk, &INPUT, &honest)));

		let worker = WorkersStorage::<Test>::get(ALICE).unwrap();
		assert_eq!((worker.completed, worker.failed, worker.active_jobs), (0, 3, 1));
		assert_eq!(JobsStorage::<Test>::get(job).unwrap().status, JobStatus::Assigned);
		assert_eq!((free(REQUESTER), free(ALICE), escrowed(REQUESTER)), (requester_before, alice_before, PRICE + FEE));

		// Results from anyone else, or of the wrong size, are errors.
		assert_noop!(
			Jobs::submit_result(origin(BOB), job, output(&honest), test_circuit::prove(&pk, &INPUT, &honest)),
			Error::<Test>::NotAssignedWorker
		);
		assert_noop!(
			Jobs::submit_result(origin(ALICE), job, output(&[1]), test_circuit::prove(&pk, &INPUT, &honest)),
			Error::<Test>::OutputLengthMismatch
		);
		// The honest result still completes the job.
		assert_ok!(Jobs::submit_result(origin(ALICE), job, output(&honest), test_circuit::prove(&pk, &INPUT, &honest)));
		assert_eq!(free(ALICE), alice_before + PRICE - ROYALTY);
	});
}

#[test]
fn a_zk_worker_missing_its_deadline_is_slashed_and_the_job_reassigned() {
	run_test(|| {
		let (model, pk) = zk_model();
		register_workers(model, &[ALICE, BOB]);
		let job = submit(model, Tier::Zk, &INPUT);
		let first = assigned(job)[0];
		let second = if first == ALICE { BOB } else { ALICE };
		let treasury_before = free(TREASURY);

		run_to_block(1 + DEADLINE);
		System::assert_has_event(Event::WorkerSlashed { job, worker: first, amount: SLASH }.into());
		assert_eq!(bond(first), MIN_BOND - SLASH);
		assert_eq!(free(TREASURY), treasury_before + SLASH);
		assert_eq!(assigned(job), vec![second]);
		assert_eq!(JobsStorage::<Test>::get(job).unwrap().deadline, 1 + 2 * DEADLINE);
		let failed = WorkersStorage::<Test>::get(first).unwrap();
		assert_eq!((failed.failed, failed.active_jobs), (1, 0));

		let out = test_circuit::byte_sum(&INPUT);
		assert_ok!(Jobs::submit_result(origin(second), job, output(&out), test_circuit::prove(&pk, &INPUT, &out)));
		assert_eq!(escrowed(REQUESTER), 0);
	});
}

#[test]
fn a_job_without_a_replacement_worker_is_refunded_after_its_deadline() {
	run_test(|| {
		let (model, _) = zk_model();
		register_workers(model, &[ALICE]);
		let requester_before = free(REQUESTER);
		let job = submit(model, Tier::Zk, &INPUT);
		run_to_block(1 + DEADLINE);
		System::assert_last_event(Event::JobRefunded { job, reason: RefundReason::NoResult, amount: PRICE + FEE }.into());
		assert_eq!((free(REQUESTER), escrowed(REQUESTER)), (requester_before, 0));
		assert_eq!(bond(ALICE), MIN_BOND - SLASH);
		assert!(!JobsStorage::<Test>::contains_key(job));
	});
}

/// Commits and reveals `out` for `worker` (salt derived from the worker).
fn commit_and_keep(job: u64, worker: u64, out: &[u8]) -> [u8; 32] {
	let salt = [worker as u8; 32];
	assert_ok!(Jobs::commit_result(origin(worker), job, commitment_of(out, &salt)));
	salt
}

#[test]
fn redundancy_majority_is_paid_and_the_dissenter_slashed() {
	run_test(|| {
		let model = register_model(None, 8, 8);
		register_workers(model, &[ALICE, BOB, CHARLIE]);
		let before: Vec<u64> = [REQUESTER, ALICE, BOB, CHARLIE, OWNER, POT, TREASURY].iter().map(|a| free(*a)).collect();
		let job = submit(model, Tier::Redundancy { replicas: 3 }, b"hello");
		let escrow = 3 * PRICE + 3 * FEE;
		assert_eq!(escrowed(REQUESTER), escrow);
		let mut workers = assigned(job);
		workers.sort();
		assert_eq!(workers, vec![ALICE, BOB, CHARLIE]);

		let good = b"vector".to_vec();
		let bad = b"noise".to_vec();
		let salts = [commit_and_keep(job, ALICE, &good), commit_and_keep(job, BOB, &good)];
		assert_noop!(Jobs::reveal_result(origin(ALICE), job, output(&good), salts[0]), Error::<Test>::WrongPhase);
		let charlie_salt = commit_and_keep(job, CHARLIE, &bad);
		System::assert_last_event(Event::RevealPhaseStarted { job, deadline: 1 + DEADLINE }.into());
		assert_noop!(
			Jobs::commit_result(origin(ALICE), job, [0; 32]),
			Error::<Test>::WrongPhase
		);

		assert_noop!(
			Jobs::reveal_result(origin(CHARLIE), job, output(&good), charlie_salt),
			Error::<Test>::CommitmentMismatch
		);
		assert_ok!(Jobs::reveal_result(origin(CHARLIE), job, output(&bad), charlie_salt));
		assert_noop!(
			Jobs::reveal_result(origin(CHARLIE), job, output(&bad), charlie_salt),
			Error::<Test>::AlreadyRevealed
		);
		assert_ok!(Jobs::reveal_result(origin(ALICE), job, output(&good), salts[0]));
		assert_ok!(Jobs::reveal_result(origin(BOB), job, output(&good), salts[1]));

		// Alice and Bob paid; Charlie slashed; Charlie's share of the price back to the requester.
		// The fee is charged on the price of all three workers.
		let refund = PRICE;
		System::assert_last_event(
			Event::JobCompleted {
				job,
				output: output(&good),
				workers: vec![ALICE, BOB],
				worker_payment: PRICE - ROYALTY,
				royalty: 2 * ROYALTY,
				fee: 3 * FEE,
				refund,
			}
			.into(),
		);
		System::assert_has_event(Event::WorkerSlashed { job, worker: CHARLIE, amount: SLASH }.into());
		let after: Vec<u64> = [REQUESTER, ALICE, BOB, CHARLIE, OWNER, POT, TREASURY].iter().map(|a| free(*a)).collect();
		assert_eq!(after[0], before[0] - escrow + refund);
		assert_eq!(after[1], before[1] + PRICE - ROYALTY);
		assert_eq!(after[2], before[2] + PRICE - ROYALTY);
		assert_eq!(after[3], before[3]);
		assert_eq!(bond(CHARLIE), MIN_BOND - SLASH);
		assert_eq!(after[4], before[4] + 2 * ROYALTY);
		assert_eq!(after[5], before[5] + 3 * FEE);
		assert_eq!(after[6], before[6] + SLASH);
		assert_eq!(escrowed(REQUESTER), 0);
		COMPLETED.with(|c| assert_eq!(c.borrow().last().unwrap().3, good));
	});
}

#[test]
fn redundancy_without_majority_is_refunded_and_non_revealers_slashed() {
	run_test(|| {
		let model = register_model(None, 8, 8);
		register_workers(model, &[ALICE, BOB, CHARLIE]);
		let requester_before = free(REQUESTER);
		let job = submit(model, Tier::Redundancy { replicas: 3 }, b"x");
		let a = commit_and_keep(job, ALICE, b"one");
		let b = commit_and_keep(job, BOB, b"two");
		commit_and_keep(job, CHARLIE, b"three");
		assert_ok!(Jobs::reveal_result(origin(ALICE), job, output(b"one"), a));
		assert_ok!(Jobs::reveal_result(origin(BOB), job, output(b"two"), b));
		// Charlie never reveals: the reveal deadline decides with what was revealed.
		run_to_block(1 + DEADLINE);
		System::assert_last_event(
			Event::JobRefunded { job, reason: RefundReason::NoMajority, amount: 3 * PRICE + 3 * FEE }.into(),
		);
		assert_eq!(free(REQUESTER), requester_before);
		assert_eq!((bond(ALICE), bond(BOB), bond(CHARLIE)), (MIN_BOND, MIN_BOND, MIN_BOND - SLASH));
		assert_eq!((jobs_held(ALICE), jobs_held(BOB), jobs_held(CHARLIE)), (0, 0, 0));
	});
}

#[test]
fn redundancy_non_committer_is_replaced_at_the_commit_deadline() {
	run_test(|| {
		let model = register_model(None, 8, 8);
		register_workers(model, &[ALICE, BOB, CHARLIE]);
		let job = submit(model, Tier::Redundancy { replicas: 2 }, b"x");
		let workers = assigned(job);
		let idle = [ALICE, BOB, CHARLIE].into_iter().find(|w| !workers.contains(w)).unwrap();
		let salt = commit_and_keep(job, workers[0], b"out");
		run_to_block(1 + DEADLINE);
		System::assert_has_event(Event::WorkerSlashed { job, worker: workers[1], amount: SLASH }.into());
		assert_eq!(assigned(job), vec![workers[0], idle]);
		let idle_salt = commit_and_keep(job, idle, b"out");
		assert_ok!(Jobs::reveal_result(origin(workers[0]), job, output(b"out"), salt));
		assert_ok!(Jobs::reveal_result(origin(idle), job, output(b"out"), idle_salt));
		assert!(!JobsStorage::<Test>::contains_key(job));
		assert_eq!(escrowed(REQUESTER), 0);
	});
}

#[test]
fn pending_jobs_wait_for_workers_or_are_cancelled() {
	run_test(|| {
		let model = register_model(None, 8, 8);
		// No workers yet: the jobs wait in the pending queue.
		let cancelled = submit(model, Tier::Redundancy { replicas: 2 }, b"a");
		let first = submit(model, Tier::Redundancy { replicas: 2 }, b"b");
		let second = submit(model, Tier::Redundancy { replicas: 2 }, b"c");
		assert_eq!(PendingJobs::<Test>::get().to_vec(), vec![cancelled, first, second]);
		assert_noop!(
			Jobs::submit_job(origin(REQUESTER), model, input(b"d"), Tier::Redundancy { replicas: 2 }, u64::MAX, DEADLINE),
			Error::<Test>::PendingQueueFull
		);

		let requester_before = free(REQUESTER);
		assert_noop!(Jobs::cancel_job(origin(ALICE), cancelled), Error::<Test>::NotRequester);
		assert_ok!(Jobs::cancel_job(origin(REQUESTER), cancelled));
		System::assert_last_event(
			Event::JobRefunded { job: cancelled, reason: RefundReason::Cancelled, amount: 2 * PRICE + 2 * FEE }.into(),
		);
		assert_eq!(free(REQUESTER), requester_before + 2 * PRICE + 2 * FEE);
		assert_noop!(Jobs::cancel_job(origin(REQUESTER), cancelled), Error::<Test>::JobAlreadyFinished);

		// Two workers arrive: at the next block both waiting jobs are assigned to them.
		register_workers(model, &[ALICE, BOB]);
		run_to_block(2);
		assert!(PendingJobs::<Test>::get().is_empty());
		for job in [first, second] {
			assert_eq!(JobsStorage::<Test>::get(job).unwrap().status, JobStatus::Assigned);
			assert_eq!(JobsStorage::<Test>::get(job).unwrap().deadline, 2 + DEADLINE);
		}
		assert_eq!((jobs_held(ALICE), jobs_held(BOB)), (2, 2));
		assert_noop!(Jobs::cancel_job(origin(REQUESTER), first), Error::<Test>::AlreadyAssigned);
	});
}

#[test]
fn a_pending_job_is_refunded_when_its_deadline_passes() {
	run_test(|| {
		let model = register_model(None, 8, 8);
		let requester_before = free(REQUESTER);
		let job = submit(model, Tier::Redundancy { replicas: 2 }, b"a");
		run_to_block(DEADLINE);
		assert!(JobsStorage::<Test>::contains_key(job));
		run_to_block(1 + DEADLINE);
		System::assert_last_event(
			Event::JobRefunded { job, reason: RefundReason::NotAssigned, amount: 2 * PRICE + 2 * FEE }.into(),
		);
		assert_eq!((free(REQUESTER), escrowed(REQUESTER)), (requester_before, 0));
		assert!(PendingJobs::<Test>::get().is_empty());
	});
}

#[test]
fn bad_submissions_get_their_own_errors_and_change_nothing() {
	run_test(|| {
		let (zk, _) = zk_model();
		let plain = register_model(None, 8, 8);
		let submit_with = |who: u64, model: u32, data: &[u8], tier: Tier, max: u64, deadline: u64| {
			Jobs::submit_job(origin(who), model, input(data), tier, max, deadline)
		};
		let redundancy = Tier::Redundancy { replicas: 2 };
		assert_noop!(submit_with(REQUESTER, 99, b"a", redundancy, u64::MAX, 5), Error::<Test>::UnknownModel);
		assert_noop!(submit_with(REQUESTER, plain, b"", redundancy, u64::MAX, 5), Error::<Test>::EmptyInput);
		assert_noop!(submit_with(REQUESTER, plain, &[0; 9], redundancy, u64::MAX, 5), Error::<Test>::InputTooLong);
		assert_noop!(submit_with(REQUESTER, plain, b"a", Tier::Zk, u64::MAX, 5), Error::<Test>::ModelNotProvable);
		assert_noop!(submit_with(REQUESTER, zk, &[1, 2, 3], Tier::Zk, u64::MAX, 5), Error::<Test>::InputLengthMismatch);
		assert_noop!(
			submit_with(REQUESTER, plain, b"a", Tier::Redundancy { replicas: 1 }, u64::MAX, 5),
			Error::<Test>::InvalidReplicas
		);
		assert_noop!(
			submit_with(REQUESTER, plain, b"a", Tier::Redundancy { replicas: 6 }, u64::MAX, 5),
			Error::<Test>::InvalidReplicas
		);
		// An optimistic job reserves three dispute prices: 4,100 in all.
		assert_noop!(
			submit_with(REQUESTER, plain, b"a", Tier::Optimistic, 4 * PRICE + FEE - 1, 5),
			Error::<Test>::PriceAboveMax
		);
		assert_noop!(submit_with(REQUESTER, plain, b"a", redundancy, u64::MAX, 0), Error::<Test>::ZeroDeadline);
		assert_noop!(submit_with(REQUESTER, plain, b"a", redundancy, u64::MAX, 101), Error::<Test>::DeadlineTooLong);
		// Price + fee of two workers is 2,200: 2,199 is not enough.
		assert_noop!(submit_with(REQUESTER, plain, b"a", redundancy, 2 * PRICE + 2 * FEE - 1, 5), Error::<Test>::PriceAboveMax);
		assert_noop!(submit_with(POOR, plain, b"a", redundancy, u64::MAX, 5), Error::<Test>::InsufficientBalance);
		assert_ok!(submit_with(REQUESTER, plain, b"a", redundancy, 2 * PRICE + 2 * FEE, 5));

		// A retired model takes no new jobs.
		assert_ok!(Models::retire_model(origin(OWNER), plain));
		assert_noop!(submit_with(REQUESTER, plain, b"a", redundancy, u64::MAX, 5), Error::<Test>::UnknownModel);
	});
}

#[test]
fn results_in_the_wrong_tier_phase_or_from_strangers_are_refused() {
	run_test(|| {
		let (zk, pk) = zk_model();
		let plain = register_model(None, 8, 8);
		register_workers(zk, &[ALICE]);
		register_workers(plain, &[BOB, CHARLIE]);
		let zk_job = submit(zk, Tier::Zk, &INPUT);
		let r_job = submit(plain, Tier::Redundancy { replicas: 2 }, b"a");
		let out = test_circuit::byte_sum(&INPUT);
		let proof = test_circuit::prove(&pk, &INPUT, &out);

		assert_noop!(Jobs::submit_result(origin(ALICE), 77, output(&out), proof), Error::<Test>::UnknownJob);
		assert_noop!(Jobs::submit_result(origin(BOB), r_job, output(&out), proof), Error::<Test>::WrongTier);
		assert_noop!(Jobs::commit_result(origin(ALICE), zk_job, [1; 32]), Error::<Test>::WrongTier);
		assert_noop!(Jobs::reveal_result(origin(ALICE), zk_job, output(b"o"), [1; 32]), Error::<Test>::WrongTier);
		assert_noop!(Jobs::commit_result(origin(ALICE), r_job, [1; 32]), Error::<Test>::NotAssignedWorker);
		assert_ok!(Jobs::commit_result(origin(BOB), r_job, [1; 32]));
		assert_noop!(Jobs::commit_result(origin(BOB), r_job, [2; 32]), Error::<Test>::AlreadyCommitted);
		assert_noop!(Jobs::reveal_result(origin(BOB), r_job, output(b"o"), [1; 32]), Error::<Test>::WrongPhase);
		assert_ok!(Jobs::commit_result(origin(CHARLIE), r_job, commitment_of(&[0; 9], &[3; 32])));
		assert_noop!(
			Jobs::reveal_result(origin(CHARLIE), r_job, output(&[0; 9]), [3; 32]),
			Error::<Test>::OutputTooLong
		);
		assert_noop!(Jobs::reveal_result(origin(ALICE), r_job, output(b"o"), [1; 32]), Error::<Test>::NotAssignedWorker);
		assert_noop!(Jobs::cancel_job(origin(REQUESTER), 77), Error::<Test>::UnknownJob);
	});
}

/// Optimistic escrow: one price and the fee, plus three dispute prices in reserve.
const OPTIMISTIC_ESCROW: u64 = 4 * PRICE + FEE;

fn challenge_bond(who: u64) -> u64 {
	Balances::balance_on_hold(&HoldReason::ChallengeBond.into(), &who)
}

/// An optimistic job on a fresh keyless model with `workers` registered; returns the model,
/// the job and its proposer.
fn optimistic_job(workers: &[u64]) -> (u32, u64, u64) {
	let model = register_model(None, 8, 8);
	register_workers(model, workers);
	let job = submit(model, Tier::Optimistic, b"hello");
	let proposer = assigned(job)[0];
	(model, job, proposer)
}

/// The dispute workers of `job`, sorted.
fn dispute_round(job: u64) -> Vec<u64> {
	let mut workers = assigned(job);
	workers.sort();
	workers
}

/// Each of `workers` commits and then reveals its output.
fn commit_and_reveal(job: u64, outputs: &[(u64, &[u8])]) {
	let salts: Vec<[u8; 32]> = outputs.iter().map(|(w, o)| commit_and_keep(job, *w, o)).collect();
	for ((worker, out), salt) in outputs.iter().zip(salts) {
		assert_ok!(Jobs::reveal_result(origin(*worker), job, output(out), salt));
	}
}

#[test]
fn an_unchallenged_optimistic_result_is_paid_when_the_window_closes() {
	run_test(|| {
		let (_, job, proposer) = optimistic_job(&[ALICE]);
		let (requester_before, owner_before, pot_before, proposer_before) =
			(free(REQUESTER), free(OWNER), free(POT), free(proposer));
		assert_eq!(escrowed(REQUESTER), OPTIMISTIC_ESCROW);

		assert_ok!(Jobs::propose_result(origin(proposer), job, output(b"answer")));
		let window_end = 1 + CHALLENGE_PERIOD;
		System::assert_last_event(
			Event::ResultProposed { job, worker: proposer, output: output(b"answer"), challenge_deadline: window_end }
				.into(),
		);
		assert_eq!(JobsStorage::<Test>::get(job).unwrap().status, JobStatus::Challengeable);
		assert_eq!(Deadlines::<Test>::get(window_end).to_vec(), vec![job]);
		assert_eq!(jobs_held(proposer), 1);

		run_to_block(window_end - 1);
		assert!(JobsStorage::<Test>::contains_key(job));
		run_to_block(window_end);
		System::assert_last_event(
			Event::JobCompleted {
				job,
				output: output(b"answer"),
				workers: vec![proposer],
				worker_payment: PRICE - ROYALTY,
				royalty: ROYALTY,
				fee: FEE,
				refund: 3 * PRICE,
			}
			.into(),
		);
		assert_eq!(free(REQUESTER), requester_before + 3 * PRICE);
		assert_eq!(escrowed(REQUESTER), 0);
		assert_eq!(free(proposer), proposer_before + PRICE - ROYALTY);
		assert_eq!(free(OWNER), owner_before + ROYALTY);
		assert_eq!(free(POT), pot_before + FEE);
		assert_eq!(jobs_held(proposer), 0);
		assert_noop!(Jobs::challenge_result(origin(EVE), job), Error::<Test>::JobAlreadyFinished);
		COMPLETED.with(|c| assert_eq!(c.borrow().last().unwrap().3, b"answer".to_vec()));
	});
}

#[test]
fn a_false_optimistic_result_is_overturned_and_the_proposer_slashed_to_the_challenger() {
	run_test(|| {
		let (_, job, liar) = optimistic_job(&[ALICE, BOB, CHARLIE, DAVE]);
		let before: Vec<u64> = [REQUESTER, OWNER, POT, TREASURY, EVE].iter().map(|a| free(*a)).collect();
		assert_ok!(Jobs::propose_result(origin(liar), job, output(b"lie")));

		assert_ok!(Jobs::challenge_result(origin(EVE), job));
		System::assert_has_event(Event::ResultChallenged { job, challenger: EVE, bond: CHALLENGE_BOND }.into());
		assert_eq!(challenge_bond(EVE), CHALLENGE_BOND);
		let round = dispute_round(job);
		assert_eq!(round.len(), 3);
		assert!(!round.contains(&liar));
		let [first, second, third] = [round[0], round[1], round[2]];
		let bystanders_before: Vec<u64> = round.iter().map(|w| free(*w)).collect();

		// Two dispute workers find the truth, one sides with nobody.
		commit_and_reveal(job, &[(first, b"truth"), (second, b"truth"), (third, b"other")]);

		System::assert_has_event(
			Event::DisputeSettled { job, verdict: DisputeVerdict::ProposalOverturned, slashed: SLASH }.into(),
		);
		System::assert_has_event(Event::WorkerSlashed { job, worker: liar, amount: SLASH }.into());
		System::assert_has_event(Event::WorkerSlashed { job, worker: third, amount: SLASH }.into());
		System::assert_last_event(
			Event::JobCompleted {
				job,
				output: output(b"truth"),
				workers: vec![first, second],
				worker_payment: PRICE - ROYALTY,
				royalty: 2 * ROYALTY,
				fee: FEE,
				refund: OPTIMISTIC_ESCROW - 2 * PRICE - FEE,
			}
			.into(),
		);
		// The requester paid the two agreeing dispute workers and the fee (of the escrow held
		// before `before` was taken, the rest came back).
		assert_eq!(free(REQUESTER), before[0] + OPTIMISTIC_ESCROW - 2 * PRICE - FEE);
		assert_eq!(free(OWNER), before[1] + 2 * ROYALTY);
		assert_eq!(free(POT), before[2] + FEE);
		// The dissenting dispute worker's slash goes to the treasury, the liar's to Eve.
		assert_eq!(free(TREASURY), before[3] + SLASH);
		assert_eq!(free(EVE), before[4] + SLASH);
		assert_eq!(challenge_bond(EVE), 0);
		assert_eq!(free(first), bystanders_before[0] + PRICE - ROYALTY);
		assert_eq!(free(second), bystanders_before[1] + PRICE - ROYALTY);
		assert_eq!(free(third), bystanders_before[2]);
		assert_eq!((bond(liar), bond(third), bond(first)), (MIN_BOND - SLASH, MIN_BOND - SLASH, MIN_BOND));
		let liar_record = WorkersStorage::<Test>::get(liar).unwrap();
		assert_eq!((liar_record.failed, liar_record.active_jobs), (1, 0));
		COMPLETED.with(|c| assert_eq!(c.borrow().last().unwrap().3, b"truth".to_vec()));
		VERIFIED_WORK.with(|w| {
			assert_eq!(*w.borrow(), vec![(first, PRICE - ROYALTY), (second, PRICE - ROYALTY)])
		});
	});
}

/// A correct result challenged by `challenger` and upheld by a unanimous dispute round.
/// Returns the requester's and the challenger's balance changes.
fn upheld_dispute(challenger: u64) -> (i64, i64) {
	let start: Vec<u64> = [REQUESTER, challenger, POT, TREASURY].iter().map(|a| free(*a)).collect();
	let (_, job, proposer) = optimistic_job(&[ALICE, BOB, CHARLIE, DAVE]);
	// The owner paid the model deposit meanwhile.
	let (proposer_before, owner_before) = (free(proposer), free(OWNER));
	assert_ok!(Jobs::propose_result(origin(proposer), job, output(b"truth")));
	assert_ok!(Jobs::challenge_result(origin(challenger), job));
	let round = dispute_round(job);
	commit_and_reveal(job, &[(round[0], b"truth"), (round[1], b"truth"), (round[2], b"truth")]);

	System::assert_has_event(
		Event::DisputeSettled { job, verdict: DisputeVerdict::ProposalUpheld, slashed: CHALLENGE_BOND }.into(),
	);
	System::assert_last_event(
		Event::JobCompleted {
			job,
			output: output(b"truth"),
			workers: vec![proposer, round[0], round[1], round[2]],
			worker_payment: PRICE - ROYALTY,
			royalty: 4 * ROYALTY,
			fee: FEE,
			refund: 0,
		}
		.into(),
	);
	// Four runs were paid from escrow; the bond paid the requester back for the three dispute
	// runs and the remaining 500 went to the treasury.
	assert_eq!((escrowed(REQUESTER), challenge_bond(challenger)), (0, 0));
	assert_eq!(free(OWNER), owner_before + 4 * ROYALTY);
	assert_eq!(free(POT), start[2] + FEE);
	assert_eq!(free(TREASURY), start[3] + CHALLENGE_BOND - 3 * PRICE);
	assert_eq!(free(proposer), proposer_before + PRICE - ROYALTY);
	for worker in [proposer, round[0], round[1], round[2]] {
		assert_eq!((bond(worker), jobs_held(worker)), (MIN_BOND, 0));
	}
	(free(REQUESTER) as i64 - start[0] as i64, free(challenger) as i64 - start[1] as i64)
}

#[test]
fn a_losing_challenger_reimburses_the_dispute_and_forfeits_the_rest_of_its_bond() {
	run_test(|| {
		let (requester, challenger) = upheld_dispute(EVE);
		assert_eq!(requester, -((PRICE + FEE) as i64));
		assert_eq!(challenger, -(CHALLENGE_BOND as i64));
	});
}

#[test]
fn a_requester_losing_its_own_challenge_pays_the_dispute() {
	run_test(|| {
		let (requester, _) = upheld_dispute(REQUESTER);
		assert_eq!(requester, -((PRICE + FEE + CHALLENGE_BOND) as i64));
	});
}

#[test]
fn an_inconclusive_dispute_returns_the_bond_and_refunds_the_requester() {
	run_test(|| {
		let (_, job, proposer) = optimistic_job(&[ALICE, BOB, CHARLIE, DAVE]);
		let requester_before = free(REQUESTER);
		let eve_before = free(EVE);
		assert_ok!(Jobs::propose_result(origin(proposer), job, output(b"maybe")));
		assert_ok!(Jobs::challenge_result(origin(EVE), job));
		let round = dispute_round(job);
		// One dispute worker never commits; no other worker can replace it.
		commit_and_keep(job, round[0], b"a");
		commit_and_keep(job, round[1], b"b");
		run_to_block(1 + DEADLINE);
		System::assert_has_event(
			Event::DisputeSettled { job, verdict: DisputeVerdict::Inconclusive, slashed: 0 }.into(),
		);
		System::assert_last_event(
			Event::JobRefunded { job, reason: RefundReason::NoResult, amount: OPTIMISTIC_ESCROW }.into(),
		);
		assert_eq!(free(REQUESTER), requester_before + OPTIMISTIC_ESCROW);
		assert_eq!((free(EVE), challenge_bond(EVE)), (eve_before, 0));
		assert_eq!(bond(proposer), MIN_BOND);
		assert_eq!(bond(round[2]), MIN_BOND - SLASH);
		for worker in [ALICE, BOB, CHARLIE, DAVE] {
			assert_eq!(jobs_held(worker), 0);
		}
	});
}

#[test]
fn optimistic_calls_refuse_strangers_wrong_phases_and_unaffordable_challenges() {
	run_test(|| {
		let (model, job, proposer) = optimistic_job(&[ALICE, BOB, CHARLIE]);
		let (zk, _) = zk_model();
		let zk_job = submit(zk, Tier::Zk, &INPUT);
		let stranger = [ALICE, BOB, CHARLIE].into_iter().find(|w| *w != proposer).unwrap();

		assert_noop!(Jobs::propose_result(origin(proposer), 77, output(b"o")), Error::<Test>::UnknownJob);
		assert_noop!(Jobs::propose_result(origin(proposer), zk_job, output(b"o")), Error::<Test>::WrongTier);
		assert_noop!(Jobs::propose_result(origin(stranger), job, output(b"o")), Error::<Test>::NotAssignedWorker);
		assert_noop!(Jobs::propose_result(origin(proposer), job, output(&[0; 9])), Error::<Test>::OutputTooLong);
		assert_noop!(Jobs::challenge_result(origin(EVE), job), Error::<Test>::NotChallengeable);
		assert_noop!(Jobs::commit_result(origin(proposer), job, [1; 32]), Error::<Test>::WrongPhase);
		assert_noop!(Jobs::challenge_result(origin(EVE), zk_job), Error::<Test>::WrongTier);

		assert_ok!(Jobs::propose_result(origin(proposer), job, output(b"o")));
		assert_noop!(Jobs::propose_result(origin(proposer), job, output(b"o")), Error::<Test>::WrongPhase);
		assert_noop!(Jobs::challenge_result(origin(proposer), job), Error::<Test>::OwnProposal);
		assert_noop!(Jobs::challenge_result(origin(POOR), job), Error::<Test>::InsufficientChallengeBond);
		// Only two workers besides the proposer: a dispute round needs three.
		assert_noop!(Jobs::challenge_result(origin(EVE), job), Error::<Test>::NotEnoughDisputeWorkers);
		register_workers(model, &[DAVE]);
		assert_ok!(Jobs::challenge_result(origin(EVE), job));
		assert_noop!(Jobs::challenge_result(origin(REQUESTER), job), Error::<Test>::NotChallengeable);
		// Commitments in a dispute come from its round only.
		assert_noop!(Jobs::commit_result(origin(proposer), job, [1; 32]), Error::<Test>::NotAssignedWorker);
		assert_eq!(challenge_bond(EVE), CHALLENGE_BOND);
	});
}
