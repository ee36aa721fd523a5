//! Redundancy tier: the majority is paid, dissenters and non-revealers are slashed.

use super::*;

#[test]
fn redundancy_majority_is_paid_and_the_dissenter_slashed() {
	run_test(|| {
		let model = plain_model();
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
		let model = plain_model();
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
			Event::JobRefunded { job, reason: RefundReason::NoMajority, amount: 3 * PRICE + 3 * FEE, fee: 0 }.into(),
		);
		assert_eq!(free(REQUESTER), requester_before);
		assert_eq!((bond(ALICE), bond(BOB), bond(CHARLIE)), (MIN_BOND, MIN_BOND, MIN_BOND - SLASH));
		assert_eq!((jobs_held(ALICE), jobs_held(BOB), jobs_held(CHARLIE)), (0, 0, 0));
	});
}

#[test]
fn redundancy_non_committer_is_replaced_at_the_commit_deadline() {
	run_test(|| {
		let model = plain_model();
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
