//! Jobs whose output is a blob: escrowed storage fees, reveals that store the bytes as the
//! requester's blob, replicas compared by sketch (honest ±1 noise agrees, a swapped pair of
//! rows does not), and every refusal named, changing nothing and indexing nothing.

use super::*;
use crate::{BlobOutput, BlobOutputs, Sketches};
use aichain_compute::blob::encode_row_output;
use pallet_models::BlobLimits;

/// Rows of 8 values; outputs of up to 16 rows.
const ROW_LEN: u16 = 8;
const MAX_OUTPUT: u32 = 7 + 16 * 8;
/// A sketch entry may differ by 2: a couple of ±1 flips per row or column.
const TOLERANCE: u32 = 2;
/// What storing one output blob of the job's limit costs (10 + 1 per byte in the mock).
pub(super) const STORAGE_FEE: u64 = 10 + MAX_OUTPUT as u64;

/// A text model answering with row blobs, with workers `workers`; the document stored.
pub(super) fn blob_output_market(workers: &[u64]) -> (u32, [u8; 32]) {
	let model = plain_model();
	let limits = BlobLimits {
		max_input_len: 1024,
		max_output_len: MAX_OUTPUT,
		output_row_len: ROW_LEN,
		sketch_tolerance: TOLERANCE,
	};
	assert_ok!(Models::set_blob_limits(origin(OWNER), model, Some(limits)));
	register_workers(model, workers);
	(model, store_blob(REQUESTER, b"one line\nanother line\n"))
}

/// Submits a redundancy job of `replicas` on the document; returns its id.
fn submit_rows_job(model: u32, document: [u8; 32], replicas: u8) -> u64 {
	let job = crate::NextJobId::<Test>::get();
	let tier = Tier::Redundancy { replicas };
	assert_ok!(Jobs::submit_blob_job(origin(REQUESTER), model, document, tier, u64::MAX, DEADLINE));
	job
}

/// Four rows: row `i` holds `10·i + d` in column `d`, with `noise` added to row 0, column 0.
pub(super) fn rows(noise: i8) -> Vec<u8> {
	let mut values: Vec<u8> = (0..4u8).flat_map(|i| (0..ROW_LEN as u8).map(move |d| 10 * i + d)).collect();
	values[0] = (values[0] as i8 + noise) as u8;
	encode_row_output(ROW_LEN, values.chunks(ROW_LEN as usize))
}

/// `worker` commits to the descriptor of `data`; returns its salt.
pub(super) fn commit_blob(job: u64, worker: u64, data: &[u8]) -> [u8; 32] {
	commit_and_keep(job, worker, &descriptor(data))
}

/// `worker` reveals `data` in an extrinsic of its own.
pub(super) fn reveal_blob(worker: u64, job: u64, salt: [u8; 32], data: &[u8]) -> sp_runtime::DispatchResult {
	dispatch(worker, noted_reveal(10 + worker as u32, job, salt, data))
}

/// The reveal of `data` by `worker` is refused with `error` and changes nothing.
fn assert_reveal_refused(worker: u64, job: u64, salt: [u8; 32], data: &[u8], error: impl Into<sp_runtime::DispatchError>) {
	let call = noted_reveal(10 + worker as u32, job, salt, data);
	assert_noop!(dispatch(worker, call), error.into());
}

/// Every worker commits to its output, then (a block later) reveals it.
pub(super) fn commit_then_reveal(job: u64, outputs: &[(u64, Vec<u8>)]) {
	let salts: Vec<[u8; 32]> = outputs.iter().map(|(worker, data)| commit_blob(job, *worker, data)).collect();
	System::set_block_number(System::block_number() + 1);
	for ((worker, data), salt) in outputs.iter().zip(salts) {
		assert_ok!(reveal_blob(*worker, job, salt, data));
	}
}

