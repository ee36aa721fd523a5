//! The test runtime of the jobs pallet: System, Balances and the real ZK verifier, models,
//! workers and blobs pallets (zk-tier results are checked with real Groth16 proofs; blob inputs
//! are blobs stored through the blobs pallet's call).

use crate as pallet_jobs;
use frame_support::{
	parameter_types,
	traits::{ConstU32, ConstU64, Hooks},
};
use sp_runtime::Permill;

aichain_test_utils::test_runtime! {
	2: ZkVerifier = pallet_zk_verifier,
	3: Models = pallet_models,
	4: Workers = pallet_workers,
	5: Jobs = pallet_jobs,
	6: Blobs = pallet_blobs;
	// Above a royalty of 50, so that paying it to a reaped account is refused.
	balances { type ExistentialDeposit = ConstU64<EXISTENTIAL_DEPOSIT>; }
}

/// The existential deposit.
pub const EXISTENTIAL_DEPOSIT: u64 = 100;

impl pallet_zk_verifier::Config for Test {
	type Currency = Balances;
	type RuntimeHoldReason = RuntimeHoldReason;
	type Backend = aichain_zk::host::NativeHost;
	type MaxPublicInputs = ConstU32<16>;
	type KeyDepositBase = ConstU64<10>;
	type KeyDepositPerByte = ConstU64<0>;
	type WeightInfo = ();
}

impl pallet_models::Config for Test {
	type Currency = Balances;
	type RuntimeHoldReason = RuntimeHoldReason;
	type Verifier = ZkVerifier;
	type ModelDeposit = ConstU64<50>;
	type TombstoneDeposit = TombstoneDeposit;
	type MaxNameLength = ConstU32<32>;
	type MaxContentAddressLength = ConstU32<64>;
	type MaxInputLimit = ConstU32<64>;
	type MaxOutputLimit = ConstU32<40>;
	type MaxBlobInputLimit = ConstU64<{ 1 << 20 }>;
	type MaxBlobOutputLimit = ConstU32<1024>;
	type MaxSketchLen = ConstU32<256>;
	type WeightInfo = ();
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = pallet_zk_verifier::SimulatedKeys<Test>;
}

pub const TREASURY: u64 = 100;
pub const POT: u64 = 101;
pub const MIN_BOND: u64 = 1_000;
pub const SLASH: u64 = 300;
pub const DEFAULT_TOMBSTONE_DEPOSIT: u64 = 5;

parameter_types! {
	pub const Treasury: u64 = TREASURY;
	pub const Pot: u64 = POT;
	pub const Fee: Permill = Permill::from_percent(10);
	/// Kept held for a retired model; a test may set it to 0 (`TombstoneDeposit::set(0)`).
	pub static TombstoneDeposit: u64 = DEFAULT_TOMBSTONE_DEPOSIT;
	/// The blobs pallet's fee per blob (a test raises it, as a runtime upgrade could).
	pub static BlobEntryFee: u64 = 10;
}

impl pallet_workers::Config for Test {
	type Currency = Balances;
	type RuntimeHoldReason = RuntimeHoldReason;
	type Models = Models;
	type MinBond = ConstU64<MIN_BOND>;
	type HeartbeatTimeout = ConstU64<100>;
	type UnbondingPeriod = ConstU64<10>;
	type BondWarmup = ConstU64<2>;
	type MaxModelsPerWorker = ConstU32<4>;
	type MaxWorkersPerModel = ConstU32<8>;
	type SlashBeneficiary = Treasury;
	type WeightInfo = ();
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = pallet_workers::benchmarking::RegisteredModels<Test>;
}

std::thread_local! {
	/// Outputs passed to `OnJobCompleted`, in order.
	pub static COMPLETED: std::cell::RefCell<Vec<(u64, u32, u64, Vec<u8>)>> = Default::default();
}

/// The most [`RecordCompleted`] declares it may use per job.
pub const HOOK_WORST: frame_support::weights::Weight = frame_support::weights::Weight::from_parts(5_000_000, 1_000);
/// What [`RecordCompleted`] reports it used per job, so that calls can refund the rest.
pub const HOOK_USED: frame_support::weights::Weight = frame_support::weights::Weight::from_parts(1_000_000, 100);

/// Records every completed job (what governance or a training round would act on).
pub struct RecordCompleted;

impl crate::OnJobCompleted<u64> for RecordCompleted {
	fn on_job_completed(job: u64, model: u32, requester: &u64, output: &[u8]) -> frame_support::weights::Weight {
		COMPLETED.with(|c| c.borrow_mut().push((job, model, *requester, output.to_vec())));
		HOOK_USED
	}

	fn weight() -> frame_support::weights::Weight {
		HOOK_WORST
	}
}

std::thread_local! {
	/// Workers paid for accepted results and their payments, in order.
	pub static VERIFIED_WORK: std::cell::RefCell<Vec<(u64, u64)>> = Default::default();
}

/// Records every payment for verified work (what the rewards pallet counts).
pub struct RecordVerifiedWork;

