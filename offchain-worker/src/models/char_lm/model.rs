//! The forward pass of the character model, from its flat parameters.
//!
//! Every operation here has a backward pass in candle: layer norm and softmax are written out
//! (mean, variance, exp, sum) instead of candle-nn's fused `ops::layer_norm` and
//! `softmax_last_dim`, which have none (huggingface/candle #3011, #3752) and would leave the weights
//! before them untrained without an error. `tests/char_lm.rs` checks that every tensor gets a
//! gradient.

use super::layout::{CharLmConfig, VOCAB};
use crate::{Error, Result};
use candle_core::{DType, Device, Tensor, Var, D};

/// Tensors per transformer block in [`CharLmConfig::tensors`].
const BLOCK_TENSORS: usize = 12;
/// The layer norms' epsilon.
const NORM_EPSILON: f64 = 1e-5;

/// A character model whose parameters are trainable candle variables.
pub struct CharLm {
	config: CharLmConfig,
	vars: Vec<Var>,
	/// `[context, context]`: 0 where a position may attend, −∞ after it.
	causal_mask: Tensor,
}

/// `x · weightᵀ + bias` over the last dimension (weights are `[out, in]`), as one matrix product
/// over all rows (a broadcast product would run one small product per batch element, and its
/// backward pass one more per element plus a sum).
fn linear(x: &Tensor, weight: &Tensor, bias: &Tensor) -> Result<Tensor> {
	let mut dims = x.dims().to_vec();
	let inner = dims.pop().unwrap_or(1);
	let rows = x.elem_count() / inner.max(1);
	let product = x.reshape((rows, inner))?.matmul(&weight.t()?)?.broadcast_add(bias)?;
	dims.push(weight.dim(0)?);
	Ok(product.reshape(dims)?)
}

/// Layer norm over the last dimension, from differentiable operations.
fn layer_norm(x: &Tensor, weight: &Tensor, bias: &Tensor) -> Result<Tensor> {
	let centered = x.broadcast_sub(&x.mean_keepdim(D::Minus1)?)?;
	let variance = centered.sqr()?.mean_keepdim(D::Minus1)?;
	let normalized = centered.broadcast_div(&(variance + NORM_EPSILON)?.sqrt()?)?;
	Ok(normalized.broadcast_mul(weight)?.broadcast_add(bias)?)
}

/// Softmax over the last dimension, from differentiable operations (the shift by the maximum
/// only keeps `exp` finite; it does not change the value, so it carries no gradient).
fn softmax_last(x: &Tensor) -> Result<Tensor> {
	let exp = x.broadcast_sub(&x.max_keepdim(D::Minus1)?.detach())?.exp()?;
	Ok(exp.broadcast_div(&exp.sum_keepdim(D::Minus1)?)?)
}

impl CharLm {
	/// The model of `config` with `parameters` (the flat vector of [`CharLmConfig::tensors`]).
	pub fn from_parameters(config: CharLmConfig, parameters: &[f32], device: &Device) -> Result<Self> {
		config.validate()?;
		config.check_length("character model parameters", parameters.len())?;
		let mut vars = Vec::new();
		let mut offset = 0;
		for tensor in config.tensors() {
			let values = &parameters[offset..offset + tensor.len()];
			vars.push(Var::from_tensor(&Tensor::from_slice(values, tensor.shape.as_slice(), device)?)?);
			offset += tensor.len();
		}
		let mask: Vec<f32> = (0..config.context)
			.flat_map(|row| (0..config.context).map(move |column| if column <= row { 0.0 } else { f32::NEG_INFINITY }))
			.collect();
		let causal_mask = Tensor::from_vec(mask, (config.context, config.context), device)?;
		Ok(Self { config, vars, causal_mask })
	}

	/// Its size.
	pub fn config(&self) -> CharLmConfig {
		self.config
	}

	/// Its trainable tensors, in the order of the flat vector.
	pub fn vars(&self) -> &[Var] {
		&self.vars
	}

