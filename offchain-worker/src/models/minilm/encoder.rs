//! The BERT encoder of all-MiniLM-L6-v2 for inference, written with candle for speed on CPUs.
//!
//! It computes exactly what candle-transformers' `BertModel` (and Hugging Face's `BertModel`)
//! computes, from the same safetensors, but spends less time outside matrix products:
//! - the query, key and value projections are one matrix product (weights concatenated at load
//!   time, the attention scale `1/√d` folded into the query weights);
//! - the softmax is candle's fused last-dimension kernel (candle-transformers uses the generic
//!   one: four passes over the scores);
//! - GELU's `erf` is a rational approximation evaluated in SIMD registers (candle calls libm's
//!   scalar `erff` per element: 13 % of a batch of 32 in a profile, more than all the work
//!   outside matrix products PyTorch does).
//!
//! `tests/embedding.rs` checks it against candle-transformers' `BertModel` on the same inputs.

use candle_core::{CpuStorage, CustomOp1, DType, Device, Layout, Module, Shape, Tensor, D};
use candle_nn::{ops, Embedding, Linear, VarBuilder};
use candle_transformers::models::bert::Config;

/// The additive attention bias of a padding token: `exp` of it is 0 in f32.
const PADDING_BIAS: f32 = -1.0e4;

/// A layer normalisation's parameters.
struct LayerNorm {
	weight: Tensor,
	bias: Tensor,
	epsilon: f32,
}

impl LayerNorm {
	fn load(vb: VarBuilder, config: &Config) -> candle_core::Result<Self> {
		let size = config.hidden_size;
		Ok(Self { weight: vb.get(size, "weight")?, bias: vb.get(size, "bias")?, epsilon: config.layer_norm_eps as f32 })
	}

	fn forward(&self, xs: &Tensor) -> candle_core::Result<Tensor> {
		ops::layer_norm(&xs.contiguous()?, &self.weight, &self.bias, self.epsilon)
	}
}

/// A dense layer `x·Wᵀ + b` loaded from `<prefix>.weight` and `<prefix>.bias`.
fn dense(vb: VarBuilder, inputs: usize, outputs: usize) -> candle_core::Result<Linear> {
	Ok(Linear::new(vb.get((outputs, inputs), "weight")?, Some(vb.get(outputs, "bias")?)))
}

/// One transformer layer.
struct EncoderLayer {
	query_key_value: Linear,
	attention_output: Linear,
	attention_norm: LayerNorm,
	intermediate: Linear,
	output: Linear,
	output_norm: LayerNorm,
	heads: usize,
}

impl EncoderLayer {
	fn load(vb: VarBuilder, config: &Config) -> candle_core::Result<Self> {
		let (hidden, heads) = (config.hidden_size, config.num_attention_heads);
		let scale = 1.0 / ((hidden / heads) as f64).sqrt();
		let projection = |name: &str| -> candle_core::Result<(Tensor, Tensor)> {
			let vb = vb.pp("attention.self").pp(name);
			Ok((vb.get((hidden, hidden), "weight")?, vb.get(hidden, "bias")?))
		};
		let (query_weight, query_bias) = projection("query")?;
		let (key_weight, key_bias) = projection("key")?;
		let (value_weight, value_bias) = projection("value")?;
		let query_key_value = Linear::new(
			Tensor::cat(&[(query_weight * scale)?, key_weight, value_weight], 0)?,
			Some(Tensor::cat(&[(query_bias * scale)?, key_bias, value_bias], 0)?),
		);
		Ok(Self {
			query_key_value,
			attention_output: dense(vb.pp("attention.output.dense"), hidden, hidden)?,
			attention_norm: LayerNorm::load(vb.pp("attention.output.LayerNorm"), config)?,
			intermediate: dense(vb.pp("intermediate.dense"), hidden, config.intermediate_size)?,
			output: dense(vb.pp("output.dense"), config.intermediate_size, hidden)?,
			output_norm: LayerNorm::load(vb.pp("output.LayerNorm"), config)?,
			heads,
		})
	}

	/// `xs`: (batch, tokens, hidden); `attention_bias`: (batch, 1, 1, tokens).
	fn forward(&self, xs: &Tensor, attention_bias: &Tensor) -> candle_core::Result<Tensor> {
		let (batch, tokens, hidden) = xs.dims3()?;
		let head_size = hidden / self.heads;
		// (batch, tokens, 3·hidden) → (3, batch, heads, tokens, head size)
		let query_key_value = self
			.query_key_value
			.forward(xs)?
			.reshape((batch, tokens, 3, self.heads, head_size))?
			.permute((2, 0, 3, 1, 4))?;
		let part = |index: usize| query_key_value.get(index)?.contiguous();
		let (query, key, value) = (part(0)?, part(1)?, part(2)?);
		let scores = query.matmul(&key.t()?)?.broadcast_add(attention_bias)?;
		let context = ops::softmax_last_dim(&scores)?
			.matmul(&value)?
			.transpose(1, 2)?
			.reshape((batch, tokens, hidden))?;
		let attended = self.attention_norm.forward(&(self.attention_output.forward(&context)? + xs)?)?;
		let intermediate = gelu(&self.intermediate.forward(&attended)?)?;
		self.output_norm.forward(&(self.output.forward(&intermediate)? + attended)?)
	}
}

/// The whole encoder: embeddings and the transformer layers.
pub struct Encoder {
	words: Embedding,
	positions: Embedding,
	token_types: Embedding,
	embedding_norm: LayerNorm,
	layers: Vec<EncoderLayer>,
}

