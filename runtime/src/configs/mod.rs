//! Configuration of every pallet in the runtime: limits, currencies, weights and origins.
//!
//! Values that users see (block time, existential deposit, fee multipliers) are defined in the
//! crate root; this module only wires them into the pallets' `Config` traits.

use frame_support::{
	derive_impl,
	PalletId,
	dispatch::DispatchClass,
	parameter_types,
	traits::{ConstBool, ConstU128, ConstU32, ConstU64, ConstU8, VariantCountOf},
	weights::{
		constants::{ParityDbWeight, WEIGHT_REF_TIME_PER_SECOND},
		IdentityFee, Weight,
	},
};
use frame_system::limits::{BlockLength, BlockWeights};
use pallet_transaction_payment::{ConstFeeMultiplier, FungibleAdapter, Multiplier};
use sp_consensus_aura::sr25519::AuthorityId as AuraId;
use sp_runtime::{
	traits::{AccountIdConversion, One},
	Perbill, Permill,
};
use sp_version::RuntimeVersion;

mod blobs;
mod governance;
pub use governance::{CouncilCollective, ComputeGovernancePalletId};

use super::{
	AccountId, Aura, Balance, Balances, ComputeGovernance, Diloco, Jobs, Models, PrivateTraining, Rewards, Training, Workers, ZkVerifier, Block, BlockNumber, Hash, Nonce, PalletInfo, Runtime,
	RuntimeCall, RuntimeEvent, RuntimeFreezeReason, RuntimeHoldReason, RuntimeOrigin, RuntimeTask,
	System, EXISTENTIAL_DEPOSIT, MILLI_UNIT, SLOT_DURATION, UNIT, VERSION,
};

/// Share of a block's weight and length available to normal (non-operational) transactions.
const NORMAL_DISPATCH_RATIO: Perbill = Perbill::from_percent(75);

/// Maximum number of Aura/GRANDPA authorities.
pub const MAX_AUTHORITIES: u32 = 32;

parameter_types! {
	/// Number of recent block hashes kept for mortal transactions.
	pub const BlockHashCount: BlockNumber = 2400;
	/// The runtime version, exposed to `frame_system`.
	pub const Version: RuntimeVersion = VERSION;
	/// Two seconds of compute per six-second block.
	pub RuntimeBlockWeights: BlockWeights = BlockWeights::with_sensible_defaults(
		Weight::from_parts(2u64 * WEIGHT_REF_TIME_PER_SECOND, u64::MAX),
		NORMAL_DISPATCH_RATIO,
	);
	/// At most 5 MiB of extrinsics per block.
	pub RuntimeBlockLength: BlockLength = BlockLength::builder()
		.max_length(5 * 1024 * 1024)
		.modify_max_length_for_class(DispatchClass::Normal, |max| *max = NORMAL_DISPATCH_RATIO * *max)
		.build();
	/// SS58 address prefix: 42, the generic Substrate prefix.
	pub const SS58Prefix: u8 = 42;
}

#[derive_impl(frame_system::config_preludes::SolochainDefaultConfig)]
impl frame_system::Config for Runtime {
	type Block = Block;
	type BlockWeights = RuntimeBlockWeights;
	type BlockLength = RuntimeBlockLength;
	type AccountId = AccountId;
	type Nonce = Nonce;
	type Hash = Hash;
	type BlockHashCount = BlockHashCount;
	/// The node stores its state in ParityDb.
	type DbWeight = ParityDbWeight;
	type Version = Version;
	type AccountData = pallet_balances::AccountData<Balance>;
	type SS58Prefix = SS58Prefix;
	type MaxConsumers = ConstU32<16>;
}

impl pallet_aura::Config for Runtime {
	type AuthorityId = AuraId;
	type DisabledValidators = ();
	type MaxAuthorities = ConstU32<MAX_AUTHORITIES>;
	type AllowMultipleBlocksPerSlot = ConstBool<false>;
	type SlotDuration = pallet_aura::MinimumPeriodTimesTwo<Runtime>;
}

