//! # Workers pallet
//!
//! The registry of compute providers ("workers") that run jobs.
//!
//! ## Overview
//!
//! - [`Pallet::register_worker`]: a provider bonds at least [`Config::MinBond`] (held with
//!   [`HoldReason::WorkerBond`]), declares its [`Capabilities`] (CPU cores, memory, optional GPU)
//!   and the models it runs. It is listed under each model in [`ModelWorkers`] (at most
//!   [`Config::MaxWorkersPerModel`] per model), which is where the jobs pallet draws workers
//!   from without scanning all workers.
//! - [`Pallet::heartbeat`]: signed by the worker's account, usually by its node's offchain
//!   worker. A worker whose last heartbeat is [`Config::HeartbeatTimeout`] blocks old gets no
//!   new jobs.
//! - Eviction: a listed worker that takes no jobs (stale heartbeat, or a bond below `MinBond`
//!   after a slash) is taken out of every model list ([`WorkerStatus::Idle`],
//!   [`Event::WorkerEvicted`]) when a newcomer finds a list full, or at once when a slash
//!   leaves its bond below `MinBond`, so squatters and slashed workers cannot hold a model's
//!   [`Config::MaxWorkersPerModel`] slots. Its next heartbeat (bond at least `MinBond`) lists
//!   it again where there is room.
//! - [`Pallet::bond_extra`]: adds to the bond (e.g. to get back above `MinBond` after a slash).
//!   The addition is held (and slashable) at once but counts for eligibility and selection
//!   only [`Config::BondWarmup`] blocks later: the draw's seed is known a block ahead, and a
//!   bond increase timed after seeing it must not win the draw.
//! - [`Pallet::unbond`] then [`Pallet::withdraw_unbonded`]: a worker holding no jobs stops
//!   taking jobs at once and gets its bond back [`Config::UnbondingPeriod`] blocks later (so it
//!   can still be slashed for what it did before).
//! - Reputation: completed and failed job counts, kept by the jobs pallet through
//!   [`WorkerRegistry`]. A worker's selection weight is its bond scaled by
//!   `(completed + 1) / (completed + failed + 2)`.
//! - [`Pallet::set_encryption_key`]: a worker publishes the X25519 public key that sealed
//!   jobs' keys are sealed to ([`EncryptionKeys`]; the jobs pallet's sealed jobs, see
//!   `docs/data.md`). Usually sent by its node's offchain worker; removed with the worker.
//! - Slashing ([`WorkerRegistry::slash`], used by the jobs pallet): the slashed part of the bond
//!   goes to [`Config::SlashBeneficiary`] (the treasury).
#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

#[cfg(feature = "runtime-benchmarks")]
pub mod benchmarking;
#[cfg(test)]
mod mock;
#[cfg(test)]
mod tests;
mod encryption;
mod eviction;
mod types;
pub mod weights;

pub use aichain_compute::ModelId;
pub use pallet::*;
pub use types::*;
pub use weights::WeightInfo;

use alloc::vec::Vec;

/// How a job ended for the worker that held it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum JobOutcome {
	/// The worker's result was accepted.
	Completed,
	/// The worker failed the job (missed deadline, lost vote, successful challenge).
	Failed,
	/// The job ended without a verdict on the worker (e.g. refunded after a tie).
	Released,
}

/// Sets up what the benchmarks need from other pallets.
#[cfg(feature = "runtime-benchmarks")]
pub trait BenchmarkHelper {
	/// The id of an active model, a different one for each `index` (registering it if needed).
	fn active_model(index: u32) -> ModelId;
}

