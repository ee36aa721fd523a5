//! Types stored and exchanged by the models pallet.

use crate::{BalanceOf, Config};
use aichain_compute::ModelKind;
use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use frame_support::{
	pallet_prelude::*, BoundedVec, CloneNoBound, EqNoBound, PartialEqNoBound, DebugNoBound,
};
use pallet_zk_verifier::KeyId;
use scale_info::TypeInfo;

/// Royalties are in basis points: 10,000 is the whole price.
pub const MAX_ROYALTY_BPS: u16 = 10_000;

/// Whether a model accepts new jobs.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Encode, Decode, DecodeWithMemTracking, TypeInfo, MaxEncodedLen)]
pub enum ModelStatus {
	/// Accepts new jobs.
	Active,
	/// Accepts no new jobs; jobs already submitted finish normally.
	Retired,
}

/// What a model owner registers.
#[derive(
	CloneNoBound,
	PartialEqNoBound,
	EqNoBound,
	DebugNoBound,
	Encode,
	Decode,
	DecodeWithMemTracking,
	TypeInfo,
	MaxEncodedLen,
)]
#[scale_info(skip_type_params(NameLimit, AddressLimit))]
pub struct ModelSpec<
	Balance: Clone + PartialEq + Eq + core::fmt::Debug,
	NameLimit: Get<u32>,
	AddressLimit: Get<u32>,
> {
	/// Human-readable name, e.g. `digits-mlp-v1`.
	pub name: BoundedVec<u8, NameLimit>,
	/// What the model computes.
	pub kind: ModelKind,
	/// SHA-256 of the weights file (safetensors) providers must run.
	pub weights_sha256: [u8; 32],
	/// Where providers fetch the weights (content address, e.g. an IPFS CID or URL).
	pub content_address: BoundedVec<u8, AddressLimit>,
	/// The registered Groth16 key of the model's circuit, for zk-provable models.
	pub verifying_key: Option<KeyId>,
	/// Price of one job, paid to the worker(s) (the royalty is taken out of it).
	pub price: Balance,
	/// Share of the price paid to the owner, in basis points (at most 10,000).
	pub royalty_bps: u16,
	/// Largest input of a job, in bytes.
	pub max_input_len: u32,
	/// Largest output of a job, in bytes.
	pub max_output_len: u32,
	/// Fewest blocks a job may give each of its phases (at least 1): the owner's statement of
	/// how long an honest provider needs. A requester cannot ask for less, so it cannot get a
	/// worker slashed by a deadline no one could meet.
	pub min_timeout: u32,
	/// How far two providers' outputs may differ and still agree in the redundancy tier and
	/// in disputes ([`aichain_compute::outputs_agree`]): 0 for exact bytes (required of
	/// classifiers and training steps, whose integer outputs every honest provider computes
	/// identically); for an embedding's quantized floats, the largest difference per signed
	/// byte that other CPU kernels or a GPU can cause.
	pub output_tolerance: u8,
}

/// The spec type of a runtime.
pub type ModelSpecOf<T> =
	ModelSpec<BalanceOf<T>, <T as Config>::MaxNameLength, <T as Config>::MaxContentAddressLength>;

/// A registered model.
#[derive(CloneNoBound, PartialEqNoBound, EqNoBound, DebugNoBound, Encode, Decode, TypeInfo, MaxEncodedLen)]
#[scale_info(skip_type_params(NameLimit, AddressLimit))]
pub struct ModelInfo<
	AccountId: Clone + PartialEq + Eq + core::fmt::Debug,
	Balance: Clone + PartialEq + Eq + core::fmt::Debug,
	NameLimit: Get<u32>,
	AddressLimit: Get<u32>,
> {
	/// Who registered the model, changes it and receives its royalties.
	pub owner: AccountId,
	/// The deposit held from the owner while the model is active.
	pub deposit: Balance,
	/// Active or retired.
	pub status: ModelStatus,
	/// What was registered (the price may since have been updated).
	pub spec: ModelSpec<Balance, NameLimit, AddressLimit>,
}

/// The model record type of a runtime.
pub type ModelInfoOf<T> = ModelInfo<
	<T as frame_system::Config>::AccountId,
	BalanceOf<T>,
	<T as Config>::MaxNameLength,
	<T as Config>::MaxContentAddressLength,
>;

/// The terms under which an active model takes a job: what the jobs pallet needs.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ModelTerms<AccountId, Balance> {
	/// Receives the royalty.
	pub owner: AccountId,
	/// What the model computes.
	pub kind: ModelKind,
	/// Price of one job.
	pub price: Balance,
	/// Owner's share of the price in basis points.
	pub royalty_bps: u16,
	/// Groth16 key for zk-tier jobs.
	pub verifying_key: Option<KeyId>,
	/// Largest input in bytes.
	pub max_input_len: u32,
	/// Largest output in bytes.
	pub max_output_len: u32,
	/// Fewest blocks per phase a job may ask for.
	pub min_timeout: u32,
	/// How far outputs may differ and still agree (0: exact bytes).
	pub output_tolerance: u8,
}

/// How a model serves jobs over blobs (set by its owner, [`crate::Pallet::set_blob_limits`]):
/// inputs read from a blob by CID, outputs written as a row output blob
/// ([`aichain_compute::blob::RowOutput`]) that replicas compare by sketch
/// ([`aichain_compute::sketch`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Encode, Decode, DecodeWithMemTracking, TypeInfo, MaxEncodedLen)]
pub struct BlobLimits {
	/// The largest blob input (a file's whole size), in bytes; 0: the model takes no blob
	/// inputs.
	pub max_input_len: u64,
	/// The largest output blob, header included, in bytes; 0: outputs stay inline.
	pub max_output_len: u32,
	/// The length of each output row (e.g. 384 for a MiniLM embedding).
	pub output_row_len: u16,
	/// How far two replicas' sketches may differ per entry and still agree: 0 for models whose
	/// outputs every honest provider computes identically; for quantized floats, the number of
	/// ±1 differences a row or column may hold.
	pub sketch_tolerance: u32,
}
