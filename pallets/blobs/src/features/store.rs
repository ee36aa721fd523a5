//! Storing a blob: the checks, the fee, the record and its expiry, and the indexing of its
//! bytes (last, since the node's indexing is not undone if the call fails afterwards).

use crate::{pallet::*, BlobInfo, BlobKind, ContentHash, IndexOp, MANIFEST_MAGIC};
use frame_support::{
	pallet_prelude::*,
	traits::{fungible::Mutate, tokens::Preservation},
};
use frame_system::pallet_prelude::BlockNumberFor;
use sp_runtime::traits::Saturating;

impl<T: Config> Pallet<T> {
	/// Stores `data` for `who`, kept for the retention period; see [`Pallet::store`].
	pub(crate) fn do_store(who: T::AccountId, data: &[u8]) -> Result<ContentHash, DispatchError> {
		Self::store_data(who.clone(), data, |destination, fee| Self::charge(&who, destination, fee))
	}

	/// Stores `data` as a data blob owned by `owner`, kept for the retention period, its fee
	/// paid by `pay(fee destination, fee)`; see [`crate::BlobRegistry::store_paid`].
	pub(crate) fn store_data(
		owner: T::AccountId,
		data: &[u8],
		pay: impl FnOnce(&T::AccountId, BalanceOf<T>) -> DispatchResult,
	) -> Result<ContentHash, DispatchError> {
		ensure!(!data.starts_with(&MANIFEST_MAGIC), Error::<T>::ReservedPrefix);
		Self::store_blob(owner, data, BlobKind::Data, Self::expiry_from_now(), pay)
	}

	/// Checks `data`, has its fee paid by `pay`, records the blob of `kind` for `who` until
	/// `expires_at` and indexes its bytes; returns its hash.
	pub(crate) fn store_blob(
		who: T::AccountId,
		data: &[u8],
		kind: BlobKind,
		expires_at: BlockNumberFor<T>,
		pay: impl FnOnce(&T::AccountId, BalanceOf<T>) -> DispatchResult,
	) -> Result<ContentHash, DispatchError> {
		ensure!(!data.is_empty(), Error::<T>::EmptyBlob);
		let size = u32::try_from(data.len()).map_err(|_| Error::<T>::BlobTooLarge)?;
		ensure!(size <= T::MaxBlobSize::get(), Error::<T>::BlobTooLarge);
		let hash = sp_io::hashing::blake2_256(data);
		ensure!(Self::live_blob(hash).is_none(), Error::<T>::AlreadyStored);
		let extrinsic = Self::extrinsic_ending_with(data)?;
		let now = frame_system::Pallet::<T>::block_number();
		ensure!(
			LastIndexing::<T>::get().map_or(true, |(block, index, _)| (block, index) != (now, extrinsic)),
			Error::<T>::IndexingConflict
		);
		let fee = Self::fee_for(size);
		pay(&T::FeeDestination::get(), fee)?;
		Self::forget_ended(hash);
		Self::schedule_expiry(hash, expires_at);
		Blobs::<T>::insert(hash, BlobInfo { owner: who.clone(), size, stored_at: now, expires_at, kind });
		LastIndexing::<T>::put((now, extrinsic, IndexOp::Insert));
		sp_io::transaction_index::index(extrinsic, size, hash);
		Self::deposit_event(Event::Stored { hash, owner: who, size, kind, expires_at, fee });
		Ok(hash)
	}

	/// The index of the extrinsic being applied, if its encoding ends with `data` (what the
	/// node will index); [`Error::DataNotAtExtrinsicEnd`] otherwise.
	fn extrinsic_ending_with(data: &[u8]) -> Result<u32, DispatchError> {
		let index = frame_system::Pallet::<T>::extrinsic_index().ok_or(Error::<T>::DataNotAtExtrinsicEnd)?;
		#[allow(deprecated)]
		let extrinsic = frame_system::Pallet::<T>::extrinsic_data(index);
		ensure!(extrinsic.ends_with(data), Error::<T>::DataNotAtExtrinsicEnd);
		Ok(index)
	}

	/// The fee for storing or renewing `size` bytes.
	pub(crate) fn fee_for(size: u32) -> BalanceOf<T> {
		T::EntryFee::get().saturating_add(T::ByteFee::get().saturating_mul(size.into()))
	}

	/// Transfers `fee` from `who` to `destination` (the fee destination).
	pub(crate) fn charge(who: &T::AccountId, destination: &T::AccountId, fee: BalanceOf<T>) -> DispatchResult {
		T::Currency::transfer(who, destination, fee, Preservation::Preserve).map_err(|_| Error::<T>::CannotPayFee)?;
		Ok(())
	}
}
