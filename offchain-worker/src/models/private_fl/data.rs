//! A hospital's patient records as the private federated-learning circuit reads them.
//!
//! Records are the Wisconsin diagnostic breast-cancer data (`offchain-worker/data/breast_cancer.csv`,
//! 569 rows, 30 measurements and the diagnosis, `0` malignant, `1` benign). A consortium fixes
//! public [`Scales`] (a mean and a spread per feature) when it forms; each hospital quantizes its
//! own records with them to signed 4-bit values `round(2·(x − mean)/std)` clamped to `−8..=7`
//! (half a standard deviation per step), so the circuit's arithmetic is small and exact.
//!
//! A [`Row`] packs into [`ROW_BITS`] bits: 30 nibbles (`value + 8`), the label bit, the present
//! bit. Two rows make one field element of the data commitment. A member's rows are padded to
//! [`MAX_ROWS`] with absent rows, which the step ignores.

use super::{FEATURES, FEATURE_BITS, MAX_ROWS, ROWS_PER_ELEMENT, ROW_BITS, ROW_ELEMENTS};
use crate::{Error, Result};
use ark_bn254::Fr;

/// One patient record: real measurements and the diagnosis.
#[derive(Clone, Debug, PartialEq)]
pub struct Record {
	/// The 30 measurements.
	pub features: [f64; FEATURES],
	/// 1 benign, 0 malignant.
	pub label: u8,
}

/// Reads the breast-cancer CSV (a header line `569,30,malignant,benign`, then rows of 30 numbers
/// and a label).
pub fn parse_csv(text: &str) -> Result<Vec<Record>> {
	let malformed = |detail: String| Error::Malformed { what: "breast-cancer CSV", detail };
	let mut lines = text.lines();
	let header = lines.next().ok_or_else(|| malformed("empty".into()))?;
	let expected: usize = header.split(',').next().and_then(|n| n.parse().ok()).ok_or_else(|| malformed(format!("header {header:?}")))?;
	let records = lines
		.filter(|line| !line.trim().is_empty())
		.enumerate()
		.map(|(n, line)| {
			let values: Vec<f64> = line.split(',').map(|v| v.trim().parse::<f64>()).collect::<Result<_, _>>().map_err(|e| malformed(format!("row {n}: {e}")))?;
			if values.len() != FEATURES + 1 || !matches!(values[FEATURES], 0.0 | 1.0) {
				return Err(malformed(format!("row {n}: {} values, label {:?}", values.len(), values.last())));
			}
			Ok(Record { features: core::array::from_fn(|j| values[j]), label: values[FEATURES] as u8 })
		})
		.collect::<Result<Vec<_>>>()?;
	if records.len() != expected {
		return Err(malformed(format!("{} rows, the header says {expected}", records.len())));
	}
	Ok(records)
}

/// The consortium's public quantization: a centre and a spread per feature.
#[derive(Clone, Debug, PartialEq)]
pub struct Scales {
	/// Per feature, the value quantized to 0.
	pub mean: [f64; FEATURES],
	/// Per feature, the value of one quantization step × 2.
	pub std: [f64; FEATURES],
}

impl Scales {
	/// The means and standard deviations of `records` (what a consortium would publish, or take
	/// from reference ranges, before any round).
	pub fn of(records: &[Record]) -> Self {
		let n = records.len().max(1) as f64;
		let mean: [f64; FEATURES] = core::array::from_fn(|j| records.iter().map(|r| r.features[j]).sum::<f64>() / n);
		let std = core::array::from_fn(|j| {
			let variance = records.iter().map(|r| (r.features[j] - mean[j]).powi(2)).sum::<f64>() / n;
			if variance > 0.0 { variance.sqrt() } else { 1.0 }
		});
		Self { mean, std }
	}

	/// The quantized row of a record.
	pub fn quantize(&self, record: &Record) -> Row {
		let features = core::array::from_fn(|j| {
			let z = (record.features[j] - self.mean[j]) / self.std[j];
			(2.0 * z).round().clamp(-8.0, 7.0) as i8
		});
		Row { features, label: record.label == 1, present: true }
	}
}

/// A quantized record as the circuit sees it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Row {
	/// Signed 4-bit feature values, `−8..=7`.
	pub features: [i8; FEATURES],
	/// The diagnosis (benign).
	pub label: bool,
	/// Whether the row is a record (`false`: padding, ignored by the step).
	pub present: bool,
}

