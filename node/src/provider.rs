//! A provider node: the `--worker` flags, its compute engine and the bridge the runtime's
//! offchain worker reaches through the `aichain-engine-host` host functions.
//!
//! With `--worker`, the node loads every model it finds in `--worker-models-dir` (default
//! `$AICHAIN_MODELS_DIR` or `~/.cache/aichain/models`, filled by `scripts/fetch-models.sh`)
//! with one call, [`models::load_dir`]: every format the engine knows ([`models::FORMATS`]:
//! digits classifiers and fixed-point MLPs as tagged `*.safetensors` files, the
//! `all-minilm-l6-v2/` folder, circom circuits as folders with a `model.json`, the built-in
//! training step), each provable model with its proving key (`keys/<weights sha256>.pk`, or a
//! circom model's `.zkey`) if there is one (zk-tier jobs need it).
//!
//! A job for a model the provider does not have makes it read the directory again (at most
//! every 30 s per model, so that one model's jobs never delay another's first load): a model
//! file added after the node started is served without a restart.
//!
//! Models are identified by the SHA-256 of their weights file (the training step, which has
//! no weights, by its circuit id), exactly as the chain records them, so a job runs only on the
//! weights its model registered. The engine's finished results persist under
//! `<chain data>/compute-results`.
//!
//! A blob job's input (a blob the chain keeps, or a manifest's file) is read when the job is
//! handed over, from this node's own indexed data ([`EngineBackend::read_blobs_from`]), every
//! piece checked against its hash and the file against the size the chain recorded; a blob
//! the node does not have (synced without bodies, pruned) is [`EngineError::InputUnavailable`]
//! and the provider declines the job.
//!
//! Sealed jobs: the node keeps an X25519 key pair in `<chain data>/provider-x25519.key`
//! (created on first start, mode 0600), whose public half the offchain worker registers for
//! its worker. For a sealed job the bridge opens the job key sealed to it, checks it against
//! the job's key commitment, opens the input, and has the engine seal the output under the
//! job key before it is stored or reported ([`aichain_offchain_worker::sealed`]). A key or an
//! input that does not open is [`EngineError::Refused`]: the provider declines the job.
//!
//! Private training: a hospital's memberships are config files in `<chain data>/private-fl/`
//! (written by the client's `fl-join`), each naming the hospital's data file, which stays on
//! this machine. The node serves them as one model, the member circuit
//! ([`models::private_fl::node`]), loaded once the first config exists; the pairwise seeds
//! come from the node's X25519 key above and each peer's published key.

use aichain_compute::JobId;
use aichain_engine_host::{ComputeBackend, EngineError, EngineInput, EngineJob, EngineOutput, SealedJobKey};
use aichain_offchain_worker::{
	engine::{Engine, EngineConfig, JobSpec},
	models::{self, minilm::embedding},
	sealed::{self, WorkerKey},
	Error as EngineFailure,
};
use std::{
	collections::HashMap,
	path::{Path, PathBuf},
	sync::{Arc, Mutex, OnceLock},
	time::{Duration, Instant},
};

/// Reads the bytes a node indexed under a content hash (`BlockBackend::indexed_transaction`).
pub type BlobReader = Arc<dyn Fn(&[u8; 32]) -> Option<Vec<u8>> + Send + Sync>;

/// The engine's default thread count: the cores this process may use (1 if unknown), so that
/// a burst of zk jobs keeps every core proving.
fn default_worker_threads() -> usize {
	std::thread::available_parallelism().map_or(1, |n| n.get())
}

/// The `--worker` flag family.
#[derive(Debug, Clone, clap::Args)]
pub struct WorkerParams {
	/// Run as a compute provider: start the compute engine and let the runtime's offchain
	/// worker run the jobs assigned to this node's provider keys (key type `aiwk`; with a dev
	/// account flag such as `--alice` the key is derived from it).
	#[arg(long)]
	pub worker: bool,

	/// Where the models are (default `$AICHAIN_MODELS_DIR`, else `~/.cache/aichain/models`).
	#[arg(long, value_name = "PATH", requires = "worker")]
	pub worker_models_dir: Option<PathBuf>,

	/// Jobs run at the same time; default: one per core, as each Groth16 proof runs on one
	/// thread (candle's embeddings share one pool of a thread per core across the jobs).
	#[arg(long, value_name = "COUNT", default_value_t = default_worker_threads(), requires = "worker")]
	pub worker_threads: usize,