impl pallet_grandpa::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type WeightInfo = ();
	type MaxAuthorities = ConstU32<MAX_AUTHORITIES>;
	type MaxNominators = ConstU32<0>;
	type MaxSetIdSessionEntries = ConstU64<0>;
	// Equivocation reports need a session pallet to prove key ownership; without one the
	// proof type is uninhabited and reports are not accepted.
	type KeyOwnerProof = sp_core::Void;
	type EquivocationReportSystem = ();
}

impl pallet_timestamp::Config for Runtime {
	/// Milliseconds since the Unix epoch.
	type Moment = u64;
	type OnTimestampSet = Aura;
	type MinimumPeriod = ConstU64<{ SLOT_DURATION / 2 }>;
	type WeightInfo = pallet_timestamp::weights::SubstrateWeight<Runtime>;
}

impl pallet_balances::Config for Runtime {
	type MaxLocks = ConstU32<50>;
	type MaxReserves = ();
	type ReserveIdentifier = [u8; 8];
	type Balance = Balance;
	type RuntimeEvent = RuntimeEvent;
	type DustRemoval = ();
	type ExistentialDeposit = ConstU128<EXISTENTIAL_DEPOSIT>;
	type AccountStore = System;
	type WeightInfo = pallet_balances::weights::SubstrateWeight<Runtime>;
	type FreezeIdentifier = RuntimeFreezeReason;
	type MaxFreezes = VariantCountOf<RuntimeFreezeReason>;
	type RuntimeHoldReason = RuntimeHoldReason;
	type RuntimeFreezeReason = RuntimeFreezeReason;
	type DoneSlashHandler = ();
}

parameter_types! {
	/// Fees do not adjust with congestion (yet): a constant multiplier of one.
	pub FeeMultiplier: Multiplier = Multiplier::one();
}

impl pallet_transaction_payment::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type OnChargeTransaction = FungibleAdapter<Balances, ()>;
	type OperationalFeeMultiplier = ConstU8<5>;
	type WeightToFee = IdentityFee<Balance>;
	type LengthToFee = IdentityFee<Balance>;
	type FeeMultiplierUpdate = ConstFeeMultiplier<FeeMultiplier>;
	type WeightInfo = pallet_transaction_payment::weights::SubstrateWeight<Runtime>;
}

impl pallet_sudo::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type RuntimeCall = RuntimeCall;
	type WeightInfo = pallet_sudo::weights::SubstrateWeight<Runtime>;
}

parameter_types! {
	/// Largest number of public inputs of a registered Groth16 key (the digits inference
	/// circuit packs its input and output into far fewer).
	pub const ZkMaxPublicInputs: u32 = 64;
	/// Deposit held for every registered verifying key.
	pub const ZkKeyDepositBase: Balance = UNIT;
	/// Deposit held per byte of a key's stored encodings (as given and prepared).
	pub const ZkKeyDepositPerByte: Balance = MILLI_UNIT;
}

impl pallet_zk_verifier::Config for Runtime {
	type Currency = Balances;
	type RuntimeHoldReason = RuntimeHoldReason;
	/// Verification runs natively in the node through the `groth` host functions.
	type Backend = aichain_zk::host::NativeHost;
	type MaxPublicInputs = ZkMaxPublicInputs;
	type KeyDepositBase = ZkKeyDepositBase;
	type KeyDepositPerByte = ZkKeyDepositPerByte;
	type WeightInfo = pallet_zk_verifier::weights::SubstrateWeight<Runtime>;
}

parameter_types! {
	/// Receives slashed worker bonds.
	pub const TreasuryPalletId: PalletId = PalletId(*b"aic/trsy");
	/// Collects protocol fees for provider rewards.
	pub const RewardPotPalletId: PalletId = PalletId(*b"aic/rwrd");
	/// The treasury account.
	pub TreasuryAccount: AccountId = TreasuryPalletId::get().into_account_truncating();
	/// The reward pot account.
	pub RewardPotAccount: AccountId = RewardPotPalletId::get().into_account_truncating();
	/// Protocol fee on every job's price.
	pub const JobProtocolFee: Permill = Permill::from_percent(5);
}

