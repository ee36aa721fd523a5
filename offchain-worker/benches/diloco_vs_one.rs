//! DiLoCo against one worker training alone for the same wall time, on the character model:
//! `k` shards of `H` local steps for `R` rounds (through the providers' own shard and outer
//! tasks, changes quantized as they travel) take the wall time of one shard's `R × H` steps
//! when the shards run on `k` machines at once; one worker alone takes those `R × H` steps on
//! the whole training text. Prints both validation losses (bits per character) and the bytes a
//! round moves. Not a timing benchmark: it measures what the training reaches.
//!
//!     cargo bench -p aichain-offchain-worker --bench diloco_vs_one     # scripts/bench-char-lm.sh runs it

use aichain_compute::diloco::{OuterTask, ShardTask};
use aichain_offchain_worker::models::char_lm::{
	change::change_len,
	corpus::{default_dir, Corpus},
	task::{run_outer, run_shard, vector_to_bytes, Recipe},
	training::{bits_per_character, train_shard},
};

const SEED: u64 = 5;
const STEPS: u32 = 25;
const ROUNDS: u32 = 4;

/// The validation loss after `ROUNDS` DiLoCo rounds of `shards` shards.
fn diloco(recipe: &Recipe, corpus: &Corpus, shards: u32) -> f64 {
	let mut parameters = vector_to_bytes(&recipe.config.initial_parameters(SEED));
	let mut momentum = vector_to_bytes(&vec![0.0; recipe.config.parameter_count()]);
	let mut loss = f64::NAN;
	for round in 0..ROUNDS {
		let changes: Vec<Vec<u8>> = (0..shards)
			.map(|shard| {
				let task = ShardTask { training: 0, round, shard, shards, steps: STEPS, seed: u64::from(round * shards + shard) };
				run_shard(recipe, corpus, &[task.to_blob(), parameters.clone()].concat()).expect("a shard task")
			})
			.collect();
		let task = OuterTask { training: 0, round, shards, steps: STEPS };
		let outcome = run_outer(recipe, corpus, &[task.to_blob(), parameters, momentum, changes.concat()].concat()).expect("an outer task");
		loss = f64::from(outcome.result.validation_millibits) / 1000.0;
		(parameters, momentum) = (outcome.parameters, outcome.momentum);
	}
	loss
}

fn main() {
	aichain_offchain_worker::threads::pin_candle_threads();
	let recipe = Recipe::SMALL;
	let corpus = Corpus::load(&default_dir()).expect("the plays: run scripts/fetch-models.sh");
	let start = recipe.config.initial_parameters(SEED);
	let alone = train_shard(recipe.config, &start, &corpus.training, &recipe.local(ROUNDS * STEPS), SEED).expect("training");
	let alone_loss = bits_per_character(recipe.config, &alone.parameters, &corpus.validation, recipe.validation_windows).expect("loss");
	println!("one worker alone, {} steps: validation {alone_loss:.3} bits per character", ROUNDS * STEPS);
	for shards in [2u32, 4] {
		let loss = diloco(&recipe, &corpus, shards);
		let (n, change, k) = (recipe.config.parameter_count(), change_len(&recipe.config), shards as usize);
		// Each shard reads the parameters and writes its change; the outer step reads the
		// parameters, the momentum and every change; the next state is written.
		let moved = k * (4 * n + change) + (8 * n + k * change) + 8 * n;
		println!(
			"DiLoCo, {shards} shards × {STEPS} steps × {ROUNDS} rounds (the same wall time on {shards} machines): validation {loss:.3} bits per character; \
			 a round stores {} bytes (its changes and the next state) and moves {moved} bytes (one replica per job)",
			k * change + 8 * n
		);
	}
}
