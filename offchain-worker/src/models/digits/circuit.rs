//! The Groth16 circuit of one quantized digits inference: it proves `output = model(input)`
//! for the fixed-point model of [`super::quantized`], whose weights are circuit constants (so
//! the verifying key belongs to one model, identified on chain by its weights' SHA-256).
//!
//! Public inputs are exactly what the jobs pallet builds on chain,
//! [`aichain_compute::zk_public_inputs`]`(input, output)`: the lengths word, the 64 input bytes
//! packed 31 per scalar (3 scalars) and the 40 output bytes packed likewise (2 scalars).
//!
//! Constraints, with `B` = [`super::quantized::Ranges::hidden_bits`] and `S` =
//! [`super::quantized::HIDDEN_SHIFT`]:
//! - each input byte is 8 boolean bits, and the bytes recompose the packed input scalars;
//! - each hidden accumulator `a = w1q · x + b1q` is a linear combination of the input bits
//!   (weights are constants: no multiplication); `a + 2^B` is decomposed into `B + 1` bits,
//!   whose top bit `s` is 1 exactly when `a ≥ 0`; the activation is `h = s · ⌊a / 2^S⌋`, one
//!   multiplication of `s` with the bits above `S` (this is [`aichain_compute::fixed::relu_rescale`]);
//! - each logit `z = w2q · h + b2q` is a linear combination; `z + 2^31` is decomposed into 32
//!   bits (so `z` is an `i32`), and its little-endian two's-complement bytes (the same bits with
//!   the top one flipped) recompose the packed output scalars.
//!
//! About `64·8 + 32·(B + 2) + 10·32 + 6` constraints: 1,690 for `B = 22`.

use super::{
	dataset::{CLASSES, PIXELS},
	mlp::HIDDEN,
	quantized::{QuantizedMlp, HIDDEN_SHIFT, INPUT_LEN, OUTPUT_LEN},
};
use crate::Result;
use aichain_zk_circuits::{boolean_bits, enforce_equal, pow2, recompose, I32Output, JobStatement};
use aichain_compute::fixed;
use ark_bn254::Fr;
use ark_relations::{
	gr1cs::{ConstraintSynthesizer, ConstraintSystemRef, LinearCombination, SynthesisError, Variable},
	lc,
};

/// The circuit for one model; `input` and `output` are `None` for key generation.
#[derive(Clone)]
pub struct MlpCircuit<'a> {
	/// The model (its weights are constants of the circuit).
	pub model: &'a QuantizedMlp,
	/// The job's input.
	pub input: Option<[u8; INPUT_LEN]>,
	/// The claimed output: the ten logits.
	pub output: Option<[i32; CLASSES]>,
}

impl<'a> MlpCircuit<'a> {
	/// The circuit shape, for key generation.
	pub fn for_setup(model: &'a QuantizedMlp) -> Self {
		Self { model, input: None, output: None }
	}

	/// The circuit of a claim that `model(input) = output` (satisfiable only if it is true).
	pub fn for_claim(model: &'a QuantizedMlp, input: [u8; INPUT_LEN], output: [i32; CLASSES]) -> Self {
		Self { model, input: Some(input), output: Some(output) }
	}
}

impl ConstraintSynthesizer<Fr> for MlpCircuit<'_> {
	fn generate_constraints(self, cs: ConstraintSystemRef<Fr>) -> Result<(), SynthesisError> {
		let model = self.model;
		let ranges = model.ranges().map_err(|_| SynthesisError::Unsatisfiable)?;
		let hidden_bits = ranges.hidden_bits as usize;
		let shift = HIDDEN_SHIFT as usize;
		let input = self.input.as_ref().map(|i| &i[..]);
		let output_bytes = self.output.map(|o| fixed::encode_i32(&o));
		let statement = JobStatement::allocate(&cs, input, INPUT_LEN, output_bytes.as_deref(), OUTPUT_LEN)?;
		let pixels: Vec<LinearCombination<Fr>> =
			statement.input_bytes(&cs, input, INPUT_LEN)?.iter().map(|bits| recompose(bits)).collect();

		// Hidden layer: accumulate, then ReLU and rescale through a bit decomposition.
		let accumulators = self.input.map(|i| model.hidden_accumulators(&i));
		let mut hidden = Vec::with_capacity(HIDDEN);
		for k in 0..HIDDEN {
			let row = &model.w1[k * PIXELS..(k + 1) * PIXELS];
			let accumulator = row
				.iter()
				.zip(&pixels)
				.fold(lc!() + (Fr::from(model.b1[k] as i64), Variable::One), |acc, (w, x)| {
					acc + &(x.clone() * Fr::from(*w as i64))
				});
			let offset = accumulators.map(|a| (a[k] + (1i64 << hidden_bits)) as u128);
			let bits = boolean_bits(&cs, offset, hidden_bits + 1)?;
			enforce_equal(&cs, recompose(&bits), accumulator + (pow2(hidden_bits), Variable::One))?;
			let sign = bits[hidden_bits];
			let above_shift = recompose(&bits[shift.min(hidden_bits)..hidden_bits]);
			let activation = cs.new_witness_variable(|| {
				accumulators
					.map(|a| Fr::from(fixed::relu_rescale(a[k], HIDDEN_SHIFT)))
					.ok_or(SynthesisError::AssignmentMissing)
			})?;
			cs.enforce_r1cs_constraint(|| lc!() + sign, || above_shift, || lc!() + activation)?;
			hidden.push(activation);
		}

		// Output layer: the logits, as i32s packed into the output.
		let mut output = I32Output::new(statement.output.len());
		for j in 0..CLASSES {
			let row = &model.w2[j * HIDDEN..(j + 1) * HIDDEN];
			let logit = row
				.iter()
				.zip(&hidden)
				.fold(lc!() + (Fr::from(model.b2[j] as i64), Variable::One), |acc, (w, h)| {
					acc + (Fr::from(*w as i64), *h)
				});
			output.push(&cs, self.output.map(|o| o[j]), logit)?;
		}
		output.finish(&cs, &statement.output)
	}
}

/// The number of constraints of `model`'s circuit.
pub fn constraint_count(model: &QuantizedMlp) -> Result<usize> {
	let cs = ark_relations::gr1cs::ConstraintSystem::<Fr>::new_ref();
	cs.set_mode(ark_relations::gr1cs::SynthesisMode::Setup);
	MlpCircuit::for_setup(model).generate_constraints(cs.clone())?;
	cs.finalize();
	Ok(cs.num_constraints())
}

/// Whether the claim `model(input) = output` satisfies the circuit (checked without proving).
pub fn is_satisfied(model: &QuantizedMlp, input: [u8; INPUT_LEN], output: [i32; CLASSES]) -> Result<bool> {
	let cs = ark_relations::gr1cs::ConstraintSystem::<Fr>::new_ref();
	MlpCircuit::for_claim(model, input, output).generate_constraints(cs.clone())?;
	Ok(cs.is_satisfied()?)
}
