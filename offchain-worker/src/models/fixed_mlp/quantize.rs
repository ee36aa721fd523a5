//! From a float network to a fixed-point one, with calibration data.
//!
//! [`FloatMlp::from_safetensors`] reads the linear layers of a float network as PyTorch
//! (`safetensors.torch.save_file(model.state_dict())`) or candle (`VarMap::save`) write them:
//! every `<prefix>.weight` (`[outputs, inputs]`, F32 or F64) with its `<prefix>.bias`, ordered by
//! prefix (numbers compared as numbers: `net.2` after `net.0`, `fc10` after `fc2`). Optional
//! tensors `input.mean` and `input.std` are a standardisation of the raw inputs, folded into the
//! first layer, so the fixed-point model takes raw features.
//!
//! [`quantize`] chooses, layer by layer:
//! - the weights' fractional bits `f`, the most that keep every weight within `weight_bits`
//!   signed bits; the biases are at the accumulator's scale `2^(a + f)` (`a`: the layer input's);
//! - the layer output's fractional bits `a'` from calibration: the most that keep the largest
//!   float activation seen within `activation_bits` signed bits; the shift is `a + f − a'`.
//!
//! Inputs are `round(x · 2^input_frac)`; each input's bits are, unless given, those of twice its
//! largest calibration magnitude, so that every value of the calibration data's order fits.
//! If an output could then leave `i32` for some input, the last layer's shift grows until it
//! cannot (a coarser output scale, recorded as `output_frac`).

use super::{
	file::ModelFile,
	network::{Activation, FixedMlp, Layer},
};
use crate::{Error, Result};
use safetensors::{Dtype, SafeTensors};
use std::{cmp::Ordering, collections::HashMap};

/// A float linear layer, row-major (`[out][in]`).
#[derive(Clone, Debug, PartialEq)]
pub struct FloatLayer {
	/// Inputs.
	pub inputs: usize,
	/// Outputs.
	pub outputs: usize,
	/// `outputs × inputs` weights.
	pub weight: Vec<f64>,
	/// `outputs` biases.
	pub bias: Vec<f64>,
}

/// A float feed-forward network.
#[derive(Clone, Debug, PartialEq)]
pub struct FloatMlp {
	/// The layers, first to last.
	pub layers: Vec<FloatLayer>,
	/// One activation per layer.
	pub activations: Vec<Activation>,
}

fn malformed(detail: String) -> Error {
	Error::Malformed { what: "float network", detail }
}

/// Compares two tensor-name prefixes, numbers inside them as numbers.
fn natural_order(a: &str, b: &str) -> Ordering {
	let key = |s: &str| -> Vec<(u8, u64, String)> {
		let mut parts = Vec::new();
		let mut chars = s.chars().peekable();
		while let Some(c) = chars.next() {
			let mut run = String::from(c);
			let digit = c.is_ascii_digit();
			while let Some(next) = chars.peek().filter(|n| n.is_ascii_digit() == digit) {
				run.push(*next);
				chars.next();
			}
			parts.push(if digit { (0, run.parse().unwrap_or(u64::MAX), String::new()) } else { (1, 0, run) });
		}
		parts
	};
	key(a).cmp(&key(b))
}

