//! Weights for `pallet_models`.
//!
//! `scripts/benchmark.sh pallet_models` regenerates this file from the pallet's benchmarks,
//! adding `SubstrateWeight`, the measured weights the runtime uses. The unit implementation is
//! for mock runtimes in tests only.
#![allow(unused_parens)]

use frame_support::weights::Weight;

/// Weight functions needed for `pallet_models`.
pub trait WeightInfo {
	fn register_model() -> Weight;
	fn update_price() -> Weight;
	fn retire_model() -> Weight;
}

/// For mock runtimes only: no weight.
impl WeightInfo for () {
	fn register_model() -> Weight {
		Weight::zero()
	}
	fn update_price() -> Weight {
		Weight::zero()
	}
	fn retire_model() -> Weight {
		Weight::zero()
	}
}
