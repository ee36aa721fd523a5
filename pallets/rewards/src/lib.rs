//! # Rewards pallet
//!
//! Pays compute providers for verified work, era by era.
//!
//! ## Overview
//!
//! - The reward pot ([`Config::Pot`]) receives the protocol fee of every completed job (the jobs
//!   pallet's fee collector) and, at the end of each era of [`Config::EraLength`] blocks,
//!   [`Config::EraEmission`] newly minted tokens.
//! - Verified work: the jobs pallet reports every accepted, paid result through
//!   [`aichain_compute::OnVerifiedWork`]; the worker earns points equal to what it was paid
//!   for the result, so work counts by what requesters paid for it.
//! - When an era ends, everything in the pot that is not already owed to providers becomes the
//!   era's reward, split between the era's workers in proportion to their points (rounded
//!   down). An era without verified work allocates nothing: its pot carries over.
//! - [`Pallet::claim_rewards`]: a worker collects what it earned in ended eras. Rewards of an
//!   era not claimed within [`Config::HistoryDepth`] eras expire and return to the pot.
//!
//! Storage stays bounded: one record per worker (the last era it worked in, settled into its
//! claimable balance when a later era begins for it), one payout record per era for the last
//! `HistoryDepth` eras, and the running total of what is owed.
//!
//! ## Incentives
//!
//! Points follow payments, so a provider paying itself through a model it owns earns points:
//! its fees go to the same pot and come back in proportion to its points, so self-dealing nets
//! it `EraEmission × its share of the era's points` and never more than the emission. The
//! analysis and the mitigations not built yet are in `docs/compute-market.md`.
#![cfg_attr(not(feature = "std"), no_std)]

#[cfg(feature = "runtime-benchmarks")]
pub mod benchmarking;
#[cfg(test)]
mod mock;
#[cfg(test)]
mod tests;
pub mod weights;

pub use pallet::*;
pub use weights::WeightInfo;

/// The index of an era.
pub type EraIndex = u32;

#[frame_support::pallet]
pub mod pallet {
	use super::*;
	use codec::{Decode, Encode, MaxEncodedLen};
	use frame_support::{
		pallet_prelude::*,
		traits::{
			fungible::{Inspect, Mutate},
			tokens::{Fortitude, Preservation},
		},
	};
	use frame_system::pallet_prelude::*;
	use scale_info::TypeInfo;
	use sp_runtime::{
		helpers_128bit::multiply_by_rational_with_rounding,
		traits::{Saturating, Zero},
		Rounding, SaturatedConversion,
	};

	/// The in-code storage version.
	const STORAGE_VERSION: StorageVersion = StorageVersion::new(1);

	#[pallet::pallet]
	#[pallet::storage_version(STORAGE_VERSION)]
	pub struct Pallet<T>(_);

	/// Balance type of the reward currency.
	pub type BalanceOf<T> =
		<<T as Config>::Currency as Inspect<<T as frame_system::Config>::AccountId>>::Balance;

	/// The era in progress.
	#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Encode, Decode, TypeInfo, MaxEncodedLen)]
	pub struct ActiveEraInfo<BlockNumber> {
		/// Its index.
		pub index: EraIndex,
		/// The block it began at.
		pub start: BlockNumber,
	}

	/// The reward of an ended era.
	#[derive(Clone, Copy, Debug, PartialEq, Eq, Encode, Decode, TypeInfo, MaxEncodedLen)]
	pub struct EraPayout<Balance> {
		/// Shared between the era's workers.
		pub reward: Balance,
		/// The era's total points.
		pub points: u128,
		/// What has been settled into workers' claimable balances so far.
		pub settled: Balance,
	}

	/// A worker's points in the last era it did verified work in.
	#[derive(Clone, Copy, Debug, PartialEq, Eq, Encode, Decode, TypeInfo, MaxEncodedLen)]
	pub struct WorkRecord {
		/// The era.
		pub era: EraIndex,
		/// Its points in that era.
		pub points: u128,
	}

	#[pallet::config]
	pub trait Config: frame_system::Config<RuntimeEvent: From<Event<Self>>> {
		/// The currency rewards are minted and paid in.
		type Currency: Mutate<Self::AccountId>;

		/// The reward pot: receives fees and emission, pays claims.
		type Pot: Get<Self::AccountId>;

		/// Blocks per era.
		#[pallet::constant]
		type EraLength: Get<BlockNumberFor<Self>>;

		/// Minted into the pot at the end of every era.
		#[pallet::constant]
		type EraEmission: Get<BalanceOf<Self>>;

		/// Eras during which an era's rewards may be claimed; older unclaimed rewards expire.
		#[pallet::constant]
		type HistoryDepth: Get<u32>;

		/// Weights of this pallet's calls and hooks, from its benchmarks.
		type WeightInfo: WeightInfo;
	}

	/// The era in progress.
	#[pallet::storage]
	pub type ActiveEra<T: Config> = StorageValue<_, ActiveEraInfo<BlockNumberFor<T>>, ValueQuery>;

