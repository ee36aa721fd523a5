//! When a request's job ends: its account's balance returns to the treasury, then the
//! request's action runs — the chosen call is scheduled with the requesting origin, or the
//! verified output is kept.

use crate::{pallet::*, predicate, Action, Outcome, RequestId, StoredResult};
use aichain_compute::JobId;
use frame_support::{
	pallet_prelude::*,
	traits::{
		fungible::{Inspect, Mutate},
		schedule::{v3::Anon as ScheduleAnon, DispatchTime, LOWEST_PRIORITY},
		tokens::{Fortitude, Preservation},
		QueryPreimage,
	},
	BoundedVec,
};
use sp_runtime::traits::{Saturating, Zero};

impl<T: Config> Pallet<T> {
	/// Settles the request of `job`, if this pallet posted it: `output` is the verified
	/// output, `None` if the job was refunded without one. Bounded: one predicate of at most
	/// `MaxClauses` clauses, one transfer, one scheduled call or one kept result.
	pub(crate) fn do_settle(job: JobId, output: Option<&[u8]>) {
		let Some(id) = RequestOfJob::<T>::take(job) else { return };
		let Some(request) = Requests::<T>::take(id) else { return };
		let returned = Self::return_to_treasury(id);
		let outcome = match (request.action, output) {
			(Action::Dispatch { predicate, if_true, if_false }, output) => {
				let holds = output.is_some_and(|output| predicate::holds(&predicate, output));
				let (chosen, other) = if holds { (if_true, if_false) } else { (if_false, if_true) };
				T::Preimages::drop(&other);
				Self::schedule(id, request.origin, chosen);
				Slots::<T>::mutate(|slots| *slots = slots.saturating_sub(1));
				match output {
					None => Outcome::NoResult,
					Some(_) if holds => Outcome::PredicateHeld,
					Some(_) => Outcome::PredicateFailed,
				}
			},
			(Action::Keep { blocks }, Some(output)) => {
				let expires_at = frame_system::Pallet::<T>::block_number().saturating_add(blocks);
				// The jobs pallet bounds outputs by the same limit; a longer one is cut, never dropped.
				let output = BoundedVec::truncate_from(output.to_vec());
				Results::<T>::insert(id, StoredResult { job, model: request.model, output, expires_at });
				Outcome::ResultKept
			},
			(Action::Keep { .. }, None) => {
				Slots::<T>::mutate(|slots| *slots = slots.saturating_sub(1));
				Outcome::NoResult
			},
		};
		Self::deposit_event(Event::RequestSettled { request: id, job, outcome, returned });
	}

	/// Schedules `call` with `origin` for the next block, as referenda enacts a proposal. The
	/// scheduler holds the call's preimage from then on; this pallet's hold is released.
	fn schedule(id: RequestId, origin: PalletsOriginOf<T>, call: BoundedCallOf<T>) {
		let scheduled = T::Scheduler::schedule(DispatchTime::After(Zero::zero()), None, LOWEST_PRIORITY, origin, call.clone());
		T::Preimages::drop(&call);
		if let Err(error) = scheduled {
			Self::deposit_event(Event::CallNotScheduled { request: id, error });
		}
	}

	/// Moves everything the request's account holds freely back to the treasury (the account
	/// is then reaped); returns the amount.
	fn return_to_treasury(id: RequestId) -> BalanceOf<T> {
		let account = Self::request_account(id);
		let amount = T::Currency::reducible_balance(&account, Preservation::Expendable, Fortitude::Polite);
		if amount.is_zero() {
			return amount;
		}
		match T::Currency::transfer(&account, &T::Treasury::get(), amount, Preservation::Expendable) {
			Ok(_) => amount,
			Err(error) => {
				log::error!(target: "runtime::compute-governance", "request {id}: {amount:?} not returned: {error:?}");
				Zero::zero()
			},
		}
	}
}
