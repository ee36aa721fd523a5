//! # MiniLM-L6 sentence embeddings
//!
//! all-MiniLM-L6-v2 ([`embedding`]: tokenizer, pooling, the job's byte output; [`encoder`]: its
//! BERT encoder in candle; [`batch`]: a whole document, one row per line, for blob-output
//! jobs). Too large to prove: served on the redundancy and optimistic tiers,
//! where providers' outputs agree within a tolerance of 1 per signed byte.
//!
//! Files: `<models dir>/all-minilm-l6-v2/` (`config.json`, `model.safetensors`,
//! `tokenizer.json`, fetched by `scripts/fetch-models.sh`); the weights hash on chain is that
//! of `model.safetensors`.

pub mod batch;
pub mod embedding;
pub mod encoder;

use super::{EngineModel, LoadContext, ModelCard, ModelFormat};
use crate::{Error, Result};
use aichain_compute::{blob::RowOutputShape, ModelKind};
use embedding::{SentenceEmbedder, DIMENSIONS, MODEL_FOLDER};
use sha2::{Digest, Sha256};
use std::path::Path;

/// Bytes of text a job may give (what the chain's model record allows).
pub const MAX_INPUT_LEN: u32 = 512;

/// The embedder as the engine serves it.
pub struct MiniLmModel {
	embedder: SentenceEmbedder,
	card: ModelCard,
}

impl MiniLmModel {
	/// Loads the model from `<models_dir>/all-minilm-l6-v2` onto `device`.
	pub fn load(models_dir: &Path, device: &candle_core::Device) -> Result<Self> {
		let embedder = SentenceEmbedder::load(models_dir, device)?;
		let weights = crate::read_file(&models_dir.join(MODEL_FOLDER).join("model.safetensors"))?;
		let card = ModelCard {
			name: String::from(MODEL_FOLDER),
			kind: ModelKind::Embedding,
			weights_sha256: Sha256::digest(&weights).into(),
			max_input_len: MAX_INPUT_LEN,
			max_output_len: DIMENSIONS as u32,
			output_tolerance: 1,
		};
		Ok(Self { embedder, card })
	}
}

impl EngineModel for MiniLmModel {
	fn card(&self) -> &ModelCard {
		&self.card
	}

	fn check_input(&self, input: &[u8]) -> Result<()> {
		std::str::from_utf8(input)
			.map(drop)
			.map_err(|e| Error::Malformed { what: "embedding job input (UTF-8 text)", detail: e.to_string() })
	}

	fn run(&self, input: &[u8]) -> Result<Vec<u8>> {
		self.embedder.infer(input)
	}

	fn check_rows_input(&self, input: &[u8], shape: RowOutputShape) -> Result<()> {
		batch::checked_lines(input, shape).map(drop)
	}

	fn run_rows(&self, input: &[u8], shape: RowOutputShape) -> Result<Vec<u8>> {
		self.embedder.embed_document(input, shape)
	}
}

/// Finds the MiniLM folder.
pub struct MiniLmFormat;

impl ModelFormat for MiniLmFormat {
	fn name(&self) -> &'static str {
		"MiniLM-L6 embeddings"
	}

	fn load(&self, dir: &Path, context: &LoadContext) -> Result<Vec<Box<dyn EngineModel>>> {
		if !dir.join(MODEL_FOLDER).is_dir() {
			return Ok(Vec::new());
		}
		Ok(vec![Box::new(MiniLmModel::load(dir, &context.device)?)])
	}
}
