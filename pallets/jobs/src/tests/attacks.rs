//! One test per attack on the market found by the review of the market pallets (the issue "A
//! market nobody can game"). Each of them failed on the code before its fix; the docs'
//! threat model (`docs/compute-market.md`) lists them with their fixes.

use super::*;

/// Submits `data` for `model` in `tier` with `deadline` blocks per phase.
fn submit_with(model: u32, data: &[u8], tier: Tier, deadline: u64) -> frame_support::dispatch::DispatchResult {
	Jobs::submit_job(origin(REQUESTER), model, input(data), tier, u64::MAX, deadline)
}

/// Advances to block `n`, checking every market pallet's invariants after each block.
fn run_to_block_checked(n: u64) {
	while System::block_number() < n {
		run_to_block(System::block_number() + 1);
		Jobs::do_try_state().expect("jobs invariants hold after every block");
		Workers::do_try_state().expect("workers invariants hold after every block");
	}
}

/// Attack 1: a requester asks for a deadline no provider can meet (`timeout = 1`), and every
/// assigned worker is slashed for missing it.
#[test]
fn a_deadline_below_the_models_minimum_is_refused() {
	run_test(|| {
		let model = register_model_with(ModelKind::Embedding, None, 8, 8, 4, 0);
		register_workers(model, &[ALICE]);
		for tier in [Tier::Optimistic, Tier::Redundancy { replicas: 2 }] {
			assert_noop!(submit_with(model, b"hi", tier, 1), Error::<Test>::DeadlineBelowModelMinimum);
			assert_noop!(submit_with(model, b"hi", tier, 3), Error::<Test>::DeadlineBelowModelMinimum);
		}
		assert_ok!(submit_with(model, b"hi", Tier::Optimistic, 4));
	});
}

/// Attack 1: an input the engine cannot answer (a classifier input of the wrong length, text
/// that is not UTF-8, a training step of the wrong size) was accepted in the redundancy and
/// optimistic tiers; the workers never answered it and were slashed.
#[test]
fn inputs_a_model_cannot_answer_are_refused_in_every_tier() {
	run_test(|| {
		let classifier = register_model(ModelKind::Classifier, None, 4, 8);
		let text = register_model(ModelKind::Embedding, None, 8, 8);
		let training = register_model(ModelKind::TrainingStep, None, 6, 2);
		for tier in [Tier::Redundancy { replicas: 2 }, Tier::Optimistic] {
			assert_noop!(submit_with(classifier, &[1, 2, 3], tier, DEADLINE), Error::<Test>::InputLengthMismatch);
			assert_noop!(submit_with(training, &[0; 5], tier, DEADLINE), Error::<Test>::InputLengthMismatch);
			assert_noop!(submit_with(text, &[0x66, 0xff, 0x6f], tier, DEADLINE), Error::<Test>::InputNotUtf8);
			assert_noop!(submit_with(text, &[b'a'; 9], tier, DEADLINE), Error::<Test>::InputTooLong);
			assert_noop!(submit_with(text, &[], tier, DEADLINE), Error::<Test>::EmptyInput);
		}
		// What passes is what an engine answers: exactly 4 bytes, UTF-8 text.
		assert_ok!(submit_with(classifier, &[1, 2, 3, 4], Tier::Optimistic, DEADLINE));
		assert_ok!(submit_with(text, "héllo".as_bytes(), Tier::Optimistic, DEADLINE));
		assert_ok!(submit_with(training, &[0; 6], Tier::Optimistic, DEADLINE));
	});
}

