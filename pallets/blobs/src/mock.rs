//! The test runtime of the blobs pallet: System, Balances and Blobs, with helpers that apply a
//! call the way the executive applies an extrinsic (its encoding noted at its index first), so
//! that the pallet's check of what the node will index runs as on a real chain.

use crate as pallet_blobs;
use codec::Encode;
use frame_support::{
	parameter_types,
	traits::{ConstU32, ConstU64, Hooks},
};
use sp_runtime::DispatchResult;

aichain_test_utils::test_runtime! {
	2: Blobs = pallet_blobs,
}

/// Receives the fees.
pub const TREASURY: u64 = 100;
pub const ALICE: u64 = 1;
pub const BOB: u64 = 2;
/// Cannot pay a fee.
pub const POOR: u64 = 3;
pub const ENTRY_FEE: u64 = 10;
pub const BYTE_FEE: u64 = 2;
pub const RETENTION: u64 = 10;
pub const MAX_BLOB: u32 = 160;
/// The expiry hook's steps per block: a look at one block and two removals.
pub const MAX_EXPIRY_STEPS: u32 = 3;

parameter_types! {
	pub const Treasury: u64 = TREASURY;
}

impl pallet_blobs::Config for Test {
	type Currency = Balances;
	type FeeDestination = Treasury;
	type EntryFee = ConstU64<ENTRY_FEE>;
	type ByteFee = ConstU64<BYTE_FEE>;
	type RetentionPeriod = ConstU64<RETENTION>;
	type MaxBlobSize = ConstU32<MAX_BLOB>;
	type MaxExpiriesPerBlock = ConstU32<MAX_EXPIRY_STEPS>;
	type MaxManifestChunks = ConstU32<4>;
	type WeightInfo = ();
}

/// Alice and Bob hold 10,000; the treasury exists.
pub fn new_test_ext() -> sp_io::TestExternalities {
	ext_with_balances(vec![(ALICE, 10_000), (BOB, 10_000), (POOR, 1), (TREASURY, 1)])
}

/// Runs `test`, then checks the pallet's invariants.
pub fn run_test(test: impl FnOnce()) {
	new_test_ext().execute_with(|| {
		test();
		Blobs::do_try_state().expect("invariants hold");
	});
}

/// Applies `call` signed by `who` as extrinsic number `index` of the block: its encoding (a
/// stand-in signature prefix, then the call) is noted first, as the executive does.
pub fn apply(index: u32, who: u64, call: pallet_blobs::Call<Test>) -> DispatchResult {
	let call = note(index, call);
	dispatch(who, call)
}

/// Notes `call` as extrinsic `index` (what the executive does before dispatching it); returns
/// the runtime call.
pub fn note(index: u32, call: pallet_blobs::Call<Test>) -> RuntimeCall {
	let call = RuntimeCall::Blobs(call);
	let mut extrinsic = vec![0x84; 100];
	extrinsic.extend(call.encode());
	System::set_extrinsic_index(index);
	System::note_extrinsic(extrinsic);
	call
}

/// Dispatches `call` signed by `who`.
pub fn dispatch(who: u64, call: RuntimeCall) -> DispatchResult {
	use sp_runtime::traits::Dispatchable;
	call.dispatch(RuntimeOrigin::signed(who)).map(|_| ()).map_err(|e| e.error)
}

/// Notes `extrinsic` as the encoding of extrinsic `index` (one that may not end with the call
/// dispatched: a wrapped call).
pub fn note_encoded(index: u32, extrinsic: Vec<u8>) {
	System::set_extrinsic_index(index);
	System::note_extrinsic(extrinsic);
}

/// Stores `data` for `who` as extrinsic `index`.
pub fn store(index: u32, who: u64, data: &[u8]) -> DispatchResult {
	apply(index, who, pallet_blobs::Call::store { data: data.to_vec() })
}

/// Moves to block `n`, running the pallet's hook at each block.
pub fn run_to(n: u64) {
	while System::block_number() < n {
		let next = System::block_number() + 1;
		System::set_block_number(next);
		Blobs::on_initialize(next);
	}
}
