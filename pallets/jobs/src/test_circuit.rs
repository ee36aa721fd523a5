//! A real circuit for zk-tier tests: the "byte-sum model" maps 4 input bytes to the 2-byte
//! little-endian sum of the bytes. Its public inputs are exactly what the jobs pallet builds
//! on chain, [`aichain_compute::zk_public_inputs`]`(input, output)`, allocated by the same
//! gadgets as every model's circuit (`aichain-zk-circuits`): the lengths, the packed input and
//! the packed output. Each input byte is a witness decomposed into 8 boolean bits, so a proof
//! exists only for the true output of the input it was made for.

use aichain_zk::{decode::encode, Proof, VerifyingKey};
use aichain_zk_circuits::{enforce_equal, recompose, JobStatement};
use ark_bn254::{Bn254, Fr};
use ark_groth16::{Groth16, ProvingKey};
use ark_relations::{
	gr1cs::{ConstraintSynthesizer, ConstraintSystemRef, LinearCombination, SynthesisError},
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

impl ConstraintSynthesizer<Fr> for ByteSum {
	fn generate_constraints(self, cs: ConstraintSystemRef<Fr>) -> Result<(), SynthesisError> {
		let input = self.input.as_ref().map(|i| &i[..]);
		let output = self.claimed_output.as_ref().map(|o| &o[..]);
		let statement = JobStatement::allocate(&cs, input, INPUT_LEN, output, OUTPUT_LEN)?;
		let bytes = statement.input_bytes(&cs, input, INPUT_LEN)?;
		// The sum is below 2^16, so its 2 little-endian bytes packed are the sum itself.
		let sum = bytes.iter().fold(LinearCombination::<Fr>::zero(), |acc, bits| acc + &recompose(bits));
		enforce_equal(&cs, sum, lc!() + statement.output[0])
	}
}

/// Sets up the model's keys (seeded); returns the proving key and the chain's verifying key.
pub fn setup() -> (ProvingKey<Bn254>, VerifyingKey) {
	setup_with_seed(42)
}

/// Sets up keys of the same circuit from another `seed`: another key, under which the first
/// key's proofs do not verify.
pub fn setup_with_seed(seed: u64) -> (ProvingKey<Bn254>, VerifyingKey) {
	let mut rng = StdRng::seed_from_u64(seed);
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
