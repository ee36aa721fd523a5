//! Reads snarkjs' `.wtns` witness files (`snarkjs wtns calculate`), so that a witness computed
//! by snarkjs can be proven, or compared with [`super::witness`]'s, value for value.
//!
//! Format: `"wtns"`, version 2, 2 sections: 1 is the field size `n8` (32), the prime and the
//! number of values; 2 the values, `n8` little-endian bytes each (not Montgomery).

use crate::{Error, Result};
use ark_bn254::Fr;
use ark_ff::{BigInteger256, PrimeField};

fn bad(detail: impl Into<String>) -> Error {
	Error::Malformed { what: "snarkjs .wtns", detail: detail.into() }
}

/// The witness in a `.wtns` file's bytes.
pub fn read(bytes: &[u8]) -> Result<Vec<Fr>> {
	let u32_at = |at: usize| -> Result<u32> {
		bytes.get(at..at + 4).map(|b| u32::from_le_bytes(b.try_into().expect("4 bytes; qed"))).ok_or_else(|| bad("truncated"))
	};
	let u64_at = |at: usize| -> Result<usize> {
		bytes
			.get(at..at + 8)
			.map(|b| u64::from_le_bytes(b.try_into().expect("8 bytes; qed")) as usize)
			.ok_or_else(|| bad("truncated"))
	};
	if bytes.get(..4) != Some(b"wtns") || u32_at(8)? != 2 {
		return Err(bad("not a two-section wtns file"));
	}
	let (mut at, mut count, mut values) = (12, None, None);
	for _ in 0..2 {
		let (id, size) = (u32_at(at)?, u64_at(at + 4)?);
		let end = (at + 12).checked_add(size).ok_or_else(|| bad("truncated section"))?;
		let body = bytes.get(at + 12..end).ok_or_else(|| bad("truncated section"))?;
		match id {
			1 => {
				let header = |range: std::ops::Range<usize>| body.get(range).ok_or_else(|| bad("short header"));
				let n8 = u32::from_le_bytes(header(0..4)?.try_into().expect("4 bytes; qed"));
				if body.len() != 40 || n8 != 32 || element(header(4..36)?) != Some(Fr::MODULUS) {
					return Err(bad("the field is not BN254's scalar field"));
				}
				count = Some(u32::from_le_bytes(header(36..40)?.try_into().expect("4 bytes; qed")) as usize);
			},
			2 => values = Some(body),
			other => return Err(bad(format!("section {other}"))),
		}
		at = end;
	}
	let (Some(count), Some(values)) = (count, values) else { return Err(bad("a section is missing")) };
	if values.len() != 32 * count {
		return Err(bad(format!("{} bytes of values for {count} values", values.len())));
	}
	values
		.chunks_exact(32)
		.map(|chunk| element(chunk).and_then(Fr::from_bigint).ok_or_else(|| bad("a value is not below the prime")))
		.collect()
}

fn element(bytes: &[u8]) -> Option<BigInteger256> {
	let mut limbs = [0u64; 4];
	for (limb, chunk) in limbs.iter_mut().zip(bytes.get(..32)?.chunks_exact(8)) {
		*limb = u64::from_le_bytes(chunk.try_into().ok()?);
	}
	Some(BigInteger256::new(limbs))
}
