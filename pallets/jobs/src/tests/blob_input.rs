//! Jobs whose input is a kept blob: escrow and lifecycle as for inline inputs, the reference
//! kept while the job is open and removed with it, and every refusal named and changing
//! nothing.

use super::*;
use crate::BlobInputs;
use aichain_compute::blob::BlobRef;
use pallet_models::BlobLimits;

/// 100 bytes of text, stored by the requester.
const DOCUMENT: [u8; 100] = [b'd'; 100];

/// Blob inputs of up to `max_input_len` bytes, outputs inline.
fn inputs_up_to(max_input_len: u64) -> BlobLimits {
	BlobLimits { max_input_len, max_output_len: 0, output_row_len: 0, sketch_tolerance: 0 }
}

/// A text model taking blob inputs of up to 1 KiB, with two workers; the document stored.
fn blob_market() -> (u32, [u8; 32]) {
	let model = plain_model();
	assert_ok!(Models::set_blob_limits(origin(OWNER), model, Some(inputs_up_to(1024))));
	register_workers(model, &[ALICE, BOB]);
	(model, store_blob(REQUESTER, &DOCUMENT))
}

fn submit_blob(model: u32, blob: [u8; 32], tier: Tier) -> sp_runtime::DispatchResult {
	Jobs::submit_blob_job(origin(REQUESTER), model, blob, tier, u64::MAX, DEADLINE)
}

#[test]
fn a_blob_job_is_escrowed_and_settled_like_an_inline_one_and_forgets_its_input() {
	run_test(|| {
		let (model, blob) = blob_market();
		let (requester, alice, pot) = (free(REQUESTER), free(ALICE), free(POT));
		assert_ok!(submit_blob(model, blob, Tier::Redundancy { replicas: 2 }));
		let input = BlobRef { hash: blob, size: 100 };
		System::assert_has_event(Event::BlobInputSet { job: 0, input }.into());
		assert_eq!(BlobInputs::<Test>::get(0), Some(input));
		assert!(JobsStorage::<Test>::get(0).unwrap().input.is_empty(), "no inline input");
		// Two prices and the 10% fee, exactly as for an inline job.
		assert_eq!(escrowed(REQUESTER), 2 * PRICE + 2 * FEE);
		assert_eq!(free(REQUESTER), requester - 2 * PRICE - 2 * FEE);
		let mut salts = vec![];
		for worker in assigned(0) {
			salts.push((worker, commit_and_keep(0, worker, b"vector")));
		}
		for (worker, salt) in salts {
			assert_ok!(Jobs::reveal_result(origin(worker), 0, output(b"vector"), salt));
		}
		assert!(!JobsStorage::<Test>::contains_key(0));
		assert_eq!(BlobInputs::<Test>::get(0), None, "removed with the job");
		assert_eq!(escrowed(REQUESTER), 0);
		assert_eq!(free(ALICE), alice + PRICE - ROYALTY);
		assert_eq!(free(POT), pot + 2 * FEE);
	});
}

#[test]
fn a_cancelled_blob_job_leaves_no_input_behind() {
	run_test(|| {
		let model = plain_model();
		assert_ok!(Models::set_blob_limits(origin(OWNER), model, Some(inputs_up_to(1024))));
		let blob = store_blob(REQUESTER, &DOCUMENT);
		// No workers: the job waits in the queue.
		assert_ok!(submit_blob(model, blob, Tier::Optimistic));
		assert!(BlobInputs::<Test>::contains_key(0));
		assert_ok!(Jobs::cancel_job(origin(REQUESTER), 0));
		assert_eq!(BlobInputs::<Test>::iter().count(), 0);
	});
}

