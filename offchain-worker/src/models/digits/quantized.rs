//! The digits classifier in fixed point: what a job runs and what the circuit proves.
//!
//! From the float model (inputs scaled by 1/16), with `F1 = 12`, `S = 6`, `F2 = 8`:
//!
//! - `w1q = round(w1 / 16 · 2^F1)`, `b1q = round(b1 · 2^F1)`: the first layer takes the raw
//!   pixel bytes and accumulates at scale `2^F1`;
//! - hidden `h = relu_rescale(w1q · x + b1q, S)` ([`aichain_compute::fixed::relu_rescale`]), at
//!   scale `2^(F1 − S)`;
//! - `w2q = round(w2 · 2^F2)`, `b2q = round(b2 · 2^(F1 − S + F2))`; the output is the ten logits
//!   `w2q · h + b2q` as `i32`s, little-endian (40 bytes): the label is their first argmax.
//!
//! Every step is exact integer arithmetic, so the engine, the circuit and anyone re-running the
//! model agree bit for bit. [`QuantizedMlp::ranges`] bounds every intermediate value over all
//! 256⁶⁴ possible inputs (any byte, not only 0..16), so inference never overflows and the
//! circuit's range checks hold for every input.
//!
//! Stored as safetensors (`w1`, `b1`, `w2`, `b2` as I32, the scales in the metadata); the
//! SHA-256 of that file is the model's `weights_sha256` on chain.

use super::{
	dataset::{Sample, CLASSES, PIXELS},
	mlp::{MlpWeights, HIDDEN},
};
use crate::{models::FORMAT_KEY, Error, Result};
use aichain_compute::fixed;
use safetensors::{tensor::TensorView, Dtype, SafeTensors};
use sha2::{Digest, Sha256};
use std::{collections::HashMap, path::Path};

/// Fractional bits of the first layer's weights (on raw pixels) and biases.
pub const INPUT_FRAC: u32 = 12;
/// Bits dropped between the layers.
pub const HIDDEN_SHIFT: u32 = 6;
/// Fractional bits of the second layer's weights.
pub const OUTPUT_FRAC: u32 = 8;
/// Bytes of a job's input: the 64 pixels.
pub const INPUT_LEN: usize = PIXELS;
/// Bytes of a job's output: ten `i32` logits.
pub const OUTPUT_LEN: usize = 4 * CLASSES;

/// The metadata value (under [`crate::models::FORMAT_KEY`]) identifying this format.
pub const FORMAT: &str = "fixed-v1;input_frac=12;hidden_shift=6;output_frac=8";

/// The quantized classifier, row-major (`[out][in]`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct QuantizedMlp {
	/// `HIDDEN × PIXELS`, scale `2^INPUT_FRAC / 16`.
	pub w1: Vec<i32>,
	/// `HIDDEN`, scale `2^INPUT_FRAC`.
	pub b1: Vec<i32>,
	/// `CLASSES × HIDDEN`, scale `2^OUTPUT_FRAC`.
	pub w2: Vec<i32>,
	/// `CLASSES`, scale `2^(INPUT_FRAC − HIDDEN_SHIFT + OUTPUT_FRAC)`.
	pub b2: Vec<i32>,
}

/// Bit widths that bound the model's intermediate values over every possible input.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Ranges {
	/// `|w1q · x + b1q| < 2^hidden_bits` for every hidden unit and input.
	pub hidden_bits: u32,
	/// Every logit fits in an `i32` (checked when the ranges are computed).
	pub output_bits: u32,
}

/// `round(value · 2^frac)` as an `i32`, or an error if it does not fit.
fn quantize(value: f32, scale: f64, what: &str) -> Result<i32> {
	let q = (value as f64 * scale).round();
	if q.abs() >= i32::MAX as f64 {
		return Err(Error::OutOfRange(format!("{what} = {value} does not fit an i32 at scale {scale}")));
	}
	Ok(q as i32)
}

/// Bits needed so that every value of magnitude at most `bound` is below `2^bits`.
fn bits_for(bound: u64) -> u32 {
	64 - bound.leading_zeros()
}

