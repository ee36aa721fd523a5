//! # The provable training step
//!
//! One gradient step of a 16-feature linear model on a shard of 8 samples ([`circuit`]), the
//! unit of work of federated training rounds (`pallets/training`). It has no weights file: its
//! parameters are part of every job's input, and it is identified on chain by
//! [`circuit::circuit_id`] in place of a weights hash. Every provider serves it.

pub mod circuit;

use super::{Claim, EngineModel, LoadContext, ModelCard, ModelFormat, Synthesizer};
use ark_bn254::Fr;
use ark_relations::gr1cs::{ConstraintSynthesizer, ConstraintSystemRef, SynthesisError};
use crate::Result;
use aichain_compute::{fixed, ModelKind};
use std::path::Path;

/// The training step as the engine serves it.
pub struct TrainingStepModel {
	card: ModelCard,
}

impl Default for TrainingStepModel {
	fn default() -> Self {
		Self {
			card: ModelCard {
				name: String::from("training step"),
				kind: ModelKind::TrainingStep,
				weights_sha256: circuit::circuit_id(),
				max_input_len: circuit::INPUT_LEN as u32,
				max_output_len: circuit::OUTPUT_LEN as u32,
				output_tolerance: 0,
			},
		}
	}
}

impl EngineModel for TrainingStepModel {
	fn card(&self) -> &ModelCard {
		&self.card
	}

	/// The step itself is a few hundred multiplications: running it here refuses an input
	/// whose step overflows before it is queued, so the worker can decline it instead of never
	/// answering.
	fn check_input(&self, input: &[u8]) -> Result<()> {
		circuit::run(input).map(drop)
	}

	fn run(&self, input: &[u8]) -> Result<Vec<u8>> {
		circuit::run(input)
	}

	fn circuit<'a>(&'a self, claim: Option<Claim<'a>>) -> Option<Synthesizer<'a>> {
		let circuit = match claim {
			None => Some(circuit::TrainingStepCircuit::default()),
			Some(Claim { input, output }) => fixed::decode_i32(output)
				.and_then(|v| <[i32; circuit::PARAMETERS]>::try_from(v).ok())
				.map(|output| circuit::TrainingStepCircuit { input: Some(input.to_vec()), output: Some(output) }),
		};
		Some(Box::new(move |cs: ConstraintSystemRef<Fr>| {
			circuit.ok_or(SynthesisError::Unsatisfiable)?.generate_constraints(cs)
		}))
	}
}

/// The built-in training step: always loaded.
pub struct TrainingStepFormat;

impl ModelFormat for TrainingStepFormat {
	fn name(&self) -> &'static str {
		"training step"
	}

	fn load(&self, _: &Path, _: &LoadContext) -> Result<Vec<Box<dyn EngineModel>>> {
		Ok(vec![Box::new(TrainingStepModel::default())])
	}
}
