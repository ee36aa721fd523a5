//! Renewing a blob: a new expiry, paid by whoever renews, and a reference from this block to
//! the indexed bytes so that nodes keep them as long as this block.

use crate::{pallet::*, ContentHash, IndexOp};
use frame_support::pallet_prelude::*;
use sp_runtime::traits::Saturating;

impl<T: Config> Pallet<T> {
	/// Keeps `hash` for another retention period from now; see [`Pallet::renew`].
	pub(crate) fn do_renew(payer: T::AccountId, hash: ContentHash) -> DispatchResult {
		let mut info = Blobs::<T>::get(hash).ok_or(Error::<T>::UnknownBlob)?;
		let now = frame_system::Pallet::<T>::block_number();
		// Outside an extrinsic (a scheduled call) the renewal is recorded with the block's first.
		let extrinsic = frame_system::Pallet::<T>::extrinsic_index().unwrap_or_default();
		ensure!(LastIndexing::<T>::get() != Some((now, extrinsic, IndexOp::Insert)), Error::<T>::IndexingConflict);
		let expires_at = now.saturating_add(T::RetentionPeriod::get());
		ensure!(expires_at > info.expires_at, Error::<T>::NothingToRenew);
		Expiring::<T>::mutate(info.expires_at, |hashes| hashes.retain(|h| *h != hash));
		Self::schedule_expiry(hash, expires_at)?;
		let fee = Self::charge(&payer, info.size)?;
		info.stored_at = now;
		info.expires_at = expires_at;
		Blobs::<T>::insert(hash, info);
		LastIndexing::<T>::put((now, extrinsic, IndexOp::Renew));
		sp_io::transaction_index::renew(extrinsic, hash);
		Self::deposit_event(Event::Renewed { hash, payer, expires_at, fee });
		Ok(())
	}
}
