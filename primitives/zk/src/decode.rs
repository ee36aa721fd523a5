//! Strict decoding of the chain's byte encodings into BN254 points and scalars.
//!
//! The checks run in this order and each failure has its own [`Error`]:
//! 1. length (only for raw byte strings; the typed wrappers have fixed sizes);
//! 2. flag bits of compressed points ([`Error::InvalidPointFlags`]);
//! 3. every coordinate or scalar is below its field modulus ([`Error::NonCanonicalFieldElement`]);
//! 4. the compressed `x` has a matching `y` on the curve ([`Error::PointNotOnCurve`]);
//! 5. the point is in the prime-order subgroup ([`Error::PointNotInSubgroup`]); for BN254's G1
//!    (cofactor 1) this always holds, for G2 it is a real check.
//!
//! So every accepted byte string is the unique canonical encoding of its point or scalar.

use crate::{
	types::{G1Bytes, G2Bytes, ScalarBytes},
	Error,
};
use ark_bn254::{Fq, Fr, G1Affine, G2Affine};
use ark_ec::short_weierstrass::{Affine, SWCurveConfig};
use ark_ff::{BigInt, PrimeField};
use ark_serialize::{CanonicalDeserialize, Compress, Validate};

/// Bit 7 of the last byte: `y` is the larger of the two roots.
const FLAG_Y_NEGATIVE: u8 = 1 << 7;
/// Bit 6 of the last byte: the point at infinity.
const FLAG_INFINITY: u8 = 1 << 6;
/// Both flag bits.
const FLAG_MASK: u8 = FLAG_Y_NEGATIVE | FLAG_INFINITY;

/// The 256-bit little-endian integer in `bytes` (exactly 32 bytes).
fn le_bigint(bytes: &[u8; 32]) -> BigInt<4> {
	let mut limbs = [0u64; 4];
	for (limb, chunk) in limbs.iter_mut().zip(bytes.chunks_exact(8)) {
		*limb = u64::from_le_bytes(chunk.try_into().expect("chunks_exact(8) yields 8 bytes; qed"));
	}
	BigInt::new(limbs)
}

/// Fails unless `bytes` (little-endian, flags already cleared) is below the base-field modulus.
fn ensure_canonical_fq(bytes: &[u8; 32]) -> Result<(), Error> {
	if le_bigint(bytes) < Fq::MODULUS {
		Ok(())
	} else {
		Err(Error::NonCanonicalFieldElement)
	}
}

/// Splits the flag bits off the last byte of a compressed coordinate.
/// Returns the coordinate with flags cleared and whether the point is the point at infinity.
fn strip_flags(mut coordinate: [u8; 32]) -> Result<([u8; 32], bool), Error> {
	let flags = coordinate[31] & FLAG_MASK;
	if flags == FLAG_MASK {
		return Err(Error::InvalidPointFlags);
	}
	coordinate[31] &= !FLAG_MASK;
	let infinity = flags == FLAG_INFINITY;
	if infinity && coordinate != [0u8; 32] {
		return Err(Error::InvalidPointFlags);
	}
	Ok((coordinate, infinity))
}

/// Decompresses `bytes` (already checked for flags and canonical coordinates) and checks the
/// subgroup.
fn decompress<P: SWCurveConfig>(bytes: &[u8]) -> Result<Affine<P>, Error> {
	let point = Affine::<P>::deserialize_with_mode(bytes, Compress::Yes, Validate::No)
		.map_err(|_| Error::PointNotOnCurve)?;
	if point.is_in_correct_subgroup_assuming_on_curve() {
		Ok(point)
	} else {
		Err(Error::PointNotInSubgroup)
	}
}

/// Decodes a compressed G1 point.
pub fn g1(bytes: &G1Bytes) -> Result<G1Affine, Error> {
	let (x, infinity) = strip_flags(bytes.0)?;
	ensure_canonical_fq(&x)?;
	if infinity {
		return Ok(G1Affine::identity());
	}
	decompress(&bytes.0)
}

/// Decodes a compressed G2 point (`x = c0 + c1·u`, stored `c0 ‖ c1`, flags in `c1`).
pub fn g2(bytes: &G2Bytes) -> Result<G2Affine, Error> {
	let c0: [u8; 32] = bytes.0[..32].try_into().expect("64-byte array splits in two halves; qed");
	let c1: [u8; 32] = bytes.0[32..].try_into().expect("64-byte array splits in two halves; qed");
	let (c1, infinity) = strip_flags(c1)?;
	ensure_canonical_fq(&c0)?;
	ensure_canonical_fq(&c1)?;
	if infinity {
		return if c0 == [0u8; 32] { Ok(G2Affine::identity()) } else { Err(Error::InvalidPointFlags) };
	}
	decompress(&bytes.0)
}

/// Decodes a scalar-field element (a public input).
pub fn scalar(bytes: &ScalarBytes) -> Result<Fr, Error> {
	Fr::from_bigint(le_bigint(&bytes.0)).ok_or(Error::NonCanonicalFieldElement)
}

/// Decodes a list of public inputs.
pub fn scalars(inputs: &[ScalarBytes]) -> Result<alloc::vec::Vec<Fr>, Error> {
	inputs.iter().map(scalar).collect()
}

/// Encoding helpers (provers, clients, tests, benchmark statements): the inverse of the
/// decoders.
pub mod encode {
	use super::*;
	use ark_serialize::CanonicalSerialize;

	/// The compressed encoding of a G1 point.
	pub fn g1(point: &G1Affine) -> G1Bytes {
		let mut out = [0u8; 32];
		point.serialize_compressed(&mut out[..]).expect("a G1 point compresses to 32 bytes; qed");
		G1Bytes(out)
	}

	/// The compressed encoding of a G2 point.
	pub fn g2(point: &G2Affine) -> G2Bytes {
		let mut out = [0u8; 64];
		point.serialize_compressed(&mut out[..]).expect("a G2 point compresses to 64 bytes; qed");
		G2Bytes(out)
	}

	/// The encoding of a scalar-field element.
	pub fn scalar(value: &Fr) -> ScalarBytes {
		let mut out = [0u8; 32];
		value.serialize_compressed(&mut out[..]).expect("a scalar encodes to 32 bytes; qed");
		ScalarBytes(out)
	}

	/// The chain encoding of an arkworks verifying key.
	#[cfg(feature = "std")]
	pub fn verifying_key(vk: &ark_groth16::VerifyingKey<ark_bn254::Bn254>) -> crate::VerifyingKey {
		crate::VerifyingKey {
			alpha_g1: g1(&vk.alpha_g1),
			beta_g2: g2(&vk.beta_g2),
			gamma_g2: g2(&vk.gamma_g2),
			delta_g2: g2(&vk.delta_g2),
			gamma_abc_g1: vk.gamma_abc_g1.iter().map(g1).collect(),
		}
	}

	/// The chain encoding of an arkworks proof.
	#[cfg(feature = "std")]
	pub fn proof(proof: &ark_groth16::Proof<ark_bn254::Bn254>) -> crate::Proof {
		crate::Proof { a: g1(&proof.a), b: g2(&proof.b), c: g1(&proof.c) }
	}
}
