//! Trains the float lending-risk model (`aichain_offchain_worker::lending_risk`) and writes what
//! `quantize-mlp` takes:
//!
//!     train-lending-risk [OUT_DIR]     # default ~/.cache/aichain/lending-risk
//!
//! `OUT_DIR/float.safetensors` (the float network with its standardisation),
//! `OUT_DIR/calibration.csv` and `OUT_DIR/test.csv` (the splits, raw features then the label).
//! Prints the float model's held-out accuracy and AUC. `scripts/lending-risk.sh` runs it and
//! then `quantize-mlp`.

use aichain_offchain_worker::{
	lending_risk,
	models::fixed_mlp::{evaluate::metrics, quantize::FloatMlp},
};
use std::path::PathBuf;

/// Full-batch steps of the float training.
const EPOCHS: usize = 1_500;

fn main() -> Result<(), Box<dyn std::error::Error>> {
	let out = std::env::args().nth(1).map(PathBuf::from).unwrap_or_else(|| {
		PathBuf::from(std::env::var_os("HOME").unwrap_or_default()).join(".cache/aichain/lending-risk")
	});
	std::fs::create_dir_all(&out)?;
	let splits = lending_risk::load(&lending_risk::data_dir())?;
	let tensors = lending_risk::train(&splits.train, EPOCHS, &candle_core::Device::Cpu)?;
	let float_path = out.join("float.safetensors");
	candle_core::safetensors::save(&tensors, &float_path)?;
	std::fs::write(out.join("calibration.csv"), splits.calibration.to_csv())?;
	std::fs::write(out.join("test.csv"), splits.test.to_csv())?;
	let float = FloatMlp::from_safetensors(&std::fs::read(&float_path)?, None)?;
	let scores: Vec<Vec<f64>> = splits.test.features.iter().map(|x| float.forward(x)).collect();
	let m = metrics(&scores, &splits.test.labels);
	println!("float model: test accuracy {:.4}, AUC {:.4}", m.accuracy, m.auc.unwrap_or_default());
	println!("wrote {}, calibration.csv, test.csv", float_path.display());
	Ok(())
}
