//! Data-parallel training of the digits classifier: shards, local SGD, bounded quantized
//! updates, and federated averaging.
//!
//! A training job gives a provider the global weights and a shard; the provider runs `epochs`
//! epochs of mini-batch SGD on the shard starting from the global weights and returns the
//! change of every weight, quantized to `i16` at scale `2^UPDATE_FRAC` and clipped to
//! `±i16::MAX` (so an update has a fixed size, 4,820 bytes, and a bounded effect: at most
//! `±8` per weight). The aggregator averages the updates (federated averaging) and adds the
//! mean to the global weights.
//!
//! On chain, a training job's output is the SHA-256 of the encoded update (it is larger than a
//! job's output limit): redundancy-tier workers agree on that hash, and the update itself is
//! exchanged off chain. Training is deterministic on the CPU (fixed batch order, no dropout),
//! so honest workers produce the same update.

use super::{
	dataset::Sample,
	mlp::{self, MlpWeights},
};
use crate::{Error, Result};
use candle_core::Device;
use candle_nn::Optimizer;
use sha2::{Digest, Sha256};

/// Fractional bits of an update's values.
pub const UPDATE_FRAC: u32 = 12;

/// How a provider trains on its shard.
#[derive(Clone, Copy, Debug)]
pub struct LocalTraining {
	/// Passes over the shard.
	pub epochs: usize,
	/// Samples per SGD step.
	pub batch_size: usize,
	/// SGD learning rate.
	pub learning_rate: f64,
}

impl Default for LocalTraining {
	fn default() -> Self {
		Self { epochs: 2, batch_size: 32, learning_rate: 0.1 }
	}
}

/// A quantized weight update: `round((local − global) · 2^UPDATE_FRAC)`, clipped to `i16`, in
/// the order `w1, b1, w2, b2`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WeightUpdate(pub Vec<i16>);

impl WeightUpdate {
	/// Little-endian `i16`s.
	pub fn encode(&self) -> Vec<u8> {
		self.0.iter().flat_map(|v| v.to_le_bytes()).collect()
	}

	/// Decodes [`WeightUpdate::encode`]'s bytes for a model of `parameters` weights.
	pub fn decode(bytes: &[u8], parameters: usize) -> Result<Self> {
		if bytes.len() != 2 * parameters {
			return Err(Error::Malformed {
				what: "weight update",
				detail: format!("{} bytes, expected {}", bytes.len(), 2 * parameters),
			});
		}
		Ok(Self(bytes.chunks_exact(2).map(|c| i16::from_le_bytes([c[0], c[1]])).collect()))
	}

	/// What goes on chain: the SHA-256 of the encoded update.
	pub fn commitment(&self) -> [u8; 32] {
		Sha256::digest(self.encode()).into()
	}
}

/// Shard `index` of `count`: every `count`-th sample from `index`.
pub fn shard(samples: &[Sample], count: usize, index: usize) -> Vec<Sample> {
	samples.iter().skip(index).step_by(count.max(1)).cloned().collect()
}

/// The weights in update order.
fn flatten(weights: &MlpWeights) -> Vec<f32> {
	[&weights.w1, &weights.b1, &weights.w2, &weights.b2].into_iter().flatten().copied().collect()
}

/// Weights of the global model's shape from values in update order.
fn unflatten(like: &MlpWeights, values: &[f32]) -> MlpWeights {
	let (w1, rest) = values.split_at(like.w1.len());
	let (b1, rest) = rest.split_at(like.b1.len());
	let (w2, b2) = rest.split_at(like.w2.len());
	MlpWeights { w1: w1.to_vec(), b1: b1.to_vec(), w2: w2.to_vec(), b2: b2.to_vec() }
}

/// A provider's training job: local SGD on `shard` from `global`, as a quantized update.
pub fn local_update(global: &MlpWeights, shard: &[Sample], config: &LocalTraining, device: &Device) -> Result<WeightUpdate> {
	let local = local_sgd(global, shard, config, device)?;
	let scale = (1u32 << UPDATE_FRAC) as f32;
	let deltas = flatten(&local)
		.iter()
		.zip(flatten(global))
		.map(|(l, g)| ((l - g) * scale).round().clamp(-(i16::MAX as f32), i16::MAX as f32) as i16)
		.collect();
	Ok(WeightUpdate(deltas))
}

/// Federated averaging: `global + mean(updates)`.
pub fn federated_average(global: &MlpWeights, updates: &[WeightUpdate]) -> Result<MlpWeights> {
	let mut values = flatten(global);
	if updates.is_empty() {
		return Ok(global.clone());
	}
	for update in updates {
		if update.0.len() != values.len() {
			return Err(Error::Malformed {
				what: "weight update",
				detail: format!("{} values, the model has {}", update.0.len(), values.len()),
			});
		}
	}
	let scale = (1u32 << UPDATE_FRAC) as f32 * updates.len() as f32;
	for (i, value) in values.iter_mut().enumerate() {
		let sum: i32 = updates.iter().map(|u| u.0[i] as i32).sum();
		*value += sum as f32 / scale;
	}
	Ok(unflatten(global, &values))
}

/// Mini-batch SGD on `samples` (in order) from `start`.
fn local_sgd(start: &MlpWeights, samples: &[Sample], config: &LocalTraining, device: &Device) -> Result<MlpWeights> {
	let model = mlp::Mlp::from_weights(start, device)?;
	let mut sgd = candle_nn::SGD::new(model.vars.to_vec(), config.learning_rate)?;
	for _ in 0..config.epochs {
		for batch in samples.chunks(config.batch_size.max(1)) {
			let (images, labels) = mlp::batch(batch, device)?;
			sgd.backward_step(&candle_nn::loss::cross_entropy(&model.forward(&images)?, &labels)?)?;
		}
	}
	model.weights()
}
