//! The digits classifier: trained with candle to at least 95% test accuracy, quantized within
//! one point of it, stored as deterministic safetensors with its SHA-256; bad input refused.

use aichain_offchain_worker::{
	models::digits::{
		dataset, mlp,
		quantized::{QuantizedMlp, INPUT_LEN, OUTPUT_LEN},
	},
	Error,
};
use std::path::PathBuf;

fn committed_model_path() -> PathBuf {
	PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").unwrap()).join("models/digits-mlp.safetensors")
}

#[test]
fn the_split_is_fixed_and_complete() {
	let digits = dataset::load().unwrap();
	assert_eq!((digits.train.len(), digits.test.len()), (1_437, 360));
	for label in 0..10 {
		assert!(digits.test.iter().filter(|s| s.label == label).count() >= 25, "every digit is tested");
	}
}

#[test]
fn training_reaches_95_percent_and_quantization_loses_at_most_one_point() {
	let digits = dataset::load().unwrap();
	let device = mlp::device().unwrap();
	let weights = mlp::train(&digits.train, &mlp::TrainConfig::default(), &device).unwrap();
	let float = mlp::accuracy(&weights, &digits.test, &device).unwrap();
	let model = QuantizedMlp::from_float(&weights).unwrap();
	let quantized = model.accuracy(&digits.test);
	println!("float {float:.4}, quantized {quantized:.4}");
	assert!(float >= 0.95, "float test accuracy {float}");
	assert!(quantized >= float - 0.01, "quantized {quantized} vs float {float}");
	// Untrained weights are far from that: the accuracy comes from training.
	let untrained = mlp::train(&digits.train, &mlp::TrainConfig { epochs: 0, ..Default::default() }, &device).unwrap();
	assert!(mlp::accuracy(&untrained, &digits.test, &device).unwrap() < 0.5);
}

#[test]
fn the_committed_model_is_accurate_and_its_encoding_deterministic() {
	let (model, sha) = QuantizedMlp::load(&committed_model_path()).expect("run train-digits to create the model");
	let digits = dataset::load().unwrap();
	assert!(model.accuracy(&digits.test) >= 0.95);
	assert_eq!(model.sha256().unwrap(), sha, "re-encoding gives the same bytes");
	let dir = tempfile::tempdir().unwrap();
	assert_eq!(model.save(&dir.path().join("m.safetensors")).unwrap(), sha);
}

#[test]
fn jobs_take_64_bytes_and_return_ten_i32_logits() {
	let (model, _) = QuantizedMlp::load(&committed_model_path()).unwrap();
	let digits = dataset::load().unwrap();
	let sample = &digits.test[0];
	let output = model.infer(&sample.pixels).unwrap();
	assert_eq!(output.len(), OUTPUT_LEN);
	let logits = aichain_compute::fixed::decode_i32(&output).unwrap();
	assert_eq!(aichain_compute::fixed::argmax(&logits), Some(model.classify(&sample.pixels) as usize));
	// Any bytes are a valid input (the ranges cover them), but not any length.
	assert!(model.infer(&[255; INPUT_LEN]).is_ok());
	assert!(matches!(model.infer(&[0; 63]), Err(Error::InputLength { expected: 64, got: 63 })));
}

#[test]
fn malformed_model_files_are_refused() {
	let (model, _) = QuantizedMlp::load(&committed_model_path()).unwrap();
	let bytes = model.to_safetensors().unwrap();
	assert!(matches!(QuantizedMlp::from_safetensors(&bytes[..bytes.len() - 1]), Err(Error::Malformed { .. })));
	let mut short = model.clone();
	short.b2.pop();
	assert!(matches!(short.to_safetensors().and_then(|b| QuantizedMlp::from_safetensors(&b)), Err(Error::Malformed { .. })));
	let mut huge = model.clone();
	huge.w2[0] = i32::MAX;
	assert!(matches!(huge.ranges(), Err(Error::OutOfRange(_))));
	assert!(matches!(QuantizedMlp::load(&PathBuf::from("/nonexistent/model")), Err(Error::Io { .. })));
}
