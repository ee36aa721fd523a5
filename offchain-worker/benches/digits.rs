//! Benchmarks of the digits model: quantized inference (what a job runs), float inference with
//! candle, Groth16 proving of one inference, and proving of one training step, in one run.
//!
//!     cargo bench -p aichain-offchain-worker --bench digits
//!
//! Also prints the circuits' constraint counts and the proof's size on chain.

use aichain_offchain_worker::{
	models::{
		digits::{circuit, dataset, mlp, quantized::QuantizedMlp, DigitsModel},
		training_step::{circuit as tc, TrainingStepModel},
	},
	prover,
};
use ark_std::rand::{rngs::StdRng, SeedableRng};
use codec::Encode;
use criterion::{criterion_group, criterion_main, Criterion};

fn digits(c: &mut Criterion) {
	let path = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("models/digits-mlp.safetensors");
	let (model, _) = QuantizedMlp::load(&path).unwrap();
	let data = dataset::load().unwrap();
	let input = data.test[0].pixels;
	let device = mlp::device().unwrap();
	let weights = mlp::train(&data.train, &mlp::TrainConfig { epochs: 50, ..Default::default() }, &device).unwrap();
	let mut rng = StdRng::seed_from_u64(1);
	let served = DigitsModel::new(model.clone(), "digits").unwrap();
	let pk = prover::generate_keys(&served, &mut rng).unwrap();
	let (_, proof) = prover::prove(&pk, &served, &input, &mut rng).unwrap();
	println!(
		"digits circuit: {} constraints, proof {} bytes on chain",
		circuit::constraint_count(&model).unwrap(),
		proof.encode().len()
	);

	let mut group = c.benchmark_group("digits");
	group.bench_function("infer_quantized", |b| b.iter(|| model.infer(&input).unwrap()));
	let one = &data.test[..1];
	// Includes building the tensors from the weights on every call.
	group.bench_function("candle_f32_load_and_infer_batch1", |b| b.iter(|| mlp::accuracy(&weights, one, &device).unwrap()));
	group.sample_size(10);
	group.bench_function("prove", |b| b.iter(|| prover::prove(&pk, &served, &input, &mut rng).unwrap()));
	group.finish();

	// The training-step circuit: one step of the 16-feature linear model on an 8-sample shard.
	let shard = core::array::from_fn(|i| {
		let s = &data.train[i];
		tc::Sample { features: core::array::from_fn(|f| s.pixels[4 * f]), target: (s.label == 0) as u8 }
	});
	let step_input = tc::encode_input(&[1 << 12; tc::PARAMETERS], &shard);
	let training = TrainingStepModel::default();
	let training_pk = prover::generate_keys(&training, &mut rng).unwrap();
	println!("training-step circuit: {} constraints", tc::constraint_count().unwrap());
	let mut group = c.benchmark_group("training_step");
	group.sample_size(10);
	group.bench_function("prove", |b| b.iter(|| prover::prove(&training_pk, &training, &step_input, &mut rng).unwrap()));
	group.finish();
}

criterion_group!(benches, digits);
criterion_main!(benches);
