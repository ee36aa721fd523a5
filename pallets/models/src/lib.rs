//! # Models pallet
//!
//! The marketplace registry of AI models that jobs run on.
//!
//! ## Overview
//!
//! - [`Pallet::register_model`]: anyone registers a model ([`ModelSpec`]: name, kind, SHA-256 and
//!   content address of the weights, for zk-provable models the id of the circuit's registered
//!   Groth16 key, price per job, owner royalty in basis points, input/output limits). A deposit
//!   of [`Config::ModelDeposit`] is held from the owner ([`HoldReason::ModelDeposit`]).
//!   A model's id is a counter and is never reused.
//! - [`Pallet::update_price`]: the owner changes the price of future jobs.
//! - [`Pallet::retire_model`]: the owner retires the model: it accepts no new jobs (jobs already
//!   submitted keep their terms and finish), and the deposit is released but for
//!   [`Config::TombstoneDeposit`]. The record stays as a tombstone so that ids are never reused
//!   and past jobs stay traceable; the storage it keeps stays paid for by that part of the
//!   deposit, held for as long as the record exists.
//! - [`Pallet::set_blob_limits`]: the owner lets the model serve jobs over blobs
//!   ([`BlobLimits`]: the largest blob input, the largest row output blob and how replicas'
//!   sketches of it must agree).
//! - [`ModelRegistry`]: what the jobs pallet reads: the terms of an *active* model, and its blob
//!   limits.
//!
//! For a zk-provable model the key must exist in the verifier and have exactly
//! [`aichain_compute::zk_public_input_count`]`(max_input_len, max_output_len)` public inputs: a zk
//! job's public inputs are built on chain from its input and output
//! ([`aichain_compute::zk_public_inputs`]), so the circuit has fixed input and output sizes.
//!
//! Only the owner changes a model; bad input returns its own [`Error`] and changes nothing.
#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

#[cfg(feature = "runtime-benchmarks")]
pub mod benchmarking;
mod features;
#[cfg(test)]
mod mock;
#[cfg(test)]
mod tests;
mod types;
pub mod weights;

pub use aichain_compute::{ModelId, ModelKind};
pub use pallet::*;
pub use types::*;
pub use weights::WeightInfo;

/// Sets up what the benchmarks need from other pallets.
#[cfg(feature = "runtime-benchmarks")]
pub trait BenchmarkHelper {
	/// Registers a Groth16 key with `public_inputs` public inputs in the verifier; returns its id.
	fn verifying_key(public_inputs: u32) -> pallet_zk_verifier::KeyId;
}

/// The helper of a runtime whose verifier is `pallet_zk_verifier`: trapdoor-simulated keys.
#[cfg(feature = "runtime-benchmarks")]
impl<T: pallet_zk_verifier::Config> BenchmarkHelper for pallet_zk_verifier::SimulatedKeys<T>
where
	<T as pallet_zk_verifier::Config>::Currency: frame_support::traits::fungible::Mutate<T::AccountId>,
{
	fn verifying_key(public_inputs: u32) -> pallet_zk_verifier::KeyId {
		Self::register(public_inputs)
	}
}

/// What the jobs pallet needs from the model registry.
pub trait ModelRegistry<AccountId, Balance> {
	/// The terms of `model` if it exists and is active, `None` otherwise.
	fn active_model(model: ModelId) -> Option<ModelTerms<AccountId, Balance>>;

	/// How `model` serves jobs over blobs, if it is active and its owner allowed them (one more
	/// read: only submissions of blob jobs pay it).
	fn blob_limits(_model: ModelId) -> Option<BlobLimits> {
		None
	}
}

#[frame_support::pallet]
pub mod pallet {
	use super::*;
	use frame_support::{
		pallet_prelude::*,
		traits::fungible::{Inspect, MutateHold},
	};
	use frame_system::pallet_prelude::*;
	use pallet_zk_verifier::Verifier;

	/// The in-code storage version.
	const STORAGE_VERSION: StorageVersion = StorageVersion::new(1);

	#[pallet::pallet]
	#[pallet::storage_version(STORAGE_VERSION)]
	pub struct Pallet<T>(_);

	/// Balance type of the deposit currency.
	pub type BalanceOf<T> =
		<<T as Config>::Currency as Inspect<<T as frame_system::Config>::AccountId>>::Balance;

	#[pallet::config]
	pub trait Config: frame_system::Config<RuntimeEvent: From<Event<Self>>> {
		/// The currency deposits are held in and prices are quoted in.
		type Currency: MutateHold<Self::AccountId, Reason = Self::RuntimeHoldReason>;

