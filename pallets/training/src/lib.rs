//! # Training pallet
//!
//! Federated training rounds whose every step is proven: a model's parameters live on chain,
//! each round trains them on data shards through zk-tier jobs of a training-step model, and the
//! verified results are averaged into the next parameters.
//!
//! ## Overview
//!
//! - [`Pallet::create_training`]: anyone starts a training of a registered model of kind
//!   [`ModelKind::TrainingStep`] from initial parameters (signed 32-bit fixed-point values,
//!   little-endian, as in [`aichain_compute::fixed`]). The caller owns it and pays for its
//!   storage: [`Config::TrainingDeposit`] is held ([`HoldReason::TrainingDeposit`]) until
//!   [`Pallet::close_training`] removes it (no round running) and releases the deposit.
//! - [`Pallet::start_round`]: the owner posts one zk-tier job per shard, each with input
//!   `parameters ‖ shard`, paid by the owner through the jobs pallet's escrow (see
//!   `pallet_jobs::Pallet::submit_job`).
//! - When a shard job completes (its Groth16 proof verified by the jobs pallet, reported
//!   through `pallet_jobs::OnJobCompleted`), its output (the new parameters of that shard) is
//!   kept; when every shard of the round has completed, the parameters become their mean
//!   ([`aichain_compute::fixed::mean_i32`], federated averaging) and the round is recorded.
//!   Anyone reads a training's current parameters from [`Trainings`].
//!
//! The model's circuit fixes the sizes: a model's output is its new parameters, so
//! `parameters` must be exactly its `max_output_len` bytes, and a shard exactly
//! `max_input_len − max_output_len` bytes. Every shard result is proven; the average is computed
//! here, deterministically, so the recorded parameters follow from proven steps alone.
//!
//! A round whose job was refunded (no worker, deadline missed) can never complete; the next
//! [`Pallet::start_round`] abandons it ([`Event::RoundAbandoned`]) and the parameters stay
//! those of the last completed round.
//!
//! Bad input returns its own [`Error`] and changes nothing.
#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

#[cfg(feature = "runtime-benchmarks")]
pub mod benchmarking;
#[cfg(test)]
mod mock;
#[cfg(test)]
mod tests;
pub mod weights;

pub use aichain_compute::{JobId, ModelId, ModelKind, Tier};
pub use pallet::*;
pub use weights::WeightInfo;

/// Id of a training (a counter, never reused).
pub type TrainingId = u32;

/// Sets up what the benchmarks need from the market pallets.
#[cfg(feature = "runtime-benchmarks")]
pub trait BenchmarkHelper<AccountId, Balance> {
	/// Registers an active zk-provable training-step model with these sizes and a worker for it;
	/// returns the model.
	fn training_model(parameter_bytes: u32, shard_bytes: u32) -> ModelId;
	/// Gives `who` enough to pay any round.
	fn fund(who: &AccountId);
	/// A price above any job's escrow.
	fn max_price() -> Balance;
}

/// What a training-step model's circuit fixes: its output is the new parameters, its input the
/// parameters followed by a shard.
struct Sizes {
	/// Bytes of the parameters (the model's `max_output_len`).
	parameters: u32,
	/// Bytes of a shard (`max_input_len − max_output_len`).
	shard: u32,
}

#[frame_support::pallet]
pub mod pallet {
	use super::*;
	use frame_support::{
		pallet_prelude::*,
		traits::{
			fungible::{Inspect, MutateHold},
			tokens::Precision,
		},
		DebugNoBound,
	};
	use frame_system::pallet_prelude::*;
	use pallet_jobs::JobSubmitter;
	use pallet_models::ModelRegistry;

	/// The in-code storage version.
	const STORAGE_VERSION: StorageVersion = StorageVersion::new(1);

	#[pallet::pallet]
	#[pallet::storage_version(STORAGE_VERSION)]
	pub struct Pallet<T>(_);

	/// Parameters of a training: at most [`Config::MaxParameterBytes`] bytes.
	pub type ParametersOf<T> = BoundedVec<u8, <T as Config>::MaxParameterBytes>;
	/// Balance type of the deposit currency.
	pub type BalanceOf<T> =
		<<T as Config>::Currency as Inspect<<T as frame_system::Config>::AccountId>>::Balance;
	/// A data shard: at most [`Config::MaxShardBytes`] bytes.
	pub type ShardOf<T> = BoundedVec<u8, <T as Config>::MaxShardBytes>;
	/// The shards of a round.
	pub type ShardsOf<T> = BoundedVec<ShardOf<T>, <T as Config>::MaxShards>;

