//! Training speed of the character language model with candle on this machine's CPU: one
//! shard's local AdamW steps (`CharLmConfig::SMALL`, 16 windows of 64 characters per step) on
//! the training plays (fetched by `scripts/fetch-models.sh`), in tokens per second.
//!
//!     scripts/bench-char-lm.sh     # this and the same model in PyTorch (`char_lm_torch.py`)

use aichain_offchain_worker::models::char_lm::{
	corpus::{default_dir, Corpus},
	training::{train_shard, LocalTraining},
	CharLmConfig,
};
use candle_core::Device;
use criterion::{criterion_group, Criterion, Throughput};

/// AdamW steps per measured iteration.
const STEPS: usize = 10;

fn training(c: &mut Criterion) {
	let config = CharLmConfig::SMALL;
	let corpus = Corpus::load(&default_dir()).expect("the plays: run scripts/fetch-models.sh");
	let start = config.initial_parameters(0);
	let training = LocalTraining { steps: STEPS, ..Default::default() };
	let mut group = c.benchmark_group("char_lm");
	group.sample_size(20);
	group.throughput(Throughput::Elements((STEPS * training.batch_size * config.context) as u64));
	group.bench_function("train_10_steps_batch16", |b| {
		b.iter(|| train_shard(&Device::Cpu, config, &start, &corpus.training, &training, 1).unwrap())
	});
	group.finish();
}

criterion_group!(benches, training);

/// `criterion_main!` with candle's thread count pinned first, as the node's `main` does.
fn main() {
	aichain_offchain_worker::threads::pin_candle_threads();
	benches();
	Criterion::default().configure_from_args().final_summary();
}
