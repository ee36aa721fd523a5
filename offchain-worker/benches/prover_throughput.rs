//! Providers' proving throughput: a burst of zk jobs through the engine exactly as a provider
//! node runs it (its bounded queue and thread pool, each result written to disk before it is
//! reported), with 1 and 2 engine threads (the node's default, `--worker-threads`, is 2).
//! Reported per burst; criterion's throughput line gives proofs per second.
//!
//! - digits inference proofs (the zk digits job: quantized MLP, 1,648 constraints);
//! - training-step proofs (one step of the 16-feature linear model on an 8-sample shard).
//!
//!     cargo bench -p aichain-offchain-worker --bench prover_throughput

use aichain_compute::Tier;
use aichain_offchain_worker::{
	engine::{Engine, EngineConfig, JobSpec},
	models::{
		digits::{dataset, quantized::QuantizedMlp, DigitsModel},
		training_step::{circuit as tc, TrainingStepModel},
		EngineModel, LoadedModel,
	},
	prover,
};
use ark_bn254::Bn254;
use ark_groth16::ProvingKey;
use ark_std::rand::{rngs::StdRng, SeedableRng};
use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use std::{
	collections::HashMap,
	time::{Duration, Instant},
};

/// Jobs per burst: enough to keep every thread busy for many proofs.
const BURST: usize = 16;

/// Runs `inputs` as one burst on a fresh engine of `threads` threads; returns the time from the
/// first submission to the last result.
fn burst(model: impl Fn() -> LoadedModel, inputs: &[Vec<u8>], threads: usize) -> Duration {
	let dir = tempfile::tempdir().unwrap();
	let config = EngineConfig { results_dir: dir.path().join("results"), threads, queue: inputs.len() };
	let engine = Engine::start(config, HashMap::from([(0, model())])).unwrap();
	let start = Instant::now();
	for (job, input) in inputs.iter().enumerate() {
		let spec = JobSpec { job: job as u64, model: 0, input: input.clone(), tier: Tier::Zk, request: [0; 32], output: None, seal_output: None };
		engine.submit(spec).unwrap();
	}
	for job in 0..inputs.len() {
		assert!(engine.wait(job as u64, Duration::from_secs(600)).is_some_and(|r| r.proof.is_some()));
	}
	start.elapsed()
}

/// Bursts of `inputs` with 1 and 2 engine threads, under the group `name`; `model` makes the
/// served model (outside the timed part).
fn throughput<M: EngineModel + 'static>(
	c: &mut Criterion,
	name: &str,
	model: impl Fn() -> M,
	key: ProvingKey<Bn254>,
	inputs: Vec<Vec<u8>>,
) {
	let mut group = c.benchmark_group(name);
	group.sample_size(10);
	group.throughput(Throughput::Elements(inputs.len() as u64));
	for threads in [1usize, 2] {
		let loaded = || LoadedModel::new(model(), Some(key.clone()));
		group.bench_with_input(BenchmarkId::new("engine_threads", threads), &threads, |b, threads| {
			b.iter_custom(|iters| (0..iters).map(|_| burst(loaded, &inputs, *threads)).sum())
		});
	}
	group.finish();
}

fn providers(c: &mut Criterion) {
	let mut rng = StdRng::seed_from_u64(1);
	let path = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("models/digits-mlp.safetensors");
	let digits = || DigitsModel::new(QuantizedMlp::load(&path).unwrap().0, "digits").unwrap();
	let data = dataset::load().unwrap();
	let digit_inputs: Vec<Vec<u8>> = data.test[..BURST].iter().map(|s| s.pixels.to_vec()).collect();
	let digits_key = prover::generate_keys(&digits(), &mut rng).unwrap();
	throughput(c, "digits_proofs", digits, digits_key, digit_inputs);

	let step_inputs: Vec<Vec<u8>> = (0..BURST)
		.map(|b| {
			let shard = core::array::from_fn(|i| {
				let s = &data.train[8 * b + i];
				tc::Sample { features: core::array::from_fn(|f| s.pixels[4 * f]), target: (s.label == 0) as u8 }
			});
			tc::encode_input(&[1 << 12; tc::PARAMETERS], &shard)
		})
		.collect();
	let training_key = prover::generate_keys(&TrainingStepModel::default(), &mut rng).unwrap();
	throughput(c, "training_step_proofs", TrainingStepModel::default, training_key, step_inputs);
}

criterion_group!(benches, providers);
criterion_main!(benches);
