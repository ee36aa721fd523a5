//! Rounds: the attempt's jobs and inputs, the masked sum, dropouts and retries, the budget.

use super::*;

/// Member `member`'s input in an attempt of `nonce` with these `active` members and parameters.
fn expected_input(member: usize, params: [i32; PARAMETERS], nonce: u64, active: &[usize]) -> Vec<u8> {
	let slots: Vec<([u8; 32], u8)> = (0..4)
		.filter(|p| *p != member)
		.map(|p| {
			if active.contains(&p) {
				(seed_of(member.min(p), member.max(p)), role_between(member, p))
			} else {
				([0; 32], ROLE_ABSENT)
			}
		})
		.collect();
	member_input(&params, nonce, &data_of(member), &slots)
}

#[test]
fn an_attempt_is_refused_until_everything_is_in_place_and_then_charged() {
	run_test(|| {
		let id = create();
		let start = |who| PrivateTraining::start_round(origin(who), id, PRICE, 5);
		assert_noop!(PrivateTraining::start_round(origin(OWNER), id + 1, PRICE, 5), Error::<Test>::UnknownConsortium);
		assert_noop!(start(OUTSIDER), Error::<Test>::NotOwner);
		// A deadline members could not meet would get them slashed as no-shows.
		assert_noop!(PrivateTraining::start_round(origin(OWNER), id, PRICE, MIN_TIMEOUT - 1), Error::<Test>::TimeoutTooShort);
		assert_noop!(start(OWNER), Error::<Test>::DataMissing);
		commit_all_data(id);
		assert_noop!(start(OWNER), Error::<Test>::SeedsMissing);
		commit_all_seeds(id);
		assert_noop!(start(OWNER), Error::<Test>::NoBudget);
		let one_attempt = NOISE.epsilon_micro(1, DELTA).unwrap();
		set_budget(id, one_attempt - 1);
		assert_noop!(start(OWNER), Error::<Test>::BudgetExhausted);
		set_budget(id, one_attempt);
		// The market refuses a job (the price): nothing is posted, nothing charged.
		assert_noop!(PrivateTraining::start_round(origin(OWNER), id, PRICE - 1, 5), sp_runtime::DispatchError::Other("PriceAboveMax"));
		// Or only the last member's, after three were posted: the whole attempt is undone.
		make_unavailable(HOSPITALS[3]);
		assert_noop!(start(OWNER), sp_runtime::DispatchError::Other("DirectedWorkerUnavailable"));
		clear_jobs();
		assert_ok!(start(OWNER));
		assert_eq!(Consortia::<Test>::get(id).unwrap().attempts_spent, 1);
		assert_noop!(start(OWNER), Error::<Test>::AttemptInProgress);
	});
}

#[test]
fn a_round_posts_one_directed_job_per_member_and_adds_the_masked_sum() {
	run_test(|| {
		let id = ready();
		assert_ok!(PrivateTraining::start_round(origin(OWNER), id, PRICE, 5));
		let nonce = PrivateTraining::nonce(id, 0);
		let jobs = attempt_jobs(id);
		assert_eq!(jobs.iter().map(|(_, m)| *m).collect::<Vec<_>>(), vec![0, 1, 2, 3]);
		for (job, member) in &jobs {
			assert_eq!(directed_to(*job), Some(HOSPITALS[*member as usize]), "the member's own worker");
			assert_eq!(submitted(*job).input, expected_input(*member as usize, [0; PARAMETERS], nonce, &[0, 1, 2, 3]));
			assert_eq!((submitted(*job).requester, submitted(*job).tier), (OWNER, aichain_compute::Tier::Zk));
		}
		let spent = NOISE.epsilon_micro(1, DELTA).unwrap();
		System::assert_last_event(
			Event::AttemptStarted {
				consortium: id,
				round: 0,
				attempt: 1,
				nonce,
				jobs: jobs.clone().try_into().unwrap(),
				epsilon_spent_micro: spent,
			}
			.into(),
		);
		let updates = [[3, -7, 250], [-1, 2, -256], [40, 0, 1], [-2, -2, -2]];
		for (job, member) in &jobs {
			let output = masked_output(*member as usize, updates[*member as usize], &[0, 1, 2, 3]);
			// No member's output shows its update.
			assert_ne!(&output[..4], &updates[*member as usize][0].to_le_bytes());
			complete(*job, &output);
		}
		let expected = parameters([40, -7, -7]);
		System::assert_last_event(Event::RoundCompleted { consortium: id, round: 0, parameters: expected.clone() }.into());
		let consortium = Consortia::<Test>::get(id).unwrap();
		assert_eq!((consortium.parameters, consortium.rounds_completed, consortium.attempt), (expected, 1, None));
		// The next round starts from the new parameters with a fresh nonce.
		assert_ok!(PrivateTraining::start_round(origin(OWNER), id, PRICE, 5));
		let (job, member) = attempt_jobs(id)[0];
		assert_eq!(submitted(job).input, expected_input(member as usize, [40, -7, -7], nonce + 1, &[0, 1, 2, 3]));
	});
}

