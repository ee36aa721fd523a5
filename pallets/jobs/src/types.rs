//! Types stored and exchanged by the jobs pallet.

use aichain_compute::{ModelId, Tier};
use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use frame_support::{
	pallet_prelude::*, BoundedVec, CloneNoBound, EqNoBound, PartialEqNoBound, DebugNoBound,
};
use pallet_zk_verifier::KeyId;
use scale_info::TypeInfo;

/// Where a job is in its life. Finished jobs are removed from storage (their outcome is in the
/// events), so every stored job is open.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Encode, Decode, DecodeWithMemTracking, TypeInfo, MaxEncodedLen)]
pub enum JobStatus {
	/// Waiting for enough eligible workers; in the pending queue.
	Pending,
	/// Workers are assigned and computing (zk: one result with a proof; redundancy: one
	/// commitment per worker). Indexed by its deadline.
	Assigned,
	/// Redundancy, or an optimistic dispute: every worker committed; reveals are due by the
	/// deadline.
	Revealing,
	/// Optimistic: a result was proposed; it is accepted at the deadline (the end of the
	/// challenge window) unless someone challenges it first.
	Challengeable,
}

/// One worker's part in a job.
#[derive(Clone, Debug, PartialEq, Eq, Encode, Decode, DecodeWithMemTracking, TypeInfo, MaxEncodedLen)]
pub struct Assignment<AccountId> {
	/// The assigned worker.
	pub worker: AccountId,
	/// Redundancy: [`commitment_of`]`(job, worker, output, salt)`, once committed.
	pub commitment: Option<[u8; 32]>,
	/// Redundancy: BLAKE2-256 of the revealed output, once revealed (the output itself is in
	/// [`Job::revealed`]).
	pub revealed: Option<[u8; 32]>,
}

/// What a job pays, fixed when it is submitted.
#[derive(Clone, Debug, PartialEq, Eq, Encode, Decode, DecodeWithMemTracking, TypeInfo, MaxEncodedLen)]
pub struct JobTerms<AccountId, Balance> {
	/// Receives the royalty.
	pub model_owner: AccountId,
	/// Paid per worker whose result is accepted (royalty included).
	pub price_per_worker: Balance,
	/// The model owner's share of each worker's price, in basis points.
	pub royalty_bps: u16,
	/// The protocol fee, paid to the fee collector when the job completes.
	pub fee: Balance,
	/// Everything still held from the requester for this job: `price_per_worker × workers +
	/// fee` (plus an optimistic job's dispute prices, and a blob-output job's storage fees not
	/// yet paid).
	pub escrow: Balance,
	/// The model's Groth16 key (zk tier).
	pub verifying_key: Option<KeyId>,
	/// Longest inline output accepted; 0 for a job whose output is a blob (its limits are in
	/// [`crate::BlobOutputs`]): no model has a zero output limit.
	pub max_output_len: u32,
	/// How far outputs may differ and still agree (0: exact bytes; the model's
	/// `output_tolerance`).
	pub output_tolerance: u8,
}

/// A job.
#[derive(CloneNoBound, PartialEqNoBound, EqNoBound, DebugNoBound, Encode, Decode, TypeInfo, MaxEncodedLen)]
#[scale_info(skip_type_params(MaxInput, MaxOutput, MaxReplicas))]
pub struct Job<
	AccountId: Clone + PartialEq + Eq + core::fmt::Debug,
	Balance: Clone + PartialEq + Eq + core::fmt::Debug,
	BlockNumber: Clone + PartialEq + Eq + core::fmt::Debug,
	MaxInput: Get<u32>,
	MaxOutput: Get<u32>,
	MaxReplicas: Get<u32>,
> {
	/// Who submitted and pays.
	pub requester: AccountId,
	/// The model to run.
	pub model: ModelId,
	/// The model's input.
	pub input: BoundedVec<u8, MaxInput>,
	/// How the result is verified.
	pub tier: Tier,
	/// What it pays, fixed at submission.
	pub terms: JobTerms<AccountId, Balance>,
	/// Blocks each phase may take (the requester's `deadline`).
	pub timeout: BlockNumber,
	/// When the current phase ends: for a pending job, when it expires unassigned.
	pub deadline: BlockNumber,
	/// Where the job is.
	pub status: JobStatus,
	/// The assigned workers (one, or `replicas` for redundancy).
	pub assignments: BoundedVec<Assignment<AccountId>, MaxReplicas>,
	/// Redundancy and optimistic disputes: the distinct revealed outputs.
	pub revealed: BoundedVec<BoundedVec<u8, MaxOutput>, MaxReplicas>,
	/// Optimistic: the proposed result and its challenge, if any.
	pub proposal: Option<Proposal<AccountId, Balance, MaxOutput>>,
	/// How many times no-show or declining workers were replaced.
	pub reassignments: u32,
	/// Workers that declined the job: never drawn for it again (at most
	/// `MaxReassignments + 1 ≤ MaxReplicas` of them: every decline uses a reassignment).
	pub declined: BoundedVec<AccountId, MaxReplicas>,
}

