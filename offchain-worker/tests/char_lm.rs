//! The character language model (`models::char_lm`): every parameter tensor trains, local AdamW
//! steps on the Shakespeare plays lower the held-out loss, replicas of a shard agree bit for bit,
//! DiLoCo rounds (two shards, quantized changes, Nesterov outer steps) lower it round over round
//! while a change scaled ×100 never reaches the parameters, and bad parameters, text or updates
//! are refused by name.

use aichain_offchain_worker::{
	models::char_lm::{
		corpus::{default_dir, Corpus},
		outer::{outer_step, OuterOptimizer, QuantizedUpdate},
		training::{bits_per_character, sample_greedy, train_shard, LocalTraining},
		CharLm, CharLmConfig,
	},
	Error,
};
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
fn local_adamw_steps_lower_the_validation_loss_and_replicas_agree() {
	let corpus = corpus();
	let start = CONFIG.initial_parameters(3);
	let slice = &corpus.training[..200_000];
	let training = LocalTraining { steps: 120, ..Default::default() };
	let before = bits_per_character(CONFIG, &start, &corpus.validation, 64).unwrap();
	let shard = train_shard(CONFIG, &start, slice, &training, 11).unwrap();
	let after = bits_per_character(CONFIG, &shard.parameters, &corpus.validation, 64).unwrap();
	println!("validation: {before:.3} → {after:.3} bits per character after {} steps", training.steps);
	assert!(before > 7.5, "an untrained byte model is near 8 bits per character: {before}");
	assert!(after < 4.0, "trained: {after}");
	assert!(shard.losses.last().unwrap() < &shard.losses[0]);

	let replica = train_shard(CONFIG, &start, slice, &training, 11).unwrap();
	assert_eq!(replica.parameters, shard.parameters, "the same shard, seed and threads give the same update");
	let other_seed = train_shard(CONFIG, &start, slice, &LocalTraining { steps: 2, ..training }, 12).unwrap();
	assert_ne!(other_seed.parameters, shard.parameters);

	let model = CharLm::from_parameters(CONFIG, &shard.parameters, &Device::Cpu).unwrap();
	let sample = sample_greedy(&model, b"KING.\n", 80).unwrap();
	println!("sample: {:?}", String::from_utf8_lossy(&sample));
	assert_eq!(sample.len(), 80);
}

#[test]
fn wrong_parameters_and_short_text_are_refused() {
	let short = vec![0.0; CONFIG.parameter_count() - 1];
	assert!(matches!(CharLm::from_parameters(CONFIG, &short, &Device::Cpu), Err(Error::Malformed { .. })));
	let uneven = CharLmConfig { heads: 3, ..CONFIG };
	assert!(matches!(uneven.validate(), Err(Error::Malformed { .. })));
	let start = CONFIG.initial_parameters(0);
	let text = vec![b'a'; CONFIG.context];
	assert!(matches!(train_shard(CONFIG, &start, &text, &LocalTraining::default(), 0), Err(Error::InvalidInput(_))));
	let model = CharLm::from_parameters(CONFIG, &start, &Device::Cpu).unwrap();
	let too_long = Tensor::zeros((1, CONFIG.context + 1), candle_core::DType::U32, &Device::Cpu).unwrap();
	assert!(matches!(model.forward(&too_long), Err(Error::InputLength { .. })));
}

#[test]
fn diloco_rounds_lower_the_validation_loss_and_a_scaled_change_never_lands() {
	let corpus = corpus();
	let shards = [&corpus.training[..400_000], &corpus.training[400_000..800_000]];
	let training = LocalTraining { steps: 25, ..Default::default() };
	let optimizer = OuterOptimizer::default();
	let mut global = CONFIG.initial_parameters(5);
	let mut momentum = vec![0.0; global.len()];
	let mut losses = vec![bits_per_character(CONFIG, &global, &corpus.validation, 64).unwrap()];
	for round in 0..3u64 {
		let changes: Vec<Vec<f32>> = shards
			.iter()
			.enumerate()
			.map(|(shard, text)| {
				let local = train_shard(CONFIG, &global, text, &training, 10 * round + shard as u64).unwrap().parameters;
				let update = QuantizedUpdate::between(&CONFIG, &global, &local).unwrap();
				let blob = update.encode();
				assert_eq!(blob.len(), 4 * 30 + CONFIG.parameter_count(), "a scale per tensor and a byte per parameter");
				let decoded = QuantizedUpdate::decode(&CONFIG, &blob).unwrap();
				assert_eq!(decoded, update);
				decoded.change(&CONFIG)
			})
			.collect();
		let poisoned: Vec<f32> = changes[0].iter().map(|c| 100.0 * c).collect();
		let attacked = outer_step(&CONFIG, &global, &mut momentum.clone(), &[changes.clone(), vec![poisoned]].concat(), &optimizer).unwrap();
		assert_eq!(attacked.rejected, vec![2], "the scaled change is screened out");
		let step = outer_step(&CONFIG, &global, &mut momentum, &changes, &optimizer).unwrap();
		assert!(step.rejected.is_empty());
		assert_eq!(attacked.parameters, step.parameters, "and never reaches the parameters");
		global = step.parameters;
		losses.push(bits_per_character(CONFIG, &global, &corpus.validation, 64).unwrap());
	}
	println!("DiLoCo, 2 shards × {} steps: validation bits per character by round {losses:.3?}", training.steps);
	assert!(losses.windows(2).all(|pair| pair[1] < pair[0]), "falls round over round: {losses:?}");
}

#[test]
fn a_quantized_change_is_within_half_a_step_and_bad_blobs_are_refused() {
	let global = CONFIG.initial_parameters(1);
	let local: Vec<f32> = global.iter().enumerate().map(|(i, g)| g + ((i % 13) as f32 - 6.0) * 1e-3).collect();
	let update = QuantizedUpdate::between(&CONFIG, &global, &local).unwrap();
	let change = update.change(&CONFIG);
	let mut offset = 0;
	for (tensor, scale) in CONFIG.tensors().iter().zip(&update.scales) {
		for i in offset..offset + tensor.len() {
			assert!((change[i] - (local[i] - global[i])).abs() <= scale / 2.0 + 1e-9, "{}[{}]", tensor.name, i - offset);
		}
		offset += tensor.len();
	}
	let blob = update.encode();
	assert!(matches!(QuantizedUpdate::decode(&CONFIG, &blob[1..]), Err(Error::Malformed { .. })));
	let mut nan_scale = blob.clone();
	nan_scale[..4].copy_from_slice(&f32::NAN.to_le_bytes());
	assert!(matches!(QuantizedUpdate::decode(&CONFIG, &nan_scale), Err(Error::Malformed { .. })));
	assert!(matches!(QuantizedUpdate::between(&CONFIG, &global, &local[1..]), Err(Error::Malformed { .. })));
}