#[test]
fn blob_jobs_are_refused_with_named_errors_and_change_nothing() {
	run_test(|| {
		let (model, blob) = blob_market();
		let redundancy = Tier::Redundancy { replicas: 2 };
		assert_noop!(submit_blob(model, blob, Tier::Zk), Error::<Test>::BlobNotProvable);
		assert_noop!(submit_blob(model, [7; 32], redundancy), Error::<Test>::UnknownInputBlob);
		let other = plain_model();
		assert_noop!(submit_blob(other, blob, redundancy), Error::<Test>::BlobInputsNotAccepted);
		assert_ok!(Models::set_blob_limits(origin(OWNER), other, Some(inputs_up_to(99))));
		assert_noop!(submit_blob(other, blob, redundancy), Error::<Test>::InputBlobTooLarge);
		let with_outputs = BlobLimits { max_output_len: 7 + 8, output_row_len: 8, ..inputs_up_to(1024) };
		assert_ok!(Models::set_blob_limits(origin(OWNER), other, Some(with_outputs)));
		assert_noop!(submit_blob(other, blob, Tier::Optimistic), Error::<Test>::BlobOutputNeedsRedundancy);
		assert_noop!(
			Jobs::submit_job(origin(REQUESTER), other, input(b"text"), redundancy, u64::MAX, DEADLINE),
			Error::<Test>::BlobOutputNeedsBlobInput
		);
		assert_noop!(
			Jobs::submit_blob_job(origin(REQUESTER), model, blob, redundancy, 2 * PRICE, DEADLINE),
			Error::<Test>::PriceAboveMax
		);
		assert_noop!(
			Jobs::submit_blob_job(origin(POOR), model, blob, redundancy, u64::MAX, DEADLINE),
			Error::<Test>::InsufficientBalance
		);
	});
}

#[test]
fn a_blob_that_may_expire_before_the_job_ends_is_refused_until_renewed() {
	run_test(|| {
		let (model, blob) = blob_market();
		let expires_at = 1 + BLOB_RETENTION;
		let longest = Jobs::longest_life(DEADLINE);
		assert_eq!(longest, (1 + 4) * DEADLINE + CHALLENGE_PERIOD);
		System::set_block_number(expires_at - longest + 1);
		assert_noop!(submit_blob(model, blob, Tier::Optimistic), Error::<Test>::InputBlobExpiresTooSoon);
		// Kept for exactly the job's longest life: accepted.
		System::set_block_number(expires_at - longest);
		assert_ok!(submit_blob(model, blob, Tier::Optimistic));
		// Renewed, it can be used again later.
		System::set_block_number(expires_at - 1);
		assert_ok!(Blobs::renew(origin(BOB), blob));
		assert_ok!(submit_blob(model, blob, Tier::Optimistic));
	});
}

#[test]
fn the_model_owner_cannot_strand_a_blob_job_or_its_workers() {
	run_test(|| {
		let (model, blob) = blob_market();
		assert_ok!(submit_blob(model, blob, Tier::Redundancy { replicas: 2 }));
		// Removing the limits after submission does not stop the job: it completes.
		assert_ok!(Models::set_blob_limits(origin(OWNER), model, None));
		let salts: Vec<_> = assigned(0).into_iter().map(|w| (w, commit_and_keep(0, w, b"vector"))).collect();
		for (worker, salt) in salts {
			assert_ok!(Jobs::reveal_result(origin(worker), 0, output(b"vector"), salt));
		}
		assert!(!JobsStorage::<Test>::contains_key(0));
		// Retiring the model while the next blob job runs: refunded in full at the deadline,
		// nobody slashed, its input forgotten.
		assert_ok!(Models::set_blob_limits(origin(OWNER), model, Some(inputs_up_to(1024))));
		assert_ok!(submit_blob(model, blob, Tier::Redundancy { replicas: 2 }));
		let bonds = (bond(ALICE), bond(BOB));
		assert_ok!(Models::retire_model(origin(OWNER), model));
		run_to_block(1 + DEADLINE);
		System::assert_last_event(
			Event::JobRefunded { job: 1, reason: RefundReason::ModelUnavailable, amount: 2 * PRICE + 2 * FEE, fee: 0 }.into(),
		);
		assert_eq!((bond(ALICE), bond(BOB)), bonds);
		assert_eq!(BlobInputs::<Test>::get(1), None);
	});
}
