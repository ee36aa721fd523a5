//! # Jobs pallet
//!
//! The lifecycle and escrow of AI compute jobs: submission, assignment to workers, results,
//! verification, payment, deadlines and refunds. See `docs/compute-market.md` for the flow.
//!
//! ## Overview
//!
//! - [`Pallet::submit_job`]: a requester posts a job for an active model with an input, a
//!   verification [`Tier`], the most it will pay and a deadline (blocks per phase). The price
//!   (`model price × workers`) plus the protocol fee is held from the requester
//!   ([`HoldReason::JobEscrow`]). The job is assigned at once to eligible workers (listing the
//!   model, bonded, heartbeat fresh), drawn without replacement with probability proportional to
//!   bond × reputation, or queued as pending until workers are available.
//!   The input must be one the model can answer ([`aichain_compute::validate_input`]: exact
//!   size for fixed-size networks and circuits, UTF-8 text for embeddings) and the deadline at
//!   least the model's `min_timeout`, so that no choice of a requester can get an honest worker
//!   slashed.
//! - [`Pallet::submit_blob_job`]: the same, with a blob kept by the blobs pallet as the input
//!   (named by its content hash: a data blob or a manifest's whole file, read by providers from
//!   their own node's indexed data), for models whose owner allowed blob inputs
//!   ([`pallet_models::BlobLimits`]), on the redundancy and optimistic tiers only (a zk
//!   circuit cannot take the bytes as public inputs), and only if the blob is kept for the
//!   job's whole life. The reference is kept in [`BlobInputs`]; the job's inline input is
//!   empty.
//! - **Blob outputs** (a model whose owner set an output blob limit; redundancy tier and blob
//!   inputs only): each worker commits to the descriptor `SCALE(BlobRef { hash, size })` of
//!   its output, then reveals the bytes with [`Pallet::reveal_blob_result`], which stores them
//!   as a blob (the requester's, its fee paid from the escrow, which reserved one per worker).
//!   The chain keeps only a **sketch** of each distinct output ([`Sketches`]: random ±1 sums
//!   of its rows and columns, with signs drawn from the hash of the block in which the last
//!   commitment landed, unknown when the outputs were fixed); replicas agree when their sizes
//!   are equal and their sketches are within the model's `sketch_tolerance`
//!   ([`aichain_compute::sketch`]). The winner is the majority's descriptor: the requester
//!   fetches the blob by its hash.
//! - **Sealed jobs** ([`Pallet::submit_sealed_job`], [`Pallet::post_job_keys`]): a blob-output
//!   job whose input and output are sealed under a job key only the requester and the assigned
//!   workers hold. The chain keeps the requester's commitment to the key and the key sealed to
//!   each assignee's published X25519 key ([`SealedJobs`]); a working phase restarts when the
//!   last assignee has its key, and a deadline that passes while an assignee that published a
//!   key has none ends the job ([`RefundReason::KeysNotPosted`], the requester pays the fee).
//!   Replicas seal equal rows to equal bytes and are compared byte for byte.
//! - [`Pallet::cancel_job`]: the requester cancels a pending job and gets its price back; the
//!   fee pays for the queue slot it took.
//! - [`Pallet::decline_job`]: an assigned worker that cannot serve a job (an engine limit the
//!   chain does not know) gives it back before it commits to anything. It is not slashed; a
//!   replacement is drawn, and when none is left the requester is refunded the price but pays
//!   the fee.
//! - Tier **zk** — [`Pallet::submit_result`]: the assigned worker submits the output and a
//!   Groth16 proof. The public inputs are built on chain from the job's input and the claimed
//!   output ([`aichain_compute::zk_public_inputs`]) and checked by [`Config::Verifier`] against
//!   the model's key. A valid proof completes the job: the worker is paid the price minus the
//!   royalty, the model owner the royalty, the fee collector the fee. A false proof changes
//!   nothing about the job (the worker may still submit a correct one before the deadline) but
//!   counts as a failure in the worker's reputation ([`Event::ResultRejected`]).
//! - Tier **redundancy(k)** — [`Pallet::commit_result`] then [`Pallet::reveal_result`]: `k`
//!   workers commit [`commitment_of`]`(job, worker, output, salt)` =
//!   `BLAKE2-256(SCALE(job, worker, output, salt))`, bound to the job and the worker, so a
//!   commitment copied from another worker can never be revealed, and a commitment equal to
//!   another one of the job is refused; once all have committed, each reveals.
//!   The output revealed by a strict majority of the `k` wins: its workers are paid, the others
//!   (different output or no reveal) are slashed [`Config::SlashAmount`] and their share of the
//!   price is refunded. Without a majority the requester is refunded.
//! - Deadlines: each open job that is assigned has exactly one entry in [`Deadlines`], under
//!   its deadline block (a set: scheduling twice cannot duplicate it, unscheduling removes only
//!   it). `on_initialize` ends at most [`Config::MaxJobsPerBlock`] due phases per block, oldest
//!   first from [`DeadlineCursor`]; more due at once are delayed to the next blocks, never
//!   dropped, so buckets have no capacity to fill and scheduling never fails. A worker that
//!   missed its deadline is slashed and replaced by another eligible worker (at most
//!   [`Config::MaxReassignments`] times, declines included), otherwise the job is refunded; no
//!   worker is slashed when the model was retired or its key removed (the chain's failure).
//!   Pending jobs sit in [`PendingJobs`] (bounded; every job pays at least
//!   [`Config::MinJobFee`], which is kept when it ends unassigned or cancelled, so filling the
//!   queue costs what it blocks) and are retried each block until their deadline.
//! - Every job ends, within `(MaxReassignments + 4) × timeout + ChallengePeriod` blocks of
//!   its submission: pending, at most `MaxReassignments + 2` working phases (each assignment
//!   or reassignment, declines included, starts one; the proposer's and a dispute round's
//!   together), a reveal phase, and the challenge window; each phase is delayed by at most
//!   the backlog of due phases ahead of it divided by `MaxJobsPerBlock` (see
//!   `docs/compute-market.md`, "Every job ends"; the property test checks it).
//! - [`WorkerJobs`] indexes each worker's open jobs, so a provider reads its own assignments
//!   instead of scanning every job.
//! - [`Config::OnJobCompleted`] is called with every accepted output (its `weight()` is added
//!   to every call and hook that can complete a job), and [`Config::OnVerifiedWork`] with every
//!   worker paid for it (the rewards pallet's points).
//! - [`JobSubmitter`]: other pallets (training rounds) submit jobs with the same checks and
//!   escrow as [`Pallet::submit_job`], and ask whether a job is still running.
//!
//! - Tier **optimistic** — [`Pallet::propose_result`], [`Pallet::challenge_result`]: the
//!   assigned worker proposes an output without a proof; it is accepted when the challenge
//!   window ([`Config::ChallengePeriod`]) closes unchallenged, and the requester pays one
//!   worker's price and the fee. The escrow also reserves [`Config::DisputeReplicas`] more
//!   prices for a dispute (refunded when unused). Anyone but the proposer may challenge within
//!   the window by bonding `DisputeReplicas` prices plus [`Config::ChallengeBond`];
//!   [`Config::DisputeReplicas`] fresh workers
//!   then run a redundancy round (commit, reveal). Their strict majority decides:
//!   the same output — the loser pays: the challenger's bond reimburses the requester for the
//!   dispute workers' prices and the rest goes to [`Config::Treasury`]; the proposer and the
//!   agreeing dispute workers are paid; another output — the proposer is
//!   slashed [`Config::SlashAmount`] to the challenger, whose bond is returned, and the dispute
//!   majority is paid with its output accepted; no majority — bonds are returned, the job is
//!   refunded. Dispute workers in the minority or not revealing are slashed as in redundancy.
//!
//! ## Randomness
//!
//! Workers are drawn with a seed of `BLAKE2-256(parent hash ‖ job id ‖ round)`. The block
//! author knows the parent hash before it includes a job and can choose whether to include it,
//! so it can bias which eligible worker gets a job it submits itself; it cannot make an
//! ineligible worker eligible. Bonds, slashing and verification bound the damage; a VRF-based
//! source (BABE, or a commit-reveal beacon) would remove the bias.
#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

