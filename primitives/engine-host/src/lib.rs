//! # The runtime ↔ compute-engine boundary
//!
//! A provider's node runs AI jobs natively (candle, Groth16 proving: `aichain-offchain-worker`),
//! while the decision *which* jobs to run and the transactions that report results live in the
//! runtime's offchain worker (`pallet-provider`). [`compute_engine`] is the
//! `#[runtime_interface]` between them:
//!
//! - [`compute_engine::submit`] hands a job ([`EngineJob`]) to the engine and returns at once;
//! - [`compute_engine::result`] returns the finished result ([`EngineOutput`]) of a job, if any.
//!
//! The host side finds the engine through the [`ComputeEngineExt`] externalities extension,
//! which the node registers for offchain-worker calls only when it runs as a provider
//! (`--worker`). Everywhere else (block import, RPC calls, nodes that are not providers) the
//! functions answer [`EngineError::NoEngine`] / `None`, so a runtime can call them anywhere
//! without trapping; they never touch consensus state.
//!
//! Arguments cross the boundary as SCALE bytes and results come back as SCALE values.
#![cfg_attr(not(feature = "std"), no_std)]
#![forbid(unsafe_code)]

extern crate alloc;

use aichain_compute::{
	blob::{BlobRef, RowOutputShape},
	JobId, ModelKind, Tier,
};
use aichain_zk::Proof;
use alloc::vec::Vec;
use codec::{Decode, Encode};
use sp_externalities::ExternalitiesExt;
use sp_runtime_interface::{
	pass_by::{AllocateAndReturnByCodec, PassAs, PassFatPointerAndRead},
	runtime_interface,
};

/// A job's input as the engine gets it.
#[derive(Clone, Debug, PartialEq, Eq, Encode, Decode)]
pub enum EngineInput {
	/// The bytes, from the job itself.
	Inline(Vec<u8>),
	/// A blob the chain keeps (a data blob or a manifest's file), which the node reads from its
	/// own indexed data, checking every hash and the size.
	Blob(BlobRef),
}

/// A job as the engine needs it: which model (by the SHA-256 of its weights, which the chain
/// records), what kind of model, the tier (a zk job is proven), and the input.
#[derive(Clone, Debug, PartialEq, Eq, Encode, Decode)]
pub struct EngineJob {
	/// The on-chain job id.
	pub job: JobId,
	/// SHA-256 of the model's weights file.
	pub weights_sha256: [u8; 32],
	/// What the model computes.
	pub kind: ModelKind,
	/// How the result will be verified.
	pub tier: Tier,
	/// The job's input.
	pub input: EngineInput,
	/// A blob-output job's shape (the model answers with a row output of it); `None`: an
	/// inline output.
	pub output: Option<RowOutputShape>,
	/// A sealed job: its input blob is sealed under the job key, which reaches this node
	/// sealed to its X25519 key; the output is sealed under the same key.
	pub sealed: Option<SealedJobKey>,
}

/// A sealed job's key as this node's worker received it.
#[derive(Clone, Debug, PartialEq, Eq, Encode, Decode)]
pub struct SealedJobKey {
	/// The job key sealed to this node's X25519 public key (a libsodium sealed box).
	pub sealed_key: [u8; 80],
	/// The job's commitment to its key (`aichain_offchain_worker::sealed::key_commitment`).
	pub key_commitment: [u8; 32],
}

impl EngineJob {
	/// What was asked: SHA-256 of the job's SCALE encoding (id, model, kind, tier, input,
	/// output shape, sealed key). A
	/// result answers a job only if it carries the job's fingerprint, so after a reorg (a job
	/// id now naming another job) a provider never reports one job's output for another.
	///
	/// A sealed job's key counts by its commitment, not by the bytes sealed to one worker: two
	/// workers of one node on the same job ask the same thing and share its (equally sealed)
	/// result.
	pub fn fingerprint(&self) -> [u8; 32] {
		use sha2::Digest;
		let mut asked = self.clone();
		if let Some(sealed) = asked.sealed.as_mut() {
			sealed.sealed_key = [0; 80];
		}
		sha2::Sha256::digest(asked.encode()).into()
	}
}

/// A finished job: the output, and for a zk job the proof.
#[derive(Clone, Debug, PartialEq, Eq, Encode, Decode)]
pub struct EngineOutput {
	/// The [`EngineJob::fingerprint`] of the request it answers.
	pub request: [u8; 32],
	/// The output bytes to submit.
	pub output: Vec<u8>,
	/// The Groth16 proof (zk tier).
	pub proof: Option<Proof>,
}

/// Why a job was not accepted.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Encode, Decode)]
pub enum EngineError {
	/// This node runs no compute engine (not a provider, or not an offchain-worker call).
	NoEngine,
	/// The engine has no model with these weights.
	UnknownModel,
	/// The job does not fit the model (input length, not provable, malformed).
	Refused,
	/// The engine's queue is full; try again in a later block.
	QueueFull,
	/// The job's input blob is not in this node's indexed data (the node synced without
	/// bodies, pruned them, or has not imported the storing block's body), or its bytes are
	/// corrupt: this node cannot serve the job.
	InputUnavailable,
}

