//! # AI compute chain runtime
//!
//! The on-chain state transition function of the AI compute chain. It composes:
//!
//! - consensus: `pallet-aura` (block authoring slots) and `pallet-grandpa` (finality), with
//!   authorities set at genesis (no session pallet: this is a proof-of-authority network whose
//!   validator set changes through a runtime upgrade or governance);
//! - accounts and fees: `pallet-balances` and `pallet-transaction-payment`;
//! - `pallet-timestamp`;
//! - the compute market: zk-verifier, models, workers, jobs, rewards, provider, training;
//! - governance ([`governance`]): preimage, scheduler, treasury, a council (collective),
//!   conviction voting, referenda on tracks with their own origins, and compute-governance
//!   (proposals that request verified computations and act on their results);
//! - `pallet-sudo`, whose key is set only in the `development` preset.
//!
//! The runtime is built twice: natively (feature `std`, used by tests and by the node for the
//! genesis build) and as a `wasm32v1-none` blob that the node executes and that is stored on chain.
//! Genesis presets live in [`genesis_config_presets`], pallet configuration in [`configs`] and the
//! runtime APIs (the node-facing interface) in [`apis`].
#![cfg_attr(not(feature = "std"), no_std)]
// `construct_runtime`-style macros expand to large types.
#![recursion_limit = "256"]

#[cfg(feature = "std")]
include!(concat!(env!("OUT_DIR"), "/wasm_binary.rs"));

extern crate alloc;

use alloc::vec::Vec;

pub mod apis;
#[cfg(feature = "runtime-benchmarks")]
mod benchmarks;
pub mod configs;
pub mod genesis_config_presets;
pub mod governance;

use sp_runtime::{
	generic, impl_opaque_keys,
	traits::{BlakeTwo256, IdentifyAccount, Verify},
	MultiAddress, MultiSignature,
};
use sp_version::{runtime_version, RuntimeVersion};

pub use frame_system::Call as SystemCall;
pub use pallet_balances::Call as BalancesCall;
pub use pallet_timestamp::Call as TimestampCall;
#[cfg(any(feature = "std", test))]
pub use sp_runtime::BuildStorage;

/// Opaque types: what the node needs to know about blocks without knowing the runtime's calls,
/// so it keeps syncing across runtime upgrades that change extrinsic formats.
pub mod opaque {
	use super::*;
	pub use sp_runtime::OpaqueExtrinsic as UncheckedExtrinsic;

	/// Opaque block header type.
	pub type Header = generic::Header<BlockNumber, BlakeTwo256>;
	/// Opaque block type.
	pub type Block = generic::Block<Header, UncheckedExtrinsic>;
	/// Opaque block identifier type.
	pub type BlockId = generic::BlockId<Block>;
}

impl_opaque_keys! {
	/// The consensus keys of a validator, as set by `author_rotateKeys`.
	pub struct SessionKeys {
		/// Aura block-authoring key (sr25519).
		pub aura: Aura,
		/// GRANDPA finality key (ed25519).
		pub grandpa: Grandpa,
	}
}

/// Runtime version: bump `spec_version` on every change of the runtime logic.
#[runtime_version]
pub const VERSION: RuntimeVersion = RuntimeVersion {
	spec_name: alloc::borrow::Cow::Borrowed("aichain"),
	impl_name: alloc::borrow::Cow::Borrowed("aichain"),
	authoring_version: 1,
	spec_version: 107,
	impl_version: 1,
	apis: apis::RUNTIME_API_VERSIONS,
	transaction_version: 1,
	system_version: 1,
};

/// Target block time. Aura slots are this long; it cannot change once the chain has started.
pub const MILLISECS_PER_BLOCK: u64 = 6000;
/// Slot duration used by Aura (one block per slot).
pub const SLOT_DURATION: u64 = MILLISECS_PER_BLOCK;
/// Number of blocks in a minute.
pub const MINUTES: BlockNumber = 60_000 / (MILLISECS_PER_BLOCK as BlockNumber);
/// Number of blocks in an hour.
pub const HOURS: BlockNumber = MINUTES * 60;
/// Number of blocks in a day.
pub const DAYS: BlockNumber = HOURS * 24;

/// The chain's token has 12 decimals: one `UNIT` is 10^12 of the smallest unit (planck).
pub const UNIT: Balance = 1_000_000_000_000;
/// One thousandth of a unit.
pub const MILLI_UNIT: Balance = 1_000_000_000;
/// One millionth of a unit.
pub const MICRO_UNIT: Balance = 1_000_000;
/// Minimum balance an account must keep to exist.
pub const EXISTENTIAL_DEPOSIT: Balance = MILLI_UNIT;

