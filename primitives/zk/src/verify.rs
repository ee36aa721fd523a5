//! Groth16 verification over BN254, one proof at a time or in batches.
//!
//! A proof `(A, B, C)` for public inputs `x₁..xₙ` verifies when
//! `e(A, B) = e(α, β) · e(L, γ) · e(C, δ)` with `L = γ_abc₀ + Σ xᵢ·γ_absᵢ`. It is checked as
//! one product of four Miller loops with a single final exponentiation:
//! `e(A, B) · e(−α, β) · e(−L, γ) · e(−C, δ) = 1`.
//!
//! A batch of `k` proofs is checked with random 128-bit weights `rᵢ`:
//! `Πᵢ e(rᵢ·Aᵢ, Bᵢ) · Π_keys e(−(Σrᵢ)·α, β) · e(−Σrᵢ·Lᵢ, γ) · e(−Σrᵢ·Cᵢ, δ) = 1`,
//! i.e. `k + 3·(distinct keys)` Miller loops and one final exponentiation. The weights are
//! derived from a SHA-256 hash of the whole batch, so every validator computes the same ones
//! and a prover cannot choose its proof after seeing them (changing any proof changes them all).
//! A batch with an invalid proof passes with probability at most about 2⁻¹²⁸.

use crate::{decode, types::*, Error};
use alloc::vec::Vec;
use ark_bn254::{Bn254, Fr, G1Affine, G1Projective, G2Affine};
use ark_ec::{pairing::Pairing, AffineRepr, CurveGroup, VariableBaseMSM};
use ark_ff::{One, PrimeField, Zero};
use codec::Encode;
use core::ops::Neg;
use sha2::{Digest, Sha256};

/// A verifying key decoded and checked once, ready to verify many proofs.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DecodedKey {
	pub(crate) alpha_g1: G1Affine,
	pub(crate) beta_g2: G2Affine,
	pub(crate) gamma_g2: G2Affine,
	pub(crate) delta_g2: G2Affine,
	pub(crate) gamma_abc_g1: Vec<G1Affine>,
}

impl DecodedKey {
	/// Decodes and validates every point of `vk`. The key must have at least one
	/// `gamma_abc_g1` element, and its `α`, `β`, `γ`, `δ` must not be the identity (a key with
	/// an identity `γ` or `δ` would accept forged proofs).
	pub fn decode(vk: &VerifyingKey) -> Result<Self, Error> {
		if vk.gamma_abc_g1.is_empty() {
			return Err(Error::EmptyVerifyingKey);
		}
		let key = DecodedKey {
			alpha_g1: decode::g1(&vk.alpha_g1)?,
			beta_g2: decode::g2(&vk.beta_g2)?,
			gamma_g2: decode::g2(&vk.gamma_g2)?,
			delta_g2: decode::g2(&vk.delta_g2)?,
			gamma_abc_g1: vk.gamma_abc_g1.iter().map(decode::g1).collect::<Result<_, _>>()?,
		};
		if key.alpha_g1.is_zero() ||
			key.beta_g2.is_zero() ||
			key.gamma_g2.is_zero() ||
			key.delta_g2.is_zero()
		{
			return Err(Error::InvalidPointFlags);
		}
		Ok(key)
	}

	/// Number of public inputs of this key.
	pub fn num_public_inputs(&self) -> usize {
		self.gamma_abc_g1.len() - 1
	}

	/// `Σ coefficientsⱼ · γ_abcⱼ` where `coefficients[0]` weighs the constant term.
	fn combine_inputs(&self, coefficients: &[Fr]) -> G1Projective {
		G1Projective::msm_unchecked(&self.gamma_abc_g1, coefficients)
	}

	/// Verifies a decoded proof against decoded public inputs.
	pub fn verify(&self, proof: &DecodedProof, inputs: &[Fr]) -> Result<(), Error> {
		if inputs.len() != self.num_public_inputs() {
			return Err(Error::PublicInputCountMismatch);
		}
		let coefficients: Vec<Fr> = core::iter::once(Fr::one()).chain(inputs.iter().copied()).collect();
		let l = self.combine_inputs(&coefficients).into_affine();
		let miller = Bn254::multi_miller_loop(
			[proof.a, self.alpha_g1.neg(), l.neg(), proof.c.neg()],
			[proof.b, self.beta_g2, self.gamma_g2, self.delta_g2],
		);
		match Bn254::final_exponentiation(miller) {
			Some(out) if out.is_zero() => Ok(()),
			_ => Err(Error::ProofRejected),
		}
	}
}

/// A proof decoded and checked.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DecodedProof {
	a: G1Affine,
	b: G2Affine,
	c: G1Affine,
}

impl DecodedProof {
	/// The points `(A, B, C)`.
	pub fn points(&self) -> (G1Affine, G2Affine, G1Affine) {
		(self.a, self.b, self.c)
	}

	/// Decodes and validates the three points of `proof`.
	pub fn decode(proof: &Proof) -> Result<Self, Error> {
		Ok(DecodedProof { a: decode::g1(&proof.a)?, b: decode::g2(&proof.b)?, c: decode::g1(&proof.c)? })
	}
}

