//! A round: the shard jobs over inputs the chain computes, their agreed changes, the outer job,
//! and the next state accepted when its files hash to what the outer job agreed on.

use crate::{pallet::*, Phase, StateFileOf, RoundTask, Training, TrainingId};
use aichain_compute::{
	blob::{BlobRef, ManifestView},
	diloco::{outer_task_files, task_manifest, OuterResult, OuterTask, ShardTask},
	JobId, Tier,
};
use alloc::vec::Vec;
use codec::DecodeAll;
use frame_support::pallet_prelude::*;
use pallet_jobs::BlobJobSubmitter;
use sp_io::hashing::blake2_256;

impl<T: Config> Pallet<T> {
	/// Submits a round's shard jobs; see [`Pallet::start_round`]. Transactional: a job that
	/// cannot be submitted undoes the round.
	pub fn do_start_round(who: T::AccountId, id: TrainingId) -> DispatchResult {
		let mut training = Self::owned(&who, id)?;
		ensure!(training.phase == Phase::Idle, Error::<T>::WrongPhase);
		let settings = training.settings;
		let mut jobs = Vec::with_capacity(settings.shards as usize);
		for shard in 0..settings.shards {
			let (input, _) = Self::shard_input(id, &training, shard);
			let job = Self::submit(&who, &training, training.shard_model, input)?;
			TrainingJobs::<T>::insert(job, (id, RoundTask::Shard(shard)));
			jobs.push(job);
		}
		// `shards` is at most `MaxShards` (checked at creation): nothing is truncated.
		let jobs = BoundedVec::<JobId, T::MaxShards>::truncate_from(jobs);
		let changes = BoundedVec::truncate_from(alloc::vec![None; jobs.len()]);
		training.phase = Phase::Shards { jobs: jobs.clone(), changes };
		let round = training.round;
		Trainings::<T>::insert(id, training);
		Self::deposit_event(Event::RoundStarted { training: id, round, jobs });
		Ok(())
	}

	/// Submits a round's outer job; see [`Pallet::start_outer`].
	pub fn do_start_outer(who: T::AccountId, id: TrainingId) -> DispatchResult {
		let mut training = Self::owned(&who, id)?;
		let Phase::Changes { changes } = &training.phase else { return Err(Error::<T>::WrongPhase.into()) };
		let (input, _) = Self::outer_input(id, &training, changes);
		let job = Self::submit(&who, &training, training.outer_model, input)?;
		TrainingJobs::<T>::insert(job, (id, RoundTask::Outer));
		training.phase = Phase::Outer { job, changes: changes.clone() };
		let round = training.round;
		Trainings::<T>::insert(id, training);
		Self::deposit_event(Event::OuterStarted { training: id, round, job });
		Ok(())
	}

	/// Moves a training to the agreed next state; see [`Pallet::advance`].
	pub fn do_advance(id: TrainingId, parameters: StateFileOf<T>, momentum: StateFileOf<T>) -> DispatchResult {
		let mut training = Trainings::<T>::get(id).ok_or(Error::<T>::UnknownTraining)?;
		let Phase::Agreed { result, .. } = training.phase else { return Err(Error::<T>::WrongPhase.into()) };
		ensure!(
			parameters.hash() == result.parameters && momentum.hash() == result.momentum,
			Error::<T>::StateMismatch
		);
		Self::ensure_stored(&parameters)?;
		Self::ensure_stored(&momentum)?;
		let round = training.round;
		training.parameters = parameters;
		training.momentum = momentum;
		training.round = round.saturating_add(1);
		training.validation_millibits = Some(result.validation_millibits);
		training.phase = Phase::Idle;
		Trainings::<T>::insert(id, training);
		Self::deposit_event(Event::RoundCompleted {
			training: id,
			round,
			parameters: result.parameters,
			momentum: result.momentum,
			validation_millibits: result.validation_millibits,
			rejected: result.rejected,
		});
		Ok(())
	}

	/// Drops a round none of whose jobs runs; see [`Pallet::abandon_round`].
	pub fn do_abandon_round(who: T::AccountId, id: TrainingId) -> DispatchResult {
		let training = Self::owned(&who, id)?;
		ensure!(training.phase != Phase::Idle, Error::<T>::WrongPhase);
		ensure!(!Self::has_running_jobs(&training), Error::<T>::RoundInProgress);
		Self::abandon(id);
		Ok(())
	}

