//! Reads snarkjs' Groth16 `.zkey` files: the proving key (and its verifying key) and the
//! circuit's `A` and `B` matrices, as `snarkjs groth16 setup` and `zkey contribute` write them.
//!
//! The file is a sequence of sections (`"zkey"`, version, count; then id `u32`, size `u64`,
//! bytes): 1 the protocol (1: Groth16); 2 the header (field sizes and primes, `nVars`,
//! `nPublic`, `domainSize`, `α₁ β₁ β₂ γ₂ δ₁ δ₂`); 3 `IC` (`nPublic + 1` G1 points); 4 the
//! coefficients of `A` and `B` (`matrix, constraint, signal, value`, the value times `R²` in
//! Montgomery form); 5 `A`, 6 `B₁` (G1), 7 `B₂` (G2), one per signal; 8 `C` (the private
//! signals, G1); 9 `H` (`domainSize` G1 points, for [`super::reduction`]); 10 contributions.
//! Points are affine, coordinates little-endian in Montgomery form, `(0, 0)` the identity.
//!
//! A `.zkey` is the model owner's file: every point is checked to be on its curve and in the
//! prime-order subgroup (BN254's G1 has cofactor 1; G2 is checked), every index to be in range.

use crate::{Error, Result};
use ark_bn254::{Bn254, Fq, Fq2, Fr, G1Affine, G2Affine};
use ark_ec::AffineRepr;
use ark_ff::{BigInteger256, PrimeField, Zero};
use ark_groth16::{ProvingKey, VerifyingKey};
use ark_relations::utils::matrix::Matrix;
use std::collections::HashMap;

/// The largest evaluation domain read (constraints + public signals + 1, rounded up to a power
/// of two): about two million constraints, and what bounds every allocation a `.zkey` asks for.
pub const MAX_DOMAIN: usize = 1 << 21;

/// The circuit's shape, from the header.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Header {
	/// Signals (wires), the constant 1 included.
	pub signals: usize,
	/// Public signals.
	pub public: usize,
	/// The evaluation domain's size (a power of two above constraints + public + 1).
	pub domain_size: usize,
}

/// The constraint matrices `A` and `B`, one row per constraint, that the prover evaluates (`C` is not in a `.zkey`: a satisfied
/// constraint has `c = a · b`).
#[derive(Clone, Debug, PartialEq)]
pub struct Matrices(pub [Matrix<Fr>; 2]);

impl Matrices {
	/// The circuit's constraints (without the `public + 1` rows snarkjs adds for the inputs).
	pub fn constraints(&self) -> usize {
		self.0[0].len()
	}
}

/// A parsed `.zkey`'s section table.
pub struct Zkey<'a> {
	sections: HashMap<u32, &'a [u8]>,
	/// The header.
	pub header: Header,
}

fn bad(detail: impl Into<String>) -> Error {
	Error::Malformed { what: "snarkjs .zkey", detail: detail.into() }
}

/// A cursor over a section's bytes.
struct Reader<'a>(&'a [u8]);

impl<'a> Reader<'a> {
	fn bytes(&mut self, n: usize) -> Result<&'a [u8]> {
		if self.0.len() < n {
			return Err(bad("truncated"));
		}
		let (head, rest) = self.0.split_at(n);
		self.0 = rest;
		Ok(head)
	}

	fn u32(&mut self) -> Result<u32> {
		Ok(u32::from_le_bytes(self.bytes(4)?.try_into().expect("4 bytes; qed")))
	}

	fn u64(&mut self) -> Result<u64> {
		Ok(u64::from_le_bytes(self.bytes(8)?.try_into().expect("8 bytes; qed")))
	}

	fn count(&mut self) -> Result<usize> {
		Ok(self.u32()? as usize)
	}

	fn bigint(&mut self) -> Result<BigInteger256> {
		let bytes = self.bytes(32)?;
		let mut limbs = [0u64; 4];
		for (limb, chunk) in limbs.iter_mut().zip(bytes.chunks_exact(8)) {
			*limb = u64::from_le_bytes(chunk.try_into().expect("8 bytes; qed"));
		}
		Ok(BigInteger256::new(limbs))
	}

	/// A base-field element in Montgomery form.
	fn fq(&mut self) -> Result<Fq> {
		let raw = self.bigint()?;
		if raw >= Fq::MODULUS {
			return Err(bad("a coordinate is not below the base field's prime"));
		}
		Ok(Fq::new_unchecked(raw))
	}

	fn g1(&mut self) -> Result<G1Affine> {
		let (x, y) = (self.fq()?, self.fq()?);
		if x.is_zero() && y.is_zero() {
			return Ok(G1Affine::zero());
		}
		let point = G1Affine::new_unchecked(x, y);
		if !point.is_on_curve() {
			return Err(bad("a G1 point is not on the curve"));
		}
		Ok(point)
	}

	fn g2(&mut self) -> Result<G2Affine> {
		let x = Fq2::new(self.fq()?, self.fq()?);
		let y = Fq2::new(self.fq()?, self.fq()?);
		if x.is_zero() && y.is_zero() {
			return Ok(G2Affine::zero());
		}
		let point = G2Affine::new_unchecked(x, y);
		if !point.is_on_curve() || !point.is_in_correct_subgroup_assuming_on_curve() {
			return Err(bad("a G2 point is not in the group"));
		}
		Ok(point)
	}

	fn g1s(&mut self, n: usize) -> Result<Vec<G1Affine>> {
		(0..n).map(|_| self.g1()).collect()
	}

	fn end(&self) -> Result<()> {
		if self.0.is_empty() {
			Ok(())
		} else {
			Err(bad("a section has trailing bytes"))
		}
	}
}