		/// The overarching hold reason.
		type RuntimeHoldReason: From<HoldReason>;

		/// The registry of Groth16 keys that zk-provable models refer to.
		type Verifier: Verifier;

		/// Deposit held for every active model.
		#[pallet::constant]
		type ModelDeposit: Get<BalanceOf<Self>>;

		/// The part of [`Config::ModelDeposit`] that stays held for a retired model's record
		/// (its tombstone, kept forever). At most `ModelDeposit`.
		#[pallet::constant]
		type TombstoneDeposit: Get<BalanceOf<Self>>;

		/// Longest model name, in bytes.
		#[pallet::constant]
		type MaxNameLength: Get<u32>;

		/// Longest content address of the weights, in bytes.
		#[pallet::constant]
		type MaxContentAddressLength: Get<u32>;

		/// Largest `max_input_len` a model may declare (bounds the input stored with a job).
		#[pallet::constant]
		type MaxInputLimit: Get<u32>;

		/// Largest `max_output_len` a model may declare (bounds the output stored with a job).
		#[pallet::constant]
		type MaxOutputLimit: Get<u32>;

		/// Largest blob input a model may take, in bytes (a file under a manifest).
		#[pallet::constant]
		type MaxBlobInputLimit: Get<u64>;

		/// Largest output blob a model may write, in bytes (at most the blobs pallet's
		/// `MaxBlobSize`: an output is one blob).
		#[pallet::constant]
		type MaxBlobOutputLimit: Get<u32>;

		/// Most entries in the sketch of an output blob (one per column plus one per row):
		/// bounds what the chain keeps per replica until the job ends.
		#[pallet::constant]
		type MaxSketchLen: Get<u32>;

		/// Weights of this pallet's calls, from its benchmarks.
		type WeightInfo: WeightInfo;

		/// Registers what the benchmarks need in other pallets.
		#[cfg(feature = "runtime-benchmarks")]
		type BenchmarkHelper: BenchmarkHelper;
	}

	/// Why this pallet holds funds.
	#[pallet::composite_enum]
	pub enum HoldReason {
		/// The deposit of an active model.
		ModelDeposit,
	}

	/// The id the next registered model gets.
	#[pallet::storage]
	pub type NextModelId<T: Config> = StorageValue<_, ModelId, ValueQuery>;

	/// Registered models by id (retired ones included).
	#[pallet::storage]
	pub type Models<T: Config> = StorageMap<_, Twox64Concat, ModelId, ModelInfoOf<T>>;

	/// How models serve jobs over blobs, for the active models whose owners allowed them.
	/// Covered by the model's deposit (one bounded entry per model); removed on retirement.
	#[pallet::storage]
	pub type BlobLimitsOf<T: Config> = StorageMap<_, Twox64Concat, ModelId, BlobLimits>;

	#[pallet::event]
	#[pallet::generate_deposit(pub(super) fn deposit_event)]
	pub enum Event<T: Config> {
		/// A model was registered and its deposit held.
		ModelRegistered { model: ModelId, owner: T::AccountId, deposit: BalanceOf<T> },
		/// The owner changed the price of future jobs.
		PriceUpdated { model: ModelId, price: BalanceOf<T> },
		/// The model accepts no new jobs; its deposit was released but for the tombstone's.
		ModelRetired { model: ModelId, deposit_released: BalanceOf<T> },
		/// The owner set (`Some`) or removed (`None`) how the model serves jobs over blobs.
		BlobLimitsSet { model: ModelId, limits: Option<BlobLimits> },
	}

	#[pallet::error]
	pub enum Error<T> {
		/// No model has this id.
		UnknownModel,
		/// Only the model's owner may do this.
		NotModelOwner,
		/// The model is retired.
		ModelRetired,
		/// The model name is empty.
		EmptyName,
		/// The royalty is above 10,000 basis points.
		RoyaltyTooHigh,
		/// An input or output limit is zero.
		ZeroLimit,
		/// The minimum timeout is zero blocks.
		ZeroMinTimeout,
		/// Only models with floating-point outputs may have a tolerance (an inline output's:
		/// embeddings; a sketch's: embeddings and training steps): integer models agree byte for
		/// byte.
		ToleranceOnExactModel,
		/// An input or output limit is above the runtime's maximum.
		LimitTooHigh,
		/// The verifying key is not registered in the verifier.
		UnknownVerifyingKey,
		/// The verifying key's number of public inputs does not match the model's input and
		/// output sizes.
		VerifyingKeyMismatch,
		/// The owner cannot afford the model deposit.
		InsufficientBalanceForDeposit,
		/// All model ids are used.
		ModelIdOverflow,
		/// Blob limits must allow blob inputs or blob outputs (remove them with `None`), and
		/// blob outputs need a non-zero row length.
		NoBlobLimits,
		/// The output blob's rows do not fit: its header alone, or one row, is longer than the
		/// output limit.
		BadRowLength,
		/// The sketch of the largest output would have more than [`Config::MaxSketchLen`]
		/// entries: use longer rows or a smaller output.
		SketchTooLong,
	}

