//! Kept results ([`crate::Action::Keep`]): calls that act on them while they last, and their
//! removal once expired.

use crate::{pallet::*, predicate, RequestId};
use frame_support::{dispatch::PostDispatchInfo, pallet_prelude::*};
use crate::weights::WeightInfo;
use sp_runtime::traits::Dispatchable;

impl<T: Config> Pallet<T> {
	/// Dispatches `call` with `origin` if the kept result of `request` satisfies `predicate`;
	/// see [`Pallet::enact_if`].
	pub(crate) fn do_enact_if(
		origin: T::RuntimeOrigin,
		request: RequestId,
		predicate: PredicateOf<T>,
		call: CallOf<T>,
	) -> DispatchResultWithPostInfo {
		let result = Results::<T>::get(request).ok_or(Error::<T>::UnknownResult)?;
		ensure!(frame_system::Pallet::<T>::block_number() <= result.expires_at, Error::<T>::ResultExpired);
		ensure!(predicate::holds(&predicate, &result.output), Error::<T>::PredicateNotSatisfied);
		let outcome = call.dispatch(origin);
		let call_weight = match &outcome {
			Ok(info) => info.actual_weight,
			Err(error) => error.post_info.actual_weight,
		};
		Self::deposit_event(Event::Enacted { request, result: outcome.map(|_| ()).map_err(|e| e.error) });
		let actual = call_weight.map(|w| w.saturating_add(T::WeightInfo::enact_if()));
		Ok(PostDispatchInfo { actual_weight: actual, pays_fee: Pays::Yes })
	}

	/// Removes the kept result of `request` once expired; see [`Pallet::remove_expired_result`].
	pub(crate) fn do_remove_expired_result(request: RequestId) -> DispatchResult {
		let result = Results::<T>::get(request).ok_or(Error::<T>::UnknownResult)?;
		ensure!(frame_system::Pallet::<T>::block_number() > result.expires_at, Error::<T>::ResultNotExpired);
		Results::<T>::remove(request);
		Slots::<T>::mutate(|slots| *slots = slots.saturating_sub(1));
		Self::deposit_event(Event::ResultRemoved { request });
		Ok(())
	}
}
