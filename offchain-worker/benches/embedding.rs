//! MiniLM-L6 embedding latency and throughput with candle on this machine's CPU, for a batch of
//! 1 and of 32 sentences, and for a whole document of 682 lines (the most a 256 KiB output blob
//! holds) as a document embedding job runs it (weights fetched by `scripts/fetch-models.sh`).
//!
//!     cargo bench -p aichain-offchain-worker --bench embedding

use aichain_compute::blob::RowOutputShape;
use aichain_offchain_worker::models::{digits::mlp, minilm::embedding};
use criterion::{criterion_group, Criterion, Throughput};

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
	let shape = RowOutputShape { row_len: embedding::DIMENSIONS as u16, max_len: 256 * 1024 };
	let document: String = SENTENCES.lines().cycle().take(shape.max_rows()).map(|line| format!("{line}\n")).collect();
	group.sample_size(10);
	group.throughput(Throughput::Elements(shape.max_rows() as u64));
	group.bench_function("embed_document682", |b| b.iter(|| model.embed_document(document.as_bytes(), shape).unwrap()));
	group.finish();
}

criterion_group!(benches, embedding);

/// `criterion_main!` with candle's thread count pinned first, as the node's `main` does.
fn main() {
	aichain_offchain_worker::threads::pin_candle_threads();
	benches();
	Criterion::default().configure_from_args().final_summary();
}
