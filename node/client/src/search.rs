//! `search`: semantic search over a document embedding job's output, on this machine. The query
//! is embedded with the same MiniLM model the providers ran (weights from
//! `scripts/fetch-models.sh`, `$AICHAIN_MODELS_DIR`), and every row of the output (one signed
//! byte per dimension, `round(127·e)`) is ranked by cosine similarity with it. Nothing is sent
//! to the chain: the query stays here.

use aichain_compute::blob::RowOutput;
use aichain_offchain_worker::models::minilm::{
	batch,
	embedding::{cosine, models_dir, SentenceEmbedder, DIMENSIONS},
};
use anyhow::{ensure, Context, Result};
use std::path::Path;

/// A row's score: its line and its cosine similarity with the query.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Hit {
	/// The line (0-based) the row embeds.
	pub line: usize,
	/// Cosine similarity with the query.
	pub score: f32,
}

/// The `top` rows of `rows` most similar to `query`, best first.
pub fn rank(rows: &RowOutput, query: &[f32], top: usize) -> Vec<Hit> {
	let mut hits: Vec<Hit> = rows
		.rows()
		.enumerate()
		.map(|(line, row)| {
			let embedding: Vec<f32> = row.iter().map(|b| *b as i8 as f32 / 127.0).collect();
			Hit { line, score: cosine(query, &embedding) }
		})
		.collect();
	hits.sort_by(|a, b| b.score.total_cmp(&a.score).then(a.line.cmp(&b.line)));
	hits.truncate(top);
	hits
}

/// Ranks the rows in the file `rows` for `query`; prints the best `top` (with their lines of
/// `documents`, if given).
pub fn search(rows: &Path, query: &str, documents: Option<&Path>, top: usize) -> Result<()> {
	let bytes = std::fs::read(rows).with_context(|| format!("reading {}", rows.display()))?;
	let output = RowOutput::parse(&bytes).with_context(|| format!("{} is not a row output", rows.display()))?;
	ensure!(output.row_len as usize == DIMENSIONS, "rows of {} bytes: not MiniLM embeddings ({DIMENSIONS})", output.row_len);
	let text = match documents {
		Some(path) => Some(std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?),
		None => None,
	};
	let lines = text.as_deref().map(batch::lines).unwrap_or_default();
	ensure!(
		text.is_none() || lines.len() == output.row_count(),
		"the document has {} lines, the output {} rows: not this document's embedding",
		lines.len(),
		output.row_count()
	);
	let embedder = SentenceEmbedder::load(&models_dir(), &candle_core::Device::Cpu)?;
	let embedding = embedder.embed(&[query])?.pop().unwrap_or_default();
	for (rank, hit) in rank(&output, &embedding, top).iter().enumerate() {
		let line = lines.get(hit.line).copied().unwrap_or("");
		println!("{}. line {} ({:.3}) {line}", rank + 1, hit.line + 1, hit.score);
	}
	Ok(())
}

#[cfg(test)]
mod tests {
	use super::*;
	use aichain_compute::blob::encode_row_output;

	#[test]
	fn rows_are_ranked_by_cosine_best_first() {
		let row = |v: i8| {
			let mut r = vec![0u8; DIMENSIONS];
			r[0] = v as u8;
			r[1] = 64;
			r
		};
		let rows = [row(-127), row(127), row(0)];
		let bytes = encode_row_output(DIMENSIONS as u16, rows.iter().map(|r| &r[..]));
		let output = RowOutput::parse(&bytes).unwrap();
		let mut query = vec![0f32; DIMENSIONS];
		query[0] = 1.0;
		let hits = rank(&output, &query, 2);
		assert_eq!(hits.iter().map(|h| h.line).collect::<Vec<_>>(), vec![1, 2]);
		assert!(hits[0].score > 0.8 && hits[1].score.abs() < 1e-6);
	}
}
