//! Requesting a computation: the budget and tier checks, funding the request's account from
//! the treasury, and posting the job.

use crate::{pallet::*, Action, Request, RequestId};
use aichain_compute::{ModelId, Tier};
use alloc::vec::Vec;
use frame_support::{
	pallet_prelude::*,
	traits::{
		fungible::{Inspect, Mutate},
		tokens::Preservation,
		QueryPreimage,
	},
};
use frame_system::pallet_prelude::BlockNumberFor;
use pallet_jobs::JobSubmitter;
use sp_runtime::traits::{AccountIdConversion, Saturating, Zero};

impl<T: Config> Pallet<T> {
	/// The account that requests and pays for request `id`'s job: created when the request is
	/// funded, emptied back into the treasury when the job ends.
	pub fn request_account(id: RequestId) -> T::AccountId {
		T::PalletId::get().into_sub_account_truncating(id)
	}

	/// Checks and funds a request and posts its job; see [`Pallet::request_computation`].
	#[allow(clippy::too_many_arguments)]
	pub fn do_request(
		origin: PalletsOriginOf<T>,
		budget: BalanceOf<T>,
		model: ModelId,
		input: Vec<u8>,
		tier: Tier,
		max_price: BalanceOf<T>,
		timeout: BlockNumberFor<T>,
		action: ActionOf<T>,
	) -> Result<RequestId, DispatchError> {
		ensure!(max_price <= budget, Error::<T>::OverBudget);
		ensure!(matches!(tier, Tier::Zk | Tier::Redundancy { .. }), Error::<T>::TierNotAllowed);
		ensure!(ApprovedModels::<T>::contains_key(model), Error::<T>::ModelNotApproved);
		if let Action::Keep { blocks } = &action {
			ensure!(!blocks.is_zero() && *blocks <= T::MaxRetention::get(), Error::<T>::BadRetention);
		}
		let slots = Slots::<T>::get();
		ensure!(slots < T::MaxRequests::get(), Error::<T>::TooManyRequests);
		let id = NextRequestId::<T>::get();
		let next = id.checked_add(1).ok_or(Error::<T>::RequestIdOverflow)?;

		let account = Self::request_account(id);
		let funded = max_price.saturating_add(T::Currency::minimum_balance());
		T::Currency::transfer(&T::Treasury::get(), &account, funded, Preservation::Preserve)
			.map_err(|_| Error::<T>::TreasuryCannotPay)?;
		let job = T::Jobs::submit_job(account, model, input, tier, max_price, timeout)?;

		if let Action::Dispatch { if_true, if_false, .. } = &action {
			T::Preimages::hold(if_true);
			T::Preimages::hold(if_false);
		}
		NextRequestId::<T>::put(next);
		Slots::<T>::put(slots + 1);
		RequestOfJob::<T>::insert(job, id);
		Requests::<T>::insert(id, Request { origin, job, model, action });
		Self::deposit_event(Event::ComputationRequested { request: id, job, model, funded });
		Ok(id)
	}
}