impl<
		AccountId: Clone + PartialEq + Eq + core::fmt::Debug,
		Balance: Clone + PartialEq + Eq + core::fmt::Debug,
		BlockNumber: Clone + PartialEq + Eq + core::fmt::Debug,
		MaxInput: Get<u32>,
		MaxOutput: Get<u32>,
		MaxReplicas: Get<u32>,
	> Job<AccountId, Balance, BlockNumber, MaxInput, MaxOutput, MaxReplicas>
{
	/// Number of workers the job's current round needs: `replicas` for redundancy,
	/// `dispute_replicas` for a disputed optimistic job, otherwise one.
	pub fn workers_needed(&self, dispute_replicas: u32) -> u32 {
		match self.tier {
			Tier::Redundancy { replicas } => replicas as u32,
			Tier::Optimistic if self.is_disputed() => dispute_replicas,
			Tier::Zk | Tier::Optimistic => 1,
		}
	}

	/// Whether the job is an optimistic one whose proposed result was challenged.
	pub fn is_disputed(&self) -> bool {
		self.proposal.as_ref().is_some_and(|p| p.challenge.is_some())
	}

	/// Whether the job's output is a blob ([`crate::Pallet::reveal_blob_result`]).
	pub fn has_blob_output(&self) -> bool {
		self.terms.max_output_len == 0
	}

	/// Whether the current round's workers commit and reveal (redundancy, optimistic dispute).
	pub fn commits_and_reveals(&self) -> bool {
		matches!(self.tier, Tier::Redundancy { .. }) || self.is_disputed()
	}
}

/// A blob-output job's limits, fixed at submission from the model's blob limits.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Encode, Decode, DecodeWithMemTracking, TypeInfo, MaxEncodedLen)]
pub struct BlobOutput {
	/// The longest output blob, in bytes (header included).
	pub max_len: u32,
	/// Bytes per row: the output is a row output ([`aichain_compute::blob::RowOutput`]) of
	/// rows this long.
	pub row_len: u16,
	/// How far two replicas' sketches may differ, entry by entry, and still agree.
	pub sketch_tolerance: u32,
}

/// Bytes of a job key sealed to a worker's X25519 key (a libsodium sealed box of 32 bytes).
pub const SEALED_KEY_LEN: usize = 80;

/// Bytes a sealed blob adds to its plaintext: a 24-byte nonce and a 16-byte tag
/// (XChaCha20-Poly1305). A sealed job's rows must fit its output limit less this.
pub const SEAL_OVERHEAD: u32 = 40;

/// A job key sealed to one worker's X25519 public key.
pub type SealedKey = [u8; SEALED_KEY_LEN];

/// A sealed job's key material: the requester's commitment to the job key, and the key sealed
/// to each assigned worker that has received it.
#[derive(CloneNoBound, PartialEqNoBound, EqNoBound, DebugNoBound, Encode, Decode, TypeInfo, MaxEncodedLen)]
#[scale_info(skip_type_params(MaxReplicas))]
pub struct SealedJob<AccountId: Clone + PartialEq + Eq + core::fmt::Debug, MaxReplicas: Get<u32>> {
	/// `BLAKE2b-256("aichain/job-key" ‖ K)` of the job key `K`: a worker checks the key it
	/// unseals against it, so every worker gets the same key.
	pub key_commitment: [u8; 32],
	/// The job key sealed to each worker that received it (current assignees; a replaced
	/// worker's entry is dropped by the next [`crate::Pallet::post_job_keys`]).
	pub keys: BoundedVec<(AccountId, SealedKey), MaxReplicas>,
}

impl<AccountId: Clone + PartialEq + Eq + core::fmt::Debug, MaxReplicas: Get<u32>> SealedJob<AccountId, MaxReplicas> {
	/// The job key sealed to `worker`, if posted.
	pub fn key_of(&self, worker: &AccountId) -> Option<&SealedKey> {
		self.keys.iter().find(|(who, _)| who == worker).map(|(_, key)| key)
	}
}

/// An optimistic job's proposed result.
#[derive(CloneNoBound, PartialEqNoBound, EqNoBound, DebugNoBound, Encode, Decode, TypeInfo, MaxEncodedLen)]
#[scale_info(skip_type_params(MaxOutput))]
pub struct Proposal<
	AccountId: Clone + PartialEq + Eq + core::fmt::Debug,
	Balance: Clone + PartialEq + Eq + core::fmt::Debug,
	MaxOutput: Get<u32>,
