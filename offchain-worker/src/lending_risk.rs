//! # The DeFi lending-risk model
//!
//! The seed's DeFi use case: a lending application scores a borrower's risk of default with a
//! model whose every inference is proven on chain. It is a [`crate::models::fixed_mlp`] model
//! (no code of its own in the engine): this module holds its data and its float training, and
//! `scripts/lending-risk.sh` quantizes it through `quantize-mlp` like any dApp's model.
//!
//! - **Data**: the ISLP credit-default table (`Default.csv`: `default`, `student`, `balance`,
//!   `income`; 10,000 simulated customers; BSD) from the PyPI package `ISLP==0.6.0`, fetched by
//!   `scripts/fetch-models.sh` with its SHA-256 checked. Features: `student` (0/1), `balance` and
//!   `income` in dollars; the label is `default` (1: defaulted, 3.3 % of rows).
//! - **Split**: a seeded shuffle, 6,000 rows to train, 2,000 to calibrate the quantization and
//!   2,000 held out to test.
//! - **Model**: 3 → 8 (ReLU) → 1, the output a default logit, trained with candle (full-batch
//!   AdamW on binary cross-entropy) on standardised features; the standardisation is saved with
//!   the weights (`input.mean`, `input.std`) so the quantized model takes raw dollars.

use crate::{models::fixed_mlp::evaluate::Labelled, Error, Result};
use rand::{rngs::StdRng, seq::SliceRandom, Rng, SeedableRng};
use candle_core::{DType, Device, Module, Tensor, Var};
use candle_nn::{Linear, Optimizer};
use std::{collections::HashMap, path::{Path, PathBuf}};

/// The table's file name inside the data directory.
pub const FILE: &str = "islp/Default.csv";
/// Hidden units of the float model.
pub const HIDDEN: usize = 8;
/// Rows of the three splits.
pub const SPLIT: (usize, usize, usize) = (6_000, 2_000, 2_000);

/// The data directory: `$AICHAIN_DATA_DIR`, or `~/.cache/aichain/data` (`scripts/fetch-models.sh`).
pub fn data_dir() -> PathBuf {
	std::env::var_os("AICHAIN_DATA_DIR").map(PathBuf::from).unwrap_or_else(|| {
		PathBuf::from(std::env::var_os("HOME").unwrap_or_default()).join(".cache/aichain/data")
	})
}

/// The three splits of the table.
#[derive(Clone, Debug, PartialEq)]
pub struct Splits {
	/// To train the float model.
	pub train: Labelled,
	/// To calibrate the quantization.
	pub calibration: Labelled,
	/// Held out.
	pub test: Labelled,
}

/// Parses `Default.csv` (the four columns with `Yes`/`No` for `default` and `student`) into
/// features `student, balance, income` and the label `default`.
pub fn parse(csv: &str) -> Result<Labelled> {
	let bad = |detail: String| Error::Malformed { what: "ISLP Default.csv", detail };
	let mut lines = csv.lines().filter(|l| !l.trim().is_empty());
	let header = lines.next().ok_or_else(|| bad("empty".into()))?;
	if header.trim() != "default,student,balance,income" {
		return Err(bad(format!("header {header:?}")));
	}
	let yes_no = |v: &str| match v.trim().trim_matches('"') {
		"Yes" => Ok(1.0),
		"No" => Ok(0.0),
		other => Err(bad(format!("{other:?} is not Yes or No"))),
	};
	let mut data = Labelled { header: ["student", "balance", "income", "default"].map(String::from).to_vec(), ..Default::default() };
	for line in lines {
		let fields: Vec<&str> = line.split(',').collect();
		let [default, student, balance, income] = fields[..] else {
			return Err(bad(format!("row {line:?}")));
		};
		let number = |v: &str| v.trim().parse::<f64>().map_err(|e| bad(format!("{v:?}: {e}")));
		data.features.push(vec![yes_no(student)?, number(balance)?, number(income)?]);
		data.labels.push(yes_no(default)? as usize);
	}
	Ok(data)
}

/// The fixed splits of the table in `data_dir`.
pub fn load(data_dir: &Path) -> Result<Splits> {
	let path = data_dir.join(FILE);
	if !path.is_file() {
		return Err(Error::ModelMissing { path });
	}
	let data = parse(&String::from_utf8_lossy(&crate::read_file(&path)?))?;
	let mut order: Vec<usize> = (0..data.labels.len()).collect();
	order.shuffle(&mut StdRng::seed_from_u64(2026));
	let take = |rows: &[usize]| Labelled {
		header: data.header.clone(),
		features: rows.iter().map(|r| data.features[*r].clone()).collect(),
		labels: rows.iter().map(|r| data.labels[*r]).collect(),
	};
	let (train, calibration) = (SPLIT.0, SPLIT.0 + SPLIT.1);
	if order.len() < calibration + SPLIT.2 {
		return Err(Error::Malformed { what: "ISLP Default.csv", detail: format!("{} rows", order.len()) });
	}
	Ok(Splits { train: take(&order[..train]), calibration: take(&order[train..calibration]), test: take(&order[calibration..calibration + SPLIT.2]) })
}

/// Trains the float model on `train` (seeded: the same weights every run on the CPU) and returns
/// its tensors as PyTorch's `nn.Sequential(Linear, ReLU, Linear)` names them (`0.weight`,
/// `0.bias`, `2.weight`, `2.bias`), with `input.mean` and `input.std`.
pub fn train(train: &Labelled, epochs: usize, device: &Device) -> Result<HashMap<String, Tensor>> {
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
	let w1 = Var::from_tensor(&Tensor::from_vec(uniform(HIDDEN * features, features), (HIDDEN, features), device)?)?;
	let b1 = Var::zeros(HIDDEN, DType::F32, device)?;
	let w2 = Var::from_tensor(&Tensor::from_vec(uniform(HIDDEN, HIDDEN), (1, HIDDEN), device)?)?;
	let b2 = Var::zeros(1, DType::F32, device)?;
	let forward = |x: &Tensor| -> candle_core::Result<Tensor> {
		let hidden = Linear::new(w1.as_tensor().clone(), Some(b1.as_tensor().clone())).forward(x)?.relu()?;
		Linear::new(w2.as_tensor().clone(), Some(b2.as_tensor().clone())).forward(&hidden)?.squeeze(1)
	};
	let params = candle_nn::ParamsAdamW { lr: 0.02, weight_decay: 1e-4, ..Default::default() };
	let mut optimizer = candle_nn::AdamW::new(vec![w1.clone(), b1.clone(), w2.clone(), b2.clone()], params)?;
	for _ in 0..epochs {
		let loss = candle_nn::loss::binary_cross_entropy_with_logit(&forward(&x)?, &y)?;
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
