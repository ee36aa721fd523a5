//! Trains the float market-risk model (`aichain_offchain_worker::market_risk`) and writes what
//! `quantize-mlp` takes:
//!
//!     train-market-risk [OUT_DIR]     # default ~/.cache/aichain/market-risk
//!
//! `OUT_DIR/float.safetensors` (the float network with its standardisation),
//! `OUT_DIR/calibration.csv` and `OUT_DIR/test.csv` (the splits, integer inputs then the label).
//! Prints the label's threshold, what always answering "high volatility" and answering today's
//! regime score on the held-out split, and the float model's held-out accuracy and AUC.
//! `scripts/tabular-model.sh market-risk` runs it and then `quantize-mlp`.

use aichain_offchain_worker::{market_risk, tabular};
use std::path::PathBuf;

/// Full-batch steps of the float training.
const EPOCHS: usize = 1_500;

fn main() -> Result<(), Box<dyn std::error::Error>> {
	let out = std::env::args().nth(1).map(PathBuf::from).unwrap_or_else(|| tabular::cache_dir("market-risk"));
	let days = market_risk::read(&market_risk::data_dir())?;
	let splits = market_risk::split(&days)?;
	let threshold = market_risk::threshold(&days).unwrap_or_default();
	let test = &splits.test;
	let share = |hits: usize| hits as f64 / test.labels.len().max(1) as f64;
	let high = share(test.labels.iter().filter(|l| **l == 1).count());
	// Today's regime as tomorrow's: input 2 is log_volatility[t] in hundredths.
	let persistence =
		share(test.features.iter().zip(&test.labels).filter(|(x, l)| usize::from(x[2] > threshold * 100.0) == **l).count());
	println!(
		"{} train, {} calibration, {} test examples; high volatility: log_volatility above {threshold:.4}",
		splits.train.labels.len(),
		splits.calibration.labels.len(),
		test.labels.len()
	);
	println!("test baselines: always high {high:.4}, today's regime {persistence:.4}");
	let tensors = market_risk::train(&splits.train, EPOCHS, &candle_core::Device::Cpu)?;
	let m = tabular::save(&out, &splits, &tensors)?;
	println!("float model: test accuracy {:.4}, AUC {:.4}", m.accuracy, m.auc.unwrap_or_default());
	println!("wrote {}, calibration.csv, test.csv", out.join("float.safetensors").display());
	Ok(())
}