	/// Records a job's agreed output: a shard's change (the round's changes are complete when
	/// it is the last), or the outer step. An output that is not what the task answers (a
	/// majority that agreed on garbage) abandons the round.
	pub fn do_job_completed(id: TrainingId, task: RoundTask, output: &[u8]) {
		let Some(mut training) = Trainings::<T>::get(id) else { return };
		let round = training.round;
		match (task, &mut training.phase) {
			(RoundTask::Shard(shard), Phase::Shards { changes, .. }) => {
				let (Ok(change), Some(slot)) = (BlobRef::decode_all(&mut &output[..]), changes.get_mut(shard as usize))
				else {
					return Self::abandon(id);
				};
				*slot = Some(change);
				Self::deposit_event(Event::ShardCompleted { training: id, round, shard, change });
				if let Some(all) = changes.iter().copied().collect::<Option<Vec<BlobRef>>>() {
					training.phase = Phase::Changes { changes: BoundedVec::truncate_from(all) };
				}
			},
			(RoundTask::Outer, Phase::Outer { changes, .. }) => {
				let Ok(result) = OuterResult::decode_all(&mut &output[..]) else { return Self::abandon(id) };
				training.phase = Phase::Agreed { result, changes: changes.clone() };
				Self::deposit_event(Event::OuterAgreed { training: id, round, result });
			},
			// A job of a round that was dropped already.
			_ => return,
		}
		Trainings::<T>::insert(id, training);
	}

	/// Drops the training's current round: its jobs are forgotten (they run to their end,
	/// paid as any job) and the training is idle at the same round.
	pub(crate) fn abandon(id: TrainingId) {
		Trainings::<T>::mutate(id, |training| {
			let Some(training) = training else { return };
			match &training.phase {
				Phase::Shards { jobs, .. } => jobs.iter().for_each(|job| TrainingJobs::<T>::remove(job)),
				Phase::Outer { job, .. } => TrainingJobs::<T>::remove(job),
				Phase::Idle => return,
				Phase::Changes { .. } | Phase::Agreed { .. } => {},
			}
			training.phase = Phase::Idle;
			Self::deposit_event(Event::RoundAbandoned { training: id, round: training.round });
		});
	}

	/// Whether a job of the training's round is running.
	pub(crate) fn has_running_jobs(training: &Training<T>) -> bool {
		matches!(training.phase, Phase::Shards { .. } | Phase::Outer { .. })
	}

	/// Training `id`, if `who` owns it.
	fn owned(who: &T::AccountId, id: TrainingId) -> Result<Training<T>, DispatchError> {
		let training = Trainings::<T>::get(id).ok_or(Error::<T>::UnknownTraining)?;
		ensure!(training.owner == *who, Error::<T>::NotOwner);
		Ok(training)
	}

	/// Submits a redundancy job of the training's settings over `input`, paid by `who`.
	fn submit(
		who: &T::AccountId,
		training: &Training<T>,
		model: aichain_compute::ModelId,
		input: [u8; 32],
	) -> Result<JobId, DispatchError> {
		let settings = training.settings;
		let tier = Tier::Redundancy { replicas: settings.replicas };
		T::Jobs::submit_blob_job(who.clone(), model, input, tier, settings.max_price, settings.timeout)
	}

	/// The header of shard `shard`'s task in the training's current round, with its seed.
	pub fn shard_task(id: TrainingId, training: &Training<T>, shard: u32) -> ShardTask {
		let settings = &training.settings;
		ShardTask::new(id, training.round, shard, settings.shards, settings.steps, blake2_256)
	}

	/// The input the chain expects of shard `shard`'s job in the current round (the manifest of
	/// its header and the parameters' pieces): its hash and size.
	pub fn shard_input(id: TrainingId, training: &Training<T>, shard: u32) -> ([u8; 32], u64) {
		let header = Self::shard_task(id, training, shard).to_blob();
		let parameters = [(training.parameters.size, &training.parameters.pieces[..])];
		Self::manifest_hash(task_manifest(&header, &parameters, blake2_256))
	}

	/// The input the chain expects of the current round's outer job over the shards' agreed
	/// `changes` (the manifest of its header, the parameters', the momentum's and each change's
	/// pieces): its hash and size.
	pub fn outer_input(id: TrainingId, training: &Training<T>, changes: &[BlobRef]) -> ([u8; 32], u64) {
		let header = Self::outer_task(id, training).to_blob();
		let files = outer_task_files(
			(training.parameters.size, &training.parameters.pieces),
			(training.momentum.size, &training.momentum.pieces),
			changes.iter().map(|change| (change.size, &change.hash)),
		);
		Self::manifest_hash(task_manifest(&header, &files, blake2_256))
	}

	fn manifest_hash(manifest: ManifestView) -> ([u8; 32], u64) {
		(blake2_256(&manifest.to_blob()), manifest.total_size)
	}

	/// The header of the training's current outer task.
	pub fn outer_task(id: TrainingId, training: &Training<T>) -> OuterTask {
		OuterTask {
			training: id,
			round: training.round,
			shards: training.settings.shards,
			steps: training.settings.steps,
		}
	}
}