> {
	/// The worker that proposed it (it holds the job until the proposal is settled).
	pub worker: AccountId,
	/// The proposed output.
	pub output: BoundedVec<u8, MaxOutput>,
	/// Who challenged it and the bond held from them.
	pub challenge: Option<Challenge<AccountId, Balance>>,
}

/// A challenge of an optimistic result.
#[derive(Clone, Debug, PartialEq, Eq, Encode, Decode, DecodeWithMemTracking, TypeInfo, MaxEncodedLen)]
pub struct Challenge<AccountId, Balance> {
	/// Who challenged.
	pub challenger: AccountId,
	/// Held from the challenger ([`crate::HoldReason::ChallengeBond`]) until the dispute ends.
	pub bond: Balance,
}

/// Why a job ended without a paid result.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Encode, Decode, DecodeWithMemTracking, TypeInfo, MaxEncodedLen)]
pub enum RefundReason {
	/// The requester cancelled it before assignment.
	Cancelled,
	/// No eligible worker took it before its deadline.
	NotAssigned,
	/// Workers missed the deadline and no replacement was available.
	NoResult,
	/// Redundancy or an optimistic dispute: the revealed outputs had no majority.
	NoMajority,
	/// Workers declined the job (they could not serve it) and no replacement was left.
	Declined,
	/// The model was retired, or its verifying key removed, before a result came: the
	/// chain's failure, nobody is slashed.
	ModelUnavailable,
	/// Settling the job failed (a transfer was refused); everything was returned instead.
	SettlementFailed,
	/// A sealed job: the requester did not send the job key to every assigned worker that
	/// published an encryption key before the deadline.
	KeysNotPosted,
}

impl RefundReason {
	/// Whether the requester pays the job's fee although no result was accepted: the job took
	/// a queue slot and nobody could answer it, or its requester withdrew it. Otherwise (a
	/// worker failed, or the chain did) the fee is returned too.
	pub fn keeps_fee(self) -> bool {
		matches!(self, Self::Cancelled | Self::NotAssigned | Self::Declined | Self::KeysNotPosted)
	}
}

/// A redundancy worker's commitment to its output: `BLAKE2-256(SCALE(job, worker, output,
/// salt))`. Binding the job and the worker makes a copied commitment useless: the copier
/// cannot reveal it as its own, and the same output of another job commits differently.
pub fn commitment_of<AccountId: Encode>(
	job: aichain_compute::JobId,
	worker: &AccountId,
	output: &[u8],
	salt: &[u8; 32],
) -> [u8; 32] {
	(job, worker, output, salt).using_encoded(sp_io::hashing::blake2_256)
}

/// How an optimistic job's dispute ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Encode, Decode, DecodeWithMemTracking, TypeInfo, MaxEncodedLen)]
pub enum DisputeVerdict {
	/// The dispute's majority agreed with the proposal: the challenger's bond is slashed.
	ProposalUpheld,
	/// The dispute's majority found another output: the proposer is slashed to the challenger.
	ProposalOverturned,
	/// The dispute had no majority: bonds are returned and the requester refunded.
	Inconclusive,
}

/// Called when a job ends: with an accepted output ([`OnJobCompleted::on_job_completed`]) or
/// refunded without one ([`OnJobCompleted::on_job_refunded`]). Governance and training rounds
/// act on verified results through this. Implemented for tuples, so several pallets can follow
/// the jobs they posted (each ignores the jobs it did not post).
pub trait OnJobCompleted<AccountId> {
	/// `job` of `requester` on `model` completed with `output`. Returns the weight it used, at
	/// most [`OnJobCompleted::weight`] (a job that is not the implementor's costs a lookup), which
	/// a call may refund the rest of.
	fn on_job_completed(
		job: aichain_compute::JobId,
		model: ModelId,
		requester: &AccountId,
		output: &[u8],
	) -> frame_support::weights::Weight;

	/// `job` of `requester` on `model` ended without an accepted output, for `reason`; its
	/// escrow (less the fee when the reason keeps it) was returned to the requester.
	fn on_job_refunded(job: aichain_compute::JobId, model: ModelId, requester: &AccountId, reason: RefundReason) {
		let _ = (job, model, requester, reason);
	}

	/// The most one [`OnJobCompleted::on_job_completed`] or [`OnJobCompleted::on_job_refunded`]
	/// call may take; the jobs pallet adds it to the weight of every call and hook that can end
	/// a job.
	fn weight() -> frame_support::weights::Weight {
		frame_support::weights::Weight::zero()
	}
}