	/// Points of the era in progress.
	#[pallet::storage]
	pub type CurrentEraPoints<T: Config> = StorageValue<_, u128, ValueQuery>;

	/// Rewards of the ended eras that allocated any, for the last `HistoryDepth` eras.
	#[pallet::storage]
	pub type EraPayouts<T: Config> = StorageMap<_, Twox64Concat, EraIndex, EraPayout<BalanceOf<T>>>;

	/// Each worker's points in the last era it did verified work in (settled into
	/// [`Claimable`] once that era has ended and the worker claims or works again).
	#[pallet::storage]
	pub type WorkRecords<T: Config> = StorageMap<_, Blake2_128Concat, T::AccountId, WorkRecord>;

	/// Settled rewards each worker may claim.
	#[pallet::storage]
	pub type Claimable<T: Config> = StorageMap<_, Blake2_128Concat, T::AccountId, BalanceOf<T>, ValueQuery>;

	/// What the pot owes: all of [`Claimable`] plus the unsettled part of every [`EraPayouts`].
	#[pallet::storage]
	pub type Owed<T: Config> = StorageValue<_, BalanceOf<T>, ValueQuery>;

	#[pallet::event]
	#[pallet::generate_deposit(pub(super) fn deposit_event)]
	pub enum Event<T: Config> {
		/// Era `era` ended: `emission` was minted into the pot and `reward` allocated to its
		/// workers by their `points` (nothing when no work was verified; the pot carries over).
		EraEnded { era: EraIndex, emission: BalanceOf<T>, reward: BalanceOf<T>, points: u128 },
		/// `worker` was paid `amount` from the pot.
		RewardsClaimed { worker: T::AccountId, amount: BalanceOf<T> },
		/// `amount` of era `era`'s reward was never claimed and went back to the pot.
		RewardsExpired { era: EraIndex, amount: BalanceOf<T> },
	}

	#[pallet::error]
	pub enum Error<T> {
		/// The signer has no rewards from ended eras to claim.
		NothingToClaim,
	}

	#[pallet::hooks]
	impl<T: Config> Hooks<BlockNumberFor<T>> for Pallet<T> {
		/// Ends the era once `EraLength` blocks have passed since it began.
		fn on_initialize(now: BlockNumberFor<T>) -> Weight {
			let era = ActiveEra::<T>::get();
			if now.saturating_sub(era.start) >= T::EraLength::get() {
				Self::end_era(era.index, now);
				T::WeightInfo::on_initialize_end_era()
			} else {
				T::DbWeight::get().reads(1)
			}
		}

		fn integrity_test() {
			assert!(!T::EraLength::get().is_zero(), "EraLength must not be zero");
			assert!(T::HistoryDepth::get() > 0, "HistoryDepth must not be zero");
		}

		#[cfg(feature = "try-runtime")]
		fn try_state(_n: BlockNumberFor<T>) -> Result<(), sp_runtime::TryRuntimeError> {
			Self::do_try_state()
		}
	}

	#[pallet::call]
	impl<T: Config> Pallet<T> {
		/// Pays the signer everything it earned in ended eras.
		///
		/// - Origin: signed by a worker.
		/// - Effect: settles the signer's points of an ended era into its claimable balance and
		///   transfers that balance from the pot.
		/// - Event: [`Event::RewardsClaimed`].
		/// - Errors: [`Error::NothingToClaim`]; a transfer error if the amount would not create
		///   the signer's account (below the existential deposit).
		#[pallet::call_index(0)]
		#[pallet::weight(T::WeightInfo::claim_rewards())]
		pub fn claim_rewards(origin: OriginFor<T>) -> DispatchResult {
			let worker = ensure_signed(origin)?;
			Self::do_claim_rewards(worker)
		}
	}

	impl<T: Config> Pallet<T> {
		/// Settles and pays `worker`'s rewards; see [`Pallet::claim_rewards`].
		pub fn do_claim_rewards(worker: T::AccountId) -> DispatchResult {
			Self::settle(&worker);
			let amount = Claimable::<T>::take(&worker);
			ensure!(!amount.is_zero(), Error::<T>::NothingToClaim);
			T::Currency::transfer(&T::Pot::get(), &worker, amount, Preservation::Preserve)?;
			Owed::<T>::mutate(|owed| *owed = owed.saturating_sub(amount));
			Self::deposit_event(Event::RewardsClaimed { worker, amount });
			Ok(())
		}

		/// Adds `points` to `worker` in the era in progress.
		pub fn record_work(worker: &T::AccountId, points: u128) {
			if points == 0 {
				return;
			}
			Self::settle(worker);
			let era = ActiveEra::<T>::get().index;
			WorkRecords::<T>::mutate(worker, |record| {
				let record = record.get_or_insert(WorkRecord { era, points: 0 });
				record.points = record.points.saturating_add(points);
			});
			CurrentEraPoints::<T>::mutate(|total| *total = total.saturating_add(points));
		}

