//! Valid Groth16 statements made with the trapdoor, for benchmarks (feature
//! `runtime-benchmarks`, usable inside the wasm runtime) and tests.
//!
//! The key is built from known discrete logs `α, β, γ, δ, sⱼ` (`γ_abcⱼ = sⱼ·G₁`), so for any
//! `A = a·G₁`, `B = b·G₂` the verification equation fixes `C = c·G₁` with
//! `c = (a·b − α·β − γ·Σ xᵢ·sᵢ) / δ` (taking `x₀ = 1`). This is the zero-knowledge simulator
//! of Groth16: the verifier does exactly the same work as for a proof from a prover, which is
//! what a benchmark must measure. A key built here has a known trapdoor: never use it for
//! anything but benchmarks and tests.

use crate::{decode::encode, types::*, Proof, VerifyingKey};
use alloc::vec::Vec;
use ark_bn254::{Fr, G1Affine, G2Affine};
use ark_ec::{AffineRepr, CurveGroup};
use ark_ff::{Field, PrimeField};
use sha2::{Digest, Sha256};

/// A non-zero scalar derived from `(seed, label, index)`.
fn scalar(seed: u64, label: &[u8], index: u32) -> Fr {
	let digest = Sha256::new()
		.chain_update(seed.to_le_bytes())
		.chain_update(label)
		.chain_update(index.to_le_bytes())
		.finalize();
	let x = Fr::from_le_bytes_mod_order(&digest);
	if x == Fr::from(0u64) { Fr::from(1u64) } else { x }
}

/// `x·G₁`, encoded.
fn g1(x: Fr) -> G1Bytes {
	encode::g1(&(G1Affine::generator() * x).into_affine())
}

/// `x·G₂`, encoded.
fn g2(x: Fr) -> G2Bytes {
	encode::g2(&(G2Affine::generator() * x).into_affine())
}

/// A key with `public_inputs` inputs (same `seed`, same key).
pub fn verifying_key(public_inputs: u32, seed: u64) -> VerifyingKey {
	VerifyingKey {
		alpha_g1: g1(scalar(seed, b"alpha", 0)),
		beta_g2: g2(scalar(seed, b"beta", 0)),
		gamma_g2: g2(scalar(seed, b"gamma", 0)),
		delta_g2: g2(scalar(seed, b"delta", 0)),
		gamma_abc_g1: (0..=public_inputs).map(|j| g1(scalar(seed, b"ic", j))).collect(),
	}
}

/// A key with `public_inputs` inputs, a valid proof for it, and the proof's inputs
/// (`statement` selects different inputs and proof for the same key).
pub fn statement(public_inputs: u32, seed: u64, statement: u32) -> (VerifyingKey, Proof, Vec<ScalarBytes>) {
	let inputs: Vec<ScalarBytes> =
		(0..public_inputs).map(|i| encode::scalar(&scalar(seed ^ statement as u64, b"x", i))).collect();
	let proof = proof_for(&inputs, seed, statement);
	(verifying_key(public_inputs, seed), proof, inputs)
}

/// A valid proof for the given public inputs under `verifying_key(inputs.len(), seed)`
/// (`nonce` selects among the many valid proofs). Inputs that are not canonical scalars are
/// reduced modulo the scalar field.
pub fn proof_for(inputs: &[ScalarBytes], seed: u64, nonce: u32) -> Proof {
	let l = scalar(seed, b"ic", 0) +
		inputs
			.iter()
			.enumerate()
			.map(|(i, x)| Fr::from_le_bytes_mod_order(&x.0) * scalar(seed, b"ic", i as u32 + 1))
			.sum::<Fr>();
	let a = scalar(seed, b"a", nonce);
	let b = scalar(seed, b"b", nonce);
	let c = (a * b - scalar(seed, b"alpha", 0) * scalar(seed, b"beta", 0) - scalar(seed, b"gamma", 0) * l) *
		scalar(seed, b"delta", 0).inverse().expect("scalars are non-zero; qed");
	Proof { a: g1(a), b: g2(b), c: g1(c) }
}
