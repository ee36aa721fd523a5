//! MiniLM-L6 embedding latency and throughput with candle on this machine's CPU, for a batch of
//! 1 and of 32 sentences (weights fetched by `scripts/fetch-models.sh`).
//!
//!     cargo bench -p aichain-offchain-worker --bench embedding

use aichain_offchain_worker::models::{digits::mlp, minilm::embedding};
use criterion::{criterion_group, criterion_main, Criterion, Throughput};

/// Sentences of 8 to 15 words, as a typical embedding job would send (shared with
/// `minilm_torch.py`).
const SENTENCES: &str = include_str!("sentences.txt");

fn embedding(c: &mut Criterion) {
	let model = embedding::SentenceEmbedder::load(&embedding::models_dir(), &mlp::device().unwrap())
		.expect("MiniLM weights: run scripts/fetch-models.sh");
	let mut group = c.benchmark_group("minilm");
	group.sample_size(20);
	for batch in [1usize, 32] {
		let sentences: Vec<&str> = SENTENCES.lines().cycle().take(batch).collect();
		group.throughput(Throughput::Elements(batch as u64));
		group.bench_function(format!("embed_batch{batch}"), |b| b.iter(|| model.embed(&sentences).unwrap()));
	}
	group.finish();
}

criterion_group!(benches, embedding);
criterion_main!(benches);
