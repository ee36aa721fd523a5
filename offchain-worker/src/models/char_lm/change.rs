//! A shard's parameter change as it travels: one signed byte per parameter on a fixed scale,
//! as the rows of a row output ([`aichain_compute::blob::RowOutput`]) of
//! [`CHANGE_ROW_LEN`]-byte rows, so that replicas of a shard are compared by the chain's sketch
//! like any blob output.
//!
//! The scale is fixed by the shard's recipe, not measured from the change: AdamW moves a weight
//! by about its learning rate per step at most, so `steps · learning_rate` bounds a shard's
//! change and `scale = steps · learning_rate / 127`. A fixed scale keeps every byte of the
//! output comparable between replicas (a measured scale that differed in its last bit would
//! move every value of its tensor), and it bounds what any one shard can contribute: a change
//! blown up ×100 saturates at ±127 steps.

use super::layout::CharLmConfig;
use crate::{Error, Result};
use aichain_compute::blob::{encode_row_output, RowOutput};

/// Bytes (parameters) per row of a change's row output.
pub const CHANGE_ROW_LEN: u16 = 128;

/// The value of one step of a change from `steps` AdamW steps at `learning_rate`.
pub fn change_scale(steps: u32, learning_rate: f64) -> f32 {
	(f64::from(steps) * learning_rate / 127.0) as f32
}

/// The rows a change of `config` fills (the last one padded with zeros).
fn rows(config: &CharLmConfig) -> usize {
	config.parameter_count().div_ceil(CHANGE_ROW_LEN as usize)
}

/// The length of a change's row output for `config`.
pub fn change_len(config: &CharLmConfig) -> usize {
	aichain_compute::blob::ROW_OUTPUT_HEADER_LEN + rows(config) * CHANGE_ROW_LEN as usize
}

/// The change from `global` to `local`, as a row output: `round((local − global) / scale)`,
/// clamped to ±127.
pub fn encode_change(config: &CharLmConfig, global: &[f32], local: &[f32], scale: f32) -> Result<Vec<u8>> {
	config.check_length("global parameters", global.len())?;
	config.check_length("local parameters", local.len())?;
	let mut values: Vec<u8> = global
		.iter()
		.zip(local)
		.map(|(g, l)| {
			let steps = ((l - g) / scale).round();
			// A NaN (a diverged shard) is no change.
			if steps.is_nan() { 0 } else { steps.clamp(-127.0, 127.0) as i8 as u8 }
		})
		.collect();
	values.resize(rows(config) * CHANGE_ROW_LEN as usize, 0);
	Ok(encode_row_output(CHANGE_ROW_LEN, values.chunks_exact(CHANGE_ROW_LEN as usize)))
}

/// The change a row output holds, as `f32`s: it must be a change of `config` (its rows, its
/// length, zero padding and no −128).
pub fn decode_change(config: &CharLmConfig, bytes: &[u8], scale: f32) -> Result<Vec<f32>> {
	let malformed = |detail: String| Error::Malformed { what: "character model change", detail };
	let output = RowOutput::parse(bytes).ok_or_else(|| malformed("not a row output".into()))?;
	if output.row_len != CHANGE_ROW_LEN || output.row_count() != rows(config) {
		return Err(malformed(format!(
			"{} rows of {} bytes, the model's change is {} rows of {CHANGE_ROW_LEN}",
			output.row_count(),
			output.row_len,
			rows(config)
		)));
	}
	let (values, padding) = output.rows.split_at(config.parameter_count());
	if padding.iter().any(|&b| b != 0) {
		return Err(malformed("non-zero padding".into()));
	}
	if values.iter().any(|&b| b as i8 == i8::MIN) {
		return Err(malformed("a value of -128 (changes are clamped to ±127)".into()));
	}
	Ok(values.iter().map(|&b| f32::from(b as i8) * scale).collect())
}