impl aichain_compute::OnVerifiedWork<u64, u64> for RecordVerifiedWork {
	fn on_verified_work(worker: &u64, payment: u64) {
		VERIFIED_WORK.with(|w| w.borrow_mut().push((*worker, payment)));
	}
}

pub const DEADLINE: u64 = 5;
/// The least fee of a job (that of a free model's).
pub const MIN_FEE: u64 = 20;
pub const CHALLENGE_PERIOD: u64 = 3;
/// A challenger's whole bond: three dispute prices (3 × 1,000) and the 500 forfeit.
pub const CHALLENGE_BOND: u64 = 3_500;

impl pallet_jobs::Config for Test {
	type Currency = Balances;
	type RuntimeHoldReason = RuntimeHoldReason;
	type Models = Models;
	type Workers = Workers;
	type Verifier = ZkVerifier;
	type Blobs = Blobs;
	type OnJobCompleted = RecordCompleted;
	type OnVerifiedWork = RecordVerifiedWork;
	type ProtocolFee = Fee;
	type MinJobFee = ConstU64<MIN_FEE>;
	type FeeCollector = Pot;
	type SlashAmount = ConstU64<SLASH>;
	type MaxInputLen = ConstU32<64>;
	type MaxOutputLen = ConstU32<40>;
	type MaxSketchLen = ConstU32<256>;
	type MaxReplicas = ConstU32<5>;
	type MaxDeadline = ConstU64<100>;
	type MaxJobsPerBlock = ConstU32<4>;
	type MaxPendingJobs = ConstU32<3>;
	type MaxReassignments = ConstU32<1>;
	type MaxResultsPerCall = ConstU32<8>;
	type ChallengePeriod = ConstU64<CHALLENGE_PERIOD>;
	type DisputeReplicas = ConstU32<3>;
	type ChallengeBond = ConstU64<500>;
	type Treasury = Treasury;
	type WeightInfo = ();
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = crate::MarketPallets<Test>;
}

/// Blobs are kept for 1,000 blocks: longer than the longest job (5 × 100 + 3 blocks).
pub const BLOB_RETENTION: u64 = 1_000;

impl pallet_blobs::Config for Test {
	type Currency = Balances;
	type FeeDestination = Treasury;
	type EntryFee = BlobEntryFee;
	type ByteFee = ConstU64<1>;
	type RetentionPeriod = ConstU64<BLOB_RETENTION>;
	type MaxBlobSize = ConstU32<1024>;
	type MaxExpiriesPerBlock = ConstU32<16>;
	type MaxManifestChunks = ConstU32<4>;
	type WeightInfo = ();
}

/// Stores `data` as a blob of `who`, the way an extrinsic does (its encoding noted first, so
/// that the blobs pallet's check of what nodes index passes); returns its hash.
pub fn store_blob(who: u64, data: &[u8]) -> [u8; 32] {
	use codec::Encode;
	use sp_runtime::traits::Dispatchable;
	let call = RuntimeCall::Blobs(pallet_blobs::Call::store { data: data.to_vec() });
	let mut extrinsic = vec![0x84; 100];
	extrinsic.extend(call.encode());
	System::set_extrinsic_index(1);
	System::note_extrinsic(extrinsic);
	call.dispatch(RuntimeOrigin::signed(who)).expect("a funded account stores a new blob");
	sp_io::hashing::blake2_256(data)
}

pub const ALICE: u64 = 1;
pub const BOB: u64 = 2;
pub const CHARLIE: u64 = 3;
pub const DAVE: u64 = 4;
pub const EVE: u64 = 5;
pub const OWNER: u64 = 10;
pub const REQUESTER: u64 = 20;
pub const POOR: u64 = 21;
pub const INITIAL: u64 = 1_000_000;

/// Everyone but `POOR` holds `INITIAL`; `POOR` holds 100.
pub fn new_test_ext() -> sp_io::TestExternalities {
	let rich = [ALICE, BOB, CHARLIE, DAVE, EVE, OWNER, REQUESTER, TREASURY, POT];
	ext_with_balances(rich.iter().map(|a| (*a, INITIAL)).chain([(POOR, 100)]).collect())
}

/// Runs `test` and then checks the invariants of every market pallet.
pub fn run_test(test: impl FnOnce()) {
	COMPLETED.with(|c| c.borrow_mut().clear());
	VERIFIED_WORK.with(|w| w.borrow_mut().clear());
	TombstoneDeposit::set(DEFAULT_TOMBSTONE_DEPOSIT);
	BlobEntryFee::set(10);
	new_test_ext().execute_with(|| {
		test();
		Jobs::do_try_state().expect("jobs invariants hold");
		Workers::do_try_state().expect("workers invariants hold");
		Models::do_try_state().expect("models invariants hold");
		ZkVerifier::do_try_state().expect("verifier invariants hold");
		Blobs::do_try_state().expect("blobs invariants hold");
	});
}

/// Advances to block `n`, running the jobs pallet's `on_initialize` for each block.
pub fn run_to_block(n: u64) {
	while System::block_number() < n {
		let next = System::block_number() + 1;
		System::set_block_number(next);
		Jobs::on_initialize(next);
	}
}
