//! Verifying keys prepared once, at registration, for fast verification of many proofs.
//!
//! [`crate::verify`] takes a key in the chain's compressed encoding and, for every proof,
//! decompresses and subgroup-checks its three G2 points and runs four Miller loops. A key
//! registered on chain is the same for every proof, so that work can be done once:
//!
//! - `e(α, β)` is computed at preparation and stored (an `Fq12` element), which removes one of
//!   the four Miller loops;
//! - `−γ` and `−δ` are stored negated and *uncompressed* (no square root per proof), and so is
//!   `γ_abc`;
//! - the key was fully validated by [`prepare`] (every point on the curve and in the subgroup,
//!   no identity), so [`verify_prepared`] only re-checks that each stored point is on the curve
//!   (cheap) and skips the subgroup checks, which dominate G2 decoding.
//!
//! A proof then costs the strict decoding of its own three points, one multi-scalar
//! multiplication over the inputs, three Miller loops and one final exponentiation, checking
//! `e(A, B) · e(L, −γ) · e(C, −δ) = e(α, β)`.
//!
//! **Trust:** [`verify_prepared`] trusts that its key came out of [`prepare`] (the pallet stores
//! only what `prepare` returned). A [`PreparedVerifyingKey`] built by hand from points outside
//! the subgroup or a wrong `e(α, β)` would make verification meaningless; that is why it is not
//! accepted from users.

use crate::{decode, types::*, verify::DecodedKey, Error, Proof, VerifyingKey};
use alloc::vec::Vec;
use ark_bn254::{Bn254, Fq12, Fr, G1Affine, G2Affine};
use ark_ec::{
	pairing::{Pairing, PairingOutput},
	short_weierstrass::{Affine, SWCurveConfig},
	AffineRepr, CurveGroup, VariableBaseMSM,
};
use ark_ff::One;
use ark_serialize::{CanonicalDeserialize, CanonicalSerialize, Compress, Validate};
use codec::{Decode, DecodeWithMemTracking, Encode};
use core::ops::Neg;
use scale_info::TypeInfo;

/// Size of an uncompressed G1 point.
pub const G1_UNCOMPRESSED_SIZE: usize = 64;
/// Size of an uncompressed G2 point.
pub const G2_UNCOMPRESSED_SIZE: usize = 128;
/// Size of an `Fq12` element.
pub const FQ12_SIZE: usize = 384;

/// A verifying key prepared by [`prepare`]: `e(α, β)`, `−γ`, `−δ` and `γ_abc`, uncompressed
/// (arkworks' uncompressed serialization, little-endian).
#[derive(Clone, PartialEq, Eq, Debug, Encode, Decode, DecodeWithMemTracking, TypeInfo)]
pub struct PreparedVerifyingKey {
	/// `e(α, β)`.
	pub alpha_beta: [u8; FQ12_SIZE],
	/// `−[γ]₂`.
	pub gamma_neg_g2: [u8; G2_UNCOMPRESSED_SIZE],
	/// `−[δ]₂`.
	pub delta_neg_g2: [u8; G2_UNCOMPRESSED_SIZE],
	/// `γ_abc`, one point for the constant term and one per public input.
	pub gamma_abc_g1: Vec<[u8; G1_UNCOMPRESSED_SIZE]>,
}

impl PreparedVerifyingKey {
	/// Number of public inputs a proof for this key must come with.
	pub fn num_public_inputs(&self) -> usize {
		self.gamma_abc_g1.len().saturating_sub(1)
	}

	/// Size of the SCALE encoding of a prepared key with `num_public_inputs` public inputs.
	pub fn encoded_size(num_public_inputs: u32) -> usize {
		let n = num_public_inputs as usize + 1;
		FQ12_SIZE +
			2 * G2_UNCOMPRESSED_SIZE +
			codec::Compact(n as u32).encoded_size() +
			n * G1_UNCOMPRESSED_SIZE
	}
}

/// Serializes `value` uncompressed into an `N`-byte array.
fn uncompressed<const N: usize>(value: &impl CanonicalSerialize) -> [u8; N] {
	let mut out = [0u8; N];
	value
		.serialize_uncompressed(&mut out[..])
		.expect("the array has the uncompressed size of the value; qed");
	out
}

