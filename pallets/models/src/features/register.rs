//! Registering a model: the checks on its spec, the deposit, the hold on its verifying key.

use crate::{pallet::*, ModelId, ModelInfo, ModelKind, ModelSpecOf, ModelStatus, MAX_ROYALTY_BPS};
use frame_support::{pallet_prelude::*, traits::fungible::MutateHold};
use pallet_zk_verifier::Verifier;

impl<T: Config> Pallet<T> {
	/// Checks `spec` and registers it for `owner`; returns the new model's id.
	pub fn do_register_model(owner: T::AccountId, spec: ModelSpecOf<T>) -> Result<ModelId, DispatchError> {
		Self::ensure_valid_spec(&spec)?;
		let model = NextModelId::<T>::get();
		let next = model.checked_add(1).ok_or(Error::<T>::ModelIdOverflow)?;
		let deposit = T::ModelDeposit::get();
		T::Currency::hold(&HoldReason::ModelDeposit.into(), &owner, deposit)
			.map_err(|_| Error::<T>::InsufficientBalanceForDeposit)?;
		if let Some(key) = &spec.verifying_key {
			T::Verifier::acquire(key).ok_or(Error::<T>::UnknownVerifyingKey)?;
		}
		NextModelId::<T>::put(next);
		Models::<T>::insert(
			model,
			ModelInfo { owner: owner.clone(), deposit, status: ModelStatus::Active, spec },
		);
		Self::deposit_event(Event::ModelRegistered { model, owner, deposit });
		Ok(model)
	}

	/// The checks of [`Pallet::register_model`] on its spec.
	fn ensure_valid_spec(spec: &ModelSpecOf<T>) -> DispatchResult {
		ensure!(!spec.name.is_empty(), Error::<T>::EmptyName);
		ensure!(spec.royalty_bps <= MAX_ROYALTY_BPS, Error::<T>::RoyaltyTooHigh);
		ensure!(spec.max_input_len > 0 && spec.max_output_len > 0, Error::<T>::ZeroLimit);
		ensure!(spec.min_timeout > 0, Error::<T>::ZeroMinTimeout);
		ensure!(
			spec.output_tolerance == 0 || spec.kind == ModelKind::Embedding,
			Error::<T>::ToleranceOnExactModel
		);
		ensure!(
			spec.max_input_len <= T::MaxInputLimit::get() &&
				spec.max_output_len <= T::MaxOutputLimit::get(),
			Error::<T>::LimitTooHigh
		);
		if let Some(key) = spec.verifying_key {
			let inputs = T::Verifier::public_inputs_of(&key).ok_or(Error::<T>::UnknownVerifyingKey)?;
			let expected = aichain_compute::zk_public_input_count(
				spec.max_input_len as usize,
				spec.max_output_len as usize,
			);
			ensure!(inputs as usize == expected, Error::<T>::VerifyingKeyMismatch);
		}
		Ok(())
	}
}
