//! # What the table-trained dApp models share
//!
//! The lending-risk ([`crate::lending_risk`]) and market-risk ([`crate::market_risk`]) models
//! are [`crate::models::fixed_mlp`] models trained on a public table. Each module holds its own
//! data (parsing, features, splits); this one holds what they have in common: the data
//! directory, the three splits, the seeded candle training of a one-hidden-layer network, and
//! the files that `quantize-mlp` takes.

use crate::{
	models::fixed_mlp::{
		evaluate::{metrics, Labelled, Metrics},
		quantize::FloatMlp,
	},
	Error, Result,
};
use candle_core::{DType, Device, Module, Tensor, Var};
use candle_nn::{Linear, Optimizer};
use rand::{rngs::StdRng, Rng, SeedableRng};
use std::{
	collections::HashMap,
	path::{Path, PathBuf},
};

/// `~/.cache/aichain/<name>`: where the scripts keep what they fetch and build.
pub fn cache_dir(name: &str) -> PathBuf {
	PathBuf::from(std::env::var_os("HOME").unwrap_or_default()).join(".cache/aichain").join(name)
}

/// The data directory: `$AICHAIN_DATA_DIR`, or `~/.cache/aichain/data` (`scripts/fetch-models.sh`).
pub fn data_dir() -> PathBuf {
	std::env::var_os("AICHAIN_DATA_DIR").map(PathBuf::from).unwrap_or_else(|| cache_dir("data"))
}

/// The three splits of a table.
#[derive(Clone, Debug, PartialEq)]
pub struct Splits {
	/// To train the float model.
	pub train: Labelled,
	/// To calibrate the quantization.
	pub calibration: Labelled,
	/// Held out.
	pub test: Labelled,
}

/// Trains a float network `features → hidden (ReLU) → 1` on `train` (seeded: the same weights
/// every run on the CPU): full-batch AdamW on binary cross-entropy over standardised features.
/// Returns its tensors as PyTorch's `nn.Sequential(Linear, ReLU, Linear)` names them
/// (`0.weight`, `0.bias`, `2.weight`, `2.bias`), with `input.mean` and `input.std`.
pub fn train(train: &Labelled, hidden: usize, epochs: usize, device: &Device) -> Result<HashMap<String, Tensor>> {
	let features = train.features.first().map_or(0, Vec::len);
	let rows = train.features.len();
	let mean: Vec<f32> = (0..features).map(|f| (train.features.iter().map(|x| x[f]).sum::<f64>() / rows as f64) as f32).collect();
	let std: Vec<f32> = (0..features)
		.map(|f| {
			let variance = train.features.iter().map(|x| (x[f] - mean[f] as f64).powi(2)).sum::<f64>() / rows as f64;
			(variance.sqrt() as f32).max(1e-6)
		})
		.collect();
	let standardised: Vec<f32> =
		train.features.iter().flat_map(|x| x.iter().enumerate().map(|(f, v)| (*v as f32 - mean[f]) / std[f]).collect::<Vec<_>>()).collect();
	let x = Tensor::from_vec(standardised, (rows, features), device)?;
	let y = Tensor::from_vec(train.labels.iter().map(|l| *l as f32).collect::<Vec<_>>(), rows, device)?;

	let mut rng = StdRng::seed_from_u64(11);
	let mut uniform = |n: usize, fan_in: usize| -> Vec<f32> {
		let bound = (6.0 / fan_in as f32).sqrt();
		(0..n).map(|_| rng.gen_range(-bound..bound)).collect()
	};
	let w1 = Var::from_tensor(&Tensor::from_vec(uniform(hidden * features, features), (hidden, features), device)?)?;
	let b1 = Var::zeros(hidden, DType::F32, device)?;
	let w2 = Var::from_tensor(&Tensor::from_vec(uniform(hidden, hidden), (1, hidden), device)?)?;
	let b2 = Var::zeros(1, DType::F32, device)?;
	let forward = |x: &Tensor| -> candle_core::Result<Tensor> {
		let hidden = Linear::new(w1.as_tensor().clone(), Some(b1.as_tensor().clone())).forward(x)?.relu()?;
		Linear::new(w2.as_tensor().clone(), Some(b2.as_tensor().clone())).forward(&hidden)?.squeeze(1)
	};
	let params = candle_nn::ParamsAdamW { lr: 0.02, weight_decay: 1e-4, ..Default::default() };
	let mut optimizer = candle_nn::AdamW::new(vec![w1.clone(), b1.clone(), w2.clone(), b2.clone()], params)?;
	for _ in 0..epochs {
		let loss = binary_cross_entropy_with_logits(&forward(&x)?, &y)?;
		optimizer.backward_step(&loss)?;
	}
	Ok(HashMap::from([
		("0.weight".to_string(), w1.as_tensor().clone()),
		("0.bias".to_string(), b1.as_tensor().clone()),
		("2.weight".to_string(), w2.as_tensor().clone()),
		("2.bias".to_string(), b2.as_tensor().clone()),
		("input.mean".to_string(), Tensor::from_vec(mean, features, device)?),
		("input.std".to_string(), Tensor::from_vec(std, features, device)?),
	]))
}

/// Mean binary cross-entropy of `logits` against 0/1 `targets`, in the stable form
/// `max(x, 0) − x·y + ln(1 + e^−|x|)`. candle's `binary_cross_entropy_with_logit` takes the log
/// of a sigmoid, which rounds to 0 or 1 once a logit passes ±17 in `f32` and turns the loss and
/// every weight into NaN: a confident model (the market-risk one) would never finish training.
pub fn binary_cross_entropy_with_logits(logits: &Tensor, targets: &Tensor) -> candle_core::Result<Tensor> {
	let softplus_of_minus_abs = (logits.abs()?.neg()?.exp()? + 1.0)?.log()?;
	((logits.relu()? - (logits * targets)?)? + softplus_of_minus_abs)?.mean_all()
}

/// Writes into `out` what `quantize-mlp` takes: `float.safetensors` (`tensors`, the float
/// network with its standardisation), `calibration.csv` and `test.csv` (those splits, raw
/// features then the label). Returns the float network's metrics on the test split, read back
/// from the file as `quantize-mlp` reads it.
pub fn save(out: &Path, splits: &Splits, tensors: &HashMap<String, Tensor>) -> Result<Metrics> {
	std::fs::create_dir_all(out).map_err(|source| Error::Io { path: out.to_owned(), source })?;
	let float_path = out.join("float.safetensors");
	candle_core::safetensors::save(tensors, &float_path)?;
	crate::write_file(&out.join("calibration.csv"), splits.calibration.to_csv().as_bytes())?;
	crate::write_file(&out.join("test.csv"), splits.test.to_csv().as_bytes())?;
	let float = FloatMlp::from_safetensors(&crate::read_file(&float_path)?, None)?;
	let scores: Vec<Vec<f64>> = splits.test.features.iter().map(|x| float.forward(x)).collect();
	Ok(metrics(&scores, &splits.test.labels))
}
