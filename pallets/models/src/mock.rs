//! A minimal runtime for the pallet's tests: System, Balances, the ZK verifier (for models
//! with verifying keys) and the models pallet.

use crate as pallet_models;
use frame_support::{parameter_types, traits::ConstU64};

aichain_test_utils::test_runtime! {
	2: ZkVerifier = pallet_zk_verifier,
	3: Models = pallet_models,
}

parameter_types! {
	pub const MaxPublicInputs: u32 = 16;
}

impl pallet_zk_verifier::Config for Test {
	type Currency = Balances;
	type RuntimeHoldReason = RuntimeHoldReason;
	type Backend = aichain_zk::host::NativeHost;
	type MaxPublicInputs = MaxPublicInputs;
	type KeyDepositBase = ConstU64<10>;
	type KeyDepositPerByte = ConstU64<0>;
	type WeightInfo = ();
}

pub const MODEL_DEPOSIT: u64 = 500;
/// What stays held for a retired model's record.
pub const TOMBSTONE_DEPOSIT: u64 = 40;

parameter_types! {
	pub const MaxNameLength: u32 = 32;
	pub const MaxContentAddressLength: u32 = 64;
	pub const MaxInputLimit: u32 = 256;
	pub const MaxOutputLimit: u32 = 64;
	pub const MaxBlobInputLimit: u64 = 1 << 20;
	pub const MaxBlobOutputLimit: u32 = 4096;
	pub const MaxSketchLen: u32 = 200;
}

impl pallet_models::Config for Test {
	type Currency = Balances;
	type RuntimeHoldReason = RuntimeHoldReason;
	type Verifier = ZkVerifier;
	type ModelDeposit = ConstU64<MODEL_DEPOSIT>;
	type TombstoneDeposit = ConstU64<TOMBSTONE_DEPOSIT>;
	type MaxNameLength = MaxNameLength;
	type MaxContentAddressLength = MaxContentAddressLength;
	type MaxInputLimit = MaxInputLimit;
	type MaxOutputLimit = MaxOutputLimit;
	type MaxBlobInputLimit = MaxBlobInputLimit;
	type MaxBlobOutputLimit = MaxBlobOutputLimit;
	type MaxSketchLen = MaxSketchLen;
	type WeightInfo = ();
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = pallet_zk_verifier::SimulatedKeys<Test>;
}

pub const ALICE: u64 = 1;
pub const BOB: u64 = 2;
pub const POOR: u64 = 3;
pub const INITIAL: u64 = 1_000_000;

/// Alice and Bob hold `INITIAL`; `POOR` holds barely more than the existential deposit.
pub fn new_test_ext() -> sp_io::TestExternalities {
	ext_with_balances(vec![(ALICE, INITIAL), (BOB, INITIAL), (POOR, 10)])
}

/// Runs `test` and then checks the pallet's invariants.
pub fn run_test(test: impl FnOnce()) {
	new_test_ext().execute_with(|| {
		test();
		Models::do_try_state().expect("invariants hold");
	});
}
