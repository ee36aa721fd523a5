//! A shard's local training (DiLoCo's inner steps) and the validation loss.
//!
//! A shard starts from given parameters and runs `steps` AdamW steps on windows of its own text,
//! drawn from a generator seeded by the job, so that two replicas of the shard draw the same
//! batches. The loss is measured in bits per character on fixed, evenly spaced windows.

use super::{layout::CharLmConfig, model::CharLm};
use crate::{Error, Result};
use candle_core::{Device, Tensor};
use candle_nn::{AdamW, Optimizer, ParamsAdamW};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// How a shard trains: DiLoCo's inner optimizer and its number of steps (H).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct LocalTraining {
	/// AdamW steps.
	pub steps: usize,
	/// Windows of `context` characters per step.
	pub batch_size: usize,
	/// AdamW's learning rate.
	pub learning_rate: f64,
	/// AdamW's decoupled weight decay.
	pub weight_decay: f64,
}

impl Default for LocalTraining {
	fn default() -> Self {
		Self { steps: 50, batch_size: 16, learning_rate: 3e-3, weight_decay: 0.01 }
	}
}

/// What a shard's training returns.
#[derive(Clone, Debug)]
pub struct ShardOutcome {
	/// The parameters after the last step.
	pub parameters: Vec<f32>,
	/// The training loss (nats per character) of each step's batch, before its update.
	pub losses: Vec<f32>,
}

/// The inputs and next-character targets (`[windows, context]` each) of the windows of `text`
/// starting at `starts`.
fn batch(text: &[u8], starts: &[usize], context: usize, device: &Device) -> Result<(Tensor, Tensor)> {
	let window = |offset: usize| -> Vec<u32> {
		starts.iter().flat_map(|&start| text[start + offset..start + offset + context].iter().map(|&b| u32::from(b))).collect()
	};
	let shape = (starts.len(), context);
	Ok((Tensor::from_vec(window(0), shape, device)?, Tensor::from_vec(window(1), shape, device)?))
}

/// The number of window starts in `text` (each window needs `context + 1` characters).
fn window_starts(text: &[u8], context: usize) -> Result<usize> {
	match text.len().checked_sub(context) {
		Some(starts) if starts > 0 => Ok(starts),
		_ => Err(Error::InvalidInput(format!("{} characters of text, a window needs {}", text.len(), context + 1))),
	}
}

/// Runs `training` on `text` from `parameters` on `device`, drawing batches with `seed`.
///
/// On the CPU the same inputs give the same bits at any thread count; a GPU's kernels round
/// differently (the shard model's sketch tolerance absorbs that, `docs/distributed-training.md`).
pub fn train_shard(
	device: &Device,
	config: CharLmConfig,
	parameters: &[f32],
	text: &[u8],
	training: &LocalTraining,
	seed: u64,
) -> Result<ShardOutcome> {
	let starts = window_starts(text, config.context)?;
	let model = CharLm::from_parameters(config, parameters, device)?;
	let adamw = ParamsAdamW { lr: training.learning_rate, weight_decay: training.weight_decay, ..Default::default() };
	let mut optimizer = AdamW::new(model.vars().to_vec(), adamw)?;
	let mut rng = ChaCha8Rng::seed_from_u64(seed);
	let mut losses = Vec::with_capacity(training.steps);
	for _ in 0..training.steps {
		let picks: Vec<usize> = (0..training.batch_size).map(|_| rng.gen_range(0..starts)).collect();
		let (tokens, targets) = batch(text, &picks, config.context, device)?;
		let loss = model.loss(&tokens, &targets)?;
		optimizer.backward_step(&loss)?;
		losses.push(loss.to_scalar::<f32>()?);
	}
	Ok(ShardOutcome { parameters: model.parameters()?, losses })
}

/// The mean loss of `parameters` on `windows` evenly spaced windows of `text`, in bits per
/// character.
pub fn bits_per_character(config: CharLmConfig, parameters: &[f32], text: &[u8], windows: usize) -> Result<f64> {
	const WINDOWS_PER_BATCH: usize = 32;
	let starts = window_starts(text, config.context)?;
	let device = Device::Cpu;
	let model = CharLm::from_parameters(config, parameters, &device)?;
	let all: Vec<usize> = (0..windows.max(1)).map(|i| i * starts / windows.max(1)).collect();
	let mut nats = 0.0;
	for chunk in all.chunks(WINDOWS_PER_BATCH) {
		let (tokens, targets) = batch(text, chunk, config.context, &device)?;
		nats += f64::from(model.loss(&tokens, &targets)?.to_scalar::<f32>()?) * chunk.len() as f64;
	}
	Ok(nats / all.len() as f64 / std::f64::consts::LN_2)
}

/// How [`sample`] picks each next character.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Sampling {
	/// The most likely character.
	Greedy,
	/// A draw from the model's distribution sharpened by `temperature` (below 1: likelier
	/// characters more often), from a generator seeded by `seed`: the same text every time.
	Temperature { temperature: f32, seed: u64 },
}

/// `length` characters continuing `prompt`, each picked by `sampling`, reading at most the
/// context's last characters.
pub fn sample(model: &CharLm, prompt: &[u8], length: usize, sampling: Sampling) -> Result<Vec<u8>> {
	let context = model.config().context;
	let mut rng = match sampling {
		Sampling::Temperature { seed, .. } => ChaCha8Rng::seed_from_u64(seed),
		Sampling::Greedy => ChaCha8Rng::seed_from_u64(0),
	};
	let mut text = prompt.to_vec();
	for _ in 0..length {
		let window = &text[text.len().saturating_sub(context)..];
		let tokens = Tensor::from_vec(window.iter().map(|&b| u32::from(b)).collect::<Vec<_>>(), (1, window.len()), &Device::Cpu)?;
		let logits = model.forward(&tokens)?.narrow(1, window.len() - 1, 1)?.flatten_all()?;
		let next = match sampling {
			Sampling::Greedy => logits.argmax(0)?.to_scalar::<u32>()?,
			Sampling::Temperature { temperature, .. } => draw(&logits.to_vec1::<f32>()?, temperature, &mut rng),
		};
		text.push(next as u8);
	}
	Ok(text.split_off(prompt.len()))
}

/// Index `i` with probability `softmax(logits / temperature)_i`.
fn draw(logits: &[f32], temperature: f32, rng: &mut ChaCha8Rng) -> u32 {
	let max = logits.iter().copied().fold(f32::NEG_INFINITY, f32::max);
	let weights: Vec<f64> = logits.iter().map(|&l| f64::from((l - max) / temperature.max(1e-3)).exp()).collect();
	let mut target = rng.gen::<f64>() * weights.iter().sum::<f64>();
	for (index, weight) in weights.iter().enumerate() {
		target -= weight;
		if target <= 0.0 {
			return index as u32;
		}
	}
	(weights.len() - 1) as u32
}