	#[pallet::config]
	pub trait Config: frame_system::Config<RuntimeEvent: From<Event<Self>>> {
		/// What jobs are paid with.
		type Balance: Parameter + Member + MaxEncodedLen + Copy;
		/// The currency a training's deposit is held in.
		type Currency: MutateHold<Self::AccountId, Reason = Self::RuntimeHoldReason>;
		/// The overarching hold reason.
		type RuntimeHoldReason: From<HoldReason>;
		/// Held from a training's owner while the training is stored (its record, with the
		/// largest parameters and round, is at most `Training::max_encoded_len()` bytes).
		#[pallet::constant]
		type TrainingDeposit: Get<BalanceOf<Self>>;
		/// The model registry: a training's model must be an active, provable training step.
		type Models: ModelRegistry<Self::AccountId, Self::Balance>;
		/// The job market that runs and verifies the shard jobs.
		type Jobs: JobSubmitter<Self::AccountId, Self::Balance, BlockNumberFor<Self>>;
		/// The largest parameter vector, in bytes.
		#[pallet::constant]
		type MaxParameterBytes: Get<u32>;
		/// The largest shard, in bytes.
		#[pallet::constant]
		type MaxShardBytes: Get<u32>;
		/// The most shards (jobs) in a round.
		#[pallet::constant]
		type MaxShards: Get<u32>;
		/// Weights of the calls and of completing a shard, from this pallet's benchmarks.
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

	/// The shard jobs of a running round and the results that came in so far.
	#[derive(CloneNoBound, PartialEqNoBound, EqNoBound, DebugNoBound, Encode, Decode, TypeInfo, MaxEncodedLen)]
	#[scale_info(skip_type_params(T))]
	pub struct Round<T: Config> {
		/// One job per shard, in shard order.
		pub jobs: BoundedVec<JobId, T::MaxShards>,
		/// The verified new parameters of each shard, once its job completed.
		pub results: BoundedVec<Option<ParametersOf<T>>, T::MaxShards>,
	}

	/// A training: its model, owner and current parameters.
	#[derive(CloneNoBound, PartialEqNoBound, EqNoBound, DebugNoBound, Encode, Decode, TypeInfo, MaxEncodedLen)]
	#[scale_info(skip_type_params(T))]
	pub struct Training<T: Config> {
		/// Who started it; only they start rounds, and they pay for them.
		pub owner: T::AccountId,
		/// Held from the owner until the training is closed.
		pub deposit: BalanceOf<T>,
		/// The training-step model its jobs run.
		pub model: ModelId,
		/// The current parameters: the initial ones, then the mean of the last completed round.
		pub parameters: ParametersOf<T>,
		/// Rounds completed so far (the next round has this index).
		pub rounds_completed: u32,
		/// The running round, if any.
		pub round: Option<Round<T>>,
	}

	/// The next training's id.
	#[pallet::storage]
	pub type NextTrainingId<T: Config> = StorageValue<_, TrainingId, ValueQuery>;

	/// Every training.
	#[pallet::storage]
	pub type Trainings<T: Config> = StorageMap<_, Twox64Concat, TrainingId, Training<T>>;

	/// The training and shard index of every shard job still expected.
	#[pallet::storage]
	pub type ShardJobs<T: Config> = StorageMap<_, Twox64Concat, JobId, (TrainingId, u32)>;

	#[pallet::event]
	#[pallet::generate_deposit(pub(super) fn deposit_event)]
	pub enum Event<T: Config> {
		/// A training was created.
		TrainingCreated { training: TrainingId, owner: T::AccountId, model: ModelId },
		/// A round was started: one zk job per shard.
		RoundStarted { training: TrainingId, round: u32, jobs: BoundedVec<JobId, T::MaxShards> },
		/// A shard job of a round completed with verified new parameters.
		ShardCompleted { training: TrainingId, round: u32, job: JobId },
		/// Every shard of a round completed: `parameters` (their mean) are the training's now.
		RoundCompleted { training: TrainingId, round: u32, parameters: ParametersOf<T> },
		/// A round one of whose jobs ended without a result was dropped; the parameters did not
		/// change.
		RoundAbandoned { training: TrainingId, round: u32 },
		/// The owner closed the training: its record is gone and its deposit released.
		TrainingClosed { training: TrainingId, deposit_released: BalanceOf<T> },
	}

