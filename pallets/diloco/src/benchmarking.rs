//! Benchmarks of the DiLoCo pallet, each in its worst case: state files of the most pieces;
//! rounds of `s` shards whose jobs are submitted and assigned to the most replicas; the last
//! shard of a round completing; a refund abandoning a round of `s` running shard jobs.

use super::*;
use crate::Pallet as DilocoPallet;
use aichain_compute::{
	blob::BlobRef,
	diloco::OuterResult,
};
use alloc::vec::Vec;
use frame_benchmarking::v2::*;
use frame_support::{
	traits::{
		fungible::{Inspect, Mutate},
		Get,
	},
	BoundedVec,
};
use frame_system::RawOrigin;
use sp_io::hashing::blake2_256;
use codec::{Encode, MaxEncodedLen};
use sp_runtime::traits::{Bounded, Saturating};

/// The [`BenchmarkHelper`] of a runtime whose market is this repository's models, workers,
/// jobs and blobs pallets.
pub struct MarketPallets<T>(core::marker::PhantomData<T>);

impl<T> BenchmarkHelper<T::AccountId, pallet_jobs::BalanceOf<T>> for MarketPallets<T>
where
	T: pallet_jobs::Config + pallet_models::Config + pallet_workers::Config + pallet_zk_verifier::Config + pallet_blobs::Config,
	<T as pallet_jobs::Config>::Currency: Mutate<T::AccountId>,
	<T as pallet_zk_verifier::Config>::Currency: Mutate<T::AccountId>,
	<T as pallet_models::Config>::Currency: Mutate<T::AccountId>,
	<T as pallet_workers::Config>::Currency: Mutate<T::AccountId>,
	<T as pallet_blobs::Config>::Currency: Mutate<T::AccountId>,
{
	fn models() -> (ModelId, ModelId) {
		use pallet_jobs::BenchmarkHelper as _;
		type Market<T> = pallet_jobs::MarketPallets<T>;
		let owner: T::AccountId = account("diloco-model-owner", 0, 0);
		<T as pallet_models::Config>::Currency::set_balance(
			&owner,
			pallet_models::BalanceOf::<T>::max_value() / 1_000_000u32.into(),
		);
		let register = |limits: pallet_models::BlobLimits| {
			let spec = pallet_models::ModelSpec {
				kind: aichain_compute::ModelKind::TrainingStep,
				..pallet_models::benchmarking::spec::<T>(None, 1, OuterResult::max_encoded_len() as u32)
			};
			let model = pallet_models::Pallet::<T>::do_register_model(owner.clone(), spec)
				.expect("a funded owner registers a model; qed");
			pallet_models::Pallet::<T>::do_set_blob_limits(owner.clone(), model, Some(limits))
				.expect("the owner of an active training-step model sets limits within the bounds; qed");
			model
		};
		let (max_input_len, ..) = Market::<T>::blob_bounds();
		let inputs = pallet_models::BlobLimits { max_input_len, max_output_len: 0, output_row_len: 0, sketch_tolerance: 0 };
		// A change of the test suite's model: 1,072 rows of 128 bytes and the header.
		let shard = register(pallet_models::BlobLimits {
			max_output_len: 137_223,
			output_row_len: 128,
			sketch_tolerance: 16,
			..inputs
		});
		let outer = register(inputs);
		for index in 0..Self::max_replicas() as u32 {
			Market::<T>::worker_for_models(alloc::vec![shard, outer], index);
		}
		let fee_destination = <T as pallet_blobs::Config>::FeeDestination::get();
		<T as pallet_blobs::Config>::Currency::set_balance(
			&fee_destination,
			pallet_blobs::BalanceOf::<T>::max_value() / 1_000_000u32.into(),
		);
		(shard, outer)
	}

	fn keep(hash: [u8; 32], size: u64) {
		pallet_blobs::Pallet::<T>::benchmark_keep(hash, size);
	}

	fn fund(who: &T::AccountId) {
		<T as pallet_jobs::Config>::Currency::set_balance(
			who,
			pallet_jobs::BalanceOf::<T>::max_value() / 1_000_000u32.into(),
		);
	}

	fn max_price() -> pallet_jobs::BalanceOf<T> {
		pallet_jobs::BalanceOf::<T>::max_value()
	}

	fn max_replicas() -> u8 {
		<T as pallet_jobs::Config>::MaxReplicas::get().min(u32::from(u8::MAX)) as u8
	}
}

