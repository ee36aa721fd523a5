//! [`JobSubmitter`]: how other pallets (training rounds, governance) post and follow jobs, with
//! exactly the checks and escrow of [`Pallet::submit_job`]; [`DirectedJobSubmitter`]: zk jobs
//! for one named worker (a hospital's own node, which alone holds the data);
//! [`BlobJobSubmitter`]: jobs over blob inputs (a DiLoCo training's shard and outer tasks).

use crate::{pallet::*, BlobJobSubmitter, DirectedJobSubmitter, JobId, JobSubmitter, ModelId, Tier};
use alloc::vec::Vec;
use frame_support::{pallet_prelude::*, BoundedVec};
use frame_system::pallet_prelude::BlockNumberFor;

impl<T: Config> JobSubmitter<T::AccountId, BalanceOf<T>, BlockNumberFor<T>> for Pallet<T> {
	fn submit_job(
		requester: T::AccountId,
		model: ModelId,
		input: Vec<u8>,
		tier: Tier,
		max_price: BalanceOf<T>,
		timeout: BlockNumberFor<T>,
	) -> Result<JobId, DispatchError> {
		let input = BoundedVec::try_from(input).map_err(|_| Error::<T>::InputTooLong)?;
		Self::do_submit_job(requester, model, input, tier, max_price, timeout)
	}

	fn is_live(job: JobId) -> bool {
		Jobs::<T>::contains_key(job)
	}

	fn submit_weight() -> Weight {
		use crate::weights::WeightInfo;
		T::WeightInfo::submit_job(T::MaxReplicas::get())
	}
}

impl<T: Config> DirectedJobSubmitter<T::AccountId, BalanceOf<T>, BlockNumberFor<T>> for Pallet<T> {
	fn submit_directed_job(
		requester: T::AccountId,
		worker: T::AccountId,
		model: ModelId,
		input: Vec<u8>,
		max_price: BalanceOf<T>,
		timeout: BlockNumberFor<T>,
	) -> Result<JobId, DispatchError> {
		let input = BoundedVec::try_from(input).map_err(|_| Error::<T>::InputTooLong)?;
		Self::do_submit_directed_job(requester, worker, model, input, max_price, timeout)
	}

	fn submit_directed_weight() -> Weight {
		use crate::weights::WeightInfo;
		T::WeightInfo::submit_directed_job()
	}
}

impl<T: Config> BlobJobSubmitter<T::AccountId, BalanceOf<T>, BlockNumberFor<T>> for Pallet<T> {
	fn submit_blob_job(
		requester: T::AccountId,
		model: ModelId,
		input: [u8; 32],
		tier: Tier,
		max_price: BalanceOf<T>,
		timeout: BlockNumberFor<T>,
	) -> Result<JobId, DispatchError> {
		Self::do_submit_blob_job(requester, model, input, tier, max_price, timeout)
	}

	fn submit_blob_weight() -> Weight {
		Self::submit_blob_job_weight()
	}
}
