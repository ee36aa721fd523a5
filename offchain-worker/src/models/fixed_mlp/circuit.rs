//! The Groth16 circuit of a [`FixedMlp`], built from the network itself: one code path proves
//! every fixed-point network. Weights are circuit constants, so a verifying key belongs to one
//! model file (its SHA-256 on chain).
//!
//! Public inputs are the chain's ([`aichain_compute::zk_public_inputs`]): the lengths word, the
//! input bytes and the output bytes, packed. Then:
//! - each input is its 4 bytes' 32 bits in two's complement, its bits above its `bits − 1`
//!   equal to the sign bit ([`aichain_zk_circuits::i32_inputs`]);
//! - each accumulator `a = W·x + b` is a linear combination (constant weights: no
//!   multiplication). Where the layer has a ReLU or a shift, `a + 2^B` is decomposed into
//!   `B + 1` bits (`B` from [`FixedMlp::bounds`]): the top bit is 1 exactly when `a ≥ 0`, and the
//!   bits from `shift` up are `⌊a / 2^shift⌋ + 2^(B − shift)`. A ReLU's output is the sign bit
//!   times the bits from `shift` to `B − 1` (one multiplication);
//! - each output is range-checked as an `i32` and its bytes packed ([`aichain_zk_circuits::I32Output`]).
//!
//! The count is [`FixedMlp::constraints`].

use super::network::{Activation, FixedMlp, LayerBounds};
use aichain_compute::fixed;
use aichain_zk_circuits::{boolean_bits, enforce_equal, i32_inputs, pow2, recompose, signed, I32Output, JobStatement};
use ark_bn254::Fr;
use ark_relations::{
	gr1cs::{ConstraintSystemRef, LinearCombination, SynthesisError, Variable},
	lc,
};

/// Synthesizes the circuit of `network` (with its `bounds`) for the claim `(input, output)`, or
/// its shape when `claim` is `None`.
pub fn synthesize(
	network: &FixedMlp,
	bounds: &[LayerBounds],
	claim: Option<(&[u8], &[u8])>,
	cs: ConstraintSystemRef<Fr>,
) -> Result<(), SynthesisError> {
	let (input_len, output_len) = (4 * network.inputs(), 4 * network.outputs());
	let input = claim.map(|(input, _)| input);
	let claimed = match claim {
		Some((_, output)) => Some(fixed::decode_i32(output).ok_or(SynthesisError::Unsatisfiable)?),
		None => None,
	};
	// The witnesses: every layer's accumulators, from the engine's own arithmetic.
	let trace = match input.map(fixed::decode_i32) {
		Some(Some(values)) => Some(network.trace(&values).map_err(|_| SynthesisError::Unsatisfiable)?),
		Some(None) => return Err(SynthesisError::Unsatisfiable),
		None => None,
	};
	let statement = JobStatement::allocate(&cs, input, input_len, claim.map(|(_, o)| o), output_len)?;
	let byte_bits = statement.input_bytes(&cs, input, input_len)?;
	let mut values: Vec<LinearCombination<Fr>> = i32_inputs(&cs, &byte_bits, &network.input_bits)?;

	for (index, (layer, layer_bounds)) in network.layers.iter().zip(bounds).enumerate() {
		let layer_trace = trace.as_ref().map(|t| &t[index]);
		let mut next = Vec::with_capacity(layer.outputs);
		for unit in 0..layer.outputs {
			let accumulator = layer
				.row(unit)
				.iter()
				.zip(&values)
				.fold(lc!() + (signed(layer.biases[unit] as i128), Variable::One), |acc, (w, x)| {
					acc + &(x.clone() * signed(*w as i128))
				});
			if !layer.decomposes() {
				next.push(accumulator);
				continue;
			}
			let bits_count = layer_bounds.accumulator_bits[unit] as usize;
			let shift = layer.shift as usize;
			let witness = layer_trace.map(|(accumulators, _)| accumulators[unit]);
			let offset = witness.map(|a| (a + (1i128 << bits_count)) as u128);
			let bits = boolean_bits(&cs, offset, bits_count + 1)?;
			enforce_equal(&cs, recompose(&bits), accumulator + (pow2(bits_count), Variable::One))?;
			let value = match layer.activation {
				// ⌊a / 2^shift⌋ = (bits from shift up) − 2^(B − shift).
				Activation::Identity => recompose(&bits[shift..]) + (-pow2(bits_count - shift), Variable::One),
				Activation::Relu => {
					let activation = cs.new_witness_variable(|| {
						layer_trace.map(|(_, outputs)| signed(outputs[unit])).ok_or(SynthesisError::AssignmentMissing)
					})?;
					let sign = bits[bits_count];
					cs.enforce_r1cs_constraint(|| lc!() + sign, || recompose(&bits[shift..bits_count]), || lc!() + activation)?;
					lc!() + activation
				},
			};
			next.push(value);
		}
		values = next;
	}

	let mut output = I32Output::new(statement.output.len());
	for (unit, value) in values.into_iter().enumerate() {
		output.push(&cs, claimed.as_ref().map(|c| c.get(unit).copied().unwrap_or_default()), value)?;
	}
	output.finish(&cs, &statement.output)
}
