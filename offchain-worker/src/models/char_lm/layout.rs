//! The character model's hyper-parameters and the layout of its flat parameter vector.
//!
//! The state of a model is one `Vec<f32>`: every tensor of [`CharLmConfig::tensors`], in that
//! order, row-major. Replicas exchange, hash and average this vector; [`crate::models::char_lm::CharLm`]
//! builds its tensors from it and writes them back.

use crate::{Error, Result};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// Tokens are bytes.
pub const VOCAB: usize = 256;

/// The size of a character model.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CharLmConfig {
	/// Tokens of context (the longest sequence the model reads).
	pub context: usize,
	/// Width of the residual stream.
	pub width: usize,
	/// Transformer blocks.
	pub layers: usize,
	/// Attention heads per block (they split `width`).
	pub heads: usize,
}

/// How a tensor is initialised.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Init {
	/// Normal with this standard deviation.
	Normal(f32),
	/// All zeros (biases, norm shifts).
	Zeros,
	/// All ones (norm scales).
	Ones,
}

/// One parameter tensor: its name, shape and initialisation.
#[derive(Clone, Debug, PartialEq)]
pub struct TensorSpec {
	/// A dotted name (`block0.attention.qkv.weight`).
	pub name: String,
	/// Its dimensions.
	pub shape: Vec<usize>,
	/// How it starts.
	pub init: Init,
}

impl TensorSpec {
	/// Its number of values.
	pub fn len(&self) -> usize {
		self.shape.iter().product()
	}

	/// Whether it has no values.
	pub fn is_empty(&self) -> bool {
		self.len() == 0
	}
}

impl CharLmConfig {
	/// The size trained in the test suite: 2 blocks of width 64 over 64 characters (~0.1M
	/// parameters).
	pub const SMALL: Self = Self { context: 64, width: 64, layers: 2, heads: 4 };

	/// Checks that the heads split the width and that every size is non-zero.
	pub fn validate(&self) -> Result<()> {
		if self.context == 0 || self.width == 0 || self.layers == 0 || self.heads == 0 || self.width % self.heads != 0 {
			return Err(Error::Malformed { what: "character model config", detail: format!("{self:?}") });
		}
		Ok(())
	}

	/// Every parameter tensor, in the order of the flat vector. Weights of linear maps are
	/// `[out, in]` (candle's `Linear`); residual projections start smaller (GPT-2's
	/// `0.02 / sqrt(2 · layers)`).
	pub fn tensors(&self) -> Vec<TensorSpec> {
		let (w, std) = (self.width, 0.02);
		let residual_std = std / ((2 * self.layers) as f32).sqrt();
		let spec = |name: String, shape: Vec<usize>, init| TensorSpec { name, shape, init };
		let mut tensors = vec![
			spec("token_embedding".into(), vec![VOCAB, w], Init::Normal(std)),
			spec("position_embedding".into(), vec![self.context, w], Init::Normal(std)),
		];
		for layer in 0..self.layers {
			let p = format!("block{layer}");
			tensors.extend([
				spec(format!("{p}.norm1.weight"), vec![w], Init::Ones),
				spec(format!("{p}.norm1.bias"), vec![w], Init::Zeros),
				spec(format!("{p}.attention.qkv.weight"), vec![3 * w, w], Init::Normal(std)),
				spec(format!("{p}.attention.qkv.bias"), vec![3 * w], Init::Zeros),
				spec(format!("{p}.attention.out.weight"), vec![w, w], Init::Normal(residual_std)),
				spec(format!("{p}.attention.out.bias"), vec![w], Init::Zeros),
				spec(format!("{p}.norm2.weight"), vec![w], Init::Ones),
				spec(format!("{p}.norm2.bias"), vec![w], Init::Zeros),
				spec(format!("{p}.mlp.up.weight"), vec![4 * w, w], Init::Normal(std)),
				spec(format!("{p}.mlp.up.bias"), vec![4 * w], Init::Zeros),
				spec(format!("{p}.mlp.down.weight"), vec![w, 4 * w], Init::Normal(residual_std)),
				spec(format!("{p}.mlp.down.bias"), vec![w], Init::Zeros),
			]);
		}
		tensors.extend([
			spec("final_norm.weight".into(), vec![w], Init::Ones),
			spec("final_norm.bias".into(), vec![w], Init::Zeros),
			spec("head.weight".into(), vec![VOCAB, w], Init::Normal(std)),
			spec("head.bias".into(), vec![VOCAB], Init::Zeros),
		]);
		tensors
	}

	/// The length of the flat parameter vector.
	pub fn parameter_count(&self) -> usize {
		self.tensors().iter().map(TensorSpec::len).sum()
	}

	/// Checks that a flat vector (parameters, a change, the outer momentum: `what`) of `len`
	/// values fits this model.
	pub fn check_length(&self, what: &'static str, len: usize) -> Result<()> {
		if len != self.parameter_count() {
			return Err(Error::Malformed { what, detail: format!("{len} values, the model has {}", self.parameter_count()) });
		}
		Ok(())
	}

	/// Fresh parameters from `seed` (ChaCha8, Box–Muller normals): the same seed gives the same
	/// vector on every machine.
	pub fn initial_parameters(&self, seed: u64) -> Vec<f32> {
		let mut rng = ChaCha8Rng::seed_from_u64(seed);
		let mut parameters = Vec::with_capacity(self.parameter_count());
		for tensor in self.tensors() {
			for _ in 0..tensor.len() {
				parameters.push(match tensor.init {
					Init::Zeros => 0.0,
					Init::Ones => 1.0,
					Init::Normal(std) => {
						let (u1, u2): (f32, f32) = (rng.gen_range(f32::EPSILON..1.0), rng.gen());
						std * (-2.0 * u1.ln()).sqrt() * (2.0 * std::f32::consts::PI * u2).cos()
					},
				});
			}
		}
		parameters
	}
}
