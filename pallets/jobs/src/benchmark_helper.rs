//! [`MarketPallets`]: the [`BenchmarkHelper`] of a runtime whose market is this repository's
//! verifier, models, workers and blobs pallets (used by the runtime, the mock and other pallets'
//! benchmarks; apart from `benchmarking.rs`, so that the mock need not import it).

use crate::{BenchmarkHelper, ModelId};
use frame_benchmarking::v2::account;
use frame_support::{
	traits::{fungible::Mutate, Get},
	BoundedVec,
};
use pallet_zk_verifier::KeyId;
use sp_runtime::traits::{Bounded, Saturating};

/// The [`BenchmarkHelper`] of a runtime built on `pallet_zk_verifier`, `pallet_models` and
/// `pallet_workers`.
pub struct MarketPallets<T>(core::marker::PhantomData<T>);

impl<T> BenchmarkHelper<T::AccountId> for MarketPallets<T>
where
	T: pallet_zk_verifier::Config + pallet_models::Config + pallet_workers::Config + pallet_blobs::Config,
	<T as pallet_zk_verifier::Config>::Currency: Mutate<T::AccountId>,
	<T as pallet_blobs::Config>::Currency: Mutate<T::AccountId>,
	<T as pallet_models::Config>::Currency: Mutate<T::AccountId>,
	<T as pallet_workers::Config>::Currency: Mutate<T::AccountId>,
{
	fn verifying_key(public_inputs: u32) -> KeyId {
		pallet_zk_verifier::SimulatedKeys::<T>::register(public_inputs)
	}

	fn seeded_verifying_key(public_inputs: u32, seed: u32) -> KeyId {
		pallet_zk_verifier::SimulatedKeys::<T>::register_seeded(public_inputs, seed)
	}

	fn model(verifying_key: Option<KeyId>, max_input_len: u32, max_output_len: u32) -> ModelId {
		let owner: T::AccountId = account("model-owner", 0, 0);
		<T as pallet_models::Config>::Currency::set_balance(
			&owner,
			pallet_models::BalanceOf::<T>::max_value() / 1_000_000u32.into(),
		);
		let spec = pallet_models::benchmarking::spec::<T>(verifying_key, max_input_len, max_output_len);
		pallet_models::Pallet::<T>::do_register_model(owner, spec).expect("a funded owner registers a model; qed")
	}

	fn worker(model: ModelId, index: u32) -> T::AccountId {
		Self::worker_for_models(alloc::vec![model], index)
	}

	fn worker_for_models(models: alloc::vec::Vec<ModelId>, index: u32) -> T::AccountId {
		let worker: T::AccountId = account("worker", index, 0);
		<T as pallet_workers::Config>::Currency::set_balance(
			&worker,
			pallet_workers::BalanceOf::<T>::max_value() / 1_000_000u32.into(),
		);
		pallet_workers::Pallet::<T>::do_register_worker(
			worker.clone(),
			// Far above the minimum, so that slashing in a benchmark never makes it ineligible.
			<T as pallet_workers::Config>::MinBond::get().saturating_mul(1000u32.into()),
			pallet_workers::Capabilities { cpu_cores: 8, memory_mb: 16_384, gpu: None },
			BoundedVec::truncate_from(models),
		)
		.expect("a funded worker registers for active models; qed");
		worker
	}

	fn allow_blob_inputs(model: ModelId, max_input_len: u64) {
		let owner: T::AccountId = account("model-owner", 0, 0);
		let limits = pallet_models::BlobLimits { max_input_len, max_output_len: 0, output_row_len: 0, sketch_tolerance: 0 };
		pallet_models::Pallet::<T>::do_set_blob_limits(owner, model, Some(limits))
			.expect("the owner of an active model sets blob input limits; qed");
	}

	fn input_blob(size: u64) -> [u8; 32] {
		pallet_blobs::Pallet::<T>::benchmark_kept_blob(size)
	}

	fn blob_bounds() -> (u64, u32, u32) {
		(
			<T as pallet_models::Config>::MaxBlobInputLimit::get(),
			<T as pallet_models::Config>::MaxBlobOutputLimit::get(),
			<T as pallet_models::Config>::MaxSketchLen::get(),
		)
	}

	fn blob_output_model(limits: pallet_models::BlobLimits) -> ModelId {
		let owner: T::AccountId = account("model-owner", 0, 0);
		let balance = pallet_models::BalanceOf::<T>::max_value() / 1_000_000u32.into();
		<T as pallet_models::Config>::Currency::set_balance(&owner, balance);
		let (max_input_len, max_output_len) =
			(<T as pallet_models::Config>::MaxInputLimit::get(), <T as pallet_models::Config>::MaxOutputLimit::get());
		let spec = pallet_models::ModelSpec {
			kind: aichain_compute::ModelKind::Embedding,
			..pallet_models::benchmarking::spec::<T>(None, max_input_len, max_output_len)
		};
		let model = pallet_models::Pallet::<T>::do_register_model(owner.clone(), spec)
			.expect("a funded owner registers a model; qed");
		pallet_models::Pallet::<T>::do_set_blob_limits(owner, model, Some(limits))
			.expect("the owner of an active embedding model sets blob limits within the bounds; qed");
		let fee_destination = <T as pallet_blobs::Config>::FeeDestination::get();
		<T as pallet_blobs::Config>::Currency::set_balance(&fee_destination, pallet_blobs::BalanceOf::<T>::max_value() / 1_000_000u32.into());
		model
	}

	fn max_workers_per_model() -> u32 {
		<T as pallet_workers::Config>::MaxWorkersPerModel::get()
	}

	fn max_models_per_worker() -> u32 {
		<T as pallet_workers::Config>::MaxModelsPerWorker::get()
	}
}
