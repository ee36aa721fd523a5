//! Submitting, queueing, cancelling, and every refused call.

use super::*;

#[test]
fn pending_jobs_wait_for_workers_or_are_cancelled() {
	run_test(|| {
		let model = plain_model();
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
			Event::JobRefunded { job: cancelled, reason: RefundReason::Cancelled, amount: 2 * PRICE, fee: 2 * FEE }
				.into(),
		);
		// The fee paid for the queue slot the job held.
		assert_eq!(free(REQUESTER), requester_before + 2 * PRICE);
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
		let model = plain_model();
		let requester_before = free(REQUESTER);
		let job = submit(model, Tier::Redundancy { replicas: 2 }, b"a");
		run_to_block(DEADLINE);
		assert!(JobsStorage::<Test>::contains_key(job));
		run_to_block(1 + DEADLINE);
		System::assert_last_event(
			Event::JobRefunded { job, reason: RefundReason::NotAssigned, amount: 2 * PRICE, fee: 2 * FEE }.into(),
		);
		// Nobody could answer it: the requester pays the fee, the price comes back.
		assert_eq!((free(REQUESTER), escrowed(REQUESTER)), (requester_before - 2 * FEE, 0));
		assert!(PendingJobs::<Test>::get().is_empty());
	});
}

#[test]
fn bad_submissions_get_their_own_errors_and_change_nothing() {
	run_test(|| {
		let (zk, _) = zk_model();
		let plain = plain_model();
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
		let plain = plain_model();
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
		assert_ok!(Jobs::commit_result(origin(CHARLIE), r_job, commitment_of(r_job, &CHARLIE, &[0; 9], &[3; 32])));
		assert_noop!(
			Jobs::reveal_result(origin(CHARLIE), r_job, output(&[0; 9]), [3; 32]),
			Error::<Test>::OutputTooLong
		);
		assert_noop!(Jobs::reveal_result(origin(ALICE), r_job, output(b"o"), [1; 32]), Error::<Test>::NotAssignedWorker);
		assert_noop!(Jobs::cancel_job(origin(REQUESTER), 77), Error::<Test>::UnknownJob);
	});
}
