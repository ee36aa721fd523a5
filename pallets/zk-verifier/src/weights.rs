//! Weights for `pallet_zk_verifier`.
//!
//! `scripts/benchmark.sh` regenerates this file from the pallet's benchmarks (run by the node
//! built with `--features runtime-benchmarks`), adding `SubstrateWeight`, the measured weights
//! the runtime uses. The unit implementation below is for mock runtimes in tests only, where
//! weights do not matter.
#![allow(unused_parens)]

use frame_support::weights::Weight;

/// Weight functions needed for `pallet_zk_verifier`.
pub trait WeightInfo {
	fn register_verifying_key(n: u32) -> Weight;
	fn unregister_verifying_key() -> Weight;
	fn verify_proof(n: u32) -> Weight;
}

/// For mock runtimes only: no weight.
impl WeightInfo for () {
	fn register_verifying_key(_n: u32) -> Weight {
		Weight::zero()
	}
	fn unregister_verifying_key() -> Weight {
		Weight::zero()
	}
	fn verify_proof(_n: u32) -> Weight {
		Weight::zero()
	}
}
