//! The job layout of private federated learning, shared by the chain (which writes a member's
//! job input and sums the members' outputs) and the engine (which reads the input and proves
//! the output): `offchain-worker/src/models/private_fl/`, `pallets/private-training`,
//! `docs/federated-learning.md`.
//!
//! A member's job input is its consortium's current parameters (`i32` little-endian), the
//! attempt's nonce (`u64` little-endian), the member's data commitment (a BN254 scalar, 32 bytes
//! little-endian), then one slot per other member: the commitment to the seed they share and a
//! role byte ([`ROLE_ABSENT`], [`ROLE_ADD`], [`ROLE_SUBTRACT`]); an absent slot is 33 zero bytes.
//! The output is one masked word per parameter (`u32` little-endian): the sum of every member's
//! output, modulo `2^32`, is the sum of their updates and noise.

use alloc::vec::Vec;

/// Peer slots in a member's input: consortia of up to `MAX_PEERS + 1` members.
pub const MAX_PEERS: usize = 3;
/// A slot without a peer (or whose peer left the attempt): no mask.
pub const ROLE_ABSENT: u8 = 0;
/// The member has the lower index of the pair: it adds the pair's mask.
pub const ROLE_ADD: u8 = 1;
/// The member has the higher index of the pair: it subtracts the pair's mask.
pub const ROLE_SUBTRACT: u8 = 2;
/// Bytes of a peer slot.
pub const SLOT_LEN: usize = 33;

/// BN254's scalar field modulus `r`, little-endian.
const MODULUS_LE: [u8; 32] = [
	0x01, 0x00, 0x00, 0xf0, 0x93, 0xf5, 0xe1, 0x43, 0x91, 0x70, 0xb9, 0x79, 0x48, 0xe8, 0x33, 0x28, 0x5d, 0x58, 0x81, 0x81,
	0xb6, 0x45, 0x50, 0xb8, 0x29, 0xa0, 0x31, 0xe1, 0x72, 0x4e, 0x64, 0x30,
];

/// Whether 32 little-endian bytes are a scalar in canonical form (below `r`).
pub fn is_canonical_scalar(bytes: &[u8; 32]) -> bool {
	bytes.iter().rev().lt(MODULUS_LE.iter().rev())
}

/// Bytes of a member's job input with `parameters` parameters.
pub const fn member_input_len(parameters: usize) -> usize {
	4 * parameters + 8 + 32 + MAX_PEERS * SLOT_LEN
}

/// The role of member `member` towards member `peer` (consortium indices).
pub fn role_between(member: usize, peer: usize) -> u8 {
	if member < peer { ROLE_ADD } else { ROLE_SUBTRACT }
}

/// A member's job input; `slots` beyond [`MAX_PEERS`] are ignored, missing ones are absent.
pub fn member_input(parameters: &[i32], nonce: u64, data_commitment: &[u8; 32], slots: &[([u8; 32], u8)]) -> Vec<u8> {
	let mut bytes = Vec::with_capacity(member_input_len(parameters.len()));
	for p in parameters {
		bytes.extend_from_slice(&p.to_le_bytes());
	}
	bytes.extend_from_slice(&nonce.to_le_bytes());
	bytes.extend_from_slice(data_commitment);
	for k in 0..MAX_PEERS {
		match slots.get(k) {
			Some((commitment, role)) if *role != ROLE_ABSENT => {
				bytes.extend_from_slice(commitment);
				bytes.push(*role);
			},
			_ => bytes.extend_from_slice(&[0u8; SLOT_LEN]),
		}
	}
	bytes
}

/// A member's output as its masked words; `None` if it is not `4 · parameters` bytes.
pub fn output_words(output: &[u8], parameters: usize) -> Option<Vec<u32>> {
	(output.len() == 4 * parameters)
		.then(|| output.chunks_exact(4).map(|w| u32::from_le_bytes([w[0], w[1], w[2], w[3]])).collect())
}

/// Members' masked words summed modulo `2^32`, read as `i32`: the masks cancel and this is
/// `Σ update + Σ noise`. Words beyond `parameters` are ignored; missing ones count as zero.
pub fn sum_words<'a>(outputs: impl IntoIterator<Item = &'a [u32]>, parameters: usize) -> Vec<i32> {
	let mut sum = alloc::vec![0u32; parameters];
	for words in outputs {
		for (total, word) in sum.iter_mut().zip(words) {
			*total = total.wrapping_add(*word);
		}
	}
	sum.into_iter().map(|w| w as i32).collect()
}

/// The members' outputs summed ([`sum_words`] of [`output_words`]); `None` if an output is not
/// `4 · parameters` bytes.
pub fn sum_masked(outputs: &[&[u8]], parameters: usize) -> Option<Vec<i32>> {
	let words: Option<Vec<Vec<u32>>> = outputs.iter().map(|o| output_words(o, parameters)).collect();
	Some(sum_words(words?.iter().map(|w| &w[..]), parameters))
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn the_modulus_is_the_first_non_canonical_scalar() {
		let mut below = MODULUS_LE;
		below[0] -= 1;
		assert!(is_canonical_scalar(&below) && is_canonical_scalar(&[0; 32]));
		assert!(!is_canonical_scalar(&MODULUS_LE) && !is_canonical_scalar(&[0xff; 32]));
	}

	#[test]
	fn masked_words_wrap_and_absent_slots_are_zero() {
		let a = (5u32.wrapping_add(u32::MAX - 6)).to_le_bytes();
		let b = (7u32).to_le_bytes();
		assert_eq!(sum_masked(&[&a, &b], 1), Some(vec![5]));
		assert_eq!(sum_masked(&[&a[..3]], 1), None);
		let input = member_input(&[1, -1], 9, &[3; 32], &[([4; 32], ROLE_ADD)]);
		assert_eq!(input.len(), member_input_len(2));
		assert!(input[8 + 8 + 32 + SLOT_LEN..].iter().all(|b| *b == 0));
		assert_eq!(input[8 + 8 + 32 + 32], ROLE_ADD);
	}
}
