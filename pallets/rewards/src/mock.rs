//! The test runtime of the rewards pallet: System, Balances and Rewards.

use crate as pallet_rewards;
use frame_support::{
	parameter_types,
	traits::{ConstU32, ConstU64, Hooks},
};

pub const EXISTENTIAL_DEPOSIT: u64 = 5;

aichain_test_utils::test_runtime! {
	2: Rewards = pallet_rewards;
	balances { type ExistentialDeposit = ConstU64<EXISTENTIAL_DEPOSIT>; }
}

pub const POT: u64 = 100;
pub const ERA_LENGTH: u64 = 10;
pub const EMISSION: u64 = 1_000;
pub const HISTORY_DEPTH: u32 = 2;

parameter_types! {
	pub const Pot: u64 = POT;
}

impl pallet_rewards::Config for Test {
	type Currency = Balances;
	type Pot = Pot;
	type EraLength = ConstU64<ERA_LENGTH>;
	type EraEmission = ConstU64<EMISSION>;
	type HistoryDepth = ConstU32<HISTORY_DEPTH>;
	type WeightInfo = ();
}

pub const ALICE: u64 = 1;
pub const BOB: u64 = 2;
pub const CHARLIE: u64 = 3;
/// Has no account until it is paid.
pub const NEWCOMER: u64 = 9;
pub const INITIAL: u64 = 1_000_000;

/// Alice, Bob and Charlie hold `INITIAL`; the pot holds only the existential deposit.
pub fn new_test_ext() -> sp_io::TestExternalities {
	ext_with_balances(vec![(ALICE, INITIAL), (BOB, INITIAL), (CHARLIE, INITIAL), (POT, EXISTENTIAL_DEPOSIT)])
}

/// Runs `test`, then checks the pallet's invariants.
pub fn run_test(test: impl FnOnce()) {
	new_test_ext().execute_with(|| {
		test();
		Rewards::do_try_state().expect("rewards invariants hold");
	});
}

/// Advances to block `n`, running the pallet's `on_initialize` for each block.
pub fn run_to_block(n: u64) {
	while System::block_number() < n {
		let next = System::block_number() + 1;
		System::set_block_number(next);
		Rewards::on_initialize(next);
	}
}
