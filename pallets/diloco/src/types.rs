//! What the pallet records of a training: its state files, its round settings, and the phase
//! of its current round.

use crate::{pallet::Config, JobId, ModelId};
use aichain_compute::{
	blob::BlobRef,
	diloco::{stored_hash, OuterResult},
};
use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use frame_support::{pallet_prelude::*, CloneNoBound, DebugNoBound, EqNoBound, PartialEqNoBound};
use frame_system::pallet_prelude::BlockNumberFor;
use scale_info::TypeInfo;

/// A state file (the parameters or the outer momentum) as it is stored: its size and the hashes
/// of its pieces of [`aichain_compute::diloco::STATE_PIECE_LEN`] bytes, in order.
#[derive(
	CloneNoBound, PartialEqNoBound, EqNoBound, DebugNoBound, Encode, Decode, DecodeWithMemTracking, TypeInfo, MaxEncodedLen,
)]
#[scale_info(skip_type_params(MaxPieces))]
pub struct StateFile<MaxPieces: Get<u32>> {
	/// Bytes in the file.
	pub size: u64,
	/// Its pieces' content hashes.
	pub pieces: BoundedVec<[u8; 32], MaxPieces>,
}

impl<MaxPieces: Get<u32>> StateFile<MaxPieces> {
	/// The content hash the file is stored under: its only piece's, or its manifest's.
	pub fn hash(&self) -> [u8; 32] {
		stored_hash(self.size, &self.pieces, sp_io::hashing::blake2_256)
	}
}

/// How a training's rounds run: fixed when it is created.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Encode, Decode, DecodeWithMemTracking, TypeInfo, MaxEncodedLen)]
pub struct RoundSettings<Balance, BlockNumber> {
	/// Shard jobs per round (DiLoCo's workers, k).
	pub shards: u32,
	/// Local steps per shard (DiLoCo's H).
	pub steps: u32,
	/// Workers per job (the redundancy tier's replicas, at least 2).
	pub replicas: u8,
	/// The most the owner pays a worker per job.
	pub max_price: Balance,
	/// Blocks per phase of each job.
	pub timeout: BlockNumber,
}

/// Where a training's current round is.
#[derive(
	CloneNoBound, PartialEqNoBound, EqNoBound, DebugNoBound, Encode, Decode, DecodeWithMemTracking, TypeInfo, MaxEncodedLen,
)]
#[scale_info(skip_type_params(T))]
pub enum Phase<T: Config> {
	/// No round is running: the owner starts the next with `start_round`.
	Idle,
	/// The round's shard jobs are running; `changes[i]` is shard `i`'s agreed change once its
	/// job completed.
	Shards {
		/// One job per shard, in shard order.
		jobs: BoundedVec<JobId, T::MaxShards>,
		/// The agreed changes so far.
		changes: BoundedVec<Option<BlobRef>, T::MaxShards>,
	},
	/// Every shard's change is agreed: the owner stores the outer task's input and starts it
	/// with `start_outer`.
	Changes {
		/// Each shard's agreed change, in shard order.
		changes: BoundedVec<BlobRef, T::MaxShards>,
	},
	/// The outer job is running.
	Outer {
		/// The job.
		job: JobId,
		/// The changes it combines, in shard order.
		changes: BoundedVec<BlobRef, T::MaxShards>,
	},
	/// The outer step is agreed: anyone recomputes the next state's files from the state and
	/// `changes`, stores them and calls `advance`.
	Agreed {
		/// What the outer job's workers agreed on.
		result: OuterResult,
		/// The changes it combined, in shard order.
		changes: BoundedVec<BlobRef, T::MaxShards>,
	},
}

/// The state files of a training.
pub type StateFileOf<T> = StateFile<<T as Config>::MaxStatePieces>;

/// The round settings of a training.
pub type RoundSettingsOf<T> = RoundSettings<<T as Config>::Balance, BlockNumberFor<T>>;

/// A training: its models, owner, settings and current state.
#[derive(
	CloneNoBound, PartialEqNoBound, EqNoBound, DebugNoBound, Encode, Decode, DecodeWithMemTracking, TypeInfo, MaxEncodedLen,
)]
#[scale_info(skip_type_params(T))]
pub struct Training<T: Config> {
	/// Who created it: only they start rounds, and they pay for them.
	pub owner: T::AccountId,
	/// Held from the owner until the training is closed.
	pub deposit: crate::BalanceOf<T>,
	/// The model whose blob-output jobs run shard tasks.
	pub shard_model: ModelId,
	/// The model whose inline jobs over blobs run outer tasks.
	pub outer_model: ModelId,
	/// How rounds run.
	pub settings: RoundSettingsOf<T>,
	/// The current parameters.
	pub parameters: StateFileOf<T>,
	/// The outer optimizer's current momentum.
	pub momentum: StateFileOf<T>,
	/// Rounds completed: the current round's index.
	pub round: u32,
	/// The current parameters' validation loss (millibits per character), once a round
	/// completed.
	pub validation_millibits: Option<u32>,
	/// Where the current round is.
	pub phase: Phase<T>,
}

/// What a job of a training computes.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Encode, Decode, DecodeWithMemTracking, TypeInfo, MaxEncodedLen)]
pub enum RoundTask {
	/// The shard task of this index.
	Shard(u32),
	/// The outer task.
	Outer,
}
