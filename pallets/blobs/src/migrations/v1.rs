//! Version 0 → 1: expiries move from one bounded list per block (`Expiring`, which a few fees
//! could fill and so refuse everyone's stores at that block) to the (block, hash) map
//! [`Expiries`] walked by [`ExpiryCursor`].

use crate::{pallet::*, ContentHash};
use alloc::vec::Vec;
use frame_support::{
	migrations::VersionedMigration, pallet_prelude::*, storage_alias, traits::UncheckedOnRuntimeUpgrade,
	weights::Weight,
};
use frame_system::pallet_prelude::BlockNumberFor;
use sp_runtime::traits::Saturating;

/// Version 0's storage.
pub mod v0 {
	use super::*;

	/// The blobs whose retention ended at each block (at most `MaxBlobsPerBlock` of them).
	#[storage_alias]
	pub type Expiring<T: Config> =
		StorageMap<Pallet<T>, Twox64Concat, BlockNumberFor<T>, Vec<ContentHash>, ValueQuery>;
}

/// Moves every version-0 expiry list into [`Expiries`] and starts the cursor at the earliest
/// (version 0's hook emptied every list before the previous block, so that is at most the
/// previous block). Reads and writes each listed blob once: the lists held at most
/// `MaxBlobsPerBlock` × the retention period of entries, each paid for by a fee.
pub struct InnerMigrateV0ToV1<T>(core::marker::PhantomData<T>);

impl<T: Config> UncheckedOnRuntimeUpgrade for InnerMigrateV0ToV1<T> {
	fn on_runtime_upgrade() -> Weight {
		let now = frame_system::Pallet::<T>::block_number();
		let mut cursor = now.saturating_sub(1u32.into());
		let (mut reads, mut writes) = (1u64, 1u64);
		for (block, hashes) in v0::Expiring::<T>::drain() {
			reads.saturating_inc();
			writes.saturating_inc();
			cursor = cursor.min(block);
			for hash in hashes {
				writes.saturating_inc();
				Expiries::<T>::insert(block, hash, ());
			}
		}
		ExpiryCursor::<T>::put(cursor);
		T::DbWeight::get().reads_writes(reads, writes)
	}

	#[cfg(feature = "try-runtime")]
	fn pre_upgrade() -> Result<Vec<u8>, sp_runtime::TryRuntimeError> {
		use codec::Encode;
		let listed: u64 = v0::Expiring::<T>::iter_values().map(|hashes| hashes.len() as u64).sum();
		Ok(listed.encode())
	}

	#[cfg(feature = "try-runtime")]
	fn post_upgrade(state: Vec<u8>) -> Result<(), sp_runtime::TryRuntimeError> {
		use codec::Decode;
		let listed = u64::decode(&mut &state[..]).map_err(|_| "the pre-upgrade count decodes")?;
		ensure!(v0::Expiring::<T>::iter_keys().next().is_none(), "version 0's lists are gone");
		ensure!(Expiries::<T>::iter_keys().count() as u64 == listed, "every listed blob moved");
		Pallet::<T>::do_try_state()
	}
}

/// [`InnerMigrateV0ToV1`], run only while the pallet's storage version is 0, which it then sets
/// to 1.
pub type MigrateV0ToV1<T> = VersionedMigration<
	0,
	1,
	InnerMigrateV0ToV1<T>,
	Pallet<T>,
	<T as frame_system::Config>::DbWeight,
>;
