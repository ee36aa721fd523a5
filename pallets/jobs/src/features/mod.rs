//! The logic behind the jobs pallet's calls and hooks, one concern per file, each an
//! `impl<T: Config> Pallet<T>` of `do_*` functions (the layout of pallet-nfts' `features/`).

/// Drawing and holding workers, and the lookups every call shares.
mod assignment;
/// Jobs whose input is a kept blob.
mod blob_input;
/// Jobs whose output is a blob: reveals with the bytes, sketches, agreement by sketch.
mod blob_output;
pub use blob_output::BLOB_DESCRIPTOR_LEN;
/// Deadlines: the schedule, and the `on_initialize` work on due phases and pending jobs.
mod deadlines;
/// A worker giving back a job it cannot serve.
mod decline;
/// [`crate::JobSubmitter`] for other pallets.
mod job_submitter;
/// Optimistic tier: proposals, challenges and disputes.
mod optimistic;
/// Redundancy tier (and dispute rounds): commitments, reveals, the majority.
mod redundancy;
/// Sealed jobs: the job key's commitment, keys sealed to workers, the wait for them.
mod sealed;
/// Paying, refunding and slashing: how a job ends.
mod settlement;
/// Submitting and cancelling jobs.
mod submit;
/// The pallet's invariants.
mod try_state;
/// zk tier: results with Groth16 proofs.
mod zk;
/// zk tier in batches: one worker's results verified in one pairing check.
mod zk_batch;
pub use zk_batch::BatchWork;