/// Verifies `proof` for `inputs` under `vk`, decoding and validating all three first.
///
/// Errors: any decoding error of the key, proof or inputs;
/// [`Error::PublicInputCountMismatch`]; [`Error::ProofRejected`] when the proof is well-formed
/// but false.
pub fn verify(vk: &VerifyingKey, proof: &Proof, inputs: &[ScalarBytes]) -> Result<(), Error> {
	let key = DecodedKey::decode(vk)?;
	if inputs.len() != key.num_public_inputs() {
		return Err(Error::PublicInputCountMismatch);
	}
	let proof = DecodedProof::decode(proof)?;
	let inputs = decode::scalars(inputs)?;
	key.verify(&proof, &inputs)
}

/// One statement of a batch: a key, a proof and the proof's public inputs.
#[derive(
	Clone, Debug, PartialEq, Eq, Encode, codec::Decode, codec::DecodeWithMemTracking, scale_info::TypeInfo,
)]
pub struct BatchItem {
	/// The verifying key.
	pub vk: VerifyingKey,
	/// The proof.
	pub proof: Proof,
	/// The public inputs.
	pub inputs: Vec<ScalarBytes>,
}

/// Domain separator of the batch-weight transcript.
const BATCH_DOMAIN: &[u8] = b"aichain/groth16-bn254/batch/v1";

/// The 128-bit weights of a batch: `rᵢ = SHA-256(SHA-256(domain ‖ batch) ‖ i)[..16]`, never 0.
fn batch_weights(items: &[BatchItem]) -> Vec<Fr> {
	let mut transcript = Sha256::new();
	transcript.update(BATCH_DOMAIN);
	for item in items {
		item.using_encoded(|bytes| transcript.update(bytes));
	}
	weights_from_transcript(transcript, items.len())
}

/// `count` 128-bit weights drawn from a transcript of a whole batch:
/// `rᵢ = SHA-256(transcript ‖ i)[..16]`, never 0. Changing any byte of the batch changes them all.
pub(crate) fn weights_from_transcript(transcript: Sha256, count: usize) -> Vec<Fr> {
	let seed = transcript.finalize();
	(0..count as u32)
		.map(|i| {
			let digest = Sha256::new().chain_update(seed).chain_update(i.to_le_bytes()).finalize();
			let weight = u128::from_le_bytes(digest[..16].try_into().expect("16 bytes; qed"));
			Fr::from(weight.max(1))
		})
		.collect()
}

/// Per-key accumulators of a batch.
struct KeyGroup<'a> {
	encoded: &'a VerifyingKey,
	key: DecodedKey,
	/// `Σ rᵢ · (1, xᵢ₁, …, xᵢₙ)`: the weights of `γ_abc` in `Σ rᵢ·Lᵢ`.
	input_coefficients: Vec<Fr>,
	/// `Σ rᵢ·Cᵢ`.
	weighted_c: G1Projective,
}

/// Verifies all `items` at once. `Ok(())` means every proof verifies (up to ~2⁻¹²⁸).
///
/// Errors: [`Error::EmptyBatch`]; the first decoding or input-count error of any item;
/// [`Error::ProofRejected`] when some proof is false (use [`verify`] per item to find which).
pub fn batch_verify(items: &[BatchItem]) -> Result<(), Error> {
	if items.is_empty() {
		return Err(Error::EmptyBatch);
	}
	let weights = batch_weights(items);
	let mut groups: Vec<KeyGroup> = Vec::new();
	let mut g1_terms: Vec<G1Affine> = Vec::with_capacity(items.len() + 3);
	let mut g2_terms: Vec<G2Affine> = Vec::with_capacity(items.len() + 3);

	for (item, weight) in items.iter().zip(weights.iter()) {
		let group_index = match groups.iter().position(|g| *g.encoded == item.vk) {
			Some(index) => index,
			None => {
				let key = DecodedKey::decode(&item.vk)?;
				let n = key.gamma_abc_g1.len();
				groups.push(KeyGroup {
					encoded: &item.vk,
					key,
					input_coefficients: alloc::vec![Fr::zero(); n],
					weighted_c: G1Projective::zero(),
				});
				groups.len() - 1
			},
		};
		let group = &mut groups[group_index];
		if item.inputs.len() != group.key.num_public_inputs() {
			return Err(Error::PublicInputCountMismatch);
		}
		let proof = DecodedProof::decode(&item.proof)?;
		let inputs = decode::scalars(&item.inputs)?;

		group.input_coefficients[0] += weight;
		for (coefficient, x) in group.input_coefficients[1..].iter_mut().zip(inputs.iter()) {
			*coefficient += *weight * x;
		}
		let weight_bits = weight.into_bigint();
		group.weighted_c += proof.c.mul_bigint(weight_bits);
		g1_terms.push(proof.a.mul_bigint(weight_bits).into_affine());
		g2_terms.push(proof.b);
	}

	for group in &groups {
		let weighted_l = group.key.combine_inputs(&group.input_coefficients);
		let weighted_alpha = group.key.alpha_g1.mul_bigint(group.input_coefficients[0].into_bigint());
		let negated = G1Projective::normalize_batch(&[-weighted_alpha, -weighted_l, -group.weighted_c]);
		g1_terms.extend_from_slice(&negated);
		g2_terms.extend_from_slice(&[group.key.beta_g2, group.key.gamma_g2, group.key.delta_g2]);
	}

	match Bn254::final_exponentiation(Bn254::multi_miller_loop(g1_terms, g2_terms)) {
		Some(out) if out.is_zero() => Ok(()),
		_ => Err(Error::ProofRejected),
	}
}
