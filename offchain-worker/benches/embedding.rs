//! MiniLM-L6 embedding latency and throughput with candle on this machine's CPU, for a batch of
//! 1 and of 32 sentences (weights fetched by `scripts/fetch-models.sh`).
//!
//!     cargo bench -p aichain-offchain-worker --bench embedding

use aichain_offchain_worker::{embedding, mlp};
use criterion::{criterion_group, criterion_main, Criterion, Throughput};

/// Sentences of 8 to 20 words, as a typical embedding job would send.
const SENTENCES: [&str; 8] = [
	"A man is playing a guitar on the street corner.",
	"The central bank raised interest rates by a quarter point.",
	"How do I reset my password if I no longer have access to my email?",
	"Penguins huddle together to survive the Antarctic winter.",
	"The new phone has a larger battery and a brighter screen.",
	"Children were playing football in the park after school.",
	"The recipe calls for two cups of flour and three eggs.",
	"Researchers found a new species of frog in the rainforest.",
];

fn embedding(c: &mut Criterion) {
	let model = embedding::SentenceEmbedder::load(&embedding::models_dir(), &mlp::device().unwrap())
		.expect("MiniLM weights: run scripts/fetch-models.sh");
	let mut group = c.benchmark_group("minilm");
	group.sample_size(20);
	for batch in [1usize, 32] {
		let sentences: Vec<&str> = SENTENCES.iter().cycle().take(batch).copied().collect();
		group.throughput(Throughput::Elements(batch as u64));
		group.bench_function(format!("embed_batch{batch}"), |b| b.iter(|| model.embed(&sentences).unwrap()));
	}
	group.finish();
}

criterion_group!(benches, embedding);
criterion_main!(benches);
