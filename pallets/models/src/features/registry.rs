//! What the jobs pallet reads: the terms of an active model.

use crate::{pallet::*, BlobLimits, ModelId, ModelRegistry, ModelStatus, ModelTerms};

impl<T: Config> ModelRegistry<T::AccountId, BalanceOf<T>> for Pallet<T> {
	fn active_model(model: ModelId) -> Option<ModelTerms<T::AccountId, BalanceOf<T>>> {
		let info = Models::<T>::get(model).filter(|info| info.status == ModelStatus::Active)?;
		Some(ModelTerms {
			owner: info.owner,
			kind: info.spec.kind,
			price: info.spec.price,
			royalty_bps: info.spec.royalty_bps,
			verifying_key: info.spec.verifying_key,
			max_input_len: info.spec.max_input_len,
			max_output_len: info.spec.max_output_len,
			min_timeout: info.spec.min_timeout,
			output_tolerance: info.spec.output_tolerance,
		})
	}

	fn blob_limits(model: ModelId) -> Option<BlobLimits> {
		Models::<T>::get(model).filter(|info| info.status == ModelStatus::Active)?;
		BlobLimitsOf::<T>::get(model)
	}
}