#[cfg(feature = "runtime-benchmarks")]
mod benchmark_helper;
#[cfg(feature = "runtime-benchmarks")]
pub mod benchmarking;
mod features;
#[cfg(test)]
mod mock;
mod selection;
#[cfg(test)]
mod test_circuit;
#[cfg(test)]
mod tests;
mod types;
pub mod weights;

pub use aichain_compute::{JobId, ModelId, Tier};
pub use pallet::*;
pub use features::{BatchWork, BLOB_DESCRIPTOR_LEN};
pub use types::*;
pub use weights::WeightInfo;

#[cfg(feature = "runtime-benchmarks")]
pub use benchmark_helper::MarketPallets;

/// Sets up what the benchmarks need in the model, worker and verifier registries.
#[cfg(feature = "runtime-benchmarks")]
pub trait BenchmarkHelper<AccountId> {
	/// Registers a trapdoor-simulated Groth16 key (`aichain_zk::simulate`, seed 1) with
	/// `public_inputs` inputs.
	fn verifying_key(public_inputs: u32) -> pallet_zk_verifier::KeyId;
	/// Registers the trapdoor-simulated key of `seed` (seed 1 is [`Self::verifying_key`]'s;
	/// each seed a different key) with `public_inputs` inputs.
	fn seeded_verifying_key(public_inputs: u32, seed: u32) -> pallet_zk_verifier::KeyId;
	/// Registers an active model with the given key and sizes.
	fn model(verifying_key: Option<pallet_zk_verifier::KeyId>, max_input_len: u32, max_output_len: u32) -> ModelId;
	/// Registers (and funds) worker number `index` for `model`, bonded far above the minimum.
	fn worker(model: ModelId, index: u32) -> AccountId;
	/// Registers (and funds) worker number `index` for every model of `models` (at most
	/// [`Self::max_models_per_worker`]), bonded far above the minimum.
	fn worker_for_models(models: alloc::vec::Vec<ModelId>, index: u32) -> AccountId;
	/// The most models one worker can serve.
	fn max_models_per_worker() -> u32;
	/// Lets `model` take blob inputs of up to `max_input_len` bytes.
	fn allow_blob_inputs(model: ModelId, max_input_len: u64);
	/// A kept blob of `size` bytes, kept for far longer than any job; returns its hash.
	fn input_blob(size: u64) -> [u8; 32];
	/// The models pallet's bounds on blob limits: the largest input blob, the largest output
	/// blob and the longest sketch.
	fn blob_bounds() -> (u64, u32, u32);
	/// Registers an active embedding model answering with blobs within `limits` (set by its
	/// owner), and funds the blobs pallet's fee destination.
	fn blob_output_model(limits: pallet_models::BlobLimits) -> ModelId;
	/// The most workers one model can list.
	fn max_workers_per_model() -> u32;
}

#[frame_support::pallet]
pub mod pallet {
	use super::*;
	use aichain_zk::Proof;
	use alloc::vec::Vec;
	use frame_support::{
		pallet_prelude::*,
		traits::fungible::{Inspect, MutateHold},
	};
	use frame_system::pallet_prelude::*;
	use pallet_models::ModelRegistry;
	use pallet_workers::WorkerRegistry;
	use pallet_zk_verifier::{Verifier, VerifyError};
	use sp_runtime::{traits::Zero, Permill};

	/// The in-code storage version.
	/// 2: [`Deadlines`] became a set per block with a cursor, [`WorkerJobs`] was added.
	const STORAGE_VERSION: StorageVersion = StorageVersion::new(2);

	#[pallet::pallet]
	#[pallet::storage_version(STORAGE_VERSION)]
	pub struct Pallet<T>(_);

	/// Balance type of the escrow currency.
	pub type BalanceOf<T> =
		<<T as Config>::Currency as Inspect<<T as frame_system::Config>::AccountId>>::Balance;

	/// The job type of a runtime.
	pub type JobOf<T> = Job<
		<T as frame_system::Config>::AccountId,
		BalanceOf<T>,
		BlockNumberFor<T>,
		<T as Config>::MaxInputLen,
		<T as Config>::MaxOutputLen,
		<T as Config>::MaxReplicas,
	>;

	/// A sealed job's key material in a runtime.
	pub type SealedJobOf<T> = SealedJob<<T as frame_system::Config>::AccountId, <T as Config>::MaxReplicas>;

