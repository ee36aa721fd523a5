//! # The DeFi market-risk model
//!
//! The second DAO/DeFi use case: a lending pool or a DAO treasury tightens its risk parameters
//! (collateral factors, rebalancing limits) when the next trading day is likely to be volatile,
//! from a model whose every inference is proven on chain. Like the lending-risk model
//! ([`crate::lending_risk`]) it is a [`crate::models::fixed_mlp`] model (no code of its own in
//! the engine): this module holds its data and its float training, and `scripts/tabular-model.sh market-risk`
//! quantizes it through `quantize-mlp` like any dApp's model.
//!
//! - **Data**: the ISLP New York Stock Exchange table (`NYSE.csv`: `date`, `day_of_week`,
//!   `DJ_return`, `log_volume`, `log_volatility`, `train`; 6,051 trading days from 1962-12-03 to
//!   1986-12-31; BSD) from the PyPI package `ISLP==0.6.0`, fetched by `scripts/fetch-models.sh`
//!   with its SHA-256 checked.
//! - **Inputs**: for a day `t`, that day and the [`LAGS`]` − 1` trading days before it, most
//!   recent first, each day's `DJ_return` in basis points and its `log_volume` and
//!   `log_volatility` in hundredths, rounded to integers ([`SCALE`]): 15 integers, the 60 bytes
//!   of a job's input as they are (the model is quantized with `input_frac` 0; [`job_input`]).
//!   The units are coarse on purpose: `log_volatility` sits some 16 standard deviations from zero
//!   (about −9.8 ± 0.6), which the first layer's bias cancels, and `quantize-mlp` holds that bias
//!   at the scale of the largest weight per input unit: in millionths it leaves `i32`, in these
//!   units it stays within about a quarter of its range.
//! - **Label**: 1 when the `log_volatility` of day `t + 1` is above [`threshold`], the median of
//!   the training split's predicted days (a high-volatility day).
//! - **Split**: by the year of the predicted day, in time order, never shuffled: before
//!   [`CALIBRATION_FROM`] (1962–1976) to train, up to [`TEST_FROM`] (1977–1979) to calibrate the
//!   quantization, from 1980 to 1986 held out (the table's own `train = FALSE` days). An
//!   example's inputs are days up to `t` only and the threshold is the training split's, so no
//!   example sees what comes after it.
//! - **Model**: 15 → 8 (ReLU) → 1, the output a high-volatility logit, trained like the
//!   lending-risk model ([`crate::tabular::train`]); the standardisation is saved with the
//!   weights (`input.mean`, `input.std`) so the quantized model takes the integers above.
//!   `quantize-mlp`'s default input bits (twice the calibration split's largest value) are 11,
//!   9 and 13 for each day's three inputs: a job's returns must lie within ±10.24 %, its
//!   `log_volume` within ±2.56 and its `log_volatility` within ±40.96, or it is refused.
//! - **What to expect** on the held-out split: 86.8 % of its days are high-volatility days (the
//!   volatility of 1980–1986 ran above that of 1962–1976), and answering today's regime for
//!   tomorrow's scores 95.7 %; a NumPy replica of this training scores about 95 %, AUC 0.98,
//!   its quantization the same. The regime is persistent: the model is a proven, auditable
//!   version of that rule more than a better forecaster.

use crate::{models::fixed_mlp::evaluate::Labelled, Error, Result};
use aichain_compute::fixed;
use candle_core::{Device, Tensor};
use std::{collections::HashMap, path::Path};

pub use crate::tabular::{data_dir, Splits};

/// The table's file name inside the data directory.
pub const FILE: &str = "islp/NYSE.csv";
/// Hidden units of the float model.
pub const HIDDEN: usize = 8;
/// Trading days in one example's inputs: the day itself and the 4 before it.
pub const LAGS: usize = 5;
/// The inputs of one day, as the examples' header names them (the unit in the name).
pub const COLUMNS: [&str; 3] = ["DJ_return_bp", "log_volume_x100", "log_volatility_x100"];
/// What `DJ_return`, `log_volume` and `log_volatility` are multiplied by before rounding.
pub const SCALE: [f64; 3] = [10_000.0, 100.0, 100.0];
/// Inputs of the model.
pub const INPUTS: usize = LAGS * COLUMNS.len();
/// The first year whose days are predicted in the calibration split (before it: training).
pub const CALIBRATION_FROM: u32 = 1977;
/// The first year whose days are predicted in the held-out split.
pub const TEST_FROM: u32 = 1980;