	/// Its current parameters as the flat vector.
	pub fn parameters(&self) -> Result<Vec<f32>> {
		let mut flat = Vec::with_capacity(self.config.parameter_count());
		for var in &self.vars {
			flat.extend(var.as_tensor().flatten_all()?.to_dtype(DType::F32)?.to_vec1::<f32>()?);
		}
		Ok(flat)
	}

	fn tensor(&self, index: usize) -> &Tensor {
		self.vars[index].as_tensor()
	}

	/// Causal multi-head self-attention of block `layer` on normalized `x` (`[batch, len, width]`).
	fn attention(&self, layer: usize, x: &Tensor) -> Result<Tensor> {
		let base = 2 + BLOCK_TENSORS * layer;
		let (batch, len, width) = x.dims3()?;
		let heads = self.config.heads;
		let head_width = width / heads;
		let qkv = linear(x, self.tensor(base + 2), self.tensor(base + 3))?;
		let split = |part: usize| -> Result<Tensor> {
			Ok(qkv.narrow(2, part * width, width)?.reshape((batch, len, heads, head_width))?.transpose(1, 2)?.contiguous()?)
		};
		let (query, key, value) = (split(0)?, split(1)?, split(2)?);
		let scores = (query.matmul(&key.t()?.contiguous()?)? * (1.0 / (head_width as f64).sqrt()))?;
		let mask = self.causal_mask.narrow(0, 0, len)?.narrow(1, 0, len)?;
		let weights = softmax_last(&scores.broadcast_add(&mask)?)?;
		let mixed = weights.matmul(&value)?.transpose(1, 2)?.contiguous()?.reshape((batch, len, width))?;
		linear(&mixed, self.tensor(base + 4), self.tensor(base + 5))
	}

	/// The MLP of block `layer` on normalized `x`.
	fn mlp(&self, layer: usize, x: &Tensor) -> Result<Tensor> {
		let base = 2 + BLOCK_TENSORS * layer;
		let hidden = linear(x, self.tensor(base + 8), self.tensor(base + 9))?.gelu()?;
		linear(&hidden, self.tensor(base + 10), self.tensor(base + 11))
	}

	/// The next-byte logits (`[batch, len, 256]`) of `tokens` (`[batch, len]`, `u32` bytes, `len`
	/// at most the context).
	pub fn forward(&self, tokens: &Tensor) -> Result<Tensor> {
		let (batch, len) = tokens.dims2()?;
		if len == 0 || len > self.config.context {
			return Err(Error::InputLength { expected: self.config.context, got: len });
		}
		let width = self.config.width;
		let embedded = self.tensor(0).index_select(&tokens.flatten_all()?, 0)?.reshape((batch, len, width))?;
		let mut x = embedded.broadcast_add(&self.tensor(1).narrow(0, 0, len)?)?;
		for layer in 0..self.config.layers {
			let base = 2 + BLOCK_TENSORS * layer;
			x = (&x + self.attention(layer, &layer_norm(&x, self.tensor(base), self.tensor(base + 1))?)?)?;
			x = (&x + self.mlp(layer, &layer_norm(&x, self.tensor(base + 6), self.tensor(base + 7))?)?)?;
		}
		let last = 2 + BLOCK_TENSORS * self.config.layers;
		let x = layer_norm(&x, self.tensor(last), self.tensor(last + 1))?;
		linear(&x, self.tensor(last + 2), self.tensor(last + 3))
	}

	/// The mean cross-entropy (nats per byte) of predicting `targets` from `tokens` (both
	/// `[batch, len]`).
	pub fn loss(&self, tokens: &Tensor, targets: &Tensor) -> Result<Tensor> {
		let logits = self.forward(tokens)?;
		let (batch, len, _) = logits.dims3()?;
		Ok(candle_nn::loss::cross_entropy(&logits.reshape((batch * len, VOCAB))?, &targets.flatten_all()?)?)
	}
}
