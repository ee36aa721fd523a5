//! Jobs whose output is a blob: workers commit to the output's descriptor, reveal the bytes
//! (stored as the requester's blob, the fee paid from the escrow), and the chain compares
//! replicas by sketch ([`aichain_compute::sketch`]) instead of byte by byte; a sealed job's
//! outputs, which the chain cannot read, by their descriptors.

use crate::{commitment_of, pallet::*, BlobOutput, JobId, JobStatus, Tier};
use aichain_compute::blob::{BlobRef, RowOutput};
use alloc::vec::Vec;
use codec::{Decode, Encode};
use frame_support::{
	pallet_prelude::*,
	traits::{
		fungible::MutateHold,
		tokens::{Fortitude, Precision, Restriction},
	},
};
use pallet_blobs::BlobRegistry;
use sp_runtime::traits::{Saturating, Zero};

/// Bytes of a blob output's descriptor, `SCALE(BlobRef)`: what workers commit to and what
/// the job's `revealed` and its completion carry.
pub const BLOB_DESCRIPTOR_LEN: u32 = 40;

/// How a job's revealed outputs are compared.
pub(crate) enum Agreement {
	/// Inline outputs: byte by byte, within the model's output tolerance.
	Bytes(u8),
	/// Blob outputs, named by their descriptors: the same size, and sketches within the
	/// tolerance. Holds each distinct output's (descriptor hash, size, sketch).
	Sketches { tolerance: u32, sketches: Vec<([u8; 32], u64, Vec<i32>)> },
}

impl Agreement {
	/// Whether the outputs `a` and `b` (descriptors, for blob outputs) agree.
	pub(crate) fn agree(&self, a: &[u8], b: &[u8]) -> bool {
		match self {
			Self::Bytes(tolerance) => aichain_compute::outputs_agree(a, b, *tolerance),
			Self::Sketches { tolerance, sketches } => {
				let find = |descriptor: &[u8]| {
					let hash = sp_io::hashing::blake2_256(descriptor);
					sketches.iter().find(|(h, _, _)| *h == hash)
				};
				match (find(a), find(b)) {
					(Some((_, size_a, a)), Some((_, size_b, b))) =>
						size_a == size_b && aichain_compute::sketch::sketches_agree(a, b, *tolerance),
					_ => false,
				}
			},
		}
	}
}

impl<T: Config> Pallet<T> {
	/// How the outputs revealed for `job` are compared: reads a blob-output job's sketches.
	pub(crate) fn agreement_of(id: JobId, job: &JobOf<T>) -> Agreement {
		if !job.has_blob_output() {
			return Agreement::Bytes(job.terms.output_tolerance);
		}
		if Self::is_sealed(id) {
			// Sealed outputs: the descriptors (hash and size of the sealed bytes), exactly.
			return Agreement::Bytes(0);
		}
		let tolerance = BlobOutputs::<T>::get(id).map_or(0, |limits| limits.sketch_tolerance);
		let sketches = job
			.revealed
			.iter()
			.filter_map(|descriptor| {
				let size = BlobRef::decode(&mut &descriptor[..]).ok()?.size;
				let hash = sp_io::hashing::blake2_256(descriptor);
				Some((hash, size, Sketches::<T>::get(id, hash)?.into_inner()))
			})
			.collect();
		Agreement::Sketches { tolerance, sketches }
	}

