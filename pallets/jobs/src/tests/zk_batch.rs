//! zk results in batches (`submit_results`): one pairing check pays every job of a batch of
//! several models; a false proof in a batch is found, rejected and charged to its worker alone
//! while the others are paid; results that fail their checks (another worker's job, a finished
//! or repeated one) are skipped without touching their jobs; the fee follows the work done.

use super::*;
use crate::ZkResult;
use frame_support::{
	dispatch::{GetDispatchInfo, PostDispatchInfo},
	weights::Weight,
};
use pallet_zk_verifier::Verifier;

/// A second zk model of the byte-sum circuit under a key of its own; returns it and its
/// proving key.
fn second_zk_model() -> (u32, ProvingKey<Bn254>) {
	let (pk, vk) = test_circuit::setup_with_seed(43);
	let key = pallet_zk_verifier::register_for::<Test>(OWNER, vk).unwrap();
	let model = register_model(ModelKind::Classifier, Some(key), test_circuit::INPUT_LEN as u32, test_circuit::OUTPUT_LEN as u32);
	(model, pk)
}

/// `worker`'s result for `job`: the true byte sum of its input, or (`lie`) a changed one,
/// each with the proof made for it under `pk`.
fn result(job: u64, pk: &ProvingKey<Bn254>, data: &[u8], lie: bool) -> ZkResult<BoundedVec<u8, frame_support::traits::ConstU32<40>>> {
	let honest = test_circuit::byte_sum(data);
	let claimed = if lie { vec![honest[0].wrapping_add(1), honest[1]] } else { honest };
	ZkResult { job, output: output(&claimed), proof: test_circuit::prove(pk, data, &claimed) }
}

fn batch(results: Vec<ZkResult<BoundedVec<u8, frame_support::traits::ConstU32<40>>>>) -> BoundedVec<ZkResult<BoundedVec<u8, frame_support::traits::ConstU32<40>>>, frame_support::traits::ConstU32<8>> {
	results.try_into().unwrap()
}

/// The weight charged for the call, after its refund.
fn charged(call: &crate::Call<Test>, post: PostDispatchInfo) -> frame_support::weights::Weight {
	post.calc_actual_weight(&call.get_dispatch_info())
}

const DATA: [[u8; 4]; 3] = [[1, 2, 3, 4], [200, 100, 7, 0], [9, 9, 9, 9]];

#[test]
fn a_batch_of_valid_results_of_two_models_pays_every_job_exactly() {
	run_test(|| {
		let (first, pk1) = zk_model();
		let (second, pk2) = second_zk_model();
		assert_ok!(Workers::register_worker(
			origin(ALICE),
			MIN_BOND,
			Capabilities { cpu_cores: 2, memory_mb: 1024, gpu: None },
			vec![first, second].try_into().unwrap(),
		));
		let jobs = [submit(first, Tier::Zk, &DATA[0]), submit(second, Tier::Zk, &DATA[1]), submit(first, Tier::Zk, &DATA[2])];
		let (alice, owner, pot, requester) = (free(ALICE), free(OWNER), free(POT), free(REQUESTER));
		let results = vec![
			result(jobs[0], &pk1, &DATA[0], false),
			result(jobs[1], &pk2, &DATA[1], false),
			result(jobs[2], &pk1, &DATA[2], false),
		];

		let call = crate::Call::<Test>::submit_results { results: batch(results.clone()) };
		let post = Jobs::submit_results(origin(ALICE), batch(results.clone())).unwrap();

		for (job, r) in jobs.iter().zip(&results) {
			System::assert_has_event(zk_completed(*job, &r.output));
			assert!(!JobsStorage::<Test>::contains_key(job));
		}
		assert_eq!(free(ALICE), alice + 3 * (PRICE - ROYALTY));
		assert_eq!(free(OWNER), owner + 3 * ROYALTY);
		assert_eq!(free(POT), pot + 3 * FEE);
		assert_eq!((free(REQUESTER), escrowed(REQUESTER)), (requester, 0));
		let worker = WorkersStorage::<Test>::get(ALICE).unwrap();
		assert_eq!((worker.completed, worker.failed, worker.active_jobs), (3, 0, 0));
		// Charged: three results under two keys, no fallback, and what the three completion
		// hooks used; declared: the worst case.
		assert_eq!(charged(&call, post), Jobs::submit_results_weight(3, 2, HOOK_USED * 3));
		assert_eq!(call.get_dispatch_info().call_weight, Jobs::submit_results_max_weight(3));
		assert!(Jobs::submit_results_max_weight(3).all_gte(Jobs::submit_results_weight(3, 3, Weight::zero())));
	});
}

