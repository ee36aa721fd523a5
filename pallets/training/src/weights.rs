//! Weights for `pallet_training`: replaced by `scripts/benchmark.sh pallet_training`.

#![cfg_attr(rustfmt, rustfmt_skip)]
#![allow(unused_parens)]
#![allow(unused_imports)]
#![allow(missing_docs)]

use frame_support::{traits::Get, weights::{Weight, constants::ParityDbWeight}};
use core::marker::PhantomData;

/// Weight functions needed for `pallet_training`.
pub trait WeightInfo {
	fn create_training() -> Weight;
	fn start_round(s: u32, ) -> Weight;
	fn complete_round(s: u32, ) -> Weight;
}

pub struct SubstrateWeight<T>(PhantomData<T>);
impl<T: frame_system::Config> WeightInfo for SubstrateWeight<T> {
	fn create_training() -> Weight { Weight::zero() }
	fn start_round(_s: u32, ) -> Weight { Weight::zero() }
	fn complete_round(_s: u32, ) -> Weight { Weight::zero() }
}

impl WeightInfo for () {
	fn create_training() -> Weight { Weight::zero() }
	fn start_round(_s: u32, ) -> Weight { Weight::zero() }
	fn complete_round(_s: u32, ) -> Weight { Weight::zero() }
}
