//! Groth16 proofs with a snarkjs proving key: snarkjs' R1CS-to-QAP reduction and the prover.
//!
//! A `.zkey`'s `H` points are for the quotient evaluated on the odd powers of a `2n`-th root of
//! unity `ω₂ₙ` (the coset `ω₂ₙ·⟨ωₙ⟩`), where arkworks' own reduction ([`LibsnarkReduction`])
//! uses another coset and divides by the vanishing polynomial. [`CircomReduction`] computes
//! snarkjs' `h`: `A·w`, `B·w` and `C·w = (A·w)(B·w)` per constraint (plus the rows binding the
//! public signals), interpolated over `⟨ωₙ⟩` and evaluated on the shifted coset, then
//! `h = a·b − c` there. With it, arkworks' prover makes proofs that the key's verifying key
//! (and `snarkjs groth16 verify`) accepts.

use super::zkey::Matrices;
use crate::{Error, Result};
use aichain_zk::{decode::encode, Proof};
use ark_bn254::{Bn254, Fr};
use ark_ff::{PrimeField, UniformRand};
use ark_groth16::{
	r1cs_to_qap::{evaluate_constraint, LibsnarkReduction, R1CSToQAP},
	Groth16, ProvingKey,
};
use ark_poly::EvaluationDomain;
use ark_relations::{
	gr1cs::{ConstraintSystemRef, Result as R1CSResult, SynthesisError},
	utils::matrix::Matrix,
};
use ark_std::rand::RngCore;

/// snarkjs' (and circom's) R1CS-to-QAP reduction.
pub struct CircomReduction;

impl R1CSToQAP for CircomReduction {
	fn instance_map_with_evaluation<F: PrimeField, D: EvaluationDomain<F>>(
		cs: ConstraintSystemRef<F>,
		t: &F,
	) -> Result<(Vec<F>, Vec<F>, Vec<F>, F, usize, usize), SynthesisError> {
		// The QAP polynomials are the same; only the quotient's basis differs.
		LibsnarkReduction::instance_map_with_evaluation::<F, D>(cs, t)
	}

	fn witness_map_from_matrices<F: PrimeField, D: EvaluationDomain<F>>(
		matrices: &[Matrix<F>],
		num_inputs: usize,
		num_constraints: usize,
		full_assignment: &[F],
	) -> R1CSResult<Vec<F>> {
		let [a_rows, b_rows, ..] = matrices else { return Err(SynthesisError::Unsatisfiable) };
		let domain = D::new(num_constraints + num_inputs).ok_or(SynthesisError::PolynomialDegreeTooLarge)?;
		let size = domain.size();
		let mut a = vec![F::zero(); size];
		let mut b = vec![F::zero(); size];
		for (i, (a_row, b_row)) in a_rows.iter().zip(b_rows).take(num_constraints).enumerate() {
			a[i] = evaluate_constraint(a_row, full_assignment);
			b[i] = evaluate_constraint(b_row, full_assignment);
		}
		a[num_constraints..num_constraints + num_inputs].copy_from_slice(&full_assignment[..num_inputs]);
		let mut c: Vec<F> = a.iter().zip(&b).take(num_constraints).map(|(a, b)| *a * b).collect();
		c.resize(size, F::zero());
		let shift = D::new(2 * size).ok_or(SynthesisError::PolynomialDegreeTooLarge)?.element(1);
		let to_coset = |values: &mut Vec<F>| {
			domain.ifft_in_place(values);
			D::distribute_powers_and_mul_by_const(values, shift, F::one());
			domain.fft_in_place(values);
		};
		to_coset(&mut a);
		to_coset(&mut b);
		to_coset(&mut c);
		Ok(a.iter().zip(&b).zip(&c).map(|((a, b), c)| *a * b - c).collect())
	}

	fn h_query_scalars<F: PrimeField, D: EvaluationDomain<F>>(
		max_power: usize,
		t: F,
		_: F,
		delta_inverse: F,
	) -> Result<Vec<F>, SynthesisError> {
		// The Lagrange basis of the odd powers of the 2n-th roots (what snarkjs' H holds).
		let mut scalars: Vec<F> = (0..2 * max_power + 1).map(|i| delta_inverse * t.pow([i as u64])).collect();
		let domain = D::new(scalars.len()).ok_or(SynthesisError::PolynomialDegreeTooLarge)?;
		domain.ifft_in_place(&mut scalars);
		Ok(scalars.into_iter().skip(1).step_by(2).collect())
	}
}

/// A Groth16 proof of `witness` (`[1, public…, private…]`, as circom's witness generator
/// orders it) with a snarkjs proving key and the key's matrices, in the chain's encoding.
pub fn prove(proving_key: &ProvingKey<Bn254>, matrices: &Matrices, witness: &[Fr], rng: &mut dyn RngCore) -> Result<Proof> {
	let inputs = proving_key.vk.gamma_abc_g1.len();
	if witness.len() != proving_key.a_query.len() || witness.first() != Some(&Fr::from(1u64)) {
		return Err(Error::Witness(format!(
			"a witness of {} values for a key of {} signals",
			witness.len(),
			proving_key.a_query.len()
		)));
	}
	let (r, s) = (Fr::rand(rng), Fr::rand(rng));
	let proof = Groth16::<Bn254, CircomReduction>::create_proof_with_reduction_and_matrices(
		proving_key,
		r,
		s,
		&matrices.0,
		inputs,
		matrices.constraints(),
		witness,
	)?;
	Ok(encode::proof(&proof))
}
