//! # Provider pallet: the offchain worker of a compute provider's node
//!
//! No calls, no storage: this pallet is the part of the runtime that runs in a provider's node
//! after each imported block (`offchain_worker`), never during block import or authoring.
//!
//! For every local provider key (key type [`crypto::KEY_TYPE`], `aiwk`; inserted with
//! `aichain-node key insert --key-type aiwk` or derived for dev accounts by `--worker`) whose
//! account is a registered worker, it:
//!
//! 1. sends a `Workers::heartbeat` every [`Config::HeartbeatEvery`] blocks;
//! 2. reads the open jobs assigned to that account from the jobs pallet's per-worker index
//!    (`pallet_jobs::WorkerJobs`, not a scan of every job) and hands each one to the node's
//!    compute engine through the host functions of `aichain-engine-host` (the engine runs and
//!    proves it on its own threads: this never waits for a job); a job the engine refuses
//!    (an input it cannot serve) is declined with `decline_job`, which is never slashed;
//! 3. once the engine has a job's result, reports it with the call the job's phase expects:
//!    `submit_result` (zk, with the proof), `commit_result` then `reveal_result` (redundancy
//!    and optimistic disputes; the salt is drawn from the node's randomness and kept in its
//!    offchain storage), or `propose_result` (optimistic).
//!
//! 4. publishes the engine's X25519 key for the worker (`Workers::set_encryption_key`) when
//!    the chain has another one, and hands a sealed job to the engine only once the
//!    requester sent the worker the job key (`Jobs::SealedJobs`); the engine opens it and
//!    seals the output (`sealed.rs`).
//!
//! Exactly-once: every transaction is claimed in the node's persistent offchain storage before
//! it is sent, keyed by (action, job, worker); a claim expires after [`Config::ResendAfter`]
//! blocks, so a dropped transaction is sent again if the chain still expects it, and one that
//! landed is never repeated (its phase has moved on). A lock (`StorageLock`) keeps the runs of
//! consecutive blocks from overlapping.
//!
//! Nodes without a compute engine (not started with `--worker`) skip all of this.
#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

pub mod crypto;
mod offchain;
mod sealed;

pub use pallet::*;

#[frame_support::pallet]
pub mod pallet {
	use frame_support::pallet_prelude::*;
	use frame_system::{
		offchain::{AppCrypto, CreateSignedTransaction},
		pallet_prelude::*,
	};

	#[pallet::config]
	pub trait Config:
		frame_system::Config
		+ pallet_jobs::Config
		+ pallet_models::Config
		+ pallet_workers::Config
		+ CreateSignedTransaction<pallet_jobs::Call<Self>>
		+ CreateSignedTransaction<pallet_workers::Call<Self>>
	{
		/// The provider keys this pallet signs with (see [`crate::crypto`]).
		type AuthorityId: AppCrypto<Self::Public, Self::Signature>;
		/// Blocks after which a transaction the chain still expects is sent again.
		#[pallet::constant]
		type ResendAfter: Get<BlockNumberFor<Self>>;
		/// Blocks between a worker's heartbeats (below the workers pallet's timeout).
		#[pallet::constant]
		type HeartbeatEvery: Get<BlockNumberFor<Self>>;
	}

	#[pallet::pallet]
	pub struct Pallet<T>(_);

	#[pallet::hooks]
	impl<T: Config> Hooks<BlockNumberFor<T>> for Pallet<T> {
		/// Runs the provider's duties after `now` was imported (see the crate docs).
		fn offchain_worker(now: BlockNumberFor<T>) {
			Self::run_provider(now);
		}
	}
}