/// One trading day of the table.
#[derive(Clone, Debug, PartialEq)]
pub struct Day {
	/// `YYYY-MM-DD`.
	pub date: String,
	/// The year of the date.
	pub year: u32,
	/// `DJ_return`: the Dow Jones Industrial Average's return over the day (a fraction).
	pub dj_return: f64,
	/// `log_volume`: the log of the day's NYSE turnover relative to its 100-day moving average.
	pub log_volume: f64,
	/// `log_volatility`: the log of the market's volatility, from the absolute daily moves.
	pub log_volatility: f64,
}

/// A field without its surrounding blanks and quotes.
fn unquote(field: &str) -> &str {
	field.trim().trim_matches('"')
}

/// Parses `NYSE.csv` (the six columns, quoted names and dates, `TRUE`/`FALSE` for `train`) into
/// its days, which must be in date order.
pub fn parse(csv: &str) -> Result<Vec<Day>> {
	let bad = |detail: String| Error::Malformed { what: "ISLP NYSE.csv", detail };
	let mut lines = csv.lines().filter(|l| !l.trim().is_empty());
	let header = lines.next().ok_or_else(|| bad("empty".into()))?;
	let names: Vec<&str> = header.split(',').map(unquote).collect();
	if names != ["date", "day_of_week", "DJ_return", "log_volume", "log_volatility", "train"] {
		return Err(bad(format!("header {header:?}")));
	}
	let mut days: Vec<Day> = Vec::new();
	for line in lines {
		let fields: Vec<&str> = line.split(',').map(unquote).collect();
		let [date, _day_of_week, dj_return, log_volume, log_volatility, train] = fields[..] else {
			return Err(bad(format!("row {line:?}")));
		};
		let year = date
			.get(..4)
			.filter(|_| date.len() == 10)
			.and_then(|y| y.parse::<u32>().ok())
			.ok_or_else(|| bad(format!("date {date:?} is not YYYY-MM-DD")))?;
		if days.last().is_some_and(|d| d.date.as_str() >= date) {
			return Err(bad(format!("{date} is not after the row before it")));
		}
		if train != "TRUE" && train != "FALSE" {
			return Err(bad(format!("train {train:?} is not TRUE or FALSE")));
		}
		let number = |v: &str| v.parse::<f64>().ok().filter(|x| x.is_finite()).ok_or_else(|| bad(format!("{v:?} is not a number")));
		days.push(Day {
			date: date.to_owned(),
			year,
			dj_return: number(dj_return)?,
			log_volume: number(log_volume)?,
			log_volatility: number(log_volatility)?,
		});
	}
	Ok(days)
}

/// The examples' column names: [`COLUMNS`] of day `t`, then of `t-1`, … `t-4`, then the label
/// `high_volatility[t+1]`.
pub fn header() -> Vec<String> {
	let mut header: Vec<String> = (0..LAGS)
		.flat_map(|lag| {
			let day = if lag == 0 { "t".to_string() } else { format!("t-{lag}") };
			COLUMNS.into_iter().map(move |column| format!("{column}[{day}]"))
		})
		.collect();
	header.push("high_volatility[t+1]".into());
	header
}

/// The inputs of the example that predicts the day after `days[t]`: for `days[t]`, `days[t-1]`,
/// … `days[t-LAGS+1]`, its `DJ_return`, `log_volume` and `log_volatility` times [`SCALE`],
/// rounded (half away from zero). `None` for the first `LAGS − 1` days and past the end.
pub fn inputs(days: &[Day], t: usize) -> Option<Vec<f64>> {
	if t + 1 < LAGS || t >= days.len() {
		return None;
	}
	Some(
		(0..LAGS)
			.flat_map(|lag| {
				let day = &days[t - lag];
				[day.dj_return, day.log_volume, day.log_volatility].into_iter().zip(SCALE).map(|(v, scale)| (v * scale).round())
			})
			.collect(),
	)
}

/// A job's input for the day after `days[t]`: the [`inputs`] as little-endian `i32`s
/// ([`INPUTS`]` · 4` bytes).
pub fn job_input(days: &[Day], t: usize) -> Option<Vec<u8>> {
	inputs(days, t).map(|x| fixed::encode_i32(&x.iter().map(|v| *v as i32).collect::<Vec<_>>()))
}

