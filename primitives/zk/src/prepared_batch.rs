//! Many proofs under registered (prepared) keys checked in one pairing product: the chain's
//! batch path for results of several jobs, possibly of several models.
//!
//! Statement `i` under key `k` holds when `e(Aᵢ, Bᵢ) · e(Lᵢ, −γₖ) · e(Cᵢ, −δₖ) = e(α, β)ₖ`
//! (see [`crate::prepared`]). With random 128-bit weights `rᵢ` the batch checks
//!
//! `Πᵢ e(rᵢ·Aᵢ, Bᵢ) · Πₖ e(Σᵢ∈ₖ rᵢ·Lᵢ, −γₖ) · e(Σᵢ∈ₖ rᵢ·Cᵢ, −δₖ) = Πₖ e(α, β)ₖ^(Σᵢ∈ₖ rᵢ)`
//!
//! - per proof: the strict decoding of its three points, one 128-bit scalar multiplication in
//!   G1 and one Miller loop; its inputs only add to its key's coefficients (`Σ rᵢ·xᵢ`);
//! - per distinct key: loading it, one multi-scalar multiplication over its inputs, one over
//!   its proofs' `C`, two Miller loops and one exponentiation in the target group;
//! - once: the final exponentiation.
//!
//! The weights come from a SHA-256 transcript of every key and statement of the batch, so every
//! validator derives the same ones and a prover cannot pick its proofs after seeing them: a batch
//! holding a false proof passes with probability about 2⁻¹²⁸. A failed batch says only that some
//! proof is false; the caller finds which with [`crate::verify_prepared`] per statement.
//!
//! **Trust:** as for [`crate::verify_prepared`], every key must have come out of
//! [`crate::prepare`].

use crate::{
	decode, prepared::LoadedKey, verify::weights_from_transcript, DecodedProof, Error, PreparedVerifyingKey, Proof,
	ScalarBytes,
};
use alloc::vec::Vec;
use ark_bn254::{Bn254, Fq12, Fr, G1Affine, G1Projective, G2Affine};
use ark_ec::{
	pairing::{Pairing, PairingOutput},
	AffineRepr, CurveGroup, PrimeGroup, VariableBaseMSM,
};
use ark_ff::{One, PrimeField, Zero};
use codec::{Decode, DecodeWithMemTracking, Encode};
use scale_info::TypeInfo;
use sha2::{Digest, Sha256};

/// Domain separator of the prepared-batch transcript.
const PREPARED_BATCH_DOMAIN: &[u8] = b"aichain/groth16-bn254/prepared-batch/v1";

/// One statement of a prepared batch: the index of its key among the batch's keys, the proof and
/// the proof's public inputs.
#[derive(Clone, Debug, PartialEq, Eq, Encode, Decode, DecodeWithMemTracking, TypeInfo)]
pub struct PreparedStatement {
	/// Index into the batch's keys.
	pub key: u32,
	/// The proof.
	pub proof: Proof,
	/// The public inputs.
	pub inputs: Vec<ScalarBytes>,
}

/// What one key accumulates over its statements.
struct KeyTerms {
	key: LoadedKey,
	/// `Σ rᵢ · (1, xᵢ₁, …, xᵢₙ)`: the weights of `γ_abc`; the first is `Σ rᵢ`.
	input_coefficients: Vec<Fr>,
	/// The `C` of its proofs and their weights.
	c_points: Vec<G1Affine>,
	c_weights: Vec<Fr>,
}

/// Verifies every statement at once, each under `keys[statement.key]`. `Ok(())` means every
/// proof verifies (up to ~2⁻¹²⁸). Keys no statement uses cost nothing beyond the transcript.
///
/// Errors: [`Error::EmptyBatch`]; [`Error::KeyIndexOutOfRange`]; the first input-count or
/// decoding error of any statement or used key, as [`crate::verify_prepared`] gives it;
/// [`Error::ProofRejected`] when some proof is false.
pub fn batch_verify_prepared(keys: &[PreparedVerifyingKey], statements: &[PreparedStatement]) -> Result<(), Error> {
	if statements.is_empty() {
		return Err(Error::EmptyBatch);
	}
	let mut transcript = Sha256::new();
	transcript.update(PREPARED_BATCH_DOMAIN);
	keys.using_encoded(|bytes| transcript.update(bytes));
	statements.using_encoded(|bytes| transcript.update(bytes));
	let weights = weights_from_transcript(transcript, statements.len());

	let mut terms: Vec<Option<KeyTerms>> = (0..keys.len()).map(|_| None).collect();
	let mut g1_terms: Vec<G1Affine> = Vec::with_capacity(statements.len() + 2 * keys.len());
	let mut g2_terms: Vec<G2Affine> = Vec::with_capacity(statements.len() + 2 * keys.len());
	for (statement, weight) in statements.iter().zip(&weights) {
		let slot = terms.get_mut(statement.key as usize).ok_or(Error::KeyIndexOutOfRange)?;
		if slot.is_none() {
			let key = LoadedKey::load(&keys[statement.key as usize])?;
			let n = key.gamma_abc_g1.len();
			*slot = Some(KeyTerms { key, input_coefficients: alloc::vec![Fr::zero(); n], c_points: Vec::new(), c_weights: Vec::new() });
		}
		let key_terms = slot.as_mut().expect("filled above; qed");
		if statement.inputs.len() + 1 != key_terms.input_coefficients.len() {
			return Err(Error::PublicInputCountMismatch);
		}
		let (a, b, c) = DecodedProof::decode(&statement.proof)?.points();
		let inputs = decode::scalars(&statement.inputs)?;
		key_terms.input_coefficients[0] += weight;
		for (coefficient, x) in key_terms.input_coefficients[1..].iter_mut().zip(&inputs) {
			*coefficient += *weight * x;
		}
		key_terms.c_points.push(c);
		key_terms.c_weights.push(*weight);
		g1_terms.push(a.mul_bigint(weight.into_bigint()).into_affine());
		g2_terms.push(b);
	}

	let mut expected = Fq12::one();
	for key_terms in terms.into_iter().flatten() {
		let KeyTerms { key, input_coefficients, c_points, c_weights } = key_terms;
		let weighted_l = G1Projective::msm_unchecked(&key.gamma_abc_g1, &input_coefficients);
		let weighted_c = G1Projective::msm_unchecked(&c_points, &c_weights);
		let [weighted_l, weighted_c] = G1Projective::normalize_batch(&[weighted_l, weighted_c])
			.try_into()
			.expect("two points in, two out; qed");
		g1_terms.extend_from_slice(&[weighted_l, weighted_c]);
		g2_terms.extend_from_slice(&[key.gamma_neg_g2, key.delta_neg_g2]);
		let PairingOutput(power) = PairingOutput::<Bn254>(key.alpha_beta).mul_bigint(input_coefficients[0].into_bigint());
		expected *= power;
	}
	match Bn254::final_exponentiation(Bn254::multi_miller_loop(g1_terms, g2_terms)) {
		Some(PairingOutput(out)) if out == expected => Ok(()),
		_ => Err(Error::ProofRejected),
	}
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn an_identity_l_or_c_is_a_valid_miller_loop_term() {
		// Weighted sums may be the identity (a key whose terms cancel); the pairing treats it
		// as 1, never panics.
		let loop_out = Bn254::multi_miller_loop([G1Affine::zero()], [G2Affine::generator()]);
		assert_eq!(Bn254::final_exponentiation(loop_out).map(|o| o.0), Some(Fq12::one()));
	}
}
