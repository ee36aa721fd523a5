//! Optimistic tier: unchallenged proposals, disputes overturning or upholding them.

use super::*;

/// Optimistic escrow: one price and the fee, plus three dispute prices in reserve.
const OPTIMISTIC_ESCROW: u64 = 4 * PRICE + FEE;

fn challenge_bond(who: u64) -> u64 {
	Balances::balance_on_hold(&HoldReason::ChallengeBond.into(), &who)
}

/// An optimistic job on a fresh keyless model with `workers` registered; returns the model,
/// the job and its proposer.
fn optimistic_job(workers: &[u64]) -> (u32, u64, u64) {
	let model = plain_model();
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
		assert_eq!(Deadlines::<Test>::iter_key_prefix(window_end).collect::<Vec<_>>(), vec![job]);
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
			Event::JobRefunded { job, reason: RefundReason::NoResult, amount: OPTIMISTIC_ESCROW, fee: 0 }.into(),
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