/// Largest job input: 1 KiB.
pub const MAX_JOB_INPUT: u32 = 1024;
/// Largest job output: 512 bytes. A zk job of the largest sizes has
/// `1 + ⌈1024/31⌉ + ⌈512/31⌉ = 52` public inputs, within `ZkMaxPublicInputs`.
pub const MAX_JOB_OUTPUT: u32 = 512;
/// The longest sketch of a blob output: 384 columns and 682 rows of a MiniLM output blob are
/// 1,066 entries (4 KiB per distinct replica output, kept until the job ends).
pub const MAX_SKETCH_LEN: u32 = 2048;

impl pallet_models::Config for Runtime {
	type Currency = Balances;
	type RuntimeHoldReason = RuntimeHoldReason;
	type Verifier = ZkVerifier;
	type ModelDeposit = ConstU128<{ 10 * UNIT }>;
	// A retired model's record (at most ~350 bytes) stays forever; this much stays held for it.
	type TombstoneDeposit = ConstU128<{ UNIT }>;
	type MaxNameLength = ConstU32<64>;
	type MaxContentAddressLength = ConstU32<128>;
	type MaxInputLimit = ConstU32<MAX_JOB_INPUT>;
	type MaxOutputLimit = ConstU32<MAX_JOB_OUTPUT>;
	// Blob inputs up to a whole file under a manifest (256 MiB); an output is one blob (256 KiB).
	type MaxBlobInputLimit = ConstU64<{ blobs::MAX_BLOB_SIZE as u64 * blobs::MAX_MANIFEST_CHUNKS as u64 }>;
	type MaxBlobOutputLimit = ConstU32<{ blobs::MAX_BLOB_SIZE }>;
	type MaxSketchLen = ConstU32<MAX_SKETCH_LEN>;
	type WeightInfo = pallet_models::weights::SubstrateWeight<Runtime>;
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = pallet_zk_verifier::SimulatedKeys<Runtime>;
}

impl pallet_workers::Config for Runtime {
	type Currency = Balances;
	type RuntimeHoldReason = RuntimeHoldReason;
	type Models = Models;
	type MinBond = ConstU128<{ 100 * UNIT }>;
	/// Ten minutes without a heartbeat: no new jobs.
	type HeartbeatTimeout = ConstU32<100>;
	/// One hour.
	type UnbondingPeriod = ConstU32<600>;
	/// A bond increase counts for selection after ten blocks (one minute).
	type BondWarmup = ConstU32<10>;
	type MaxModelsPerWorker = ConstU32<16>;
	type MaxWorkersPerModel = ConstU32<64>;
	type SlashBeneficiary = TreasuryAccount;
	type WeightInfo = pallet_workers::weights::SubstrateWeight<Runtime>;
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = pallet_workers::benchmarking::RegisteredModels<Runtime>;
}

