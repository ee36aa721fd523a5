//! Eviction: listed workers that take no jobs (a stale heartbeat, or a bond below `MinBond`
//! after a slash) leave every model list, so that squatters and slashed workers cannot hold a
//! model's `MaxWorkersPerModel` slots; an evicted worker's heartbeat lists it again.

use crate::{pallet::*, Error, ModelId, WorkerStatus};
use frame_support::pallet_prelude::*;

impl<T: Config> Pallet<T> {
	/// Ensures `model`'s list has a free slot: if it is full, evicts the first listed worker
	/// that takes no jobs now (one, so the cost is bounded: a scan of the list and the lists
	/// of one worker). Error: [`Error::TooManyWorkersForModel`] (full of working workers).
	pub(crate) fn ensure_room(model: ModelId) -> DispatchResult {
		let list = ModelWorkers::<T>::get(model);
		if (list.len() as u32) < T::MaxWorkersPerModel::get() {
			return Ok(());
		}
		let now = frame_system::Pallet::<T>::block_number();
		let idle = list
			.into_iter()
			.find(|who| Workers::<T>::get(who).is_some_and(|info| !Self::takes_jobs(&info, now)))
			.ok_or(Error::<T>::TooManyWorkersForModel)?;
		Self::evict(&idle);
		Ok(())
	}

	/// Takes an active worker out of all its model lists. It stays registered, bonded and
	/// slashable, and keeps the jobs it holds.
	pub(crate) fn evict(who: &T::AccountId) {
		let Some(mut info) = Workers::<T>::get(who) else { return };
		if info.status != WorkerStatus::Active {
			return;
		}
		for model in info.models.iter() {
			ModelWorkers::<T>::mutate(model, |list| list.retain(|w| w != who));
		}
		info.status = WorkerStatus::Idle;
		Workers::<T>::insert(who, info);
		Self::deposit_event(Event::WorkerEvicted { worker: who.clone() });
	}

	/// Lists an idle worker under all its models again (the caller stores `info`). Errors:
	/// [`Error::BondTooLow`], [`Error::TooManyWorkersForModel`] (a list full of workers that
	/// take jobs).
	pub(crate) fn relist(who: &T::AccountId, info: &mut WorkerInfoOf<T>) -> DispatchResult {
		ensure!(info.bond >= T::MinBond::get(), Error::<T>::BondTooLow);
		for model in info.models.iter() {
			Self::ensure_room(*model)?;
			ModelWorkers::<T>::try_mutate(model, |list| list.try_push(who.clone()))
				.map_err(|_| Error::<T>::TooManyWorkersForModel)?;
		}
		info.status = WorkerStatus::Active;
		Self::deposit_event(Event::WorkerRelisted { worker: who.clone() });
		Ok(())
	}
}
