//! # Models as plug-ins
//!
//! Every model the engine runs is an [`EngineModel`]: what it is on chain (its [`ModelCard`]:
//! kind, weights hash, input and output limits), which inputs it answers, how it runs and, if it
//! is zk-provable, its Groth16 circuit. The engine, the prover, the key tool and the node only
//! ever see this trait.
//!
//! A [`ModelFormat`] finds and loads the models of one kind in a provider's models directory.
//! Each format lives in its own folder here and [`FORMATS`] lists them all: **adding a model is
//! its folder plus one line in that list** (`docs/compute-engine.md`, "Adding a model").
//!
//! - [`digits`]: the handwritten-digits MLP (64 → 32 → 10), its training and its circuit;
//! - [`fixed_mlp`]: any fixed-point feed-forward network read from a safetensors file, with a
//!   circuit built from the file (the model kind dApp developers bring their own models in);
//! - [`minilm`]: MiniLM-L6 sentence embeddings (not provable);
//! - [`char_lm`]: a character-level transformer language model trained in DiLoCo rounds: its
//!   shard tasks (local training, blob output) and outer tasks (the outer step, inline output),
//!   served when the plays it trains on are installed;
//! - [`training_step`]: the provable training step of federated rounds (built in, no file);
//! - [`circom`]: circom circuits with their snarkjs `.zkey`, proven from their own witness
//!   generator;
//! - [`private_fl`]: a hospital's member of private federated learning, served from the node's
//!   membership configs (not from the models directory).

pub mod char_lm;
pub mod circom;
pub mod digits;
pub mod fixed_mlp;
pub mod minilm;
pub mod private_fl;
pub mod training_step;

use crate::{Error, Result};
use aichain_compute::{blob::RowOutputShape, ModelKind};
use ark_bn254::{Bn254, Fr};
use ark_groth16::ProvingKey;
use aichain_zk::Proof;
use ark_relations::gr1cs::{ConstraintSystemRef, SynthesisError};
use ark_std::rand::RngCore;
use std::path::{Path, PathBuf};

/// Every model format the engine knows, in the order a models directory is searched.
pub const FORMATS: &[&dyn ModelFormat] = &[
	&digits::DigitsFormat,
	&fixed_mlp::FixedMlpFormat,
	&minilm::MiniLmFormat,
	&char_lm::CharLmFormat,
	&training_step::TrainingStepFormat,
	&circom::CircomFormat,
	&private_fl::node::PrivateFlFormat,
];

/// What the chain records of a model, as the engine derives it from the model's files: the
/// fields of the models pallet's `ModelSpec` that must match for providers to serve it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ModelCard {
	/// A human-readable name (for logs and the key tool).
	pub name: String,
	/// The kind registered on chain (tells the runtime how to check inputs).
	pub kind: ModelKind,
	/// The SHA-256 of the weights file: the model's identity on chain and in the key cache.
	pub weights_sha256: [u8; 32],
	/// Bytes of input the model takes at most (exactly, for fixed-size kinds).
	pub max_input_len: u32,
	/// Bytes of output it produces at most.
	pub max_output_len: u32,
	/// How far two honest providers' outputs may differ per signed byte (0: exactly equal).
	pub output_tolerance: u8,
}

impl ModelCard {
	/// The weights hash in hex, as the chain's tools print it.
	pub fn sha256_hex(&self) -> String {
		hex(&self.weights_sha256)
	}

	/// The `aichain-client register-model` arguments this model needs (without name, price and
	/// verifying key), so that the chain's record matches what providers serve.
	pub fn register_arguments(&self) -> String {
		// The client takes the runtime's variant names in kebab case (`TrainingStep`: `training-step`).
		let kind = format!("{:?}", self.kind).chars().enumerate().fold(String::new(), |mut kebab, (i, c)| {
			if c.is_uppercase() && i > 0 {
				kebab.push('-');
			}
			kebab.push(c.to_ascii_lowercase());
			kebab
		});
		format!(
			"--kind {kind} --weights-sha256 {} --max-input-len {} --max-output-len {} --output-tolerance {}",
			self.sha256_hex(),
			self.max_input_len,
			self.max_output_len,
			self.output_tolerance
		)
	}
}

/// A claim that `output = model(input)`, to be proven.
#[derive(Clone, Copy, Debug)]
pub struct Claim<'a> {
	/// The job's input.
	pub input: &'a [u8],
	/// The claimed output.
	pub output: &'a [u8],
}

/// A model's circuit, ready to synthesize its constraints into a constraint system.
pub type Synthesizer<'a> = Box<dyn FnOnce(ConstraintSystemRef<Fr>) -> Result<(), SynthesisError> + 'a>;

/// A model the engine can run: the one interface every model implements.
pub trait EngineModel: Send + Sync {
	/// What the chain records of it.
	fn card(&self) -> &ModelCard;

	/// Checks a job's input before it is queued. An input the chain accepted but this model
	/// cannot answer is refused here, so the provider declines the job (and is not slashed)
	/// instead of never answering. The default is the chain's own check for the card's kind.
	fn check_input(&self, input: &[u8]) -> Result<()> {
		let card = self.card();
		aichain_compute::validate_input(card.kind, card.max_input_len, input)
			.map_err(|error| Error::InvalidInput(format!("{error:?}")))
	}