/// What the jobs pallet needs from the worker registry.
pub trait WorkerRegistry<AccountId, Balance> {
	/// Workers that may take a new job of `model` now, each with its selection weight
	/// (non-zero): active, bonded at least `MinBond`, heartbeat fresh, and listing `model`.
	fn candidates(model: ModelId) -> Vec<(AccountId, u128)>;
	/// Counts a newly assigned job against `who` (it cannot unbond while holding jobs).
	fn job_assigned(who: &AccountId);
	/// Releases a job held by `who` and records the outcome in its reputation.
	fn job_finished(who: &AccountId, outcome: JobOutcome);
	/// Records a rejected result of `who` without releasing the job.
	fn record_failure(who: &AccountId);
	/// Moves up to `amount` of `who`'s bond to the slash beneficiary; returns what was moved.
	fn slash(who: &AccountId, amount: Balance) -> Balance;
	/// Moves up to `amount` of `who`'s bond to `beneficiary` (e.g. a successful challenger);
	/// returns what was moved.
	fn slash_to(who: &AccountId, amount: Balance, beneficiary: &AccountId) -> Balance;
	/// The bond of an active worker, `None` if `who` is not an active worker.
	fn active_bond(who: &AccountId) -> Option<Balance>;
	/// Number of jobs `who` currently holds (for the jobs pallet's invariants).
	fn active_jobs(who: &AccountId) -> u32;
	/// The X25519 key `who` published for sealed jobs ([`Pallet::set_encryption_key`]).
	fn encryption_key(who: &AccountId) -> Option<[u8; 32]>;
	/// The most a slash can cost beyond moving the bond: evicting a worker that fell below
	/// the minimum bond from every list it is in (callers add it per slash).
	fn eviction_weight() -> frame_support::weights::Weight;
}

#[frame_support::pallet]
pub mod pallet {
	use super::*;
	use frame_support::{
		pallet_prelude::*,
		traits::{
			fungible::{Inspect, MutateHold},
			tokens::{Fortitude, Precision, Restriction},
		},
	};
	use frame_system::pallet_prelude::*;
	use pallet_models::ModelRegistry;
	use sp_runtime::{
		traits::{Saturating, UniqueSaturatedInto, Zero},
		Perbill,
	};

	/// The in-code storage version.
	const STORAGE_VERSION: StorageVersion = StorageVersion::new(1);

	#[pallet::pallet]
	#[pallet::storage_version(STORAGE_VERSION)]
	pub struct Pallet<T>(_);

	/// Balance type of the bond currency.
	pub type BalanceOf<T> =
		<<T as Config>::Currency as Inspect<<T as frame_system::Config>::AccountId>>::Balance;

	/// The worker record type of a runtime.
	pub type WorkerInfoOf<T> =
		WorkerInfo<BalanceOf<T>, BlockNumberFor<T>, <T as Config>::MaxModelsPerWorker>;

	#[pallet::config]
	pub trait Config: frame_system::Config<RuntimeEvent: From<Event<Self>>> {
		/// The currency bonds are held in.
		type Currency: MutateHold<Self::AccountId, Reason = Self::RuntimeHoldReason>;

		/// The overarching hold reason.
		type RuntimeHoldReason: From<HoldReason>;

		/// The model registry: a worker may only list active models.
		type Models: ModelRegistry<Self::AccountId, BalanceOf<Self>>;

		/// Smallest bond of a worker that gets jobs.
		#[pallet::constant]
		type MinBond: Get<BalanceOf<Self>>;

		/// Blocks after its last heartbeat at which a worker stops getting new jobs.
		#[pallet::constant]
		type HeartbeatTimeout: Get<BlockNumberFor<Self>>;

		/// Blocks between `unbond` and the bond becoming withdrawable.
		#[pallet::constant]
		type UnbondingPeriod: Get<BlockNumberFor<Self>>;

		/// Blocks after `bond_extra` before the added bond counts for eligibility and
		/// selection (at least 2: longer than the one block for which a draw's seed is known).
		#[pallet::constant]
		type BondWarmup: Get<BlockNumberFor<Self>>;

		/// Most models one worker may list.
		#[pallet::constant]
		type MaxModelsPerWorker: Get<u32>;

		/// Most workers listed under one model.
		#[pallet::constant]
		type MaxWorkersPerModel: Get<u32>;

		/// Receives slashed bonds (the treasury).
		type SlashBeneficiary: Get<Self::AccountId>;

		/// Weights of this pallet's calls, from its benchmarks.
		type WeightInfo: WeightInfo;