impl FloatMlp {
	/// The linear layers in `bytes`, with `activations` (default: ReLU after every layer but the
	/// last).
	pub fn from_safetensors(bytes: &[u8], activations: Option<Vec<Activation>>) -> Result<Self> {
		let tensors = SafeTensors::deserialize(bytes).map_err(|e| malformed(e.to_string()))?;
		let read = |name: &str| -> Result<(Vec<f64>, Vec<usize>)> {
			let view = tensors.tensor(name).map_err(|e| malformed(format!("{name}: {e}")))?;
			let values = match view.dtype() {
				Dtype::F32 => view.data().chunks_exact(4).map(|c| f32::from_le_bytes([c[0], c[1], c[2], c[3]]) as f64).collect(),
				Dtype::F64 => view.data().chunks_exact(8).map(|c| f64::from_le_bytes(c.try_into().expect("8 bytes; qed"))).collect(),
				other => return Err(malformed(format!("{name} is {other:?}: F32 or F64"))),
			};
			Ok((values, view.shape().to_vec()))
		};
		let mut prefixes: Vec<String> =
			tensors.names().into_iter().filter_map(|n| n.strip_suffix(".weight")).map(str::to_owned).collect();
		prefixes.sort_by(|a, b| natural_order(a, b));
		let mut layers = Vec::new();
		for prefix in &prefixes {
			let (weight, shape) = read(&format!("{prefix}.weight"))?;
			let (bias, bias_shape) = read(&format!("{prefix}.bias"))?;
			let [outputs, inputs] = shape[..] else {
				return Err(malformed(format!("{prefix}.weight has shape {shape:?}: a linear layer is [outputs, inputs]")));
			};
			if bias_shape != [outputs] {
				return Err(malformed(format!("{prefix}.bias has shape {bias_shape:?}, expected [{outputs}]")));
			}
			if let Some(previous) = layers.last().map(|l: &FloatLayer| l.outputs).filter(|p| *p != inputs) {
				return Err(malformed(format!("{prefix} takes {inputs} inputs, the layer before gives {previous}")));
			}
			layers.push(FloatLayer { inputs, outputs, weight, bias });
		}
		if layers.is_empty() {
			return Err(malformed("no `<prefix>.weight` tensors".into()));
		}
		let has = |name: &str| tensors.names().iter().any(|n| *n == name);
		if has("input.mean") || has("input.std") {
			let (mean, _) = read("input.mean")?;
			let (std, _) = read("input.std")?;
			fold_standardisation(&mut layers[0], &mean, &std)?;
		}
		let count = layers.len();
		let activations = activations.unwrap_or_else(|| {
			(0..count).map(|i| if i + 1 < count { Activation::Relu } else { Activation::Identity }).collect()
		});
		if activations.len() != count {
			return Err(malformed(format!("{} activations for {count} layers", activations.len())));
		}
		Ok(Self { layers, activations })
	}

	/// Every layer's outputs (after its activation) for `x`.
	pub fn trace(&self, x: &[f64]) -> Vec<Vec<f64>> {
		let mut values = x.to_vec();
		let mut trace = Vec::with_capacity(self.layers.len());
		for (layer, activation) in self.layers.iter().zip(&self.activations) {
			values = (0..layer.outputs)
				.map(|o| {
					let a = layer.weight[o * layer.inputs..(o + 1) * layer.inputs].iter().zip(&values).map(|(w, x)| w * x).sum::<f64>() +
						layer.bias[o];
					if *activation == Activation::Relu { a.max(0.0) } else { a }
				})
				.collect();
			trace.push(values.clone());
		}
		trace
	}

	/// The network's outputs for `x`.
	pub fn forward(&self, x: &[f64]) -> Vec<f64> {
		self.trace(x).pop().unwrap_or_default()
	}
}

/// `W·((x − mean)/std) + b = (W/std)·x + (b − W·(mean/std))`.
fn fold_standardisation(layer: &mut FloatLayer, mean: &[f64], std: &[f64]) -> Result<()> {
	if mean.len() != layer.inputs || std.len() != layer.inputs || std.iter().any(|s| *s == 0.0 || !s.is_finite()) {
		return Err(malformed(format!("input.mean and input.std must be {} finite values, std non-zero", layer.inputs)));
	}
	for o in 0..layer.outputs {
		let row = &mut layer.weight[o * layer.inputs..(o + 1) * layer.inputs];
		for (i, w) in row.iter_mut().enumerate() {
			*w /= std[i];
			layer.bias[o] -= *w * mean[i];
		}
	}
	Ok(())
}

/// How to quantize.
#[derive(Clone, Copy, Debug)]
pub struct QuantizeOptions {
	/// Inputs are `round(x · 2^input_frac)`.
	pub input_frac: i32,
	/// Signed bits of every input; `None`: each input's own, from the calibration data (see the
	/// module docs).
	pub input_bits: Option<u32>,
	/// Signed bits of the largest weight of each layer.
	pub weight_bits: u32,
	/// Signed bits of the largest calibration activation of each layer.
	pub activation_bits: u32,
}