/// Attack 1: a worker whose engine refuses a job (a limit the chain does not know) could only
/// let the deadline pass and be slashed. It declines instead: no slash, a replacement, and
/// when nobody is left the requester gets the price back and pays the fee.
#[test]
fn a_declined_job_is_reassigned_then_refunded_and_nobody_is_slashed() {
	run_test(|| {
		let model = plain_model();
		register_workers(model, &[ALICE, BOB]);
		let requester_before = free(REQUESTER);
		let job = submit(model, Tier::Optimistic, b"hi");
		let first = assigned(job)[0];
		let second = if first == ALICE { BOB } else { ALICE };

		run_to_block(2);
		assert_noop!(Jobs::decline_job(origin(CHARLIE), job), Error::<Test>::NotAssignedWorker);
		assert_ok!(Jobs::decline_job(origin(first), job));
		System::assert_has_event(Event::JobDeclined { job, worker: first }.into());
		assert_eq!(assigned(job), vec![second]);
		assert_eq!(JobsStorage::<Test>::get(job).unwrap().deadline, 2 + DEADLINE);
		assert_eq!((bond(first), jobs_held(first)), (MIN_BOND, 0));
		assert_noop!(Jobs::decline_job(origin(first), job), Error::<Test>::NotAssignedWorker);

		// The replacement cannot serve it either, and no reassignment is left.
		assert_ok!(Jobs::decline_job(origin(second), job));
		System::assert_last_event(
			Event::JobRefunded { job, reason: RefundReason::Declined, amount: 4 * PRICE, fee: FEE }.into(),
		);
		assert_eq!(free(REQUESTER), requester_before - FEE);
		assert_eq!((bond(ALICE), bond(BOB)), (MIN_BOND, MIN_BOND));
		for worker in [ALICE, BOB] {
			let record = WorkersStorage::<Test>::get(worker).unwrap();
			assert_eq!((record.failed, record.active_jobs), (0, 0));
		}
	});
}

/// A decline is only for a job the worker has not committed to: after committing (or
/// proposing) the worker answers or is slashed.
#[test]
fn a_worker_cannot_decline_after_committing_or_proposing() {
	run_test(|| {
		let model = plain_model();
		register_workers(model, &[ALICE, BOB]);
		let job = submit(model, Tier::Redundancy { replicas: 2 }, b"x");
		commit_and_keep(job, ALICE, b"out");
		assert_noop!(Jobs::decline_job(origin(ALICE), job), Error::<Test>::AlreadyCommitted);
		let optimistic = submit(model, Tier::Optimistic, b"y");
		let proposer = assigned(optimistic)[0];
		assert_ok!(Jobs::propose_result(origin(proposer), optimistic, output(b"o")));
		assert_noop!(Jobs::decline_job(origin(proposer), optimistic), Error::<Test>::WrongPhase);
	});
}

/// Attack 1: when the chain cannot take a result any more (the model retired, its key then
/// unregistered), the worker was slashed at the deadline all the same.
#[test]
fn no_worker_is_slashed_when_the_model_and_its_key_are_gone_at_the_deadline() {
	run_test(|| {
		let (model, _) = zk_model();
		register_workers(model, &[ALICE, BOB]);
		let requester_before = free(REQUESTER);
		let job = submit(model, Tier::Zk, &INPUT);
		assert_ok!(Models::retire_model(origin(OWNER), model));
		let key = JobsStorage::<Test>::get(job).unwrap().terms.verifying_key.unwrap();
		assert_ok!(ZkVerifier::unregister_verifying_key(origin(OWNER), key));

		run_to_block(1 + DEADLINE);
		System::assert_last_event(
			Event::JobRefunded { job, reason: RefundReason::ModelUnavailable, amount: PRICE + FEE, fee: 0 }.into(),
		);
		assert_eq!((bond(ALICE), bond(BOB)), (MIN_BOND, MIN_BOND));
		assert_eq!(free(REQUESTER), requester_before);
	});
}

