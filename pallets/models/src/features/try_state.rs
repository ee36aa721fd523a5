//! The pallet's invariants, checked by `try_state` and after every test.

use crate::{pallet::*, HoldReason, ModelStatus};
use frame_support::{ensure, traits::Get};
use pallet_zk_verifier::Verifier;

impl<T: Config> Pallet<T> {
	/// Invariants: ids are below [`NextModelId`]; a retired model holds at most the
	/// tombstone deposit; per owner, the held model deposit equals the sum of its models'
	/// deposits (active and retired); each verifying key counts exactly the active models
	/// that use it as its users; only active models have blob limits.
	pub fn do_try_state() -> Result<(), sp_runtime::TryRuntimeError> {
		use frame_support::traits::fungible::InspectHold;
		use sp_runtime::Saturating;
		let next = NextModelId::<T>::get();
		let mut per_owner = alloc::collections::btree_map::BTreeMap::<T::AccountId, BalanceOf<T>>::new();
		let mut key_users = alloc::collections::btree_map::BTreeMap::<pallet_zk_verifier::KeyId, u32>::new();
		for (model, info) in Models::<T>::iter() {
			ensure!(model < next, "model id not below NextModelId");
			if info.status == ModelStatus::Retired {
				ensure!(info.deposit <= T::TombstoneDeposit::get(), "retired model holds more than a tombstone");
			} else if let Some(key) = info.spec.verifying_key {
				*key_users.entry(key).or_default() += 1;
			}
			let total = per_owner.entry(info.owner.clone()).or_default();
			*total = total.saturating_add(info.deposit);
		}
		for (owner, total) in per_owner {
			ensure!(
				T::Currency::balance_on_hold(&HoldReason::ModelDeposit.into(), &owner) == total,
				"held model deposit differs from the sum of the owner's models' deposits"
			);
		}
		for (model, _) in BlobLimitsOf::<T>::iter() {
			let active = Models::<T>::get(model).is_some_and(|info| info.status == ModelStatus::Active);
			ensure!(active, "only active models have blob limits");
		}
		for (key, users) in key_users {
			ensure!(T::Verifier::users_of(&key) == users, "a key's users differ from its active models");
		}
		Ok(())
	}
}