/// The whitelisted caller, able to pay a training's deposit and (through the helper) any round.
fn owner<T: Config>() -> T::AccountId
where
	T::Currency: Mutate<T::AccountId>,
{
	let owner: T::AccountId = whitelisted_caller();
	T::BenchmarkHelper::fund(&owner);
	let deposit = T::TrainingDeposit::get();
	T::Currency::set_balance(&owner, T::Currency::balance(&owner).saturating_add(deposit).saturating_add(deposit));
	owner
}

/// A kept state file of the most pieces, unique to `seed`.
fn state<T: Config>(seed: u8) -> StateFileOf<T> {
	let pieces = (0..T::MaxStatePieces::get()).map(|i| blake2_256(&(seed, i).encode())).collect::<Vec<_>>();
	let size = u64::from(T::MaxStatePieces::get()) * aichain_compute::diloco::STATE_PIECE_LEN as u64;
	let file = StateFile { size, pieces: BoundedVec::truncate_from(pieces) };
	T::BenchmarkHelper::keep(file.hash(), file.size);
	file
}

/// Round settings of `shards` shards on the most replicas.
fn settings<T: Config>(shards: u32) -> RoundSettingsOf<T> {
	RoundSettings {
		shards,
		steps: 25,
		replicas: T::BenchmarkHelper::max_replicas(),
		max_price: T::BenchmarkHelper::max_price(),
		timeout: 10u32.into(),
	}
}

/// A funded owner's training of `shards` shards from state files of the most pieces.
fn training<T: Config>(shards: u32) -> (T::AccountId, TrainingId)
where
	T::Currency: Mutate<T::AccountId>,
{
	let owner = owner::<T>();
	let (shard_model, outer_model) = T::BenchmarkHelper::models();
	let id = DilocoPallet::<T>::do_create_training(
		owner.clone(),
		shard_model,
		outer_model,
		settings::<T>(shards),
		state::<T>(1),
		state::<T>(2),
	)
	.expect("training-step models with blob limits and kept state; qed");
	(owner, id)
}

/// The training in `phase`.
fn set_phase<T: Config>(id: TrainingId, phase: Phase<T>) {
	Trainings::<T>::mutate(id, |training| {
		if let Some(training) = training {
			training.phase = phase;
		}
	});
}

/// `s` agreed changes.
fn changes<T: Config>(s: u32) -> BoundedVec<BlobRef, T::MaxShards> {
	BoundedVec::truncate_from((0..s).map(|i| BlobRef { hash: blake2_256(&i.encode()), size: 137_223 }).collect())
}

/// The largest number of shards.
fn max_shards<T: Config>() -> u32 {
	T::MaxShards::get().min(32)
}

#[benchmarks(where T::Currency: Mutate<T::AccountId>)]
mod benchmarks {
	use super::*;

	#[benchmark]
	fn create_training() {
		let owner = owner::<T>();
		let (shard_model, outer_model) = T::BenchmarkHelper::models();
		let (parameters, momentum) = (state::<T>(1), state::<T>(2));

		#[extrinsic_call]
		_(RawOrigin::Signed(owner), shard_model, outer_model, settings::<T>(max_shards::<T>()), parameters, momentum);

		assert!(Trainings::<T>::contains_key(0));
	}