/// The label's threshold: the median `log_volatility` of the days the training split predicts
/// (from the `LAGS`-th day on, before [`CALIBRATION_FROM`]); `None` without any.
pub fn threshold(days: &[Day]) -> Option<f64> {
	let mut values: Vec<f64> = days.iter().skip(LAGS).filter(|d| d.year < CALIBRATION_FROM).map(|d| d.log_volatility).collect();
	values.sort_by(f64::total_cmp);
	let n = values.len();
	(n > 0).then(|| if n % 2 == 1 { values[n / 2] } else { (values[n / 2 - 1] + values[n / 2]) / 2.0 })
}

/// Every example of `days` (see the module docs), in the split of the year of the day it
/// predicts, labelled against [`threshold`].
pub fn split(days: &[Day]) -> Result<Splits> {
	let bad = |detail: String| Error::Malformed { what: "ISLP NYSE.csv", detail };
	let threshold = threshold(days).ok_or_else(|| bad(format!("no day to train on before {CALIBRATION_FROM}")))?;
	let empty = Labelled { header: header(), ..Default::default() };
	let mut splits = Splits { train: empty.clone(), calibration: empty.clone(), test: empty };
	for t in LAGS - 1..days.len().saturating_sub(1) {
		let Some(x) = inputs(days, t) else { continue };
		let next = &days[t + 1];
		let into = match next.year {
			year if year < CALIBRATION_FROM => &mut splits.train,
			year if year < TEST_FROM => &mut splits.calibration,
			_ => &mut splits.test,
		};
		into.features.push(x);
		into.labels.push(usize::from(next.log_volatility > threshold));
	}
	let sizes = (splits.train.labels.len(), splits.calibration.labels.len(), splits.test.labels.len());
	if sizes.0 == 0 || sizes.1 == 0 || sizes.2 == 0 {
		return Err(bad(format!("splits of {sizes:?} examples")));
	}
	Ok(splits)
}

/// The days of the table in `data_dir`.
pub fn read(data_dir: &Path) -> Result<Vec<Day>> {
	let path = data_dir.join(FILE);
	if !path.is_file() {
		return Err(Error::ModelMissing { path });
	}
	parse(&String::from_utf8_lossy(&crate::read_file(&path)?))
}

/// The fixed splits of the table in `data_dir`.
pub fn load(data_dir: &Path) -> Result<Splits> {
	split(&read(data_dir)?)
}

/// Trains the float model on `train` ([`crate::tabular::train`] with [`HIDDEN`] units; seeded:
/// the same weights every run on the CPU) and returns its tensors as PyTorch's
/// `nn.Sequential(Linear, ReLU, Linear)` names them (`0.weight`, `0.bias`, `2.weight`,
/// `2.bias`), with `input.mean` and `input.std`.
pub fn train(train: &Labelled, epochs: usize, device: &Device) -> Result<HashMap<String, Tensor>> {
	crate::tabular::train(train, HIDDEN, epochs, device)
}

#[cfg(test)]
mod tests {
	use super::*;

	const TABLE: &str = "\"date\",\"day_of_week\",\"DJ_return\",\"log_volume\",\"log_volatility\",\"train\"\n\
		\"1962-12-03\",\"mon\",-0.004461,0.032573,-13.1274025527484,TRUE\n\
		\"1962-12-04\",\"tues\",0.007813,0.346202,-11.7493047230798,TRUE\n\
		\"1986-12-31\",\"wed\",-0.006655,-0.264986,-9.9355267704668,FALSE\n";

	/// `count` days in each year, day `i` with a return of `i − 3` basis points, a log volume of
	/// `i` hundredths and a log volatility of `−10 + k/10` with `k = 7i mod 11`.
	fn synthetic(years: &[(u32, usize)]) -> Vec<Day> {
		years
			.iter()
			.flat_map(|(year, count)| std::iter::repeat(*year).take(*count))
			.enumerate()
			.map(|(i, year)| Day {
				date: format!("{year}-01-{:02}", i + 1),
				year,
				dj_return: 0.0001 * i as f64 - 0.0003,
				log_volume: 0.01 * i as f64,
				log_volatility: -10.0 + ((7 * i) % 11) as f64 * 0.1,
			})
			.collect()
	}