	/// The output for a checked input.
	fn run(&self, input: &[u8]) -> Result<Vec<u8>>;

	/// Checks the input of a blob-output job, answered with a row output of `shape`, before it
	/// is queued (a refusal: the provider declines). The default: the model has no row
	/// outputs.
	fn check_rows_input(&self, _input: &[u8], _shape: RowOutputShape) -> Result<()> {
		Err(Error::InvalidInput(format!("{} has no row outputs", self.card().name)))
	}

	/// The row output ([`aichain_compute::blob::RowOutput`]) of `shape` for a checked input.
	fn run_rows(&self, _input: &[u8], _shape: RowOutputShape) -> Result<Vec<u8>> {
		Err(Error::InvalidInput(format!("{} has no row outputs", self.card().name)))
	}

	/// The Groth16 circuit of `claim` (`None`: the circuit's shape, for key generation), whose
	/// public inputs are [`aichain_compute::zk_public_inputs`]`(input, output)`; `None` if the
	/// model is not provable. A false claim must leave the constraints unsatisfiable.
	fn circuit<'a>(&'a self, _claim: Option<Claim<'a>>) -> Option<Synthesizer<'a>> {
		None
	}

	/// Whether zk-tier jobs can be proven (given a proving key): by default, whether it has a
	/// [`EngineModel::circuit`].
	fn is_provable(&self) -> bool {
		self.circuit(None).is_some()
	}

	/// The proving key that comes with the model's own files (a circom model's `.zkey`); `None`
	/// (the default): the provider's key cache `keys/<weights sha256>.pk` has it.
	fn bundled_proving_key(&self) -> Option<Result<ProvingKey<Bn254>>> {
		None
	}

	/// Proves `claim` with `proving_key` itself, drawing the proof's randomness from `rng`, for
	/// models whose proofs are not synthesized from a [`Synthesizer`] (circom circuits, proven
	/// from their witness). `None` (the default): the engine proves [`EngineModel::circuit`].
	fn prove(&self, _proving_key: &ProvingKey<Bn254>, _claim: Claim<'_>, _rng: &mut dyn RngCore) -> Option<Result<Proof>> {
		None
	}
}

/// How a model format finds and loads its models in a provider's models directory.
pub trait ModelFormat: Sync {
	/// The format's name (logs).
	fn name(&self) -> &'static str;

	/// Every model of this format in `dir`: the files or folders it recognises, loaded. Files it
	/// does not recognise are left to the other formats.
	fn load(&self, dir: &Path, context: &LoadContext) -> Result<Vec<Box<dyn EngineModel>>>;
}

/// What loading a model may need besides its files.
pub struct LoadContext {
	/// Where candle models run.
	pub device: candle_core::Device,
	/// A provider node's private-training memberships (`None`: the node serves none).
	pub private_fl: Option<private_fl::node::PrivateFlContext>,
}

impl LoadContext {
	/// Models on the CPU, no memberships (the key tool, tests).
	pub fn cpu() -> Self {
		Self { device: candle_core::Device::Cpu, private_fl: None }
	}
}

/// A model loaded with its proving key (zk-tier jobs need one).
pub struct LoadedModel {
	/// The model.
	pub model: Box<dyn EngineModel>,
	/// Its proving key, if the provider has it.
	pub proving_key: Option<ProvingKey<Bn254>>,
}

impl LoadedModel {
	/// `model` with `proving_key`.
	pub fn new(model: impl EngineModel + 'static, proving_key: Option<ProvingKey<Bn254>>) -> Self {
		Self { model: Box::new(model), proving_key }
	}
}

/// Every model in `dir`, of every format in [`FORMATS`], each with its proving key (its own, or
/// `dir/keys/<weights sha256>.pk` if there is one). Two models with the same weights hash are
/// one model (the first is kept).
pub fn load_dir(dir: &Path, context: &LoadContext) -> Result<Vec<LoadedModel>> {
	let keys = crate::prover::KeyCache::new(dir.join("keys"));
	let mut loaded: Vec<LoadedModel> = Vec::new();
	for format in FORMATS {
		for model in format.load(dir, context)? {
			let card = model.card();
			if loaded.iter().any(|l| l.model.card().weights_sha256 == card.weights_sha256) {
				continue;
			}
			let provable = model.is_provable();
			let proving_key = match model.bundled_proving_key() {
				Some(Ok(key)) => Some(key),
				Some(Err(error)) => {
					log::warn!(target: "aichain::engine", "{}: its proving key does not load: {error}", card.name);
					continue;
				},
				None if provable => keys.get(&card.weights_sha256)?,
				None => None,
			};
			log::info!(
				target: "aichain::engine",
				"{} model {} (sha256 {}): {}",
				format.name(),
				card.name,
				card.sha256_hex(),
				match (&proving_key, provable) {
					(Some(_), _) => "zk with its proving key",
					(None, true) => "no proving key: no zk jobs",
					(None, false) => "not provable",
				},
			);
			loaded.push(LoadedModel { model, proving_key });
		}
	}
	Ok(loaded)
}

