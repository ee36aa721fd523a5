//! The member's step, natively: what the circuit proves, computed with the same integers.
//!
//! [`MemberInput`] is the public job input the chain builds each round; [`MemberSecrets`] is
//! what never leaves the hospital (its rows, the commitment's salt, its pairwise seeds, its
//! noise). [`masked_update`] is the job's output; [`unmask`] is what the chain computes from all
//! members' outputs.

use super::{
	data::{row_elements, Row},
	masks::{mask_words, seed_commitment, Role},
	poseidon, FEATURES, INPUT_LEN, LR_SHIFT, MAX_PEERS, MAX_ROWS, PARAMETERS, RESIDUAL_CLIP, UPDATE_CLIP,
};
use crate::{Error, Result};
use aichain_compute::fixed;
use ark_bn254::Fr;
use ark_ff::{BigInteger, PrimeField};

/// A peer slot of a member's job: the commitment to the seed they share, and how the member
/// applies its mask.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Peer {
	/// `Poseidon(SEED, seed)` (zero for an absent slot).
	pub commitment: Fr,
	/// Add, subtract or no mask.
	pub role: Role,
}

impl Peer {
	/// An empty slot.
	pub const ABSENT: Peer = Peer { commitment: Fr::new(ark_ff::BigInt::zero()), role: Role::Absent };
}

/// The public input of a member's job.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MemberInput {
	/// The current global parameters (scale `2^16`).
	pub parameters: [i32; PARAMETERS],
	/// The round's nonce (fresh for every attempt of every round).
	pub nonce: u64,
	/// The member's data commitment, `Poseidon(DATA, salt, rows…)`.
	pub data_commitment: Fr,
	/// The member's peers.
	pub peers: [Peer; MAX_PEERS],
}

/// A field element's 32 little-endian bytes.
pub fn field_bytes(value: &Fr) -> [u8; 32] {
	value.into_bigint().to_bytes_le().try_into().expect("BN254 scalars are 32 bytes; qed")
}

impl MemberInput {
	/// The job's input bytes (`aichain_compute::federated::member_input`): parameters (`i32`
	/// LE), nonce (`u64` LE), data commitment (32 bytes LE), then per peer its commitment (32
	/// bytes) and role byte.
	pub fn encode(&self) -> Vec<u8> {
		let slots: Vec<([u8; 32], u8)> = self.peers.iter().map(|p| (field_bytes(&p.commitment), p.role as u8)).collect();
		aichain_compute::federated::member_input(&self.parameters, self.nonce, &field_bytes(&self.data_commitment), &slots)
	}

	/// Reads a job's input; an error for a wrong length, an unknown role byte, a field element
	/// not in canonical form, or an absent slot with a non-zero commitment.
	pub fn decode(bytes: &[u8]) -> Result<Self> {
		if bytes.len() != INPUT_LEN {
			return Err(Error::InputLength { expected: INPUT_LEN, got: bytes.len() });
		}
		let parameters = fixed::decode_i32(&bytes[..4 * PARAMETERS])
			.and_then(|p| p.try_into().ok())
			.ok_or_else(|| Error::Malformed { what: "member input", detail: "parameters".into() })?;
		let malformed = |detail: String| Error::Malformed { what: "member input", detail };
		// Only canonical encodings: one input, one set of bytes (the member's noise hashes them).
		let field = |bytes: &[u8]| {
			let value = Fr::from_le_bytes_mod_order(bytes);
			(field_bytes(&value) == bytes).then_some(value).ok_or_else(|| malformed("a field element ≥ p".into()))
		};
		let mut at = 4 * PARAMETERS;
		let nonce = u64::from_le_bytes(bytes[at..at + 8].try_into().expect("8 bytes; qed"));
		at += 8;
		let data_commitment = field(&bytes[at..at + 32])?;
		at += 32;
		let mut peers = [Peer::ABSENT; MAX_PEERS];
		for peer in &mut peers {
			let role = Role::from_byte(bytes[at + 32]).ok_or_else(|| malformed(format!("role byte {}", bytes[at + 32])))?;
			*peer = Peer { commitment: field(&bytes[at..at + 32])?, role };
			if role == Role::Absent && *peer != Peer::ABSENT {
				return Err(malformed("an absent slot with a commitment".into()));
			}
			at += 33;
		}
		Ok(Self { parameters, nonce, data_commitment, peers })
	}
}

/// What a member keeps to itself.
#[derive(Clone, Debug, PartialEq)]
pub struct MemberSecrets {
	/// Its rows, padded to [`MAX_ROWS`].
	pub rows: Vec<Row>,
	/// The salt of its data commitment.
	pub salt: Fr,
	/// The seed of each peer slot (ignored for absent slots).
	pub seeds: [Fr; MAX_PEERS],
	/// This round's noise, within `±NOISE_BOUND`.
	pub noise: [i32; PARAMETERS],
}

