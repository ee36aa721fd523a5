//! Benchmarks of the training pallet, each in its worst case: a training of the largest
//! parameters; a round of `s` shards of the largest size, each job submitted and assigned; the
//! last shard of an `s`-shard round completing, which averages the round; and closing a training
//! whose dead round of `s` shards left `s` shard jobs indexed.

use super::*;
use crate::Pallet as TrainingPallet;
use frame_benchmarking::v2::*;
use frame_support::{
	traits::{
		fungible::{Inspect, Mutate},
		Get,
	},
	BoundedVec,
};
use frame_system::RawOrigin;
use pallet_jobs::{BenchmarkHelper as _, MarketPallets as JobMarket};
use sp_runtime::traits::{Bounded, Saturating};

/// The [`BenchmarkHelper`] of a runtime whose `Jobs` is `pallet_jobs` on `pallet_models`,
/// `pallet_workers` and `pallet_zk_verifier`.
pub struct MarketPallets<T>(core::marker::PhantomData<T>);

impl<T> BenchmarkHelper<T::AccountId, pallet_jobs::BalanceOf<T>> for MarketPallets<T>
where
	T: pallet_jobs::Config + pallet_models::Config + pallet_workers::Config + pallet_zk_verifier::Config + pallet_blobs::Config,
	<T as pallet_jobs::Config>::Currency: Mutate<T::AccountId>,
	<T as pallet_zk_verifier::Config>::Currency: Mutate<T::AccountId>,
	<T as pallet_models::Config>::Currency: Mutate<T::AccountId>,
	<T as pallet_workers::Config>::Currency: Mutate<T::AccountId>,
{
	fn training_model(parameter_bytes: u32, shard_bytes: u32) -> ModelId {
		let input = parameter_bytes + shard_bytes;
		let public_inputs = aichain_compute::zk_public_input_count(input as usize, parameter_bytes as usize);
		let key = JobMarket::<T>::verifying_key(public_inputs as u32);
		let owner: T::AccountId = account("training-model-owner", 0, 0);
		<T as pallet_models::Config>::Currency::set_balance(
			&owner,
			pallet_models::BalanceOf::<T>::max_value() / 1_000_000u32.into(),
		);
		let spec = pallet_models::ModelSpec {
			kind: ModelKind::TrainingStep,
			..pallet_models::benchmarking::spec::<T>(Some(key), input, parameter_bytes)
		};
		let model = pallet_models::Pallet::<T>::do_register_model(owner, spec)
			.expect("a funded owner registers a model; qed");
		JobMarket::<T>::worker(model, 0);
		model
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

/// A funded owner's training of a model of the largest sizes, with the largest parameters.
fn training<T: Config>() -> (T::AccountId, TrainingId)
where
	T::Currency: Mutate<T::AccountId>,
{
	let owner = owner::<T>();
	let model = T::BenchmarkHelper::training_model(T::MaxParameterBytes::get(), T::MaxShardBytes::get());
	let parameters = BoundedVec::truncate_from(alloc::vec![1u8; T::MaxParameterBytes::get() as usize]);
	let id = TrainingPallet::<T>::do_create_training(owner.clone(), model, parameters)
		.expect("a provable training-step model of these sizes; qed");
	(owner, id)
}

/// `count` shards of the largest size.
fn shards<T: Config>(count: u32) -> ShardsOf<T> {
	let shard = BoundedVec::truncate_from(alloc::vec![3u8; T::MaxShardBytes::get() as usize]);
	BoundedVec::truncate_from(alloc::vec![shard; count as usize])
}

/// A timeout every jobs pallet configuration accepts.
fn timeout<T: Config>() -> frame_system::pallet_prelude::BlockNumberFor<T> {
	10u32.into()
}

#[benchmarks(where T::Currency: Mutate<T::AccountId>)]
mod benchmarks {
	use super::*;

	#[benchmark]
	fn create_training() {
		let owner = owner::<T>();
		let model = T::BenchmarkHelper::training_model(T::MaxParameterBytes::get(), T::MaxShardBytes::get());
		let parameters = BoundedVec::truncate_from(alloc::vec![1u8; T::MaxParameterBytes::get() as usize]);

		#[extrinsic_call]
		_(RawOrigin::Signed(owner), model, parameters);

		assert!(Trainings::<T>::contains_key(0));
	}

	#[benchmark]
	fn start_round(s: Linear<1, { T::MaxShards::get() }>) {
		let (owner, id) = training::<T>();

		#[extrinsic_call]
		_(RawOrigin::Signed(owner), id, shards::<T>(s), T::BenchmarkHelper::max_price(), timeout::<T>());

		assert_eq!(Trainings::<T>::get(id).and_then(|t| t.round).map(|r| r.jobs.len() as u32), Some(s));
	}

	/// The last shard of an `s`-shard round completes: the round is averaged.
	#[benchmark]
	fn complete_round(s: Linear<1, { T::MaxShards::get() }>) -> Result<(), BenchmarkError> {
		let (owner, id) = training::<T>();
		TrainingPallet::<T>::do_start_round(owner, id, shards::<T>(s), T::BenchmarkHelper::max_price(), timeout::<T>())?;
		let jobs = Trainings::<T>::get(id).and_then(|t| t.round).map(|r| r.jobs).ok_or(BenchmarkError::Weightless)?;
		let output = alloc::vec![2u8; T::MaxParameterBytes::get() as usize];
		for job in &jobs[..jobs.len() - 1] {
			TrainingPallet::<T>::do_shard_completed(*job, &output);
		}
		let last = jobs[jobs.len() - 1];

		#[block]
		{
			TrainingPallet::<T>::do_shard_completed(last, &output);
		}

		let training = Trainings::<T>::get(id).ok_or(BenchmarkError::Weightless)?;
		assert_eq!((training.rounds_completed, training.round.is_none()), (1, true));
		Ok(())
	}

	/// The owner closes a training whose round of `s` shards died (its jobs ended without
	/// results, so they are no longer live) with every shard job still indexed.
	#[benchmark]
	fn close_training(s: Linear<1, { T::MaxShards::get() }>) -> Result<(), BenchmarkError> {
		let (owner, id) = training::<T>();
		// Ids no job has yet: not live, as the jobs of a refunded round are not.
		let first = u64::MAX - s as u64;
		let jobs: alloc::vec::Vec<JobId> = (first..first + s as u64).collect();
		for (index, job) in jobs.iter().enumerate() {
			ShardJobs::<T>::insert(job, (id, index as u32));
		}
		Trainings::<T>::mutate(id, |training| {
			if let Some(training) = training {
				let results = BoundedVec::truncate_from(alloc::vec![None; jobs.len()]);
				training.round = Some(Round { jobs: BoundedVec::truncate_from(jobs.clone()), results });
			}
		});

		#[extrinsic_call]
		_(RawOrigin::Signed(owner), id);

		assert!(!Trainings::<T>::contains_key(id));
		assert!(jobs.iter().all(|job| !ShardJobs::<T>::contains_key(job)));
		Ok(())
	}

	impl_benchmark_test_suite!(TrainingPallet, crate::mock::new_test_ext(), crate::mock::Test);
}
