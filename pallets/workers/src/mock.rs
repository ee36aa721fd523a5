//! A minimal runtime for the pallet's tests: System, Balances and the workers pallet. The
//! model registry is a fixed table ([`FixedModels`]: models 0–4 active, 5 retired), since this
//! pallet only asks whether a model is active.

use crate as pallet_workers;
use frame_support::{
	parameter_types,
	traits::{ConstU32, ConstU64},
};
use pallet_models::{ModelKind, ModelRegistry, ModelTerms};

aichain_test_utils::test_runtime! {
	2: Workers = pallet_workers,
}

/// Models 0..=4 (and, for the benchmarks, 1000..2000) are active; every other id is unknown.
pub struct FixedModels;

impl ModelRegistry<u64, u64> for FixedModels {
	fn active_model(model: u32) -> Option<ModelTerms<u64, u64>> {
		(model < 5 || (1000..2000).contains(&model)).then_some(ModelTerms {
			owner: 50,
			kind: ModelKind::Classifier,
			price: 100,
			royalty_bps: 0,
			verifying_key: None,
			max_input_len: 8,
			max_output_len: 8,
			min_timeout: 1,
			output_tolerance: 0,
		})
	}
}

pub const MIN_BOND: u64 = 1_000;
pub const HEARTBEAT_TIMEOUT: u64 = 10;
pub const BOND_WARMUP: u64 = 5;
pub const UNBONDING_PERIOD: u64 = 20;
pub const TREASURY: u64 = 100;

parameter_types! {
	pub const Treasury: u64 = TREASURY;
}

impl pallet_workers::Config for Test {
	type Currency = Balances;
	type RuntimeHoldReason = RuntimeHoldReason;
	type Models = FixedModels;
	type MinBond = ConstU64<MIN_BOND>;
	type HeartbeatTimeout = ConstU64<HEARTBEAT_TIMEOUT>;
	type UnbondingPeriod = ConstU64<UNBONDING_PERIOD>;
	type BondWarmup = ConstU64<BOND_WARMUP>;
	type MaxModelsPerWorker = ConstU32<4>;
	type MaxWorkersPerModel = ConstU32<3>;
	type SlashBeneficiary = Treasury;
	type WeightInfo = ();
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = FixedModels;
}

#[cfg(feature = "runtime-benchmarks")]
impl crate::BenchmarkHelper for FixedModels {
	fn active_model(index: u32) -> u32 {
		// Models 1000.. are active in `FixedModels` and used by no test.
		1000 + index
	}
}

pub const ALICE: u64 = 1;
pub const BOB: u64 = 2;
pub const CHARLIE: u64 = 3;
pub const DAVE: u64 = 4;
pub const POOR: u64 = 5;
pub const INITIAL: u64 = 1_000_000;

/// Alice..Dave and the treasury hold `INITIAL`; `POOR` holds less than the minimum bond.
pub fn new_test_ext() -> sp_io::TestExternalities {
	ext_with_balances(vec![
		(ALICE, INITIAL),
		(BOB, INITIAL),
		(CHARLIE, INITIAL),
		(DAVE, INITIAL),
		(TREASURY, INITIAL),
		(POOR, 500),
	])
}

/// Runs `test` and then checks the pallet's invariants.
pub fn run_test(test: impl FnOnce()) {
	new_test_ext().execute_with(|| {
		test();
		Workers::do_try_state().expect("invariants hold");
	});
}
