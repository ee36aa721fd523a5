//! Data-parallel training: four providers train on their shards from the global weights, the
//! averaged updates raise the global model's held-out accuracy round over round; updates are
//! bounded, deterministic and their on-chain commitment binds them.

use aichain_offchain_worker::models::digits::{dataset, mlp, training};

#[test]
fn federated_rounds_over_four_shards_raise_held_out_accuracy() {
	let digits = dataset::load().unwrap();
	let device = mlp::device().unwrap();
	// A barely trained global model to start from.
	let mut global =
		mlp::train(&digits.train, &mlp::TrainConfig { epochs: 3, ..Default::default() }, &device).unwrap();
	let shards: Vec<_> = (0..4).map(|i| training::shard(&digits.train, 4, i)).collect();
	assert_eq!(shards.iter().map(Vec::len).sum::<usize>(), digits.train.len());
	let config = training::LocalTraining::default();
	let mut accuracy = vec![mlp::accuracy(&global, &digits.test, &device).unwrap()];
	for _round in 0..3 {
		let updates: Vec<_> =
			shards.iter().map(|s| training::local_update(&global, s, &config, &device).unwrap()).collect();
		global = training::federated_average(&global, &updates).unwrap();
		accuracy.push(mlp::accuracy(&global, &digits.test, &device).unwrap());
	}
	println!("held-out accuracy by round: {accuracy:?}");
	for round in 1..accuracy.len() {
		assert!(accuracy[round] > accuracy[round - 1], "round {round}: {accuracy:?}");
	}
	assert!(*accuracy.last().unwrap() >= 0.85, "{accuracy:?}");
}

#[test]
fn updates_are_deterministic_bounded_and_bound_by_their_commitment() {
	let digits = dataset::load().unwrap();
	let device = mlp::device().unwrap();
	let global = mlp::train(&digits.train, &mlp::TrainConfig { epochs: 3, ..Default::default() }, &device).unwrap();
	let shard = training::shard(&digits.train, 4, 1);
	let config = training::LocalTraining::default();
	let a = training::local_update(&global, &shard, &config, &device).unwrap();
	let b = training::local_update(&global, &shard, &config, &device).unwrap();
	assert_eq!(a, b, "two honest providers agree");
	assert_eq!(a.encode().len(), 2 * 2_410);
	assert_eq!(training::WeightUpdate::decode(&a.encode(), 2_410).unwrap(), a);
	assert!(training::WeightUpdate::decode(&a.encode()[1..], 2_410).is_err());
	let other = training::local_update(&global, &training::shard(&digits.train, 4, 2), &config, &device).unwrap();
	assert_ne!(a.commitment(), other.commitment());
	// An update of the wrong size is refused by the aggregator.
	let short = training::WeightUpdate(a.0[1..].to_vec());
	assert!(training::federated_average(&global, &[short]).is_err());
}