	/// Jobs queued at most; more are refused until the queue drains (the runtime hands them
	/// over again in a later block).
	#[arg(long, value_name = "COUNT", default_value_t = 256, requires = "worker")]
	pub worker_queue: usize,

	/// Device the models run on. `cuda` needs a node built with the `cuda` feature.
	#[arg(long, value_enum, default_value_t = WorkerDevice::Cpu, requires = "worker")]
	pub worker_device: WorkerDevice,

	/// For tests of the market's defences only: report a wrong output for every job (the first
	/// output byte moved by 64, beyond any model's output tolerance). Zk results then fail
	/// verification; commit-reveal results disagree with honest workers.
	#[arg(long, requires = "worker")]
	pub worker_dishonest: bool,
}

/// Where a provider runs its models.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum WorkerDevice {
	/// The CPU.
	Cpu,
	/// The first NVIDIA GPU (candle's CUDA backend).
	Cuda,
}

/// Why the provider could not start.
#[derive(Debug, thiserror::Error)]
pub enum StartError {
	/// A model or key failed to load, or the engine did not start.
	#[error("compute engine: {0}")]
	Engine(#[from] EngineFailure),
	/// The X25519 key file could not be read or created.
	#[error("provider key {path}: {source}")]
	Key { path: PathBuf, source: std::io::Error },
	/// The models directory has no model at all.
	#[error("no model in {0}: run scripts/fetch-models.sh or pass --worker-models-dir")]
	NoModels(PathBuf),
	/// `--worker-device cuda` without a usable GPU, or on a node built without `--features cuda`.
	#[error("--worker-device cuda: {0} (the node must be built with `--features cuda` and see an NVIDIA GPU)")]
	NoCuda(String),
}

/// The node's compute engine as the runtime sees it.
pub struct EngineBackend {
	engine: Engine,
	/// Local engine model ids by weights SHA-256.
	models: Mutex<HashMap<[u8; 32], aichain_compute::ModelId>>,
	/// Where the models are, and what loading them needs, to look again for new ones.
	dir: PathBuf,
	context: models::LoadContext,
	/// When the models directory was last read for a job of each unknown model.
	last_scans: Mutex<HashMap<[u8; 32], Instant>>,
	dishonest: bool,
	/// Where blob inputs are read, once the node's client exists.
	blobs: OnceLock<BlobReader>,
	/// The key sealed jobs' keys are sealed to.
	key: WorkerKey,
}

/// A sealed job's input opened with the job key that `key` unseals, and that job key; an
/// unsealed job's input as it is. A key or input that does not open is
/// [`EngineError::Refused`].
fn open_sealed(key: &WorkerKey, job: JobId, sealed: Option<&SealedJobKey>, input: Vec<u8>) -> Result<(Vec<u8>, Option<[u8; 32]>), EngineError> {
	let Some(sealed) = sealed else { return Ok((input, None)) };
	let opened = key
		.open_key(&sealed.sealed_key, &sealed.key_commitment)
		.and_then(|job_key| Ok((sealed::open_input(&job_key, &input)?, Some(job_key))));
	opened.map_err(|error| {
		log::warn!(target: "aichain::provider", "sealed job {job}: {error}");
		EngineError::Refused
	})
}

/// The input bytes of `job`: inline, or the file its blob names, read with `reader` (this
/// node's indexed data) with every piece's hash and the size checked; without a reader, or
/// without the bytes, [`EngineError::InputUnavailable`].
fn input_bytes(reader: Option<&BlobReader>, job: JobId, input: EngineInput) -> Result<Vec<u8>, EngineError> {
	let blob = match input {
		EngineInput::Inline(bytes) => return Ok(bytes),
		EngineInput::Blob(blob) => blob,
	};
	let reader = reader.ok_or(EngineError::InputUnavailable)?;
	aichain_compute::blob::read_file(&blob, |hash| reader(hash), sp_io::hashing::blake2_256).map_err(|error| {
		log::warn!(target: "aichain::provider", "job {job}: its input blob cannot be read here: {error:?}");
		EngineError::InputUnavailable
	})
}

/// The models directory is read again, for jobs of one model the provider does not have, at
/// most this often.
const RESCAN_EVERY: Duration = Duration::from_secs(30);

impl EngineBackend {
	/// Loads the models of `params` and the private-training memberships in `private_fl_dir`,
	/// and starts the engine, keeping results in `results_dir`.
	pub fn start(params: &WorkerParams, results_dir: PathBuf, key_file: &Path, private_fl_dir: PathBuf) -> Result<Self, StartError> {
		let key = WorkerKey::load_or_create(key_file)
			.map_err(|source| StartError::Key { path: key_file.to_path_buf(), source })?;
		let device = match params.worker_device {
			WorkerDevice::Cpu => candle_core::Device::Cpu,
			WorkerDevice::Cuda => candle_core::Device::new_cuda(0).map_err(|e| StartError::NoCuda(e.to_string()))?,
		};
		let dir = params.worker_models_dir.clone().unwrap_or_else(embedding::models_dir);
		let private_fl = models::private_fl::node::PrivateFlContext { dir: private_fl_dir, x25519_secret: key.x25519_secret() };
		let context = models::LoadContext { device, private_fl: Some(private_fl) };
		let loaded = models::load_dir(&dir, &context)?;
		if loaded.is_empty() {
			return Err(StartError::NoModels(dir));
		}
		let mut models = HashMap::new();
		let mut engine_models = HashMap::new();
		for (index, model) in loaded.into_iter().enumerate() {
			models.insert(model.model.card().weights_sha256, index as aichain_compute::ModelId);
			engine_models.insert(index as aichain_compute::ModelId, model);
		}
		let config = EngineConfig { results_dir, threads: params.worker_threads, queue: params.worker_queue };
		let engine = Engine::start(config, engine_models)?;
		Ok(Self {
			engine,
			models: Mutex::new(models),
			dir,
			context,
			last_scans: Mutex::new(HashMap::new()),
			dishonest: params.worker_dishonest,
			blobs: OnceLock::new(),
			key,
		})
	}

