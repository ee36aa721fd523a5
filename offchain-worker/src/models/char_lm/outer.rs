//! DiLoCo's outer loop: what a shard sends back (its parameter change, quantized to `i8` per
//! tensor) and how a round's changes become the next parameters (Nesterov momentum on their
//! mean, after screening out changes far larger than the round's others).
//!
//! Following DiLoCo (arXiv 2311.08105) and OpenDiLoCo: the outer gradient is the global
//! parameters minus the mean of the shards' local parameters, that is minus the mean change;
//! the outer optimizer is SGD with Nesterov momentum (learning rate 0.7, momentum 0.9).

use super::layout::CharLmConfig;
use crate::{Error, Result};

/// A shard's parameter change, one scale per tensor and one `i8` per parameter:
/// `change ≈ value · scale`, with `scale = max |change| / 127` over the tensor.
#[derive(Clone, Debug, PartialEq)]
pub struct QuantizedUpdate {
	/// One per tensor of [`CharLmConfig::tensors`].
	pub scales: Vec<f32>,
	/// One per parameter.
	pub values: Vec<i8>,
}

impl QuantizedUpdate {
	/// The change from `global` to `local`, quantized.
	pub fn between(config: &CharLmConfig, global: &[f32], local: &[f32]) -> Result<Self> {
		config.check_length("global parameters", global.len())?;
		config.check_length("local parameters", local.len())?;
		let (mut scales, mut values, mut offset) = (Vec::new(), Vec::with_capacity(global.len()), 0);
		for tensor in config.tensors() {
			let range = offset..offset + tensor.len();
			let change: Vec<f32> = global[range.clone()].iter().zip(&local[range]).map(|(g, l)| l - g).collect();
			let largest = change.iter().fold(0.0f32, |m, c| m.max(c.abs()));
			let scale = if largest > 0.0 && largest.is_finite() { largest / 127.0 } else { 0.0 };
			values.extend(change.iter().map(|c| if scale == 0.0 { 0 } else { (c / scale).round().clamp(-127.0, 127.0) as i8 }));
			scales.push(scale);
			offset += tensor.len();
		}
		Ok(Self { scales, values })
	}

	/// The change as `f32`s.
	pub fn change(&self, config: &CharLmConfig) -> Vec<f32> {
		let mut change = Vec::with_capacity(self.values.len());
		let mut offset = 0;
		for (tensor, scale) in config.tensors().iter().zip(&self.scales) {
			change.extend(self.values[offset..offset + tensor.len()].iter().map(|&v| f32::from(v) * scale));
			offset += tensor.len();
		}
		change
	}

	/// The scales (little-endian `f32`) then the values: the bytes a shard's result blob holds.
	pub fn encode(&self) -> Vec<u8> {
		let mut bytes: Vec<u8> = self.scales.iter().flat_map(|s| s.to_le_bytes()).collect();
		bytes.extend(self.values.iter().map(|&v| v as u8));
		bytes
	}

	/// Decodes [`QuantizedUpdate::encode`]'s bytes for `config`: the length must be exact and
	/// every scale finite and non-negative.
	pub fn decode(config: &CharLmConfig, bytes: &[u8]) -> Result<Self> {
		let tensors = config.tensors().len();
		if bytes.len() != 4 * tensors + config.parameter_count() {
			return Err(Error::Malformed {
				what: "character model update",
				detail: format!("{} bytes, the model's update has {}", bytes.len(), 4 * tensors + config.parameter_count()),
			});
		}
		let (head, body) = bytes.split_at(4 * tensors);
		let scales: Vec<f32> = head.chunks_exact(4).map(|c| f32::from_le_bytes([c[0], c[1], c[2], c[3]])).collect();
		if let Some(bad) = scales.iter().find(|s| !s.is_finite() || **s < 0.0) {
			return Err(Error::Malformed { what: "character model update", detail: format!("scale {bad}") });
		}
		Ok(Self { scales, values: body.iter().map(|&b| b as i8).collect() })
	}
}

/// The outer optimizer's settings.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct OuterOptimizer {
	/// Outer learning rate (DiLoCo: 0.7).
	pub learning_rate: f32,
	/// Nesterov momentum (DiLoCo: 0.9).
	pub momentum: f32,
	/// A change whose L2 norm is more than this many times the round's median norm is left out.
	pub outlier_factor: f32,
}

impl Default for OuterOptimizer {
	fn default() -> Self {
		Self { learning_rate: 0.7, momentum: 0.9, outlier_factor: 4.0 }
	}
}

/// What an outer step did.
#[derive(Clone, Debug, PartialEq)]
pub struct OuterStep {
	/// The next parameters.
	pub parameters: Vec<f32>,
	/// The indices of the changes that were left out as outliers.
	pub rejected: Vec<usize>,
}

fn norm(values: &[f32]) -> f32 {
	values.iter().map(|v| v * v).sum::<f32>().sqrt()
}

/// The indices of `changes` whose norm exceeds `factor` times the median norm (the lower median
/// for an even count, so that half of the changes cannot hide a scaled one).
pub fn outliers(changes: &[Vec<f32>], factor: f32) -> Vec<usize> {
	let norms: Vec<f32> = changes.iter().map(|c| norm(c)).collect();
	let mut sorted = norms.clone();
	sorted.sort_by(f32::total_cmp);
	let Some(&median) = sorted.get(sorted.len().saturating_sub(1) / 2) else { return Vec::new() };
	norms.iter().enumerate().filter(|(_, n)| !n.is_finite() || **n > factor * median).map(|(i, _)| i).collect()
}

/// One outer step from `global` with the round's `changes`: outliers are left out, the outer
/// gradient is minus the mean of the others, `momentum` (the optimizer's state, zeros at first)
/// is updated in place, and the parameters move by Nesterov's step. With no change left the
/// parameters stay.
pub fn outer_step(
	config: &CharLmConfig,
	global: &[f32],
	momentum: &mut [f32],
	changes: &[Vec<f32>],
	optimizer: &OuterOptimizer,
) -> Result<OuterStep> {
	config.check_length("global parameters", global.len())?;
	config.check_length("outer momentum", momentum.len())?;
	for change in changes {
		config.check_length("parameter change", change.len())?;
	}
	let rejected = outliers(changes, optimizer.outlier_factor);
	let kept: Vec<&Vec<f32>> = changes.iter().enumerate().filter(|(i, _)| !rejected.contains(i)).map(|(_, c)| c).collect();
	if kept.is_empty() {
		return Ok(OuterStep { parameters: global.to_vec(), rejected });
	}
	let count = kept.len() as f32;
	let parameters = (0..global.len())
		.map(|i| {
			let gradient = -kept.iter().map(|c| c[i]).sum::<f32>() / count;
			momentum[i] = optimizer.momentum * momentum[i] + gradient;
			global[i] - optimizer.learning_rate * (gradient + optimizer.momentum * momentum[i])
		})
		.collect();
	Ok(OuterStep { parameters, rejected })
}