#[test]
fn a_blob_output_job_escrows_storage_and_records_its_limits() {
	run_test(|| {
		let (model, document) = blob_output_market(&[ALICE, BOB]);
		let requester = free(REQUESTER);
		let job = submit_rows_job(model, document, 2);
		let limits = BlobOutput { max_len: MAX_OUTPUT, row_len: ROW_LEN, sketch_tolerance: TOLERANCE };
		System::assert_has_event(Event::BlobOutputSet { job, limits }.into());
		assert_eq!(BlobOutputs::<Test>::get(job), Some(limits));
		assert!(JobsStorage::<Test>::get(job).unwrap().has_blob_output());
		// Two prices, the fee, and one output blob's storage per worker.
		assert_eq!(escrowed(REQUESTER), 2 * PRICE + 2 * FEE + 2 * STORAGE_FEE);
		assert_eq!(free(REQUESTER), requester - escrowed(REQUESTER));
	});
}

#[test]
fn honest_replicas_that_differ_by_one_agree_each_stored_and_paid_from_escrow() {
	run_test(|| {
		let (model, document) = blob_output_market(&[ALICE, BOB, CHARLIE]);
		let job = submit_rows_job(model, document, 3);
		let (requester, treasury, alice, pot) = (free(REQUESTER), free(TREASURY), free(ALICE), free(POT));
		let workers = assigned(job);
		let outputs: Vec<(u64, Vec<u8>)> = workers.iter().zip([0, 1, -1]).map(|(w, noise)| (*w, rows(noise))).collect();
		commit_then_reveal(job, &outputs);
		assert!(!JobsStorage::<Test>::contains_key(job));
		// Each distinct output is kept as the requester's blob; its fee left the escrow.
		let stored_fees: u64 = outputs.iter().map(|(_, data)| 10 + data.len() as u64).sum();
		for (_, data) in &outputs {
			let info = pallet_blobs::Blobs::<Test>::get(sp_io::hashing::blake2_256(data)).expect("stored");
			assert_eq!(info.owner, REQUESTER);
		}
		assert_eq!(free(TREASURY), treasury + stored_fees);
		assert_eq!(free(ALICE), alice + PRICE - ROYALTY);
		assert_eq!(free(POT), pot + 3 * FEE);
		// The requester paid three prices, the fee and the storage actually used; the rest of
		// the storage reserve came back.
		assert_eq!(escrowed(REQUESTER), 0);
		assert_eq!(free(REQUESTER), requester + 3 * STORAGE_FEE - stored_fees);
		// The accepted output is the first revealed output's descriptor.
		let completed = System::events().into_iter().find_map(|r| match r.event {
			RuntimeEvent::Jobs(Event::JobCompleted { output, workers, .. }) => Some((output.into_inner(), workers)),
			_ => None,
		});
		let mut paid = workers.clone();
		paid.sort();
		assert_eq!(completed, Some((descriptor(&outputs[0].1), paid)));
		assert_eq!(BlobOutputs::<Test>::iter().count() + Sketches::<Test>::iter().count(), 0);
	});
}

#[test]
fn a_replica_with_two_rows_swapped_is_slashed() {
	run_test(|| {
		let (model, document) = blob_output_market(&[ALICE, BOB, CHARLIE]);
		let job = submit_rows_job(model, document, 3);
		let workers = assigned(job);
		// The honest values with rows 1 and 2 exchanged: each row keeps its sum, but its
		// signed sums (and the columns') move by far more than the tolerance.
		let honest = rows(0);
		let mut swapped = honest.clone();
		let body = &mut swapped[7..];
		let (row1, row2) = (body[8..16].to_vec(), body[16..24].to_vec());
		body[8..16].copy_from_slice(&row2);
		body[16..24].copy_from_slice(&row1);
		let cheat = workers[2];
		let bond_before = bond(cheat);
		commit_then_reveal(job, &[(workers[0], honest.clone()), (workers[1], rows(1)), (cheat, swapped)]);
		System::assert_has_event(Event::WorkerSlashed { job, worker: cheat, amount: SLASH }.into());
		assert_eq!(bond(cheat), bond_before - SLASH);
		assert!(!JobsStorage::<Test>::contains_key(job));
	});
}

#[test]
fn identical_replicas_store_the_blob_once() {
	run_test(|| {
		let (model, document) = blob_output_market(&[ALICE, BOB]);
		let job = submit_rows_job(model, document, 2);
		let treasury = free(TREASURY);
		let outputs: Vec<(u64, Vec<u8>)> = assigned(job).into_iter().map(|w| (w, rows(0))).collect();
		commit_then_reveal(job, &outputs);
		assert_eq!(free(TREASURY), treasury + 10 + rows(0).len() as u64, "one store, one fee");
		assert!(!JobsStorage::<Test>::contains_key(job));
	});
}

