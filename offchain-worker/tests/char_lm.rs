//! The character language model (`models::char_lm`): every parameter tensor trains; local AdamW
//! steps on the Shakespeare plays lower the held-out loss; DiLoCo rounds run as providers run
//! them (shard tasks and outer tasks through the engine's model interface, on the files the chain
//! names) lower it round over round, replicas of a shard agree byte for byte and by the chain's
//! sketch, and a change scaled ×100 never reaches the parameters; bad parameters, text, changes
//! and tasks are refused by name.

use aichain_offchain_worker::{
	models::char_lm::{
		corpus::{default_dir, Corpus},
		change::{change_len, decode_change, encode_change, CHANGE_ROW_LEN},
		task::{run_outer, vector_to_bytes, Recipe},
		training::{bits_per_character, sample, train_shard, LocalTraining, Sampling},
		CharLm, CharLmConfig, CharLmModel,
	},
	models::EngineModel,
	Error,
};
use aichain_compute::{
	blob::{RowOutput, RowOutputShape},
	diloco::{file_hash, OuterResult, OuterTask, ShardTask},
	sketch::{sketch, sketches_agree},
};
use codec::Decode;
use candle_core::{Device, Tensor};

const CONFIG: CharLmConfig = CharLmConfig::SMALL;

fn corpus() -> Corpus {
	Corpus::load(&default_dir()).expect("the plays: run scripts/fetch-models.sh")
}

#[test]
fn the_small_model_has_about_a_hundred_thousand_parameters() {
	assert_eq!(CONFIG.parameter_count(), 137_216);
	assert_eq!(CONFIG.initial_parameters(7), CONFIG.initial_parameters(7), "the initialisation is seeded");
	assert_ne!(CONFIG.initial_parameters(7), CONFIG.initial_parameters(8));
}

#[test]
fn every_parameter_tensor_receives_a_gradient() {
	let text = &corpus().training[..4096];
	let model = CharLm::from_parameters(CONFIG, &CONFIG.initial_parameters(1), &Device::Cpu).unwrap();
	let window = |offset: usize| {
		let values: Vec<u32> = (0..4).flat_map(|w| text[w * 512 + offset..w * 512 + offset + CONFIG.context].iter().map(|&b| u32::from(b))).collect();
		Tensor::from_vec(values, (4, CONFIG.context), &Device::Cpu).unwrap()
	};
	let gradients = model.loss(&window(0), &window(1)).unwrap().backward().unwrap();
	for (var, tensor) in model.vars().iter().zip(CONFIG.tensors()) {
		let gradient = gradients.get(var).unwrap_or_else(|| panic!("{} has no gradient", tensor.name));
		let magnitude = gradient.abs().unwrap().sum_all().unwrap().to_scalar::<f32>().unwrap();
		assert!(magnitude > 0.0, "{} has a zero gradient", tensor.name);
	}
}

#[test]
fn local_adamw_steps_lower_the_validation_loss() {
	let corpus = corpus();
	let start = CONFIG.initial_parameters(3);
	let slice = &corpus.training[..200_000];
	let training = LocalTraining { steps: 120, ..Default::default() };
	let before = bits_per_character(CONFIG, &start, &corpus.validation, 64).unwrap();
	let shard = train_shard(&Device::Cpu, CONFIG, &start, slice, &training, 11).unwrap();
	let after = bits_per_character(CONFIG, &shard.parameters, &corpus.validation, 64).unwrap();
	println!("validation: {before:.3} → {after:.3} bits per character after {} steps", training.steps);
	assert!(before > 7.5, "an untrained byte model is near 8 bits per character: {before}");
	assert!(after < 4.0, "trained: {after}");
	assert!(shard.losses.last().unwrap() < &shard.losses[0]);

	// (Replicas of a shard agree: the DiLoCo test below.)
	let other_seed = train_shard(&Device::Cpu, CONFIG, &start, slice, &LocalTraining { steps: 2, ..training }, 12).unwrap();
	assert_ne!(other_seed.parameters, shard.parameters);

	let model = CharLm::from_parameters(CONFIG, &shard.parameters, &Device::Cpu).unwrap();
	let greedy = sample(&model, b"KING.\n", 80, Sampling::Greedy).unwrap();
	let drawn = |seed| sample(&model, b"KING.\n", 80, Sampling::Temperature { temperature: 0.8, seed }).unwrap();
	println!("greedy: {:?}\nat 0.8: {:?}", String::from_utf8_lossy(&greedy), String::from_utf8_lossy(&drawn(1)));
	assert_eq!((greedy.len(), drawn(1).len()), (80, 80));
	assert_eq!(drawn(1), drawn(1), "a seeded sample is the same text every time");
	assert_ne!(drawn(1), drawn(2));
}

