//! # R1CS gadgets of the chain's zk models
//!
//! Every zk model's circuit proves `output = model(input)` with public inputs that the jobs
//! pallet builds **on chain**, [`aichain_compute::zk_public_inputs`]`(input, output)`. This crate
//! is the one place that layout is written in R1CS, used by the engine's circuits
//! (`aichain-offchain-worker`'s models), the jobs pallet's test circuit and anyone writing a new
//! model:
//!
//! - [`JobStatement`]: the lengths word and the packed input and output scalars, allocated in
//!   the chain's order, and the input bytes as bits;
//! - [`i32_inputs`]: input bytes read as little-endian `i32`s, range-limited to a number of bits;
//! - [`I32Output`]: `i32` outputs range-checked and packed as little-endian two's complement;
//! - bits: [`boolean_bits`], [`recompose`], [`enforce_equal`], [`pow2`], [`signed`].
#![forbid(unsafe_code)]

use aichain_compute::{zk_lengths_word, BYTES_PER_SCALAR};
use ark_bn254::Fr;
use ark_ff::{Field, One, Zero};
use ark_relations::{
	gr1cs::{ConstraintSystemRef, LinearCombination, SynthesisError, Variable},
	lc,
};

/// `2^n` in the field.
pub fn pow2(n: usize) -> Fr {
	Fr::from(2u64).pow([n as u64])
}

/// A signed integer in the field.
pub fn signed(value: i128) -> Fr {
	if value < 0 {
		-Fr::from(value.unsigned_abs())
	} else {
		Fr::from(value as u128)
	}
}

