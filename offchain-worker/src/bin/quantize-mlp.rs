//! The model owner's tool for bringing a float network to the chain as a fixed-point MLP
//! (`aichain_offchain_worker::models::fixed_mlp`):
//!
//!     quantize-mlp --float model.safetensors --calibration calibration.csv --test test.csv \
//!                  --out my-model.safetensors [--keys-dir DIR] [--activations relu,none]
//!                  [--input-frac F] [--input-bits N] [--weight-bits 20] [--activation-bits 16]
//!
//! 1. imports the float network (PyTorch or candle safetensors: linear layers `<p>.weight`,
//!    `<p>.bias`; optional `input.mean`/`input.std`, folded in);
//! 2. quantizes it with the calibration data (CSV: features, then the label);
//! 3. reports float vs quantized accuracy (and AUC for a binary model) on the test split;
//! 4. writes the model file, prints its SHA-256 and the circuit's constraint count;
//! 5. generates its Groth16 keys into `--keys-dir` (default: `keys/` next to the model file) and
//!    prints the `aichain-client register-model` arguments.
//!
//! Providers serve the model once the file (and, for zk jobs, its `.pk`) is in their models
//! directory.

use aichain_offchain_worker::{
	models::{
		fixed_mlp::{
			evaluate::{compare, Labelled, Metrics},
			network::Activation,
			quantize::{quantize, FloatMlp, QuantizeOptions},
			FixedMlpModel,
		},
		EngineModel,
	},
	prover,
};
use clap::Parser;
use codec::Encode;
use std::path::PathBuf;

#[derive(Parser)]
#[command(name = "quantize-mlp", about = "Quantize a float MLP into a provable fixed-point model file")]
struct Args {
	/// The float network (safetensors).
	#[arg(long)]
	float: PathBuf,
	/// Calibration data (CSV: features, then the label).
	#[arg(long)]
	calibration: PathBuf,
	/// Held-out test data (same columns).
	#[arg(long)]
	test: PathBuf,
	/// Where to write the model file.
	#[arg(long)]
	out: PathBuf,
	/// Where the proving and verifying keys go (default: `keys/` next to `--out`).
	#[arg(long)]
	keys_dir: Option<PathBuf>,
	/// One per layer, `relu` or `none` (default: ReLU between layers, none after the last).
	#[arg(long, value_delimiter = ',')]
	activations: Option<Vec<String>>,
	/// Inputs are `round(x · 2^input_frac)`.
	#[arg(long, default_value_t = 0, allow_negative_numbers = true)]
	input_frac: i32,
	/// Signed bits of every input (default: each input's own, from the calibration data).
	#[arg(long)]
	input_bits: Option<u32>,
	/// Signed bits of each layer's largest weight.
	#[arg(long, default_value_t = 20)]
	weight_bits: u32,
	/// Signed bits of each layer's largest calibration activation.
	#[arg(long, default_value_t = 16)]
	activation_bits: u32,
}

fn show(metrics: &Metrics) -> String {
	let auc = metrics.auc.map(|a| format!(", AUC {a:.4}")).unwrap_or_default();
	format!("accuracy {:.4}{auc}", metrics.accuracy)
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
	let args = Args::parse();
	let activations = args
		.activations
		.map(|names| names.iter().map(|n| Activation::from_name(n)).collect::<Result<Vec<_>, _>>())
		.transpose()?;
	let float = FloatMlp::from_safetensors(&std::fs::read(&args.float)?, activations)?;
	let calibration = Labelled::load(&args.calibration)?;
	let test = Labelled::load(&args.test)?;
	let options = QuantizeOptions {
		input_frac: args.input_frac,
		input_bits: args.input_bits,
		weight_bits: args.weight_bits,
		activation_bits: args.activation_bits,
	};
	let mut file = quantize(&float, &calibration.features, options)?;
	let features = &calibration.header[..calibration.header.len().saturating_sub(1)];
	file.info.insert("features".into(), features.join(","));
	let comparison = compare(&float, &file, &test)?;
	let bytes = file.to_bytes()?;
	std::fs::write(&args.out, &bytes)?;
	let model = FixedMlpModel::from_bytes(&bytes, &args.out.file_stem().unwrap_or_default().to_string_lossy())?;
	let card = model.card();

	for (i, layer) in file.network.layers.iter().enumerate() {
		println!("layer {i}: {} → {}, {}, shift {}", layer.inputs, layer.outputs, layer.activation.name(), layer.shift);
	}
	println!(
		"input_bits {:?}, input_frac {}, output_frac {}; {} constraints",
		file.network.input_bits,
		args.input_frac,
		file.info_number("output_frac").unwrap_or(0),
		model.constraints()
	);
	println!("test split ({} examples):", test.labels.len());
	println!("  float:     {}", show(&comparison.float));
	println!("  quantized: {} ({} inputs refused as out of range)", show(&comparison.quantized), comparison.refused);
	println!("wrote {} (sha256 {})", args.out.display(), card.sha256_hex());

	let keys_dir = args.keys_dir.unwrap_or_else(|| args.out.parent().unwrap_or(std::path::Path::new(".")).join("keys"));
	let cache = prover::KeyCache::new(&keys_dir);
	let key = cache.get_or_generate(&model, &mut rand::rngs::OsRng)?;
	let vk_path = cache.path(&card.weights_sha256).with_extension("vk");
	std::fs::write(&vk_path, prover::verifying_key(&key).encode())?;
	println!("proving key {}, verifying key {}", cache.path(&card.weights_sha256).display(), vk_path.display());
	println!(
		"register: aichain-client register-model --name {} --content-address <where the file is> --price <AIC> {} --verifying-key-file {}",
		card.name,
		card.register_arguments(),
		vk_path.display()
	);
	Ok(())
}
