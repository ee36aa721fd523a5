//! Sealed jobs: the input and output blobs are sealed under a job key that only the requester
//! and the assigned workers hold. The chain keeps the requester's commitment to the key and
//! the key sealed to each assigned worker's published X25519 key; a working phase restarts
//! when the last assigned worker has its key, and ends the job (the requester's failure) if
//! a worker that published a key still has none at the deadline. Outputs are sealed
//! deterministically, so replicas are compared byte for byte (see `docs/data.md`).

use crate::{pallet::*, JobId, JobStatus, SealedJob, SealedKey, Tier};
use alloc::vec::Vec;
use frame_support::pallet_prelude::*;
use frame_system::pallet_prelude::BlockNumberFor;
use pallet_workers::WorkerRegistry;
use sp_runtime::traits::Saturating;

impl<T: Config> Pallet<T> {
	/// Submits a sealed job; see [`Pallet::submit_sealed_job`].
	pub fn do_submit_sealed_job(
		requester: T::AccountId,
		model: crate::ModelId,
		input: pallet_blobs::ContentHash,
		tier: Tier,
		max_price: BalanceOf<T>,
		timeout: BlockNumberFor<T>,
		key_commitment: [u8; 32],
	) -> Result<JobId, DispatchError> {
		let id = Self::submit_blob_input_job(requester, model, input, tier, max_price, timeout, true)?;
		SealedJobs::<T>::insert(id, SealedJob { key_commitment, keys: Default::default() });
		Self::deposit_event(Event::JobSealed { job: id, key_commitment });
		Ok(id)
	}

	/// Records job keys sealed to assigned workers; see [`Pallet::post_job_keys`].
	pub fn do_post_job_keys(
		requester: T::AccountId,
		id: JobId,
		keys: BoundedVec<(T::AccountId, SealedKey), T::MaxReplicas>,
	) -> DispatchResult {
		let mut job = Self::open_job(id)?;
		ensure!(job.requester == requester, Error::<T>::NotRequester);
		let mut sealed = SealedJobs::<T>::get(id).ok_or(Error::<T>::NotSealedJob)?;
		ensure!(job.status == JobStatus::Assigned, Error::<T>::WrongPhase);
		ensure!(!keys.is_empty(), Error::<T>::NoKeys);
		let assigned = |who: &T::AccountId| job.assignments.iter().any(|a| a.worker == *who);
		sealed.keys.retain(|(who, _)| assigned(who));
		for (index, (worker, _)) in keys.iter().enumerate() {
			ensure!(assigned(worker), Error::<T>::KeyForUnassignedWorker);
			ensure!(
				sealed.key_of(worker).is_none() && !keys[..index].iter().any(|(w, _)| w == worker),
				Error::<T>::KeyAlreadyPosted
			);
		}
		let workers: Vec<T::AccountId> = keys.iter().map(|(worker, _)| worker.clone()).collect();
		for entry in keys {
			// At most one key per assignee, and there are at most `MaxReplicas` of them.
			sealed.keys.try_push(entry).map_err(|_| Error::<T>::KeyAlreadyPosted)?;
		}
		let deadline = if job.assignments.iter().all(|a| sealed.key_of(&a.worker).is_some()) {
			let due = frame_system::Pallet::<T>::block_number().saturating_add(job.timeout);
			Self::reschedule(id, &mut job, due);
			Jobs::<T>::insert(id, &job);
			Some(job.deadline)
		} else {
			None
		};
		SealedJobs::<T>::insert(id, sealed);
		Self::deposit_event(Event::JobKeysPosted { job: id, workers, deadline });
		Ok(())
	}

	/// Whether `job` is sealed and one of its assigned workers that published an encryption
	/// key has not received the job key: its working phase then ends as the requester's
	/// failure. (An assignee that published no key cannot be sent one: it is a no-show.)
	pub(crate) fn keys_missing(id: JobId, job: &JobOf<T>) -> bool {
		let Some(sealed) = SealedJobs::<T>::get(id) else { return false };
		job.assignments.iter().any(|a| {
			a.commitment.is_none() &&
				sealed.key_of(&a.worker).is_none() &&
				T::Workers::encryption_key(&a.worker).is_some()
		})
	}

	/// Whether `job` is sealed.
	pub(crate) fn is_sealed(id: JobId) -> bool {
		SealedJobs::<T>::contains_key(id)
	}
}