/// Every member of the tuple is told, in order; the weight is the sum of theirs.
#[impl_trait_for_tuples::impl_for_tuples(8)]
impl<AccountId> OnJobCompleted<AccountId> for Tuple {
	fn on_job_completed(
		job: aichain_compute::JobId,
		model: ModelId,
		requester: &AccountId,
		output: &[u8],
	) -> frame_support::weights::Weight {
		let mut used = frame_support::weights::Weight::zero();
		for_tuples!( #( used = used.saturating_add(Tuple::on_job_completed(job, model, requester, output)); )* );
		used
	}

	fn on_job_refunded(job: aichain_compute::JobId, model: ModelId, requester: &AccountId, reason: RefundReason) {
		for_tuples!( #( Tuple::on_job_refunded(job, model, requester, reason); )* );
	}

	fn weight() -> frame_support::weights::Weight {
		let mut weight = frame_support::weights::Weight::zero();
		for_tuples!( #( weight = weight.saturating_add(Tuple::weight()); )* );
		weight
	}
}

/// How other pallets (training rounds, governance) post jobs and follow them: the jobs
/// pallet implements it with exactly the checks and escrow of [`crate::Pallet::submit_job`].
pub trait JobSubmitter<AccountId, Balance, BlockNumber> {
	/// Submits a job for `requester`, who pays; returns its id. Errors: those of
	/// [`crate::Pallet::submit_job`].
	fn submit_job(
		requester: AccountId,
		model: ModelId,
		input: alloc::vec::Vec<u8>,
		tier: Tier,
		max_price: Balance,
		timeout: BlockNumber,
	) -> Result<aichain_compute::JobId, sp_runtime::DispatchError>;

	/// Whether `job` is still running (neither completed nor refunded).
	fn is_live(job: aichain_compute::JobId) -> bool;

	/// The most one [`JobSubmitter::submit_job`] may weigh.
	fn submit_weight() -> frame_support::weights::Weight {
		frame_support::weights::Weight::zero()
	}
}

/// How other pallets (a DiLoCo training's rounds) post a job over a **blob input**, with exactly
/// the checks and escrow of [`crate::Pallet::submit_blob_job`]: a blob-output job when the
/// model answers with blobs, else an inline one.
pub trait BlobJobSubmitter<AccountId, Balance, BlockNumber> {
	/// Submits a job of `requester`, who pays, over the kept blob `input`; returns its id.
	/// Errors: those of [`crate::Pallet::submit_blob_job`] (`UnknownInputBlob` when `input` is
	/// not kept).
	fn submit_blob_job(
		requester: AccountId,
		model: ModelId,
		input: [u8; 32],
		tier: Tier,
		max_price: Balance,
		timeout: BlockNumber,
	) -> Result<aichain_compute::JobId, sp_runtime::DispatchError>;

	/// The most one [`BlobJobSubmitter::submit_blob_job`] may weigh.
	fn submit_blob_weight() -> frame_support::weights::Weight;
}

/// How other pallets post a zk job for **one named worker** (a private training's member, whose
/// node alone holds the data): the checks and escrow of [`crate::Pallet::submit_job`], then the
/// job is assigned to `worker` at once, or not created. It is never given to another worker: a
/// decline or a missed deadline (the worker slashed as a no-show) refunds it.
pub trait DirectedJobSubmitter<AccountId, Balance, BlockNumber> {
	/// Submits a zk job of `requester`, who pays, for `worker`; returns its id. Errors: those of
	/// [`crate::Pallet::submit_job`], and `DirectedWorkerUnavailable` when `worker` cannot take
	/// a job of `model` now (not an active worker serving it, or the requester itself).
	fn submit_directed_job(
		requester: AccountId,
		worker: AccountId,
		model: ModelId,
		input: alloc::vec::Vec<u8>,
		max_price: Balance,
		timeout: BlockNumber,
	) -> Result<aichain_compute::JobId, sp_runtime::DispatchError>;

	/// The most one [`DirectedJobSubmitter::submit_directed_job`] may weigh.
	fn submit_directed_weight() -> frame_support::weights::Weight;
}

/// One zk result of a batch ([`crate::Pallet::submit_results`]): the job, the claimed output
/// and its Groth16 proof, as [`crate::Pallet::submit_result`] takes them.
#[derive(Clone, Debug, PartialEq, Eq, Encode, Decode, DecodeWithMemTracking, TypeInfo)]
pub struct ZkResult<Output> {
	/// The job.
	pub job: crate::JobId,
	/// The output.
	pub output: Output,
	/// The proof of `output` for the job's input.
	pub proof: aichain_zk::Proof,
}
