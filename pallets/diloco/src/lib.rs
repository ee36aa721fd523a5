//! # DiLoCo pallet
//!
//! Language-model trainings in DiLoCo rounds (arXiv 2311.08105), with no coordinator the chain
//! must trust: the parameters and the outer optimizer's momentum are files stored as blobs; each
//! round, shard jobs train from the parameters and answer their changes, an outer job combines
//! them, and the chain accepts the next state only when its hashes are what the outer job's
//! workers agreed on (`docs/distributed-training.md`).
//!
//! ## Overview
//!
//! - [`Pallet::create_training`] ([`trainings`]): anyone starts a training from stored
//!   parameters and momentum files, naming the model of its shard tasks (blob outputs) and of
//!   its outer tasks (inline outputs over blobs) and its [`RoundSettings`]. The owner pays for
//!   its storage: [`Config::TrainingDeposit`] is held until [`Pallet::close_training`].
//! - A round ([`rounds`]):
//!   1. [`Pallet::start_round`]: one redundancy job per shard, over the input the chain computes
//!      (`aichain_compute::diloco::task_input_hash`: the manifest of the shard's header and the
//!      parameters' pieces); the owner must have stored it, and pays the jobs;
//!   2. each shard job's agreed change (a blob, checked against its replicas by sketch) is
//!      recorded as it completes;
//!   3. [`Pallet::start_outer`]: the outer job, over the header, the parameters, the momentum
//!      and the changes, answers [`aichain_compute::diloco::OuterResult`]: the hashes of the next
//!      parameters' and momentum's files and their validation loss;
//!   4. [`Pallet::advance`]: anyone who stored those files (they are a deterministic function
//!      of the inputs) names their pieces; the chain checks their hashes against the agreed
//!      ones and that they are kept, and the training moves to them.
//! - A job of the round refunded (no majority, no workers) abandons the round: the state stays
//!   the last completed round's. The owner may also drop a round stuck between jobs
//!   ([`Pallet::abandon_round`]).
//!
//! Workers that disappear are replaced and workers that disagree with their replicas are
//! slashed by the jobs pallet, as for any redundancy job. Bad input returns its own [`Error`]
//! and changes nothing.
#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

#[cfg(feature = "runtime-benchmarks")]
pub mod benchmarking;
mod invariants;
#[cfg(test)]
mod mock;
pub mod rounds;
#[cfg(test)]
mod tests;
pub mod trainings;
pub mod types;
pub mod weights;

pub use aichain_compute::{JobId, ModelId, Tier};
pub use pallet::*;
pub use types::*;
pub use weights::WeightInfo;

/// Id of a training (a counter, never reused).
pub type TrainingId = u32;

/// Sets up what the benchmarks need from the market pallets.
#[cfg(feature = "runtime-benchmarks")]
pub trait BenchmarkHelper<AccountId, Balance> {
	/// Registers an active training-step model answering blob inputs with blob outputs (shard
	/// tasks) and one answering them inline (outer tasks), and the most replicas' workers for
	/// both; returns `(shard, outer)`.
	fn models() -> (ModelId, ModelId);
	/// Records `hash` as a kept blob naming `size` bytes.
	fn keep(hash: [u8; 32], size: u64);
	/// Gives `who` enough to pay any round.
	fn fund(who: &AccountId);
	/// A price above any job's escrow.
	fn max_price() -> Balance;
	/// The most workers a job may ask for.
	fn max_replicas() -> u8;
}

#[frame_support::pallet]
pub mod pallet {
	use super::*;
	use aichain_compute::{blob::BlobRef, diloco::OuterResult};
	use frame_support::{
		pallet_prelude::*,
		traits::fungible::{Inspect, MutateHold},
	};
	use frame_system::pallet_prelude::*;

	/// The in-code storage version.
	const STORAGE_VERSION: StorageVersion = StorageVersion::new(0);

