//! Benchmarks of fixed-point MLPs proven through the generic circuit, in one run:
//! - the committed lending-risk model (3 → 8 → 1): inference and a Groth16 proof;
//! - the digits network (64 → 32 → 10) as a fixed-point MLP file, next to the same weights
//!   proven by its hand-written circuit: what the generic path costs.
//!
//!     cargo bench -p aichain-offchain-worker --bench fixed_mlp
//!
//! Also prints each circuit's constraint count.

use aichain_compute::fixed;
use aichain_offchain_worker::{
	models::{
		digits::{dataset, mlp::HIDDEN, quantized::QuantizedMlp, DigitsModel},
		fixed_mlp::{
			file::ModelFile,
			network::{Activation, FixedMlp, Layer},
			FixedMlpModel,
		},
		EngineModel,
	},
	prover,
};
use ark_std::rand::{rngs::StdRng, SeedableRng};
use criterion::{criterion_group, criterion_main, Criterion};
use std::path::PathBuf;

fn fixed_mlp(c: &mut Criterion) {
	let models = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("models");
	let mut rng = StdRng::seed_from_u64(1);
	let lending = FixedMlpModel::load(&models.join("lending-risk.safetensors")).unwrap();
	let lending_key = prover::KeyCache::new(models.join("keys")).get(&lending.card().weights_sha256).unwrap().unwrap();
	let borrower = fixed::encode_i32(&[1, 2_100, 14_000]);

	let (digits, _) = QuantizedMlp::load(&models.join("digits-mlp.safetensors")).unwrap();
	let as_fixed = FixedMlp {
		input_bits: vec![9; 64],
		layers: vec![
			Layer { inputs: 64, outputs: HIDDEN, weights: digits.w1.clone(), biases: digits.b1.clone(), shift: 6, activation: Activation::Relu },
			Layer { inputs: HIDDEN, outputs: 10, weights: digits.w2.clone(), biases: digits.b2.clone(), shift: 0, activation: Activation::Identity },
		],
	};
	let bytes = ModelFile { network: as_fixed, info: Default::default() }.to_bytes().unwrap();
	let generic = FixedMlpModel::from_bytes(&bytes, "digits as a fixed-point MLP").unwrap();
	let generic_key = prover::generate_keys(&generic, &mut rng).unwrap();
	let pixels = dataset::load().unwrap().test[0].pixels;
	let generic_input = fixed::encode_i32(&pixels.map(i32::from));
	assert_eq!(generic.run(&generic_input).unwrap(), digits.infer(&pixels).unwrap(), "the same logits");
	let handwritten = DigitsModel::new(digits, "digits").unwrap();
	let handwritten_key = prover::generate_keys(&handwritten, &mut rng).unwrap();
	println!(
		"constraints: lending-risk {}, digits as a fixed-point MLP {}, digits' own circuit {}",
		prover::constraint_count(&lending).unwrap(),
		prover::constraint_count(&generic).unwrap(),
		prover::constraint_count(&handwritten).unwrap()
	);

	let mut group = c.benchmark_group("fixed_mlp");
	group.bench_function("lending_risk_infer", |b| b.iter(|| lending.run(&borrower).unwrap()));
	group.sample_size(20);
	group.bench_function("lending_risk_prove", |b| b.iter(|| prover::prove(&lending_key, &lending, &borrower, &mut rng).unwrap()));
	group.sample_size(10);
	group.bench_function("digits_generic_prove", |b| b.iter(|| prover::prove(&generic_key, &generic, &generic_input, &mut rng).unwrap()));
	group.bench_function("digits_handwritten_prove", |b| b.iter(|| prover::prove(&handwritten_key, &handwritten, &pixels, &mut rng).unwrap()));
	group.finish();
}

criterion_group!(benches, fixed_mlp);
criterion_main!(benches);
