//! Weights for `pallet_compute_governance`.
//!
//! PROVISIONAL: not yet generated. `scripts/benchmark.sh pallet_compute_governance` runs the
//! benchmarks in `benchmarking.rs` and overwrites this file; until then each weight is the
//! storage accesses of its worst case (counted from the code, priced at ParityDb's weights)
//! plus a compute allowance of 100 µs per call (the benchmarked jobs-pallet `submit_job` it
//! includes is added by `request_computation`'s caller-visible weight through this allowance).

#![cfg_attr(rustfmt, rustfmt_skip)]
#![allow(unused_parens)]
#![allow(unused_imports)]
#![allow(missing_docs)]

use frame_support::{traits::Get, weights::{Weight, constants::ParityDbWeight}};
use core::marker::PhantomData;

/// Weight functions needed for `pallet_compute_governance`.
pub trait WeightInfo {
	fn request_computation() -> Weight;
	fn enact_if() -> Weight;
	fn remove_expired_result() -> Weight;
	fn set_model_approval() -> Weight;
	fn settle_dispatch() -> Weight;
	fn settle_keep() -> Weight;
}

/// Allowance for each call's computation until it is benchmarked: 100 µs.
const COMPUTE: u64 = 100_000_000;
/// Proof size allowance: the largest request record with inline calls, and a kept output.
const PROOF: u64 = 8_192;

/// Weights for `pallet_compute_governance` in the runtime.
pub struct SubstrateWeight<T>(PhantomData<T>);
impl<T: frame_system::Config> WeightInfo for SubstrateWeight<T> {
	/// Storage: approvals, slots, next id, treasury and request accounts, the job market's
	/// submission (models, workers, jobs, pending queue), preimage holds, request records.
	fn request_computation() -> Weight {
		Weight::from_parts(4 * COMPUTE, 4 * PROOF)
			.saturating_add(T::DbWeight::get().reads(20))
			.saturating_add(T::DbWeight::get().writes(16))
	}
	/// Storage: the kept result.
	fn enact_if() -> Weight {
		Weight::from_parts(COMPUTE, PROOF)
			.saturating_add(T::DbWeight::get().reads(1))
	}
	/// Storage: the kept result, slots.
	fn remove_expired_result() -> Weight {
		Weight::from_parts(COMPUTE, PROOF)
			.saturating_add(T::DbWeight::get().reads(2))
			.saturating_add(T::DbWeight::get().writes(2))
	}
	/// Storage: approvals.
	fn set_model_approval() -> Weight {
		Weight::from_parts(COMPUTE, 0)
			.saturating_add(T::DbWeight::get().writes(1))
	}
	/// Storage: the job index, the request, both accounts, slots, preimage unrequests, the
	/// scheduler's agenda and lookup, or the kept result.
	fn settle_keep() -> Weight {
		Self::settle_dispatch()
	}
	fn settle_dispatch() -> Weight {
		Weight::from_parts(3 * COMPUTE, 4 * PROOF)
			.saturating_add(T::DbWeight::get().reads(10))
			.saturating_add(T::DbWeight::get().writes(10))
	}
}

impl WeightInfo for () {
	fn request_computation() -> Weight { Weight::from_parts(4 * COMPUTE, 4 * PROOF) }
	fn enact_if() -> Weight { Weight::from_parts(COMPUTE, PROOF) }
	fn remove_expired_result() -> Weight { Weight::from_parts(COMPUTE, PROOF) }
	fn set_model_approval() -> Weight { Weight::from_parts(COMPUTE, 0) }
	fn settle_keep() -> Weight {
		Self::settle_dispatch()
	}
	fn settle_dispatch() -> Weight { Weight::from_parts(3 * COMPUTE, 4 * PROOF) }
}
