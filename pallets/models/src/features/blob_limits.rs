//! Jobs over blobs: the owner states how large a blob input the model takes and the shape of
//! its row output blobs, checked so that the chain's per-replica sketch stays bounded.

use crate::{pallet::*, BlobLimits, ModelId, ModelKind};
use aichain_compute::{blob::ROW_OUTPUT_HEADER_LEN, sketch::sketch_len};
use frame_support::pallet_prelude::*;

impl<T: Config> Pallet<T> {
	/// Sets or removes the blob limits of `model` if `who` owns it and it is active; see
	/// [`Pallet::set_blob_limits`].
	pub fn do_set_blob_limits(who: T::AccountId, model: ModelId, limits: Option<BlobLimits>) -> DispatchResult {
		let info = Self::owned_active(&who, model)?;
		match limits {
			Some(limits) => {
				Self::ensure_valid_blob_limits(info.spec.kind, &limits)?;
				BlobLimitsOf::<T>::insert(model, limits);
			},
			None => BlobLimitsOf::<T>::remove(model),
		}
		Self::deposit_event(Event::BlobLimitsSet { model, limits });
		Ok(())
	}

	/// The checks of [`Pallet::set_blob_limits`] on the limits of a model of `kind`.
	fn ensure_valid_blob_limits(kind: ModelKind, limits: &BlobLimits) -> DispatchResult {
		ensure!(limits.max_input_len > 0 || limits.max_output_len > 0, Error::<T>::NoBlobLimits);
		ensure!(
			limits.max_input_len <= T::MaxBlobInputLimit::get() && limits.max_output_len <= T::MaxBlobOutputLimit::get(),
			Error::<T>::LimitTooHigh
		);
		if limits.max_output_len > 0 {
			let row_len = limits.output_row_len as usize;
			ensure!(row_len > 0, Error::<T>::NoBlobLimits);
			ensure!(ROW_OUTPUT_HEADER_LEN + row_len <= limits.max_output_len as usize, Error::<T>::BadRowLength);
			ensure!(
				sketch_len(limits.max_output_len as u64, limits.output_row_len) <= T::MaxSketchLen::get() as u64,
				Error::<T>::SketchTooLong
			);
		}
		// Embeddings and trained changes are floating-point results, quantized: replicas on
		// other CPU kernels may differ by one step in a few values.
		ensure!(
			limits.sketch_tolerance == 0 || matches!(kind, ModelKind::Embedding | ModelKind::TrainingStep),
			Error::<T>::ToleranceOnExactModel
		);
		Ok(())
	}
}