#[test]
fn a_dropout_fails_the_attempt_and_the_retry_goes_on_without_it() {
	run_test(|| {
		let id = ready();
		assert_ok!(PrivateTraining::start_round(origin(OWNER), id, PRICE, 5));
		let jobs = attempt_jobs(id);
		complete(jobs[0].0, &masked_output(0, [1, 1, 1], &[0, 1, 2, 3]));
		refund(jobs[2].0);
		let no_result = AttemptFailure::Refunded(pallet_jobs::RefundReason::NoResult);
		System::assert_last_event(Event::AttemptFailed { consortium: id, round: 0, member: 2, failure: no_result, excluded: true }.into());
		// The other jobs' late outputs are ignored.
		complete(jobs[1].0, &masked_output(1, [1, 1, 1], &[0, 1, 2, 3]));
		let consortium = Consortia::<Test>::get(id).unwrap();
		assert_eq!((consortium.attempt, consortium.excluded.into_inner(), consortium.parameters.clone()), (None, vec![2], parameters([0; 3])));
		assert!(MemberJobs::<Test>::iter().next().is_none());

		// The retry: member 2 left out of the jobs and of the others' masks, with a fresh nonce.
		assert_ok!(PrivateTraining::start_round(origin(OWNER), id, PRICE, 5));
		let retry = attempt_jobs(id);
		assert_eq!(retry.iter().map(|(_, m)| *m).collect::<Vec<_>>(), vec![0, 1, 3]);
		let nonce = PrivateTraining::nonce(id, 1);
		for (job, member) in &retry {
			assert_eq!(submitted(*job).input, expected_input(*member as usize, [0; 3], nonce, &[0, 1, 3]));
		}
		for (job, member) in &retry {
			complete(*job, &masked_output(*member as usize, [10, 20, 30], &[0, 1, 3]));
		}
		let consortium = Consortia::<Test>::get(id).unwrap();
		assert_eq!(consortium.parameters, parameters([30, 60, 90]));
		assert_eq!((consortium.attempts_spent, consortium.rounds_completed, consortium.excluded.len()), (2, 1, 0));
		// The next round has every member again.
		assert_ok!(PrivateTraining::start_round(origin(OWNER), id, PRICE, 5));
		assert_eq!(attempt_jobs(id).len(), 4);
	});
}

#[test]
fn a_round_with_too_few_members_left_is_abandoned_and_restarts_with_all() {
	run_test(|| {
		let id = ready();
		assert_ok!(PrivateTraining::start_round(origin(OWNER), id, PRICE, 5));
		refund(attempt_jobs(id)[3].0);
		assert_ok!(PrivateTraining::start_round(origin(OWNER), id, PRICE, 5));
		assert_eq!(attempt_jobs(id).len(), 3);
		refund(attempt_jobs(id)[0].0);
		System::assert_last_event(Event::RoundAbandoned { consortium: id, round: 0 }.into());
		let consortium = Consortia::<Test>::get(id).unwrap();
		assert_eq!((consortium.excluded.len(), consortium.round_attempts, consortium.attempts_spent), (0, 0, 2));
		assert_ok!(PrivateTraining::start_round(origin(OWNER), id, PRICE, 5));
		assert_eq!(attempt_jobs(id).len(), 4);
	});
}

#[test]
fn failed_attempts_are_charged_to_the_budget_too() {
	run_test(|| {
		let id = ready();
		set_budget(id, NOISE.epsilon_micro(2, DELTA).unwrap());
		assert_ok!(PrivateTraining::start_round(origin(OWNER), id, PRICE, 5));
		refund(attempt_jobs(id)[1].0);
		assert_ok!(PrivateTraining::start_round(origin(OWNER), id, PRICE, 5));
		for (job, member) in attempt_jobs(id) {
			complete(job, &masked_output(member as usize, [1, 2, 3], &[0, 2, 3]));
		}
		assert_eq!(Consortia::<Test>::get(id).unwrap().rounds_completed, 1);
		assert_noop!(PrivateTraining::start_round(origin(OWNER), id, PRICE, 5), Error::<Test>::BudgetExhausted);
		// Governance may raise it: that is its decision, recorded in an event.
		set_budget(id, NOISE.epsilon_micro(3, DELTA).unwrap());
		assert_ok!(PrivateTraining::start_round(origin(OWNER), id, PRICE, 5));
	});
}

