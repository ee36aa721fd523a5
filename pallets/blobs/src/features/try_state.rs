//! The pallet's invariants, checked by `try_state` and after every test.

use crate::pallet::*;
use frame_support::{ensure, traits::Get};

impl<T: Config> Pallet<T> {
	/// Every kept blob is listed exactly once, at its expiry block; no entry lies behind the
	/// hook's cursor, which is not ahead of the chain; sizes are within the limit.
	pub fn do_try_state() -> Result<(), sp_runtime::TryRuntimeError> {
		let now = frame_system::Pallet::<T>::block_number();
		let cursor = ExpiryCursor::<T>::get();
		ensure!(cursor <= now, "the expiry cursor is not ahead of the chain");
		let mut listed = 0usize;
		for (block, hash, ()) in Expiries::<T>::iter() {
			listed += 1;
			ensure!(block >= cursor, "no expiry is left behind the cursor");
			let info = Blobs::<T>::get(hash).ok_or("a listed hash is a kept blob")?;
			ensure!(info.expires_at == block, "a blob is listed at its expiry block");
		}
		let mut blobs = 0usize;
		for (_, info) in Blobs::<T>::iter() {
			blobs += 1;
			ensure!(info.size > 0 && info.size <= T::MaxBlobSize::get(), "sizes are within the limit");
		}
		// Each listed hash is a blob listed at its own expiry block: equal counts mean a bijection.
		ensure!(blobs == listed, "every blob is listed exactly once");
		Ok(())
	}
}