/// The commitment to padded rows: `Poseidon(DATA, salt, rows packed two per element)`.
pub fn data_commitment(rows: &[Row], salt: Fr) -> Fr {
	let mut elements = vec![Fr::from(poseidon::DOMAIN_DATA), salt];
	elements.extend(row_elements(rows));
	poseidon::hash(&elements, 1)[0]
}

/// `value` clamped to `±bound`.
pub fn clamp(value: i128, bound: i128) -> i128 {
	value.clamp(-bound, bound)
}

/// The residual `w·x + b − t` of a row (scale `2^16`).
pub fn residual(parameters: &[i32; PARAMETERS], row: &Row) -> i128 {
	let score: i128 = row.features.iter().zip(parameters).map(|(x, w)| *x as i128 * *w as i128).sum::<i128>() + parameters[FEATURES] as i128;
	score - row.target()
}

/// The summed gradient of the clipped residuals over present rows (features, then the bias).
pub fn gradient(parameters: &[i32; PARAMETERS], rows: &[Row]) -> [i128; PARAMETERS] {
	let mut gradient = [0i128; PARAMETERS];
	for row in rows.iter().filter(|r| r.present) {
		let e = clamp(residual(parameters, row), RESIDUAL_CLIP);
		for j in 0..FEATURES {
			gradient[j] += e * row.features[j] as i128;
		}
		gradient[FEATURES] += e;
	}
	gradient
}

/// The member's clipped update: `clip_C(−⌊gradient / 2^LR_SHIFT⌋)` per coordinate.
pub fn update(parameters: &[i32; PARAMETERS], rows: &[Row]) -> [i32; PARAMETERS] {
	gradient(parameters, rows).map(|g| clamp(-(g >> LR_SHIFT), UPDATE_CLIP) as i32)
}

/// The masked update: `update + noise + Σ sign·mask (mod 2^32)`, as the job's output words.
pub fn masked(update: &[i32; PARAMETERS], noise: &[i32; PARAMETERS], masks: &[(Role, [u32; PARAMETERS])]) -> [u32; PARAMETERS] {
	core::array::from_fn(|j| {
		masks.iter().fold((update[j] as u32).wrapping_add(noise[j] as u32), |acc, (role, words)| match role {
			Role::Add => acc.wrapping_add(words[j]),
			Role::Subtract => acc.wrapping_sub(words[j]),
			Role::Absent => acc,
		})
	})
}

/// The member's job output for `input`; an error if the secrets do not match the input's
/// commitments (the member would have no proof).
pub fn masked_update(input: &MemberInput, secrets: &MemberSecrets) -> Result<[u32; PARAMETERS]> {
	if secrets.rows.len() != MAX_ROWS {
		return Err(Error::OutOfRange(format!("{} rows, the step takes {MAX_ROWS} (padded)", secrets.rows.len())));
	}
	if data_commitment(&secrets.rows, secrets.salt) != input.data_commitment {
		return Err(Error::OutOfRange("the rows and salt do not open the data commitment".into()));
	}
	let mut masks = Vec::with_capacity(MAX_PEERS);
	for (peer, seed) in input.peers.iter().zip(&secrets.seeds) {
		if peer.role == Role::Absent {
			continue;
		}
		if seed_commitment(*seed) != peer.commitment {
			return Err(Error::OutOfRange("a seed does not open its peer's commitment".into()));
		}
		masks.push((peer.role, mask_words(*seed, input.nonce)?));
	}
	Ok(masked(&update(&input.parameters, &secrets.rows), &secrets.noise, &masks))
}

/// The sum of all members' outputs, modulo `2^32`, read as signed: the masks cancel, leaving
/// `Σ update + Σ noise` (which stays far inside `i32`: at most 4 × (C + NOISE_BOUND)).
/// It is the chain's own sum (`aichain_compute::federated::sum_words`).
pub fn unmask(outputs: &[[u32; PARAMETERS]]) -> [i32; PARAMETERS] {
	let sum = aichain_compute::federated::sum_words(outputs.iter().map(|o| &o[..]), PARAMETERS);
	core::array::from_fn(|j| sum[j])
}

/// The next parameters: the current ones plus the unmasked sum (saturating at the `i32` range).
pub fn apply(parameters: &[i32; PARAMETERS], sum: &[i32; PARAMETERS]) -> [i32; PARAMETERS] {
	core::array::from_fn(|j| parameters[j].saturating_add(sum[j]))
}
