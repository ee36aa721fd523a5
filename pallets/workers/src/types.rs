//! Types stored and exchanged by the workers pallet.

use aichain_compute::ModelId;
use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use frame_support::{
	pallet_prelude::*, BoundedVec, CloneNoBound, EqNoBound, PartialEqNoBound, DebugNoBound,
};
use scale_info::TypeInfo;

/// The accelerator family of a GPU, which decides which engine build can use it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Encode, Decode, DecodeWithMemTracking, TypeInfo, MaxEncodedLen)]
pub enum GpuKind {
	/// NVIDIA, through CUDA.
	NvidiaCuda,
	/// AMD, through ROCm.
	AmdRocm,
	/// Apple silicon, through Metal.
	AppleMetal,
}

/// A GPU a provider offers.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Encode, Decode, DecodeWithMemTracking, TypeInfo, MaxEncodedLen)]
pub struct Gpu {
	/// The accelerator family.
	pub kind: GpuKind,
	/// GPU memory in MiB.
	pub memory_mb: u32,
}

/// What a provider's machine offers.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Encode, Decode, DecodeWithMemTracking, TypeInfo, MaxEncodedLen)]
pub struct Capabilities {
	/// CPU cores the engine may use.
	pub cpu_cores: u32,
	/// Memory in MiB.
	pub memory_mb: u32,
	/// An optional GPU.
	pub gpu: Option<Gpu>,
}

/// Whether a worker takes new jobs.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Encode, Decode, DecodeWithMemTracking, TypeInfo, MaxEncodedLen)]
pub enum WorkerStatus<BlockNumber> {
	/// Bonded and listed under its models; gets jobs while its heartbeat is fresh and its
	/// bond at least `MinBond`.
	Active,
	/// Bonded (and slashable) but listed under none of its models: evicted because it took no
	/// jobs (a stale heartbeat, or a bond below `MinBond` after a slash) so that it does not
	/// hold a model's slots. A heartbeat, with the bond at least `MinBond`, lists it again.
	Idle,
	/// Gets no new jobs; the bond can be withdrawn from block `withdrawable_at`.
	Unbonding {
		/// First block at which `withdraw_unbonded` succeeds.
		withdrawable_at: BlockNumber,
	},
}

/// A registered worker (compute provider).
#[derive(CloneNoBound, PartialEqNoBound, EqNoBound, DebugNoBound, Encode, Decode, TypeInfo, MaxEncodedLen)]
#[scale_info(skip_type_params(MaxModels))]
pub struct WorkerInfo<
	Balance: Clone + PartialEq + Eq + core::fmt::Debug,
	BlockNumber: Clone + PartialEq + Eq + core::fmt::Debug,
	MaxModels: Get<u32>,
> {
	/// The bond held from the worker (what slashing takes from).
	pub bond: Balance,
	/// What the worker's machine offers.
	pub capabilities: Capabilities,
	/// The models the worker runs.
	pub models: BoundedVec<ModelId, MaxModels>,
	/// Active or unbonding.
	pub status: WorkerStatus<BlockNumber>,
	/// Block of the last heartbeat (registration counts as one).
	pub last_heartbeat: BlockNumber,
	/// Jobs completed with an accepted result.
	pub completed: u32,
	/// Rejected results, missed deadlines and lost redundancy votes.
	pub failed: u32,
	/// Jobs currently assigned to the worker.
	pub active_jobs: u32,
	/// The part of `bond` added by `bond_extra` that does not count for selection yet (it
	/// does from `warm_at`): a worker cannot time a bond increase to win a draw whose seed it
	/// has seen.
	pub warming: Balance,
	/// The block from which `warming` counts.
	pub warm_at: BlockNumber,
}
