//! What other pallets read and store of blobs ([`crate::BlobRegistry`]): a job's input blob is
//! checked through it, and a job's blob output stored.

use crate::{pallet::*, BlobKind, BlobRegistry, ContentHash, KeptBlob};
use frame_system::pallet_prelude::BlockNumberFor;
use sp_runtime::{DispatchError, DispatchResult};

impl<T: Config> BlobRegistry<BlockNumberFor<T>, T::AccountId, BalanceOf<T>> for Pallet<T> {
	fn storage_fee(size: u32) -> BalanceOf<T> {
		Self::fee_for(size)
	}

	fn store_paid(
		owner: T::AccountId,
		data: &[u8],
		pay: impl FnOnce(&T::AccountId, BalanceOf<T>) -> DispatchResult,
	) -> Result<ContentHash, DispatchError> {
		Self::store_data(owner, data, pay)
	}

	fn kept_blob(hash: ContentHash) -> Option<KeptBlob<BlockNumberFor<T>>> {
		let info = Self::live_blob(hash)?;
		let (size, pieces) = match info.kind {
			BlobKind::Data => (info.size.into(), 1),
			BlobKind::Manifest { chunks, total_size } => (total_size, chunks),
		};
		Some(KeptBlob { size, pieces, expires_at: info.expires_at })
	}
}

#[cfg(feature = "runtime-benchmarks")]
impl<T: Config> Pallet<T> {
	/// Records a kept manifest naming a file of `size` bytes, kept for the retention period
	/// from now, for other pallets' benchmarks (which read only the record); returns its hash.
	pub fn benchmark_kept_blob(size: u64) -> ContentHash {
		let hash = sp_io::hashing::blake2_256(&[&b"benchmark blob"[..], &size.to_le_bytes()].concat());
		Self::benchmark_keep(hash, size);
		hash
	}

	/// Records a kept manifest `hash` naming a file of `size` bytes, as
	/// [`Pallet::benchmark_kept_blob`] does, under a hash the benchmark computed.
	pub fn benchmark_keep(hash: ContentHash, size: u64) {
		let owner: T::AccountId = frame_benchmarking::v2::account("blob-owner", 0, 0);
		let expires_at = Self::expiry_from_now();
		let kind = BlobKind::Manifest { chunks: 1, total_size: size };
		let now = frame_system::Pallet::<T>::block_number();
		Self::schedule_expiry(hash, expires_at);
		Blobs::<T>::insert(hash, crate::BlobInfo { owner, size: 64, stored_at: now, expires_at, kind });
	}
}
