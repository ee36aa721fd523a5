//! The provable training step: a linear "is it a zero?" scorer on 4×4 downsampled digits, trained
//! shard by shard with the fixed-point least-squares step; every step lowers its shard's loss
//! and satisfies the circuit, the held-out loss falls over the training split, and a real proof
//! verifies only for its own shard and result.

use aichain_compute::zk_public_inputs;
use aichain_offchain_worker::{
	models::{
		digits::dataset,
		training_step::{circuit as tc, TrainingStepModel},
	},
	prover,
};
use ark_std::rand::{rngs::StdRng, SeedableRng};

/// 4×4 features (sums of 2×2 pixel blocks, 0..64) and target 1 for the digit 0.
fn sample(s: &dataset::Sample) -> tc::Sample {
	let features = core::array::from_fn(|f| {
		let (r, c) = (2 * (f / 4), 2 * (f % 4));
		[(r, c), (r, c + 1), (r + 1, c), (r + 1, c + 1)].iter().map(|(r, c)| s.pixels[8 * r + c]).sum()
	});
	tc::Sample { features, target: (s.label == 0) as u8 }
}

fn shards(samples: &[dataset::Sample]) -> Vec<[tc::Sample; tc::SHARD]> {
	samples.chunks_exact(tc::SHARD).map(|c| core::array::from_fn(|i| sample(&c[i]))).collect()
}

#[test]
fn steps_satisfy_the_circuit_and_lower_the_held_out_loss() {
	let digits = dataset::load().unwrap();
	let train = shards(&digits.train);
	let held_out = shards(&digits.test);
	let held_out_loss = |p: &[i32; tc::PARAMETERS]| held_out.iter().map(|s| tc::loss(p, s)).sum::<f64>();
	let mut parameters = [0i32; tc::PARAMETERS];
	let mut losses = vec![held_out_loss(&parameters)];
	for (round, shard) in train.iter().enumerate() {
		let input = tc::encode_input(&parameters, shard);
		let next = tc::step(&parameters, shard).unwrap();
		let (before, after) = (tc::loss(&parameters, shard), tc::loss(&next, shard));
		assert!(after < before || before == 0.0, "step {round} lowers its shard's loss: {before} -> {after}");
		if round % 20 == 0 {
			assert!(tc::is_satisfied(&input, next).unwrap(), "step {round}");
			let mut wrong = next;
			wrong[round % tc::PARAMETERS] ^= 1;
			assert!(!tc::is_satisfied(&input, wrong).unwrap(), "a changed parameter, step {round}");
		}
		parameters = next;
		if round % 40 == 39 {
			losses.push(held_out_loss(&parameters));
		}
	}
	println!("held-out loss every 40 steps: {losses:?}");
	// Mini-batch steps are noisy; over the whole training split the held-out loss falls.
	assert!(losses.last().unwrap() < &(0.8 * losses[0]), "{losses:?}");
}

#[test]
fn a_training_proof_verifies_only_for_its_shard_and_result() {
	let digits = dataset::load().unwrap();
	let train = shards(&digits.train);
	let mut rng = StdRng::seed_from_u64(3);
	let pk = prover::generate_keys(&TrainingStepModel::default(), &mut rng).unwrap();
	let vk = prover::verifying_key(&pk);
	let parameters = [1 << 12; tc::PARAMETERS];
	let input = tc::encode_input(&parameters, &train[0]);
	assert_eq!(input.len(), tc::INPUT_LEN);
	let (output, proof) = prover::prove(&pk, &TrainingStepModel::default(), &input, &mut rng).unwrap();
	assert_eq!(output, tc::run(&input).unwrap());
	aichain_zk::verify(&vk, &proof, &zk_public_inputs(&input, &output)).expect("the step's proof verifies");
	let other_shard = tc::encode_input(&parameters, &train[1]);
	assert!(aichain_zk::verify(&vk, &proof, &zk_public_inputs(&other_shard, &output)).is_err());
	let mut changed = output.clone();
	changed[7] ^= 0x40;
	assert!(aichain_zk::verify(&vk, &proof, &zk_public_inputs(&input, &changed)).is_err());
	// A step leaving the i32 range has no result (and no proof).
	let saturated = [tc::Sample { features: [255; tc::FEATURES], target: 0 }; tc::SHARD];
	let huge = tc::encode_input(&[i32::MAX; tc::PARAMETERS], &saturated);
	assert!(tc::run(&huge).is_err());
	assert!(tc::run(&input[1..]).is_err());
}
