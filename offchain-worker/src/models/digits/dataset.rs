//! The handwritten-digits data set (8×8 images, pixels 0..16, labels 0..9; UCI, CC BY 4.0) and
//! its fixed split: row `i` is a test row when `i % 5 == 0`. See `offchain-worker/data/README.md`.

use crate::{Error, Result};
use std::io::Read;

/// Pixels per image.
pub const PIXELS: usize = 64;
/// Classes.
pub const CLASSES: usize = 10;
/// Largest pixel value.
pub const MAX_PIXEL: u8 = 16;

/// The data set as shipped with this crate (gzip-compressed CSV).
const DIGITS_CSV_GZ: &[u8] = include_bytes!("../../../data/digits.csv.gz");

/// One labelled image.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Sample {
	/// Pixels, row by row, each 0..=16: exactly a job's input bytes.
	pub pixels: [u8; PIXELS],
	/// The digit.
	pub label: u8,
}

/// The fixed split.
#[derive(Clone, Debug)]
pub struct Digits {
	/// 1,437 training rows.
	pub train: Vec<Sample>,
	/// 360 test rows.
	pub test: Vec<Sample>,
}

/// Loads the data set shipped with this crate and splits it.
pub fn load() -> Result<Digits> {
	let mut csv = String::new();
	flate2::read::GzDecoder::new(DIGITS_CSV_GZ)
		.read_to_string(&mut csv)
		.map_err(|e| Error::Malformed { what: "digits.csv.gz", detail: e.to_string() })?;
	let samples = parse(&csv)?;
	let (test, train): (Vec<_>, Vec<_>) = samples.into_iter().enumerate().partition(|(i, _)| i % 5 == 0);
	Ok(Digits { train: train.into_iter().map(|(_, s)| s).collect(), test: test.into_iter().map(|(_, s)| s).collect() })
}

/// Parses CSV rows of 64 pixels and a label.
pub fn parse(csv: &str) -> Result<Vec<Sample>> {
	csv.lines()
		.filter(|line| !line.trim().is_empty())
		.enumerate()
		.map(|(row, line)| {
			let bad = |detail: String| Error::Malformed { what: "digits row", detail: format!("row {row}: {detail}") };
			let values: Vec<u8> = line
				.split(',')
				.map(|v| v.trim().parse::<f64>().map_err(|e| bad(e.to_string())).map(|v| v as u8))
				.collect::<Result<_>>()?;
			if values.len() != PIXELS + 1 {
				return Err(bad(format!("{} columns, expected {}", values.len(), PIXELS + 1)));
			}
			let label = values[PIXELS];
			if label as usize >= CLASSES || values[..PIXELS].iter().any(|p| *p > MAX_PIXEL) {
				return Err(bad("value out of range".into()));
			}
			Ok(Sample { pixels: values[..PIXELS].try_into().expect("64 pixels; qed"), label })
		})
		.collect()
}