/// What a node's compute engine offers the runtime (implemented by the node).
pub trait ComputeBackend: Send + Sync {
	/// Queues `job`; returns at once.
	fn submit(&self, job: EngineJob) -> Result<(), EngineError>;
	/// The result of `job`, once finished.
	fn result(&self, job: JobId) -> Option<EngineOutput>;
	/// The X25519 public key sealed jobs' keys are sealed to (the worker registers it).
	fn encryption_key(&self) -> Option<[u8; 32]>;
}

sp_externalities::decl_extension! {
	/// The node's compute engine, registered for offchain-worker calls of a provider node.
	pub struct ComputeEngineExt(alloc::sync::Arc<dyn ComputeBackend>);
}

impl ComputeEngineExt {
	/// Wraps a backend.
	pub fn new(backend: alloc::sync::Arc<dyn ComputeBackend>) -> Self {
		Self(backend)
	}
}

/// Host functions of the compute engine (see the crate docs).
#[runtime_interface]
pub trait ComputeEngine {
	/// Hands a SCALE-encoded [`EngineJob`] to the engine. Errors: [`EngineError`]; a
	/// malformed encoding (or one of another version of the runtime, with bytes left over) is
	/// [`EngineError::Refused`].
	fn submit(&mut self, job: PassFatPointerAndRead<&[u8]>) -> AllocateAndReturnByCodec<Result<(), EngineError>> {
		let job = <EngineJob as codec::DecodeAll>::decode_all(&mut &job[..]).map_err(|_| EngineError::Refused)?;
		match self.extension::<ComputeEngineExt>() {
			Some(engine) => engine.0.submit(job),
			None => Err(EngineError::NoEngine),
		}
	}

	/// The result of `job`, if the engine has finished it.
	fn result(&mut self, job: PassAs<JobId, u64>) -> AllocateAndReturnByCodec<Option<EngineOutput>> {
		self.extension::<ComputeEngineExt>().and_then(|engine| engine.0.result(job))
	}

	/// The X25519 public key of this node's compute engine, which its worker registers for
	/// sealed jobs; `None` without an engine.
	fn encryption_key(&mut self) -> AllocateAndReturnByCodec<Option<[u8; 32]>> {
		self.extension::<ComputeEngineExt>().and_then(|engine| engine.0.encryption_key())
	}

	/// Whether this node runs a compute engine for this call.
	fn available(&mut self) -> bool {
		self.extension::<ComputeEngineExt>().is_some()
	}
}

#[cfg(test)]
mod tests {
	use super::*;
	use codec::DecodeAll;

	fn job(input: EngineInput) -> EngineJob {
		EngineJob { job: 7, weights_sha256: [1; 32], kind: ModelKind::Embedding, tier: Tier::Optimistic, input, output: None, sealed: None }
	}

	#[test]
	fn a_sealed_job_is_fingerprinted_by_its_key_commitment_not_by_whom_the_key_was_sealed_to() {
		let sealed = |sealed_key, key_commitment| EngineJob {
			sealed: Some(SealedJobKey { sealed_key, key_commitment }),
			..job(EngineInput::Blob(BlobRef { hash: [9; 32], size: 10 }))
		};
		assert_eq!(sealed([1; 80], [5; 32]).fingerprint(), sealed([2; 80], [5; 32]).fingerprint());
		assert_ne!(sealed([1; 80], [5; 32]).fingerprint(), sealed([1; 80], [6; 32]).fingerprint());
		let unsealed = job(EngineInput::Blob(BlobRef { hash: [9; 32], size: 10 }));
		assert_ne!(sealed([1; 80], [5; 32]).fingerprint(), unsealed.fingerprint());
		assert_eq!(EngineJob::decode_all(&mut &sealed([1; 80], [5; 32]).encode()[..]), Ok(sealed([1; 80], [5; 32])));
	}

	#[test]
	fn a_blob_job_round_trips_and_the_previous_layout_is_never_misread() {
		let blob = job(EngineInput::Blob(BlobRef { hash: [9; 32], size: 1 << 20 }));
		assert_eq!(EngineJob::decode_all(&mut &blob.encode()[..]), Ok(blob.clone()));
		assert_ne!(blob.fingerprint(), job(EngineInput::Inline(vec![])).fingerprint());
		// The layout before blob inputs: the same fields with the input as plain bytes. A
		// runtime of that version talking to a newer node gets a refusal, never another input.
		for len in 0..600usize {
			let previous = (7u64, [1u8; 32], ModelKind::Embedding, Tier::Optimistic, vec![b'a'; len]).encode();
			assert!(EngineJob::decode_all(&mut &previous[..]).is_err(), "an input of {len} bytes was misread");
		}
	}
}