/// Allocates `bits` boolean witnesses for the low bits of `value` (LSB first), each
/// constrained to 0 or 1.
pub fn boolean_bits(
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
pub fn recompose(bits: &[Variable]) -> LinearCombination<Fr> {
	bits.iter().enumerate().fold(lc!(), |acc, (i, bit)| acc + (pow2(i), *bit))
}

/// Enforces `left = right`.
pub fn enforce_equal(
	cs: &ConstraintSystemRef<Fr>,
	left: LinearCombination<Fr>,
	right: LinearCombination<Fr>,
) -> Result<(), SynthesisError> {
	cs.enforce_r1cs_constraint(|| left, || lc!() + Variable::One, || right)
}

/// The public input scalar of up to 31 bytes, packed little-endian.
pub fn packed(bytes: &[u8]) -> Fr {
	bytes.iter().rev().fold(Fr::zero(), |acc, b| acc * Fr::from(256u64) + Fr::from(*b as u64))
}

/// A zk job's public inputs, allocated in the chain's order.
pub struct JobStatement {
	/// The packed input scalars.
	pub input: Vec<Variable>,
	/// The packed output scalars.
	pub output: Vec<Variable>,
}

impl JobStatement {
	/// Allocates the lengths word (constrained to `input_len`, `output_len`) and the packed
	/// input and output scalars of `input` and `output` (`None` during key generation).
	pub fn allocate(
		cs: &ConstraintSystemRef<Fr>,
		input: Option<&[u8]>,
		input_len: usize,
		output: Option<&[u8]>,
		output_len: usize,
	) -> Result<Self, SynthesisError> {
		let lengths = Fr::from(zk_lengths_word(input_len, output_len));
		let lengths_var = cs.new_input_variable(|| Ok(lengths))?;
		let scalars = |bytes: Option<&[u8]>, len: usize| -> Result<Vec<Variable>, SynthesisError> {
			if bytes.is_some_and(|b| b.len() != len) {
				return Err(SynthesisError::Unsatisfiable);
			}
			(0..len.div_ceil(BYTES_PER_SCALAR))
				.map(|s| {
					cs.new_input_variable(|| {
						bytes
							.map(|b| packed(&b[s * BYTES_PER_SCALAR..((s + 1) * BYTES_PER_SCALAR).min(len)]))
							.ok_or(SynthesisError::AssignmentMissing)
					})
				})
				.collect()
		};
		let statement = Self { input: scalars(input, input_len)?, output: scalars(output, output_len)? };
		enforce_equal(cs, lc!() + lengths_var, lc!() + (lengths, Variable::One))?;
		Ok(statement)
	}

	/// Allocates every input byte as 8 bits and constrains the bytes to recompose the input
	/// scalars; returns each byte's bits.
	pub fn input_bytes(
		&self,
		cs: &ConstraintSystemRef<Fr>,
		input: Option<&[u8]>,
		len: usize,
	) -> Result<Vec<Vec<Variable>>, SynthesisError> {
		let mut packing = vec![lc!(); self.input.len()];
		let mut bytes = Vec::with_capacity(len);
		for t in 0..len {
			let bits = boolean_bits(cs, input.map(|i| i[t] as u128), 8)?;
			let slot = &mut packing[t / BYTES_PER_SCALAR];
			for (i, bit) in bits.iter().enumerate() {
				*slot = core::mem::take(slot) + (pow2(8 * (t % BYTES_PER_SCALAR) + i), *bit);
			}
			bytes.push(bits);
		}
		for (lc, scalar) in packing.into_iter().zip(&self.input) {
			enforce_equal(cs, lc, lc!() + *scalar)?;
		}
		Ok(bytes)
	}
}

/// The input bytes' bits (of [`JobStatement::input_bytes`]) read as little-endian two's-complement
/// `i32`s, value `i` constrained to `bits[i]` bits (`-2^(b−1) ≤ x < 2^(b−1)`: the bits above the
/// sign bit equal it). Returns each value as a linear combination (no constraint of its own).
pub fn i32_inputs(
	cs: &ConstraintSystemRef<Fr>,
	byte_bits: &[Vec<Variable>],
	bits: &[u32],
) -> Result<Vec<LinearCombination<Fr>>, SynthesisError> {
	if byte_bits.len() != 4 * bits.len() || bits.iter().any(|b| !(1..=32).contains(b)) {
		return Err(SynthesisError::Unsatisfiable);
	}
	byte_bits
		.chunks_exact(4)
		.zip(bits)
		.map(|(value, bits)| {
			let value_bits: Vec<Variable> = value.iter().flatten().copied().collect();
			let sign = value_bits[31];
			for bit in &value_bits[*bits as usize - 1..31] {
				enforce_equal(cs, lc!() + *bit, lc!() + sign)?;
			}
			Ok(recompose(&value_bits[..31]) + (-pow2(31), sign))
		})
		.collect()
}

/// The output of a zk job as `i32`s: each value is range-checked and its little-endian
/// two's-complement bytes are packed into the output scalars.
pub struct I32Output {
	packing: Vec<LinearCombination<Fr>>,
	next: usize,
}

impl I32Output {
	/// An output packed into `scalars` scalars.
	pub fn new(scalars: usize) -> Self {
		Self { packing: vec![lc!(); scalars], next: 0 }
	}

	/// Appends the next `i32` of the output: constrains `value` (the claimed output's value) to
	/// equal `computed` and to be an `i32`, and packs its bytes.
	pub fn push(
		&mut self,
		cs: &ConstraintSystemRef<Fr>,
		value: Option<i32>,
		computed: LinearCombination<Fr>,
	) -> Result<(), SynthesisError> {
		// value + 2^31 has 32 bits; its bytes with the top bit flipped are the two's complement.
		let bits = boolean_bits(cs, value.map(|v| (v as i64 + (1i64 << 31)) as u128), 32)?;
		enforce_equal(cs, recompose(&bits), computed + (pow2(31), Variable::One))?;
		for (i, bit) in bits.iter().enumerate() {
			let t = 4 * self.next + i / 8;
			let slot = self.packing.get_mut(t / BYTES_PER_SCALAR).ok_or(SynthesisError::Unsatisfiable)?;
			let coefficient = pow2(8 * (t % BYTES_PER_SCALAR) + i % 8);
			*slot = if i == 31 {
				core::mem::take(slot) + (coefficient, Variable::One) + (-coefficient, *bit)
			} else {
				core::mem::take(slot) + (coefficient, *bit)
			};
		}
		self.next += 1;
		Ok(())
	}

	/// Constrains the packed bytes to equal the output scalars.
	pub fn finish(self, cs: &ConstraintSystemRef<Fr>, scalars: &[Variable]) -> Result<(), SynthesisError> {
		for (lc, scalar) in self.packing.into_iter().zip(scalars) {
			enforce_equal(cs, lc, lc!() + *scalar)?;
		}
		Ok(())
	}
}

#[cfg(test)]
mod tests {
	use super::*;
	use ark_relations::gr1cs::ConstraintSystem;

	/// A circuit whose output is its i32 inputs, each range-limited to `bits`.
	fn echo(input: &[u8], output: &[u8], bits: u32) -> bool {
		let bits = vec![bits; input.len() / 4];
		let cs = ConstraintSystem::<Fr>::new_ref();
		let statement = JobStatement::allocate(&cs, Some(input), input.len(), Some(output), output.len()).unwrap();
		let byte_bits = statement.input_bytes(&cs, Some(input), input.len()).unwrap();
		let values = i32_inputs(&cs, &byte_bits, &bits).unwrap();
		let claimed = aichain_compute::fixed::decode_i32(output).unwrap();
		let mut out = I32Output::new(statement.output.len());
		for (value, claim) in values.into_iter().zip(claimed) {
			out.push(&cs, Some(claim), value).unwrap();
		}
		out.finish(&cs, &statement.output).unwrap();
		cs.is_satisfied().unwrap()
	}

	#[test]
	fn i32_inputs_are_read_in_twos_complement_within_their_bits() {
		let bytes = aichain_compute::fixed::encode_i32(&[-5, 7, i32::MIN + 1]);
		assert!(echo(&bytes, &bytes, 32));
		let mut wrong = bytes.clone();
		wrong[0] ^= 1;
		assert!(!echo(&bytes, &wrong, 32), "one flipped output bit breaks the claim");
		let small = aichain_compute::fixed::encode_i32(&[-128, 127]);
		assert!(echo(&small, &small, 8));
		let big = aichain_compute::fixed::encode_i32(&[128]);
		assert!(!echo(&big, &big, 8), "128 needs 9 signed bits");
		let negative = aichain_compute::fixed::encode_i32(&[-129]);
		assert!(!echo(&negative, &negative, 8));
	}

	#[test]
	fn the_statement_is_the_chains_public_inputs() {
		let (input, output) = (vec![3u8; 40], aichain_compute::fixed::encode_i32(&[1, -2]));
		let cs = ConstraintSystem::<Fr>::new_ref();
		JobStatement::allocate(&cs, Some(&input), input.len(), Some(&output), output.len()).unwrap();
		let chain: Vec<Fr> = aichain_compute::zk_public_inputs(&input, &output)
			.iter()
			.map(|s| <Fr as ark_ff::PrimeField>::from_le_bytes_mod_order(&s.0))
			.collect();
		let instance = cs.instance_assignment().unwrap();
		assert_eq!(&instance[1..], &chain[..], "after the constant one, exactly the chain's inputs");
	}
}
