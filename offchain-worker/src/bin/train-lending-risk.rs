//! Trains the float lending-risk model (`aichain_offchain_worker::lending_risk`) and writes what
//! `quantize-mlp` takes:
//!
//!     train-lending-risk [OUT_DIR]     # default ~/.cache/aichain/lending-risk
//!
//! `OUT_DIR/float.safetensors` (the float network with its standardisation),
//! `OUT_DIR/calibration.csv` and `OUT_DIR/test.csv` (the splits, raw features then the label).
//! Prints the float model's held-out accuracy and AUC. `scripts/tabular-model.sh lending-risk` runs it and
//! then `quantize-mlp`.

use aichain_offchain_worker::{lending_risk, tabular};
use std::path::PathBuf;

/// Full-batch steps of the float training.
const EPOCHS: usize = 1_500;

fn main() -> Result<(), Box<dyn std::error::Error>> {
	let out = std::env::args().nth(1).map(PathBuf::from).unwrap_or_else(|| tabular::cache_dir("lending-risk"));
	let splits = lending_risk::load(&lending_risk::data_dir())?;
	let tensors = lending_risk::train(&splits.train, EPOCHS, &candle_core::Device::Cpu)?;
	let m = tabular::save(&out, &splits, &tensors)?;
	println!("float model: test accuracy {:.4}, AUC {:.4}", m.accuracy, m.auc.unwrap_or_default());
	println!("wrote {}, calibration.csv, test.csv", out.join("float.safetensors").display());
	Ok(())
}