#[test]
fn wrong_parameters_and_short_text_are_refused() {
	let short = vec![0.0; CONFIG.parameter_count() - 1];
	assert!(matches!(CharLm::from_parameters(CONFIG, &short, &Device::Cpu), Err(Error::Malformed { .. })));
	let uneven = CharLmConfig { heads: 3, ..CONFIG };
	assert!(matches!(uneven.validate(), Err(Error::Malformed { .. })));
	let start = CONFIG.initial_parameters(0);
	let text = vec![b'a'; CONFIG.context];
	assert!(matches!(train_shard(&Device::Cpu, CONFIG, &start, &text, &LocalTraining::default(), 0), Err(Error::InvalidInput(_))));
	let model = CharLm::from_parameters(CONFIG, &start, &Device::Cpu).unwrap();
	let too_long = Tensor::zeros((1, CONFIG.context + 1), candle_core::DType::U32, &Device::Cpu).unwrap();
	assert!(matches!(model.forward(&too_long), Err(Error::InputLength { .. })));
}

/// Runs one round as providers and a client would: a shard task per slice through the model's
/// row output, then the outer task over the agreed changes (plus `extra` changes, a worker's
/// poisoned one). Returns the outer task's output and the next parameters and momentum.
fn round(model: &CharLmModel, round: u32, state: (&[u8], &[u8]), changes: &mut Vec<Vec<u8>>, extra: &[Vec<u8>]) -> (OuterResult, Vec<u8>, Vec<u8>) {
	const SHARDS: u32 = 2;
	const STEPS: u32 = 25;
	let shape = RowOutputShape { row_len: CHANGE_ROW_LEN, max_len: change_len(&CONFIG) as u32 };
	if changes.is_empty() {
		for shard in 0..SHARDS {
			let task = ShardTask { training: 0, round, shard, shards: SHARDS, steps: STEPS, seed: u64::from(10 * round + shard) };
			let file = [task.to_blob(), state.0.to_vec()].concat();
			model.check_rows_input(&file, shape).unwrap();
			changes.push(model.run_rows(&file, shape).unwrap());
		}
	}
	let all: Vec<Vec<u8>> = changes.iter().chain(extra).cloned().collect();
	let task = OuterTask { training: 0, round, shards: all.len() as u32, steps: STEPS };
	let file = [task.to_blob(), state.0.to_vec(), state.1.to_vec(), all.concat()].concat();
	model.check_input(&file).unwrap();
	let outcome = run_outer(model.recipe(), model.corpus(), &file).unwrap();
	let result = outcome.result;
	if round == 0 && extra.is_empty() {
		let output = model.run(&file).unwrap();
		assert_eq!(OuterResult::decode(&mut &output[..]).unwrap(), result, "a client computes the state the providers hashed");
	}
	let blake2 = |bytes: &[u8]| aichain_offchain_worker::blake2b_256(&[bytes]);
	assert_eq!(file_hash(&outcome.parameters, blake2), result.parameters);
	assert_eq!(file_hash(&outcome.momentum, blake2), result.momentum);
	(result, outcome.parameters, outcome.momentum)
}

#[test]
fn diloco_rounds_through_the_engine_lower_the_validation_loss_and_a_scaled_change_never_lands() {
	let model = CharLmModel::new(Recipe::SMALL, corpus(), Device::Cpu);
	let mut parameters = vector_to_bytes(&CONFIG.initial_parameters(5));
	let mut momentum = vector_to_bytes(&vec![0.0; CONFIG.parameter_count()]);
	let first = bits_per_character(CONFIG, &CONFIG.initial_parameters(5), &model.corpus().validation, 128).unwrap();
	let mut millibits = vec![(first * 1000.0).round() as u32];
	for r in 0..3 {
		let mut changes = Vec::new();
		let (result, next_parameters, next_momentum) = round(&model, r, (&parameters, &momentum), &mut changes, &[]);
		assert_eq!(result.rejected, 0);
		if r == 0 {
			// A replica of shard 0 agrees with it, byte for byte and by the chain's sketch.
			let task = ShardTask { training: 0, round: 0, shard: 0, shards: 2, steps: 25, seed: 0 };
			let shape = RowOutputShape { row_len: CHANGE_ROW_LEN, max_len: change_len(&CONFIG) as u32 };
			let replica = model.run_rows(&[task.to_blob(), parameters.clone()].concat(), shape).unwrap();
			assert_eq!(replica, changes[0]);
			let signs = |n: u32| aichain_offchain_worker::blake2b_256(&[b"seed", &n.to_le_bytes()]);
			let sketch_of = |bytes: &[u8]| sketch(&RowOutput::parse(bytes).unwrap(), signs);
			assert!(sketches_agree(&sketch_of(&replica), &sketch_of(&changes[0]), 0));
			assert!(!sketches_agree(&sketch_of(&changes[1]), &sketch_of(&changes[0]), 16), "two shards' changes differ");
			// A worker returns shard 0's change scaled ×100: it saturates, is screened out, and
			// the next state is the clean round's.
			let global = CONFIG.initial_parameters(5);
			let change = decode_change(&CONFIG, &changes[0], Recipe::SMALL.change_scale(25)).unwrap();
			let blown: Vec<f32> = global.iter().zip(&change).map(|(g, c)| g + 100.0 * c).collect();
			let poisoned = encode_change(&CONFIG, &global, &blown, Recipe::SMALL.change_scale(25)).unwrap();
			let (attacked, ..) = round(&model, 0, (&parameters, &momentum), &mut changes, &[poisoned]);
			assert_eq!(attacked.rejected, 0b100, "the third change is screened out");
			assert_eq!((attacked.parameters, attacked.momentum), (result.parameters, result.momentum));
		}
		millibits.push(result.validation_millibits);
		(parameters, momentum) = (next_parameters, next_momentum);
	}
	println!("DiLoCo through the engine, 2 shards × 25 steps: validation millibits per character by round {millibits:?}");
	assert!(millibits.windows(2).all(|pair| pair[1] < pair[0]), "falls round over round: {millibits:?}");
}

