//! Trains the digits classifier, quantizes it and writes the quantized model.
//!
//!     cargo run --release -p aichain-offchain-worker --bin train-digits -- [OUT.safetensors]
//!
//! Default output: `offchain-worker/models/digits-mlp.safetensors`. Prints the float and
//! quantized test accuracy, the model's SHA-256 (its `weights_sha256` on chain) and the
//! circuit's constraint count.

use aichain_offchain_worker::models::digits::{circuit, dataset, mlp, quantized::QuantizedMlp};
use std::path::PathBuf;

fn main() -> Result<(), Box<dyn std::error::Error>> {
	let out = std::env::args().nth(1).map(PathBuf::from).unwrap_or_else(|| {
		PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("models/digits-mlp.safetensors")
	});
	let digits = dataset::load()?;
	let device = mlp::device()?;
	let config = mlp::TrainConfig::default();
	let weights = mlp::train(&digits.train, &config, &device)?;
	let model = QuantizedMlp::from_float(&weights)?;
	let sha = model.save(&out)?;
	println!("float test accuracy:     {:.4}", mlp::accuracy(&weights, &digits.test, &device)?);
	println!("quantized test accuracy: {:.4}", model.accuracy(&digits.test));
	println!("ranges: {:?}", model.ranges()?);
	println!("constraints: {}", circuit::constraint_count(&model)?);
	println!("wrote {} sha256 {}", out.display(), sha.iter().map(|b| format!("{b:02x}")).collect::<String>());
	Ok(())
}
