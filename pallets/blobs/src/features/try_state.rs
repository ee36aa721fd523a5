//! The pallet's invariants, checked by `try_state` and after every test.

use crate::pallet::*;
use frame_support::{ensure, traits::Get};
use sp_runtime::traits::{One, Saturating};

impl<T: Config> Pallet<T> {
	/// Every kept blob is listed once at its expiry block, which has not passed; every listed
	/// hash is a blob expiring there; sizes are within the limit.
	pub fn do_try_state() -> Result<(), sp_runtime::TryRuntimeError> {
		let now = frame_system::Pallet::<T>::block_number();
		let mut listed = alloc::collections::BTreeSet::new();
		for (block, hashes) in Expiring::<T>::iter() {
			ensure!(hashes.is_empty() || block.saturating_add(One::one()) >= now, "no expiry list is left behind");
			for hash in hashes.iter() {
				ensure!(listed.insert(*hash), "a blob is listed once");
				let info = Blobs::<T>::get(hash).ok_or("a listed hash is a kept blob")?;
				ensure!(info.expires_at == block, "a blob is listed at its expiry block");
			}
		}
		let mut blobs = 0usize;
		for (_, info) in Blobs::<T>::iter() {
			blobs += 1;
			ensure!(info.size > 0 && info.size <= T::MaxBlobSize::get(), "sizes are within the limit");
		}
		ensure!(blobs == listed.len(), "every blob is listed exactly once");
		Ok(())
	}
}
