//! Configuration of the governance pallets: preimages, the scheduler, the treasury, the
//! council, conviction voting, referenda on the tracks of [`crate::governance::tracks`], and
//! compute-governance (governance requests for verified computations).
//!
//! Who may do what:
//! - anyone submits a referendum (a deposit) and votes with conviction;
//! - a passed `root` referendum dispatches anything; a passed `compute` referendum requests
//!   computations and treasury spends, each within
//!   [`crate::governance::origins::COMPUTE_BUDGET`]; a passed `model_admin`
//!   referendum approves the models those requests may use;
//! - the council (two thirds) cancels a referendum or rejects a treasury spend;
//! - slashed referendum deposits, slashed worker bonds and unspent request funds go to the
//!   treasury, whose account is the one the market has always paid slashes to.

use super::{TreasuryAccount, TreasuryPalletId, MAX_JOB_INPUT, MAX_JOB_OUTPUT};
use crate::{
	governance::{
		origins::{ComputeSpender, ModelAdmin},
		pallet_custom_origins, prod_or_fast, tracks,
	},
	AccountId, Balance, Balances, BlockNumber, Jobs, OriginCaller, Preimage, Referenda, Runtime, RuntimeCall,
	RuntimeEvent, RuntimeHoldReason, RuntimeOrigin, Scheduler, System, Treasury, DAYS, MILLI_UNIT, UNIT,
};
use frame_support::{
	parameter_types,
	traits::{
		fungible::HoldConsideration,
		tokens::{pay::PayFromAccount, UnityAssetBalanceConversion},
		ConstU32, EitherOf, EitherOfDiverse, EqualPrivilegeOnly, LinearStoragePrice,
	},
	weights::Weight,
	PalletId,
};
use frame_system::{EnsureRoot, EnsureRootWithSuccess, EnsureSigned};
use sp_runtime::{traits::IdentityLookup, Perbill};

impl pallet_custom_origins::Config for Runtime {}

parameter_types! {
	/// Held for a stored preimage: 1 AIC plus 1 mAIC per byte.
	pub const PreimageBaseDeposit: Balance = UNIT;
	pub const PreimageByteDeposit: Balance = MILLI_UNIT;
	pub const PreimageHoldReason: RuntimeHoldReason = RuntimeHoldReason::Preimage(pallet_preimage::HoldReason::Preimage);
}

impl pallet_preimage::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type WeightInfo = pallet_preimage::weights::SubstrateWeight<Runtime>;
	type Currency = Balances;
	type ManagerOrigin = EnsureRoot<AccountId>;
	type Consideration = HoldConsideration<
		AccountId,
		Balances,
		PreimageHoldReason,
		LinearStoragePrice<PreimageBaseDeposit, PreimageByteDeposit, Balance>,
	>;
}

parameter_types! {
	/// Scheduled calls (enacted referenda, governance requests' calls) may use 80 % of a block.
	pub MaximumSchedulerWeight: Weight = Perbill::from_percent(80) * super::RuntimeBlockWeights::get().max_block;
}

impl pallet_scheduler::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type RuntimeOrigin = RuntimeOrigin;
	type PalletsOrigin = OriginCaller;
	type RuntimeCall = RuntimeCall;
	type MaximumWeight = MaximumSchedulerWeight;
	type ScheduleOrigin = EnsureRoot<AccountId>;
	type OriginPrivilegeCmp = EqualPrivilegeOnly;
	type MaxScheduledPerBlock = ConstU32<50>;
	type WeightInfo = pallet_scheduler::weights::SubstrateWeight<Runtime>;
	type Preimages = Preimage;
	type BlockNumberProvider = System;
}

/// The council: its collective instance.
pub type CouncilCollective = pallet_collective::Instance1;
/// Two thirds of the council, or root.
pub type CouncilTwoThirdsOrRoot = EitherOfDiverse<
	EnsureRoot<AccountId>,
	pallet_collective::EnsureProportionAtLeast<AccountId, CouncilCollective, 2, 3>,
>;

parameter_types! {
	pub const CouncilMotionDuration: BlockNumber = prod_or_fast(3 * DAYS, 10);
	pub MaxCouncilProposalWeight: Weight = Perbill::from_percent(50) * super::RuntimeBlockWeights::get().max_block;
}

impl pallet_collective::Config<CouncilCollective> for Runtime {
	type RuntimeOrigin = RuntimeOrigin;
	type Proposal = RuntimeCall;
	type RuntimeEvent = RuntimeEvent;
	type MotionDuration = CouncilMotionDuration;
	type MaxProposals = ConstU32<100>;
	type MaxMembers = ConstU32<100>;
	type DefaultVote = pallet_collective::PrimeDefaultVote;
	type WeightInfo = pallet_collective::weights::SubstrateWeight<Runtime>;
	type SetMembersOrigin = EnsureRoot<AccountId>;
	type MaxProposalWeight = MaxCouncilProposalWeight;
	type DisapproveOrigin = EnsureRoot<AccountId>;
	type KillOrigin = EnsureRoot<AccountId>;
	type Consideration = ();
}