impl pallet_jobs::Config for Runtime {
	type Currency = Balances;
	type RuntimeHoldReason = RuntimeHoldReason;
	type Models = Models;
	type Workers = Workers;
	type Verifier = ZkVerifier;
	/// Blob jobs read their inputs from the blobs pallet's kept blobs.
	type Blobs = crate::Blobs;
	/// Training rounds act on their verified shard results; governance requests on theirs;
	/// private trainings sum their members' masked updates; DiLoCo trainings record their
	/// shards' agreed changes and outer steps.
	type OnJobCompleted = (Training, ComputeGovernance, PrivateTraining, Diloco);
	type OnVerifiedWork = Rewards;
	type ProtocolFee = JobProtocolFee;
	/// Every job, a free model's too, pays at least 0.01 AIC for the slot it takes in the
	/// shared pending queue and deadline schedule.
	type MinJobFee = ConstU128<{ 10 * MILLI_UNIT }>;
	type FeeCollector = RewardPotAccount;
	type SlashAmount = ConstU128<{ 10 * UNIT }>;
	type MaxInputLen = ConstU32<MAX_JOB_INPUT>;
	type MaxOutputLen = ConstU32<MAX_JOB_OUTPUT>;
	type MaxSketchLen = ConstU32<MAX_SKETCH_LEN>;
	type MaxReplicas = ConstU32<5>;
	/// One hour per phase at most.
	type MaxDeadline = ConstU32<600>;
	/// Due phases ended per block; more due at once wait for the next blocks.
	type MaxJobsPerBlock = ConstU32<64>;
	type MaxPendingJobs = ConstU32<64>;
	type MaxReassignments = ConstU32<2>;
	/// A provider's results batched in one call (one pairing check): 64 amortize the final
	/// exponentiation and each key's work to a small part of each proof's cost.
	type MaxResultsPerCall = ConstU32<64>;
	/// Ten minutes to challenge an optimistic result.
	type ChallengePeriod = ConstU32<100>;
	type DisputeReplicas = ConstU32<3>;
	type ChallengeBond = ConstU128<{ 10 * UNIT }>;
	type Treasury = TreasuryAccount;
	type WeightInfo = pallet_jobs::weights::SubstrateWeight<Runtime>;
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = pallet_jobs::MarketPallets<Runtime>;
}

impl pallet_training::Config for Runtime {
	type Balance = Balance;
	type Currency = Balances;
	type RuntimeHoldReason = RuntimeHoldReason;
	/// As much as a model's: a training's record (up to ~4.6 KB with the largest parameters
	/// and round) stays until its owner closes it.
	type TrainingDeposit = ConstU128<{ 10 * UNIT }>;
	type Models = Models;
	type Jobs = Jobs;
	/// 64 fixed-point parameters.
	type MaxParameterBytes = ConstU32<256>;
	/// With the largest parameters, a shard job's input is the largest job input.
	type MaxShardBytes = ConstU32<{ MAX_JOB_INPUT - 256 }>;
	type MaxShards = ConstU32<16>;
	type WeightInfo = pallet_training::weights::SubstrateWeight<Runtime>;
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = pallet_training::benchmarking::MarketPallets<Runtime>;
}

impl pallet_diloco::Config for Runtime {
	type Balance = Balance;
	type Currency = Balances;
	type RuntimeHoldReason = RuntimeHoldReason;
	/// As much as a model's: a training's record (about 5 KB with the largest state files
	/// and round) stays until its owner closes it.
	type TrainingDeposit = ConstU128<{ 10 * UNIT }>;
	type Models = Models;
	type Jobs = Jobs;
	type Blobs = crate::Blobs;
	type MaxShards = ConstU32<16>;
	/// State files of up to 16 MiB (4M `f32` parameters).
	type MaxStatePieces = ConstU32<64>;
	type WeightInfo = pallet_diloco::weights::SubstrateWeight<Runtime>;
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = pallet_diloco::benchmarking::MarketPallets<Runtime>;
}

impl pallet_private_training::Config for Runtime {
	type Balance = Balance;
	type Currency = Balances;
	type RuntimeHoldReason = RuntimeHoldReason;
	/// As much as a model's: a consortium's record (about 2.7 KB with the most parameters and a
	/// running attempt) and its 6 pairs' seeds stay until the owner closes it.
	type ConsortiumDeposit = ConstU128<{ 10 * UNIT }>;
	type Models = Models;
	type Jobs = Jobs;
	/// The `model_admin` track (or root) sets privacy budgets, as it approves the models the
	/// treasury pays for: both are the community's standing decisions about a model's use.
	type BudgetOrigin = frame_support::traits::EitherOf<
		frame_system::EnsureRoot<AccountId>,
		crate::governance::origins::ModelAdmin,
	>;
	/// The member layout has 3 peer slots.
	type MaxMembers = ConstU32<4>;
	type MinMembers = ConstU32<3>;
	type MaxAttemptsPerRound = ConstU32<3>;
	/// One minute: a member's proof takes seconds (a round of 4 members ends in 4 blocks on a
	/// 2-core machine running all 4 nodes); a missed deadline slashes the member.
	type MinRoundTimeout = ConstU32<10>;
	/// 128 parameters: a member's job input (651 bytes) and output (512) fit the jobs' limits.
	type MaxParameters = ConstU32<128>;
	type WeightInfo = pallet_private_training::weights::SubstrateWeight<Runtime>;
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = pallet_private_training::benchmarking::MarketPallets<Runtime>;
}

