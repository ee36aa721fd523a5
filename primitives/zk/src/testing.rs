//! Real Groth16 keys and proofs for tests (feature `testing`), from a small circuit:
//! knowledge of a secret `w` such that the public inputs are `xᵢ = w^(i+1)` for `i = 1..=n`.
//! One multiplication constraint per public input, so a key for `n` inputs is set up in
//! milliseconds. The setup is seeded: the same seed gives the same key.

use crate::{decode::encode, Proof, ScalarBytes, VerifyingKey};
use ark_bn254::{Bn254, Fr};
use ark_groth16::{Groth16, ProvingKey};
use ark_relations::{
	gr1cs::{ConstraintSynthesizer, ConstraintSystemRef, SynthesisError},
	lc,
};
use ark_snark::{CircuitSpecificSetupSNARK, SNARK};
use ark_std::rand::{rngs::StdRng, SeedableRng};

/// The circuit: public `x₁..xₙ` with `x₁ = w·w` and `xᵢ₊₁ = xᵢ·w`.
#[derive(Clone)]
pub struct PowerChain {
	/// The secret; `None` during setup.
	pub witness: Option<Fr>,
	/// Number of public inputs (at least 1).
	pub public_inputs: usize,
}

impl PowerChain {
	/// The public inputs for secret `w`.
	pub fn statement(w: Fr, public_inputs: usize) -> Vec<Fr> {
		let mut out = Vec::with_capacity(public_inputs);
		let mut x = w * w;
		for _ in 0..public_inputs {
			out.push(x);
			x *= w;
		}
		out
	}
}

impl ConstraintSynthesizer<Fr> for PowerChain {
	fn generate_constraints(self, cs: ConstraintSystemRef<Fr>) -> Result<(), SynthesisError> {
		let w_value = self.witness;
		let statement = w_value.map(|w| Self::statement(w, self.public_inputs));
		let w = cs.new_witness_variable(|| w_value.ok_or(SynthesisError::AssignmentMissing))?;
		let mut previous = w;
		for i in 0..self.public_inputs {
			let value = statement.as_ref().map(|s| s[i]);
			let x = cs.new_input_variable(|| value.ok_or(SynthesisError::AssignmentMissing))?;
			cs.enforce_r1cs_constraint(|| lc!() + previous, || lc!() + w, || lc!() + x)?;
			previous = x;
		}
		Ok(())
	}
}

/// A proving key (arkworks) and the chain encoding of its verifying key.
pub fn setup(public_inputs: usize, seed: u64) -> (ProvingKey<Bn254>, VerifyingKey) {
	let mut rng = StdRng::seed_from_u64(seed);
	let (pk, vk) = Groth16::<Bn254>::setup(PowerChain { witness: None, public_inputs }, &mut rng)
		.expect("the test circuit is satisfiable; qed");
	(pk, encode::verifying_key(&vk))
}

/// A proof for secret `w` and its public inputs.
pub fn prove(pk: &ProvingKey<Bn254>, w: u64, seed: u64) -> (Proof, Vec<ScalarBytes>) {
	let public_inputs = pk.vk.gamma_abc_g1.len() - 1;
	let w = Fr::from(w);
	let mut rng = StdRng::seed_from_u64(seed);
	let proof = Groth16::<Bn254>::prove(pk, PowerChain { witness: Some(w), public_inputs }, &mut rng)
		.expect("an honest witness proves; qed");
	let inputs = PowerChain::statement(w, public_inputs).iter().map(encode::scalar).collect();
	(encode::proof(&proof), inputs)
}
