//! Jobs whose input is a kept blob: the model must take blob inputs of its size, the tier must
//! not be zk, and the blob must be kept for the job's whole life, so that an honest provider
//! can always read it from its node.

use crate::{pallet::*, JobId, ModelId, Tier};
use aichain_compute::blob::BlobRef;
use frame_support::{pallet_prelude::*, traits::Get};
use frame_system::pallet_prelude::BlockNumberFor;
use pallet_blobs::BlobRegistry;
use pallet_models::ModelRegistry;
use sp_runtime::traits::Saturating;

impl<T: Config> Pallet<T> {
	/// Checks the blob input and submits the job; see [`Pallet::submit_blob_job`].
	pub fn do_submit_blob_job(
		requester: T::AccountId,
		model: ModelId,
		input: pallet_blobs::ContentHash,
		tier: Tier,
		max_price: BalanceOf<T>,
		timeout: BlockNumberFor<T>,
	) -> Result<JobId, DispatchError> {
		Self::submit_blob_input_job(requester, model, input, tier, max_price, timeout, false)
	}

	/// Checks a blob input (kept for the job's longest life, a sealed job's if `sealed`) and
	/// submits the job; a sealed job must answer with a blob.
	pub(crate) fn submit_blob_input_job(
		requester: T::AccountId,
		model: ModelId,
		input: pallet_blobs::ContentHash,
		tier: Tier,
		max_price: BalanceOf<T>,
		timeout: BlockNumberFor<T>,
		sealed: bool,
	) -> Result<JobId, DispatchError> {
		let model_terms = Self::model_taking_jobs(model, timeout)?;
		ensure!(tier != Tier::Zk, Error::<T>::BlobNotProvable);
		let limits =
			T::Models::blob_limits(model).filter(|l| l.max_input_len > 0).ok_or(Error::<T>::BlobInputsNotAccepted)?;
		let blob_output = Self::blob_output_of(&limits);
		ensure!(!sealed || blob_output.is_some(), Error::<T>::SealedNeedsBlobOutput);
		ensure!(
			blob_output.is_none() || matches!(tier, Tier::Redundancy { .. }),
			Error::<T>::BlobOutputNeedsRedundancy
		);
		let blob = T::Blobs::kept_blob(input).ok_or(Error::<T>::UnknownInputBlob)?;
		ensure!(blob.size <= limits.max_input_len, Error::<T>::InputBlobTooLarge);
		let now = frame_system::Pallet::<T>::block_number();
		let life = if sealed { Self::longest_sealed_life(timeout) } else { Self::longest_life(timeout) };
		ensure!(blob.expires_at >= now.saturating_add(life), Error::<T>::InputBlobExpiresTooSoon);
		let blob_input = BlobRef { hash: input, size: blob.size };
		let input = Default::default();
		Self::create_job(requester, model, model_terms, input, Some(blob_input), blob_output, tier, max_price, timeout, None)
	}

	/// The weight of [`Pallet::submit_blob_job`]: the benchmark submits to a model with blob
	/// inputs only; a blob-output model adds the `BlobOutputs` write. Both are charged, with the
	/// removals at the job's end (its input, its output limits, one sketch per worker at most).
	pub fn submit_blob_job_weight() -> Weight {
		use crate::weights::WeightInfo;
		T::WeightInfo::submit_blob_job(T::MaxReplicas::get())
			.saturating_add(T::DbWeight::get().writes(3 + T::MaxReplicas::get() as u64))
	}

	/// The most blocks a job with phases of `timeout` blocks lives when no backlog of due
	/// phases delays it: pending, `MaxReassignments + 2` working phases, a reveal phase, and
	/// the challenge window (see the crate's documentation, "Every job ends").
	pub fn longest_life(timeout: BlockNumberFor<T>) -> BlockNumberFor<T> {
		let phases = T::MaxReassignments::get().saturating_add(4);
		timeout.saturating_mul(phases.into()).saturating_add(T::ChallengePeriod::get())
	}

	/// The most blocks a sealed job lives when no backlog delays it: a job's longest life,
	/// plus a wait of `timeout` blocks for the keys before each of its `MaxReassignments + 2`
	/// working phases.
	pub fn longest_sealed_life(timeout: BlockNumberFor<T>) -> BlockNumberFor<T> {
		let key_waits = T::MaxReassignments::get().saturating_add(2);
		Self::longest_life(timeout).saturating_add(timeout.saturating_mul(key_waits.into()))
	}
}
