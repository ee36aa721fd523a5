//! Document embeddings: a blob-output job's input is a text file, one sentence or paragraph
//! per line, and its output one embedding row per line ([`aichain_compute::blob::RowOutput`]
//! with rows of 384 signed bytes, each quantized as a single job's output is).
//!
//! Every provider splits the file the same way and embeds it in the same batches of
//! [`BATCH`] consecutive lines, so all replicas run the same tensor shapes; what still
//! differs between machines (the last bits of floating point) moves a few bytes by ±1, which
//! the chain's sketch comparison tolerates.

use super::embedding::{quantize, SentenceEmbedder, DIMENSIONS};
use crate::{Error, Result};
use aichain_compute::blob::{encode_row_output, RowOutputShape};

/// Lines embedded together.
pub const BATCH: usize = 32;

/// The lines of `text`: split at `\n`, a trailing `\r` removed, a final newline adding no
/// line (empty lines are kept: each gets a row, so row `i` is always line `i`). An empty text
/// has no lines.
pub fn lines(text: &str) -> Vec<&str> {
	if text.is_empty() {
		return Vec::new();
	}
	let text = text.strip_suffix('\n').unwrap_or(text);
	text.split('\n').map(|line| line.strip_suffix('\r').unwrap_or(line)).collect()
}

/// The document's lines, if it can be answered with a row output of `shape`: UTF-8 text, rows
/// of [`DIMENSIONS`] bytes, and no more lines than the shape holds rows.
pub fn checked_lines(input: &[u8], shape: RowOutputShape) -> Result<Vec<&str>> {
	let text = std::str::from_utf8(input)
		.map_err(|e| Error::Malformed { what: "document (UTF-8 text, one line per row)", detail: e.to_string() })?;
	if shape.row_len as usize != DIMENSIONS {
		return Err(Error::InvalidInput(format!("rows of {} bytes, embeddings have {DIMENSIONS}", shape.row_len)));
	}
	let lines = lines(text);
	if lines.len() > shape.max_rows() {
		return Err(Error::InvalidInput(format!("{} lines, the output holds {} rows", lines.len(), shape.max_rows())));
	}
	Ok(lines)
}

impl SentenceEmbedder {
	/// The row output of a document: one quantized embedding per line, embedded in batches of
	/// [`BATCH`] consecutive lines.
	pub fn embed_document(&self, input: &[u8], shape: RowOutputShape) -> Result<Vec<u8>> {
		let lines = checked_lines(input, shape)?;
		let mut rows = Vec::with_capacity(lines.len());
		for batch in lines.chunks(BATCH) {
			rows.extend(self.embed(batch)?.iter().map(|embedding| quantize(embedding)));
		}
		Ok(encode_row_output(DIMENSIONS as u16, rows.iter().map(|row| &row[..])))
	}
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn lines_are_split_the_same_way_everywhere() {
		assert_eq!(lines(""), Vec::<&str>::new());
		assert_eq!(lines("one"), vec!["one"]);
		assert_eq!(lines("one\n"), vec!["one"]);
		assert_eq!(lines("one\r\ntwo\r\n"), vec!["one", "two"]);
		assert_eq!(lines("one\n\nthree"), vec!["one", "", "three"]);
		assert_eq!(lines("\n"), vec![""]);
	}

	#[test]
	fn documents_that_do_not_fit_the_shape_are_refused() {
		let shape = RowOutputShape { row_len: DIMENSIONS as u16, max_len: 7 + 2 * DIMENSIONS as u32 };
		assert_eq!(checked_lines(b"a\nb\n", shape).map(|l| l.len()).ok(), Some(2));
		assert!(checked_lines(b"a\nb\nc", shape).is_err(), "three lines, two rows");
		assert!(checked_lines(&[0xff, b'\n'], shape).is_err(), "not UTF-8");
		assert!(checked_lines(b"a", RowOutputShape { row_len: 8, max_len: 100 }).is_err(), "wrong row length");
	}
}
