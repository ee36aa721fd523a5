//! Weights of `pallet_diloco`'s calls and of a job's end.
//!
//! The pallet is not in the runtime yet: its benchmarks and the weights they measure on this
//! project's reference machine come with it (`scripts/benchmark.sh`). Until then only the unit
//! tests' runtime uses it, with `()`: no weight.

use frame_support::weights::Weight;

/// Weight functions needed for `pallet_diloco`.
pub trait WeightInfo {
	/// Creating a training.
	fn create_training() -> Weight;
	/// Starting a round of `s` shards.
	fn start_round(s: u32) -> Weight;
	/// Starting the outer job of a round of `s` shards.
	fn start_outer(s: u32) -> Weight;
	/// Advancing to the agreed state.
	fn advance() -> Weight;
	/// Dropping a round.
	fn abandon_round() -> Weight;
	/// Closing a training.
	fn close_training() -> Weight;
	/// A job of a round of `s` shards ending (the worst case: the last shard, or a refund
	/// abandoning the round).
	fn job_ended(s: u32) -> Weight;
}

/// The unit tests' weights.
impl WeightInfo for () {
	fn create_training() -> Weight {
		Weight::zero()
	}
	fn start_round(_s: u32) -> Weight {
		Weight::zero()
	}
	fn start_outer(_s: u32) -> Weight {
		Weight::zero()
	}
	fn advance() -> Weight {
		Weight::zero()
	}
	fn abandon_round() -> Weight {
		Weight::zero()
	}
	fn close_training() -> Weight {
		Weight::zero()
	}
	fn job_ended(_s: u32) -> Weight {
		Weight::zero()
	}
}
