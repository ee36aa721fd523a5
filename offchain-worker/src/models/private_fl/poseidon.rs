//! Poseidon over BN254's scalar field: the hash of the private federated-learning commitments
//! and mask generator, natively and in R1CS.
//!
//! Parameters: width 3 (rate 2, capacity 1), S-box `x^5`, 8 full and 57 partial rounds (the
//! 128-bit-security choice for a 254-bit field of the Poseidon paper, Table 2), round constants
//! and MDS matrix from the paper's Grain LFSR (`ark-crypto-primitives`'
//! `find_poseidon_ark_and_mds`). The sponge is `ark-crypto-primitives`' duplex sponge, and the
//! circuit uses its R1CS twin, so both sides compute the same function by construction (a test
//! checks it). Each use starts with its own domain constant.

use ark_bn254::Fr;
use ark_crypto_primitives::sponge::{
	constraints::CryptographicSpongeVar,
	poseidon::{constraints::PoseidonSpongeVar, find_poseidon_ark_and_mds, PoseidonConfig, PoseidonSponge},
	CryptographicSponge,
};
use ark_ff::PrimeField;
use ark_r1cs_std::fields::fp::{AllocatedFp, FpVar};
use ark_relations::{
	gr1cs::{ConstraintSystemRef, LinearCombination, SynthesisError, Variable},
	lc,
};
use std::sync::OnceLock;

/// Domain of a member's data commitment: `Poseidon(DATA, salt, rows…)`.
pub const DOMAIN_DATA: u64 = 1;
/// Domain of a pairwise seed's commitment: `Poseidon(SEED, seed)`.
pub const DOMAIN_SEED: u64 = 2;
/// Domain of the mask generator: `Poseidon(MASK, seed, nonce)`, squeezed.
pub const DOMAIN_MASK: u64 = 3;

/// The sponge's parameters (computed once).
pub fn config() -> &'static PoseidonConfig<Fr> {
	static CONFIG: OnceLock<PoseidonConfig<Fr>> = OnceLock::new();
	CONFIG.get_or_init(|| {
		let (full, partial, rate) = (8, 57, 2);
		let (ark, mds) = find_poseidon_ark_and_mds::<Fr>(Fr::MODULUS_BIT_SIZE as u64, rate, full, partial, 0);
		PoseidonConfig::new(full as usize, partial as usize, 5, mds, ark, rate, 1)
	})
}

/// Absorbs `elements` and squeezes `count` field elements.
pub fn hash(elements: &[Fr], count: usize) -> Vec<Fr> {
	let mut sponge = PoseidonSponge::new(config());
	sponge.absorb(&elements.to_vec());
	sponge.squeeze_field_elements(count)
}

/// The R1CS twin of [`hash`].
pub fn hash_var(cs: &ConstraintSystemRef<Fr>, elements: &[FpVar<Fr>], count: usize) -> Result<Vec<FpVar<Fr>>, SynthesisError> {
	let mut sponge = PoseidonSpongeVar::new(cs.clone(), config());
	sponge.absorb(&elements.to_vec())?;
	sponge.squeeze_field_elements(count)
}

/// A linear combination as a field variable of the sponge gadget (no constraint).
pub fn var(cs: &ConstraintSystemRef<Fr>, lc: LinearCombination<Fr>, value: Option<Fr>) -> Result<FpVar<Fr>, SynthesisError> {
	let variable = cs.new_lc(|| lc)?;
	Ok(FpVar::Var(AllocatedFp::new(value, variable, cs.clone())))
}

/// A constant as a field variable.
pub fn constant(value: u64) -> FpVar<Fr> {
	FpVar::Constant(Fr::from(value))
}

/// A field variable as a linear combination.
pub fn lc_of(value: &FpVar<Fr>) -> LinearCombination<Fr> {
	match value {
		FpVar::Var(allocated) => lc!() + allocated.variable,
		FpVar::Constant(c) => lc!() + (*c, Variable::One),
	}
}

/// The value of a field variable, if assigned.
pub fn value_of(value: &FpVar<Fr>) -> Option<Fr> {
	match value {
		FpVar::Var(allocated) => allocated.value().ok(),
		FpVar::Constant(c) => Some(*c),
	}
}

#[cfg(test)]
mod tests {
	use super::*;
	use ark_relations::gr1cs::ConstraintSystem;
	use ark_std::{rand::SeedableRng, UniformRand};

	#[test]
	fn the_gadget_computes_the_native_hash() {
		let mut rng = ark_std::rand::rngs::StdRng::seed_from_u64(3);
		for (absorbed, squeezed) in [(1, 1), (2, 1), (3, 5), (94, 1)] {
			let elements: Vec<Fr> = (0..absorbed).map(|_| Fr::rand(&mut rng)).collect();
			let cs = ConstraintSystem::<Fr>::new_ref();
			let vars: Vec<FpVar<Fr>> = elements
				.iter()
				.map(|e| {
					let v = cs.new_witness_variable(|| Ok(*e)).unwrap();
					FpVar::Var(AllocatedFp::new(Some(*e), v, cs.clone()))
				})
				.collect();
			let out = hash_var(&cs, &vars, squeezed).unwrap();
			let native = hash(&elements, squeezed);
			assert_eq!(out.iter().map(|o| value_of(o).unwrap()).collect::<Vec<_>>(), native, "{absorbed} in, {squeezed} out");
			assert!(cs.is_satisfied().unwrap());
		}
	}
}