	/// A job's output.
	pub type OutputOf<T> = BoundedVec<u8, <T as Config>::MaxOutputLen>;

	/// The terms of a model as the registry gives them.
	pub type ModelTermsOf<T> = pallet_models::ModelTerms<<T as frame_system::Config>::AccountId, BalanceOf<T>>;

	#[pallet::config]
	pub trait Config: frame_system::Config<RuntimeEvent: From<Event<Self>>> {
		/// The currency escrow is held in.
		type Currency: MutateHold<Self::AccountId, Reason = Self::RuntimeHoldReason>;

		/// The overarching hold reason.
		type RuntimeHoldReason: From<HoldReason>;

		/// The model registry.
		type Models: ModelRegistry<Self::AccountId, BalanceOf<Self>>;

		/// The worker registry (eligibility, reputation, slashing).
		type Workers: WorkerRegistry<Self::AccountId, BalanceOf<Self>>;

		/// The Groth16 verifier of zk-tier results.
		type Verifier: Verifier;

		/// The kept blobs, which blob jobs take as inputs and blob outputs are stored as.
		type Blobs: pallet_blobs::BlobRegistry<BlockNumberFor<Self>, Self::AccountId, BalanceOf<Self>>;

		/// Called with every accepted output.
		type OnJobCompleted: OnJobCompleted<Self::AccountId>;

		/// Told of every worker paid for an accepted result, with its payment (the rewards
		/// pallet's measure of verified work).
		type OnVerifiedWork: aichain_compute::OnVerifiedWork<Self::AccountId, BalanceOf<Self>>;

		/// The protocol fee, as a share of a job's price, paid on completion.
		#[pallet::constant]
		type ProtocolFee: Get<Permill>;

		/// The least fee of any job (also of a free model's): the price of the slot a job
		/// takes in the shared pending queue and deadline schedule. Kept when a job is
		/// cancelled or ends unassigned or declined.
		#[pallet::constant]
		type MinJobFee: Get<BalanceOf<Self>>;

		/// Receives protocol fees (the rewards pot).
		type FeeCollector: Get<Self::AccountId>;

		/// Slashed from a worker's bond for a missed deadline or a losing output.
		#[pallet::constant]
		type SlashAmount: Get<BalanceOf<Self>>;

		/// Largest job input, in bytes.
		#[pallet::constant]
		type MaxInputLen: Get<u32>;

		/// Largest inline job output, in bytes (at least [`BLOB_DESCRIPTOR_LEN`]: a blob
		/// output's descriptor is kept as the job's output).
		#[pallet::constant]
		type MaxOutputLen: Get<u32>;

		/// Most entries of a blob output's sketch (at least the models pallet's `MaxSketchLen`).
		#[pallet::constant]
		type MaxSketchLen: Get<u32>;

		/// Most workers of a redundancy job.
		#[pallet::constant]
		type MaxReplicas: Get<u32>;

		/// Longest deadline (blocks per phase) a requester may ask for.
		#[pallet::constant]
		type MaxDeadline: Get<BlockNumberFor<Self>>;

		/// Most due phases ended in one block; more due at once wait for the next blocks.
		#[pallet::constant]
		type MaxJobsPerBlock: Get<u32>;

		/// Most jobs waiting for workers.
		#[pallet::constant]
		type MaxPendingJobs: Get<u32>;

		/// Most times a job's no-show or declining workers are replaced before it is refunded.
		#[pallet::constant]
		type MaxReassignments: Get<u32>;

		/// Most results one [`Pallet::submit_results`] call may carry.
		#[pallet::constant]
		type MaxResultsPerCall: Get<u32>;

		/// Optimistic tier: blocks during which a proposed result may be challenged.
		#[pallet::constant]
		type ChallengePeriod: Get<BlockNumberFor<Self>>;

		/// Optimistic tier: workers of a dispute round (at least 1, at most `MaxReplicas`).
		#[pallet::constant]
		type DisputeReplicas: Get<u32>;

		/// Optimistic tier: what a challenger forfeits to the treasury when the dispute upholds
		/// the proposal. The challenger's bond is this plus `DisputeReplicas` model prices (paid
		/// back to the requester if the challenger loses), held until the dispute ends.
		#[pallet::constant]
		type ChallengeBond: Get<BalanceOf<Self>>;

		/// Receives the bonds of challengers who lost (beyond the requester's reimbursement).
		type Treasury: Get<Self::AccountId>;

		/// Weights of this pallet's calls and hooks, from its benchmarks.
		type WeightInfo: WeightInfo;

		/// Registers what the benchmarks need in other pallets.
		#[cfg(feature = "runtime-benchmarks")]
		type BenchmarkHelper: crate::BenchmarkHelper<Self::AccountId>;
	}

	/// Why this pallet holds funds.
	#[pallet::composite_enum]
	pub enum HoldReason {
		/// A job's price and fee, held from the requester until the job ends.
		JobEscrow,
		/// A challenger's bond, held until the dispute of an optimistic result ends.
		ChallengeBond,
	}

	/// The id the next job gets.
	#[pallet::storage]
	pub type NextJobId<T: Config> = StorageValue<_, JobId, ValueQuery>;

	/// Open jobs. A job is removed when it completes or is refunded.
	#[pallet::storage]
	pub type Jobs<T: Config> = StorageMap<_, Twox64Concat, JobId, JobOf<T>>;

	/// Jobs waiting for workers, oldest first.
	#[pallet::storage]
	pub type PendingJobs<T: Config> = StorageValue<_, BoundedVec<JobId, T::MaxPendingJobs>, ValueQuery>;

	/// Assigned jobs by the block at which their current phase ends: one entry per open,
	/// assigned job, under its `deadline`.
	#[pallet::storage]
	pub type Deadlines<T: Config> =
		StorageDoubleMap<_, Twox64Concat, BlockNumberFor<T>, Twox64Concat, JobId, (), OptionQuery>;

	/// The oldest block whose due phases may not all have been ended yet (`on_initialize`
	/// works forward from it, at most `MaxJobsPerBlock` jobs a block).
	#[pallet::storage]
	pub type DeadlineCursor<T: Config> = StorageValue<_, BlockNumberFor<T>, OptionQuery>;