		/// Moves `worker`'s share of an ended era into its claimable balance. A share of an
		/// expired era is gone (it went back to the pot when the era expired).
		fn settle(worker: &T::AccountId) {
			let Some(record) = WorkRecords::<T>::get(worker) else { return };
			if record.era >= ActiveEra::<T>::get().index {
				return;
			}
			WorkRecords::<T>::remove(worker);
			EraPayouts::<T>::mutate(record.era, |payout| {
				let Some(payout) = payout else { return };
				let share = Self::share(payout, record.points);
				payout.settled = payout.settled.saturating_add(share);
				Claimable::<T>::mutate(worker, |claimable| *claimable = claimable.saturating_add(share));
			});
		}

		/// `points`' share of an era's reward, rounded down.
		fn share(payout: &EraPayout<BalanceOf<T>>, points: u128) -> BalanceOf<T> {
			let reward: u128 = payout.reward.saturated_into();
			multiply_by_rational_with_rounding(reward, points, payout.points, Rounding::Down)
				.unwrap_or(0)
				.saturated_into()
		}

		/// The pot's balance that is neither owed nor needed to keep the pot alive.
		pub fn unallocated() -> BalanceOf<T> {
			T::Currency::reducible_balance(&T::Pot::get(), Preservation::Preserve, Fortitude::Polite)
				.saturating_sub(Owed::<T>::get())
		}

		/// Ends era `index` at block `now`: mints the emission, allocates the pot's unowed
		/// balance to the era's workers, expires the era that falls out of the history, and
		/// begins the next era.
		pub(crate) fn end_era(index: EraIndex, now: BlockNumberFor<T>) {
			let emission = T::EraEmission::get();
			let minted = T::Currency::mint_into(&T::Pot::get(), emission).unwrap_or_else(|error| {
				log::error!(target: "runtime::rewards", "emission of era {index} not minted: {error:?}");
				Zero::zero()
			});
			let points = CurrentEraPoints::<T>::take();
			let mut reward = Zero::zero();
			if points > 0 {
				reward = Self::unallocated();
				EraPayouts::<T>::insert(index, EraPayout { reward, points, settled: Zero::zero() });
				Owed::<T>::mutate(|owed| *owed = owed.saturating_add(reward));
			}
			Self::deposit_event(Event::EraEnded { era: index, emission: minted, reward, points });
			if let Some(expired) = index.checked_sub(T::HistoryDepth::get()) {
				if let Some(payout) = EraPayouts::<T>::take(expired) {
					let amount = payout.reward.saturating_sub(payout.settled);
					Owed::<T>::mutate(|owed| *owed = owed.saturating_sub(amount));
					Self::deposit_event(Event::RewardsExpired { era: expired, amount });
				}
			}
			ActiveEra::<T>::put(ActiveEraInfo { index: index.saturating_add(1), start: now });
		}

		/// Invariants: what the pot owes equals the claimable balances plus the unsettled parts
		/// of the kept eras, and the pot holds at least that; no era settled more than its
		/// reward; only the last `HistoryDepth` ended eras are kept; the points of the era in
		/// progress are the sum of the workers' records for it.
		pub fn do_try_state() -> Result<(), sp_runtime::TryRuntimeError> {
			let active = ActiveEra::<T>::get().index;
			let mut owed = BalanceOf::<T>::zero();
			for (era, payout) in EraPayouts::<T>::iter() {
				ensure!(payout.settled <= payout.reward, "an era settled more than its reward");
				ensure!(era < active, "payout of an era that has not ended");
				ensure!(
					active.saturating_sub(era) <= T::HistoryDepth::get(),
					"payout of an era older than the history depth"
				);
				owed = owed.saturating_add(payout.reward.saturating_sub(payout.settled));
			}
			for (_, amount) in Claimable::<T>::iter() {
				owed = owed.saturating_add(amount);
			}
			ensure!(owed == Owed::<T>::get(), "owed differs from claimable plus unsettled payouts");
			let spendable =
				T::Currency::reducible_balance(&T::Pot::get(), Preservation::Preserve, Fortitude::Polite);
			ensure!(spendable >= owed, "the pot holds less than it owes");
			let current: u128 = WorkRecords::<T>::iter_values()
				.filter(|record| record.era == active)
				.fold(0u128, |total, record| total.saturating_add(record.points));
			ensure!(current == CurrentEraPoints::<T>::get(), "era points differ from the workers' records");
			ensure!(
				WorkRecords::<T>::iter_values().all(|record| record.era <= active),
				"work recorded for a future era"
			);
			Ok(())
		}
	}

	impl<T: Config> aichain_compute::OnVerifiedWork<T::AccountId, BalanceOf<T>> for Pallet<T> {
		fn on_verified_work(worker: &T::AccountId, payment: BalanceOf<T>) {
			Self::record_work(worker, payment.saturated_into());
		}
	}
}
