//! The DeFi lending-risk model (ISLP credit-default data, fetched by `scripts/fetch-models.sh`):
//! the data and its fixed split; the float model trained with candle and quantized through the
//! same path as any dApp's model stays within one point of accuracy and AUC on the held-out
//! split; the committed model file scores as well, and a borrower's default score is proven with
//! the committed keys and verified on the chain's public inputs, a one-bit change rejected.

use aichain_compute::{fixed, zk_public_inputs};
use aichain_offchain_worker::{
	lending_risk,
	models::{
		fixed_mlp::{
			evaluate::compare,
			quantize::{quantize, quantize_inputs, FloatMlp, QuantizeOptions},
			FixedMlpModel,
		},
		EngineModel,
	},
	prover,
};
use codec::Decode;
use std::path::PathBuf;

fn committed(name: &str) -> PathBuf {
	PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("models").join(name)
}

fn float_model(splits: &lending_risk::Splits) -> FloatMlp {
	let tensors = lending_risk::train(&splits.train, 1_500, &candle_core::Device::Cpu).unwrap();
	let dir = tempfile::tempdir().unwrap();
	let path = dir.path().join("float.safetensors");
	candle_core::safetensors::save(&tensors, &path).unwrap();
	FloatMlp::from_safetensors(&std::fs::read(&path).unwrap(), None).unwrap()
}

#[test]
fn the_quantized_risk_model_is_within_one_point_of_the_float_one_and_its_scores_are_proven() {
	let splits = lending_risk::load(&lending_risk::data_dir()).expect("run scripts/fetch-models.sh");
	let defaults = |d: &[usize]| d.iter().filter(|l| **l == 1).count();
	assert_eq!((splits.train.labels.len(), splits.calibration.labels.len(), splits.test.labels.len()), (6_000, 2_000, 2_000));
	assert_eq!(defaults(&splits.train.labels) + defaults(&splits.calibration.labels) + defaults(&splits.test.labels), 333);

	let float = float_model(&splits);
	let fresh = quantize(&float, &splits.calibration.features, QuantizeOptions::default()).unwrap();
	let model = FixedMlpModel::load(&committed("lending-risk.safetensors")).expect("committed: run scripts/tabular-model.sh lending-risk");
	for (what, file) in [("quantized now", &fresh), ("committed", model.file())] {
		let c = compare(&float, file, &splits.test).unwrap();
		let (float_auc, auc) = (c.float.auc.unwrap(), c.quantized.auc.unwrap());
		println!(
			"{what}: float accuracy {:.4} AUC {float_auc:.4}; quantized accuracy {:.4} AUC {auc:.4}; {} refused",
			c.float.accuracy, c.quantized.accuracy, c.refused
		);
		assert!(c.float.accuracy > 0.967 && float_auc > 0.9, "better than always saying no default: {c:?}");
		assert!((c.float.accuracy - c.quantized.accuracy).abs() <= 0.01, "{what}: {c:?}");
		assert!((float_auc - auc).abs() <= 0.01, "{what}: {c:?}");
		assert_eq!(c.refused, 0);
	}

	// A borrower's score, proven with the committed keys as a provider proves it.
	let sha = model.card().weights_sha256;
	let keys = prover::KeyCache::new(committed("keys"));
	let proving_key = keys.get(&sha).unwrap().expect("committed proving key");
	let vk_bytes = std::fs::read(keys.path(&sha).with_extension("vk")).unwrap();
	let vk = aichain_zk::VerifyingKey::decode(&mut &vk_bytes[..]).unwrap();
	assert_eq!(prover::verifying_key(&proving_key), vk, "the committed .vk belongs to the committed .pk");
	let borrower = [1.0, 2_100.0, 14_000.0]; // a student with a $2,100 balance and $14,000 income
	let input = fixed::encode_i32(&quantize_inputs(&borrower, 0).unwrap());
	let (output, proof) = prover::prove(&proving_key, &model, &input, &mut rand::rngs::OsRng).unwrap();
	let logit = fixed::decode_i32(&output).unwrap()[0] as f64 / 2f64.powi(model.file().info_number("output_frac").unwrap());
	println!("borrower {borrower:?}: default logit {logit:.3} (float {:.3})", float.forward(&borrower)[0]);
	aichain_zk::verify(&vk, &proof, &zk_public_inputs(&input, &output)).expect("the score's proof verifies");
	let mut tampered = output.clone();
	tampered[0] ^= 1;
	assert!(aichain_zk::verify(&vk, &proof, &zk_public_inputs(&input, &tampered)).is_err(), "one bit of the score changed");
}
