//! Renewing a blob: a new expiry, paid by whoever renews, and a reference from this block to
//! the indexed bytes so that nodes keep them as long as this block.

use crate::{pallet::*, ContentHash, IndexOp};
use frame_support::pallet_prelude::*;

impl<T: Config> Pallet<T> {
	/// Keeps `hash` for another retention period from now; see [`Pallet::renew`].
	pub(crate) fn do_renew(payer: T::AccountId, hash: ContentHash) -> DispatchResult {
		let mut info = Self::live_blob(hash).ok_or(Error::<T>::UnknownBlob)?;
		let now = frame_system::Pallet::<T>::block_number();
		// Outside an extrinsic (a scheduled call) the renewal is recorded with the block's first.
		let extrinsic = frame_system::Pallet::<T>::extrinsic_index().unwrap_or_default();
		ensure!(LastIndexing::<T>::get() != Some((now, extrinsic, IndexOp::Insert)), Error::<T>::IndexingConflict);
		let expires_at = Self::expiry_from_now();
		ensure!(expires_at > info.expires_at, Error::<T>::NothingToRenew);
		let fee = Self::fee_for(info.size);
		Self::charge(&payer, &T::FeeDestination::get(), fee)?;
		Expiries::<T>::remove(info.expires_at, hash);
		Self::schedule_expiry(hash, expires_at);
		info.stored_at = now;
		info.expires_at = expires_at;
		Blobs::<T>::insert(hash, info);
		LastIndexing::<T>::put((now, extrinsic, IndexOp::Renew));
		sp_io::transaction_index::renew(extrinsic, hash);
		Self::deposit_event(Event::Renewed { hash, payer, expires_at, fee });
		Ok(())
	}
}
