//! Directed jobs (`DirectedJobSubmitter`): a zk job for one named worker, never given to another.

use super::*;
use crate::DirectedJobSubmitter;

fn submit_directed(worker: u64, model: u32, data: &[u8]) -> Result<u64, sp_runtime::DispatchError> {
	<Jobs as DirectedJobSubmitter<_, _, _>>::submit_directed_job(REQUESTER, worker, model, data.to_vec(), u64::MAX, DEADLINE)
}

#[test]
fn a_directed_job_goes_to_its_worker_and_is_paid_as_any_zk_job() {
	run_test(|| {
		let (model, pk) = zk_model();
		register_workers(model, &[ALICE, BOB, CHARLIE]);
		let (requester_before, charlie_before) = (free(REQUESTER), free(CHARLIE));
		// Whatever the draw would pick, every directed job is Charlie's.
		for _ in 0..4 {
			let job = submit_directed(CHARLIE, model, &INPUT).unwrap();
			assert_eq!(assigned(job), vec![CHARLIE]);
			System::assert_last_event(Event::JobAssigned { job, workers: vec![CHARLIE], deadline: 1 + DEADLINE }.into());
			let out = test_circuit::byte_sum(&INPUT);
			assert_ok!(Jobs::submit_result(origin(CHARLIE), job, output(&out), test_circuit::prove(&pk, &INPUT, &out)));
			assert!(!JobsStorage::<Test>::contains_key(job));
		}
		assert_eq!(free(REQUESTER), requester_before - 4 * (PRICE + FEE));
		assert_eq!(free(CHARLIE), charlie_before + 4 * (PRICE - ROYALTY));
		assert_eq!((jobs_held(ALICE), jobs_held(BOB), jobs_held(CHARLIE)), (0, 0, 0));
	});
}

#[test]
fn a_declined_directed_job_is_refunded_not_given_to_another_worker() {
	run_test(|| {
		let (model, _) = zk_model();
		register_workers(model, &[ALICE, BOB]);
		let job = submit_directed(BOB, model, &INPUT).unwrap();
		assert_ok!(Jobs::decline_job(origin(BOB), job));
		System::assert_last_event(Event::JobRefunded { job, reason: RefundReason::Declined, amount: PRICE, fee: FEE }.into());
		assert!(!JobsStorage::<Test>::contains_key(job));
		assert_eq!((jobs_held(ALICE), jobs_held(BOB), bond(BOB)), (0, 0, MIN_BOND));
	});
}

#[test]
fn a_directed_worker_that_misses_the_deadline_is_slashed_and_the_job_refunded() {
	run_test(|| {
		let (model, _) = zk_model();
		register_workers(model, &[ALICE, BOB]);
		let requester_before = free(REQUESTER);
		let job = submit_directed(ALICE, model, &INPUT).unwrap();
		run_to_block(1 + DEADLINE);
		System::assert_last_event(Event::JobRefunded { job, reason: RefundReason::NoResult, amount: PRICE + FEE, fee: 0 }.into());
		assert_eq!((free(REQUESTER), escrowed(REQUESTER)), (requester_before, 0));
		assert_eq!(bond(ALICE), MIN_BOND - SLASH);
		assert_eq!((bond(BOB), jobs_held(BOB)), (MIN_BOND, 0), "Bob was never given the job");
		assert!(!JobsStorage::<Test>::contains_key(job));
	});
}

#[test]
fn a_directed_job_for_a_worker_that_cannot_take_it_is_refused_and_changes_nothing() {
	run_test(|| {
		let (model, _) = zk_model();
		let other = plain_model();
		register_workers(model, &[ALICE, REQUESTER]);
		register_workers(other, &[BOB]);
		// Serving another model, not a worker, the requester itself.
		for worker in [BOB, DAVE, REQUESTER] {
			assert_noop!(submit_directed(worker, model, &INPUT), Error::<Test>::DirectedWorkerUnavailable);
		}
		// The checks of `submit_job` come first.
		assert_noop!(submit_directed(ALICE, model, &INPUT[..3]), Error::<Test>::InputLengthMismatch);
		assert_noop!(submit_directed(ALICE, other, b"text"), Error::<Test>::ModelNotProvable);
		// Nor can a worker that is leaving.
		assert_ok!(Workers::unbond(origin(ALICE)));
		assert_noop!(submit_directed(ALICE, model, &INPUT), Error::<Test>::DirectedWorkerUnavailable);
	});
}

#[test]
fn a_directed_worker_with_a_rejected_proof_is_slashed_at_the_deadline_and_a_retired_model_slashes_nobody() {
	run_test(|| {
		let (model, pk) = zk_model();
		register_workers(model, &[ALICE, BOB]);
		// A proof of a wrong output is rejected; the worker stays assigned and then misses the
		// deadline: slashed, and the job refunded without going to Bob.
		let job = submit_directed(ALICE, model, &INPUT).unwrap();
		let honest = test_circuit::byte_sum(&INPUT);
		let lie = vec![honest[0] ^ 1, honest[1]];
		assert_ok!(Jobs::submit_result(origin(ALICE), job, output(&lie), test_circuit::prove(&pk, &INPUT, &lie)));
		run_to_block(1 + DEADLINE);
		System::assert_last_event(Event::JobRefunded { job, reason: RefundReason::NoResult, amount: PRICE + FEE, fee: 0 }.into());
		assert_eq!((bond(ALICE), bond(BOB), jobs_held(BOB)), (MIN_BOND - SLASH, MIN_BOND, 0));

		// The model retires while Bob holds a directed job: the chain's failure, nobody slashed.
		let job = submit_directed(BOB, model, &INPUT).unwrap();
		assert_ok!(Models::retire_model(origin(OWNER), model));
		run_to_block(2 + 2 * DEADLINE);
		System::assert_has_event(Event::JobRefunded { job, reason: RefundReason::ModelUnavailable, amount: PRICE + FEE, fee: 0 }.into());
		assert_eq!((bond(BOB), jobs_held(BOB)), (MIN_BOND, 0));
	});
}

#[test]
fn a_private_training_members_model_takes_only_directed_jobs() {
	run_test(|| {
		let key = pallet_zk_verifier::register_for::<Test>(OWNER, test_circuit::setup().1).unwrap();
		let member_model = register_model(
			ModelKind::PrivateTrainingMember,
			Some(key),
			test_circuit::INPUT_LEN as u32,
			test_circuit::OUTPUT_LEN as u32,
		);
		register_workers(member_model, &[ALICE, BOB]);
		// A stranger may not make a member answer an input (and a nonce) of its choosing.
		assert_noop!(
			Jobs::submit_job(origin(REQUESTER), member_model, input(&INPUT), Tier::Zk, u64::MAX, DEADLINE),
			Error::<Test>::DirectedJobsOnly
		);
		assert_noop!(
			Jobs::submit_job(origin(REQUESTER), member_model, input(&INPUT), Tier::Redundancy { replicas: 2 }, u64::MAX, DEADLINE),
			Error::<Test>::DirectedJobsOnly
		);
		// Its consortium's directed jobs are posted and paid as usual.
		let job = submit_directed(BOB, member_model, &INPUT).unwrap();
		assert_eq!(assigned(job), vec![BOB]);
	});
}
