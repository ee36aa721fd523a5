//! PLACEHOLDER until `scripts/benchmark.sh pallet_private_training` writes the measured weights.
#![allow(missing_docs)]
use frame_support::weights::Weight;
use core::marker::PhantomData;

/// Weight functions needed for `pallet_private_training`.
pub trait WeightInfo {
	fn create_consortium() -> Weight;
	fn commit_data() -> Weight;
	fn commit_seed() -> Weight;
	fn set_privacy_budget() -> Weight;
	fn start_round(m: u32, ) -> Weight;
	fn complete_round(m: u32, ) -> Weight;
	fn fail_attempt(m: u32, ) -> Weight;
	fn close_consortium() -> Weight;
}

pub struct SubstrateWeight<T>(PhantomData<T>);
impl<T: frame_system::Config> WeightInfo for SubstrateWeight<T> {
	fn create_consortium() -> Weight { Weight::MAX }
	fn commit_data() -> Weight { Weight::MAX }
	fn commit_seed() -> Weight { Weight::MAX }
	fn set_privacy_budget() -> Weight { Weight::MAX }
	fn start_round(_m: u32, ) -> Weight { Weight::MAX }
	fn complete_round(_m: u32, ) -> Weight { Weight::MAX }
	fn fail_attempt(_m: u32, ) -> Weight { Weight::MAX }
	fn close_consortium() -> Weight { Weight::MAX }
}
impl WeightInfo for () {
	fn create_consortium() -> Weight { Weight::zero() }
	fn commit_data() -> Weight { Weight::zero() }
	fn commit_seed() -> Weight { Weight::zero() }
	fn set_privacy_budget() -> Weight { Weight::zero() }
	fn start_round(_m: u32, ) -> Weight { Weight::zero() }
	fn complete_round(_m: u32, ) -> Weight { Weight::zero() }
	fn fail_attempt(_m: u32, ) -> Weight { Weight::zero() }
	fn close_consortium() -> Weight { Weight::zero() }
}