/// Attack 2: a commitment bound neither the job nor the worker, so Bob could copy Alice's
/// commitment, reveal her output after she revealed it, and with her outvote (and get
/// slashed) an honest dissenter, paid for a computation he never did.
#[test]
fn a_copied_commitment_is_refused_and_the_honest_dissenter_is_not_outvoted() {
	run_test(|| {
		let model = plain_model();
		register_workers(model, &[ALICE, BOB, CHARLIE]);
		let job = submit(model, Tier::Redundancy { replicas: 3 }, b"x");
		let salt = [7; 32];
		let lie = commitment_of(job, &ALICE, b"lie", &salt);
		assert_ok!(Jobs::commit_result(origin(ALICE), job, lie));
		assert_noop!(Jobs::commit_result(origin(BOB), job, lie), Error::<Test>::DuplicateCommitment);
		// The same output commits differently for another worker or another job.
		assert_ne!(commitment_of(job, &BOB, b"lie", &salt), lie);
		assert_ne!(commitment_of(job + 1, &ALICE, b"lie", &salt), lie);

		// Bob has to compute: he and Charlie find the truth and Alice's lie loses.
		let bob_salt = commit_and_keep(job, BOB, b"truth");
		let charlie_salt = commit_and_keep(job, CHARLIE, b"truth");
		assert_ok!(Jobs::reveal_result(origin(ALICE), job, output(b"lie"), salt));
		// Bob cannot reveal Alice's output and salt against his own commitment.
		assert_noop!(Jobs::reveal_result(origin(BOB), job, output(b"lie"), salt), Error::<Test>::CommitmentMismatch);
		assert_ok!(Jobs::reveal_result(origin(BOB), job, output(b"truth"), bob_salt));
		assert_ok!(Jobs::reveal_result(origin(CHARLIE), job, output(b"truth"), charlie_salt));
		System::assert_has_event(Event::WorkerSlashed { job, worker: ALICE, amount: SLASH }.into());
		assert_eq!((bond(BOB), bond(CHARLIE)), (MIN_BOND, MIN_BOND));
	});
}

/// Attack 3: a challenge whose dispute deadline falls in the block where the challenge window
/// ends put the job twice into that bucket and then took both copies out: the job was never
/// processed again and its escrow and the challenger's bond stayed held forever.
#[test]
fn a_challenge_landing_in_the_windows_block_keeps_the_job_scheduled_until_it_ends() {
	run_test(|| {
		let model = plain_model();
		register_workers(model, &[ALICE, BOB, CHARLIE, DAVE]);
		// Two blocks per phase; the challenge window is three.
		assert_ok!(submit_with(model, b"hi", Tier::Optimistic, 2));
		let job = 0;
		let proposer = assigned(job)[0];
		assert_ok!(Jobs::propose_result(origin(proposer), job, output(b"o")));
		let window_end = 1 + CHALLENGE_PERIOD;
		run_to_block(2);
		assert_ok!(Jobs::challenge_result(origin(EVE), job));
		// The dispute round is due at 2 + 2: the block the window would have ended in.
		assert_eq!(JobsStorage::<Test>::get(job).unwrap().deadline, window_end);
		assert_eq!(Deadlines::<Test>::iter_key_prefix(window_end).collect::<Vec<_>>(), vec![job]);
		Jobs::do_try_state().expect("the job is scheduled exactly once");

		// Nobody commits: the dispute workers are slashed and, with no other worker left, the
		// job ends and every hold is released.
		run_to_block_checked(window_end);
		assert!(!JobsStorage::<Test>::contains_key(job));
		System::assert_has_event(
			Event::JobRefunded { job, reason: RefundReason::NoResult, amount: 4 * PRICE + FEE, fee: 0 }.into(),
		);
		assert_eq!((escrowed(REQUESTER), Balances::balance_on_hold(&HoldReason::ChallengeBond.into(), &EVE)), (0, 0));
	});
}