	#[pallet::hooks]
	impl<T: Config> Hooks<BlockNumberFor<T>> for Pallet<T> {
		fn integrity_test() {
			assert!(
				T::TombstoneDeposit::get() <= T::ModelDeposit::get(),
				"TombstoneDeposit must be at most ModelDeposit"
			);
		}

		#[cfg(feature = "try-runtime")]
		fn try_state(_n: BlockNumberFor<T>) -> Result<(), sp_runtime::TryRuntimeError> {
			Self::do_try_state()
		}
	}

	#[pallet::call]
	impl<T: Config> Pallet<T> {
		/// Registers a model.
		///
		/// - Origin: signed; the signer becomes the owner.
		/// - Effect: checks `spec`, holds [`Config::ModelDeposit`] from the owner, counts the
		///   model as a user of its verifying key (which then cannot be unregistered) and stores
		///   the model, active, under the next id.
		/// - Event: [`Event::ModelRegistered`].
		/// - Errors: [`Error::EmptyName`], [`Error::RoyaltyTooHigh`], [`Error::ZeroLimit`],
		///   [`Error::ZeroMinTimeout`], [`Error::ToleranceOnExactModel`], [`Error::LimitTooHigh`],
		///   [`Error::UnknownVerifyingKey`],
		///   [`Error::VerifyingKeyMismatch`], [`Error::InsufficientBalanceForDeposit`],
		///   [`Error::ModelIdOverflow`].
		#[pallet::call_index(0)]
		#[pallet::weight(T::WeightInfo::register_model())]
		pub fn register_model(origin: OriginFor<T>, spec: ModelSpecOf<T>) -> DispatchResult {
			let owner = ensure_signed(origin)?;
			Self::do_register_model(owner, spec).map(|_| ())
		}

		/// Changes the price of future jobs of a model (jobs already submitted keep theirs).
		///
		/// - Origin: signed by the model's owner.
		/// - Event: [`Event::PriceUpdated`].
		/// - Errors: [`Error::UnknownModel`], [`Error::NotModelOwner`], [`Error::ModelRetired`].
		#[pallet::call_index(1)]
		#[pallet::weight(T::WeightInfo::update_price())]
		pub fn update_price(origin: OriginFor<T>, model: ModelId, price: BalanceOf<T>) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_update_price(who, model, price)
		}

		/// Retires a model: it accepts no new jobs, its deposit is released but for
		/// [`Config::TombstoneDeposit`] (held for the record it leaves), and it no longer holds
		/// its verifying key.
		///
		/// - Origin: signed by the model's owner.
		/// - Event: [`Event::ModelRetired`].
		/// - Errors: [`Error::UnknownModel`], [`Error::NotModelOwner`], [`Error::ModelRetired`].
		#[pallet::call_index(2)]
		#[pallet::weight(T::WeightInfo::retire_model())]
		pub fn retire_model(origin: OriginFor<T>, model: ModelId) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_retire_model(who, model)
		}

		/// Sets (`Some`) or removes (`None`) how a model serves jobs over blobs. Jobs already
		/// submitted keep the terms they were submitted under.
		///
		/// - Origin: signed by the model's owner.
		/// - Effect: stores `limits` for the model (or removes them).
		/// - Event: [`Event::BlobLimitsSet`].
		/// - Errors: [`Error::UnknownModel`], [`Error::NotModelOwner`], [`Error::ModelRetired`],
		///   [`Error::NoBlobLimits`], [`Error::LimitTooHigh`], [`Error::BadRowLength`],
		///   [`Error::SketchTooLong`], [`Error::ToleranceOnExactModel`].
		#[pallet::call_index(3)]
		#[pallet::weight(T::WeightInfo::set_blob_limits())]
		pub fn set_blob_limits(origin: OriginFor<T>, model: ModelId, limits: Option<BlobLimits>) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_set_blob_limits(who, model, limits)
		}
	}
}