#[test]
fn an_output_of_the_wrong_size_and_unrelated_jobs_change_nothing() {
	run_test(|| {
		let id = ready();
		assert_ok!(PrivateTraining::start_round(origin(OWNER), id, PRICE, 5));
		let before = Consortia::<Test>::get(id).unwrap();
		let (job, _) = attempt_jobs(id)[0];
		let used = <PrivateTraining as pallet_jobs::OnJobCompleted<u64>>::on_job_completed(999, MEMBER_MODEL, &OWNER, &[0; 12]);
		assert_eq!(used, <<Test as frame_system::Config>::DbWeight as frame_support::traits::Get<frame_support::weights::RuntimeDbWeight>>::get().reads(1), "a lookup is all");
		<PrivateTraining as pallet_jobs::OnJobCompleted<u64>>::on_job_refunded(999, MEMBER_MODEL, &OWNER, pallet_jobs::RefundReason::NoResult);
		assert_eq!(Consortia::<Test>::get(id).unwrap(), before);
		// A wrong size cannot come from a verified member proof; if it did, the attempt fails
		// (it must end) and the member sits out the retry.
		let worst = <PrivateTraining as pallet_jobs::OnJobCompleted<u64>>::weight();
		assert!(worst.ref_time() > 0);
		assert_eq!(complete(job, &[0; 5]), worst, "a member's job is charged the worst case");
		System::assert_last_event(
			Event::AttemptFailed { consortium: id, round: 0, member: 0, failure: AttemptFailure::MalformedOutput, excluded: true }.into(),
		);
		let consortium = Consortia::<Test>::get(id).unwrap();
		assert_eq!((consortium.attempt, consortium.excluded.into_inner()), (None, vec![0]));
	});
}

#[test]
fn a_failure_that_is_the_chains_excludes_nobody_and_the_attempt_cap_ends_the_round() {
	run_test(|| {
		let id = ready();
		let retired = AttemptFailure::Refunded(pallet_jobs::RefundReason::ModelUnavailable);
		for attempt in 1..=3u32 {
			assert_ok!(PrivateTraining::start_round(origin(OWNER), id, PRICE, 5));
			assert_eq!(attempt_jobs(id).len(), 4, "attempt {attempt}: nobody was excluded");
			refund_for(attempt_jobs(id)[1].0, pallet_jobs::RefundReason::ModelUnavailable);
			System::assert_has_event(Event::AttemptFailed { consortium: id, round: 0, member: 1, failure: retired, excluded: false }.into());
		}
		System::assert_last_event(Event::RoundAbandoned { consortium: id, round: 0 }.into());
		let consortium = Consortia::<Test>::get(id).unwrap();
		assert_eq!((consortium.round_attempts, consortium.attempts_spent, consortium.excluded.len()), (0, 3, 0));
		// A member that declines is to blame, like one that misses its deadline.
		assert_ok!(PrivateTraining::start_round(origin(OWNER), id, PRICE, 5));
		refund_for(attempt_jobs(id)[0].0, pallet_jobs::RefundReason::Declined);
		assert_eq!(Consortia::<Test>::get(id).unwrap().excluded.into_inner(), vec![0]);
	});
}

#[test]
fn a_late_update_of_a_failed_attempt_does_not_count_in_the_retry() {
	run_test(|| {
		let id = ready();
		assert_ok!(PrivateTraining::start_round(origin(OWNER), id, PRICE, 5));
		let first = attempt_jobs(id);
		refund(first[3].0);
		assert_ok!(PrivateTraining::start_round(origin(OWNER), id, PRICE, 5));
		let retry = attempt_jobs(id);
		// The old attempt's jobs end during the retry: ignored.
		complete(first[0].0, &masked_output(0, [9, 9, 9], &[0, 1, 2, 3]));
		refund(first[1].0);
		assert_eq!(Consortia::<Test>::get(id).unwrap().attempt.unwrap().jobs.into_inner(), retry);
		for (job, member) in &retry {
			complete(*job, &masked_output(*member as usize, [1, 1, 1], &[0, 1, 2]));
		}
		assert_eq!(Consortia::<Test>::get(id).unwrap().parameters, parameters([3, 3, 3]));
	});
}