	#[pallet::pallet]
	#[pallet::storage_version(STORAGE_VERSION)]
	pub struct Pallet<T>(_);

	/// Balance type of the deposit currency.
	pub type BalanceOf<T> =
		<<T as Config>::Currency as Inspect<<T as frame_system::Config>::AccountId>>::Balance;

	#[pallet::config]
	pub trait Config: frame_system::Config<RuntimeEvent: From<Event<Self>>> {
		/// What jobs are paid with.
		type Balance: Parameter + Member + MaxEncodedLen + Copy;
		/// The currency a training's deposit is held in.
		type Currency: MutateHold<Self::AccountId, Reason = Self::RuntimeHoldReason>;
		/// The overarching hold reason.
		type RuntimeHoldReason: From<HoldReason>;
		/// Held from a training's owner while the training is stored.
		#[pallet::constant]
		type TrainingDeposit: Get<BalanceOf<Self>>;
		/// The model registry: a training's models must be active training-step models.
		type Models: pallet_models::ModelRegistry<Self::AccountId, Self::Balance>;
		/// The job market that runs the shard and outer jobs over blob inputs.
		type Jobs: pallet_jobs::BlobJobSubmitter<Self::AccountId, Self::Balance, BlockNumberFor<Self>>;
		/// Where state files are stored.
		type Blobs: pallet_blobs::BlobRegistry<BlockNumberFor<Self>, Self::AccountId, Self::Balance>;
		/// The most shards in a round (at most 32: the outer result marks rejected changes in a
		/// `u32`).
		#[pallet::constant]
		type MaxShards: Get<u32>;
		/// The most pieces of a state file.
		#[pallet::constant]
		type MaxStatePieces: Get<u32>;
		/// Weights of the calls and of a job's end, from this pallet's benchmarks.
		type WeightInfo: WeightInfo;
		/// Sets up the benchmarks.
		#[cfg(feature = "runtime-benchmarks")]
		type BenchmarkHelper: crate::BenchmarkHelper<Self::AccountId, Self::Balance>;
	}

	/// Why this pallet holds funds.
	#[pallet::composite_enum]
	pub enum HoldReason {
		/// A training's storage deposit, held from its owner until it is closed.
		TrainingDeposit,
	}

	/// The next training's id.
	#[pallet::storage]
	pub type NextTrainingId<T: Config> = StorageValue<_, TrainingId, ValueQuery>;

	/// Every training.
	#[pallet::storage]
	pub type Trainings<T: Config> = StorageMap<_, Twox64Concat, TrainingId, Training<T>>;

	/// The training and task of every running job of a round.
	#[pallet::storage]
	pub type TrainingJobs<T: Config> = StorageMap<_, Twox64Concat, JobId, (TrainingId, crate::types::RoundTask)>;

	#[pallet::event]
	#[pallet::generate_deposit(pub(super) fn deposit_event)]
	pub enum Event<T: Config> {
		/// A training was created.
		TrainingCreated { training: TrainingId, owner: T::AccountId },
		/// A round's shard jobs were submitted, one per shard, over these inputs.
		RoundStarted { training: TrainingId, round: u32, jobs: BoundedVec<JobId, T::MaxShards> },
		/// A shard job completed: its agreed change is this blob.
		ShardCompleted { training: TrainingId, round: u32, shard: u32, change: BlobRef },
		/// The outer job was submitted.
		OuterStarted { training: TrainingId, round: u32, job: JobId },
		/// The outer job's workers agreed on the next state's hashes and validation loss.
		OuterAgreed { training: TrainingId, round: u32, result: OuterResult },
		/// The training moved to the next state: round `round` is complete.
		RoundCompleted {
			training: TrainingId,
			round: u32,
			parameters: [u8; 32],
			momentum: [u8; 32],
			validation_millibits: u32,
			rejected: u32,
		},
		/// A round was dropped; the state is the last completed round's.
		RoundAbandoned { training: TrainingId, round: u32 },
		/// The owner closed the training: its record is gone and its deposit released.
		TrainingClosed { training: TrainingId, deposit_released: BalanceOf<T> },
	}