impl Encoder {
	/// Loads the encoder from BERT safetensors (names without a `bert.` prefix).
	pub fn load(vb: VarBuilder, config: &Config) -> candle_core::Result<Self> {
		let hidden = config.hidden_size;
		let table = |name: &str, rows: usize| -> candle_core::Result<Embedding> {
			Ok(Embedding::new(vb.pp("embeddings").pp(name).get((rows, hidden), "weight")?, hidden))
		};
		let layers = (0..config.num_hidden_layers)
			.map(|index| EncoderLayer::load(vb.pp(format!("encoder.layer.{index}")), config))
			.collect::<candle_core::Result<Vec<_>>>()?;
		Ok(Self {
			words: table("word_embeddings", config.vocab_size)?,
			positions: table("position_embeddings", config.max_position_embeddings)?,
			token_types: table("token_type_embeddings", config.type_vocab_size)?,
			embedding_norm: LayerNorm::load(vb.pp("embeddings.LayerNorm"), config)?,
			layers,
		})
	}

	/// The last hidden states (batch, tokens, hidden) of token ids, token type ids and the
	/// attention mask (1 for a real token, 0 for padding), each (batch, tokens) of `u32`.
	pub fn forward(&self, ids: &Tensor, type_ids: &Tensor, mask: &Tensor) -> candle_core::Result<Tensor> {
		let tokens = ids.dim(1)?;
		let positions = Tensor::arange(0u32, tokens as u32, ids.device())?;
		let embedded = self
			.words
			.forward(ids)?
			.add(&self.token_types.forward(type_ids)?)?
			.broadcast_add(&self.positions.forward(&positions)?)?;
		let mut hidden = self.embedding_norm.forward(&embedded)?;
		let attention_bias = ((mask.to_dtype(DType::F32)? - 1.0)? * (-PADDING_BIAS as f64))?.unsqueeze(1)?.unsqueeze(1)?;
		for layer in &self.layers {
			hidden = layer.forward(&hidden, &attention_bias)?;
		}
		Ok(hidden)
	}
}

/// GELU with the exact (erf) form, `x/2 · (1 + erf(x/√2))`, vectorised on CPU; other devices use
/// candle's own kernel.
pub fn gelu(xs: &Tensor) -> candle_core::Result<Tensor> {
	match (xs.device(), xs.dtype()) {
		(Device::Cpu, DType::F32) => xs.contiguous()?.apply_op1_no_bwd(&VectorGelu),
		_ => xs.gelu_erf(),
	}
}

/// The erf of `x` in f32 as a rational function of degree 13/8 on [-4, 4] (±1 outside), the
/// approximation Eigen uses for its vectorised `erf`: only multiplications, additions, one
/// division and a clamp, so the compiler keeps whole registers of values in flight.
#[inline(always)]
pub fn erf(x: f32) -> f32 {
	let x = x.clamp(-4.0, 4.0);
	let x2 = x * x;
	let mut p = x2 * -2.726_142_3e-10 + 2.770_681_4e-8;
	p = x2 * p + -2.101_024e-6;
	p = x2 * p + -5.692_506_4e-5;
	p = x2 * p + -7.349_906_3e-4;
	p = x2 * p + -2.954_600_2e-3;
	p = x2 * p + -1.609_603_3e-2;
	let mut q = x2 * -1.456_607_2e-5 + -2.133_740_6e-4;
	q = x2 * q + -1.682_827e-3;
	q = x2 * q + -7.373_329_2e-3;
	q = x2 * q + -1.426_474e-2;
	x * p / q
}

#[inline(always)]
fn gelu_into(input: &[f32], output: &mut [f32]) {
	for (out, &x) in output.iter_mut().zip(input) {
		*out = 0.5 * x * (1.0 + erf(x * std::f32::consts::FRAC_1_SQRT_2));
	}
}

/// `gelu_into` compiled for the widest vector unit this CPU has (AVX-512, AVX2 or the baseline),
/// chosen at run time by `pulp` (the SIMD dispatcher of `gemm`).
fn gelu_dispatch(input: &[f32], output: &mut [f32]) {
	pulp::Arch::new().dispatch(
		#[inline(always)]
		|| gelu_into(input, output),
	)
}

/// The CPU kernel of [`gelu`], split across candle's threads.
struct VectorGelu;

impl CustomOp1 for VectorGelu {
	fn name(&self) -> &'static str {
		"vector-gelu-erf"
	}

	fn cpu_fwd(&self, storage: &CpuStorage, layout: &Layout) -> candle_core::Result<(CpuStorage, Shape)> {
		let (CpuStorage::F32(data), Some((start, end))) = (storage, layout.contiguous_offsets()) else {
			candle_core::bail!("vector-gelu-erf needs a contiguous f32 tensor")
		};
		let input = &data[start..end];
		let mut output = vec![0f32; input.len()];
		let chunk = input.len().div_ceil(candle_core::utils::get_num_threads()).max(4096);
		std::thread::scope(|scope| {
			for (input, output) in input.chunks(chunk).zip(output.chunks_mut(chunk)) {
				scope.spawn(move || gelu_dispatch(input, output));
			}
		});
		Ok((CpuStorage::F32(output), layout.shape().clone()))
	}
}

/// Sums over the real tokens, as sentence-transformers' mean pooling does, divided by their
/// count; then L2-normalised. `hidden`: (batch, tokens, hidden); `mask`: (batch, tokens) `u32`.
pub fn mean_pool_normalized(hidden: &Tensor, mask: &Tensor) -> candle_core::Result<Tensor> {
	let mask = mask.to_dtype(DType::F32)?.unsqueeze(2)?;
	let mean = hidden.broadcast_mul(&mask)?.sum(1)?.broadcast_div(&mask.sum(1)?)?;
	mean.broadcast_div(&mean.sqr()?.sum_keepdim(D::Minus1)?.sqrt()?)
}