/// Signature of a transaction: sr25519, ed25519 or ecdsa.
pub type Signature = MultiSignature;
/// An account on chain: the public key of the signing scheme.
pub type AccountId = <<Signature as Verify>::Signer as IdentifyAccount>::AccountId;
/// Balance of an account.
pub type Balance = u128;
/// Per-account transaction counter.
pub type Nonce = u32;
/// Block hash.
pub type Hash = sp_core::H256;
/// Block number.
pub type BlockNumber = u32;
/// The address format for describing accounts.
pub type Address = MultiAddress<AccountId, ()>;
/// Block header type as expected by this runtime.
pub type Header = generic::Header<BlockNumber, BlakeTwo256>;
/// Block type as expected by this runtime.
pub type Block = generic::Block<Header, UncheckedExtrinsic>;
/// A block as seen by the RPC and signers.
pub type SignedBlock = generic::SignedBlock<Block>;
/// BlockId type as expected by this runtime.
pub type BlockId = generic::BlockId<Block>;

/// The transaction extensions checked for every signed transaction, in order.
pub type TxExtension = (
	frame_system::CheckNonZeroSender<Runtime>,
	frame_system::CheckSpecVersion<Runtime>,
	frame_system::CheckTxVersion<Runtime>,
	frame_system::CheckGenesis<Runtime>,
	frame_system::CheckEra<Runtime>,
	frame_system::CheckNonce<Runtime>,
	frame_system::CheckWeight<Runtime>,
	pallet_transaction_payment::ChargeTransactionPayment<Runtime>,
	frame_metadata_hash_extension::CheckMetadataHash<Runtime>,
	frame_system::WeightReclaim<Runtime>,
);

/// Unchecked extrinsic type as expected by this runtime.
pub type UncheckedExtrinsic =
	generic::UncheckedExtrinsic<Address, RuntimeCall, Signature, TxExtension>;
/// The payload being signed in transactions.
pub type SignedPayload = generic::SignedPayload<RuntimeCall, TxExtension>;

/// Migrations to run on runtime upgrade, aside from those declared in pallets. Each is
/// versioned: it runs only while its pallet's storage version is the one it migrates from.
type Migrations = (pallet_blobs::migrations::v1::MigrateV0ToV1<Runtime>,);

/// Executive: dispatches calls to the pallets and runs block hooks.
pub type Executive = frame_executive::Executive<
	Runtime,
	Block,
	frame_system::ChainContext<Runtime>,
	Runtime,
	AllPalletsWithSystem,
	Migrations,
>;

/// The runtime: the pallets it is made of and their indices (indices are part of the
/// transaction format; never reorder them).
#[frame_support::runtime]
mod runtime {
	#[runtime::runtime]
	#[runtime::derive(
		RuntimeCall,
		RuntimeEvent,
		RuntimeError,
		RuntimeOrigin,
		RuntimeFreezeReason,
		RuntimeHoldReason,
		RuntimeSlashReason,
		RuntimeLockId,
		RuntimeTask,
		RuntimeViewFunction
	)]
	pub struct Runtime;

	#[runtime::pallet_index(0)]
	pub type System = frame_system;

	#[runtime::pallet_index(1)]
	pub type Timestamp = pallet_timestamp;

	#[runtime::pallet_index(2)]
	pub type Aura = pallet_aura;

	#[runtime::pallet_index(3)]
	pub type Grandpa = pallet_grandpa;

	#[runtime::pallet_index(4)]
	pub type Balances = pallet_balances;

	#[runtime::pallet_index(5)]
	pub type TransactionPayment = pallet_transaction_payment;

	#[runtime::pallet_index(6)]
	pub type Sudo = pallet_sudo;

	#[runtime::pallet_index(7)]
	pub type ZkVerifier = pallet_zk_verifier;

	#[runtime::pallet_index(8)]
	pub type Models = pallet_models;

	#[runtime::pallet_index(9)]
	pub type Workers = pallet_workers;

	#[runtime::pallet_index(10)]
	pub type Jobs = pallet_jobs;

	#[runtime::pallet_index(11)]
	pub type Rewards = pallet_rewards;

	#[runtime::pallet_index(12)]
	pub type Provider = pallet_provider;

	#[runtime::pallet_index(13)]
	pub type Training = pallet_training;

	#[runtime::pallet_index(14)]
	pub type Preimage = pallet_preimage;

	#[runtime::pallet_index(15)]
	pub type Scheduler = pallet_scheduler;

	#[runtime::pallet_index(16)]
	pub type Treasury = pallet_treasury;

	#[runtime::pallet_index(17)]
	pub type Council = pallet_collective<Instance1>;

	#[runtime::pallet_index(18)]
	pub type ConvictionVoting = pallet_conviction_voting;

	#[runtime::pallet_index(19)]
	pub type Referenda = pallet_referenda;

	#[runtime::pallet_index(20)]
	pub type Origins = governance::pallet_custom_origins;

	#[runtime::pallet_index(21)]
	pub type ComputeGovernance = pallet_compute_governance;

	#[runtime::pallet_index(22)]
	pub type Blobs = pallet_blobs;

	#[runtime::pallet_index(23)]
	pub type PrivateTraining = pallet_private_training;

	#[runtime::pallet_index(24)]
	pub type Diloco = pallet_diloco;
}
