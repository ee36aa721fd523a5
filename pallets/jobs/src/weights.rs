//! Weights for `pallet_jobs`.
//!
//! `scripts/benchmark.sh pallet_jobs` regenerates this file from the pallet's benchmarks,
//! adding `SubstrateWeight`, the measured weights the runtime uses. The unit implementation is
//! for mock runtimes in tests only.
#![allow(unused_parens)]

use frame_support::weights::Weight;

/// Weight functions needed for `pallet_jobs`.
pub trait WeightInfo {
	fn submit_job(r: u32) -> Weight;
	fn cancel_job() -> Weight;
	fn submit_result() -> Weight;
	fn commit_result(r: u32) -> Weight;
	fn reveal_result(r: u32) -> Weight;
	fn on_initialize_deadlines(n: u32) -> Weight;
	fn on_initialize_pending(n: u32) -> Weight;
}

/// For mock runtimes only: no weight.
impl WeightInfo for () {
	fn submit_job(_r: u32) -> Weight {
		Weight::zero()
	}
	fn cancel_job() -> Weight {
		Weight::zero()
	}
	fn submit_result() -> Weight {
		Weight::zero()
	}
	fn commit_result(_r: u32) -> Weight {
		Weight::zero()
	}
	fn reveal_result(_r: u32) -> Weight {
		Weight::zero()
	}
	fn on_initialize_deadlines(_n: u32) -> Weight {
		Weight::zero()
	}
	fn on_initialize_pending(_n: u32) -> Weight {
		Weight::zero()
	}
}
