//! Pairwise masks of secure aggregation (Bonawitz et al., CCS 2017), without dropout recovery.
//!
//! Two members `a` and `b` of a consortium agree on a **seed** without talking: each takes the
//! X25519 Diffie–Hellman secret of its own key and the other's published key (the workers'
//! encryption keys on chain), and hashes it with both public keys and the training's context
//! ([`pair_seed`]). Both publish [`seed_commitment`]`(seed)`; the chain pairs them up.
//!
//! Each round, the seed and the round's nonce give `PARAMETERS` mask words ([`mask_words`]:
//! Poseidon squeezed, each field element cut into seven 32-bit words). The member of the pair
//! with the lower index **adds** them to its update and the other **subtracts** them, modulo
//! `2^32`, so they cancel in the sum of the two outputs and only there.
//!
//! The circuit cuts an element into words only below `⌊p / 2^224⌋ · 2^224` (so the cut is
//! unique); an element above it (probability below `2^-29` per element) makes the round
//! unprovable for that pair, and the round is retried with a fresh nonce like any other failure.

use super::{poseidon, PARAMETERS};
use crate::{Error, Result};
use ark_bn254::Fr;
use ark_ff::{BigInteger, PrimeField};
use blake2::Digest;

/// 32-bit words one squeezed field element gives.
pub const WORDS_PER_ELEMENT: usize = 7;
/// Field elements squeezed per pair and round.
pub const MASK_ELEMENTS: usize = PARAMETERS.div_ceil(WORDS_PER_ELEMENT);

/// How a member applies the mask it shares with one peer slot.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(u8)]
pub enum Role {
	/// No peer in this slot (or it left the round): no mask.
	Absent = aichain_compute::federated::ROLE_ABSENT,
	/// The member has the lower index of the pair: it adds the mask.
	Add = aichain_compute::federated::ROLE_ADD,
	/// The member has the higher index: it subtracts the mask.
	Subtract = aichain_compute::federated::ROLE_SUBTRACT,
}

impl Role {
	/// The role of `member` towards `peer` (consortium indices).
	pub fn between(member: usize, peer: usize) -> Self {
		if member < peer { Role::Add } else { Role::Subtract }
	}

	/// The role's byte in a job input; other bytes are refused.
	pub fn from_byte(byte: u8) -> Option<Self> {
		match byte {
			0 => Some(Role::Absent),
			1 => Some(Role::Add),
			2 => Some(Role::Subtract),
			_ => None,
		}
	}

	/// `+1`, `−1` or `0`.
	pub fn sign(self) -> i64 {
		match self {
			Role::Absent => 0,
			Role::Add => 1,
			Role::Subtract => -1,
		}
	}
}

/// The seed `member_secret` (an X25519 secret) shares with the holder of `peer_public`, for the
/// training identified by `context`: `BLAKE2b-512("aichain/fl-seed" ‖ context ‖ DH ‖ low key ‖ high key)`
/// reduced into the field. Both ends compute the same seed.
pub fn pair_seed(member_secret: &[u8; 32], peer_public: &[u8; 32], context: &[u8]) -> Fr {
	let secret = x25519_dalek::StaticSecret::from(*member_secret);
	let public = x25519_dalek::PublicKey::from(&secret).to_bytes();
	let shared = secret.diffie_hellman(&x25519_dalek::PublicKey::from(*peer_public));
	let (low, high) = if public <= *peer_public { (public, *peer_public) } else { (*peer_public, public) };
	let mut hasher = blake2::Blake2b512::new();
	for part in [b"aichain/fl-seed".as_slice(), context, shared.as_bytes(), &low, &high] {
		hasher.update((part.len() as u32).to_le_bytes());
		hasher.update(part);
	}
	Fr::from_le_bytes_mod_order(&hasher.finalize())
}

/// The public commitment to a seed: `Poseidon(SEED, seed)`.
pub fn seed_commitment(seed: Fr) -> Fr {
	poseidon::hash(&[Fr::from(poseidon::DOMAIN_SEED), seed], 1)[0]
}

/// `⌊p / 2^224⌋`: a squeezed element's bits above 224 must stay below it.
pub fn element_high_limit() -> u64 {
	let modulus = Fr::MODULUS.to_bytes_le();
	u64::from_le_bytes(modulus[24..32].try_into().expect("8 bytes; qed")) >> 32
}

/// A field element's seven low 32-bit words and its high part (bits 224 and up).
pub fn cut(element: Fr) -> ([u32; WORDS_PER_ELEMENT], u64) {
	let bytes = element.into_bigint().to_bytes_le();
	let words = core::array::from_fn(|w| u32::from_le_bytes(bytes[4 * w..4 * w + 4].try_into().expect("4 bytes; qed")));
	(words, u64::from_le_bytes(bytes[24..32].try_into().expect("8 bytes; qed")) >> 32)
}

/// The round's mask words of a pair: `Poseidon(MASK, seed, nonce)` squeezed into
/// [`MASK_ELEMENTS`] elements, cut into words; an error if an element cannot be cut uniquely.
pub fn mask_words(seed: Fr, nonce: u64) -> Result<[u32; PARAMETERS]> {
	let elements = poseidon::hash(&[Fr::from(poseidon::DOMAIN_MASK), seed, Fr::from(nonce)], MASK_ELEMENTS);
	let mut words = Vec::with_capacity(MASK_ELEMENTS * WORDS_PER_ELEMENT);
	for element in elements {
		let (low, high) = cut(element);
		if high >= element_high_limit() {
			return Err(Error::OutOfRange(format!("mask element of nonce {nonce} above the unique cut: retry with another nonce")));
		}
		words.extend_from_slice(&low);
	}
	Ok(words[..PARAMETERS].try_into().expect("35 ≥ 31 words; qed"))
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn the_chains_canonical_check_is_the_fields() {
		let modulus: [u8; 32] = Fr::MODULUS.to_bytes_le().try_into().unwrap();
		assert!(!aichain_compute::federated::is_canonical_scalar(&modulus));
		let below = crate::models::private_fl::step::field_bytes(&(Fr::from(0u64) - Fr::from(1u64)));
		assert!(aichain_compute::federated::is_canonical_scalar(&below));
		assert_eq!(element_high_limit(), 0x3064_4e72, "⌊r / 2^224⌋");
	}
}