#[test]
fn a_change_is_within_half_a_step_and_bad_changes_are_refused() {
	let scale = Recipe::SMALL.change_scale(25);
	let global = CONFIG.initial_parameters(1);
	let local: Vec<f32> = global.iter().enumerate().map(|(i, g)| g + ((i % 301) as f32 - 150.0) * 1e-3).collect();
	let bytes = encode_change(&CONFIG, &global, &local, scale).unwrap();
	assert_eq!(bytes.len(), change_len(&CONFIG));
	let change = decode_change(&CONFIG, &bytes, scale).unwrap();
	for (i, c) in change.iter().enumerate() {
		let exact = local[i] - global[i];
		let clamped = exact.clamp(-127.0 * scale, 127.0 * scale);
		assert!((c - clamped).abs() <= scale / 2.0 + 1e-6, "value {i}: {c} for {exact}");
	}
	let refused = |bytes: &[u8]| matches!(decode_change(&CONFIG, bytes, scale), Err(Error::Malformed { .. }));
	assert!(refused(&bytes[..bytes.len() - CHANGE_ROW_LEN as usize]), "a row short");
	assert!(refused(&[&bytes[..], &[0u8; 128][..]].concat()), "a row too many");
	let mut padded = bytes.clone();
	*padded.last_mut().unwrap() = 1;
	assert!(refused(&padded) == (CONFIG.parameter_count() % 128 != 0), "padding, where there is any, must be zero");
	let mut minimum = bytes.clone();
	minimum[7] = 0x80;
	assert!(refused(&minimum), "-128 is never a clamped value");
	assert!(refused(&bytes[1..]), "no row output header");
	assert!(matches!(encode_change(&CONFIG, &global, &local[1..], scale), Err(Error::Malformed { .. })));
}

#[test]
fn malformed_tasks_are_refused_before_they_run() {
	let model = CharLmModel::new(Recipe::SMALL, corpus(), Device::Cpu);
	let parameters = vector_to_bytes(&CONFIG.initial_parameters(0));
	let shape = RowOutputShape { row_len: CHANGE_ROW_LEN, max_len: change_len(&CONFIG) as u32 };
	let shard = |task: ShardTask, body: &[u8]| model.check_rows_input(&[task.to_blob(), body.to_vec()].concat(), shape);
	let good = ShardTask { training: 0, round: 0, shard: 1, shards: 2, steps: 25, seed: 0 };
	shard(good, &parameters).unwrap();
	for bad in [
		ShardTask { shard: 2, ..good },
		ShardTask { steps: 0, ..good },
		ShardTask { steps: 1_001, ..good },
		ShardTask { shards: 33, ..good },
	] {
		assert!(matches!(shard(bad, &parameters), Err(Error::InvalidInput(_))), "{bad:?}");
	}
	assert!(matches!(shard(good, &parameters[4..]), Err(Error::Malformed { .. })), "parameters one short");
	let mut nan = parameters.clone();
	nan[..4].copy_from_slice(&f32::NAN.to_le_bytes());
	assert!(matches!(shard(good, &nan), Err(Error::Malformed { .. })), "a NaN parameter");
	assert!(matches!(model.check_rows_input(&parameters, shape), Err(Error::Malformed { .. })), "no header");
	let small = RowOutputShape { row_len: CHANGE_ROW_LEN, max_len: 1000 };
	assert!(matches!(model.check_rows_input(&[good.to_blob(), parameters.clone()].concat(), small), Err(Error::InvalidInput(_))));
	// An outer task must hold the state and exactly its shards' changes.
	let outer = OuterTask { training: 0, round: 0, shards: 1, steps: 25 };
	let change = encode_change(&CONFIG, &CONFIG.initial_parameters(0), &CONFIG.initial_parameters(0), 1.0).unwrap();
	let file = |task: OuterTask, changes: &[&[u8]]| [task.to_blob(), parameters.clone(), parameters.clone(), changes.concat()].concat();
	model.check_input(&file(outer, &[&change])).unwrap();
	assert!(matches!(model.check_input(&file(outer, &[&change, &change])), Err(Error::Malformed { .. })));
	assert!(matches!(model.check_input(&file(OuterTask { shards: 0, ..outer }, &[])), Err(Error::InvalidInput(_))));
	assert!(matches!(model.check_input(&[good.to_blob(), parameters].concat()), Err(Error::Malformed { .. })), "a shard task inline");
}