	#[pallet::error]
	pub enum Error<T> {
		/// A model does not exist or is retired.
		UnknownModel,
		/// A model is not of kind `TrainingStep`.
		NotATrainingModel,
		/// The shard model does not answer blob inputs with blob outputs.
		ShardModelWithoutBlobOutputs,
		/// The outer model does not answer blob inputs inline.
		OuterModelNotInline,
		/// Shards, steps or replicas out of range (1 to `MaxShards` shards, at least one step, at
		/// least 2 replicas).
		BadSettings,
		/// A state file is not kept as blobs of the size named.
		StateNotStored,
		/// No training has this id.
		UnknownTraining,
		/// Only the training's owner may do this.
		NotOwner,
		/// The training's round is not in the phase this call needs.
		WrongPhase,
		/// A job of the training's round is still running.
		RoundInProgress,
		/// The files named are not those the outer job's workers agreed on.
		StateMismatch,
		/// All training ids are used.
		TrainingIdOverflow,
		/// The owner cannot pay the training's deposit.
		InsufficientBalanceForDeposit,
	}

	#[pallet::hooks]
	impl<T: Config> Hooks<BlockNumberFor<T>> for Pallet<T> {
		#[cfg(feature = "try-runtime")]
		fn try_state(_n: BlockNumberFor<T>) -> Result<(), sp_runtime::TryRuntimeError> {
			Self::do_try_state()
		}
	}

	#[pallet::call]
	impl<T: Config> Pallet<T> {
		/// Creates a training from stored `parameters` and `momentum` files.
		///
		/// - Origin: signed; the signer owns the training.
		/// - Effect: holds [`Config::TrainingDeposit`] and records the training at round 0.
		/// - Event: [`Event::TrainingCreated`].
		/// - Errors: [`Error::UnknownModel`], [`Error::NotATrainingModel`],
		///   [`Error::ShardModelWithoutBlobOutputs`], [`Error::OuterModelNotInline`],
		///   [`Error::BadSettings`], [`Error::StateNotStored`],
		///   [`Error::InsufficientBalanceForDeposit`], [`Error::TrainingIdOverflow`].
		#[pallet::call_index(0)]
		#[pallet::weight(T::WeightInfo::create_training())]
		pub fn create_training(
			origin: OriginFor<T>,
			shard_model: ModelId,
			outer_model: ModelId,
			settings: RoundSettingsOf<T>,
			parameters: StateFileOf<T>,
			momentum: StateFileOf<T>,
		) -> DispatchResult {
			let owner = ensure_signed(origin)?;
			Self::do_create_training(owner, shard_model, outer_model, settings, parameters, momentum).map(drop)
		}

		/// Starts the training's next round: one redundancy job per shard.
		///
		/// - Origin: signed by the owner, who pays the jobs.
		/// - Effect: submits shard `i`'s job over the manifest of its header
		///   (`ShardTask { training, round, shard: i, shards, steps, seed }`) then the parameters'
		///   pieces, which the owner must have stored.
		/// - Events: the jobs pallet's per job, then [`Event::RoundStarted`].
		/// - Errors: [`Error::UnknownTraining`], [`Error::NotOwner`], [`Error::WrongPhase`], and
		///   any of the jobs pallet's `submit_blob_job` (`UnknownInputBlob` for an input not
		///   stored): then no job is submitted.
		#[pallet::call_index(1)]
		#[pallet::weight(T::WeightInfo::start_round(T::MaxShards::get()))]
		pub fn start_round(origin: OriginFor<T>, training: TrainingId) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_start_round(who, training)
		}

