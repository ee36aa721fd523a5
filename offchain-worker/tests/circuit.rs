//! The inference circuit against the engine: the engine's output satisfies the circuit on the
//! whole test set and nothing else does; real Groth16 proofs verify with the chain's verifier
//! (`aichain-zk`) on the public inputs the chain builds, and only for their own input and
//! output; proving keys are cached on disk.

use aichain_compute::zk_public_inputs;
use aichain_offchain_worker::{
	models::digits::{circuit, dataset, quantized::QuantizedMlp, DigitsModel},
	prover,
};
use ark_std::rand::{rngs::StdRng, SeedableRng};

fn model() -> QuantizedMlp {
	let path = std::path::PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").unwrap())
		.join("models/digits-mlp.safetensors");
	QuantizedMlp::load(&path).unwrap().0
}

fn served(model: &QuantizedMlp) -> DigitsModel {
	DigitsModel::new(model.clone(), "digits").unwrap()
}

#[test]
fn the_engine_output_satisfies_the_circuit_on_the_whole_test_set_and_nothing_else_does() {
	let model = model();
	let digits = dataset::load().unwrap();
	for (i, sample) in digits.test.iter().enumerate() {
		let logits = model.logits(&sample.pixels);
		assert!(circuit::is_satisfied(&model, sample.pixels, logits).unwrap(), "test sample {i}");
		let mut wrong = logits;
		wrong[i % 10] = wrong[i % 10].wrapping_add(1);
		assert!(!circuit::is_satisfied(&model, sample.pixels, wrong).unwrap(), "off by one, sample {i}");
	}
	// Extreme inputs (any byte) are within the circuit's ranges too.
	for input in [[0u8; 64], [255u8; 64]] {
		assert!(circuit::is_satisfied(&model, input, model.logits(&input)).unwrap());
	}
}

#[test]
fn proofs_verify_only_for_their_own_input_and_output() {
	let model = model();
	let digits = dataset::load().unwrap();
	let mut rng = StdRng::seed_from_u64(1);
	let dir = tempfile::tempdir().unwrap();
	let cache = prover::KeyCache::new(dir.path());
	let pk = cache.get_or_generate(&served(&model), &mut rng).unwrap();
	let vk = prover::verifying_key(&pk);

	let (a, b) = (&digits.test[0].pixels, &digits.test[1].pixels);
	let (out_a, proof_a) = prover::prove(&pk, &served(&model), a, &mut rng).unwrap();
	let (out_b, proof_b) = prover::prove(&pk, &served(&model), b, &mut rng).unwrap();
	assert_eq!(out_a, model.infer(a).unwrap());
	aichain_zk::verify(&vk, &proof_a, &zk_public_inputs(a, &out_a)).expect("a's proof verifies");
	aichain_zk::verify(&vk, &proof_b, &zk_public_inputs(b, &out_b)).expect("b's proof verifies");

	// Another input, another output, or the other proof: rejected.
	assert!(aichain_zk::verify(&vk, &proof_a, &zk_public_inputs(b, &out_a)).is_err());
	assert!(aichain_zk::verify(&vk, &proof_a, &zk_public_inputs(a, &out_b)).is_err());
	assert!(aichain_zk::verify(&vk, &proof_b, &zk_public_inputs(a, &out_a)).is_err());
	let mut changed = out_a.clone();
	changed[0] ^= 1;
	assert!(aichain_zk::verify(&vk, &proof_a, &zk_public_inputs(a, &changed)).is_err());
	// One flipped bit of the proof: rejected.
	let mut bad = proof_a.clone();
	bad.c.0[5] ^= 0x10;
	assert!(aichain_zk::verify(&vk, &bad, &zk_public_inputs(a, &out_a)).is_err());

	// The cache returns the stored key: same verifying key, and its proofs still verify.
	assert!(cache.path(&model.sha256().unwrap()).exists());
	let cached = cache.get_or_generate(&served(&model), &mut StdRng::seed_from_u64(99)).unwrap();
	assert_eq!(prover::verifying_key(&cached), vk);
	let (out, proof) = prover::prove(&cached, &served(&model), a, &mut rng).unwrap();
	aichain_zk::verify(&vk, &proof, &zk_public_inputs(a, &out)).expect("proof with the cached key verifies");
}

#[test]
fn a_key_for_one_model_does_not_verify_another_models_proofs() {
	let model = model();
	let mut other = model.clone();
	other.b2[3] += 1;
	let mut rng = StdRng::seed_from_u64(2);
	let pk = prover::generate_keys(&served(&model), &mut rng).unwrap();
	let other_pk = prover::generate_keys(&served(&other), &mut rng).unwrap();
	let input = dataset::load().unwrap().test[5].pixels;
	let (out, proof) = prover::prove(&other_pk, &served(&other), &input, &mut rng).unwrap();
	assert!(aichain_zk::verify(&prover::verifying_key(&pk), &proof, &zk_public_inputs(&input, &out)).is_err());
	aichain_zk::verify(&prover::verifying_key(&other_pk), &proof, &zk_public_inputs(&input, &out)).unwrap();
}
