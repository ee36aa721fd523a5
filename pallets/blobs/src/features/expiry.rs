//! The end of a blob's retention: its record is removed at the start of the next block.

use crate::pallet::*;
use frame_system::pallet_prelude::BlockNumberFor;
use sp_runtime::traits::Saturating;

impl<T: Config> Pallet<T> {
	/// Removes the records of the blobs whose retention ended at the previous block; returns
	/// how many (at most [`Config::MaxBlobsPerBlock`]).
	pub(crate) fn do_remove_expired(now: BlockNumberFor<T>) -> u32 {
		let ended = now.saturating_sub(1u32.into());
		let hashes = Expiring::<T>::take(ended);
		for hash in &hashes {
			Blobs::<T>::remove(hash);
			Self::deposit_event(Event::Expired { hash: *hash });
		}
		hashes.len() as u32
	}
}
