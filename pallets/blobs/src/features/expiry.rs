//! The end of a blob's retention: the block hook walks the expiries from [`ExpiryCursor`] to
//! the previous block, removing records, at most [`Config::MaxExpiriesPerBlock`] steps per
//! block; what it cannot reach waits for the next block. Until then such a record counts as
//! gone ([`Pallet::live_blob`]).

use crate::{pallet::*, ContentHash};
use alloc::vec::Vec;
use frame_support::traits::Get;
use frame_system::pallet_prelude::BlockNumberFor;
use sp_runtime::traits::Saturating;

impl<T: Config> Pallet<T> {
	/// Removes the records of blobs whose retention ended before `now`, oldest first; returns
	/// the steps taken (blocks looked at plus records removed), at most
	/// [`Config::MaxExpiriesPerBlock`].
	pub(crate) fn do_remove_expired(now: BlockNumberFor<T>) -> u32 {
		let max_steps = T::MaxExpiriesPerBlock::get();
		let mut block = ExpiryCursor::<T>::get();
		let mut steps = 0u32;
		while block < now && steps < max_steps {
			steps += 1;
			let budget = (max_steps - steps) as usize;
			// One more than the budget tells whether the block is done.
			let hashes: Vec<ContentHash> = Expiries::<T>::iter_key_prefix(block).take(budget + 1).collect();
			let done = hashes.len() <= budget;
			for hash in hashes.into_iter().take(budget) {
				Expiries::<T>::remove(block, hash);
				Blobs::<T>::remove(hash);
				Self::deposit_event(Event::Expired { hash });
				steps += 1;
			}
			if !done {
				break;
			}
			block.saturating_inc();
		}
		ExpiryCursor::<T>::put(block);
		steps
	}

	/// The record of `hash` if its retention has not ended.
	pub fn live_blob(hash: ContentHash) -> Option<BlobInfoOf<T>> {
		let now = frame_system::Pallet::<T>::block_number();
		Blobs::<T>::get(hash).filter(|info| info.expires_at >= now)
	}

	/// Lists `hash` as expiring after `block` (its last block).
	pub(crate) fn schedule_expiry(hash: ContentHash, block: BlockNumberFor<T>) {
		Expiries::<T>::insert(block, hash, ());
	}

	/// Drops a record whose retention ended but which the hook has not reached yet, with its
	/// expiry entry, so that the same bytes can be stored again.
	pub(crate) fn forget_ended(hash: ContentHash) {
		if let Some(info) = Blobs::<T>::take(hash) {
			Expiries::<T>::remove(info.expires_at, hash);
		}
	}

	/// The block after which a blob stored or renewed now is no longer kept.
	pub(crate) fn expiry_from_now() -> BlockNumberFor<T> {
		frame_system::Pallet::<T>::block_number().saturating_add(T::RetentionPeriod::get())
	}
}