/// Validates `vk` completely (see [`crate::decode`]) and prepares it.
///
/// Errors: those of [`DecodedKey::decode`].
pub fn prepare(vk: &VerifyingKey) -> Result<PreparedVerifyingKey, Error> {
	DecodedKey::decode(vk).map(|key| key.prepare())
}

impl DecodedKey {
	/// The prepared form of this (already validated) key.
	pub fn prepare(&self) -> PreparedVerifyingKey {
		let PairingOutput(alpha_beta) = Bn254::pairing(self.alpha_g1, self.beta_g2);
		PreparedVerifyingKey {
			alpha_beta: uncompressed(&alpha_beta),
			gamma_neg_g2: uncompressed(&self.gamma_g2.neg()),
			delta_neg_g2: uncompressed(&self.delta_g2.neg()),
			gamma_abc_g1: self.gamma_abc_g1.iter().map(uncompressed).collect(),
		}
	}
}

/// Reads a point stored by [`prepare`]: checks that it is canonical, on the curve and not the
/// identity, but (trusting [`prepare`]) not its subgroup.
fn stored_point<P: SWCurveConfig>(bytes: &[u8]) -> Result<Affine<P>, Error> {
	let point = Affine::<P>::deserialize_with_mode(bytes, Compress::No, Validate::No)
		.map_err(|_| Error::NonCanonicalFieldElement)?;
	if point.is_zero() {
		return Err(Error::InvalidPointFlags);
	}
	if !point.is_on_curve() {
		return Err(Error::PointNotOnCurve);
	}
	Ok(point)
}

/// A prepared key read back into curve points.
pub(crate) struct LoadedKey {
	pub(crate) alpha_beta: Fq12,
	pub(crate) gamma_neg_g2: G2Affine,
	pub(crate) delta_neg_g2: G2Affine,
	pub(crate) gamma_abc_g1: Vec<G1Affine>,
}

impl LoadedKey {
	/// Reads `key` back, checking each stored point as [`stored_point`] does.
	pub(crate) fn load(key: &PreparedVerifyingKey) -> Result<Self, Error> {
		if key.gamma_abc_g1.is_empty() {
			return Err(Error::EmptyVerifyingKey);
		}
		Ok(LoadedKey {
			alpha_beta: Fq12::deserialize_with_mode(&key.alpha_beta[..], Compress::No, Validate::No)
				.map_err(|_| Error::NonCanonicalFieldElement)?,
			gamma_neg_g2: stored_point(&key.gamma_neg_g2)?,
			delta_neg_g2: stored_point(&key.delta_neg_g2)?,
			gamma_abc_g1: key
				.gamma_abc_g1
				.iter()
				.map(|bytes| {
					// The constant term and input terms may legitimately be the identity.
					G1Affine::deserialize_with_mode(&bytes[..], Compress::No, Validate::No)
						.map_err(|_| Error::NonCanonicalFieldElement)
						.and_then(|p| if p.is_on_curve() { Ok(p) } else { Err(Error::PointNotOnCurve) })
				})
				.collect::<Result<_, _>>()?,
		})
	}
}

/// Verifies `proof` for `inputs` under a key prepared by [`prepare`]. The proof and inputs are
/// decoded strictly, exactly as in [`crate::verify`], and give the same errors.
///
/// Errors: [`Error::PublicInputCountMismatch`]; any decoding error of the proof or inputs (or of
/// a damaged stored key); [`Error::ProofRejected`] when the proof is well-formed but false.
pub fn verify_prepared(
	key: &PreparedVerifyingKey,
	proof: &Proof,
	inputs: &[ScalarBytes],
) -> Result<(), Error> {
	if inputs.len() != key.num_public_inputs() {
		return Err(Error::PublicInputCountMismatch);
	}
	let key = LoadedKey::load(key)?;
	let proof = crate::DecodedProof::decode(proof)?;
	let coefficients: Vec<Fr> =
		core::iter::once(Fr::one()).chain(decode::scalars(inputs)?).collect();
	let l = ark_bn254::G1Projective::msm_unchecked(&key.gamma_abc_g1, &coefficients).into_affine();
	let (a, b, c) = proof.points();
	let miller = Bn254::multi_miller_loop([a, l, c], [b, key.gamma_neg_g2, key.delta_neg_g2]);
	match Bn254::final_exponentiation(miller) {
		Some(PairingOutput(out)) if out == key.alpha_beta => Ok(()),
		_ => Err(Error::ProofRejected),
	}
}
