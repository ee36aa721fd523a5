//! Benchmarks of the workers pallet, each in its worst case. Registration and an idle worker's
//! heartbeat (which lists it again) find every model list full: all its entries but the last
//! take jobs, and the last is a worker whose heartbeat went stale, listed under the most models
//! a worker may list (each of its own), so making room reads the whole list and the eviction
//! rewrites all of that worker's lists. Unbonding rewrites full lists.

use super::*;
use crate::Pallet as WorkersPallet;
use frame_benchmarking::v2::*;
use frame_support::{
	traits::{fungible::Mutate, Get},
	BoundedVec,
};
use frame_system::{pallet_prelude::BlockNumberFor, RawOrigin};
use sp_runtime::traits::{Bounded, Saturating};

/// An account able to pay any bond.
fn funded<T: Config>(name: &'static str) -> T::AccountId
where
	T::Currency: Mutate<T::AccountId>,
{
	let who: T::AccountId = account(name, 0, 0);
	T::Currency::set_balance(&who, BalanceOf::<T>::max_value() / 1_000_000u32.into());
	who
}

/// `m` active models, each listing `MaxWorkersPerModel - 1` other accounts.
fn crowded_models<T: Config>(m: u32) -> BoundedVec<ModelId, T::MaxModelsPerWorker> {
	let models: alloc::vec::Vec<ModelId> = (0..m).map(|i| T::BenchmarkHelper::active_model(i)).collect();
	for model in &models {
		let others: alloc::vec::Vec<T::AccountId> =
			(1..T::MaxWorkersPerModel::get()).map(|i| account("other", i, 0)).collect();
		ModelWorkers::<T>::insert(model, BoundedVec::truncate_from(others));
	}
	BoundedVec::truncate_from(models)
}

/// `m` active models whose lists are full: `MaxWorkersPerModel - 1` workers that take jobs,
/// then one whose heartbeat is stale, listed under `MaxModelsPerWorker` models (each stale
/// worker's other models are its own). If `idle` is given, it is registered under the `m`
/// models before the stale workers and evicted (it is idle, in no list).
fn full_lists_with_stale_last<T: Config>(
	m: u32,
	idle: Option<&T::AccountId>,
) -> Result<BoundedVec<ModelId, T::MaxModelsPerWorker>, BenchmarkError>
where
	T::Currency: Mutate<T::AccountId>,
{
	let per_list = T::MaxWorkersPerModel::get();
	let models: alloc::vec::Vec<ModelId> = (0..m).map(|i| T::BenchmarkHelper::active_model(i)).collect();
	let mut takers = alloc::vec::Vec::new();
	for (j, model) in models.iter().enumerate() {
		for i in 0..per_list.saturating_sub(1) {
			let taker = funded_account::<T>("taker", j as u32 * per_list + i);
			WorkersPallet::<T>::do_register_worker(taker.clone(), T::MinBond::get(), capabilities(), one::<T>(*model))?;
			takers.push(taker);
		}
	}
	let models = BoundedVec::truncate_from(models);
	if let Some(idle) = idle {
		WorkersPallet::<T>::do_register_worker(idle.clone(), T::MinBond::get(), capabilities(), models.clone())?;
		WorkersPallet::<T>::evict(idle);
	}
	let mut next_model = m;
	for (j, model) in models.iter().enumerate() {
		let mut listed = alloc::vec![*model];
		for _ in 1..T::MaxModelsPerWorker::get() {
			listed.push(T::BenchmarkHelper::active_model(next_model));
			next_model += 1;
		}
		let stale = funded_account::<T>("stale", j as u32);
		WorkersPallet::<T>::do_register_worker(stale, T::MinBond::get(), capabilities(), BoundedVec::truncate_from(listed))?;
	}
	let later = frame_system::Pallet::<T>::block_number().saturating_add(T::HeartbeatTimeout::get());
	frame_system::Pallet::<T>::set_block_number(later);
	for taker in takers {
		WorkersPallet::<T>::do_heartbeat(taker)?;
	}
	Ok(models)
}

/// A funded account, number `index` of `name`.
fn funded_account<T: Config>(name: &'static str, index: u32) -> T::AccountId
where
	T::Currency: Mutate<T::AccountId>,
{
	let who: T::AccountId = account(name, index, 0);
	T::Currency::set_balance(&who, BalanceOf::<T>::max_value() / 1_000_000u32.into());
	who
}

/// A list of one model.
fn one<T: Config>(model: ModelId) -> BoundedVec<ModelId, T::MaxModelsPerWorker> {
	BoundedVec::truncate_from(alloc::vec![model])
}

fn capabilities() -> Capabilities {
	Capabilities { cpu_cores: 16, memory_mb: 131_072, gpu: Some(Gpu { kind: GpuKind::NvidiaCuda, memory_mb: 81_920 }) }
}

/// Registers `who` on `m` crowded models with the minimum bond.
fn registered<T: Config>(who: &T::AccountId, m: u32) -> Result<(), BenchmarkError> {
	let models = crowded_models::<T>(m);
	WorkersPallet::<T>::do_register_worker(who.clone(), T::MinBond::get(), capabilities(), models)?;
	Ok(())
}

/// The [`BenchmarkHelper`] of a runtime whose model registry is `pallet_models`: registers
/// models from funded accounts.
pub struct RegisteredModels<T>(core::marker::PhantomData<T>);

impl<T: pallet_models::Config> BenchmarkHelper for RegisteredModels<T>
where
	<T as pallet_models::Config>::Currency: Mutate<T::AccountId>,
{
	fn active_model(index: u32) -> ModelId {
		let owner: T::AccountId = account("model-owner", index, 0);
		let balance = pallet_models::BalanceOf::<T>::max_value() / 1_000_000u32.into();
		<T as pallet_models::Config>::Currency::set_balance(&owner, balance);
		let spec = pallet_models::benchmarking::spec::<T>(None, 8, 8);
		pallet_models::Pallet::<T>::do_register_model(owner, spec).expect("a funded owner registers a model; qed")
	}
}

#[benchmarks(where T::Currency: Mutate<T::AccountId>)]
mod benchmarks {
	use super::*;

	/// Registration under `m` full lists, each making room by evicting its stale last entry.
	#[benchmark]
	fn register_worker(m: Linear<1, { T::MaxModelsPerWorker::get() }>) -> Result<(), BenchmarkError> {
		let caller = funded::<T>("worker");
		let models = full_lists_with_stale_last::<T>(m, None)?;

		#[extrinsic_call]
		_(RawOrigin::Signed(caller.clone()), T::MinBond::get(), capabilities(), models.clone());

		assert!(models.iter().all(|model| ModelWorkers::<T>::get(model).contains(&caller)));
		Ok(())
	}

	/// The heartbeat of a listed worker: its time is recorded.
	#[benchmark]
	fn heartbeat() -> Result<(), BenchmarkError> {
		let caller = funded::<T>("worker");
		registered::<T>(&caller, 1)?;

		#[extrinsic_call]
		_(RawOrigin::Signed(caller.clone()));

		assert_eq!(Workers::<T>::get(&caller).map(|info| info.status), Some(WorkerStatus::Active));
		Ok(())
	}

	/// The heartbeat of an idle worker of `MaxModelsPerWorker` models, relisted under each
	/// full list by evicting its stale last entry (what `heartbeat` is charged before it runs).
	#[benchmark]
	fn heartbeat_relisting() -> Result<(), BenchmarkError> {
		let caller = funded::<T>("worker");
		let models = full_lists_with_stale_last::<T>(T::MaxModelsPerWorker::get(), Some(&caller))?;
		assert_eq!(Workers::<T>::get(&caller).map(|info| info.status), Some(WorkerStatus::Idle));

		#[extrinsic_call]
		heartbeat(RawOrigin::Signed(caller.clone()));

		assert!(models.iter().all(|model| ModelWorkers::<T>::get(model).contains(&caller)));
		Ok(())
	}

	#[benchmark]
	fn bond_extra() -> Result<(), BenchmarkError> {
		let caller = funded::<T>("worker");
		registered::<T>(&caller, 1)?;

		#[extrinsic_call]
		_(RawOrigin::Signed(caller), T::MinBond::get());

		Ok(())
	}

	#[benchmark]
	fn unbond(m: Linear<1, { T::MaxModelsPerWorker::get() }>) -> Result<(), BenchmarkError> {
		let caller = funded::<T>("worker");
		registered::<T>(&caller, m)?;

		#[extrinsic_call]
		_(RawOrigin::Signed(caller.clone()));

		assert!(WorkersPallet::<T>::active_bond(&caller).is_none());
		Ok(())
	}

	#[benchmark]
	fn withdraw_unbonded() -> Result<(), BenchmarkError> {
		let caller = funded::<T>("worker");
		registered::<T>(&caller, 1)?;
		WorkersPallet::<T>::do_unbond(caller.clone())?;
		let later: BlockNumberFor<T> =
			frame_system::Pallet::<T>::block_number().saturating_add(T::UnbondingPeriod::get());
		frame_system::Pallet::<T>::set_block_number(later);

		// Its encryption key is removed with it.
		WorkersPallet::<T>::do_set_encryption_key(caller.clone(), [1; 32])?;

		#[extrinsic_call]
		_(RawOrigin::Signed(caller.clone()));

		assert!(!Workers::<T>::contains_key(&caller));
		assert!(!EncryptionKeys::<T>::contains_key(&caller));
		Ok(())
	}

	/// Replacing a key (the worst case: the previous one is read and overwritten).
	#[benchmark]
	fn set_encryption_key() -> Result<(), BenchmarkError> {
		let caller = funded::<T>("worker");
		registered::<T>(&caller, 1)?;
		WorkersPallet::<T>::do_set_encryption_key(caller.clone(), [1; 32])?;

		#[extrinsic_call]
		_(RawOrigin::Signed(caller.clone()), [2; 32]);

		assert_eq!(EncryptionKeys::<T>::get(&caller), Some([2; 32]));
		Ok(())
	}

	impl_benchmark_test_suite!(WorkersPallet, crate::mock::new_test_ext(), crate::mock::Test);
}
