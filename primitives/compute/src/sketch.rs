//! Comparing row outputs the chain cannot keep: each replica's output is reduced, when it is
//! revealed, to a **sketch** (random ±1 combinations of its values), and replicas agree when
//! their sketches are within a tolerance everywhere.
//!
//! The sketch of rows `r_i[d]` (each byte read as `i8`) holds, with signs `s(i, d) = ±1`:
//! - per column `d`: `Σ_i s(i, d)·r_i[d]`, then
//! - per row `i`: `Σ_d s(i, d)·r_i[d]`.
//!
//! The signs come from a seed drawn **after** every replica committed to its output, so a
//! worker cannot shape wrong values to them. Honest replicas of a floating-point model differ
//! by ±1 in a few values: each entry moves by at most the number of such values, within the
//! tolerance. Garbage, a swapped pair of rows, or ±1 on every value move some entry by far more
//! with overwhelming probability; a single value changed by more than the tolerance moves its
//! row's entry by exactly that much, so it is always caught. What is not caught: changes whose
//! sum along every row and column stays within the tolerance (at most `tolerance` in total per
//! row, e.g. one value off by `tolerance`): the bound a requester accepts with the model.

use crate::blob::RowOutput;
use alloc::{vec, vec::Vec};

/// The sketch of `output`: one entry per column, then one per row. `sign_block(n)` gives the
/// `n`-th 256 signs (bit `k` of it set: `+1` for value `256·n + k` in row-major order, else
/// `-1`), e.g. a hash of a seed and `n`.
pub fn sketch(output: &RowOutput, mut sign_block: impl FnMut(u32) -> [u8; 32]) -> Vec<i32> {
	let row_len = output.row_len as usize;
	// Each entry is at most 128 × the output's length in magnitude: below 2^31 for blobs up to
	// 2 MiB (the blobs pallet's hard limit).
	let mut columns = vec![0i32; row_len];
	let mut row_sums = Vec::with_capacity(output.row_count());
	let mut block = [0u8; 32];
	for (i, row) in output.rows().enumerate() {
		let mut row_sum = 0i32;
		for (d, value) in row.iter().enumerate() {
			let k = i * row_len + d;
			if k % 256 == 0 {
				block = sign_block((k / 256) as u32);
			}
			let bit = k % 256;
			let signed = if block[bit / 8] >> (bit % 8) & 1 == 1 { *value as i8 as i32 } else { -(*value as i8 as i32) };
			columns[d] += signed;
			row_sum += signed;
		}
		row_sums.push(row_sum);
	}
	columns.extend(row_sums);
	columns
}

/// How many entries the sketch of a `len`-byte output of rows of `row_len` bytes has, at most:
/// what the chain keeps per replica until the job ends.
pub fn sketch_len(len: u64, row_len: u16) -> u64 {
	let row_len = u64::from(row_len.max(1));
	row_len + len / row_len
}

/// Whether two sketches agree: the same length (the same shape of output) and every entry
/// within `tolerance`.
pub fn sketches_agree(a: &[i32], b: &[i32], tolerance: u32) -> bool {
	a.len() == b.len() && a.iter().zip(b).all(|(x, y)| (*x as i64 - *y as i64).unsigned_abs() <= tolerance as u64)
}

#[cfg(test)]
mod tests {
	use super::*;
	use crate::blob::encode_row_output;
	use proptest::prelude::*;

	/// Test signs: splitmix64 of the seed and the block number (the chain uses BLAKE2).
	fn signs(seed: u64) -> impl FnMut(u32) -> [u8; 32] {
		move |n| {
			let mut block = [0u8; 32];
			for (j, chunk) in block.chunks_mut(8).enumerate() {
				let mut z = seed ^ ((n as u64) << 8 | j as u64).wrapping_mul(0x9e37_79b9_7f4a_7c15);
				z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
				z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
				chunk.copy_from_slice(&(z ^ (z >> 31)).to_le_bytes());
			}
			block
		}
	}

	fn sketch_of(rows: &[Vec<u8>], seed: u64) -> Vec<i32> {
		let bytes = encode_row_output(rows[0].len() as u16, rows.iter().map(|r| &r[..]));
		sketch(&RowOutput::parse(&bytes).unwrap(), signs(seed))
	}

	/// Embedding-like rows: quantized values of small magnitude, seeded.
	fn rows(count: usize, len: usize, seed: u64) -> Vec<Vec<u8>> {
		let mut next = signs(seed);
		(0..count).map(|i| next(i as u32).iter().cycle().take(len).map(|b| (*b as i8 / 8) as u8).collect()).collect()
	}

	const TOLERANCE: u32 = 16;

	proptest! {
		#[test]
		fn honest_flips_of_one_agree(seed: u64, flips in proptest::collection::vec((0usize..40, 0usize..48, any::<bool>()), 0..16)) {
			let honest = rows(40, 48, seed);
			let mut replica = honest.clone();
			for (i, d, up) in flips.iter().take(TOLERANCE as usize) {
				let v = replica[*i][*d] as i8;
				replica[*i][*d] = if *up { v.saturating_add(1) } else { v.saturating_sub(1) } as u8;
			}
			prop_assert!(sketches_agree(&sketch_of(&honest, seed), &sketch_of(&replica, seed), TOLERANCE));
		}

		#[test]
		fn one_value_off_by_more_than_the_tolerance_never_agrees(seed: u64, i in 0usize..40, d in 0usize..48, delta in 17i16..200) {
			let honest = rows(40, 48, seed);
			let mut wrong = honest.clone();
			wrong[i][d] = (wrong[i][d] as i8 as i16 + delta).clamp(-128, 127) as i8 as u8;
			prop_assume!((wrong[i][d] as i8 as i16 - honest[i][d] as i8 as i16).unsigned_abs() > TOLERANCE as u16);
			prop_assert!(!sketches_agree(&sketch_of(&honest, seed), &sketch_of(&wrong, seed), TOLERANCE));
		}
	}

	#[test]
	fn garbage_swapped_rows_and_noise_everywhere_are_caught_for_every_seed() {
		// MiniLM's shape: 682 rows of 384 values.
		let honest = rows(682, 384, 1);
		let garbage = rows(682, 384, 2);
		let mut swapped = honest.clone();
		swapped.swap(10, 500);
		let noisy: Vec<Vec<u8>> =
			honest.iter().enumerate().map(|(i, r)| r.iter().map(|v| (*v as i8).saturating_add(if i % 2 == 0 { 1 } else { -1 }) as u8).collect()).collect();
		let mut missing_row = honest.clone();
		missing_row.pop();
		for seed in 0..200 {
			let reference = sketch_of(&honest, seed);
			for (what, wrong) in [("garbage", &garbage), ("two rows swapped", &swapped), ("±1 everywhere", &noisy)] {
				assert!(!sketches_agree(&reference, &sketch_of(wrong, seed), TOLERANCE), "{what} agreed under seed {seed}");
			}
			assert!(!sketches_agree(&reference, &sketch_of(&missing_row, seed), TOLERANCE));
		}
	}

	#[test]
	fn the_sketch_of_a_minilm_output_has_1066_entries() {
		assert_eq!(sketch_of(&rows(682, 384, 3), 0).len(), 1066);
		assert_eq!(sketch_len(682 * 384, 384), 1066);
	}
}