impl<'a> Zkey<'a> {
	/// The section table and header of `bytes`. Errors if it is not a Groth16 `.zkey` over
	/// BN254 with a domain of at most [`MAX_DOMAIN`].
	pub fn parse(bytes: &'a [u8]) -> Result<Self> {
		let mut file = Reader(bytes);
		if file.bytes(4)? != b"zkey" {
			return Err(bad("no zkey magic"));
		}
		let _version = file.u32()?;
		let count = file.u32()?;
		let mut sections = HashMap::new();
		for _ in 0..count {
			let id = file.u32()?;
			let size = usize::try_from(file.u64()?).map_err(|_| bad("a section is too large"))?;
			if sections.insert(id, file.bytes(size)?).is_some() {
				return Err(bad(format!("section {id} twice")));
			}
		}
		let mut zkey = Self { sections, header: Header { signals: 0, public: 0, domain_size: 0 } };
		let mut protocol = zkey.section(1)?;
		if protocol.u32()? != 1 {
			return Err(bad("not a Groth16 key"));
		}
		let mut header = zkey.section(2)?;
		let n8q = header.count()?;
		if n8q != 32 || header.bigint()? != Fq::MODULUS {
			return Err(bad("the base field is not BN254's"));
		}
		let n8r = header.count()?;
		if n8r != 32 || header.bigint()? != Fr::MODULUS {
			return Err(bad("the scalar field is not BN254's"));
		}
		let (signals, public, domain_size) = (header.count()?, header.count()?, header.count()?);
		if public + 1 > signals || !domain_size.is_power_of_two() || domain_size > MAX_DOMAIN {
			return Err(bad(format!("{signals} signals, {public} public, domain {domain_size} (at most {MAX_DOMAIN})")));
		}
		zkey.header = Header { signals, public, domain_size };
		Ok(zkey)
	}

	fn section(&self, id: u32) -> Result<Reader<'a>> {
		self.sections.get(&id).map(|bytes| Reader(bytes)).ok_or_else(|| bad(format!("no section {id}")))
	}

	/// The proving key (with its verifying key).
	pub fn proving_key(&self) -> Result<ProvingKey<Bn254>> {
		let Header { signals, public, domain_size } = self.header;
		let mut header = self.section(2)?;
		header.bytes(4 + 32 + 4 + 32 + 12)?;
		let alpha_g1 = header.g1()?;
		let beta_g1 = header.g1()?;
		let beta_g2 = header.g2()?;
		let gamma_g2 = header.g2()?;
		let delta_g1 = header.g1()?;
		let delta_g2 = header.g2()?;
		header.end()?;
		let points = |id: u32, n: usize| -> Result<Vec<G1Affine>> {
			let mut section = self.section(id)?;
			let points = section.g1s(n)?;
			section.end()?;
			Ok(points)
		};
		let gamma_abc_g1 = points(3, public + 1)?;
		let a_query = points(5, signals)?;
		let b_g1_query = points(6, signals)?;
		let mut b2 = self.section(7)?;
		let b_g2_query = (0..signals).map(|_| b2.g2()).collect::<Result<Vec<_>>>()?;
		b2.end()?;
		let l_query = points(8, signals - public - 1)?;
		let h_query = points(9, domain_size)?;
		Ok(ProvingKey {
			vk: VerifyingKey { alpha_g1, beta_g2, gamma_g2, delta_g2, gamma_abc_g1 },
			beta_g1,
			delta_g1,
			a_query,
			b_g1_query,
			b_g2_query,
			h_query,
			l_query,
		})
	}

	/// The `A` and `B` matrices. snarkjs appends a row `A[constraints + i][i] = 1` per public
	/// signal (and the constant); they are checked and left out, as the reduction adds them.
	pub fn matrices(&self) -> Result<Matrices> {
		let Header { signals, public, domain_size } = self.header;
		let mut coefficients = self.section(4)?;
		let count = coefficients.count()?;
		let mut rows: [Matrix<Fr>; 2] = [Vec::new(), Vec::new()];
		for _ in 0..count {
			let (matrix, constraint, signal) = (coefficients.count()?, coefficients.count()?, coefficients.count()?);
			let raw = coefficients.bigint()?;
			if matrix > 1 || constraint >= domain_size || signal >= signals || raw >= Fr::MODULUS {
				return Err(bad(format!("coefficient ({matrix}, {constraint}, {signal}) out of range")));
			}
			// Stored as value·R² in Montgomery form: two Montgomery reductions give the value.
			let value = Fr::new_unchecked(Fr::new_unchecked(raw).into_bigint());
			let rows = &mut rows[matrix];
			if rows.len() <= constraint {
				rows.resize(constraint + 1, Vec::new());
			}
			rows[constraint].push((value, signal));
		}
		coefficients.end()?;
		let [mut a, mut b] = rows;
		let constraints = a.len().checked_sub(public + 1).ok_or_else(|| bad("no input rows"))?;
		let input_rows = a.split_off(constraints);
		let expected = |i: usize, row: &Vec<(Fr, usize)>| row.len() == 1 && row[0] == (Fr::from(1u64), i);
		if !input_rows.iter().enumerate().all(|(i, row)| expected(i, row)) || b.len() > constraints {
			return Err(bad("the input rows are not snarkjs' A[constraints + i][i] = 1"));
		}
		b.resize(constraints, Vec::new());
		Ok(Matrices([a, b]))
	}
}