		/// Starts the round's outer job, once every shard's change is agreed.
		///
		/// - Origin: signed by the owner, who pays the job.
		/// - Effect: submits a redundancy job over the manifest of the header
		///   (`OuterTask { training, round, shards, steps }`), the parameters' and momentum's
		///   pieces and each change, which the owner must have stored.
		/// - Events: the jobs pallet's, then [`Event::OuterStarted`].
		/// - Errors: [`Error::UnknownTraining`], [`Error::NotOwner`], [`Error::WrongPhase`], and
		///   any of the jobs pallet's `submit_blob_job`.
		#[pallet::call_index(2)]
		#[pallet::weight(T::WeightInfo::start_outer(T::MaxShards::get()))]
		pub fn start_outer(origin: OriginFor<T>, training: TrainingId) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_start_outer(who, training)
		}

		/// Moves the training to the next state the outer job agreed on.
		///
		/// - Origin: signed, anyone (whoever stored the files).
		/// - Effect: checks that `parameters` and `momentum` hash to the agreed hashes and are
		///   kept, then records them, the validation loss and the next round.
		/// - Event: [`Event::RoundCompleted`].
		/// - Errors: [`Error::UnknownTraining`], [`Error::WrongPhase`], [`Error::StateMismatch`],
		///   [`Error::StateNotStored`].
		#[pallet::call_index(3)]
		#[pallet::weight(T::WeightInfo::advance())]
		pub fn advance(
			origin: OriginFor<T>,
			training: TrainingId,
			parameters: StateFileOf<T>,
			momentum: StateFileOf<T>,
		) -> DispatchResult {
			ensure_signed(origin)?;
			Self::do_advance(training, parameters, momentum)
		}

		/// Drops the training's round while none of its jobs runs (its changes agreed but no
		/// outer job started, or an outer step agreed but never stored).
		///
		/// - Origin: signed by the owner.
		/// - Effect: the training is idle at the same round, its state unchanged.
		/// - Event: [`Event::RoundAbandoned`].
		/// - Errors: [`Error::UnknownTraining`], [`Error::NotOwner`], [`Error::RoundInProgress`]
		///   (a job is running), [`Error::WrongPhase`] (no round).
		#[pallet::call_index(4)]
		#[pallet::weight(T::WeightInfo::abandon_round())]
		pub fn abandon_round(origin: OriginFor<T>, training: TrainingId) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_abandon_round(who, training)
		}

		/// Closes the training: removes its record and releases its deposit. Its last state
		/// stays in [`Event::RoundCompleted`].
		///
		/// - Origin: signed by the owner.
		/// - Effect: no job of it may be running.
		/// - Event: [`Event::TrainingClosed`].
		/// - Errors: [`Error::UnknownTraining`], [`Error::NotOwner`], [`Error::RoundInProgress`].
		#[pallet::call_index(5)]
		#[pallet::weight(T::WeightInfo::close_training())]
		pub fn close_training(origin: OriginFor<T>, training: TrainingId) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_close_training(who, training)
		}
	}
}

impl<T: Config> pallet_jobs::OnJobCompleted<T::AccountId> for Pallet<T> {
	fn on_job_completed(job: JobId, _model: ModelId, _requester: &T::AccountId, output: &[u8]) -> frame_support::weights::Weight {
		use frame_support::traits::Get;
		// Most completed jobs are no training's: for them, the lookup is all.
		let Some((training, task)) = TrainingJobs::<T>::take(job) else {
			return T::DbWeight::get().reads(1);
		};
		Self::do_job_completed(training, task, output);
		<Self as pallet_jobs::OnJobCompleted<T::AccountId>>::weight()
	}

	fn on_job_refunded(job: JobId, _model: ModelId, _requester: &T::AccountId, _reason: pallet_jobs::RefundReason) {
		if let Some((training, _)) = TrainingJobs::<T>::take(job) {
			Self::abandon(training);
		}
	}

	fn weight() -> frame_support::weights::Weight {
		<T as Config>::WeightInfo::job_ended(<T::MaxShards as frame_support::traits::Get<u32>>::get())
	}
}
