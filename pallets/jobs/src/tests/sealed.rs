//! Sealed jobs: the key commitment, keys sent to exactly the assigned workers, the working
//! phase restarting when the last key arrives, a requester who never sends the keys paying
//! for it, a worker without a published key treated as a no-show, and sealed outputs agreed
//! on byte for byte with no sketch.

use super::{blob_output::*, *};
use crate::{RefundReason, SealedJobs, SealedKey, Sketches};
use pallet_workers::WorkerRegistry;

const COMMITMENT: [u8; 32] = [0xc0; 32];

/// Sealed bytes as a worker would reveal them: opaque to the chain (not a row output).
fn sealed_output(tag: u8) -> Vec<u8> {
	(0..60u8).map(|i| i.wrapping_mul(37) ^ tag).collect()
}

fn key_for(worker: u64) -> SealedKey {
	[worker as u8; 80]
}

fn keys(workers: &[u64]) -> BoundedVec<(u64, SealedKey), frame_support::traits::ConstU32<5>> {
	workers.iter().map(|w| (*w, key_for(*w))).collect::<Vec<_>>().try_into().unwrap()
}

/// The workers publish encryption keys; a sealed redundancy job of `replicas` is submitted.
fn sealed_job(workers: &[u64], replicas: u8) -> (u32, u64) {
	let (model, document) = blob_output_market(workers);
	for worker in workers {
		assert_ok!(Workers::set_encryption_key(origin(*worker), [*worker as u8; 32]));
	}
	let job = crate::NextJobId::<Test>::get();
	let tier = Tier::Redundancy { replicas };
	assert_ok!(Jobs::submit_sealed_job(origin(REQUESTER), model, document, tier, u64::MAX, DEADLINE, COMMITMENT));
	(model, job)
}

#[test]
fn a_sealed_job_records_its_key_commitment_and_only_blob_output_models_take_one() {
	run_test(|| {
		let (_, job) = sealed_job(&[ALICE, BOB], 2);
		System::assert_has_event(Event::JobSealed { job, key_commitment: COMMITMENT }.into());
		assert_eq!(SealedJobs::<Test>::get(job).map(|s| (s.key_commitment, s.keys.len())), Some((COMMITMENT, 0)));
		// A model answering inline would put the output on chain in plaintext.
		let inline = plain_model();
		let limits = pallet_models::BlobLimits { max_input_len: 1024, max_output_len: 0, output_row_len: 0, sketch_tolerance: 0 };
		assert_ok!(Models::set_blob_limits(origin(OWNER), inline, Some(limits)));
		System::set_block_number(2);
		let document = store_blob(REQUESTER, b"another document");
		let tier = Tier::Redundancy { replicas: 2 };
		assert_noop!(
			Jobs::submit_sealed_job(origin(REQUESTER), inline, document, tier, u64::MAX, DEADLINE, COMMITMENT),
			Error::<Test>::SealedNeedsBlobOutput
		);
	});
}

#[test]
fn keys_go_to_assigned_workers_once_and_the_last_one_restarts_the_phase() {
	run_test(|| {
		let (model, job) = sealed_job(&[ALICE, BOB, CHARLIE], 2);
		let workers = assigned(job);
		let outsider = [ALICE, BOB, CHARLIE].into_iter().find(|w| !workers.contains(w)).unwrap();
		System::set_block_number(3);
		assert_noop!(Jobs::post_job_keys(origin(ALICE), job, keys(&workers)), Error::<Test>::NotRequester);
		assert_noop!(Jobs::post_job_keys(origin(REQUESTER), job, keys(&[])), Error::<Test>::NoKeys);
		assert_noop!(Jobs::post_job_keys(origin(REQUESTER), job, keys(&[outsider])), Error::<Test>::KeyForUnassignedWorker);
		assert_noop!(
			Jobs::post_job_keys(origin(REQUESTER), job, keys(&[workers[0], workers[0]])),
			Error::<Test>::KeyAlreadyPosted
		);
		assert_noop!(Jobs::post_job_keys(origin(REQUESTER), 99, keys(&workers)), Error::<Test>::UnknownJob);
		// An unsealed job takes no keys.
		let document = store_blob(REQUESTER, b"plain document");
		let plain = crate::NextJobId::<Test>::get();
		assert_ok!(Jobs::submit_blob_job(origin(REQUESTER), model, document, Tier::Redundancy { replicas: 2 }, u64::MAX, DEADLINE));
		assert_noop!(Jobs::post_job_keys(origin(REQUESTER), plain, keys(&assigned(plain))), Error::<Test>::NotSealedJob);

		let first_deadline = JobsStorage::<Test>::get(job).unwrap().deadline;
		assert_ok!(Jobs::post_job_keys(origin(REQUESTER), job, keys(&workers[..1])));
		System::assert_last_event(Event::JobKeysPosted { job, workers: workers[..1].to_vec(), deadline: None }.into());
		assert_eq!(JobsStorage::<Test>::get(job).unwrap().deadline, first_deadline, "still waiting for a key");
		assert_noop!(Jobs::post_job_keys(origin(REQUESTER), job, keys(&workers[..1])), Error::<Test>::KeyAlreadyPosted);
		assert_ok!(Jobs::post_job_keys(origin(REQUESTER), job, keys(&workers[1..])));
		System::assert_last_event(
			Event::JobKeysPosted { job, workers: workers[1..].to_vec(), deadline: Some(3 + DEADLINE) }.into(),
		);
		assert_eq!(JobsStorage::<Test>::get(job).unwrap().deadline, 3 + DEADLINE);
		let sealed = SealedJobs::<Test>::get(job).unwrap();
		for worker in &workers {
			assert_eq!(sealed.key_of(worker), Some(&key_for(*worker)));
		}
		// Once every worker committed, keys are no longer taken.
		for worker in &workers {
			commit_blob(job, *worker, &sealed_output(0));
		}
		assert_noop!(Jobs::post_job_keys(origin(REQUESTER), job, keys(&[outsider])), Error::<Test>::WrongPhase);
	});
}

