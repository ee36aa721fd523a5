//! Import of snarkjs Groth16 files (`groth16`, curve `bn128`, i.e. BN254) into the chain's
//! encoding, so a dApp developer with a circom circuit can register its key and submit proofs.
//!
//! snarkjs writes field elements as decimal strings and points in projective form
//! (`[x, y, z]` for G1, `[[x.c0, x.c1], [y.c0, y.c1], [z.c0, z.c1]]` for G2, with `z = 1` for
//! affine points and `z = 0` for infinity). Every value is checked as strictly as the chain's
//! own decoder checks it: canonical field elements, points on the curve and in the subgroup.

use crate::{decode::encode, Error, Proof, ScalarBytes, VerifyingKey};
use ark_bn254::{Fq, Fq2, Fr, G1Affine, G2Affine};
use ark_ff::{BigInt, One, PrimeField, Zero};
use serde_json::Value;

/// Why a snarkjs file could not be imported.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ImportError {
	/// The text is not JSON.
	Json(String),
	/// A required field is missing or has the wrong JSON type.
	Field(&'static str),
	/// `protocol` is not `groth16` or `curve` is not `bn128`.
	Unsupported(String),
	/// A number is not a decimal string below the field modulus.
	Number(String),
	/// A point or scalar failed the chain's checks.
	Invalid(Error),
}

impl core::fmt::Display for ImportError {
	fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
		match self {
			ImportError::Json(e) => write!(f, "not valid JSON: {e}"),
			ImportError::Field(name) => write!(f, "missing or malformed field `{name}`"),
			ImportError::Unsupported(what) => write!(f, "unsupported: {what} (need groth16 on bn128)"),
			ImportError::Number(n) => write!(f, "not a canonical field element: {n}"),
			ImportError::Invalid(e) => write!(f, "invalid point or scalar: {e}"),
		}
	}
}

impl std::error::Error for ImportError {}

/// Parses a decimal string into a 256-bit integer, failing on anything but digits or overflow.
fn parse_decimal(text: &str) -> Result<BigInt<4>, ImportError> {
	let bad = || ImportError::Number(text.to_string());
	if text.is_empty() || text.len() > 78 {
		return Err(bad());
	}
	let mut limbs = [0u64; 4];
	for ch in text.chars() {
		let digit = ch.to_digit(10).ok_or_else(bad)? as u128;
		let mut carry = digit;
		for limb in limbs.iter_mut() {
			let wide = (*limb as u128) * 10 + carry;
			*limb = wide as u64;
			carry = wide >> 64;
		}
		if carry != 0 {
			return Err(bad());
		}
	}
	Ok(BigInt::new(limbs))
}

fn field<F: PrimeField<BigInt = BigInt<4>>>(value: &Value, name: &'static str) -> Result<F, ImportError> {
	let text = value.as_str().ok_or(ImportError::Field(name))?;
	F::from_bigint(parse_decimal(text)?).ok_or_else(|| ImportError::Number(text.to_string()))
}

fn array<'a>(value: &'a Value, len: usize, name: &'static str) -> Result<&'a Vec<Value>, ImportError> {
	value.as_array().filter(|a| a.len() == len).ok_or(ImportError::Field(name))
}

fn checked<P: ark_ec::short_weierstrass::SWCurveConfig>(
	point: ark_ec::short_weierstrass::Affine<P>,
) -> Result<ark_ec::short_weierstrass::Affine<P>, ImportError> {
	if !point.is_in_correct_subgroup_assuming_on_curve() {
		return Err(ImportError::Invalid(Error::PointNotInSubgroup));
	}
	Ok(point)
}

fn g1(value: &Value, name: &'static str) -> Result<G1Affine, ImportError> {
	let c = array(value, 3, name)?;
	let z: Fq = field(&c[2], name)?;
	if z.is_zero() {
		return Ok(G1Affine::identity());
	}
	if !z.is_one() {
		return Err(ImportError::Field(name));
	}
	let point = G1Affine::new_unchecked(field(&c[0], name)?, field(&c[1], name)?);
	if !point.is_on_curve() {
		return Err(ImportError::Invalid(Error::PointNotOnCurve));
	}
	checked(point)
}

