//! # The compute engine of a provider
//!
//! What a provider's node runs off chain for a job, and proves:
//!
//! - [`models`]: every model behind one interface ([`models::EngineModel`]), one folder each,
//!   listed in [`models::FORMATS`]: the digits MLP, any fixed-point MLP read from a file
//!   ([`models::fixed_mlp`]), MiniLM-L6 embeddings, the provable training step;
//! - [`lending_risk`]: the DeFi lending-risk model's data and float training (a fixed-point MLP);
//! - [`market_risk`]: the DeFi market-risk model's data and float training (a fixed-point MLP:
//!   tomorrow's volatility regime from the last five trading days), what it shares with the
//!   lending-risk model in [`tabular`];
//! - [`prover`]: Groth16 key generation, the on-disk proving-key cache and proving, for every
//!   provable model through its circuit;
//! - [`engine`]: the API the node calls: a bounded queue, a thread pool, results persisted;
//! - [`threads`]: candle's thread count, fixed once at start (`main` calls it).
//!
//! The R1CS gadgets and the chain's public-input layout of a zk job are in `aichain-zk-circuits`.
//! The engine runs natively in the node, never in the runtime.
#![forbid(unsafe_code)]

pub mod engine;
pub mod lending_risk;
pub mod market_risk;
pub mod models;
pub mod prover;
pub mod sealed;
pub mod tabular;
pub mod threads;

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
	/// A job's input that the model cannot answer (beyond its length).
	#[error("input refused: {0}")]
	InvalidInput(String),
	/// A circom circuit's witness generator failed: the input does not satisfy the circuit, the
	/// wasm broke a limit or trapped, or its signals are not the chain's layout.
	#[error("witness: {0}")]
	Witness(String),
	/// Keys or a proof were asked of a model that has no circuit.
	#[error("model {0} has no circuit: it is not zk-provable")]
	NoCircuit(String),
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

/// BLAKE2b-256 of the concatenation of `parts`: the chain's content hash (blobs, commitments).
pub fn blake2b_256(parts: &[&[u8]]) -> [u8; 32] {
	use blake2::Digest;
	let mut hasher = blake2::Blake2b::<blake2::digest::consts::U32>::new();
	for part in parts {
		hasher.update(part);
	}
	hasher.finalize().into()
}

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
