//! A minimal runtime for the pallet's tests: System, Balances and the ZK verifier with the
//! native-host backend (natively, the host function is a direct call).

use crate as pallet_zk_verifier;
use frame_support::{parameter_types, traits::ConstU64};

aichain_test_utils::test_runtime! {
	2: ZkVerifier = pallet_zk_verifier,
}

parameter_types! {
	pub const MaxPublicInputs: u32 = 16;
}

/// Deposit: 1000 + 2 per byte.
pub const DEPOSIT_BASE: u64 = 1000;
pub const DEPOSIT_PER_BYTE: u64 = 2;

impl pallet_zk_verifier::Config for Test {
	type Currency = Balances;
	type RuntimeHoldReason = RuntimeHoldReason;
	type Backend = aichain_zk::host::NativeHost;
	type MaxPublicInputs = MaxPublicInputs;
	type KeyDepositBase = ConstU64<DEPOSIT_BASE>;
	type KeyDepositPerByte = ConstU64<DEPOSIT_PER_BYTE>;
	type WeightInfo = ();
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
		ZkVerifier::do_try_state().expect("invariants hold");
	});
}
