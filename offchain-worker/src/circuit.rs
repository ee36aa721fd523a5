//! The Groth16 circuit of one quantized digits inference: it proves `output = model(input)`
//! for the fixed-point model of [`crate::quantized`], whose weights are circuit constants (so
//! the verifying key belongs to one model, identified on chain by its weights' SHA-256).
//!
//! Public inputs are exactly what the jobs pallet builds on chain,
//! [`aichain_compute::zk_public_inputs`]`(input, output)`: the lengths word, the 64 input bytes
//! packed 31 per scalar (3 scalars) and the 40 output bytes packed likewise (2 scalars).
//!
//! Constraints, with `B` = [`crate::quantized::Ranges::hidden_bits`] and `S` =
//! [`crate::quantized::HIDDEN_SHIFT`]:
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

use crate::{
	dataset::{CLASSES, PIXELS},
	mlp::HIDDEN,
	quantized::{QuantizedMlp, HIDDEN_SHIFT, INPUT_LEN, OUTPUT_LEN},
	Result,
};
use aichain_compute::{fixed, BYTES_PER_SCALAR};
use ark_bn254::Fr;
use ark_ff::{Field, One, Zero};
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

/// `2^n` in the field.
fn pow2(n: usize) -> Fr {
	Fr::from(2u64).pow([n as u64])
}

/// Allocates `bits` boolean witnesses for the low bits of `value` (LSB first) and constrains
/// each to be 0 or 1; returns them.
fn boolean_bits(
	cs: &ConstraintSystemRef<Fr>,
	value: Option<u128>,
	bits: usize,
) -> Result<Vec<Variable>, SynthesisError> {
	(0..bits)
		.map(|i| {
			let bit = cs.new_witness_variable(|| {
				value.map(|v| Fr::from(((v >> i) & 1) as u64)).ok_or(SynthesisError::AssignmentMissing)
			})?;
			// bit · (bit − 1) = 0
			cs.enforce_r1cs_constraint(|| lc!() + bit, || lc!() + bit + (-Fr::one(), Variable::One), || lc!())?;
			Ok(bit)
		})
		.collect()
}

/// `Σ bits[i] · 2^i`.
fn recompose(bits: &[Variable]) -> LinearCombination<Fr> {
	bits.iter().enumerate().fold(lc!(), |acc, (i, bit)| acc + (pow2(i), *bit))
}

/// Enforces `left = right`.
fn enforce_equal(
	cs: &ConstraintSystemRef<Fr>,
	left: LinearCombination<Fr>,
	right: LinearCombination<Fr>,
) -> Result<(), SynthesisError> {
	cs.enforce_r1cs_constraint(|| left, || lc!() + Variable::One, || right)
}

/// The public input scalar of `bytes`, packed little-endian.
fn packed(bytes: &[u8]) -> Fr {
	bytes.iter().rev().fold(Fr::zero(), |acc, b| acc * Fr::from(256u64) + Fr::from(*b as u64))
}

/// Allocates the public inputs of `bytes` (`len` bytes, 31 per scalar) in order.
fn public_packed(
	cs: &ConstraintSystemRef<Fr>,
	bytes: Option<&[u8]>,
	len: usize,
) -> Result<Vec<Variable>, SynthesisError> {
	(0..len.div_ceil(BYTES_PER_SCALAR))
		.map(|s| {
			cs.new_input_variable(|| {
				bytes
					.map(|b| packed(&b[s * BYTES_PER_SCALAR..((s + 1) * BYTES_PER_SCALAR).min(len)]))
					.ok_or(SynthesisError::AssignmentMissing)
			})
		})
		.collect()
}

impl ConstraintSynthesizer<Fr> for MlpCircuit<'_> {
	fn generate_constraints(self, cs: ConstraintSystemRef<Fr>) -> Result<(), SynthesisError> {
		let model = self.model;
		let ranges = model.ranges().map_err(|_| SynthesisError::Unsatisfiable)?;
		let hidden_bits = ranges.hidden_bits as usize;
		let shift = HIDDEN_SHIFT as usize;
		let output_bytes = self.output.map(|o| fixed::encode_i32(&o));

		// Public inputs, in the order of `aichain_compute::zk_public_inputs`.
		let lengths = Fr::from(INPUT_LEN as u64 | ((OUTPUT_LEN as u64) << 32));
		let lengths_var = cs.new_input_variable(|| Ok(lengths))?;
		let input_scalars = public_packed(&cs, self.input.as_ref().map(|i| &i[..]), INPUT_LEN)?;
		let output_scalars = public_packed(&cs, output_bytes.as_deref(), OUTPUT_LEN)?;
		enforce_equal(&cs, lc!() + lengths_var, lc!() + (lengths, Variable::One))?;

		// Input bytes from bits; the bytes recompose the packed scalars.
		let mut pixels = Vec::with_capacity(PIXELS);
		let mut input_packing = vec![lc!(); input_scalars.len()];
		for t in 0..INPUT_LEN {
			let bits = boolean_bits(&cs, self.input.map(|i| i[t] as u128), 8)?;
			let byte = recompose(&bits);
			let coefficient = pow2(8 * (t % BYTES_PER_SCALAR));
			input_packing[t / BYTES_PER_SCALAR] = core::mem::take(&mut input_packing[t / BYTES_PER_SCALAR]) +
				&(byte.clone() * coefficient);
			pixels.push(byte);
		}
		for (packing, scalar) in input_packing.into_iter().zip(&input_scalars) {
			enforce_equal(&cs, packing, lc!() + *scalar)?;
		}

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
			let above_shift = bits[shift.min(hidden_bits)..hidden_bits]
				.iter()
				.enumerate()
				.fold(lc!(), |acc, (i, bit)| acc + (pow2(i), *bit));
			let activation = cs.new_witness_variable(|| {
				accumulators
					.map(|a| Fr::from(fixed::relu_rescale(a[k], HIDDEN_SHIFT)))
					.ok_or(SynthesisError::AssignmentMissing)
			})?;
			cs.enforce_r1cs_constraint(|| lc!() + sign, || above_shift, || lc!() + activation)?;
			hidden.push(activation);
		}

		// Output layer: logits as i32, their two's-complement bytes recompose the packed output.
		let mut output_packing = vec![lc!(); output_scalars.len()];
		for j in 0..CLASSES {
			let row = &model.w2[j * HIDDEN..(j + 1) * HIDDEN];
			let logit = row
				.iter()
				.zip(&hidden)
				.fold(lc!() + (Fr::from(model.b2[j] as i64), Variable::One), |acc, (w, h)| {
					acc + (Fr::from(*w as i64), *h)
				});
			let offset = self.output.map(|o| (o[j] as i64 + (1i64 << 31)) as u128);
			let bits = boolean_bits(&cs, offset, 32)?;
			enforce_equal(&cs, recompose(&bits), logit + (pow2(31), Variable::One))?;
			for (i, bit) in bits.iter().enumerate() {
				let t = 4 * j + i / 8;
				let coefficient = pow2(8 * (t % BYTES_PER_SCALAR) + i % 8);
				let packing = &mut output_packing[t / BYTES_PER_SCALAR];
				*packing = if i == 31 {
					// The sign bit of two's complement is the offset's top bit flipped.
					core::mem::take(packing) + (coefficient, Variable::One) + (-coefficient, *bit)
				} else {
					core::mem::take(packing) + (coefficient, *bit)
				};
			}
		}
		for (packing, scalar) in output_packing.into_iter().zip(&output_scalars) {
			enforce_equal(&cs, packing, lc!() + *scalar)?;
		}
		Ok(())
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
