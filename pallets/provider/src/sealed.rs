//! The provider's side of sealed jobs: publishing the engine's X25519 key for its workers,
//! and waiting for a sealed job's key before handing the job to the engine.

use crate::{
	offchain::{Action, LocalWorker},
	Config, Pallet,
};
use aichain_compute::JobId;
use aichain_engine_host::{compute_engine, SealedJobKey};
use frame_system::pallet_prelude::BlockNumberFor;

impl<T: Config> Pallet<T> {
	/// Sends `set_encryption_key` when the worker's published key is not its engine's (a new
	/// worker, or a node whose key file was replaced).
	pub(crate) fn publish_encryption_key(worker: &LocalWorker<T>, now: BlockNumberFor<T>) {
		let Some(key) = compute_engine::encryption_key() else { return };
		if pallet_workers::EncryptionKeys::<T>::get(&worker.account) == Some(key) {
			return;
		}
		Self::send_once(worker, Action::PublishKey, 0, now, pallet_workers::Call::<T>::set_encryption_key { key });
	}

	/// For job `job_id` and `worker`: `Some(None)` if the job is not sealed, `Some(Some(key))`
	/// with the job key sealed to the worker, `None` while the requester has not sent it.
	pub(crate) fn sealed_key_of(worker: &T::AccountId, job_id: JobId) -> Option<Option<SealedJobKey>> {
		let Some(sealed) = pallet_jobs::SealedJobs::<T>::get(job_id) else { return Some(None) };
		let key = sealed.key_of(worker)?;
		Some(Some(SealedJobKey { sealed_key: *key, key_commitment: sealed.key_commitment }))
	}
}