	#[pallet::error]
	pub enum Error<T> {
		/// The model does not exist or is retired.
		UnknownModel,
		/// The model is not of kind `TrainingStep`.
		NotATrainingModel,
		/// The model has no verifying key: its steps could not be proven.
		ModelNotProvable,
		/// The parameters are not the model's output size (`max_output_len`), or not a whole
		/// number of 32-bit values.
		ParametersLengthMismatch,
		/// No training has this id.
		UnknownTraining,
		/// Only the training's owner may do this.
		NotOwner,
		/// The training's current round still has running jobs.
		RoundInProgress,
		/// A round needs at least one shard.
		NoShards,
		/// A shard is not `max_input_len − max_output_len` bytes.
		ShardLengthMismatch,
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
		/// Creates a training of `model` from `parameters`.
		///
		/// - Origin: signed; the signer owns the training.
		/// - Effect: holds [`Config::TrainingDeposit`] from the signer and records the training
		///   with `parameters` as its current parameters.
		/// - Event: [`Event::TrainingCreated`].
		/// - Errors: [`Error::UnknownModel`], [`Error::NotATrainingModel`],
		///   [`Error::ModelNotProvable`], [`Error::ParametersLengthMismatch`],
		///   [`Error::InsufficientBalanceForDeposit`], [`Error::TrainingIdOverflow`].
		#[pallet::call_index(0)]
		#[pallet::weight(T::WeightInfo::create_training())]
		pub fn create_training(origin: OriginFor<T>, model: ModelId, parameters: ParametersOf<T>) -> DispatchResult {
			let owner = ensure_signed(origin)?;
			Self::do_create_training(owner, model, parameters).map(|_| ())
		}

		/// Starts the next round of `training` on `shards`.
		///
		/// - Origin: signed by the training's owner, who pays the jobs.
		/// - Effect: abandons a previous round that can no longer complete, then submits one
		///   zk-tier job per shard with input `parameters ‖ shard` through the jobs pallet, each
		///   at most `max_price_per_job` and with `timeout` blocks per phase.
		/// - Events: [`Event::RoundAbandoned`] if a dead round was dropped, the jobs pallet's
		///   `JobSubmitted` (and `JobAssigned`) per shard, then [`Event::RoundStarted`].
		/// - Errors: [`Error::UnknownTraining`], [`Error::NotOwner`], [`Error::RoundInProgress`],
		///   [`Error::NoShards`], [`Error::UnknownModel`] (retired since),
		///   [`Error::ShardLengthMismatch`], and any error of the jobs pallet's `submit_job`
		///   (the price, the owner's balance): then no job of the round is submitted.
		#[pallet::call_index(1)]
		#[pallet::weight(T::WeightInfo::start_round(shards.len() as u32))]
		pub fn start_round(
			origin: OriginFor<T>,
			training: TrainingId,
			shards: ShardsOf<T>,
			max_price_per_job: T::Balance,
			timeout: BlockNumberFor<T>,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_start_round(who, training, shards, max_price_per_job, timeout)
		}

		/// Closes `training`: removes its record (and what is left of a dead round) and
		/// releases its deposit. Its last parameters stay in [`Event::RoundCompleted`].
		///
		/// - Origin: signed by the training's owner.
		/// - Effect: no round of it may be running; a round whose jobs all ended is dropped.
		/// - Event: [`Event::TrainingClosed`].
		/// - Errors: [`Error::UnknownTraining`], [`Error::NotOwner`], [`Error::RoundInProgress`].
		#[pallet::call_index(2)]
		#[pallet::weight(T::WeightInfo::close_training(T::MaxShards::get()))]
		pub fn close_training(origin: OriginFor<T>, training: TrainingId) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_close_training(who, training)
		}
	}

	impl<T: Config> Pallet<T> {
		/// Checks `model` and `parameters` and records a training; see
		/// [`Pallet::create_training`].
		pub fn do_create_training(
			owner: T::AccountId,
			model: ModelId,
			parameters: ParametersOf<T>,
		) -> Result<TrainingId, DispatchError> {
			let sizes = Self::sizes(model)?;
			ensure!(
				parameters.len() % 4 == 0 && parameters.len() as u32 == sizes.parameters,
				Error::<T>::ParametersLengthMismatch
			);
			let id = NextTrainingId::<T>::get();
			let next = id.checked_add(1).ok_or(Error::<T>::TrainingIdOverflow)?;
			let deposit = T::TrainingDeposit::get();
			T::Currency::hold(&HoldReason::TrainingDeposit.into(), &owner, deposit)
				.map_err(|_| Error::<T>::InsufficientBalanceForDeposit)?;
			NextTrainingId::<T>::put(next);
			Trainings::<T>::insert(
				id,
				Training { owner: owner.clone(), deposit, model, parameters, rounds_completed: 0, round: None },
			);
			Self::deposit_event(Event::TrainingCreated { training: id, owner, model });
			Ok(id)
		}

