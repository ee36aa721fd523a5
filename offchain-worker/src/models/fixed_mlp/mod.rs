//! # Any fixed-point feed-forward network, proven
//!
//! The model kind dApp developers bring their own models in: a network of any shape within
//! [`network::limits`] (layers, widths, ReLU or no activation, a shift per layer), read from a
//! safetensors file ([`file`]), run in exact integer arithmetic ([`network`]) and proven by a
//! circuit built from the same file ([`circuit`]). [`quantize`] turns a float network (PyTorch or
//! candle safetensors) into one, with calibration data, and [`evaluate`] compares the two on
//! labelled data; the `quantize-mlp` binary is their command line.
//!
//! On chain it is a `Classifier`: a job's input is exactly `4 · inputs` bytes (little-endian
//! `i32`s within the file's `input_bits`), its output `4 · outputs` bytes (`i32`s).
//!
//! Files: `<models dir>/*.safetensors` tagged [`file::FORMAT`]; the weights hash on chain is the
//! file's SHA-256, and its proving key is `keys/<sha256>.pk`.

pub mod circuit;
pub mod evaluate;
pub mod file;
pub mod network;
pub mod quantize;

use super::{Claim, EngineModel, LoadContext, ModelCard, ModelFormat, Synthesizer};
use crate::{Error, Result};
use aichain_compute::{fixed, ModelKind};
use file::ModelFile;
use network::LayerBounds;
use sha2::{Digest, Sha256};
use std::path::Path;

/// A fixed-point MLP as the engine serves it.
pub struct FixedMlpModel {
	file: ModelFile,
	bounds: Vec<LayerBounds>,
	card: ModelCard,
}

impl FixedMlpModel {
	/// The model in `bytes` (a model file), named `name`; its weights hash is their SHA-256.
	pub fn from_bytes(bytes: &[u8], name: &str) -> Result<Self> {
		let file = ModelFile::from_bytes(bytes)?;
		let bounds = file.network.bounds()?;
		let card = ModelCard {
			name: name.to_owned(),
			kind: ModelKind::Classifier,
			weights_sha256: Sha256::digest(bytes).into(),
			max_input_len: 4 * file.network.inputs() as u32,
			max_output_len: 4 * file.network.outputs() as u32,
			output_tolerance: 0,
		};
		Ok(Self { file, bounds, card })
	}

	/// Reads the model file at `path`.
	pub fn load(path: &Path) -> Result<Self> {
		let name = path.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
		Self::from_bytes(&crate::read_file(path)?, &name)
	}

	/// The model file.
	pub fn file(&self) -> &ModelFile {
		&self.file
	}

	/// The number of constraints of its circuit.
	pub fn constraints(&self) -> usize {
		self.file.network.constraints(&self.bounds)
	}

	fn decode(&self, input: &[u8]) -> Result<Vec<i32>> {
		let expected = 4 * self.file.network.inputs();
		let values = fixed::decode_i32(input)
			.filter(|v| 4 * v.len() == expected)
			.ok_or(Error::InputLength { expected, got: input.len() })?;
		self.file.network.check_inputs(&values)?;
		Ok(values)
	}
}

impl EngineModel for FixedMlpModel {
	fn card(&self) -> &ModelCard {
		&self.card
	}

	fn check_input(&self, input: &[u8]) -> Result<()> {
		self.decode(input).map(drop)
	}

	fn run(&self, input: &[u8]) -> Result<Vec<u8>> {
		Ok(fixed::encode_i32(&self.file.network.forward(&self.decode(input)?)?))
	}

	fn circuit<'a>(&'a self, claim: Option<Claim<'a>>) -> Option<Synthesizer<'a>> {
		Some(Box::new(move |cs: ark_relations::gr1cs::ConstraintSystemRef<ark_bn254::Fr>| {
			circuit::synthesize(&self.file.network, &self.bounds, claim.map(|c| (c.input, c.output)), cs)
		}))
	}
}

/// Finds fixed-point MLPs: `*.safetensors` files tagged [`file::FORMAT`].
pub struct FixedMlpFormat;

impl ModelFormat for FixedMlpFormat {
	fn name(&self) -> &'static str {
		"fixed-point MLP"
	}

	fn load(&self, dir: &Path, _: &LoadContext) -> Result<Vec<Box<dyn EngineModel>>> {
		super::load_tagged(dir, file::FORMAT, |path| Ok(Box::new(FixedMlpModel::load(path)?)))
	}
}
