//! R1CS building blocks shared by the engine's circuits: bits, the public inputs of a zk job
//! (lengths word, packed input bytes, packed output bytes, in the order of
//! [`aichain_compute::zk_public_inputs`]), and `i32` outputs range-checked and packed as
//! little-endian two's complement.

use aichain_compute::BYTES_PER_SCALAR;
use ark_bn254::Fr;
use ark_ff::{Field, One, Zero};
use ark_relations::{
	gr1cs::{ConstraintSystemRef, LinearCombination, SynthesisError, Variable},
	lc,
};

/// `2^n` in the field.
pub(crate) fn pow2(n: usize) -> Fr {
	Fr::from(2u64).pow([n as u64])
}

/// A signed integer in the field.
pub(crate) fn signed(value: i128) -> Fr {
	if value < 0 {
		-Fr::from(value.unsigned_abs())
	} else {
		Fr::from(value as u128)
	}
}

/// Allocates `bits` boolean witnesses for the low bits of `value` (LSB first), each
/// constrained to 0 or 1.
pub(crate) fn boolean_bits(
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
pub(crate) fn recompose(bits: &[Variable]) -> LinearCombination<Fr> {
	bits.iter().enumerate().fold(lc!(), |acc, (i, bit)| acc + (pow2(i), *bit))
}

/// Enforces `left = right`.
pub(crate) fn enforce_equal(
	cs: &ConstraintSystemRef<Fr>,
	left: LinearCombination<Fr>,
	right: LinearCombination<Fr>,
) -> Result<(), SynthesisError> {
	cs.enforce_r1cs_constraint(|| left, || lc!() + Variable::One, || right)
}

/// The public input scalar of up to 31 bytes, packed little-endian.
fn packed(bytes: &[u8]) -> Fr {
	bytes.iter().rev().fold(Fr::zero(), |acc, b| acc * Fr::from(256u64) + Fr::from(*b as u64))
}

/// A zk job's public inputs, allocated in the chain's order.
pub(crate) struct JobStatement {
	/// The packed input scalars.
	pub input: Vec<Variable>,
	/// The packed output scalars.
	pub output: Vec<Variable>,
}

impl JobStatement {
	/// Allocates the lengths word (constrained to `input_len`, `output_len`) and the packed
	/// input and output scalars of `input` and `output` (`None` during key generation).
	pub(crate) fn allocate(
		cs: &ConstraintSystemRef<Fr>,
		input: Option<&[u8]>,
		input_len: usize,
		output: Option<&[u8]>,
		output_len: usize,
	) -> Result<Self, SynthesisError> {
		let lengths = Fr::from(input_len as u64 | ((output_len as u64) << 32));
		let lengths_var = cs.new_input_variable(|| Ok(lengths))?;
		let scalars = |bytes: Option<&[u8]>, len: usize| -> Result<Vec<Variable>, SynthesisError> {
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
	pub(crate) fn input_bytes(
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

/// The output of a zk job as `i32`s: each value is range-checked and its little-endian
/// two's-complement bytes are packed into the output scalars.
pub(crate) struct I32Output {
	packing: Vec<LinearCombination<Fr>>,
	next: usize,
}

impl I32Output {
	/// An output packed into `scalars` scalars.
	pub(crate) fn new(scalars: usize) -> Self {
		Self { packing: vec![lc!(); scalars], next: 0 }
	}

	/// Appends the next `i32` of the output: constrains `value` (the claimed output's value) to
	/// equal `computed` and to be an `i32`, and packs its bytes.
	pub(crate) fn push(
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
			let coefficient = pow2(8 * (t % BYTES_PER_SCALAR) + i % 8);
			let slot = &mut self.packing[t / BYTES_PER_SCALAR];
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
	pub(crate) fn finish(self, cs: &ConstraintSystemRef<Fr>, scalars: &[Variable]) -> Result<(), SynthesisError> {
		for (lc, scalar) in self.packing.into_iter().zip(scalars) {
			enforce_equal(cs, lc, lc!() + *scalar)?;
		}
		Ok(())
	}
}
