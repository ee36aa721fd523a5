//! The digits classifier in floating point: a 64 → 32 → 10 MLP with a ReLU, trained with candle
//! (full-batch AdamW on cross-entropy) from a seeded initialisation, on CPU or, with the `cuda`
//! feature, on a GPU.
//!
//! Inputs are the raw pixels divided by 16. [`super::quantized`] turns a trained model into the
//! integer model that jobs run and circuits prove.

use super::dataset::{Sample, CLASSES, MAX_PIXEL, PIXELS};
use crate::Result;
use ark_std::rand::{rngs::StdRng, Rng, SeedableRng};
use candle_core::{DType, Device, Module, Tensor, Var};
use candle_nn::{Linear, Optimizer};

/// Hidden units.
pub const HIDDEN: usize = 32;

/// How to train.
#[derive(Clone, Copy, Debug)]
pub struct TrainConfig {
	/// Full-batch steps.
	pub epochs: usize,
	/// AdamW learning rate.
	pub learning_rate: f64,
	/// AdamW weight decay.
	pub weight_decay: f64,
	/// Seed of the initial weights.
	pub seed: u64,
}

impl Default for TrainConfig {
	fn default() -> Self {
		Self { epochs: 400, learning_rate: 0.01, weight_decay: 1e-4, seed: 7 }
	}
}

/// The weights of the float model, row-major (`[out][in]`).
#[derive(Clone, Debug, PartialEq)]
pub struct MlpWeights {
	/// `HIDDEN × PIXELS`.
	pub w1: Vec<f32>,
	/// `HIDDEN`.
	pub b1: Vec<f32>,
	/// `CLASSES × HIDDEN`.
	pub w2: Vec<f32>,
	/// `CLASSES`.
	pub b2: Vec<f32>,
}

/// The model's trainable tensors (`w1, b1, w2, b2`).
pub(crate) struct Mlp {
	pub(crate) vars: [Var; 4],
}

impl Mlp {
	/// He-uniform weights and zero biases from `seed`.
	fn init(seed: u64, device: &Device) -> Result<Self> {
		let mut rng = StdRng::seed_from_u64(seed);
		let mut uniform = |n: usize, fan_in: usize| -> Vec<f32> {
			let bound = (6.0 / fan_in as f32).sqrt();
			(0..n).map(|_| rng.gen_range(-bound..bound)).collect()
		};
		let w1 = Tensor::from_vec(uniform(HIDDEN * PIXELS, PIXELS), (HIDDEN, PIXELS), device)?;
		let w2 = Tensor::from_vec(uniform(CLASSES * HIDDEN, HIDDEN), (CLASSES, HIDDEN), device)?;
		let b1 = Tensor::zeros(HIDDEN, DType::F32, device)?;
		let b2 = Tensor::zeros(CLASSES, DType::F32, device)?;
		Ok(Self { vars: [Var::from_tensor(&w1)?, Var::from_tensor(&b1)?, Var::from_tensor(&w2)?, Var::from_tensor(&b2)?] })
	}

	pub(crate) fn from_weights(weights: &MlpWeights, device: &Device) -> Result<Self> {
		let t = |v: &[f32], shape: (usize, usize)| Tensor::from_slice(v, shape, device);
		let w1 = t(&weights.w1, (HIDDEN, PIXELS))?;
		let w2 = t(&weights.w2, (CLASSES, HIDDEN))?;
		let b1 = Tensor::from_slice(&weights.b1, HIDDEN, device)?;
		let b2 = Tensor::from_slice(&weights.b2, CLASSES, device)?;
		Ok(Self { vars: [Var::from_tensor(&w1)?, Var::from_tensor(&b1)?, Var::from_tensor(&w2)?, Var::from_tensor(&b2)?] })
	}

	fn layers(&self) -> (Linear, Linear) {
		let [w1, b1, w2, b2] = &self.vars;
		(
			Linear::new(w1.as_tensor().clone(), Some(b1.as_tensor().clone())),
			Linear::new(w2.as_tensor().clone(), Some(b2.as_tensor().clone())),
		)
	}

	/// Logits of a batch of scaled images `(n, 64)`.
	pub(crate) fn forward(&self, images: &Tensor) -> Result<Tensor> {
		let (hidden, output) = self.layers();
		Ok(output.forward(&hidden.forward(images)?.relu()?)?)
	}

	pub(crate) fn weights(&self) -> Result<MlpWeights> {
		let flat = |v: &Var| v.as_tensor().flatten_all()?.to_vec1::<f32>();
		let [w1, b1, w2, b2] = &self.vars;
		Ok(MlpWeights { w1: flat(w1)?, b1: flat(b1)?, w2: flat(w2)?, b2: flat(b2)? })
	}
}

/// The images of `samples` scaled to `[0, 1]`, as an `(n, 64)` tensor, and their labels.
pub fn batch(samples: &[Sample], device: &Device) -> Result<(Tensor, Tensor)> {
	let pixels: Vec<f32> =
		samples.iter().flat_map(|s| s.pixels.iter().map(|p| *p as f32 / MAX_PIXEL as f32)).collect();
	let labels: Vec<u32> = samples.iter().map(|s| s.label as u32).collect();
	Ok((Tensor::from_vec(pixels, (samples.len(), PIXELS), device)?, Tensor::from_vec(labels, samples.len(), device)?))
}

/// Trains the classifier on `train` from the seeded initialisation, on `device`.
pub fn train(train: &[Sample], config: &TrainConfig, device: &Device) -> Result<MlpWeights> {
	train_from(Mlp::init(config.seed, device)?, train, config, device)
}

/// Continues training `weights` on `samples` (a training shard's local steps).
pub fn fine_tune(weights: &MlpWeights, samples: &[Sample], config: &TrainConfig, device: &Device) -> Result<MlpWeights> {
	train_from(Mlp::from_weights(weights, device)?, samples, config, device)
}

fn train_from(model: Mlp, samples: &[Sample], config: &TrainConfig, device: &Device) -> Result<MlpWeights> {
	let (images, labels) = batch(samples, device)?;
	let params = candle_nn::ParamsAdamW {
		lr: config.learning_rate,
		weight_decay: config.weight_decay,
		..Default::default()
	};
	let mut optimizer = candle_nn::AdamW::new(model.vars.to_vec(), params)?;
	for _ in 0..config.epochs {
		let loss = candle_nn::loss::cross_entropy(&model.forward(&images)?, &labels)?;
		optimizer.backward_step(&loss)?;
	}
	model.weights()
}

/// Share of `samples` the float model classifies correctly.
pub fn accuracy(weights: &MlpWeights, samples: &[Sample], device: &Device) -> Result<f64> {
	let (images, labels) = batch(samples, device)?;
	let predicted = Mlp::from_weights(weights, device)?.forward(&images)?.argmax(1)?;
	let correct = predicted.eq(&labels)?.to_dtype(DType::F32)?.sum_all()?.to_scalar::<f32>()?;
	Ok(correct as f64 / samples.len() as f64)
}

/// The device to run on: the first CUDA GPU with the `cuda` feature, otherwise the CPU.
pub fn device() -> Result<Device> {
	#[cfg(feature = "cuda")]
	return Ok(Device::new_cuda(0)?);
	#[cfg(not(feature = "cuda"))]
	Ok(Device::Cpu)
}
