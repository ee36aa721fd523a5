//! What an owner changes on an active model: its price, and its retirement.

use crate::{pallet::*, HoldReason, ModelId, ModelInfoOf, ModelStatus};
use frame_support::{pallet_prelude::*, traits::{fungible::MutateHold, tokens::Precision}};
use pallet_zk_verifier::Verifier;

impl<T: Config> Pallet<T> {
	/// The model `model` if `who` owns it and it is active.
	pub(crate) fn owned_active(who: &T::AccountId, model: ModelId) -> Result<ModelInfoOf<T>, DispatchError> {
		let info = Models::<T>::get(model).ok_or(Error::<T>::UnknownModel)?;
		ensure!(info.owner == *who, Error::<T>::NotModelOwner);
		ensure!(info.status == ModelStatus::Active, Error::<T>::ModelRetired);
		Ok(info)
	}

	/// Sets the price of `model` if `who` owns it and it is active.
	pub fn do_update_price(who: T::AccountId, model: ModelId, price: BalanceOf<T>) -> DispatchResult {
		let mut info = Self::owned_active(&who, model)?;
		info.spec.price = price;
		Models::<T>::insert(model, info);
		Self::deposit_event(Event::PriceUpdated { model, price });
		Ok(())
	}

	/// Retires `model` if `who` owns it and it is active, releasing the deposit but for the
	/// tombstone's and dropping its blob limits.
	pub fn do_retire_model(who: T::AccountId, model: ModelId) -> DispatchResult {
		let mut info = Self::owned_active(&who, model)?;
		let tombstone = info.deposit.min(T::TombstoneDeposit::get());
		let released = sp_runtime::Saturating::saturating_sub(info.deposit, tombstone);
		T::Currency::release(&HoldReason::ModelDeposit.into(), &who, released, Precision::Exact)?;
		if let Some(key) = &info.spec.verifying_key {
			T::Verifier::release(key);
		}
		BlobLimitsOf::<T>::remove(model);
		info.status = ModelStatus::Retired;
		info.deposit = tombstone;
		Models::<T>::insert(model, info);
		Self::deposit_event(Event::ModelRetired { model, deposit_released: released });
		Ok(())
	}
}