		/// Registers what the benchmarks need in other pallets.
		#[cfg(feature = "runtime-benchmarks")]
		type BenchmarkHelper: BenchmarkHelper;
	}

	/// Why this pallet holds funds.
	#[pallet::composite_enum]
	pub enum HoldReason {
		/// A worker's bond.
		WorkerBond,
	}

	/// Registered workers.
	#[pallet::storage]
	pub type Workers<T: Config> = StorageMap<_, Blake2_128Concat, T::AccountId, WorkerInfoOf<T>>;

	/// The active workers listing each model: where jobs draw their workers from.
	#[pallet::storage]
	pub type ModelWorkers<T: Config> =
		StorageMap<_, Twox64Concat, ModelId, BoundedVec<T::AccountId, T::MaxWorkersPerModel>, ValueQuery>;

	/// Each worker's X25519 public key, to which requesters seal the keys of sealed jobs.
	/// Only registered workers have one; removed when the worker withdraws.
	#[pallet::storage]
	pub type EncryptionKeys<T: Config> = StorageMap<_, Blake2_128Concat, T::AccountId, [u8; 32]>;

	#[pallet::event]
	#[pallet::generate_deposit(pub(super) fn deposit_event)]
	pub enum Event<T: Config> {
		/// A worker published (or replaced) its X25519 encryption key.
		EncryptionKeySet { worker: T::AccountId, key: [u8; 32] },
		/// A worker registered and its bond was held.
		WorkerRegistered { worker: T::AccountId, bond: BalanceOf<T> },
		/// A worker added to its bond.
		BondIncreased { worker: T::AccountId, bond: BalanceOf<T> },
		/// A worker stopped taking jobs; its bond is withdrawable from `withdrawable_at`.
		Unbonding { worker: T::AccountId, withdrawable_at: BlockNumberFor<T> },
		/// An unbonded worker withdrew its bond and left the registry.
		Withdrawn { worker: T::AccountId, amount: BalanceOf<T> },
		/// A worker that took no jobs (stale heartbeat, or bond below `MinBond`) left every
		/// model list; its next heartbeat lists it again.
		WorkerEvicted { worker: T::AccountId },
		/// An evicted worker's heartbeat listed it under its models again.
		WorkerRelisted { worker: T::AccountId },
		/// `amount` of a worker's bond was slashed to `beneficiary` (the slash beneficiary, or
		/// a successful challenger).
		Slashed { worker: T::AccountId, amount: BalanceOf<T>, beneficiary: T::AccountId },
	}

	#[pallet::error]
	pub enum Error<T> {
		/// The account is already a registered worker.
		AlreadyRegistered,
		/// The account is not a registered worker.
		NotWorker,
		/// The bond is below `MinBond`.
		BondTooLow,
		/// The account cannot afford the bond.
		InsufficientBalanceForBond,
		/// A worker must list at least one model.
		NoModels,
		/// A model is listed twice.
		DuplicateModel,
		/// A listed model does not exist or is retired.
		UnknownModel,
		/// A listed model already has `MaxWorkersPerModel` workers.
		TooManyWorkersForModel,
		/// Capabilities with zero CPU cores or zero memory.
		InvalidCapabilities,
		/// The worker is unbonding.
		WorkerUnbonding,
		/// The worker still holds jobs.
		WorkerHasJobs,
		/// The worker is not unbonding.
		NotUnbonding,
		/// The unbonding period has not passed yet.
		StillUnbonding,
		/// The amount is zero.
		ZeroAmount,
		/// The worker already published this encryption key.
		SameEncryptionKey,
		/// The encryption key is all zeros (X25519's identity: it would seal to no one).
		InvalidEncryptionKey,
	}

	#[pallet::hooks]
	impl<T: Config> Hooks<BlockNumberFor<T>> for Pallet<T> {
		fn integrity_test() {
			assert!(T::BondWarmup::get() >= 2u32.into(), "BondWarmup must be at least 2 blocks");
		}

		#[cfg(feature = "try-runtime")]
		fn try_state(_n: BlockNumberFor<T>) -> Result<(), sp_runtime::TryRuntimeError> {
			Self::do_try_state()
		}
	}