#[test]
fn a_worker_that_does_not_reveal_is_slashed_and_the_majority_of_sketches_wins() {
	run_test(|| {
		let (model, document) = blob_output_market(&[ALICE, BOB, CHARLIE]);
		let job = submit_rows_job(model, document, 3);
		let workers = assigned(job);
		let salts: Vec<[u8; 32]> = workers.iter().map(|w| commit_blob(job, *w, &rows(0))).collect();
		let deadline = JobsStorage::<Test>::get(job).unwrap().deadline;
		run_to_block(System::block_number() + 1);
		assert_ok!(reveal_blob(workers[0], job, salts[0], &rows(0)));
		assert_ok!(reveal_blob(workers[1], job, salts[1], &rows(0)));
		run_to_block(deadline);
		assert!(!JobsStorage::<Test>::contains_key(job));
		System::assert_has_event(Event::WorkerSlashed { job, worker: workers[2], amount: SLASH }.into());
		assert_eq!(Sketches::<Test>::iter().count(), 0);
	});
}

#[test]
fn bad_blob_reveals_are_refused_with_named_errors_change_nothing_and_index_nothing() {
	let mut ext = new_test_ext();
	ext.execute_with(|| {
		let (model, document) = blob_output_market(&[ALICE, BOB]);
		let job = submit_rows_job(model, document, 2);
		let [first, second] = assigned(job)[..] else { panic!("two workers") };
		let good = rows(0);
		let salt = commit_blob(job, first, &good);
		// Not yet in the reveal phase.
		assert_reveal_refused(first, job, salt, &good, Error::<Test>::WrongPhase);
		commit_blob(job, second, &good);
		// The reveal phase started in this block: its hash, the sketch's seed, is unknown.
		assert_reveal_refused(first, job, salt, &good, Error::<Test>::SketchSeedNotReady);
		System::set_block_number(System::block_number() + 1);
		assert_noop!(Jobs::reveal_result(origin(first), job, output(&descriptor(&good)), salt), Error::<Test>::BlobOutputJob);
		assert_reveal_refused(first, job, salt, &rows(1), Error::<Test>::CommitmentMismatch);
		assert_reveal_refused(EVE, job, salt, &good, Error::<Test>::NotAssignedWorker);
		let too_long = encode_row_output(ROW_LEN, vec![[0u8; 8]; 17].iter().map(|r| &r[..]));
		assert_reveal_refused(first, job, salt, &too_long, Error::<Test>::OutputTooLong);
		// The same bytes, not at the extrinsic's end (a wrapped call): refused by the store.
		System::set_extrinsic_index(1);
		System::note_extrinsic(vec![0x84; 100]);
		assert_noop!(
			Jobs::reveal_blob_result(origin(first), job, salt, good.clone()),
			pallet_blobs::Error::<Test>::DataNotAtExtrinsicEnd
		);
	});
	let indexed = ext.overlayed_changes().transaction_index_ops().len();
	assert_eq!(indexed, 1, "only the document was indexed: no refused reveal indexed anything");
}

#[test]
fn a_reveal_that_is_not_rows_of_the_jobs_length_is_refused() {
	run_test(|| {
		let (model, document) = blob_output_market(&[ALICE, BOB]);
		let job = submit_rows_job(model, document, 2);
		let [first, second] = assigned(job)[..] else { panic!("two workers") };
		let short_rows = encode_row_output(4, vec![[1u8; 4]; 2].iter().map(|r| &r[..]));
		let not_rows = b"plain text, no header".to_vec();
		let salt = commit_blob(job, first, &short_rows);
		let other_salt = commit_blob(job, second, &not_rows);
		System::set_block_number(System::block_number() + 1);
		assert_reveal_refused(first, job, salt, &short_rows, Error::<Test>::MalformedRowOutput);
		assert_reveal_refused(second, job, other_salt, &not_rows, Error::<Test>::MalformedRowOutput);
		// An inline job has no blob output.
		let inline_model = register_model(ModelKind::Embedding, None, 8, 8);
		register_workers(inline_model, &[CHARLIE, DAVE]);
		let inline_job = submit(inline_model, Tier::Redundancy { replicas: 2 }, b"text");
		let [worker, other] = assigned(inline_job)[..] else { panic!("two workers") };
		let inline_salt = commit_blob(inline_job, worker, &rows(0));
		commit_blob(inline_job, other, &rows(0));
		System::set_block_number(System::block_number() + 1);
		assert_reveal_refused(worker, inline_job, inline_salt, &rows(0), Error::<Test>::NotBlobOutputJob);
	});
}

