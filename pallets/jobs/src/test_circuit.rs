//! A real circuit for zk-tier tests: the "byte-sum model" maps 4 input bytes to the 2-byte
//! little-endian sum of the bytes. Its public inputs are exactly what the jobs pallet builds
//! on chain, [`aichain_compute::zk_public_inputs`]`(input, output)`: the lengths, the packed
//! input and the packed output. Each input byte is a witness decomposed into 8 boolean bits,
//! so a proof exists only for the true output of the input it was made for.

use aichain_zk::{decode::encode, Proof, VerifyingKey};
use ark_bn254::{Bn254, Fr};
use ark_ff::{Field, One};
use ark_groth16::{Groth16, ProvingKey};
use ark_relations::{
	gr1cs::{ConstraintSynthesizer, ConstraintSystemRef, LinearCombination, SynthesisError, Variable},
	lc,
};
use ark_snark::{CircuitSpecificSetupSNARK, SNARK};
use ark_std::rand::{rngs::StdRng, SeedableRng};

/// Input bytes of the model.
pub const INPUT_LEN: usize = 4;
/// Output bytes of the model.
pub const OUTPUT_LEN: usize = 2;

/// What the model computes (what an honest worker's engine returns).
pub fn byte_sum(input: &[u8]) -> Vec<u8> {
	let sum: u16 = input.iter().map(|b| *b as u16).sum();
	sum.to_le_bytes().to_vec()
}

/// The circuit; `input` and `claimed_output` are `None` during setup.
#[derive(Clone)]
struct ByteSum {
	input: Option<[u8; INPUT_LEN]>,
	claimed_output: Option<[u8; OUTPUT_LEN]>,
}

fn le_value(bytes: &[u8]) -> Fr {
	bytes.iter().rev().fold(Fr::from(0u64), |acc, b| acc * Fr::from(256u64) + Fr::from(*b as u64))
}

impl ConstraintSynthesizer<Fr> for ByteSum {
	fn generate_constraints(self, cs: ConstraintSystemRef<Fr>) -> Result<(), SynthesisError> {
		let missing = || SynthesisError::AssignmentMissing;
		let lengths = Fr::from(INPUT_LEN as u64 | ((OUTPUT_LEN as u64) << 32));
		let lengths_var = cs.new_input_variable(|| Ok(lengths))?;
		let packed_input = cs.new_input_variable(|| self.input.map(|i| le_value(&i)).ok_or_else(missing))?;
		let packed_output =
			cs.new_input_variable(|| self.claimed_output.map(|o| le_value(&o)).ok_or_else(missing))?;

		// lengths = the constant of this model.
		cs.enforce_r1cs_constraint(|| lc!() + lengths_var, || lc!() + Variable::One, || lc!() + (lengths, Variable::One))?;

		let mut input_lc = LinearCombination::<Fr>::zero();
		let mut sum_lc = LinearCombination::<Fr>::zero();
		for byte in 0..INPUT_LEN {
			for bit in 0..8 {
				let value = self.input.map(|i| (i[byte] >> bit) & 1 == 1);
				let b = cs.new_witness_variable(|| value.map(Fr::from).ok_or_else(missing))?;
				// b · (b − 1) = 0
				cs.enforce_r1cs_constraint(|| lc!() + b, || lc!() + b + (-Fr::one(), Variable::One), || lc!())?;
				input_lc = input_lc + (Fr::from(2u64).pow([(8 * byte + bit) as u64]), b);
				sum_lc = sum_lc + (Fr::from(1u64 << bit), b);
			}
		}
		cs.enforce_r1cs_constraint(|| input_lc, || lc!() + Variable::One, || lc!() + packed_input)?;
		cs.enforce_r1cs_constraint(|| sum_lc, || lc!() + Variable::One, || lc!() + packed_output)?;
		Ok(())
	}
}

/// Sets up the model's keys (seeded); returns the proving key and the chain's verifying key.
pub fn setup() -> (ProvingKey<Bn254>, VerifyingKey) {
	let mut rng = StdRng::seed_from_u64(42);
	let (pk, vk) = Groth16::<Bn254>::setup(ByteSum { input: None, claimed_output: None }, &mut rng)
		.expect("the circuit synthesizes; qed");
	(pk, encode::verifying_key(&vk))
}

/// What a worker submits for `input` when it claims `claimed_output`: a real proof, which only
/// verifies when `claimed_output` is the true byte sum of `input`.
pub fn prove(pk: &ProvingKey<Bn254>, input: &[u8], claimed_output: &[u8]) -> Proof {
	let mut rng = StdRng::seed_from_u64(7);
	let circuit = ByteSum {
		input: Some(input.try_into().expect("4 input bytes")),
		claimed_output: Some(claimed_output.try_into().expect("2 output bytes")),
	};
	encode::proof(&Groth16::<Bn254>::prove(pk, circuit, &mut rng).expect("proving runs; qed"))
}