	/// The input of each open blob job (a job submitted with [`Pallet::submit_blob_job`], whose
	/// inline input is empty): the blob providers read. Removed with the job.
	#[pallet::storage]
	pub type BlobInputs<T: Config> = StorageMap<_, Twox64Concat, JobId, aichain_compute::blob::BlobRef>;

	/// The output limits of each open blob-output job (its `terms.max_output_len` is 0).
	/// Removed with the job.
	#[pallet::storage]
	pub type BlobOutputs<T: Config> = StorageMap<_, Twox64Concat, JobId, BlobOutput>;

	/// The sketch of each distinct revealed blob output, by job and the BLAKE2-256 of its
	/// descriptor (an entry of the job's `revealed`): at most one per worker, removed with
	/// the job.
	#[pallet::storage]
	pub type Sketches<T: Config> =
		StorageDoubleMap<_, Twox64Concat, JobId, Identity, [u8; 32], BoundedVec<i32, T::MaxSketchLen>, OptionQuery>;

	/// Each open sealed job's key commitment and the job key sealed to each assigned worker
	/// ([`Pallet::submit_sealed_job`], [`Pallet::post_job_keys`]). Removed with the job.
	#[pallet::storage]
	pub type SealedJobs<T: Config> = StorageMap<_, Twox64Concat, JobId, SealedJobOf<T>>;

	/// The open jobs each worker holds: assignments, and optimistic proposals awaiting their
	/// window. Read by providers' offchain workers instead of scanning [`Jobs`].
	#[pallet::storage]
	pub type WorkerJobs<T: Config> =
		StorageDoubleMap<_, Blake2_128Concat, T::AccountId, Twox64Concat, JobId, (), OptionQuery>;

	#[pallet::event]
	#[pallet::generate_deposit(pub(super) fn deposit_event)]
	pub enum Event<T: Config> {
		/// A job was submitted and `escrow` held from the requester.
		JobSubmitted { job: JobId, requester: T::AccountId, model: ModelId, tier: Tier, escrow: BalanceOf<T> },
		/// The job just submitted takes the blob `input` as its input.
		BlobInputSet { job: JobId, input: aichain_compute::blob::BlobRef },
		/// The job just submitted answers with a blob within `limits`.
		BlobOutputSet { job: JobId, limits: BlobOutput },
		/// The job just submitted is sealed: its input and output are sealed under a job key
		/// committed to by `key_commitment`, which the requester sends to each assigned worker.
		JobSealed { job: JobId, key_commitment: [u8; 32] },
		/// The requester sent the job key to `workers`. `deadline`: every assigned worker now
		/// has it, and the working phase restarted to end then.
		JobKeysPosted { job: JobId, workers: Vec<T::AccountId>, deadline: Option<BlockNumberFor<T>> },
		/// Workers were assigned; their current phase ends at `deadline`.
		JobAssigned { job: JobId, workers: Vec<T::AccountId>, deadline: BlockNumberFor<T> },
		/// A zk result did not verify; the job is unchanged and the worker's failures grew.
		ResultRejected { job: JobId, worker: T::AccountId, reason: VerifyError },
		/// A result of a batch was not checked ([`Pallet::submit_results`]): `error` is what
		/// [`Pallet::submit_result`] would have failed with (or [`Error::DuplicateResult`]).
		/// The job is unchanged.
		ResultSkipped { job: JobId, worker: T::AccountId, error: DispatchError },
		/// A redundancy worker committed to its output.
		ResultCommitted { job: JobId, worker: T::AccountId },
		/// Every worker committed; reveals are due by `deadline`.
		RevealPhaseStarted { job: JobId, deadline: BlockNumberFor<T> },
		/// A redundancy worker revealed its output.
		ResultRevealed { job: JobId, worker: T::AccountId },
		/// The job completed with an accepted output: `workers` were each paid `worker_payment`,
		/// the model owner `royalty` in total, the fee collector `fee`, and `refund` went back to
		/// the requester.
		JobCompleted {
			job: JobId,
			output: OutputOf<T>,
			workers: Vec<T::AccountId>,
			worker_payment: BalanceOf<T>,
			royalty: BalanceOf<T>,
			fee: BalanceOf<T>,
			refund: BalanceOf<T>,
		},
		/// A worker was slashed for a missed deadline or a losing output.
		WorkerSlashed { job: JobId, worker: T::AccountId, amount: BalanceOf<T> },
		/// The job ended without a paid result: `amount` was returned to the requester and
		/// `fee` (kept when nobody could answer the job or the requester cancelled it) went to
		/// the fee collector.
		JobRefunded { job: JobId, reason: RefundReason, amount: BalanceOf<T>, fee: BalanceOf<T> },
		/// An assigned worker declined the job without being slashed; a replacement is drawn
		/// ([`Event::JobAssigned`]) or the job is refunded.
		JobDeclined { job: JobId, worker: T::AccountId },
		/// Optimistic: `worker` proposed `output`; it is accepted at `challenge_deadline` unless
		/// challenged.
		ResultProposed { job: JobId, worker: T::AccountId, output: OutputOf<T>, challenge_deadline: BlockNumberFor<T> },
		/// Optimistic: `challenger` bonded `bond` to dispute the proposed result; a dispute
		/// round follows ([`Event::JobAssigned`] names its workers).
		ResultChallenged { job: JobId, challenger: T::AccountId, bond: BalanceOf<T> },
		/// Optimistic: the dispute ended. `slashed` was taken from the loser: the challenger's
		/// bond (to the requester up to the dispute's prices, the rest to the treasury), or the
		/// proposer's bond (to the challenger); nothing when inconclusive.
		DisputeSettled { job: JobId, verdict: DisputeVerdict, slashed: BalanceOf<T> },
	}

