//! Prints the MiniLM-L6 embedding of a sentence as a JSON array (weights from
//! `scripts/fetch-models.sh`).
//!
//!     cargo run --release -p aichain-offchain-worker --bin embed -- "some sentence"

use aichain_offchain_worker::models::{digits::mlp, minilm::embedding};

fn main() -> Result<(), Box<dyn std::error::Error>> {
	aichain_offchain_worker::threads::pin_candle_threads();
	let sentence = std::env::args().nth(1).ok_or("usage: embed SENTENCE")?;
	let model = embedding::SentenceEmbedder::load(&embedding::models_dir(), &mlp::device()?)?;
	let vector = model.embed(&[&sentence])?.pop().unwrap_or_default();
	let values: Vec<String> = vector.iter().map(|v| format!("{v}")).collect();
	println!("[{}]", values.join(","));
	Ok(())
}