#[test]
fn the_model_owner_cannot_change_a_running_jobs_output_terms() {
	run_test(|| {
		let (model, document) = blob_output_market(&[ALICE, BOB]);
		let job = submit_rows_job(model, document, 2);
		// The owner removes the limits: the job keeps the terms it was submitted with, and its
		// honest workers are paid.
		assert_ok!(Models::set_blob_limits(origin(OWNER), model, None));
		let outputs: Vec<(u64, Vec<u8>)> = assigned(job).into_iter().zip([0, 1]).map(|(w, noise)| (w, rows(noise))).collect();
		commit_then_reveal(job, &outputs);
		assert!(!JobsStorage::<Test>::contains_key(job));
		System::assert_has_event(Event::JobCompleted {
			job,
			output: output(&descriptor(&outputs[0].1)),
			workers: { let mut w: Vec<u64> = outputs.iter().map(|(w, _)| *w).collect(); w.sort(); w },
			worker_payment: PRICE - ROYALTY,
			royalty: 2 * ROYALTY,
			fee: 2 * FEE,
			refund: 2 * STORAGE_FEE - outputs.iter().map(|(_, d)| 10 + d.len() as u64).sum::<u64>(),
		}.into());
	});
}

#[test]
fn a_storage_fee_above_the_jobs_reserve_is_refused_and_never_taken_from_another_job() {
	run_test(|| {
		let (model, document) = blob_output_market(&[ALICE, BOB]);
		// Two jobs of one requester: the second's escrow must stay whole.
		let job = submit_rows_job(model, document, 2);
		let other = submit_rows_job(model, document, 2);
		let (held, other_escrow) = (escrowed(REQUESTER), JobsStorage::<Test>::get(other).unwrap().terms.escrow);
		let workers = assigned(job);
		let salts: Vec<[u8; 32]> = workers.iter().map(|w| commit_blob(job, *w, &rows(0))).collect();
		System::set_block_number(System::block_number() + 1);
		// The fee rose above what the job reserved (a runtime upgrade): the reveal is refused.
		BlobEntryFee::set(2 * STORAGE_FEE);
		assert_reveal_refused(workers[0], job, salts[0], &rows(0), Error::<Test>::BlobFeeUnpaid);
		assert_eq!(escrowed(REQUESTER), held);
		assert_eq!(JobsStorage::<Test>::get(other).unwrap().terms.escrow, other_escrow);
	});
}

#[test]
fn an_outsider_storing_the_output_first_neither_blocks_the_reveal_nor_is_paid_for() {
	run_test(|| {
		let (model, document) = blob_output_market(&[ALICE, BOB]);
		let job = submit_rows_job(model, document, 2);
		let outputs: Vec<(u64, Vec<u8>)> = assigned(job).into_iter().map(|w| (w, rows(0))).collect();
		// Eve saw the bytes (say, a reveal in the pool) and stores them herself first.
		System::set_block_number(System::block_number() + 1);
		store_blob(EVE, &rows(0));
		let (treasury, requester) = (free(TREASURY), free(REQUESTER));
		commit_then_reveal(job, &outputs);
		assert!(!JobsStorage::<Test>::contains_key(job), "the job completes");
		assert_eq!(free(TREASURY), treasury, "no second fee");
		assert_eq!(free(REQUESTER), requester + 2 * STORAGE_FEE, "the whole storage reserve comes back");
		assert_eq!(pallet_blobs::Blobs::<Test>::get(sp_io::hashing::blake2_256(&rows(0))).map(|b| b.owner), Some(EVE));
	});
}