	#[pallet::call]
	impl<T: Config> Pallet<T> {
		/// Registers the signer as a worker.
		///
		/// - Origin: signed; the signer is the worker (its node signs heartbeats and results
		///   with this account).
		/// - Effect: holds `bond`, stores the worker as active with a heartbeat now, and lists it
		///   under each of `models`.
		/// - Event: [`Event::WorkerRegistered`].
		/// - Errors: [`Error::AlreadyRegistered`], [`Error::BondTooLow`],
		///   [`Error::InvalidCapabilities`], [`Error::NoModels`], [`Error::DuplicateModel`],
		///   [`Error::UnknownModel`], [`Error::TooManyWorkersForModel`],
		///   [`Error::InsufficientBalanceForBond`].
		#[pallet::call_index(0)]
		#[pallet::weight(T::WeightInfo::register_worker(models.len() as u32))]
		pub fn register_worker(
			origin: OriginFor<T>,
			bond: BalanceOf<T>,
			capabilities: Capabilities,
			models: BoundedVec<ModelId, T::MaxModelsPerWorker>,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_register_worker(who, bond, capabilities, models)
		}

		/// Records that the worker is alive.
		///
		/// - Origin: signed by a registered worker.
		/// - Effect: sets its last heartbeat to the current block. An evicted (idle) worker is
		///   listed under its models again, making room by evicting idle workers where a list
		///   is full. No event for a plain heartbeat (it is frequent).
		/// - Event: [`Event::WorkerRelisted`] for an idle worker.
		/// - Errors: [`Error::NotWorker`], [`Error::WorkerUnbonding`]; an idle worker also
		///   [`Error::BondTooLow`], [`Error::TooManyWorkersForModel`].
		#[pallet::call_index(1)]
		// Charged for the worst case (an idle worker relisted under all its models, each list
		// full and its room made by evicting its last entry); a listed worker's heartbeat is
		// refunded down to its own benchmark.
		#[pallet::weight(T::WeightInfo::heartbeat_relisting())]
		pub fn heartbeat(origin: OriginFor<T>) -> DispatchResultWithPostInfo {
			let who = ensure_signed(origin)?;
			let relisted = Self::do_heartbeat(who)?;
			Ok(if relisted { None } else { Some(T::WeightInfo::heartbeat()) }.into())
		}

		/// Adds `amount` to the worker's bond.
		///
		/// - Origin: signed by a registered worker that is not unbonding.
		/// - Event: [`Event::BondIncreased`].
		/// - Errors: [`Error::ZeroAmount`], [`Error::NotWorker`], [`Error::WorkerUnbonding`],
		///   [`Error::InsufficientBalanceForBond`].
		#[pallet::call_index(2)]
		#[pallet::weight(T::WeightInfo::bond_extra())]
		pub fn bond_extra(origin: OriginFor<T>, amount: BalanceOf<T>) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_bond_extra(who, amount)
		}