impl QuantizedMlp {
	/// Quantizes a float model (trained on pixels / 16).
	pub fn from_float(weights: &MlpWeights) -> Result<Self> {
		let pixel_scale = (1u64 << INPUT_FRAC) as f64 / 16.0;
		let all = |values: &[f32], scale: f64, what: &str| -> Result<Vec<i32>> {
			values.iter().map(|v| quantize(*v, scale, what)).collect()
		};
		let model = Self {
			w1: all(&weights.w1, pixel_scale, "w1")?,
			b1: all(&weights.b1, (1u64 << INPUT_FRAC) as f64, "b1")?,
			w2: all(&weights.w2, (1u64 << OUTPUT_FRAC) as f64, "w2")?,
			b2: all(&weights.b2, (1u64 << (INPUT_FRAC - HIDDEN_SHIFT + OUTPUT_FRAC)) as f64, "b2")?,
		};
		model.ranges()?;
		Ok(model)
	}

	/// Bounds of the intermediate values over all inputs of 64 bytes; an error if a logit
	/// could leave the `i32` range.
	pub fn ranges(&self) -> Result<Ranges> {
		self.check_shapes()?;
		let hidden_bound = (0..HIDDEN)
			.map(|k| {
				let row = &self.w1[k * PIXELS..(k + 1) * PIXELS];
				row.iter().map(|w| w.unsigned_abs() as u64 * 255).sum::<u64>() + self.b1[k].unsigned_abs() as u64
			})
			.max()
			.unwrap_or(0);
		let hidden_bits = bits_for(hidden_bound);
		// A hidden activation is below 2^(hidden_bits − HIDDEN_SHIFT).
		let activation_max = 1u64 << hidden_bits.saturating_sub(HIDDEN_SHIFT);
		let output_bound = (0..CLASSES)
			.map(|j| {
				let row = &self.w2[j * HIDDEN..(j + 1) * HIDDEN];
				row.iter().map(|w| w.unsigned_abs() as u64 * activation_max).sum::<u64>() +
					self.b2[j].unsigned_abs() as u64
			})
			.max()
			.unwrap_or(0);
		let output_bits = bits_for(output_bound);
		if output_bits > 31 {
			return Err(Error::OutOfRange(format!("logits may need {output_bits} bits, more than an i32")));
		}
		Ok(Ranges { hidden_bits, output_bits })
	}

	fn check_shapes(&self) -> Result<()> {
		let shapes = [
			("w1", self.w1.len(), HIDDEN * PIXELS),
			("b1", self.b1.len(), HIDDEN),
			("w2", self.w2.len(), CLASSES * HIDDEN),
			("b2", self.b2.len(), CLASSES),
		];
		for (name, got, expected) in shapes {
			if got != expected {
				return Err(Error::Malformed { what: "quantized model", detail: format!("{name} has {got} values, expected {expected}") });
			}
		}
		Ok(())
	}

	/// The hidden layer's accumulators `w1q · x + b1q` (before ReLU) for the input bytes.
	pub fn hidden_accumulators(&self, input: &[u8; INPUT_LEN]) -> [i64; HIDDEN] {
		core::array::from_fn(|k| {
			let row = &self.w1[k * PIXELS..(k + 1) * PIXELS];
			row.iter().zip(input).map(|(w, x)| *w as i64 * *x as i64).sum::<i64>() + self.b1[k] as i64
		})
	}

	/// The ten logits for a job's input: exactly what the circuit proves.
	pub fn logits(&self, input: &[u8; INPUT_LEN]) -> [i32; CLASSES] {
		let hidden = self.hidden_accumulators(input).map(|acc| fixed::relu_rescale(acc, HIDDEN_SHIFT));
		core::array::from_fn(|j| {
			let row = &self.w2[j * HIDDEN..(j + 1) * HIDDEN];
			let z = row.iter().zip(&hidden).map(|(w, h)| *w as i64 * h).sum::<i64>() + self.b2[j] as i64;
			// `ranges` bounds every logit below 2^31 for every input.
			z as i32
		})
	}