	/// Reads blob inputs with `reader` (the node's indexed data); set once, after the client
	/// is built (the engine starts first: loading models takes a while).
	pub fn read_blobs_from(&self, reader: BlobReader) {
		let _ = self.blobs.set(reader);
	}

	/// The engine's id of the model with `weights_sha256`. A model the provider does not have
	/// may have been added to its models directory since it started (a dApp's new model file):
	/// the directory is read again, at most every [`RESCAN_EVERY`] per model, and new models join the
	/// running engine, so serving a new model needs no restart.
	fn model_id(&self, weights_sha256: &[u8; 32]) -> Option<aichain_compute::ModelId> {
		let mut models = self.models.lock().ok()?;
		if let Some(id) = models.get(weights_sha256) {
			return Some(*id);
		}
		{
			let mut last_scans = self.last_scans.lock().ok()?;
			if last_scans.get(weights_sha256).is_some_and(|scanned| scanned.elapsed() < RESCAN_EVERY) {
				return None;
			}
			last_scans.insert(*weights_sha256, Instant::now());
		}
		let loaded = match models::load_dir(&self.dir, &self.context) {
			Ok(loaded) => loaded,
			Err(error) => {
				log::warn!(target: "aichain::provider", "reading {} again: {error}", self.dir.display());
				return None;
			},
		};
		for model in loaded {
			let sha = model.model.card().weights_sha256;
			if models.contains_key(&sha) {
				continue;
			}
			let id = models.values().max().map_or(0, |m| m + 1);
			log::info!(target: "aichain::provider", "new model {} (sha256 {}) serving as engine model {id}", model.model.card().name, model.model.card().sha256_hex());
			if self.engine.add_model(id, model) {
				models.insert(sha, id);
			}
		}
		models.get(weights_sha256).copied()
	}
}

impl ComputeBackend for EngineBackend {
	fn submit(&self, job: EngineJob) -> Result<(), EngineError> {
		let model = self.model_id(&job.weights_sha256).ok_or(EngineError::UnknownModel)?;
		let request = job.fingerprint();
		let input = input_bytes(self.blobs.get(), job.job, job.input)?;
		let (input, seal_output) = open_sealed(&self.key, job.job, job.sealed.as_ref(), input)?;
		let spec = JobSpec { job: job.job, model, input, tier: job.tier, request, output: job.output, seal_output };
		self.engine.submit(spec).map_err(|error| match error {
			EngineFailure::QueueFull => EngineError::QueueFull,
			EngineFailure::UnknownModel(_) => EngineError::UnknownModel,
			other => {
				log::warn!(target: "aichain::provider", "job {}: refused: {other}", job.job);
				EngineError::Refused
			},
		})
	}

