//! Weights for `pallet_workers`.
//!
//! `scripts/benchmark.sh pallet_workers` regenerates this file from the pallet's benchmarks,
//! adding `SubstrateWeight`, the measured weights the runtime uses. The unit implementation is
//! for mock runtimes in tests only.
#![allow(unused_parens)]

use frame_support::weights::Weight;

/// Weight functions needed for `pallet_workers`.
pub trait WeightInfo {
	fn register_worker(m: u32) -> Weight;
	fn heartbeat() -> Weight;
	fn bond_extra() -> Weight;
	fn unbond(m: u32) -> Weight;
	fn withdraw_unbonded() -> Weight;
}

/// For mock runtimes only: no weight.
impl WeightInfo for () {
	fn register_worker(_m: u32) -> Weight {
		Weight::zero()
	}
	fn heartbeat() -> Weight {
		Weight::zero()
	}
	fn bond_extra() -> Weight {
		Weight::zero()
	}
	fn unbond(_m: u32) -> Weight {
		Weight::zero()
	}
	fn withdraw_unbonded() -> Weight {
		Weight::zero()
	}
}
