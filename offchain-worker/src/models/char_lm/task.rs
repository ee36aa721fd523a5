//! The two tasks a provider runs for a DiLoCo training's rounds, on the files of
//! [`aichain_compute::diloco`]:
//!
//! - [`run_shard`]: a shard task's header and the global parameters in; `steps` AdamW steps on
//!   slice `shard` of `shards` of the training plays; the change out, quantized
//!   ([`super::change`]);
//! - [`run_outer`]: an outer task's header, the parameters, the outer momentum and the round's
//!   agreed changes in; the outer step ([`super::outer`]) and the next parameters' validation
//!   loss; out, the hashes of the next state's files ([`OuterResult`]) and the files
//!   themselves, which whoever stores the next state (a client) computes the same way.
//!
//! Everything else a shard does is fixed by its [`Recipe`], which the model's identity on chain
//! (its weights hash) covers, so replicas and the outer step agree on the optimizer, the batch
//! and the change's scale.

use super::{
	change::{change_len, change_scale, decode_change, encode_change},
	corpus::Corpus,
	layout::CharLmConfig,
	outer::{outer_step, OuterOptimizer},
	training::{bits_per_character, train_shard, LocalTraining},
};
use crate::{blake2b_256, Error, Result};
use aichain_compute::diloco::{file_hash, OuterResult, OuterTask, ShardTask};
use candle_core::Device;

/// The most shards in a round (the width of [`OuterResult::rejected`]).
pub const MAX_SHARDS: u32 = 32;

/// How a character model trains in rounds: the model, the local optimizer (all but its number
/// of steps, which each round's tasks give), the validation and the outer optimizer.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Recipe {
	/// The model.
	pub config: CharLmConfig,
	/// Windows per local step.
	pub batch_size: usize,
	/// AdamW's learning rate.
	pub learning_rate: f64,
	/// AdamW's decoupled weight decay.
	pub weight_decay: f64,
	/// The most local steps a task may ask for.
	pub max_steps: u32,
	/// Evenly spaced windows of the validation plays the loss is measured on.
	pub validation_windows: usize,
	/// The outer step.
	pub outer: OuterOptimizer,
}

impl Recipe {
	/// The recipe of the test suite's ~0.1M-parameter model.
	pub const SMALL: Self = Self {
		config: CharLmConfig::SMALL,
		batch_size: 16,
		learning_rate: 3e-3,
		weight_decay: 0.01,
		max_steps: 1_000,
		validation_windows: 128,
		outer: OuterOptimizer { learning_rate: 0.7, momentum: 0.9, outlier_factor: 2.0 },
	};

	/// The local training of a task of `steps` steps.
	pub fn local(&self, steps: u32) -> LocalTraining {
		LocalTraining {
			steps: steps as usize,
			batch_size: self.batch_size,
			learning_rate: self.learning_rate,
			weight_decay: self.weight_decay,
		}
	}

	/// The value of one quantization step of a change from `steps` local steps.
	pub fn change_scale(&self, steps: u32) -> f32 {
		change_scale(steps, self.learning_rate)
	}

	/// Checks a task's shard count and steps.
	fn check(&self, shards: u32, steps: u32) -> Result<()> {
		if shards == 0 || shards > MAX_SHARDS || steps == 0 || steps > self.max_steps {
			return Err(Error::InvalidInput(format!(
				"{shards} shards of {steps} steps: at most {MAX_SHARDS} shards of 1 to {} steps",
				self.max_steps
			)));
		}
		Ok(())
	}
}

/// The little-endian bytes of a flat vector (parameters, momentum): a state file.
pub fn vector_to_bytes(values: &[f32]) -> Vec<u8> {
	values.iter().flat_map(|v| v.to_le_bytes()).collect()
}

/// The flat vector of `config` a state file holds (`what`, for errors): exactly its length,
/// every value finite.
pub fn vector_from_bytes(config: &CharLmConfig, what: &'static str, bytes: &[u8]) -> Result<Vec<f32>> {
	if bytes.len() % 4 != 0 {
		return Err(Error::Malformed { what, detail: format!("{} bytes, not whole f32s", bytes.len()) });
	}
	config.check_length(what, bytes.len() / 4)?;
	let values: Vec<f32> = bytes.chunks_exact(4).map(|c| f32::from_le_bytes([c[0], c[1], c[2], c[3]])).collect();
	if let Some(bad) = values.iter().position(|v| !v.is_finite()) {
		return Err(Error::Malformed { what, detail: format!("value {bad} is not finite") });
	}
	Ok(values)
}