		/// Submits a round's shard jobs; see [`Pallet::start_round`]. Transactional: a job that
		/// cannot be submitted undoes the round.
		pub fn do_start_round(
			who: T::AccountId,
			id: TrainingId,
			shards: ShardsOf<T>,
			max_price_per_job: T::Balance,
			timeout: BlockNumberFor<T>,
		) -> DispatchResult {
			let mut training = Trainings::<T>::get(id).ok_or(Error::<T>::UnknownTraining)?;
			ensure!(training.owner == who, Error::<T>::NotOwner);
			ensure!(!shards.is_empty(), Error::<T>::NoShards);
			if let Some(round) = &training.round {
				ensure!(!Self::still_running(round), Error::<T>::RoundInProgress);
			}
			let shard_len = Self::sizes(training.model)?.shard;
			ensure!(shards.iter().all(|s| s.len() as u32 == shard_len), Error::<T>::ShardLengthMismatch);

			if let Some(dead) = training.round.take() {
				for job in dead.jobs {
					ShardJobs::<T>::remove(job);
				}
				Self::deposit_event(Event::RoundAbandoned { training: id, round: training.rounds_completed });
			}
			let mut submitted = alloc::vec::Vec::with_capacity(shards.len());
			for (index, shard) in shards.iter().enumerate() {
				let input = [&training.parameters[..], &shard[..]].concat();
				let job = T::Jobs::submit_job(who.clone(), training.model, input, Tier::Zk, max_price_per_job, timeout)?;
				ShardJobs::<T>::insert(job, (id, index as u32));
				submitted.push(job);
			}
			// One job per shard, and `shards` is bounded by `MaxShards`: nothing is truncated.
			let jobs = BoundedVec::<JobId, T::MaxShards>::truncate_from(submitted);
			let results = BoundedVec::truncate_from(alloc::vec![None; jobs.len()]);
			training.round = Some(Round { jobs: jobs.clone(), results });
			let round = training.rounds_completed;
			Trainings::<T>::insert(id, training);
			Self::deposit_event(Event::RoundStarted { training: id, round, jobs });
			Ok(())
		}

		/// Removes `id` and releases its deposit; see [`Pallet::close_training`].
		pub fn do_close_training(who: T::AccountId, id: TrainingId) -> DispatchResult {
			let training = Trainings::<T>::get(id).ok_or(Error::<T>::UnknownTraining)?;
			ensure!(training.owner == who, Error::<T>::NotOwner);
			if let Some(round) = &training.round {
				ensure!(!Self::still_running(round), Error::<T>::RoundInProgress);
				for job in round.jobs.iter() {
					ShardJobs::<T>::remove(job);
				}
			}
			T::Currency::release(&HoldReason::TrainingDeposit.into(), &who, training.deposit, Precision::Exact)?;
			Trainings::<T>::remove(id);
			Self::deposit_event(Event::TrainingClosed { training: id, deposit_released: training.deposit });
			Ok(())
		}