/// Attacks 3 and 4: a bucket held at most `MaxJobsPerBlock` jobs and a job could move at most
/// 16 blocks, so 64 cheap jobs with one deadline made everyone else's `submit_job` (and
/// proposals, commitments, challenges) fail. Now due phases queue up: at most
/// `MaxJobsPerBlock` end per block, in order, and every one ends.
#[test]
fn a_flood_of_phases_due_at_once_is_worked_off_and_no_call_fails() {
	run_test(|| {
		let model = plain_model();
		register_workers(model, &[ALICE]);
		let jobs: Vec<u64> = (0..70).map(|_| submit(model, Tier::Optimistic, b"hi")).collect();
		for job in &jobs {
			assert_ok!(Jobs::propose_result(origin(ALICE), *job, output(b"o")));
		}
		// All 70 windows end at block 4; 4 (`MaxJobsPerBlock`) end per block, oldest first.
		let window_end = 1 + CHALLENGE_PERIOD;
		run_to_block_checked(window_end);
		assert_eq!(jobs.iter().filter(|j| !JobsStorage::<Test>::contains_key(*j)).count(), 4);
		let last = window_end + 70u64.div_ceil(4) - 1;
		run_to_block_checked(last - 1);
		assert_eq!(JobsStorage::<Test>::iter().count(), 2);
		run_to_block_checked(last);
		assert_eq!(JobsStorage::<Test>::iter().count(), 0);
		let alice = WorkersStorage::<Test>::get(ALICE).unwrap();
		assert_eq!((alice.completed, alice.active_jobs), (70, 0));
		assert_eq!(escrowed(REQUESTER), 0);
	});
}

/// Attack 4: the shared pending queue was free to fill: jobs of a free model, cancelled
/// before they expired, cost nothing and kept everyone else out. Every job now pays at least
/// `MinJobFee`, kept when it is cancelled or expires unassigned.
#[test]
fn filling_the_pending_queue_costs_a_fee_per_slot_even_on_a_free_model() {
	run_test(|| {
		let model = plain_model();
		assert_ok!(Models::update_price(origin(OWNER), model, 0));
		let (requester_before, pot_before) = (free(REQUESTER), free(POT));
		let jobs: Vec<u64> = (0..3).map(|_| submit(model, Tier::Redundancy { replicas: 2 }, b"a")).collect();
		assert_eq!(escrowed(REQUESTER), 3 * MIN_FEE);
		assert_noop!(
			submit_with(model, b"a", Tier::Redundancy { replicas: 2 }, DEADLINE),
			Error::<Test>::PendingQueueFull
		);
		for job in jobs {
			assert_ok!(Jobs::cancel_job(origin(REQUESTER), job));
		}
		assert_eq!(free(REQUESTER), requester_before - 3 * MIN_FEE);
		assert_eq!(free(POT), pot_before + 3 * MIN_FEE);
	});
}

/// Attack 6: a model owner that emptied (reaped) its account made every completion of its
/// model's jobs fail (a royalty below the existential deposit cannot be paid to it), so valid
/// results were refused, retried forever, and in the end their workers slashed. Since models
/// keep a tombstone deposit, an owner cannot be reaped while its record exists; the test sets
/// that deposit to 0 to show that completion would not depend on the owner's account anyway.
#[test]
fn a_reaped_model_owner_does_not_block_completion() {
	run_test(|| {
		TombstoneDeposit::set(0);
		let model = plain_model();
		register_workers(model, &[ALICE]);
		let job = submit(model, Tier::Optimistic, b"x");
		assert_ok!(Models::retire_model(origin(OWNER), model));
		assert_ok!(Balances::transfer_all(origin(OWNER), EVE, false));
		assert!(!frame_system::Account::<Test>::contains_key(OWNER), "the owner is reaped");
		assert!(ROYALTY < EXISTENTIAL_DEPOSIT);
		let requester_before = free(REQUESTER);

		assert_ok!(Jobs::propose_result(origin(ALICE), job, output(b"out")));
		run_to_block(1 + CHALLENGE_PERIOD);
		// The royalty stays with the requester; the worker and the fee are paid as usual.
		System::assert_last_event(
			Event::JobCompleted {
				job,
				output: output(b"out"),
				workers: vec![ALICE],
				worker_payment: PRICE - ROYALTY,
				royalty: 0,
				fee: FEE,
				refund: 3 * PRICE + ROYALTY,
			}
			.into(),
		);
		assert_eq!(free(REQUESTER), requester_before + 3 * PRICE + ROYALTY);
		assert_eq!(free(OWNER), 0);
		assert_eq!(WorkersStorage::<Test>::get(ALICE).unwrap().completed, 1);
	});
}