	#[benchmark]
	fn start_round(s: Linear<1, { max_shards::<T>() }>) -> Result<(), BenchmarkError> {
		let (owner, id) = training::<T>(s);
		let training = Trainings::<T>::get(id).ok_or(BenchmarkError::Weightless)?;
		for shard in 0..s {
			let (input, size) = DilocoPallet::<T>::shard_input(id, &training, shard);
			T::BenchmarkHelper::keep(input, size);
		}

		#[extrinsic_call]
		_(RawOrigin::Signed(owner), id);

		assert!(matches!(Trainings::<T>::get(id).map(|t| t.phase), Some(Phase::Shards { .. })));
		Ok(())
	}

	#[benchmark]
	fn start_outer(s: Linear<1, { max_shards::<T>() }>) -> Result<(), BenchmarkError> {
		let (owner, id) = training::<T>(s);
		let changes = changes::<T>(s);
		set_phase::<T>(id, Phase::Changes { changes: changes.clone() });
		let training = Trainings::<T>::get(id).ok_or(BenchmarkError::Weightless)?;
		let (input, size) = DilocoPallet::<T>::outer_input(id, &training, &changes);
		T::BenchmarkHelper::keep(input, size);

		#[extrinsic_call]
		_(RawOrigin::Signed(owner), id);

		assert!(matches!(Trainings::<T>::get(id).map(|t| t.phase), Some(Phase::Outer { .. })));
		Ok(())
	}

	#[benchmark]
	fn advance() {
		let (owner, id) = training::<T>(max_shards::<T>());
		let (parameters, momentum) = (state::<T>(3), state::<T>(4));
		let result = OuterResult { parameters: parameters.hash(), momentum: momentum.hash(), validation_millibits: 1, rejected: 0 };
		set_phase::<T>(id, Phase::Agreed { result, changes: changes::<T>(max_shards::<T>()) });

		#[extrinsic_call]
		_(RawOrigin::Signed(owner), id, parameters, momentum);

		assert_eq!(Trainings::<T>::get(id).map(|t| t.round), Some(1));
	}

	#[benchmark]
	fn abandon_round() {
		let (owner, id) = training::<T>(max_shards::<T>());
		set_phase::<T>(id, Phase::Changes { changes: changes::<T>(max_shards::<T>()) });

		#[extrinsic_call]
		_(RawOrigin::Signed(owner), id);

		assert_eq!(Trainings::<T>::get(id).map(|t| t.phase), Some(Phase::Idle));
	}

	#[benchmark]
	fn close_training() {
		let (owner, id) = training::<T>(max_shards::<T>());

		#[extrinsic_call]
		_(RawOrigin::Signed(owner), id);

		assert!(!Trainings::<T>::contains_key(id));
	}

	/// A job of an `s`-shard round ends in its heaviest way: a refund abandoning a round of
	/// `s` running shard jobs, which removes every job's index. (The last shard's change
	/// completing the round reads and writes the same record and removes one index.)
	#[benchmark]
	fn job_ended(s: Linear<1, { max_shards::<T>() }>) {
		let (_, id) = training::<T>(s);
		let jobs: Vec<JobId> = (0..u64::from(s)).collect();
		for (shard, job) in jobs.iter().enumerate() {
			TrainingJobs::<T>::insert(job, (id, RoundTask::Shard(shard as u32)));
		}
		let mut slots: Vec<Option<BlobRef>> = changes::<T>(s).into_iter().map(Some).collect();
		slots[0] = None;
		set_phase::<T>(
			id,
			Phase::Shards { jobs: BoundedVec::truncate_from(jobs.clone()), changes: BoundedVec::truncate_from(slots) },
		);

		#[block]
		{
			<DilocoPallet<T> as pallet_jobs::OnJobCompleted<T::AccountId>>::on_job_refunded(
				jobs[0],
				0,
				&whitelisted_caller(),
				pallet_jobs::RefundReason::NoMajority,
			);
		}

		assert_eq!(Trainings::<T>::get(id).map(|t| t.phase), Some(Phase::Idle));
		assert!(jobs.iter().all(|job| !TrainingJobs::<T>::contains_key(job)));
	}

	impl_benchmark_test_suite!(DilocoPallet, crate::mock::new_test_ext(), crate::mock::Test);
}