#[test]
fn identical_sealed_outputs_complete_the_job_byte_for_byte_without_a_sketch() {
	run_test(|| {
		let (_, job) = sealed_job(&[ALICE, BOB, CHARLIE], 3);
		let workers = assigned(job);
		assert_ok!(Jobs::post_job_keys(origin(REQUESTER), job, keys(&workers)));
		let (requester, treasury) = (free(REQUESTER), free(TREASURY));
		// Two honest replicas seal the same plaintext to the same bytes; the third differs.
		let cheat = workers[2];
		let bond_before = bond(cheat);
		let outputs = [(workers[0], sealed_output(0)), (workers[1], sealed_output(0)), (cheat, sealed_output(1))];
		commit_then_reveal(job, &outputs);
		assert!(!JobsStorage::<Test>::contains_key(job));
		System::assert_has_event(Event::WorkerSlashed { job, worker: cheat, amount: SLASH }.into());
		assert_eq!(bond(cheat), bond_before - SLASH);
		assert_eq!(Sketches::<Test>::iter().count(), 0, "the chain never sketched the sealed bytes");
		assert!(!SealedJobs::<Test>::contains_key(job));
		// Each distinct sealed output stored once as the requester's blob, paid from escrow.
		let stored_fees: u64 = [&outputs[0].1, &outputs[2].1].iter().map(|d| 10 + d.len() as u64).sum();
		assert_eq!(free(TREASURY), treasury + stored_fees + SLASH);
		let completed = System::events().into_iter().find_map(|r| match r.event {
			RuntimeEvent::Jobs(Event::JobCompleted { output, .. }) => Some(output.into_inner()),
			_ => None,
		});
		assert_eq!(completed, Some(descriptor(&outputs[0].1)));
		// Two prices paid, the third refunded with the unused storage reserve.
		assert_eq!(free(REQUESTER), requester + PRICE + 3 * STORAGE_FEE - stored_fees);
	});
}

#[test]
fn a_requester_who_never_sends_the_keys_pays_the_fee_and_no_worker_is_slashed() {
	run_test(|| {
		let (_, job) = sealed_job(&[ALICE, BOB], 2);
		let workers = assigned(job);
		let requester = free(REQUESTER) + escrowed(REQUESTER);
		let bonds: Vec<u64> = workers.iter().map(|w| bond(*w)).collect();
		assert_ok!(Jobs::post_job_keys(origin(REQUESTER), job, keys(&workers[..1])));
		let deadline = JobsStorage::<Test>::get(job).unwrap().deadline;
		run_to_block(deadline);
		System::assert_has_event(
			Event::JobRefunded {
				job,
				reason: RefundReason::KeysNotPosted,
				amount: 2 * PRICE + 2 * STORAGE_FEE,
				fee: 2 * FEE,
			}
			.into(),
		);
		assert_eq!(workers.iter().map(|w| bond(*w)).collect::<Vec<_>>(), bonds);
		assert!(workers.iter().all(|w| jobs_held(*w) == 0));
		assert_eq!(free(REQUESTER), requester - 2 * FEE);
		assert!(!SealedJobs::<Test>::contains_key(job));
	});
}

#[test]
fn an_assigned_worker_without_a_published_key_is_a_no_show() {
	run_test(|| {
		let (_, job) = sealed_job(&[ALICE, BOB, CHARLIE], 2);
		let workers = assigned(job);
		// One assignee withdrew its key's use: a worker that never published one (its key
		// removed here by hand, as a worker registered without one).
		let keyless = workers[1];
		pallet_workers::EncryptionKeys::<Test>::remove(keyless);
		assert_eq!(Workers::encryption_key(&keyless), None);
		assert_ok!(Jobs::post_job_keys(origin(REQUESTER), job, keys(&workers[..1])));
		let bond_before = bond(keyless);
		commit_blob(job, workers[0], &sealed_output(0));
		let deadline = JobsStorage::<Test>::get(job).unwrap().deadline;
		run_to_block(deadline);
		// Not the requester's failure: the keyless worker is slashed and replaced.
		System::assert_has_event(Event::WorkerSlashed { job, worker: keyless, amount: SLASH }.into());
		assert_eq!(bond(keyless), bond_before - SLASH);
		let now_assigned = assigned(job);
		assert!(now_assigned.contains(&workers[0]) && !now_assigned.contains(&keyless) && now_assigned.len() == 2);
	});
}
