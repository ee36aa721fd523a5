//! Benchmarks of the rewards pallet in their worst cases: a claim that first settles an ended
//! era's share, and the end of an era that mints, allocates and expires an old era.

use super::*;
use crate::Pallet as Rewards;
use frame_benchmarking::v2::*;
use frame_support::traits::{
	fungible::{Inspect, Mutate},
	Get, Hooks,
};
use frame_system::{pallet_prelude::BlockNumberFor, RawOrigin};
use sp_runtime::traits::{Bounded, Saturating, Zero};

/// Funds the pot with `amount` beyond what it holds.
fn fund_pot<T: Config>(amount: BalanceOf<T>) {
	let pot = T::Pot::get();
	let balance = T::Currency::balance(&pot);
	T::Currency::set_balance(&pot, balance.saturating_add(amount).saturating_add(T::Currency::minimum_balance()));
}

/// A reward large enough for any share to exceed the existential deposit.
fn big<T: Config>() -> BalanceOf<T> {
	BalanceOf::<T>::max_value() / 1_000_000u32.into()
}

/// Ends the era in progress now.
fn end_current_era<T: Config>() {
	let era = ActiveEra::<T>::get();
	let now = era.start.saturating_add(T::EraLength::get());
	frame_system::Pallet::<T>::set_block_number(now);
	Rewards::<T>::end_era(era.index, now);
}

#[benchmarks]
mod benchmarks {
	use super::*;

	/// The caller worked in an era that has ended: its share is settled, then paid.
	#[benchmark]
	fn claim_rewards() {
		let caller: T::AccountId = whitelisted_caller();
		let other: T::AccountId = account("other", 0, 0);
		Rewards::<T>::record_work(&caller, 3);
		Rewards::<T>::record_work(&other, 1);
		fund_pot::<T>(big::<T>());
		end_current_era::<T>();

		#[extrinsic_call]
		_(RawOrigin::Signed(caller.clone()));

		assert!(Claimable::<T>::get(&caller) == BalanceOf::<T>::zero());
		assert!(WorkRecords::<T>::get(&caller).is_none());
	}

	/// An era with work ends while the era `HistoryDepth` before it still has unclaimed rewards.
	#[benchmark]
	fn on_initialize_end_era() {
		let worker: T::AccountId = account("worker", 0, 0);
		Rewards::<T>::record_work(&worker, 1);
		fund_pot::<T>(big::<T>());
		end_current_era::<T>();
		for _ in 1..T::HistoryDepth::get() {
			end_current_era::<T>();
		}
		Rewards::<T>::record_work(&worker, 1);
		let era = ActiveEra::<T>::get();
		let now: BlockNumberFor<T> = era.start.saturating_add(T::EraLength::get());
		frame_system::Pallet::<T>::set_block_number(now);

		#[block]
		{
			Rewards::<T>::on_initialize(now);
		}

		assert_eq!(ActiveEra::<T>::get().index, era.index + 1);
		assert!(EraPayouts::<T>::get(0).is_none());
	}

	impl_benchmark_test_suite!(Rewards, crate::mock::new_test_ext(), crate::mock::Test);
}
