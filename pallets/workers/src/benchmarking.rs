//! Benchmarks of the workers pallet, each in its worst case: model lists one short of
//! `MaxWorkersPerModel` (registration appends to them, unbonding rewrites them).

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

	#[benchmark]
	fn register_worker(m: Linear<1, { T::MaxModelsPerWorker::get() }>) {
		let caller = funded::<T>("worker");
		let models = crowded_models::<T>(m);

		#[extrinsic_call]
		_(RawOrigin::Signed(caller.clone()), T::MinBond::get(), capabilities(), models);

		assert!(Workers::<T>::contains_key(&caller));
	}

	#[benchmark]
	fn heartbeat() -> Result<(), BenchmarkError> {
		let caller = funded::<T>("worker");
		registered::<T>(&caller, 1)?;

		#[extrinsic_call]
		_(RawOrigin::Signed(caller));

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

		#[extrinsic_call]
		_(RawOrigin::Signed(caller.clone()));

		assert!(!Workers::<T>::contains_key(&caller));
		Ok(())
	}

	impl_benchmark_test_suite!(WorkersPallet, crate::mock::new_test_ext(), crate::mock::Test);
}