	#[pallet::error]
	pub enum Error<T> {
		/// No open job has this id and none ever had.
		UnknownJob,
		/// The job has already completed or been refunded.
		JobAlreadyFinished,
		/// The model does not exist or is retired.
		UnknownModel,
		/// The input is empty.
		EmptyInput,
		/// The input is longer than the model accepts.
		InputTooLong,
		/// The input must be exactly the model's input size (a fixed-size network or circuit).
		InputLengthMismatch,
		/// The model takes text and the input is not UTF-8.
		InputNotUtf8,
		/// zk tier: the model has no verifying key.
		ModelNotProvable,
		/// Redundancy tier: replicas must be between 2 and `MaxReplicas`.
		InvalidReplicas,
		/// The deadline is zero.
		ZeroDeadline,
		/// The deadline is longer than `MaxDeadline`.
		DeadlineTooLong,
		/// The deadline is shorter than the model's `min_timeout`: no honest provider could
		/// be expected to meet it.
		DeadlineBelowModelMinimum,
		/// The price plus fee is above the requester's `max_price`.
		PriceAboveMax,
		/// The requester cannot afford the escrow.
		InsufficientBalance,
		/// Too many jobs are waiting for workers.
		PendingQueueFull,
		/// A directed job's worker cannot take a job of this model now: it is not an active
		/// worker serving the model with room for a job, or it is the requester.
		DirectedWorkerUnavailable,
		/// Only the requester may do this.
		NotRequester,
		/// The job has already been assigned.
		AlreadyAssigned,
		/// The signer is not assigned to this job.
		NotAssignedWorker,
		/// The call does not apply to this job's tier.
		WrongTier,
		/// The job is not in the phase this call belongs to.
		WrongPhase,
		/// zk tier: the output must be exactly the model's output size.
		OutputLengthMismatch,
		/// The output is longer than the model allows.
		OutputTooLong,
		/// The worker already committed (or, declining, already committed to a result).
		AlreadyCommitted,
		/// Another worker of the job already made this exact commitment.
		DuplicateCommitment,
		/// The worker already revealed.
		AlreadyRevealed,
		/// The revealed output and salt do not match the commitment.
		CommitmentMismatch,
		/// Optimistic: the window for challenging the proposed result has closed, or the
		/// result was already challenged.
		NotChallengeable,
		/// Optimistic: the proposer cannot challenge its own result.
		OwnProposal,
		/// Optimistic: the challenger cannot afford the challenge bond.
		InsufficientChallengeBond,
		/// Optimistic: too few eligible workers (other than the proposer, challenger and
		/// requester) to run a dispute round now.
		NotEnoughDisputeWorkers,
		/// All job ids are used.
		JobIdOverflow,
		/// The model takes no blob inputs (its owner set no blob input limit).
		BlobInputsNotAccepted,
		/// The model answers with blobs (its owner set an output blob limit): only the
		/// redundancy tier compares them (by sketch).
		BlobOutputNeedsRedundancy,
		/// The model answers with blobs: submit the input as a blob ([`Pallet::submit_blob_job`]).
		BlobOutputNeedsBlobInput,
		/// The job's output is a blob: reveal it with [`Pallet::reveal_blob_result`].
		BlobOutputJob,
		/// The job's output is inline: reveal it with [`Pallet::reveal_result`].
		NotBlobOutputJob,
		/// The revealed blob is not a row output of the job's row length.
		MalformedRowOutput,
		/// The reveal phase started in this block: the sketch's seed is this block's hash,
		/// known from the next block on.
		SketchSeedNotReady,
		/// The job's storage reserve (escrowed at submission, at the fees then in force) cannot
		/// pay the output blob's storage fee: the fee rose since.
		BlobFeeUnpaid,
		/// No blob is kept under this hash (never stored, or its retention ended).
		UnknownInputBlob,
		/// The blob is larger than the model's blob input limit.
		InputBlobTooLarge,
		/// zk tier: a circuit cannot take a blob's bytes as its public inputs.
		BlobNotProvable,
		/// The blob's retention may end before the job does: renew it first.
		InputBlobExpiresTooSoon,
		/// A sealed job needs a model that answers with blobs (an inline output would be
		/// plaintext on chain), and so the redundancy tier.
		SealedNeedsBlobOutput,
		/// The job is not sealed.
		NotSealedJob,
		/// A key is for a worker not assigned to the job.
		KeyForUnassignedWorker,
		/// The worker already has the job key (or is named twice).
		KeyAlreadyPosted,
		/// No keys were given.
		NoKeys,
		/// The model is a private-training member's step: only its consortium's rounds post its
		/// jobs (directed to the member's own worker).
		DirectedJobsOnly,
		/// A batch of results was empty.
		NoResults,
		/// A batch carried a second result for the same job (the second is skipped).
		DuplicateResult,
	}

	#[pallet::hooks]
	impl<T: Config> Hooks<BlockNumberFor<T>> for Pallet<T> {
		/// Ends the phases whose deadline is `now` and retries pending jobs; both bounded.
		fn on_initialize(now: BlockNumberFor<T>) -> Weight {
			Self::process_deadlines(now).saturating_add(Self::process_pending(now))
		}

		fn integrity_test() {
			assert!(T::MaxJobsPerBlock::get() >= 1, "MaxJobsPerBlock must be at least 1");
			assert!(
				Self::worst_case_on_initialize().all_lte(<T as frame_system::Config>::BlockWeights::get().max_block),
				"the worst case of on_initialize must fit in a block: lower MaxJobsPerBlock or MaxPendingJobs"
			);
			assert!(!T::ChallengePeriod::get().is_zero(), "ChallengePeriod must be at least 1");
			let dispute = T::DisputeReplicas::get();
			assert!(dispute >= 1 && dispute <= T::MaxReplicas::get(), "DisputeReplicas must be in 1..=MaxReplicas");
			assert!(T::MaxReplicas::get() <= u8::MAX as u32, "MaxReplicas must fit a u8");
			assert!(
				T::MaxOutputLen::get() >= BLOB_DESCRIPTOR_LEN,
				"MaxOutputLen must hold a blob output's descriptor (BLOB_DESCRIPTOR_LEN bytes)"
			);
			assert!(
				T::MaxReassignments::get() < T::MaxReplicas::get(),
				"MaxReassignments must be below MaxReplicas (a job keeps its decliners in a MaxReplicas list)"
			);
		}

		#[cfg(feature = "try-runtime")]
		fn try_state(_n: BlockNumberFor<T>) -> Result<(), sp_runtime::TryRuntimeError> {
			Self::do_try_state()
		}
	}