	#[test]
	fn the_table_parses_in_date_order_and_malformed_rows_are_named() {
		let days = parse(TABLE).unwrap();
		assert_eq!(days.len(), 3);
		let first = Day { date: "1962-12-03".into(), year: 1962, dj_return: -0.004461, log_volume: 0.032573, log_volatility: -13.1274025527484 };
		assert_eq!(days[0], first);
		assert_eq!((days[2].date.as_str(), days[2].year), ("1986-12-31", 1986));

		let lines: Vec<&str> = TABLE.lines().collect();
		let with = |row: &str| format!("{}\n{row}\n", lines[0]);
		assert!(parse("").is_err(), "empty");
		assert!(parse("default,student,balance,income\nNo,No,1,2\n").is_err(), "another table");
		assert!(parse(&with("\"1962-12-03\",\"mon\",x,0.1,-10,TRUE")).is_err(), "not a number");
		assert!(parse(&with("\"1962-12-03\",\"mon\",0.01,0.1,-10,yes")).is_err(), "a train flag neither TRUE nor FALSE");
		assert!(parse(&with("\"1962-12-03\",\"mon\",0.01,0.1,-10")).is_err(), "a short row");
		assert!(parse(&with("\"3 Dec 1962\",\"mon\",0.01,0.1,-10,TRUE")).is_err(), "a date not YYYY-MM-DD");
		assert!(parse(&[lines[0], lines[2], lines[1]].join("\n")).is_err(), "out of date order");
		assert!(parse(&[lines[0], lines[1], lines[1]].join("\n")).is_err(), "a day twice");
	}

	#[test]
	fn an_example_s_inputs_are_its_day_and_the_four_before_in_integer_units() {
		let days = synthetic(&[(1975, 10)]);
		let expected = [2.0, 5.0, -980.0, 1.0, 4.0, -940.0, 0.0, 3.0, -900.0, -1.0, 2.0, -970.0, -2.0, 1.0, -930.0];
		assert_eq!(inputs(&days, 5).unwrap(), expected);
		assert_eq!((inputs(&days, 3), inputs(&days, 10)), (None, None), "before the fifth day, past the end");
		assert_eq!(inputs(&days, 4).unwrap().len(), INPUTS);

		// Nothing after day t: the predicted day and those after it change nothing.
		let mut later = days.clone();
		for day in &mut later[6..] {
			(day.dj_return, day.log_volume, day.log_volatility) = (0.5, 9.0, -1.0);
		}
		assert_eq!(inputs(&later, 5), inputs(&days, 5));

		// The job's input: the same integers, little-endian i32s.
		let bytes = job_input(&days, 5).unwrap();
		assert_eq!(bytes.len(), 4 * INPUTS);
		assert_eq!(fixed::decode_i32(&bytes).unwrap(), expected.map(|v| v as i32));
		let header = header();
		assert_eq!(header.len(), INPUTS + 1);
		assert_eq!(
			(header[0].as_str(), header[5].as_str(), header[INPUTS].as_str()),
			("DJ_return_bp[t]", "log_volatility_x100[t-1]", "high_volatility[t+1]")
		);
	}

	#[test]
	fn the_label_threshold_is_the_training_median_and_later_days_do_not_move_it() {
		// Predicted days 5..=10 train (1975–1976), 11..=13 calibrate (1977), 14..=17 test (1980).
		let days = synthetic(&[(1975, 6), (1976, 5), (1977, 3), (1980, 4)]);
		let splits = split(&days).unwrap();
		let sizes = |s: &Splits| (s.train.labels.len(), s.calibration.labels.len(), s.test.labels.len());
		assert_eq!(sizes(&splits), (6, 3, 4));
		assert_eq!(splits.train.header, header());
		// k of days 5..=10: 2, 9, 5, 1, 8, 4; the median 4.5.
		assert!((threshold(&days).unwrap() - -9.55).abs() < 1e-9);
		assert_eq!(splits.train.labels, [0, 1, 1, 0, 1, 0]);
		assert_eq!(splits.train.features[0], inputs(&days, 4).unwrap(), "the first example predicts day 5");

		// Calibration and test days, however volatile, leave the threshold and the training split
		// as they are; so does a day that no example predicts.
		let mut changed = days.clone();
		for day in &mut changed[11..] {
			day.log_volatility = -5.0;
		}
		let moved = split(&changed).unwrap();
		assert_eq!(threshold(&changed), threshold(&days));
		assert_eq!(moved.train, splits.train);
		assert_eq!((moved.calibration.labels, moved.test.labels), (vec![1; 3], vec![1; 4]));
		changed[0].log_volatility = 3.0;
		assert_eq!(threshold(&changed), threshold(&days));

		assert!(split(&days[..12]).is_err(), "no held-out days");
		assert!(split(&synthetic(&[(1980, 20)])).is_err(), "no training days");
	}
}
