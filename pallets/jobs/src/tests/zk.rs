//! zk tier: exact payments after a valid proof, rejected proofs, missed deadlines.

use super::*;

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
		let post = Jobs::submit_result(origin(ALICE), job, output(&out), test_circuit::prove(&pk, &INPUT, &out)).unwrap();

		System::assert_last_event(zk_completed(job, &out));
		// Charged: the verification and what the completion hook used, not its worst case.
		assert_eq!(post.actual_weight, Some(<() as crate::WeightInfo>::submit_result() + HOOK_USED));
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
		let post = Jobs::submit_result(origin(ALICE), job, output(&lie), test_circuit::prove(&pk, &INPUT, &lie)).unwrap();
		assert_eq!(post.actual_weight, Some(<() as crate::WeightInfo>::submit_result()), "no hook ran");
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
		System::assert_last_event(Event::JobRefunded { job, reason: RefundReason::NoResult, amount: PRICE + FEE, fee: 0 }.into());
		assert_eq!((free(REQUESTER), escrowed(REQUESTER)), (requester_before, 0));
		assert_eq!(bond(ALICE), MIN_BOND - SLASH);
		assert!(!JobsStorage::<Test>::contains_key(job));
	});
}