/// Attack 9: on floating-point outputs (an embedding quantized to signed bytes) providers
/// with other SIMD kernels, or a GPU, round a few values the other way; exact agreement then
/// left honest workers without a majority, or slashed an honest minority. An embedding model
/// states its tolerance; outputs within it agree, an outlier beyond it is slashed.
#[test]
fn embedding_outputs_within_the_models_tolerance_agree_and_the_outlier_is_slashed() {
	run_test(|| {
		let tolerant = register_model_with(ModelKind::Embedding, None, 8, 8, 1, 1);
		register_workers(tolerant, &[ALICE, BOB, CHARLIE]);
		// Bob's kernels round two values the other way (-1 = 0xff); Charlie's output is off.
		let (a, b, c): (&[u8], &[u8], &[u8]) = (&[10, 0, 30], &[11, 0xff, 29], &[10, 5, 30]);
		let job = submit(tolerant, Tier::Redundancy { replicas: 3 }, b"x");
		commit_and_reveal(job, &[(ALICE, a), (BOB, b), (CHARLIE, c)]);
		System::assert_last_event(
			Event::JobCompleted {
				job,
				output: output(a),
				workers: vec![ALICE, BOB],
				worker_payment: PRICE - ROYALTY,
				royalty: 2 * ROYALTY,
				fee: 3 * FEE,
				refund: PRICE,
			}
			.into(),
		);
		assert_eq!((bond(ALICE), bond(BOB), bond(CHARLIE)), (MIN_BOND, MIN_BOND, MIN_BOND - SLASH));

		// The same reveals on an exact model: no two agree, nobody wins.
		let exact = register_model_with(ModelKind::Embedding, None, 8, 8, 1, 0);
		register_workers(exact, &[DAVE, EVE, OWNER]);
		let job = submit(exact, Tier::Redundancy { replicas: 3 }, b"x");
		let workers = assigned(job);
		commit_and_reveal(job, &[(workers[0], a), (workers[1], b), (workers[2], c)]);
		System::assert_last_event(
			Event::JobRefunded { job, reason: RefundReason::NoMajority, amount: 3 * PRICE + 3 * FEE, fee: 0 }.into(),
		);
	});
}

/// Attack 10: providers scanned every job each block. The jobs pallet now keeps each worker's
/// open jobs in `WorkerJobs` (an optimistic proposer keeps its job until the window closes).
#[test]
fn a_workers_open_jobs_are_indexed_for_its_provider() {
	run_test(|| {
		let model = plain_model();
		register_workers(model, &[ALICE, BOB]);
		let redundancy = submit(model, Tier::Redundancy { replicas: 2 }, b"a");
		let optimistic = submit(model, Tier::Optimistic, b"b");
		let proposer = assigned(optimistic)[0];
		for worker in [ALICE, BOB] {
			let mut jobs: Vec<u64> = WorkerJobs::<Test>::iter_key_prefix(worker).collect();
			jobs.sort();
			let expected: Vec<u64> =
				if worker == proposer { vec![redundancy, optimistic] } else { vec![redundancy] };
			assert_eq!(jobs, expected);
		}
		assert_ok!(Jobs::propose_result(origin(proposer), optimistic, output(b"o")));
		assert!(WorkerJobs::<Test>::contains_key(proposer, optimistic));
		run_to_block(1 + CHALLENGE_PERIOD);
		assert!(!WorkerJobs::<Test>::contains_key(proposer, optimistic));
		assert!(WorkerJobs::<Test>::contains_key(ALICE, redundancy));
	});
}
