//! Benchmarks of the digits model: quantized inference (what a job runs), float inference with
//! candle, and Groth16 proving of one inference, in the same run.
//!
//!     cargo bench -p aichain-offchain-worker --bench digits
//!
//! Also prints the circuit's constraint count and the proof's size on chain.

use aichain_offchain_worker::{circuit, dataset, mlp, prover, quantized::QuantizedMlp};
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
	let pk = prover::generate_keys(&model, &mut rng).unwrap();
	let (_, proof) = prover::prove(&pk, &model, &input, &mut rng).unwrap();
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
	group.bench_function("prove", |b| b.iter(|| prover::prove(&pk, &model, &input, &mut rng).unwrap()));
	group.finish();
}

criterion_group!(benches, digits);
criterion_main!(benches);