impl Row {
	/// The padding row.
	pub const ABSENT: Row = Row { features: [0; FEATURES], label: false, present: false };

	/// The row's [`ROW_BITS`] bits as an integer: nibble `j` (`value + 8`) at bit `4j`, then the
	/// label bit, then the present bit.
	pub fn packed(&self) -> u128 {
		let nibbles = self.features.iter().enumerate().fold(0u128, |acc, (j, v)| acc | (((*v as i16 + 8) as u128 & 0xf) << (FEATURE_BITS * j)));
		nibbles | (self.label as u128) << (FEATURES * FEATURE_BITS) | (self.present as u128) << (FEATURES * FEATURE_BITS + 1)
	}

	/// The least-squares target at scale `2^16`: `+1` for benign, `−1` for malignant.
	pub fn target(&self) -> i128 {
		if self.label { 1 << super::WEIGHT_FRAC } else { -(1 << super::WEIGHT_FRAC) }
	}
}

/// A member's rows, padded to [`MAX_ROWS`]; an error if there are more, or a feature is outside
/// `−8..=7` (the circuit reads 4 bits).
pub fn padded(rows: &[Row]) -> Result<Vec<Row>> {
	if rows.len() > MAX_ROWS {
		return Err(Error::OutOfRange(format!("{} rows, a member holds at most {MAX_ROWS}", rows.len())));
	}
	if let Some(bad) = rows.iter().flat_map(|r| r.features).find(|x| !(-8..=7).contains(x)) {
		return Err(Error::OutOfRange(format!("feature value {bad}: the circuit takes −8..=7")));
	}
	let mut padded = rows.to_vec();
	padded.resize(MAX_ROWS, Row::ABSENT);
	Ok(padded)
}

/// The padded rows packed into the field elements of the data commitment, two rows each.
pub fn row_elements(rows: &[Row]) -> Vec<Fr> {
	debug_assert_eq!(rows.len(), MAX_ROWS);
	rows.chunks(ROWS_PER_ELEMENT)
		.map(|pair| pair.iter().rev().fold(Fr::from(0u64), |acc, row| acc * aichain_zk_circuits::pow2(ROW_BITS) + Fr::from(row.packed())))
		.take(ROW_ELEMENTS)
		.collect()
}

/// The split the tests and benchmarks use: every fifth record (index ≡ 4 mod 5) is the held-out
/// test set; the other 455 are dealt to hospitals in contiguous, unequal shares.
pub struct Split {
	/// The held-out records.
	pub test: Vec<Record>,
	/// Each hospital's records.
	pub hospitals: Vec<Vec<Record>>,
}

/// Shares of the training records per hospital, in percent (unequal on purpose).
pub const HOSPITAL_SHARES: [usize; 4] = [40, 28, 20, 12];

/// Splits `records` into the held-out set and [`HOSPITAL_SHARES`].
pub fn split(records: &[Record]) -> Split {
	let (test, train): (Vec<_>, Vec<_>) = records.iter().cloned().enumerate().partition(|(i, _)| i % 5 == 4);
	let train: Vec<Record> = train.into_iter().map(|(_, r)| r).collect();
	let mut hospitals = Vec::new();
	let mut start = 0;
	for (h, share) in HOSPITAL_SHARES.iter().enumerate() {
		let end = if h + 1 == HOSPITAL_SHARES.len() { train.len() } else { start + train.len() * share / 100 };
		hospitals.push(train[start..end].to_vec());
		start = end;
	}
	Split { test: test.into_iter().map(|(_, r)| r).collect(), hospitals }
}

/// Held-out accuracy of parameters (scale `2^16`): a record is called benign when its score
/// `w·x + b` is positive.
pub fn accuracy(parameters: &[i32; super::PARAMETERS], rows: &[Row]) -> f64 {
	let correct = rows
		.iter()
		.filter(|row| {
			let score: i64 = row.features.iter().zip(parameters).map(|(x, w)| *x as i64 * *w as i64).sum::<i64>() + parameters[FEATURES] as i64;
			(score > 0) == row.label
		})
		.count();
	correct as f64 / rows.len().max(1) as f64
}