	/// Checks and records a blob reveal, stores the bytes, and finishes the job after the last
	/// reveal; see [`Pallet::reveal_blob_result`].
	pub fn do_reveal_blob_result(worker: T::AccountId, id: JobId, salt: [u8; 32], data: Vec<u8>) -> DispatchResult {
		let mut job = Self::open_job(id)?;
		ensure!(matches!(job.tier, Tier::Redundancy { .. }), Error::<T>::WrongTier);
		ensure!(job.status == JobStatus::Revealing, Error::<T>::WrongPhase);
		let index = Self::assignment_of(&job, &worker)?;
		let limits = BlobOutputs::<T>::get(id).filter(|_| job.has_blob_output()).ok_or(Error::<T>::NotBlobOutputJob)?;
		ensure!(data.len() as u64 <= limits.max_len as u64, Error::<T>::OutputTooLong);
		ensure!(job.assignments[index].revealed.is_none(), Error::<T>::AlreadyRevealed);
		let blob = BlobRef { hash: sp_io::hashing::blake2_256(&data), size: data.len() as u64 };
		let descriptor = blob.encode();
		ensure!(
			job.assignments[index].commitment == Some(commitment_of(id, &worker, &descriptor, &salt)),
			Error::<T>::CommitmentMismatch
		);
		let descriptor_hash = sp_io::hashing::blake2_256(&descriptor);
		if Self::is_sealed(id) {
			// Sealed: the chain cannot read the rows; replicas sealed the same plaintext to
			// the same bytes, and are compared byte for byte.
			if !job.revealed.iter().any(|d| sp_io::hashing::blake2_256(d) == descriptor_hash) {
				let descriptor = BoundedVec::try_from(descriptor).map_err(|_| Error::<T>::OutputTooLong)?;
				job.revealed.try_push(descriptor).map_err(|_| Error::<T>::InvalidReplicas)?;
			}
		} else if !Sketches::<T>::contains_key(id, descriptor_hash) {
			let rows = RowOutput::parse(&data)
				.filter(|rows| rows.row_len == limits.row_len)
				.ok_or(Error::<T>::MalformedRowOutput)?;
			let sketch = aichain_compute::sketch::sketch(&rows, Self::sign_blocks(id, &job)?);
			let sketch = BoundedVec::try_from(sketch).map_err(|_| Error::<T>::OutputTooLong)?;
			let descriptor = BoundedVec::try_from(descriptor).map_err(|_| Error::<T>::OutputTooLong)?;
			job.revealed.try_push(descriptor).map_err(|_| Error::<T>::InvalidReplicas)?;
			Sketches::<T>::insert(id, descriptor_hash, sketch);
		}
		job.assignments[index].revealed = Some(descriptor_hash);
		// The bytes last but the job's end: nodes index them even if the call fails afterwards.
		if T::Blobs::kept_blob(blob.hash).is_none() {
			Self::store_output_blob(&mut job, &data)?;
		}
		Self::revealed(id, job, worker)
	}

	/// The signs of job `id`'s sketches: block `n` of them is `BLAKE2-256(seed ‖ n)`, with
	/// `seed = BLAKE2-256(SCALE("aichain/sketch", job, hash of the block the reveal phase
	/// started in))`. That block held the last commitment, so every output was fixed before
	/// its hash existed.
	fn sign_blocks(id: JobId, job: &JobOf<T>) -> Result<impl FnMut(u32) -> [u8; 32], DispatchError> {
		let started = job.deadline.saturating_sub(job.timeout);
		ensure!(frame_system::Pallet::<T>::block_number() > started, Error::<T>::SketchSeedNotReady);
		let block_hash = frame_system::Pallet::<T>::block_hash(started);
		let seed = (b"aichain/sketch", id, block_hash).using_encoded(sp_io::hashing::blake2_256);
		Ok(move |n: u32| (seed, n).using_encoded(sp_io::hashing::blake2_256))
	}

	/// Stores `data` as the requester's blob, paying its fee from the job's storage reserve
	/// (what its escrow holds beyond the prices and the fee); never from another job's escrow.
	fn store_output_blob(job: &mut JobOf<T>, data: &[u8]) -> DispatchResult {
		let requester = job.requester.clone();
		let workers: u32 = job.assignments.len() as u32;
		let settlement = job.terms.price_per_worker.saturating_mul(workers.into()).saturating_add(job.terms.fee);
		let reserve = job.terms.escrow.saturating_sub(settlement);
		let mut paid = BalanceOf::<T>::zero();
		T::Blobs::store_paid(requester.clone(), data, |destination, fee| {
			ensure!(fee <= reserve, Error::<T>::BlobFeeUnpaid);
			T::Currency::transfer_on_hold(
				&HoldReason::JobEscrow.into(),
				&requester,
				destination,
				fee,
				Precision::Exact,
				Restriction::Free,
				Fortitude::Polite,
			)
			.map_err(|_| Error::<T>::BlobFeeUnpaid)?;
			paid = fee;
			Ok(())
		})?;
		job.terms.escrow = job.terms.escrow.saturating_sub(paid);
		Ok(())
	}

	/// A blob-output job's limits from the model's: `None` if the model answers inline.
	pub(crate) fn blob_output_of(limits: &pallet_models::BlobLimits) -> Option<BlobOutput> {
		(limits.max_output_len > 0).then_some(BlobOutput {
			max_len: limits.max_output_len,
			row_len: limits.output_row_len,
			sketch_tolerance: limits.sketch_tolerance,
		})
	}
}