fn fq2(value: &Value, name: &'static str) -> Result<Fq2, ImportError> {
	let c = array(value, 2, name)?;
	Ok(Fq2::new(field(&c[0], name)?, field(&c[1], name)?))
}

fn g2(value: &Value, name: &'static str) -> Result<G2Affine, ImportError> {
	let c = array(value, 3, name)?;
	let z = fq2(&c[2], name)?;
	if z.is_zero() {
		return Ok(G2Affine::identity());
	}
	if !z.is_one() {
		return Err(ImportError::Field(name));
	}
	let point = G2Affine::new_unchecked(fq2(&c[0], name)?, fq2(&c[1], name)?);
	if !point.is_on_curve() {
		return Err(ImportError::Invalid(Error::PointNotOnCurve));
	}
	checked(point)
}

fn parse(json: &str) -> Result<Value, ImportError> {
	serde_json::from_str(json).map_err(|e| ImportError::Json(e.to_string()))
}

fn ensure_groth16_bn128(doc: &Value) -> Result<(), ImportError> {
	for (key, expected) in [("protocol", "groth16"), ("curve", "bn128")] {
		match doc.get(key).and_then(Value::as_str) {
			Some(v) if v == expected => {},
			Some(v) => return Err(ImportError::Unsupported(format!("{key} = {v}"))),
			None => return Err(ImportError::Field(if key == "protocol" { "protocol" } else { "curve" })),
		}
	}
	Ok(())
}

/// Imports a snarkjs `verification_key.json`.
pub fn verifying_key_from_json(json: &str) -> Result<VerifyingKey, ImportError> {
	let doc = parse(json)?;
	ensure_groth16_bn128(&doc)?;
	let get = |name: &'static str| doc.get(name).ok_or(ImportError::Field(name));
	let ic = get("IC")?.as_array().ok_or(ImportError::Field("IC"))?;
	if let Some(n) = doc.get("nPublic").and_then(Value::as_u64) {
		if n as usize + 1 != ic.len() {
			return Err(ImportError::Field("nPublic"));
		}
	}
	let vk = VerifyingKey {
		alpha_g1: encode::g1(&g1(get("vk_alpha_1")?, "vk_alpha_1")?),
		beta_g2: encode::g2(&g2(get("vk_beta_2")?, "vk_beta_2")?),
		gamma_g2: encode::g2(&g2(get("vk_gamma_2")?, "vk_gamma_2")?),
		delta_g2: encode::g2(&g2(get("vk_delta_2")?, "vk_delta_2")?),
		gamma_abc_g1: ic
			.iter()
			.map(|p| g1(p, "IC").map(|p| encode::g1(&p)))
			.collect::<Result<_, _>>()?,
	};
	crate::DecodedKey::decode(&vk).map_err(ImportError::Invalid)?;
	Ok(vk)
}

/// Imports a snarkjs `proof.json`.
pub fn proof_from_json(json: &str) -> Result<Proof, ImportError> {
	let doc = parse(json)?;
	ensure_groth16_bn128(&doc)?;
	let get = |name: &'static str| doc.get(name).ok_or(ImportError::Field(name));
	Ok(Proof {
		a: encode::g1(&g1(get("pi_a")?, "pi_a")?),
		b: encode::g2(&g2(get("pi_b")?, "pi_b")?),
		c: encode::g1(&g1(get("pi_c")?, "pi_c")?),
	})
}

/// Imports a snarkjs `public.json` (an array of decimal strings).
pub fn public_inputs_from_json(json: &str) -> Result<Vec<ScalarBytes>, ImportError> {
	let doc = parse(json)?;
	doc.as_array()
		.ok_or(ImportError::Field("public inputs array"))?
		.iter()
		.map(|v| field::<Fr>(v, "public input").map(|x| encode::scalar(&x)))
		.collect()
}