parameter_types! {
	pub const SpendPeriod: BlockNumber = prod_or_fast(6 * DAYS, 10);
	pub const PayoutPeriod: BlockNumber = prod_or_fast(30 * DAYS, 50);
	pub const MaxBalance: Balance = Balance::MAX;
}

/// Root with no limit, or the `compute` track within its budget.
pub type TreasurySpender = EitherOf<EnsureRootWithSuccess<AccountId, MaxBalance>, ComputeSpender>;

impl pallet_treasury::Config for Runtime {
	type Currency = Balances;
	type RejectOrigin = CouncilTwoThirdsOrRoot;
	type RuntimeEvent = RuntimeEvent;
	type SpendPeriod = SpendPeriod;
	/// Nothing is burnt: unspent funds stay for the DAO.
	type Burn = ();
	/// The account that has always received slashed bonds (`aic/trsy`).
	type PalletId = TreasuryPalletId;
	type BurnDestination = ();
	type WeightInfo = pallet_treasury::weights::SubstrateWeight<Runtime>;
	type SpendFunds = ();
	type MaxApprovals = ConstU32<100>;
	type SpendOrigin = TreasurySpender;
	type AssetKind = ();
	type Beneficiary = AccountId;
	type BeneficiaryLookup = IdentityLookup<AccountId>;
	type Paymaster = PayFromAccount<Balances, TreasuryAccount>;
	type BalanceConverter = UnityAssetBalanceConversion;
	type PayoutPeriod = PayoutPeriod;
	type BlockNumberProvider = System;
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = ();
}

parameter_types! {
	pub const VoteLockingPeriod: BlockNumber = prod_or_fast(7 * DAYS, 1);
}

impl pallet_conviction_voting::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type WeightInfo = pallet_conviction_voting::weights::SubstrateWeight<Runtime>;
	type Currency = Balances;
	type Polls = Referenda;
	type MaxTurnout = frame_support::traits::tokens::currency::ActiveIssuanceOf<Balances, AccountId>;
	type MaxVotes = ConstU32<512>;
	type VoteLockingPeriod = VoteLockingPeriod;
	type BlockNumberProvider = System;
	type VotingHooks = ();
}

parameter_types! {
	pub const UndecidingTimeout: BlockNumber = prod_or_fast(14 * DAYS, 20);
}

impl pallet_referenda::Config for Runtime {
	type RuntimeCall = RuntimeCall;
	type RuntimeEvent = RuntimeEvent;
	type WeightInfo = pallet_referenda::weights::SubstrateWeight<Runtime>;
	type Scheduler = Scheduler;
	type Currency = Balances;
	type SubmitOrigin = EnsureSigned<AccountId>;
	type CancelOrigin = CouncilTwoThirdsOrRoot;
	type KillOrigin = EnsureRoot<AccountId>;
	/// Killed referenda's deposits go to the treasury.
	type Slash = Treasury;
	type Votes = pallet_conviction_voting::VotesOf<Runtime>;
	type Tally = pallet_conviction_voting::TallyOf<Runtime>;
	type SubmissionDeposit = frame_support::traits::ConstU128<{ 10 * UNIT }>;
	type MaxQueued = ConstU32<100>;
	type UndecidingTimeout = UndecidingTimeout;
	type AlarmInterval = ConstU32<1>;
	type Tracks = tracks::TracksInfo;
	type Preimages = Preimage;
	type BlockNumberProvider = System;
}

parameter_types! {
	/// Derives each governance request's account.
	pub const ComputeGovernancePalletId: PalletId = PalletId(*b"aic/cgov");
}

impl pallet_compute_governance::Config for Runtime {
	type RuntimeCall = RuntimeCall;
	type Currency = Balances;
	type Jobs = Jobs;
	type Scheduler = Scheduler;
	type Preimages = Preimage;
	type RequestOrigin = TreasurySpender;
	type ModelAdminOrigin = EitherOf<EnsureRoot<AccountId>, ModelAdmin>;
	type Treasury = TreasuryAccount;
	type PalletId = ComputeGovernancePalletId;
	type MaxClauses = ConstU32<8>;
	type MaxInputLen = ConstU32<MAX_JOB_INPUT>;
	type MaxOutputLen = ConstU32<MAX_JOB_OUTPUT>;
	type MaxRequests = ConstU32<64>;
	/// A week.
	type MaxRetention = ConstU32<{ 7 * DAYS }>;
	type WeightInfo = pallet_compute_governance::weights::SubstrateWeight<Runtime>;
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = pallet_compute_governance::benchmark_helper::JobMarket<Runtime>;
}