	#[pallet::call]
	impl<T: Config> Pallet<T> {
		/// Submits a job.
		///
		/// - Origin: signed; the signer is the requester and pays.
		/// - Effect: checks that the model can answer `input` and that `deadline` is at least
		///   the model's `min_timeout`; holds `model price × workers + fee` (fee = the larger
		///   of `ProtocolFee` of the price and `MinJobFee`; an optimistic job also reserves
		///   `model price × DisputeReplicas` for a dispute), then assigns workers or queues the
		///   job as pending. `deadline` is the number of blocks each phase may take (and how
		///   long the job may wait for workers).
		/// - Events: [`Event::JobSubmitted`], then [`Event::JobAssigned`] if workers were found.
		/// - Errors: [`Error::ZeroDeadline`], [`Error::DeadlineTooLong`], [`Error::UnknownModel`],
		///   [`Error::DeadlineBelowModelMinimum`], [`Error::EmptyInput`], [`Error::InputTooLong`],
		///   [`Error::InputLengthMismatch`], [`Error::InputNotUtf8`], [`Error::ModelNotProvable`],
		///   [`Error::InvalidReplicas`], [`Error::PriceAboveMax`], [`Error::InsufficientBalance`],
		///   [`Error::PendingQueueFull`].
		#[pallet::call_index(0)]
		#[pallet::weight(T::WeightInfo::submit_job(T::MaxReplicas::get()))]
		pub fn submit_job(
			origin: OriginFor<T>,
			model: ModelId,
			input: BoundedVec<u8, T::MaxInputLen>,
			tier: Tier,
			max_price: BalanceOf<T>,
			deadline: BlockNumberFor<T>,
		) -> DispatchResult {
			let requester = ensure_signed(origin)?;
			Self::do_submit_job(requester, model, input, tier, max_price, deadline).map(|_| ())
		}

		/// Cancels a job that has no workers yet and returns its escrow but the fee (the price
		/// of the queue slot it took, paid to the fee collector).
		///
		/// - Origin: signed by the requester.
		/// - Event: [`Event::JobRefunded`] with [`RefundReason::Cancelled`].
		/// - Errors: [`Error::UnknownJob`], [`Error::JobAlreadyFinished`], [`Error::NotRequester`],
		///   [`Error::AlreadyAssigned`].
		#[pallet::call_index(1)]
		#[pallet::weight(T::WeightInfo::cancel_job().saturating_add(T::OnJobCompleted::weight()))]
		pub fn cancel_job(origin: OriginFor<T>, job: JobId) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_cancel_job(who, job)
		}

		/// Submits the output of a zk-tier job with its Groth16 proof.
		///
		/// - Origin: signed by the assigned worker.
		/// - Effect: builds the public inputs from the job's input and `output` and verifies
		///   `proof` against the model's key. Valid: pays worker, model owner and fee collector,
		///   refunds any remainder, removes the job, calls `OnJobCompleted`. Invalid: the job is
		///   unchanged, the worker's failure count grows. Refunds what the completion hook did not
		///   use of its worst case.
		/// - Events: [`Event::JobCompleted`], or [`Event::ResultRejected`].
		/// - Errors: [`Error::UnknownJob`], [`Error::JobAlreadyFinished`], [`Error::WrongTier`],
		///   [`Error::WrongPhase`], [`Error::NotAssignedWorker`], [`Error::OutputLengthMismatch`].
		#[pallet::call_index(2)]
		// Benchmarked with the largest statement, Groth16 verification included.
		#[pallet::weight(T::WeightInfo::submit_result().saturating_add(T::OnJobCompleted::weight()))]
		pub fn submit_result(
			origin: OriginFor<T>,
			job: JobId,
			output: OutputOf<T>,
			proof: Proof,
		) -> DispatchResultWithPostInfo {
			let worker = ensure_signed(origin)?;
			let hook = Self::do_submit_result(worker, job, output, proof)?;
			Ok(Some(T::WeightInfo::submit_result().saturating_add(hook)).into())
		}

		/// Commits to the output of a redundancy-tier job.
		///
		/// - Origin: signed by an assigned worker.
		/// - Effect: stores `commitment` = [`commitment_of`]`(job, worker, output, salt)`; when
		///   every worker has committed, the reveal phase starts with a new deadline.
		/// - Events: [`Event::ResultCommitted`], then [`Event::RevealPhaseStarted`] after the last
		///   commitment.
		/// - Errors: [`Error::UnknownJob`], [`Error::JobAlreadyFinished`], [`Error::WrongTier`],
		///   [`Error::WrongPhase`], [`Error::NotAssignedWorker`], [`Error::AlreadyCommitted`],
		///   [`Error::DuplicateCommitment`].
		#[pallet::call_index(3)]
		#[pallet::weight(T::WeightInfo::commit_result(T::MaxReplicas::get()))]
		pub fn commit_result(origin: OriginFor<T>, job: JobId, commitment: [u8; 32]) -> DispatchResult {
			let worker = ensure_signed(origin)?;
			Self::do_commit_result(worker, job, commitment)
		}

