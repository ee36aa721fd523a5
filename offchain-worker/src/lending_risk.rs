//! # The DeFi lending-risk model
//!
//! The seed's DeFi use case: a lending application scores a borrower's risk of default with a
//! model whose every inference is proven on chain. It is a [`crate::models::fixed_mlp`] model
//! (no code of its own in the engine): this module holds its data and its float training, and
//! `scripts/tabular-model.sh lending-risk` quantizes it through `quantize-mlp` like any dApp's model.
//!
//! - **Data**: the ISLP credit-default table (`Default.csv`: `default`, `student`, `balance`,
//!   `income`; 10,000 simulated customers; BSD) from the PyPI package `ISLP==0.6.0`, fetched by
//!   `scripts/fetch-models.sh` with its SHA-256 checked. Features: `student` (0/1), `balance` and
//!   `income` in dollars; the label is `default` (1: defaulted, 3.3 % of rows).
//! - **Split**: a seeded shuffle, 6,000 rows to train, 2,000 to calibrate the quantization and
//!   2,000 held out to test.
//! - **Model**: 3 → 8 (ReLU) → 1, the output a default logit, trained with candle (full-batch
//!   AdamW on binary cross-entropy, [`crate::tabular::train`]) on standardised features; the
//!   standardisation is saved with the weights (`input.mean`, `input.std`) so the quantized model
//!   takes raw dollars.

use crate::{models::fixed_mlp::evaluate::Labelled, Error, Result};
use rand::{rngs::StdRng, seq::SliceRandom, SeedableRng};
use candle_core::{Device, Tensor};
use std::{collections::HashMap, path::Path};

pub use crate::tabular::{data_dir, Splits};

/// The table's file name inside the data directory.
pub const FILE: &str = "islp/Default.csv";
/// Hidden units of the float model.
pub const HIDDEN: usize = 8;
/// Rows of the three splits.
pub const SPLIT: (usize, usize, usize) = (6_000, 2_000, 2_000);

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

/// Trains the float model on `train` ([`crate::tabular::train`] with [`HIDDEN`] units; seeded:
/// the same weights every run on the CPU) and returns its tensors as PyTorch's
/// `nn.Sequential(Linear, ReLU, Linear)` names them (`0.weight`, `0.bias`, `2.weight`,
/// `2.bias`), with `input.mean` and `input.std`.
pub fn train(train: &Labelled, epochs: usize, device: &Device) -> Result<HashMap<String, Tensor>> {
	crate::tabular::train(train, HIDDEN, epochs, device)
}