/// A shard task read and checked: its header and the global parameters.
pub fn parse_shard(recipe: &Recipe, file: &[u8]) -> Result<(ShardTask, Vec<f32>)> {
	let (task, parameters) = ShardTask::parse(file)
		.ok_or_else(|| Error::Malformed { what: "shard task", detail: "no shard task header".into() })?;
	recipe.check(task.shards, task.steps)?;
	if task.shard >= task.shards {
		return Err(Error::InvalidInput(format!("shard {} of {}", task.shard, task.shards)));
	}
	Ok((task, vector_from_bytes(&recipe.config, "global parameters", parameters)?))
}

/// Slice `shard` of `shards` equal slices of `text`.
pub fn shard_slice(text: &[u8], shard: u32, shards: u32) -> &[u8] {
	let bound = |i: u32| (text.len() as u128 * u128::from(i) / u128::from(shards.max(1))) as usize;
	&text[bound(shard)..bound(shard + 1)]
}

/// Runs a shard task on `device`: its change, as a row output.
pub fn run_shard(device: &Device, recipe: &Recipe, corpus: &Corpus, file: &[u8]) -> Result<Vec<u8>> {
	let (task, global) = parse_shard(recipe, file)?;
	let text = shard_slice(&corpus.training, task.shard, task.shards);
	let local = train_shard(device, recipe.config, &global, text, &recipe.local(task.steps), task.seed)?;
	encode_change(&recipe.config, &global, &local.parameters, recipe.change_scale(task.steps))
}

/// An outer task read and checked: its header, the parameters, the momentum and each change.
pub struct OuterInputs {
	/// The header.
	pub task: OuterTask,
	/// The round's parameters.
	pub parameters: Vec<f32>,
	/// The outer optimizer's momentum.
	pub momentum: Vec<f32>,
	/// Each shard's change, in shard order.
	pub changes: Vec<Vec<f32>>,
}

/// Reads and checks an outer task.
pub fn parse_outer(recipe: &Recipe, file: &[u8]) -> Result<OuterInputs> {
	let (task, body) = OuterTask::parse(file)
		.ok_or_else(|| Error::Malformed { what: "outer task", detail: "no outer task header".into() })?;
	recipe.check(task.shards, task.steps)?;
	let config = &recipe.config;
	let vector = 4 * config.parameter_count();
	let expected = 2 * vector + task.shards as usize * change_len(config);
	if body.len() != expected {
		return Err(Error::Malformed {
			what: "outer task",
			detail: format!("{} bytes after the header, {} shards need {expected}", body.len(), task.shards),
		});
	}
	let (parameters, rest) = body.split_at(vector);
	let (momentum, changes) = rest.split_at(vector);
	let scale = recipe.change_scale(task.steps);
	Ok(OuterInputs {
		task,
		parameters: vector_from_bytes(config, "parameters", parameters)?,
		momentum: vector_from_bytes(config, "outer momentum", momentum)?,
		changes: changes.chunks_exact(change_len(config)).map(|c| decode_change(config, c, scale)).collect::<Result<_>>()?,
	})
}

/// What an outer task computes: its inline output and the next state's files.
#[derive(Clone, Debug, PartialEq)]
pub struct OuterOutcome {
	/// The task's output.
	pub result: OuterResult,
	/// The next parameters' file.
	pub parameters: Vec<u8>,
	/// The next momentum's file.
	pub momentum: Vec<u8>,
}

/// Runs an outer task.
pub fn run_outer(recipe: &Recipe, corpus: &Corpus, file: &[u8]) -> Result<OuterOutcome> {
	let OuterInputs { parameters, mut momentum, changes, .. } = parse_outer(recipe, file)?;
	let step = outer_step(&recipe.config, &parameters, &mut momentum, &changes, &recipe.outer)?;
	let bits = bits_per_character(recipe.config, &step.parameters, &corpus.validation, recipe.validation_windows)?;
	let (parameters, momentum) = (vector_to_bytes(&step.parameters), vector_to_bytes(&momentum));
	let hash = |bytes: &[u8]| blake2b_256(&[bytes]);
	let result = OuterResult {
		parameters: file_hash(&parameters, hash),
		momentum: file_hash(&momentum, hash),
		validation_millibits: (bits * 1000.0).round() as u32,
		rejected: step.rejected.iter().fold(0u32, |mask, &i| mask | 1 << i),
	};
	Ok(OuterOutcome { result, parameters, momentum })
}