	/// Runs a job: checks the input size and returns the output bytes (ten `i32` logits).
	pub fn infer(&self, input: &[u8]) -> Result<Vec<u8>> {
		let input: &[u8; INPUT_LEN] =
			input.try_into().map_err(|_| Error::InputLength { expected: INPUT_LEN, got: input.len() })?;
		Ok(fixed::encode_i32(&self.logits(input)))
	}

	/// The predicted digit.
	pub fn classify(&self, pixels: &[u8; INPUT_LEN]) -> u8 {
		fixed::argmax(&self.logits(pixels)).unwrap_or(0) as u8
	}

	/// Share of `samples` classified correctly.
	pub fn accuracy(&self, samples: &[Sample]) -> f64 {
		let correct = samples.iter().filter(|s| self.classify(&s.pixels) == s.label).count();
		correct as f64 / samples.len() as f64
	}

	/// The safetensors encoding (deterministic: same model, same bytes).
	pub fn to_safetensors(&self) -> Result<Vec<u8>> {
		let bytes = |v: &[i32]| v.iter().flat_map(|x| x.to_le_bytes()).collect::<Vec<u8>>();
		let data = [
			("w1", bytes(&self.w1), vec![HIDDEN, PIXELS]),
			("b1", bytes(&self.b1), vec![HIDDEN]),
			("w2", bytes(&self.w2), vec![CLASSES, HIDDEN]),
			("b2", bytes(&self.b2), vec![CLASSES]),
		];
		let views = data
			.iter()
			.map(|(name, bytes, shape)| {
				TensorView::new(Dtype::I32, shape.clone(), bytes).map(|view| (name.to_string(), view))
			})
			.collect::<Result<Vec<_>, _>>()
			.map_err(|e| Error::Malformed { what: "quantized model", detail: e.to_string() })?;
		let metadata = HashMap::from([(FORMAT_KEY.to_string(), FORMAT.to_string())]);
		safetensors::serialize(views, Some(metadata))
			.map_err(|e| Error::Malformed { what: "quantized model", detail: e.to_string() })
	}

	/// Decodes [`QuantizedMlp::to_safetensors`]' bytes, checking the format, shapes and ranges.
	pub fn from_safetensors(bytes: &[u8]) -> Result<Self> {
		let bad = |detail: String| Error::Malformed { what: "quantized model", detail };
		let (_, header) = SafeTensors::read_metadata(bytes).map_err(|e| bad(e.to_string()))?;
		let format = header.metadata().as_ref().and_then(|m| m.get(FORMAT_KEY));
		if format.map(String::as_str) != Some(FORMAT) {
			return Err(bad(format!("format {format:?}, expected {FORMAT}")));
		}
		let tensors = SafeTensors::deserialize(bytes).map_err(|e| bad(e.to_string()))?;
		let read = |name: &str| -> Result<Vec<i32>> {
			let view = tensors.tensor(name).map_err(|e| bad(format!("{name}: {e}")))?;
			if view.dtype() != Dtype::I32 {
				return Err(bad(format!("{name} is {:?}, expected I32", view.dtype())));
			}
			Ok(view.data().chunks_exact(4).map(|c| i32::from_le_bytes([c[0], c[1], c[2], c[3]])).collect())
		};
		let model = Self { w1: read("w1")?, b1: read("b1")?, w2: read("w2")?, b2: read("b2")? };
		model.ranges()?;
		Ok(model)
	}

	/// Writes the model to `path`; returns the SHA-256 of the file.
	pub fn save(&self, path: &Path) -> Result<[u8; 32]> {
		let bytes = self.to_safetensors()?;
		crate::write_file(path, &bytes)?;
		Ok(Sha256::digest(&bytes).into())
	}

	/// Reads a model from `path`; returns it with the SHA-256 of the file.
	pub fn load(path: &Path) -> Result<(Self, [u8; 32])> {
		let bytes = crate::read_file(path)?;
		Ok((Self::from_safetensors(&bytes)?, Sha256::digest(&bytes).into()))
	}

	/// The SHA-256 of the model's safetensors encoding (its `weights_sha256` on chain).
	pub fn sha256(&self) -> Result<[u8; 32]> {
		Ok(Sha256::digest(self.to_safetensors()?).into())
	}
}
