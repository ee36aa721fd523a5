//! DiLoCo against one worker training alone for the same wall time, on the character model:
//! `k` shards of `H` local steps for `R` rounds (through the providers' own shard and outer
//! tasks, changes quantized as they travel) take the wall time of one shard's `R × H` steps
//! when the shards run on `k` machines at once; one worker alone takes those `R × H` steps on
//! the whole training text. Prints both validation losses (bits per character) and the bytes a
//! round moves. Not a timing benchmark: it measures what the training reaches.
//!
//!     cargo bench -p aichain-offchain-worker --bench diloco_vs_one     # scripts/bench-char-lm.sh runs it

use aichain_compute::diloco::{OuterTask, ShardTask};
use candle_core::Device;
use aichain_offchain_worker::blake2b_256;
use aichain_offchain_worker::models::char_lm::{
	change::change_len,
	corpus::{default_dir, Corpus},
	task::{run_outer, run_shard, vector_from_bytes, vector_to_bytes, Recipe},
	training::{bits_per_character, sample, train_shard, Sampling},
	CharLm,
};

const SEED: u64 = 5;
/// The network case's (k) settings: 3 rounds of 200 local steps.
const STEPS: u32 = 200;
const ROUNDS: u32 = 3;

/// The validation loss and the parameters after `ROUNDS` DiLoCo rounds of `shards` shards.
fn diloco(recipe: &Recipe, corpus: &Corpus, shards: u32) -> (f64, Vec<f32>) {
	let mut parameters = vector_to_bytes(&recipe.config.initial_parameters(SEED));
	let mut momentum = vector_to_bytes(&vec![0.0; recipe.config.parameter_count()]);
	let mut loss = f64::NAN;
	for round in 0..ROUNDS {
		let changes: Vec<Vec<u8>> = (0..shards)
			.map(|shard| {
				let task = ShardTask::new(0, round, shard, shards, STEPS, |bytes| blake2b_256(&[bytes]));
				run_shard(&Device::Cpu, recipe, corpus, &[task.to_blob(), parameters.clone()].concat()).expect("a shard task")
			})
			.collect();
		let task = OuterTask { training: 0, round, shards, steps: STEPS };
		let outcome = run_outer(recipe, corpus, &[task.to_blob(), parameters, momentum, changes.concat()].concat()).expect("an outer task");
		loss = f64::from(outcome.result.validation_millibits) / 1000.0;
		(parameters, momentum) = (outcome.parameters, outcome.momentum);
	}
	(loss, vector_from_bytes(&recipe.config, "parameters", &parameters).expect("parameters"))
}

/// 200 characters after "KING.\n" at temperature 0.8 (the client's sample), one line.
fn sample_of(recipe: &Recipe, parameters: &[f32]) -> String {
	let model = CharLm::from_parameters(recipe.config, parameters, &Device::Cpu).expect("a model");
	let text = sample(&model, b"KING.\n", 200, Sampling::Temperature { temperature: 0.8, seed: 1 }).expect("a sample");
	format!("{:?}", String::from_utf8_lossy(&text))
}

fn main() {
	aichain_offchain_worker::threads::pin_candle_threads();
	let recipe = Recipe::SMALL;
	let corpus = Corpus::load(&default_dir()).expect("the plays: run scripts/fetch-models.sh");
	let start = recipe.config.initial_parameters(SEED);
	let alone = train_shard(&Device::Cpu, recipe.config, &start, &corpus.training, &recipe.local(ROUNDS * STEPS), SEED).expect("training");
	let alone_loss = bits_per_character(recipe.config, &alone.parameters, &corpus.validation, recipe.validation_windows).expect("loss");
	println!("one worker alone, {} steps: validation {alone_loss:.3} bits per character", ROUNDS * STEPS);
	println!("  sample: {}", sample_of(&recipe, &alone.parameters));
	for shards in [2u32] {
		let (loss, parameters) = diloco(&recipe, &corpus, shards);
		let (n, change, k) = (recipe.config.parameter_count(), change_len(&recipe.config), shards as usize);
		// Each shard reads the parameters and writes its change; the outer step reads the
		// parameters, the momentum and every change; the next state is written.
		let moved = k * (4 * n + change) + (8 * n + k * change) + 8 * n;
		println!(
			"DiLoCo, {shards} shards × {STEPS} steps × {ROUNDS} rounds (the same wall time on {shards} machines): validation {loss:.3} bits per character; \
			 a round stores {} bytes (its changes and the next state) and moves {moved} bytes (one replica per job)",
			k * change + 8 * n
		);
		println!("  sample: {}", sample_of(&recipe, &parameters));
	}
}
