//! How the jobs pallet tells this pallet that a request's job ended.

use crate::pallet::*;
use aichain_compute::{JobId, ModelId};
use crate::weights::WeightInfo;
use pallet_jobs::RefundReason;

impl<T: Config> pallet_jobs::OnJobCompleted<T::AccountId> for Pallet<T> {
	fn on_job_completed(job: JobId, _model: ModelId, _requester: &T::AccountId, output: &[u8]) -> frame_support::weights::Weight {
		// Most completed jobs are no request's: for them, the lookup is all.
		use frame_support::traits::Get;
		if !RequestOfJob::<T>::contains_key(job) {
			return T::DbWeight::get().reads(1);
		}
		Self::do_settle(job, Some(output));
		<Self as pallet_jobs::OnJobCompleted<T::AccountId>>::weight()
	}

	fn on_job_refunded(job: JobId, _model: ModelId, _requester: &T::AccountId, _reason: RefundReason) {
		Self::do_settle(job, None);
	}

	fn weight() -> frame_support::weights::Weight {
		<T as Config>::WeightInfo::settle_dispatch().max(<T as Config>::WeightInfo::settle_keep())
	}
}