	fn result(&self, job: JobId) -> Option<EngineOutput> {
		let result = self.engine.result(job)?;
		let mut output = result.output;
		if self.dishonest {
			if let Some(first) = output.first_mut() {
				*first ^= 0x40;
			}
		}
		Some(EngineOutput { request: result.request, output, proof: result.proof })
	}

	fn encryption_key(&self) -> Option<[u8; 32]> {
		Some(self.key.public())
	}
}

#[cfg(test)]
mod tests {
	use super::*;
	use aichain_compute::blob::{BlobRef, ManifestView};
	use sp_io::hashing::blake2_256;

	/// A node's indexed data holding `blobs`.
	fn node_with(blobs: &[&[u8]]) -> BlobReader {
		let kept: HashMap<[u8; 32], Vec<u8>> = blobs.iter().map(|b| (blake2_256(b), b.to_vec())).collect();
		Arc::new(move |hash| kept.get(hash).cloned())
	}

	#[test]
	fn a_blob_input_is_read_from_the_node_and_refused_when_missing_or_wrong() {
		let pieces: [&[u8]; 2] = [b"A provider node embeds ", b"this sentence for the chain."];
		let manifest = ManifestView { total_size: 51, chunks: pieces.iter().map(|p| blake2_256(p)).collect() }.to_blob();
		let file = EngineInput::Blob(BlobRef { hash: blake2_256(&manifest), size: 51 });
		let full = node_with(&[pieces[0], pieces[1], &manifest]);
		assert_eq!(input_bytes(Some(&full), 1, file.clone()), Ok(b"A provider node embeds this sentence for the chain.".to_vec()));
		assert_eq!(input_bytes(None, 1, EngineInput::Inline(vec![7])), Ok(vec![7]));
		// A node without a piece (pruned, synced without bodies), or before its client exists.
		let partial = node_with(&[pieces[0], &manifest]);
		assert_eq!(input_bytes(Some(&partial), 1, file.clone()), Err(EngineError::InputUnavailable));
		assert_eq!(input_bytes(None, 1, file.clone()), Err(EngineError::InputUnavailable));
		// Bytes under a hash that are not its bytes (a corrupt database): never run.
		let second = blake2_256(pieces[1]);
		let kept: HashMap<[u8; 32], Vec<u8>> = [pieces[0], &manifest]
			.iter()
			.map(|b| (blake2_256(b), b.to_vec()))
			.chain([(second, b"THIS SENTENCE FOR THE CHAIN.".to_vec())])
			.collect();
		let corrupt: BlobReader = Arc::new(move |hash| kept.get(hash).cloned());
		assert_eq!(input_bytes(Some(&corrupt), 1, file.clone()), Err(EngineError::InputUnavailable));
		// A size other than the chain's record.
		let wrong_size = EngineInput::Blob(BlobRef { hash: blake2_256(&manifest), size: 50 });
		assert_eq!(input_bytes(Some(&full), 1, wrong_size), Err(EngineError::InputUnavailable));
	}

	#[test]
	fn a_sealed_input_opens_only_with_this_nodes_key_and_the_committed_job_key() {
		use rand::{rngs::StdRng, SeedableRng};
		let mut rng = StdRng::seed_from_u64(7);
		let (node, other) = (WorkerKey::generate(&mut rng), WorkerKey::generate(&mut rng));
		let job_key = sealed::new_job_key(&mut rng);
		let input = sealed::seal_input(&job_key, b"line one\nline two", &mut rng);
		let to = |worker: &WorkerKey, key: &[u8; 32]| SealedJobKey {
			sealed_key: sealed::seal_key(&worker.public(), key, &mut StdRng::seed_from_u64(8)),
			key_commitment: sealed::key_commitment(&job_key),
		};
		assert_eq!(
			open_sealed(&node, 1, Some(&to(&node, &job_key)), input.clone()),
			Ok((b"line one\nline two".to_vec(), Some(job_key)))
		);
		assert_eq!(open_sealed(&node, 1, None, vec![1, 2]), Ok((vec![1, 2], None)), "an unsealed job's input as it is");
		// Sealed to another node, a key other than the committed one, a tampered input.
		assert_eq!(open_sealed(&node, 1, Some(&to(&other, &job_key)), input.clone()), Err(EngineError::Refused));
		assert_eq!(open_sealed(&node, 1, Some(&to(&node, &[9; 32])), input.clone()), Err(EngineError::Refused));
		let mut tampered = input;
		tampered[30] ^= 1;
		assert_eq!(open_sealed(&node, 1, Some(&to(&node, &job_key)), tampered), Err(EngineError::Refused));
	}
}