impl pallet_rewards::Config for Runtime {
	type Currency = Balances;
	type Pot = RewardPotAccount;
	/// One hour.
	type EraLength = ConstU32<600>;
	/// 100 AIC an hour: small next to the fees of real work (see docs/compute-market.md).
	type EraEmission = ConstU128<{ 100 * UNIT }>;
	/// Rewards stay claimable for a week of eras.
	type HistoryDepth = ConstU32<168>;
	type WeightInfo = pallet_rewards::weights::SubstrateWeight<Runtime>;
}

/// Transactions the runtime signs itself: the provider pallet's offchain worker reports results
/// and heartbeats with the node's provider keys.
impl frame_system::offchain::SigningTypes for Runtime {
	type Public = <super::Signature as sp_runtime::traits::Verify>::Signer;
	type Signature = super::Signature;
}

impl<LocalCall> frame_system::offchain::CreateTransactionBase<LocalCall> for Runtime
where
	RuntimeCall: From<LocalCall>,
{
	type Extrinsic = super::UncheckedExtrinsic;
	type RuntimeCall = RuntimeCall;
}

impl<LocalCall> frame_system::offchain::CreateSignedTransaction<LocalCall> for Runtime
where
	RuntimeCall: From<LocalCall>,
{
	/// A transaction valid for 64 blocks from the current one, without tip, with the
	/// extensions every signed transaction carries ([`super::TxExtension`]).
	fn create_signed_transaction<
		C: frame_system::offchain::AppCrypto<Self::Public, Self::Signature>,
	>(
		call: RuntimeCall,
		public: Self::Public,
		account: AccountId,
		nonce: Nonce,
	) -> Option<super::UncheckedExtrinsic> {
		use codec::Encode;
		use sp_runtime::{generic::Era, traits::StaticLookup, SaturatedConversion};
		/// Blocks a provider's transaction stays valid.
		const MORTALITY: u64 = 64;
		let current_block = System::block_number().saturated_into::<u64>().saturating_sub(1);
		let extension: super::TxExtension = (
			frame_system::CheckNonZeroSender::<Runtime>::new(),
			frame_system::CheckSpecVersion::<Runtime>::new(),
			frame_system::CheckTxVersion::<Runtime>::new(),
			frame_system::CheckGenesis::<Runtime>::new(),
			frame_system::CheckEra::<Runtime>::from(Era::mortal(MORTALITY, current_block)),
			frame_system::CheckNonce::<Runtime>::from(nonce),
			frame_system::CheckWeight::<Runtime>::new(),
			pallet_transaction_payment::ChargeTransactionPayment::<Runtime>::from(0),
			frame_metadata_hash_extension::CheckMetadataHash::<Runtime>::new(false),
			frame_system::WeightReclaim::<Runtime>::new(),
		);
		let payload = super::SignedPayload::new(call, extension).ok()?;
		let signature = payload.using_encoded(|bytes| C::sign(bytes, public))?;
		let (call, extension, _) = payload.deconstruct();
		let address = <Runtime as frame_system::Config>::Lookup::unlookup(account);
		Some(super::UncheckedExtrinsic::new_signed(call, address, signature, extension))
	}
}

impl pallet_provider::Config for Runtime {
	type AuthorityId = pallet_provider::crypto::ProviderId;
	/// A minute: a result transaction not on chain by then was dropped.
	type ResendAfter = ConstU32<10>;
	/// Five minutes: half the workers' 100-block heartbeat timeout.
	type HeartbeatEvery = ConstU32<50>;
}
