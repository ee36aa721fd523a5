//! What the benchmarks need from the job market: a model whose zk jobs it accepts, and the
//! longest timeout. [`JobMarket`] provides it for a runtime whose market is `pallet_jobs`.

use aichain_compute::{zk_public_input_count, ModelId};
use frame_support::traits::Get;
use frame_system::pallet_prelude::BlockNumberFor;
use pallet_jobs::BenchmarkHelper as _;

/// Sets up the job market for the benchmarks.
pub trait BenchmarkHelper<BlockNumber> {
	/// Registers a provable model taking inputs of exactly `input_len` bytes, with a worker
	/// able to take its jobs; its price must fit the benchmarks' `max_price`.
	fn model(input_len: u32) -> ModelId;
	/// The longest timeout the market accepts.
	fn timeout() -> BlockNumber;
}

/// The [`BenchmarkHelper`] of a runtime whose `Jobs` is `pallet_jobs`: uses that pallet's own
/// benchmark helper (a trapdoor-simulated key, a model and a bonded worker).
pub struct JobMarket<T>(core::marker::PhantomData<T>);

impl<T: pallet_jobs::Config> BenchmarkHelper<BlockNumberFor<T>> for JobMarket<T> {
	fn model(input_len: u32) -> ModelId {
		let output_len = <T as pallet_jobs::Config>::MaxOutputLen::get();
		let public_inputs = zk_public_input_count(input_len as usize, output_len as usize) as u32;
		let key = <T as pallet_jobs::Config>::BenchmarkHelper::verifying_key(public_inputs);
		let model = <T as pallet_jobs::Config>::BenchmarkHelper::model(Some(key), input_len, output_len);
		<T as pallet_jobs::Config>::BenchmarkHelper::worker(model, 0);
		model
	}

	fn timeout() -> BlockNumberFor<T> {
		<T as pallet_jobs::Config>::MaxDeadline::get()
	}
}