		/// Stops taking jobs and starts the unbonding period.
		///
		/// - Origin: signed by a registered worker, not unbonding, holding no jobs.
		/// - Effect: the worker leaves the model lists at once; its bond stays held (and
		///   slashable) for `UnbondingPeriod` blocks.
		/// - Event: [`Event::Unbonding`].
		/// - Errors: [`Error::NotWorker`], [`Error::WorkerUnbonding`], [`Error::WorkerHasJobs`].
		#[pallet::call_index(3)]
		#[pallet::weight(T::WeightInfo::unbond(T::MaxModelsPerWorker::get()))]
		pub fn unbond(origin: OriginFor<T>) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_unbond(who)
		}

		/// Releases the bond of an unbonded worker and removes it from the registry.
		///
		/// - Origin: signed by a worker whose unbonding period has passed.
		/// - Event: [`Event::Withdrawn`].
		/// - Errors: [`Error::NotWorker`], [`Error::NotUnbonding`], [`Error::StillUnbonding`].
		#[pallet::call_index(4)]
		#[pallet::weight(T::WeightInfo::withdraw_unbonded())]
		pub fn withdraw_unbonded(origin: OriginFor<T>) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_withdraw_unbonded(who)
		}

		/// Publishes the worker's X25519 public key, to which requesters seal the keys of
		/// sealed jobs assigned to it (the secret stays in its node).
		///
		/// - Origin: signed by a registered worker (active, idle or unbonding: it may still
		///   hold sealed jobs).
		/// - Effect: stores `key` in [`EncryptionKeys`], replacing the previous one; keys
		///   already sealed to the old key stay as they are.
		/// - Event: [`Event::EncryptionKeySet`].
		/// - Errors: [`Error::NotWorker`], [`Error::InvalidEncryptionKey`],
		///   [`Error::SameEncryptionKey`].
		#[pallet::call_index(5)]
		#[pallet::weight(T::WeightInfo::set_encryption_key())]
		pub fn set_encryption_key(origin: OriginFor<T>, key: [u8; 32]) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_set_encryption_key(who, key)
		}
	}

	impl<T: Config> Pallet<T> {
		/// Registers `who`; see [`Pallet::register_worker`].
		pub fn do_register_worker(
			who: T::AccountId,
			bond: BalanceOf<T>,
			capabilities: Capabilities,
			models: BoundedVec<ModelId, T::MaxModelsPerWorker>,
		) -> DispatchResult {
			ensure!(!Workers::<T>::contains_key(&who), Error::<T>::AlreadyRegistered);
			ensure!(bond >= T::MinBond::get(), Error::<T>::BondTooLow);
			ensure!(capabilities.cpu_cores > 0 && capabilities.memory_mb > 0, Error::<T>::InvalidCapabilities);
			ensure!(!models.is_empty(), Error::<T>::NoModels);
			for (i, model) in models.iter().enumerate() {
				ensure!(!models[..i].contains(model), Error::<T>::DuplicateModel);
				ensure!(T::Models::active_model(*model).is_some(), Error::<T>::UnknownModel);
				Self::ensure_room(*model)?;
			}
			T::Currency::hold(&HoldReason::WorkerBond.into(), &who, bond)
				.map_err(|_| Error::<T>::InsufficientBalanceForBond)?;
			for model in models.iter() {
				ModelWorkers::<T>::try_mutate(model, |list| list.try_push(who.clone()))
					.map_err(|_| Error::<T>::TooManyWorkersForModel)?;
			}
			Workers::<T>::insert(
				&who,
				WorkerInfo {
					bond,
					capabilities,
					models,
					status: WorkerStatus::Active,
					last_heartbeat: frame_system::Pallet::<T>::block_number(),
					completed: 0,
					failed: 0,
					active_jobs: 0,
					warming: Zero::zero(),
					warm_at: frame_system::Pallet::<T>::block_number(),
				},
			);
			Self::deposit_event(Event::WorkerRegistered { worker: who, bond });
			Ok(())
		}

		/// The record of `who` if it is a worker that is not unbonding (active or idle).
		fn bonded_worker(who: &T::AccountId) -> Result<WorkerInfoOf<T>, DispatchError> {
			let info = Workers::<T>::get(who).ok_or(Error::<T>::NotWorker)?;
			ensure!(!matches!(info.status, WorkerStatus::Unbonding { .. }), Error::<T>::WorkerUnbonding);
			Ok(info)
		}

		/// Records a heartbeat of `who`, listing it again if it was evicted; returns whether it
		/// was.
		pub fn do_heartbeat(who: T::AccountId) -> Result<bool, DispatchError> {
			let mut info = Self::bonded_worker(&who)?;
			let relisted = info.status == WorkerStatus::Idle;
			if relisted {
				Self::relist(&who, &mut info)?;
			}
			info.last_heartbeat = frame_system::Pallet::<T>::block_number();
			Workers::<T>::insert(&who, info);
			Ok(relisted)
		}

		/// Adds `amount` to the bond of `who`.
		pub fn do_bond_extra(who: T::AccountId, amount: BalanceOf<T>) -> DispatchResult {
			ensure!(!amount.is_zero(), Error::<T>::ZeroAmount);
			let mut info = Self::bonded_worker(&who)?;
			T::Currency::hold(&HoldReason::WorkerBond.into(), &who, amount)
				.map_err(|_| Error::<T>::InsufficientBalanceForBond)?;
			let now = frame_system::Pallet::<T>::block_number();
			info.warming = if now < info.warm_at { info.warming.saturating_add(amount) } else { amount };
			info.warm_at = now.saturating_add(T::BondWarmup::get());
			info.bond = info.bond.saturating_add(amount);
			let bond = info.bond;
			Workers::<T>::insert(&who, info);
			Self::deposit_event(Event::BondIncreased { worker: who, bond });
			Ok(())
		}

		/// Starts the unbonding of `who`.
		pub fn do_unbond(who: T::AccountId) -> DispatchResult {
			let mut info = Self::bonded_worker(&who)?;
			ensure!(info.active_jobs == 0, Error::<T>::WorkerHasJobs);
			for model in info.models.iter() {
				ModelWorkers::<T>::mutate(model, |list| list.retain(|w| *w != who));
			}
			let withdrawable_at =
				frame_system::Pallet::<T>::block_number().saturating_add(T::UnbondingPeriod::get());
			info.status = WorkerStatus::Unbonding { withdrawable_at };
			Workers::<T>::insert(&who, info);
			Self::deposit_event(Event::Unbonding { worker: who, withdrawable_at });
			Ok(())
		}

		/// Releases the bond of `who` after its unbonding period and removes it.
		pub fn do_withdraw_unbonded(who: T::AccountId) -> DispatchResult {
			let info = Workers::<T>::get(&who).ok_or(Error::<T>::NotWorker)?;
			let WorkerStatus::Unbonding { withdrawable_at } = info.status else {
				return Err(Error::<T>::NotUnbonding.into());
			};
			ensure!(frame_system::Pallet::<T>::block_number() >= withdrawable_at, Error::<T>::StillUnbonding);
			T::Currency::release(&HoldReason::WorkerBond.into(), &who, info.bond, Precision::Exact)?;
			Workers::<T>::remove(&who);
			EncryptionKeys::<T>::remove(&who);
			Self::deposit_event(Event::Withdrawn { worker: who, amount: info.bond });
			Ok(())
		}

		/// The bond that counts at `now`: all of it but a bond increase still warming up.
		pub fn effective_bond(info: &WorkerInfoOf<T>, now: BlockNumberFor<T>) -> BalanceOf<T> {
			if now < info.warm_at {
				info.bond.saturating_sub(info.warming)
			} else {
				info.bond
			}
		}

		/// Selection weight of a worker at `now`: its effective bond scaled by
		/// `(completed + 1) / (completed + failed + 2)`, at least 1.
		pub fn selection_weight(info: &WorkerInfoOf<T>, now: BlockNumberFor<T>) -> u128 {
			let reputation = Perbill::from_rational(
				info.completed.saturating_add(1),
				info.completed.saturating_add(info.failed).saturating_add(2),
			);
			let bond: u128 = Self::effective_bond(info, now).unique_saturated_into();
			reputation.mul_floor(bond).max(1)
		}

		/// Whether `info` may take a new job now.
		pub(crate) fn takes_jobs(info: &WorkerInfoOf<T>, now: BlockNumberFor<T>) -> bool {
			info.status == WorkerStatus::Active &&
				Self::effective_bond(info, now) >= T::MinBond::get() &&
				now.saturating_sub(info.last_heartbeat) < T::HeartbeatTimeout::get()
		}

		/// Invariants: each worker's bond is exactly what is held from it; a model list holds
		/// only active workers that list that model, and each active worker is in the lists of
		/// all its models (idle and unbonding workers are in none).
		pub fn do_try_state() -> Result<(), sp_runtime::TryRuntimeError> {
			use frame_support::traits::fungible::InspectHold;
			for (who, info) in Workers::<T>::iter() {
				ensure!(
					T::Currency::balance_on_hold(&HoldReason::WorkerBond.into(), &who) == info.bond,
					"held bond differs from the worker's bond"
				);
				if info.status == WorkerStatus::Active {
					for model in info.models.iter() {
						ensure!(ModelWorkers::<T>::get(model).contains(&who), "active worker missing from a model list");
					}
				}
			}
			for (model, list) in ModelWorkers::<T>::iter() {
				for who in list.iter() {
					let info = Workers::<T>::get(who).ok_or("model list names a non-worker")?;
					ensure!(info.status == WorkerStatus::Active, "model list names an unbonding worker");
					ensure!(info.models.contains(&model), "model list names a worker not listing the model");
				}
			}
			for (who, _) in EncryptionKeys::<T>::iter() {
				ensure!(Workers::<T>::contains_key(&who), "an encryption key of a non-worker");
			}
			Ok(())
		}
	}

	impl<T: Config> WorkerRegistry<T::AccountId, BalanceOf<T>> for Pallet<T> {
		fn candidates(model: ModelId) -> Vec<(T::AccountId, u128)> {
			let now = frame_system::Pallet::<T>::block_number();
			ModelWorkers::<T>::get(model)
				.into_iter()
				.filter_map(|who| {
					let info = Workers::<T>::get(&who)?;
					Self::takes_jobs(&info, now).then(|| {
						let weight = Self::selection_weight(&info, now);
						(who, weight)
					})
				})
				.collect()
		}

		fn job_assigned(who: &T::AccountId) {
			Workers::<T>::mutate(who, |info| {
				if let Some(info) = info {
					info.active_jobs.saturating_inc();
				}
			});
		}

		fn job_finished(who: &T::AccountId, outcome: JobOutcome) {
			Workers::<T>::mutate(who, |info| {
				if let Some(info) = info {
					info.active_jobs.saturating_dec();
					match outcome {
						JobOutcome::Completed => info.completed.saturating_inc(),
						JobOutcome::Failed => info.failed.saturating_inc(),
						JobOutcome::Released => {},
					}
				}
			});
		}

		fn record_failure(who: &T::AccountId) {
			Workers::<T>::mutate(who, |info| {
				if let Some(info) = info {
					info.failed.saturating_inc();
				}
			});
		}

		fn slash(who: &T::AccountId, amount: BalanceOf<T>) -> BalanceOf<T> {
			Self::slash_to(who, amount, &T::SlashBeneficiary::get())
		}

		fn slash_to(who: &T::AccountId, amount: BalanceOf<T>, beneficiary: &T::AccountId) -> BalanceOf<T> {
			let Some(mut info) = Workers::<T>::get(who) else { return Zero::zero() };
			let amount = amount.min(info.bond);
			if amount.is_zero() {
				return amount;
			}
			let moved = T::Currency::transfer_on_hold(
				&HoldReason::WorkerBond.into(),
				who,
				beneficiary,
				amount,
				Precision::BestEffort,
				Restriction::Free,
				Fortitude::Force,
			)
			.unwrap_or_else(|_| Zero::zero());
			info.bond = info.bond.saturating_sub(moved);
			let below_minimum = info.bond < T::MinBond::get();
			Workers::<T>::insert(who, info);
			Self::deposit_event(Event::Slashed { worker: who.clone(), amount: moved, beneficiary: beneficiary.clone() });
			if below_minimum {
				// It takes no jobs until it bonds more: it must not hold list slots meanwhile.
				Self::evict(who);
			}
			moved
		}

		fn encryption_key(who: &T::AccountId) -> Option<[u8; 32]> {
			EncryptionKeys::<T>::get(who)
		}

		fn active_jobs(who: &T::AccountId) -> u32 {
			Workers::<T>::get(who).map_or(0, |info| info.active_jobs)
		}

		fn eviction_weight() -> Weight {
			// An eviction rewrites the lists of all the worker's models, as unbonding does;
			// `unbond` is benchmarked with every list full.
			T::WeightInfo::unbond(T::MaxModelsPerWorker::get())
		}

		fn active_bond(who: &T::AccountId) -> Option<BalanceOf<T>> {
			Workers::<T>::get(who).filter(|info| info.status == WorkerStatus::Active).map(|info| info.bond)
		}
	}
}
