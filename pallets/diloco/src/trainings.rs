//! Creating and closing a training: its models and settings checked, its state files found
//! kept, its deposit held and released.

use crate::{pallet::*, RoundSettingsOf, StateFileOf, Training, TrainingId};
use aichain_compute::{ModelId, ModelKind};
use frame_support::{
	pallet_prelude::*,
	traits::{fungible::MutateHold, tokens::Precision},
};
use pallet_blobs::BlobRegistry;
use pallet_models::ModelRegistry;

impl<T: Config> Pallet<T> {
	/// Checks the models, settings and state and records a training; see
	/// [`Pallet::create_training`].
	pub fn do_create_training(
		owner: T::AccountId,
		shard_model: ModelId,
		outer_model: ModelId,
		settings: RoundSettingsOf<T>,
		parameters: StateFileOf<T>,
		momentum: StateFileOf<T>,
	) -> Result<TrainingId, DispatchError> {
		let shard_limits = Self::training_model(shard_model)?;
		ensure!(
			shard_limits.is_some_and(|l| l.max_input_len > 0 && l.max_output_len > 0),
			Error::<T>::ShardModelWithoutBlobOutputs
		);
		let outer_limits = Self::training_model(outer_model)?;
		ensure!(
			outer_limits.is_some_and(|l| l.max_input_len > 0 && l.max_output_len == 0),
			Error::<T>::OuterModelNotInline
		);
		ensure!(
			(1..=T::MaxShards::get().min(32)).contains(&settings.shards) && settings.steps > 0 && settings.replicas >= 2,
			Error::<T>::BadSettings
		);
		Self::ensure_stored(&parameters)?;
		Self::ensure_stored(&momentum)?;

		let id = NextTrainingId::<T>::get();
		let next = id.checked_add(1).ok_or(Error::<T>::TrainingIdOverflow)?;
		let deposit = T::TrainingDeposit::get();
		T::Currency::hold(&HoldReason::TrainingDeposit.into(), &owner, deposit)
			.map_err(|_| Error::<T>::InsufficientBalanceForDeposit)?;
		NextTrainingId::<T>::put(next);
		let training = Training {
			owner: owner.clone(),
			deposit,
			shard_model,
			outer_model,
			settings,
			parameters,
			momentum,
			round: 0,
			validation_millibits: None,
			phase: crate::Phase::Idle,
		};
		Trainings::<T>::insert(id, training);
		Self::deposit_event(Event::TrainingCreated { training: id, owner });
		Ok(id)
	}

	/// Removes `id` and releases its deposit; see [`Pallet::close_training`].
	pub fn do_close_training(who: T::AccountId, id: TrainingId) -> DispatchResult {
		let training = Trainings::<T>::get(id).ok_or(Error::<T>::UnknownTraining)?;
		ensure!(training.owner == who, Error::<T>::NotOwner);
		ensure!(!Self::has_running_jobs(&training), Error::<T>::RoundInProgress);
		T::Currency::release(&HoldReason::TrainingDeposit.into(), &who, training.deposit, Precision::Exact)?;
		Trainings::<T>::remove(id);
		Self::deposit_event(Event::TrainingClosed { training: id, deposit_released: training.deposit });
		Ok(())
	}

	/// The blob limits of an active training-step `model`.
	fn training_model(model: ModelId) -> Result<Option<pallet_models::BlobLimits>, DispatchError> {
		let terms = T::Models::active_model(model).ok_or(Error::<T>::UnknownModel)?;
		ensure!(terms.kind == ModelKind::TrainingStep, Error::<T>::NotATrainingModel);
		Ok(T::Models::blob_limits(model))
	}

	/// Checks that `file` is kept: a blob (or manifest) of its hash and size.
	pub(crate) fn ensure_stored(file: &StateFileOf<T>) -> DispatchResult {
		let kept = T::Blobs::kept_blob(file.hash()).ok_or(Error::<T>::StateNotStored)?;
		ensure!(kept.size == file.size && !file.pieces.is_empty(), Error::<T>::StateNotStored);
		Ok(())
	}
}
