//! Labelled data and the metrics that compare a float network with its fixed-point model.
//!
//! Data sets are CSV files with a header and numeric columns: the features, then the label (a
//! class index) last.

use super::{
	file::ModelFile,
	quantize::{quantize_inputs, FloatMlp},
};
use crate::{Error, Result};
use std::path::Path;

/// Labelled examples.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Labelled {
	/// The column names (features, then the label).
	pub header: Vec<String>,
	/// One row of features per example.
	pub features: Vec<Vec<f64>>,
	/// The class of each example.
	pub labels: Vec<usize>,
}

impl Labelled {
	/// Parses a CSV data set (see the module docs).
	pub fn parse(csv: &str) -> Result<Self> {
		let bad = |detail: String| Error::Malformed { what: "labelled CSV", detail };
		let mut lines = csv.lines().filter(|l| !l.trim().is_empty());
		let header: Vec<String> = lines.next().ok_or_else(|| bad("empty".into()))?.split(',').map(|s| s.trim().to_owned()).collect();
		let mut data = Self { header, ..Self::default() };
		for (row, line) in lines.enumerate() {
			let values: Vec<f64> = line
				.split(',')
				.map(|v| v.trim().parse::<f64>())
				.collect::<Result<_, _>>()
				.map_err(|e| bad(format!("row {}: {e}", row + 1)))?;
			let (label, features) = values.split_last().ok_or_else(|| bad(format!("row {} is empty", row + 1)))?;
			if values.len() != data.header.len() || *label < 0.0 || label.fract() != 0.0 {
				return Err(bad(format!("row {}: {} values (header has {}), label {label}", row + 1, values.len(), data.header.len())));
			}
			data.features.push(features.to_vec());
			data.labels.push(*label as usize);
		}
		Ok(data)
	}

	/// Reads a CSV data set.
	pub fn load(path: &Path) -> Result<Self> {
		let bytes = crate::read_file(path)?;
		Self::parse(&String::from_utf8_lossy(&bytes))
	}

	/// The data as CSV (what [`Labelled::parse`] reads).
	pub fn to_csv(&self) -> String {
		let mut csv = self.header.join(",") + "\n";
		for (features, label) in self.features.iter().zip(&self.labels) {
			let row: Vec<String> = features.iter().map(|v| v.to_string()).chain([label.to_string()]).collect();
			csv += &(row.join(",") + "\n");
		}
		csv
	}
}

/// How well scores predict labels.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Metrics {
	/// Share of examples whose predicted class is their label: with one output, class 1 when the
	/// score is positive (a logit); otherwise the largest output's index.
	pub accuracy: f64,
	/// Area under the ROC curve of a binary model (one output, or two: `s₁ − s₀`).
	pub auc: Option<f64>,
}

/// The metrics of `scores` (one row of outputs per example) against `labels`.
pub fn metrics(scores: &[Vec<f64>], labels: &[usize]) -> Metrics {
	let predicted = |s: &Vec<f64>| -> usize {
		if s.len() == 1 {
			usize::from(s[0] > 0.0)
		} else {
			s.iter().enumerate().fold(0, |best, (i, v)| if *v > s[best] { i } else { best })
		}
	};
	let correct = scores.iter().zip(labels).filter(|(s, l)| predicted(s) == **l).count();
	let binary: Option<Vec<f64>> = scores
		.iter()
		.map(|s| match s[..] {
			[logit] => Some(logit),
			[s0, s1] => Some(s1 - s0),
			_ => None,
		})
		.collect();
	Metrics { accuracy: correct as f64 / scores.len().max(1) as f64, auc: binary.map(|b| auc(&b, labels)) }
}

/// The area under the ROC curve: the chance that a random positive scores above a random
/// negative (ties count half), from the ranks of the scores (Mann–Whitney U).
pub fn auc(scores: &[f64], labels: &[usize]) -> f64 {
	let mut order: Vec<usize> = (0..scores.len()).collect();
	order.sort_by(|a, b| scores[*a].total_cmp(&scores[*b]));
	let mut ranks = vec![0f64; scores.len()];
	let mut i = 0;
	while i < order.len() {
		let mut j = i;
		while j + 1 < order.len() && scores[order[j + 1]] == scores[order[i]] {
			j += 1;
		}
		// Tied scores share the mean of their ranks (1-based).
		for k in i..=j {
			ranks[order[k]] = (i + j) as f64 / 2.0 + 1.0;
		}
		i = j + 1;
	}
	let positives = labels.iter().filter(|l| **l == 1).count() as f64;
	let negatives = labels.len() as f64 - positives;
	let rank_sum: f64 = ranks.iter().zip(labels).filter(|(_, l)| **l == 1).map(|(r, _)| r).sum();
	(rank_sum - positives * (positives + 1.0) / 2.0) / (positives * negatives).max(1.0)
}

/// A float network and its fixed-point model on the same labelled data.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Comparison {
	/// The float network's metrics.
	pub float: Metrics,
	/// The fixed-point model's (its outputs read at `2^-output_frac`).
	pub quantized: Metrics,
	/// Examples whose quantized inputs fall outside the model's `input_bits` (the model refuses
	/// them; they count as wrong above).
	pub refused: usize,
}

/// Runs `float` and `model` on every example of `data`.
pub fn compare(float: &FloatMlp, model: &ModelFile, data: &Labelled) -> Result<Comparison> {
	let input_frac = model.info_number("input_frac").unwrap_or(0);
	let output_scale = 2f64.powi(-model.info_number("output_frac").unwrap_or(0));
	let float_scores: Vec<Vec<f64>> = data.features.iter().map(|x| float.forward(x)).collect();
	let mut refused = 0;
	let mut scores = Vec::with_capacity(data.features.len());
	for x in &data.features {
		match model.network.forward(&quantize_inputs(x, input_frac)?) {
			Ok(out) => scores.push(out.iter().map(|v| *v as f64 * output_scale).collect()),
			Err(_) => {
				refused += 1;
				scores.push(vec![f64::NAN; model.network.outputs()]);
			},
		}
	}
	Ok(Comparison { float: metrics(&float_scores, &data.labels), quantized: metrics(&scores, &data.labels), refused })
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn auc_counts_ordered_pairs_and_ties_half() {
		assert_eq!(auc(&[0.1, 0.4, 0.35, 0.8], &[0, 0, 1, 1]), 0.75);
		assert_eq!(auc(&[1.0, 2.0], &[0, 1]), 1.0);
		assert_eq!(auc(&[1.0, 1.0], &[0, 1]), 0.5);
	}

	#[test]
	fn a_csv_round_trips_and_bad_rows_are_named() {
		let data = Labelled::parse("a,b,label\n1,2.5,0\n-3,4,1\n").unwrap();
		assert_eq!((data.features.len(), data.labels.clone()), (2, vec![0, 1]));
		assert_eq!(Labelled::parse(&data.to_csv()).unwrap(), data);
		assert!(Labelled::parse("a,label\n1,0.5\n").is_err(), "a fractional label");
		assert!(Labelled::parse("a,label\n1\n").is_err(), "a short row");
	}
}
