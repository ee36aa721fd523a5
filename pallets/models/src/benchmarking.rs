//! Benchmarks of the models pallet. Registration is measured with a verifying key of the
//! largest allowed model (the heavier path: the key is looked up in the verifier).

use super::*;
use crate::Pallet as ModelsPallet;
use pallet_zk_verifier::KeyId;
use frame_benchmarking::v2::*;
use frame_support::traits::{fungible::Mutate, Get};
use frame_system::RawOrigin;
use sp_runtime::traits::Bounded;

/// An account able to pay any deposit.
fn funded<T: Config>() -> T::AccountId
where
	T::Currency: Mutate<T::AccountId>,
{
	let who: T::AccountId = whitelisted_caller();
	T::Currency::set_balance(&who, BalanceOf::<T>::max_value() / 1_000_000u32.into());
	who
}

/// A spec with the longest name and content address, a price of 1,000, 1% royalty, and the
/// given key and sizes.
pub fn spec<T: Config>(verifying_key: Option<KeyId>, max_input_len: u32, max_output_len: u32) -> ModelSpecOf<T> {
	ModelSpec {
		max_input_len,
		max_output_len,
		verifying_key,
		..largest_spec::<T>()
	}
}

/// The longest spec the runtime allows, without a verifying key.
fn largest_spec<T: Config>() -> ModelSpecOf<T> {
	ModelSpec {
		name: alloc::vec![b'n'; T::MaxNameLength::get() as usize].try_into().expect("at the limit; qed"),
		kind: ModelKind::Classifier,
		weights_sha256: [1; 32],
		content_address: alloc::vec![b'a'; T::MaxContentAddressLength::get() as usize]
			.try_into()
			.expect("at the limit; qed"),
		verifying_key: None,
		price: 1000u32.into(),
		royalty_bps: 100,
		max_input_len: T::MaxInputLimit::get(),
		max_output_len: T::MaxOutputLimit::get(),
		min_timeout: 1,
		output_tolerance: 0,
	}
}

#[benchmarks(where T::Currency: Mutate<T::AccountId>)]
mod benchmarks {
	use super::*;

	#[benchmark]
	fn register_model() -> Result<(), BenchmarkError> {
		let caller = funded::<T>();
		let mut spec = largest_spec::<T>();
		let inputs = aichain_compute::zk_public_input_count(
			spec.max_input_len as usize,
			spec.max_output_len as usize,
		);
		spec.verifying_key = Some(T::BenchmarkHelper::verifying_key(inputs as u32));

		#[extrinsic_call]
		_(RawOrigin::Signed(caller), spec);

		assert!(Models::<T>::contains_key(0));
		Ok(())
	}

	#[benchmark]
	fn update_price() -> Result<(), BenchmarkError> {
		let caller = funded::<T>();
		let model = ModelsPallet::<T>::do_register_model(caller.clone(), largest_spec::<T>())?;

		#[extrinsic_call]
		_(RawOrigin::Signed(caller), model, 7u32.into());

		Ok(())
	}

	/// With a verifying key to release and blob limits to remove.
	#[benchmark]
	fn retire_model() -> Result<(), BenchmarkError> {
		let caller = funded::<T>();
		let mut spec = largest_spec::<T>();
		let inputs = aichain_compute::zk_public_input_count(spec.max_input_len as usize, spec.max_output_len as usize);
		spec.verifying_key = Some(T::BenchmarkHelper::verifying_key(inputs as u32));
		let model = ModelsPallet::<T>::do_register_model(caller.clone(), spec)?;
		let limits = BlobLimits { max_input_len: 1, max_output_len: 0, output_row_len: 0, sketch_tolerance: 0 };
		ModelsPallet::<T>::do_set_blob_limits(caller.clone(), model, Some(limits))?;

		#[extrinsic_call]
		_(RawOrigin::Signed(caller), model);

		assert!(<ModelsPallet<T> as ModelRegistry<_, _>>::active_model(model).is_none());
		assert!(!BlobLimitsOf::<T>::contains_key(model));
		Ok(())
	}

	/// The largest limits an embedding model may state, replacing earlier ones.
	#[benchmark]
	fn set_blob_limits() -> Result<(), BenchmarkError> {
		let caller = funded::<T>();
		let spec = ModelSpec { kind: ModelKind::Embedding, ..largest_spec::<T>() };
		let model = ModelsPallet::<T>::do_register_model(caller.clone(), spec)?;
		let max_output_len = T::MaxBlobOutputLimit::get();
		// The shortest rows whose sketch fits.
		let output_row_len = (1..=u16::MAX)
			.find(|row_len| {
				aichain_compute::sketch::sketch_len(max_output_len as u64, *row_len) <= T::MaxSketchLen::get() as u64
			})
			.ok_or(BenchmarkError::Stop("no row length fits the sketch limit"))?;
		let limits =
			BlobLimits { max_input_len: T::MaxBlobInputLimit::get(), max_output_len, output_row_len, sketch_tolerance: 16 };
		ModelsPallet::<T>::do_set_blob_limits(caller.clone(), model, Some(limits))?;

		#[extrinsic_call]
		_(RawOrigin::Signed(caller), model, Some(limits));

		assert_eq!(<ModelsPallet<T> as ModelRegistry<_, _>>::blob_limits(model), Some(limits));
		Ok(())
	}

	impl_benchmark_test_suite!(ModelsPallet, crate::mock::new_test_ext(), crate::mock::Test);
}