		/// Reveals the output of a redundancy-tier job.
		///
		/// - Origin: signed by an assigned worker that committed.
		/// - Effect: checks `(output, salt)` against the commitment and records the output; after
		///   the last reveal, the majority output completes the job (see the pallet docs).
		/// - Events: [`Event::ResultRevealed`], then after the last reveal [`Event::JobCompleted`]
		///   and [`Event::WorkerSlashed`] for the minority, or [`Event::JobRefunded`].
		/// - Errors: [`Error::UnknownJob`], [`Error::JobAlreadyFinished`], [`Error::WrongTier`],
		///   [`Error::WrongPhase`], [`Error::NotAssignedWorker`], [`Error::BlobOutputJob`],
		///   [`Error::OutputTooLong`], [`Error::AlreadyRevealed`], [`Error::CommitmentMismatch`].
		#[pallet::call_index(4)]
		#[pallet::weight(
			T::WeightInfo::reveal_result(T::MaxReplicas::get())
				.saturating_add(T::OnJobCompleted::weight())
				.saturating_add(Pallet::<T>::max_evictions_weight())
		)]
		pub fn reveal_result(
			origin: OriginFor<T>,
			job: JobId,
			output: OutputOf<T>,
			salt: [u8; 32],
		) -> DispatchResult {
			let worker = ensure_signed(origin)?;
			Self::do_reveal_result(worker, job, output, salt)
		}

		/// Proposes the output of an optimistic-tier job, without a proof.
		///
		/// - Origin: signed by the assigned worker.
		/// - Effect: records the output and opens the challenge window (`ChallengePeriod`
		///   blocks); unchallenged, the output is accepted and paid when the window closes.
		/// - Event: [`Event::ResultProposed`].
		/// - Errors: [`Error::UnknownJob`], [`Error::JobAlreadyFinished`], [`Error::WrongTier`],
		///   [`Error::WrongPhase`], [`Error::NotAssignedWorker`], [`Error::OutputTooLong`].
		#[pallet::call_index(5)]
		#[pallet::weight(T::WeightInfo::propose_result())]
		pub fn propose_result(origin: OriginFor<T>, job: JobId, output: OutputOf<T>) -> DispatchResult {
			let worker = ensure_signed(origin)?;
			Self::do_propose_result(worker, job, output)
		}

		/// Challenges the proposed output of an optimistic-tier job within its window.
		///
		/// - Origin: signed by anyone but the proposer (the requester included).
		/// - Effect: holds `DisputeReplicas × model price + ChallengeBond` from the signer and
		///   assigns `DisputeReplicas` workers
		///   (not the proposer, the challenger or the requester), who commit and reveal with
		///   [`Pallet::commit_result`] and [`Pallet::reveal_result`]; their majority settles the
		///   dispute (see the pallet docs).
		/// - Events: [`Event::ResultChallenged`], [`Event::JobAssigned`].
		/// - Errors: [`Error::UnknownJob`], [`Error::JobAlreadyFinished`], [`Error::WrongTier`],
		///   [`Error::NotChallengeable`], [`Error::OwnProposal`],
		///   [`Error::InsufficientChallengeBond`], [`Error::NotEnoughDisputeWorkers`].
		#[pallet::call_index(6)]
		#[pallet::weight(T::WeightInfo::challenge_result())]
		pub fn challenge_result(origin: OriginFor<T>, job: JobId) -> DispatchResult {
			let challenger = ensure_signed(origin)?;
			Self::do_challenge_result(challenger, job)
		}

		/// Gives back a job the worker cannot serve, without being slashed.
		///
		/// - Origin: signed by an assigned worker that has not committed to a result (zk: not
		///   submitted; redundancy and disputes: not committed; optimistic: not proposed).
		/// - Effect: the worker leaves the job (no slash, no reputation change) and, while the
		///   job has reassignments left, a replacement is drawn (never the decliner) with a new
		///   deadline. Otherwise the job ends: the remaining workers are released, the requester
		///   gets the price back and pays the fee.
		/// - Events: [`Event::JobDeclined`], then [`Event::JobAssigned`] or
		///   [`Event::JobRefunded`] with [`RefundReason::Declined`].
		/// - Errors: [`Error::UnknownJob`], [`Error::JobAlreadyFinished`], [`Error::WrongPhase`],
		///   [`Error::NotAssignedWorker`], [`Error::AlreadyCommitted`].
		#[pallet::call_index(7)]
		#[pallet::weight(T::WeightInfo::decline_job().saturating_add(T::OnJobCompleted::weight()))]
		pub fn decline_job(origin: OriginFor<T>, job: JobId) -> DispatchResult {
			let worker = ensure_signed(origin)?;
			Self::do_decline_job(worker, job)
		}

		/// Submits a job whose input is the blob `input` (a content hash: a data blob, or a
		/// manifest naming a whole file), which providers read from their own node's indexed
		/// data.
		///
		/// - Origin: signed; the signer is the requester and pays.
		/// - Effect: as [`Pallet::submit_job`], after checking that the model takes blob inputs
		///   of this size, that the tier is not zk, and that the blob is kept for at least the
		///   longest life of a job of this `deadline`
		///   (`(MaxReassignments + 4) × deadline + ChallengePeriod` blocks); records the input
		///   in [`BlobInputs`] (the weight includes removing it when the job ends). If the model
		///   answers with blobs (redundancy tier only), the escrow also holds one output blob's
		///   storage fee (at the model's output limit) per worker, and the job's limits are
		///   recorded in [`BlobOutputs`] (removed, with the sketches, when the job ends).
		/// - Events: [`Event::JobSubmitted`], [`Event::BlobInputSet`], [`Event::BlobOutputSet`]
		///   for a blob-output model, then [`Event::JobAssigned`] if workers were found.
		/// - Errors: [`Error::ZeroDeadline`], [`Error::DeadlineTooLong`], [`Error::UnknownModel`],
		///   [`Error::DeadlineBelowModelMinimum`], [`Error::BlobNotProvable`],
		///   [`Error::BlobInputsNotAccepted`], [`Error::BlobOutputNeedsRedundancy`],
		///   [`Error::UnknownInputBlob`], [`Error::InputBlobTooLarge`],
		///   [`Error::InputBlobExpiresTooSoon`], [`Error::InvalidReplicas`],
		///   [`Error::PriceAboveMax`], [`Error::InsufficientBalance`], [`Error::PendingQueueFull`].
		#[pallet::call_index(8)]
		#[pallet::weight(Pallet::<T>::submit_blob_job_weight())]
		pub fn submit_blob_job(
			origin: OriginFor<T>,
			model: ModelId,
			input: pallet_blobs::ContentHash,
			tier: Tier,
			max_price: BalanceOf<T>,
			deadline: BlockNumberFor<T>,
		) -> DispatchResult {
			let requester = ensure_signed(origin)?;
			Self::do_submit_blob_job(requester, model, input, tier, max_price, deadline).map(|_| ())
		}

		/// Reveals a blob output: `data`, the output whose descriptor
		/// `SCALE(BlobRef { hash: BLAKE2-256(data), size })` the worker committed to.
		///
		/// - Origin: signed by an assigned worker of a blob-output job in its reveal phase, in a
		///   later block than the one the phase started in. `data` must be the end of the
		///   extrinsic (the call not wrapped), since nodes index it from there.
		/// - Effect: checks the commitment, that `data` is at most the job's output limit and a
		///   row output of its row length; records its sketch (signs from the hash of the block
		///   the reveal phase started in); stores `data` as the requester's blob unless the same
		///   bytes are already kept (an identical replica), its fee paid from the job's escrow.
		///   The last reveal ends the job as [`Pallet::reveal_result`] does, replicas agreeing
		///   by sketch.
		/// - Events: `Blobs::Stored`, [`Event::ResultRevealed`], then the job's end.
		/// - Errors: [`Error::UnknownJob`], [`Error::JobAlreadyFinished`], [`Error::WrongTier`],
		///   [`Error::WrongPhase`], [`Error::NotAssignedWorker`], [`Error::NotBlobOutputJob`],
		///   [`Error::OutputTooLong`], [`Error::AlreadyRevealed`], [`Error::CommitmentMismatch`],
		///   [`Error::MalformedRowOutput`], [`Error::SketchSeedNotReady`],
		///   [`Error::BlobFeeUnpaid`], and the blobs pallet's refusals of the store.
		#[pallet::call_index(9)]
		#[pallet::weight(
			T::WeightInfo::reveal_blob_result(T::MaxReplicas::get(), data.len() as u32)
				.saturating_add(T::OnJobCompleted::weight())
				.saturating_add(Pallet::<T>::max_evictions_weight())
		)]
		pub fn reveal_blob_result(
			origin: OriginFor<T>,
			job: JobId,
			salt: [u8; 32],
			data: Vec<u8>,
		) -> DispatchResult {
			let worker = ensure_signed(origin)?;
			Self::do_reveal_blob_result(worker, job, salt, data)
		}

		/// Submits a **sealed** job: its input blob is sealed under a fresh job key `K`
		/// (XChaCha20-Poly1305), and only the assigned workers get `K`, sealed to their
		/// published X25519 keys with [`Pallet::post_job_keys`]; they seal the output blob under
		/// `K` too, deterministically, so replicas agree byte for byte without the chain
		/// reading them. No plaintext of the input or the output reaches a block.
		///
		/// - Origin: signed; the signer is the requester and pays.
		/// - Effect: as [`Pallet::submit_blob_job`] for a model that answers with blobs
		///   (redundancy tier), the blob kept for a sealed job's longest life (each working
		///   phase may first wait `deadline` blocks for the keys); records `key_commitment`
		///   (`BLAKE2b-256("aichain/job-key" ‖ K)`) in [`SealedJobs`]. Assigned workers' phase
		///   restarts when the last of them gets the key; a deadline that passes while a
		///   worker that published a key has none ends the job ([`RefundReason::KeysNotPosted`],
		///   the requester pays the fee).
		/// - Events: those of [`Pallet::submit_blob_job`] and [`Event::JobSealed`].
		/// - Errors: those of [`Pallet::submit_blob_job`], and [`Error::SealedNeedsBlobOutput`].
		#[pallet::call_index(10)]
		#[pallet::weight(
			T::WeightInfo::submit_sealed_job(T::MaxReplicas::get())
				.saturating_add(T::DbWeight::get().writes(4 + T::MaxReplicas::get() as u64))
		)]
		pub fn submit_sealed_job(
			origin: OriginFor<T>,
			model: ModelId,
			input: pallet_blobs::ContentHash,
			tier: Tier,
			max_price: BalanceOf<T>,
			deadline: BlockNumberFor<T>,
			key_commitment: [u8; 32],
		) -> DispatchResult {
			let requester = ensure_signed(origin)?;
			Self::do_submit_sealed_job(requester, model, input, tier, max_price, deadline, key_commitment).map(|_| ())
		}

		/// Sends a sealed job's key to assigned workers: each entry is a worker and the job
		/// key sealed to its published X25519 key (a libsodium sealed box, 80 bytes).
		///
		/// - Origin: signed by the requester.
		/// - Effect: records the keys in [`SealedJobs`] (dropping those of workers no longer
		///   assigned). When every assigned worker has its key, the working phase restarts:
		///   its deadline becomes now + the job's `deadline` blocks.
		/// - Event: [`Event::JobKeysPosted`].
		/// - Errors: [`Error::UnknownJob`], [`Error::JobAlreadyFinished`],
		///   [`Error::NotRequester`], [`Error::NotSealedJob`], [`Error::WrongPhase`] (no
		///   workers yet, or all committed), [`Error::NoKeys`],
		///   [`Error::KeyForUnassignedWorker`], [`Error::KeyAlreadyPosted`].
		#[pallet::call_index(11)]
		#[pallet::weight(T::WeightInfo::post_job_keys(T::MaxReplicas::get()))]
		pub fn post_job_keys(
			origin: OriginFor<T>,
			job: JobId,
			keys: BoundedVec<(T::AccountId, SealedKey), T::MaxReplicas>,
		) -> DispatchResult {
			let requester = ensure_signed(origin)?;
			Self::do_post_job_keys(requester, job, keys)
		}

		/// Submits several zk results of one worker, verified together in one pairing check
		/// (jobs of any models: keys may differ).
		///
		/// - Origin: signed by the worker assigned to every job of the batch.
		/// - Effect: each result is checked as [`Pallet::submit_result`] checks it; one that
		///   fails those checks (or repeats a job of the batch) is skipped and its job is
		///   unchanged. The proofs of the others are verified at once. If the batch verifies,
		///   every job is completed and paid. If not, each proof is verified alone: a valid one
		///   completes its job, a false one is rejected as by [`Pallet::submit_result`] (the
		///   worker's failure count grows). The fee is for the worst case (every result under
		///   its own key, a failed batch verified again one by one) and what was not done is
		///   refunded: a batch that verifies pays the benchmarked batch weight, per result and
		///   per distinct key, plus what each completion hook reports it used.
		/// - Events: per result, [`Event::JobCompleted`], [`Event::ResultRejected`] or
		///   [`Event::ResultSkipped`].
		/// - Errors: [`Error::NoResults`].
		#[pallet::call_index(12)]
		#[pallet::weight(Pallet::<T>::submit_results_max_weight(results.len() as u32))]
		pub fn submit_results(
			origin: OriginFor<T>,
			results: BoundedVec<ZkResult<OutputOf<T>>, T::MaxResultsPerCall>,
		) -> DispatchResultWithPostInfo {
			let worker = ensure_signed(origin)?;
			let work = Self::do_submit_results(worker, results.into_inner())?;
			Ok(Some(work.weight::<T>()).into())
		}
	}
}
