//! # The compute engine of a provider
//!
//! What a provider's node runs off chain for a job, and proves:
//!
//! - [`dataset`]: the handwritten-digits data set and its fixed train/test split;
//! - [`mlp`]: the digits classifier (a 64 → 32 → 10 MLP), trained with candle in floating point;
//! - [`quantized`]: the same model in the fixed-point format of [`aichain_compute::fixed`], the
//!   integer arithmetic the engine runs for jobs and the circuit proves, stored as safetensors
//!   with its SHA-256;
//! - [`circuit`]: the Groth16 (BN254) circuit of one quantized inference, whose public inputs are
//!   exactly what the jobs pallet builds on chain ([`aichain_compute::zk_public_inputs`]);
//! - [`prover`]: per-model key generation, the on-disk proving-key cache, and proving;
//! - [`training`]: training shards (local SGD from the global weights), bounded quantized
//!   updates, federated averaging;
//! - [`training_circuit`]: a provable training step (a linear model's least-squares gradient
//!   step on a committed shard of 8 samples) and its circuit.
//!
//! - [`embedding`]: MiniLM-L6 sentence embeddings; [`minilm`]: its BERT encoder in candle;
//! - [`engine`]: the API the node calls: a bounded queue, a thread pool, results persisted.
//!
//! The engine runs natively in the node, never in the runtime.
#![forbid(unsafe_code)]

pub mod circuit;
pub mod dataset;
pub mod embedding;
pub mod minilm;
pub mod engine;
mod gadgets;
pub mod mlp;
pub mod prover;
pub mod quantized;
pub mod training;
pub mod training_circuit;

/// Everything that can go wrong in the engine.
#[derive(Debug, thiserror::Error)]
pub enum Error {
	/// A tensor operation failed.
	#[error("candle: {0}")]
	Candle(#[from] candle_core::Error),
	/// A file could not be read or written.
	#[error("{path}: {source}")]
	Io {
		/// The file.
		path: std::path::PathBuf,
		/// What happened.
		source: std::io::Error,
	},
	/// A data set or weights file is malformed.
	#[error("malformed {what}: {detail}")]
	Malformed {
		/// What was being read.
		what: &'static str,
		/// What is wrong with it.
		detail: String,
	},
	/// A job's input does not fit the model.
	#[error("input of {got} bytes, the model takes {expected}")]
	InputLength {
		/// Bytes the model takes.
		expected: usize,
		/// Bytes given.
		got: usize,
	},
	/// The quantized weights are too large for the circuit's fixed-point ranges.
	#[error("quantization out of range: {0}")]
	OutOfRange(String),
	/// Groth16 key generation or proving failed.
	#[error("groth16: {0}")]
	Proving(#[from] ark_relations::gr1cs::SynthesisError),
	/// A pretrained model's files are not on this machine.
	#[error("{path} is missing: run scripts/fetch-models.sh (or set AICHAIN_MODELS_DIR)")]
	ModelMissing {
		/// The missing file.
		path: std::path::PathBuf,
	},
	/// The engine has no model with this id.
	#[error("model {0} is not loaded")]
	UnknownModel(aichain_compute::ModelId),
	/// A zk-tier job for a model without a proving key.
	#[error("model {0} has no proving key")]
	NotProvable(aichain_compute::ModelId),
	/// The job queue is full; try again later.
	#[error("the job queue is full")]
	QueueFull,
	/// A cached proving key could not be decoded, or belongs to another circuit.
	#[error("proving key cache {path}: {detail}")]
	KeyCache {
		/// The cache file.
		path: std::path::PathBuf,
		/// What is wrong with it.
		detail: String,
	},
}

/// The engine's result type.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Reads a whole file, naming it in the error.
pub(crate) fn read_file(path: &std::path::Path) -> Result<Vec<u8>> {
	std::fs::read(path).map_err(|source| Error::Io { path: path.to_owned(), source })
}

/// Writes a whole file atomically (a temporary file renamed into place), naming it in the error.
pub(crate) fn write_file(path: &std::path::Path, bytes: &[u8]) -> Result<()> {
	let io = |source| Error::Io { path: path.to_owned(), source };
	if let Some(dir) = path.parent() {
		std::fs::create_dir_all(dir).map_err(io)?;
	}
	let tmp = path.with_extension("tmp");
	std::fs::write(&tmp, bytes).map_err(io)?;
	std::fs::rename(&tmp, path).map_err(io)
}
