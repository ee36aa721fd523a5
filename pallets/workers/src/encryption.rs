//! Workers' X25519 encryption keys ([`EncryptionKeys`]): what requesters seal a sealed job's
//! key to, so that only the assigned workers' nodes can read the job's data.

use crate::pallet::*;
use frame_support::pallet_prelude::*;

impl<T: Config> Pallet<T> {
	/// Stores a registered worker's key; see [`Pallet::set_encryption_key`].
	pub fn do_set_encryption_key(who: T::AccountId, key: [u8; 32]) -> DispatchResult {
		ensure!(Workers::<T>::contains_key(&who), Error::<T>::NotWorker);
		ensure!(key != [0u8; 32], Error::<T>::InvalidEncryptionKey);
		ensure!(EncryptionKeys::<T>::get(&who) != Some(key), Error::<T>::SameEncryptionKey);
		EncryptionKeys::<T>::insert(&who, key);
		Self::deposit_event(Event::EncryptionKeySet { worker: who, key });
		Ok(())
	}
}