/// Loads, with `load`, every top-level `*.safetensors` file of `dir` tagged `tag` (see
/// [`safetensors_files_tagged`]). A file that fails to load is skipped with a warning naming it,
/// so that one bad model file does not stop a provider serving the others.
pub fn load_tagged(
	dir: &Path,
	tag: &str,
	load: impl Fn(&Path) -> Result<Box<dyn EngineModel>>,
) -> Result<Vec<Box<dyn EngineModel>>> {
	let mut models = Vec::new();
	for path in safetensors_files_tagged(dir, tag)? {
		match load(&path) {
			Ok(model) => models.push(model),
			Err(error) => log::warn!(target: "aichain::engine", "{}: not loaded: {error}", path.display()),
		}
	}
	Ok(models)
}

/// The top-level `*.safetensors` files of `dir` whose `aichain` metadata entry (the format tag
/// every quantized model file carries) is `tag`, in name order. Only the files' headers are read
/// here.
pub fn safetensors_files_tagged(dir: &Path, tag: &str) -> Result<Vec<PathBuf>> {
	let mut files: Vec<PathBuf> = match std::fs::read_dir(dir) {
		Ok(entries) => entries.flatten().map(|e| e.path()).collect(),
		Err(_) => return Ok(Vec::new()),
	};
	files.retain(|p| p.is_file() && p.extension().is_some_and(|e| e == "safetensors"));
	files.sort();
	let mut tagged = Vec::new();
	for path in files {
		if safetensors_tag(&path)?.is_some_and(|t| t == tag) {
			tagged.push(path);
		}
	}
	Ok(tagged)
}

/// `safetensors::serialize` with the header's keys in sorted order: the crate writes its metadata
/// map in hash order, so the same model would get other bytes (and another SHA-256, its identity
/// on chain) on every write.
pub fn serialize_safetensors<'a>(
	tensors: Vec<(String, safetensors::tensor::TensorView<'a>)>,
	metadata: std::collections::HashMap<String, String>,
) -> Result<Vec<u8>> {
	let bad = |detail: String| Error::Malformed { what: "safetensors encoding", detail };
	let bytes = safetensors::serialize(tensors, Some(metadata)).map_err(|e| bad(e.to_string()))?;
	let length = u64::from_le_bytes(bytes[..8].try_into().map_err(|_| bad("no header".into()))?) as usize;
	let header: serde_json::Value = serde_json::from_slice(&bytes[8..8 + length]).map_err(|e| bad(e.to_string()))?;
	let sorted = |value: &serde_json::Value| -> serde_json::Value {
		match value.as_object() {
			Some(map) => {
				let mut keys: Vec<&String> = map.keys().collect();
				keys.sort();
				serde_json::Value::Object(keys.into_iter().map(|k| (k.clone(), map[k].clone())).collect())
			},
			None => value.clone(),
		}
	};
	let mut top = serde_json::Map::new();
	let entries = header.as_object().ok_or_else(|| bad("the header is not an object".into()))?;
	let mut names: Vec<&String> = entries.keys().collect();
	names.sort();
	for name in names {
		top.insert(name.clone(), sorted(&entries[name]));
	}
	let mut json = serde_json::to_vec(&serde_json::Value::Object(top)).map_err(|e| bad(e.to_string()))?;
	// The tensor data starts 8-byte aligned, as safetensors writes it.
	json.resize(json.len().next_multiple_of(8), b' ');
	let mut out = (json.len() as u64).to_le_bytes().to_vec();
	out.extend_from_slice(&json);
	out.extend_from_slice(&bytes[8 + length..]);
	Ok(out)
}

/// The metadata key of a quantized model file's format tag.
pub const FORMAT_KEY: &str = "aichain";

/// The `aichain` metadata entry of a safetensors file, reading only its header; `None` if the
/// file is not safetensors or has no such entry.
fn safetensors_tag(path: &Path) -> Result<Option<String>> {
	use std::io::Read;
	let io = |source| Error::Io { path: path.to_owned(), source };
	let mut file = std::fs::File::open(path).map_err(io)?;
	let mut length = [0u8; 8];
	if file.read_exact(&mut length).is_err() {
		return Ok(None);
	}
	let length = u64::from_le_bytes(length);
	if length > 1 << 20 {
		return Ok(None);
	}
	let mut header = vec![0u8; length as usize];
	if file.read_exact(&mut header).is_err() {
		return Ok(None);
	}
	let header: serde_json::Value = match serde_json::from_slice(&header) {
		Ok(header) => header,
		Err(_) => return Ok(None),
	};
	Ok(header.get("__metadata__").and_then(|m| m.get(FORMAT_KEY)).and_then(|t| t.as_str()).map(str::to_owned))
}

/// Bytes as lowercase hex.
pub fn hex(bytes: &[u8]) -> String {
	bytes.iter().map(|b| format!("{b:02x}")).collect()
}