		/// Records a completed shard job's verified output, and averages the round when it was
		/// the last one. Jobs that are not shard jobs are ignored.
		pub fn do_shard_completed(job: JobId, output: &[u8]) {
			let Some((id, index)) = ShardJobs::<T>::take(job) else { return };
			let Some(mut training) = Trainings::<T>::get(id) else { return };
			let round_index = training.rounds_completed;
			let Some(round) = training.round.as_mut() else { return };
			// The model's circuit fixes the output size; a different one cannot be averaged
			// and leaves the round incomplete (abandoned by the next `start_round`).
			let result = match ParametersOf::<T>::try_from(output.to_vec()) {
				Ok(result) if result.len() == training.parameters.len() => result,
				_ => {
					log::warn!(target: "runtime::training", "job {job}: output of {} bytes is not parameters", output.len());
					return;
				},
			};
			let Some(slot) = round.results.get_mut(index as usize) else { return };
			*slot = Some(result);
			Self::deposit_event(Event::ShardCompleted { training: id, round: round_index, job });

			let finished: Option<alloc::vec::Vec<alloc::vec::Vec<i32>>> = round
				.results
				.iter()
				.map(|r| r.as_ref().and_then(|p| aichain_compute::fixed::decode_i32(p)))
				.collect();
			if let Some(mean) = finished.as_deref().and_then(aichain_compute::fixed::mean_i32) {
				training.parameters = BoundedVec::truncate_from(aichain_compute::fixed::encode_i32(&mean));
				training.rounds_completed = training.rounds_completed.saturating_add(1);
				training.round = None;
				Self::deposit_event(Event::RoundCompleted {
					training: id,
					round: round_index,
					parameters: training.parameters.clone(),
				});
			}
			Trainings::<T>::insert(id, training);
		}

		/// Whether some job of `round` without a result is still running.
		fn still_running(round: &Round<T>) -> bool {
			round.jobs.iter().zip(&round.results).any(|(job, result)| result.is_none() && T::Jobs::is_live(*job))
		}

		/// The parameter and shard sizes of an active, provable training-step `model`.
		fn sizes(model: ModelId) -> Result<Sizes, DispatchError> {
			let terms = T::Models::active_model(model).ok_or(Error::<T>::UnknownModel)?;
			ensure!(terms.kind == ModelKind::TrainingStep, Error::<T>::NotATrainingModel);
			ensure!(terms.verifying_key.is_some(), Error::<T>::ModelNotProvable);
			let shard = terms.max_input_len.saturating_sub(terms.max_output_len);
			ensure!(shard > 0, Error::<T>::ParametersLengthMismatch);
			Ok(Sizes { parameters: terms.max_output_len, shard })
		}

		/// Invariants: a running round has one result slot per job and at least one job; every
		/// job of a running round still without a result maps back to its training and slot in
		/// [`ShardJobs`], and every entry of [`ShardJobs`] is such a job; per owner, the held
		/// training deposit equals the sum of its trainings' deposits.
		#[cfg(any(feature = "try-runtime", test))]
		pub fn do_try_state() -> Result<(), sp_runtime::TryRuntimeError> {
			use frame_support::traits::fungible::InspectHold;
			let mut expected = 0usize;
			let mut per_owner = alloc::collections::btree_map::BTreeMap::<T::AccountId, BalanceOf<T>>::new();
			for (_, training) in Trainings::<T>::iter() {
				let total = per_owner.entry(training.owner.clone()).or_default();
				*total = sp_runtime::Saturating::saturating_add(*total, training.deposit);
			}
			for (owner, total) in per_owner {
				ensure!(
					T::Currency::balance_on_hold(&HoldReason::TrainingDeposit.into(), &owner) == total,
					"held training deposit differs from the sum of the owner's trainings"
				);
			}
			for (id, training) in Trainings::<T>::iter() {
				ensure!(training.parameters.len() % 4 == 0, "parameters are whole i32 values");
				let Some(round) = training.round else { continue };
				ensure!(!round.jobs.is_empty() && round.jobs.len() == round.results.len(), "one result slot per job");
				for (index, (job, result)) in round.jobs.iter().zip(&round.results).enumerate() {
					if result.is_none() {
						expected += 1;
						ensure!(
							ShardJobs::<T>::get(job) == Some((id, index as u32)),
							"a job awaiting its result is indexed"
						);
					}
				}
			}
			ensure!(ShardJobs::<T>::iter().count() == expected, "only awaited jobs are indexed");
			Ok(())
		}
	}
}

impl<T: Config> pallet_jobs::OnJobCompleted<T::AccountId> for Pallet<T> {
	fn on_job_completed(job: JobId, _model: ModelId, _requester: &T::AccountId, output: &[u8]) -> frame_support::weights::Weight {
		// Most completed jobs are no round's shard: for them, the lookup is all.
		use frame_support::traits::Get;
		if !ShardJobs::<T>::contains_key(job) {
			return T::DbWeight::get().reads(1);
		}
		Self::do_shard_completed(job, output);
		<Self as pallet_jobs::OnJobCompleted<T::AccountId>>::weight()
	}

	fn weight() -> frame_support::weights::Weight {
		<T as Config>::WeightInfo::complete_round(<T::MaxShards as frame_support::traits::Get<u32>>::get())
	}
}
