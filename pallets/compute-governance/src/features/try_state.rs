//! The pallet's invariants, checked by `try_state` and after every test.

use crate::pallet::*;
use frame_support::traits::Get;

impl<T: Config> Pallet<T> {
	/// Every open request is indexed by its job and its job is running; the slot count is the
	/// number of open requests plus kept results, within the limit.
	pub fn do_try_state() -> Result<(), sp_runtime::TryRuntimeError> {
		use frame_support::ensure;
		use pallet_jobs::JobSubmitter;
		let mut requests = 0u32;
		for (id, request) in Requests::<T>::iter() {
			requests += 1;
			ensure!(RequestOfJob::<T>::get(request.job) == Some(id), "an open request is indexed by its job");
			ensure!(T::Jobs::is_live(request.job), "an open request's job is running");
		}
		ensure!(RequestOfJob::<T>::iter().count() as u32 == requests, "only open requests are indexed");
		let slots = requests.saturating_add(Results::<T>::iter().count() as u32);
		ensure!(Slots::<T>::get() == slots, "slots count open requests and kept results");
		ensure!(slots <= T::MaxRequests::get(), "at most MaxRequests slots");
		Ok(())
	}
}
