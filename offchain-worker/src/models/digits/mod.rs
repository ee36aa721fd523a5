//! # The digits classifier
//!
//! A 64 → 32 → 10 MLP on 8×8 handwritten digits: [`dataset`] (the data and its split), [`mlp`]
//! (float training with candle), [`quantized`] (the fixed-point model jobs run), [`circuit`] (its
//! Groth16 circuit), [`training`] (data-parallel training of the float model).
//!
//! Files: `<models dir>/*.safetensors` tagged [`quantized::FORMAT`]. A job's input is the 64
//! pixel bytes, its output the ten `i32` logits (40 bytes).

pub mod circuit;
pub mod dataset;
pub mod mlp;
pub mod quantized;
pub mod training;

use super::{Claim, EngineModel, LoadContext, ModelCard, ModelFormat, Synthesizer};
use ark_bn254::Fr;
use ark_relations::gr1cs::{ConstraintSynthesizer, ConstraintSystemRef, SynthesisError};
use crate::{Error, Result};
use aichain_compute::{fixed, ModelKind};
use quantized::{QuantizedMlp, INPUT_LEN, OUTPUT_LEN};
use std::path::Path;

/// The digits classifier as the engine serves it.
pub struct DigitsModel {
	model: QuantizedMlp,
	card: ModelCard,
}

impl DigitsModel {
	/// Serves `model`, named `name` (its weights hash is that of its safetensors encoding).
	pub fn new(model: QuantizedMlp, name: &str) -> Result<Self> {
		let sha = model.sha256()?;
		Ok(Self::with_sha256(model, name, sha))
	}

	/// Reads the model in `path` (its weights hash is the file's SHA-256).
	pub fn load(path: &Path) -> Result<Self> {
		let (model, sha) = QuantizedMlp::load(path)?;
		let name = path.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
		Ok(Self::with_sha256(model, &name, sha))
	}

	fn with_sha256(model: QuantizedMlp, name: &str, weights_sha256: [u8; 32]) -> Self {
		let card = ModelCard {
			name: name.to_owned(),
			kind: ModelKind::Classifier,
			weights_sha256,
			max_input_len: INPUT_LEN as u32,
			max_output_len: OUTPUT_LEN as u32,
			output_tolerance: 0,
		};
		Self { model, card }
	}

	/// The quantized model.
	pub fn model(&self) -> &QuantizedMlp {
		&self.model
	}
}

impl EngineModel for DigitsModel {
	fn card(&self) -> &ModelCard {
		&self.card
	}

	fn check_input(&self, input: &[u8]) -> Result<()> {
		if input.len() != INPUT_LEN {
			return Err(Error::InputLength { expected: INPUT_LEN, got: input.len() });
		}
		Ok(())
	}

	fn run(&self, input: &[u8]) -> Result<Vec<u8>> {
		self.model.infer(input)
	}

	fn circuit<'a>(&'a self, claim: Option<Claim<'a>>) -> Option<Synthesizer<'a>> {
		let circuit = match claim {
			None => Ok(circuit::MlpCircuit::for_setup(&self.model)),
			Some(Claim { input, output }) => {
				let input: Option<[u8; INPUT_LEN]> = input.try_into().ok();
				let logits = fixed::decode_i32(output).and_then(|v| <[i32; 10]>::try_from(v).ok());
				match (input, logits) {
					(Some(input), Some(logits)) => Ok(circuit::MlpCircuit::for_claim(&self.model, input, logits)),
					_ => Err(()),
				}
			},
		};
		Some(Box::new(move |cs: ConstraintSystemRef<Fr>| {
			circuit.map_err(|()| SynthesisError::Unsatisfiable)?.generate_constraints(cs)
		}))
	}
}

/// Finds digits classifiers: `*.safetensors` files tagged [`quantized::FORMAT`].
pub struct DigitsFormat;

impl ModelFormat for DigitsFormat {
	fn name(&self) -> &'static str {
		"digits classifier"
	}

	fn load(&self, dir: &Path, _: &LoadContext) -> Result<Vec<Box<dyn EngineModel>>> {
		super::load_tagged(dir, quantized::FORMAT, |path| Ok(Box::new(DigitsModel::load(path)?)))
	}
}