#[test]
fn one_false_proof_in_a_batch_is_found_rejected_and_charged_to_its_worker_alone() {
	run_test(|| {
		let (model, pk) = zk_model();
		register_workers(model, &[ALICE]);
		let jobs: Vec<u64> = DATA.iter().map(|data| submit(model, Tier::Zk, data)).collect();
		let (alice, requester_escrow) = (free(ALICE), escrowed(REQUESTER));
		let results = vec![
			result(jobs[0], &pk, &DATA[0], false),
			result(jobs[1], &pk, &DATA[1], true),
			result(jobs[2], &pk, &DATA[2], false),
		];
		let call = crate::Call::<Test>::submit_results { results: batch(results.clone()) };
		let post = Jobs::submit_results(origin(ALICE), batch(results)).unwrap();

		// The two valid results are paid; the lie is rejected and its job is still open.
		assert!(!JobsStorage::<Test>::contains_key(jobs[0]) && !JobsStorage::<Test>::contains_key(jobs[2]));
		System::assert_has_event(
			Event::ResultRejected { job: jobs[1], worker: ALICE, reason: VerifyError::Invalid(aichain_zk::Error::ProofRejected) }
				.into(),
		);
		assert_eq!(JobsStorage::<Test>::get(jobs[1]).unwrap().status, JobStatus::Assigned);
		assert_eq!(free(ALICE), alice + 2 * (PRICE - ROYALTY));
		assert_eq!(escrowed(REQUESTER), requester_escrow - 2 * (PRICE + FEE));
		let worker = WorkersStorage::<Test>::get(ALICE).unwrap();
		assert_eq!((worker.completed, worker.failed, worker.active_jobs), (2, 1, 1));
		// The fee covers the three proofs verified again, one by one, and the two jobs' hooks.
		let fallback = <ZkVerifier as Verifier>::verify_weight(aichain_compute::zk_public_input_count(4, 2) as u32) * 3;
		assert_eq!(charged(&call, post), Jobs::submit_results_weight(3, 1, fallback + HOOK_USED * 2));

		// Alice may still prove the job honestly before its deadline.
		assert_ok!(Jobs::submit_results(origin(ALICE), batch(vec![result(jobs[1], &pk, &DATA[1], false)])));
		assert!(!JobsStorage::<Test>::contains_key(jobs[1]));
		assert_eq!(free(ALICE), alice + 3 * (PRICE - ROYALTY));
	});
}

#[test]
fn another_workers_job_a_finished_job_and_a_repeated_result_are_skipped_and_change_nothing() {
	run_test(|| {
		let (model, pk) = zk_model();
		register_workers(model, &[ALICE]);
		let alices = submit(model, Tier::Zk, &DATA[0]);
		let done = submit(model, Tier::Zk, &DATA[1]);
		assert_ok!(Jobs::submit_result(origin(ALICE), done, output(&test_circuit::byte_sum(&DATA[1])), test_circuit::prove(&pk, &DATA[1], &test_circuit::byte_sum(&DATA[1]))));
		register_workers(model, &[BOB]);
		let bobs_data = [5, 1, 1, 1];
		let bobs = Jobs::do_submit_directed_job(REQUESTER, BOB, model, input(&bobs_data), u64::MAX, DEADLINE).unwrap();
		let (alice, bob) = (free(ALICE), free(BOB));
		let alice_failures = WorkersStorage::<Test>::get(ALICE).unwrap().failed;

		let results = vec![
			// Bob's valid result, copied from his transaction by Alice.
			result(bobs, &pk, &bobs_data, false),
			result(done, &pk, &DATA[1], false),
			result(999, &pk, &DATA[1], false),
			result(alices, &pk, &DATA[0], false),
			result(alices, &pk, &DATA[0], false),
		];
		assert_ok!(Jobs::submit_results(origin(ALICE), batch(results)));

		for (job, error) in [
			(bobs, Error::<Test>::NotAssignedWorker),
			(done, Error::<Test>::JobAlreadyFinished),
			(999, Error::<Test>::UnknownJob),
			(alices, Error::<Test>::DuplicateResult),
		] {
			System::assert_has_event(Event::ResultSkipped { job, worker: ALICE, error: error.into() }.into());
		}
		assert!(!JobsStorage::<Test>::contains_key(alices));
		assert_eq!(free(ALICE), alice + PRICE - ROYALTY, "paid once, for her own job only");
		assert_eq!(WorkersStorage::<Test>::get(ALICE).unwrap().failed, alice_failures);
		assert_eq!(assigned(bobs), vec![BOB]);
		assert_eq!(free(BOB), bob);
		assert_ok!(Jobs::submit_results(origin(BOB), batch(vec![result(bobs, &pk, &bobs_data, false)])));
		assert_eq!(free(BOB), bob + PRICE - ROYALTY);
	});
}

#[test]
fn an_empty_batch_is_refused_and_a_batch_of_only_skipped_results_pays_nothing() {
	run_test(|| {
		let (model, pk) = zk_model();
		register_workers(model, &[ALICE]);
		assert_noop!(Jobs::submit_results(origin(ALICE), batch(vec![])), Error::<Test>::NoResults);
		let alice = free(ALICE);
		let results = vec![result(7, &pk, &DATA[0], false)];
		let call = crate::Call::<Test>::submit_results { results: batch(results.clone()) };
		let post = Jobs::submit_results(origin(ALICE), batch(results)).unwrap();
		System::assert_last_event(
			Event::ResultSkipped { job: 7, worker: ALICE, error: Error::<Test>::UnknownJob.into() }.into(),
		);
		assert_eq!(free(ALICE), alice);
		assert_eq!(charged(&call, post), Jobs::submit_results_weight(1, 0, Weight::zero()));
	});
}
