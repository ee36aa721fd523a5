//! The models the treasury may pay for, approved by the model-admin origin.

use crate::pallet::*;
use aichain_compute::ModelId;

impl<T: Config> Pallet<T> {
	/// Approves `model`, or withdraws its approval; see [`Pallet::set_model_approval`].
	pub(crate) fn do_set_model_approval(model: ModelId, approved: bool) {
		if approved {
			ApprovedModels::<T>::insert(model, ());
		} else {
			ApprovedModels::<T>::remove(model);
		}
		Self::deposit_event(Event::ModelApprovalSet { model, approved });
	}
}
