//! What a member of a private training spends per round, against the federated training step
//! of the public rounds (`training_step`, the peer), in one run on this machine:
//! - the member's job run natively (the data commitment, the clipped step, the noise and three
//!   masks: what `check_input` and `run` cost);
//! - its Groth16 proof, and the public training step's proof;
//! - the verification of a member's proof as the runtime does it (`aichain_zk::verify`).
//!
//! The constraint counts of both circuits are printed first.
//!
//!     cargo bench -p aichain-offchain-worker --bench private_fl

use aichain_compute::zk_public_inputs;
use aichain_offchain_worker::{
	models::{
		private_fl::{circuit, consortium::LocalConsortium, PARAMETERS},
		training_step::{circuit as step_circuit, TrainingStepModel},
		EngineModel,
	},
	prover,
};
use criterion::{criterion_group, criterion_main, Criterion};
use rand::{rngs::StdRng, SeedableRng};

fn member(c: &mut Criterion) {
	let consortium = LocalConsortium::new(include_str!("../data/breast_cancer.csv"), 17, 200 * 200).unwrap();
	let member = &consortium.members[0];
	let input = consortium.input(0, [0; PARAMETERS], 1, &[true; 4]).encode();
	let mut rng = StdRng::seed_from_u64(1);
	println!(
		"constraints: member {}, training step {}",
		circuit::constraint_count().unwrap(),
		step_circuit::constraint_count().unwrap()
	);
	let pk = prover::generate_keys(member, &mut rng).unwrap();
	let vk = prover::verifying_key(&pk);
	let step = TrainingStepModel::default();
	let step_pk = prover::generate_keys(&step, &mut rng).unwrap();
	let step_input = step_circuit::encode_input(&[1 << 12; step_circuit::PARAMETERS], &[step_circuit::Sample { features: [9; 16], target: 1 }; step_circuit::SHARD]);

	let mut group = c.benchmark_group("private_fl");
	group.sample_size(10);
	group.bench_function("member_run", |b| b.iter(|| member.run(&input).unwrap()));
	group.bench_function("member_prove", |b| b.iter(|| prover::prove(&pk, member, &input, &mut rng).unwrap()));
	group.bench_function("training_step_prove", |b| b.iter(|| prover::prove(&step_pk, &step, &step_input, &mut rng).unwrap()));
	let (output, proof) = prover::prove(&pk, member, &input, &mut rng).unwrap();
	let public = zk_public_inputs(&input, &output);
	group.bench_function("member_verify", |b| b.iter(|| aichain_zk::verify(&vk, &proof, &public).unwrap()));
	group.finish();
}

criterion_group!(benches, member);
criterion_main!(benches);