impl Default for QuantizeOptions {
	fn default() -> Self {
		Self { input_frac: 0, input_bits: None, weight_bits: 20, activation_bits: 16 }
	}
}

/// `round(x · 2^frac)` of every value, or an error if one does not fit an `i32`.
pub fn quantize_inputs(x: &[f64], frac: i32) -> Result<Vec<i32>> {
	x.iter().map(|v| to_i32(v * 2f64.powi(frac), "input")).collect()
}

fn to_i32(value: f64, what: &str) -> Result<i32> {
	let rounded = value.round();
	if !rounded.is_finite() || rounded.abs() >= i32::MAX as f64 {
		return Err(Error::OutOfRange(format!("{what} {value} does not fit an i32")));
	}
	Ok(rounded as i32)
}

/// The fractional bits that keep `largest` within `bits` signed bits.
fn frac_bits_for(largest: f64, bits: u32) -> i32 {
	let limit = ((1u64 << (bits - 1)) - 1) as f64;
	(limit / largest.max(f64::MIN_POSITIVE)).log2().floor() as i32
}

/// Quantizes `float` with `calibration` inputs (raw features); the model file records
/// `input_frac` and `output_frac` (the outputs are `round(y · 2^output_frac)`, rounded down).
pub fn quantize(float: &FloatMlp, calibration: &[Vec<f64>], options: QuantizeOptions) -> Result<ModelFile> {
	if calibration.is_empty() || !(2..=31).contains(&options.weight_bits) || !(2..=31).contains(&options.activation_bits) {
		return Err(Error::OutOfRange("calibration data is empty, or weight/activation bits outside 2..=31".into()));
	}
	let mut largest = vec![0f64; float.layers.len()];
	let inputs = float.layers[0].inputs;
	let mut largest_input = vec![0f64; inputs];
	for x in calibration {
		for (m, v) in largest_input.iter_mut().zip(x) {
			*m = m.max((v * 2f64.powi(options.input_frac)).abs());
		}
		for (l, values) in float.trace(x).iter().enumerate() {
			largest[l] = values.iter().fold(largest[l], |m, v| m.max(v.abs()));
		}
	}
	let input_bits: Vec<u32> = match options.input_bits {
		Some(bits) => vec![bits; inputs],
		None => largest_input.iter().map(|m| (65 - ((2.0 * m).ceil() as u64).leading_zeros()).clamp(2, 32)).collect(),
	};
	let mut scale = options.input_frac;
	let mut layers = Vec::with_capacity(float.layers.len());
	for (l, (layer, activation)) in float.layers.iter().zip(&float.activations).enumerate() {
		let weight_frac = frac_bits_for(layer.weight.iter().fold(0f64, |m, w| m.max(w.abs())), options.weight_bits);
		let accumulator_frac = scale + weight_frac;
		let weights = layer.weight.iter().map(|w| to_i32(w * 2f64.powi(weight_frac), "weight")).collect::<Result<_>>()?;
		let biases = layer.bias.iter().map(|b| to_i32(b * 2f64.powi(accumulator_frac), "bias")).collect::<Result<_>>()?;
		let wanted = frac_bits_for(largest[l], options.activation_bits);
		let shift = (accumulator_frac - wanted).max(0);
		scale = accumulator_frac - shift;
		layers.push(Layer {
			inputs: layer.inputs,
			outputs: layer.outputs,
			weights,
			biases,
			shift: shift as u32,
			activation: *activation,
		});
	}
	let mut network = FixedMlp { input_bits, layers };
	// An output that could leave i32 for some input: a coarser output scale, a bit at a time.
	while let Err(Error::OutOfRange(detail)) = network.bounds() {
		let last = network.layers.last_mut().expect("at least one layer; qed");
		if !detail.starts_with("output") || last.shift >= super::network::limits::MAX_SHIFT {
			return Err(Error::OutOfRange(detail));
		}
		last.shift += 1;
		scale -= 1;
	}
	network.bounds()?;
	let info = HashMap::from([
		("input_frac".to_string(), options.input_frac.to_string()),
		("output_frac".to_string(), scale.to_string()),
	]);
	Ok(ModelFile { network, info })
}
