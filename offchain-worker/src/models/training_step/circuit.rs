//! The training step's arithmetic and circuit: one full-batch gradient step of a linear model on a committed
//! shard, in fixed point, and its Groth16 circuit.
//!
//! The model scores `FEATURES = 16` byte features: `score = w · x + b`, with `w` and `b` at
//! scale `2^16`. A shard is `SHARD = 8` samples of 16 feature bytes and a target byte `y`
//! (`0` or `1`). One step of least squares, learning rate `2^-LR_SHIFT`:
//!
//! ```text
//! e_i  = w · x_i + b − y_i · 2^16
//! w_j' = w_j − ⌊(Σ_i e_i · x_ij) / 2^LR_SHIFT⌋
//! b'   = b   − ⌊(Σ_i e_i) / 2^LR_SHIFT⌋
//! ```
//!
//! A job's input is `w, b` (17 little-endian `i32`, 68 bytes) followed by the shard (8 × 17
//! bytes), 204 bytes; its output is `w', b'` (68 bytes). The public inputs are, as for every zk
//! job, the packed input and output: the shard is committed to by being part of the statement.
//! A step whose new weights would leave the `i32` range has no proof; [`step`] refuses it.
//!
//! The size was chosen to prove quickly on 2 cores: about 3,700 constraints (the input bytes as
//! bits, 256 multiplications, the gradients' floor divisions and the outputs' range checks).

use crate::{Error, Result};
use aichain_zk_circuits::{boolean_bits, enforce_equal, pow2, recompose, signed, I32Output, JobStatement};
use aichain_compute::fixed;
use ark_bn254::Fr;
use ark_ff::One;
use ark_relations::{
	gr1cs::{ConstraintSynthesizer, ConstraintSystemRef, SynthesisError, Variable},
	lc,
};

/// Features per sample.
pub const FEATURES: usize = 16;
/// Samples per shard.
pub const SHARD: usize = 8;
/// Fractional bits of the weights.
pub const WEIGHT_FRAC: u32 = 16;
/// The learning rate is `2^-LR_SHIFT`: a step lowers the shard's squared error while
/// `2^-LR_SHIFT` times the largest eigenvalue of the shard's `XᵀX` stays below 2. For the 4×4
/// digit features of the tests (0..64) that eigenvalue is at most `Σ‖x_i‖²`, about `2^17`
/// on real shards (`2^19` only if every feature of every sample were 64), so `2^-17` descends
/// on real data and is 2× faster than the always-safe `2^-18`, which needed 3 federated rounds
/// more to move held-out accuracy at all.
pub const LR_SHIFT: u32 = 17;
/// Parameters: 16 weights and the bias.
pub const PARAMETERS: usize = FEATURES + 1;
/// Bytes of a job's input: the parameters, then the shard.
pub const INPUT_LEN: usize = 4 * PARAMETERS + SHARD * (FEATURES + 1);
/// Bytes of a job's output: the new parameters.
pub const OUTPUT_LEN: usize = 4 * PARAMETERS;
/// What identifies this circuit on chain, in place of a weights hash (the model has no weights
/// file: its parameters are part of every job's input). A model of kind `TrainingStep` whose
/// `weights_sha256` is [`circuit_id`] is run by providers with this circuit.
pub const CIRCUIT_NAME: &str = "aichain/training-step/linear-least-squares/features=16/shard=8/weights=2^-16/lr=2^-17/v1";

/// The SHA-256 of [`CIRCUIT_NAME`]: the `weights_sha256` of the training-step model, and the
/// name of its proving key in a provider's key cache.
pub fn circuit_id() -> [u8; 32] {
	use sha2::Digest;
	sha2::Sha256::digest(CIRCUIT_NAME.as_bytes()).into()
}

/// Bits bounding a gradient: `|e| < 2^31·17·255 + 2^16·255 < 2^44`, times `x ≤ 255`, summed
/// over 8 samples: below `2^55`.
const GRADIENT_BITS: usize = 56;

/// A sample of the shard.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Sample {
	/// Feature bytes.
	pub features: [u8; FEATURES],
	/// The target, 0 or 1 (any byte is accepted).
	pub target: u8,
}

/// The bytes of a training job: parameters, then the shard.
pub fn encode_input(parameters: &[i32; PARAMETERS], shard: &[Sample; SHARD]) -> Vec<u8> {
	let mut bytes = fixed::encode_i32(parameters);
	for sample in shard {
		bytes.extend_from_slice(&sample.features);
		bytes.push(sample.target);
	}
	bytes
}

/// Splits a training job's input into parameters and shard.
pub fn decode_input(input: &[u8]) -> Result<([i32; PARAMETERS], [Sample; SHARD])> {
	if input.len() != INPUT_LEN {
		return Err(Error::InputLength { expected: INPUT_LEN, got: input.len() });
	}
	let parameters: [i32; PARAMETERS] = fixed::decode_i32(&input[..4 * PARAMETERS])
		.and_then(|p| p.try_into().ok())
		.expect("68 bytes are 17 i32; qed");
	let shard = core::array::from_fn(|i| {
		let row = &input[4 * PARAMETERS + i * (FEATURES + 1)..][..FEATURES + 1];
		Sample { features: row[..FEATURES].try_into().expect("16 bytes; qed"), target: row[FEATURES] }
	});
	Ok((parameters, shard))
}

/// The residuals `e_i` and the gradient sums (16 weights, then the bias).
fn gradients(parameters: &[i32; PARAMETERS], shard: &[Sample; SHARD]) -> ([i128; SHARD], [i128; PARAMETERS]) {
	let residuals = shard.map(|s| {
		let score: i128 = s.features.iter().zip(parameters).map(|(x, w)| *x as i128 * *w as i128).sum::<i128>() +
			parameters[FEATURES] as i128;
		score - ((s.target as i128) << WEIGHT_FRAC)
	});
	let gradients = core::array::from_fn(|j| {
		shard
			.iter()
			.zip(&residuals)
			.map(|(s, e)| if j < FEATURES { e * s.features[j] as i128 } else { *e })
			.sum()
	});
	(residuals, gradients)
}

/// One training step; an error if a new parameter leaves the `i32` range.
pub fn step(parameters: &[i32; PARAMETERS], shard: &[Sample; SHARD]) -> Result<[i32; PARAMETERS]> {
	let (_, gradients) = gradients(parameters, shard);
	let mut next = [0i32; PARAMETERS];
	for j in 0..PARAMETERS {
		let value = parameters[j] as i128 - (gradients[j] >> LR_SHIFT);
		next[j] = i32::try_from(value)
			.map_err(|_| Error::OutOfRange(format!("parameter {j} would be {value}, outside i32")))?;
	}
	Ok(next)
}

/// Runs a training job: its input bytes to its output bytes.
pub fn run(input: &[u8]) -> Result<Vec<u8>> {
	let (parameters, shard) = decode_input(input)?;
	Ok(fixed::encode_i32(&step(&parameters, &shard)?))
}

/// The mean squared residual of `parameters` on `shard` (in units of `2^-16`, squared).
pub fn loss(parameters: &[i32; PARAMETERS], shard: &[Sample; SHARD]) -> f64 {
	let (residuals, _) = gradients(parameters, shard);
	residuals.iter().map(|e| (*e as f64).powi(2)).sum::<f64>() / SHARD as f64
}

/// The circuit of a claim `step(input) = output`; both `None` for key generation.
#[derive(Clone, Default)]
pub struct TrainingStepCircuit {
	/// The job's input bytes.
	pub input: Option<Vec<u8>>,
	/// The claimed new parameters.
	pub output: Option<[i32; PARAMETERS]>,
}

impl ConstraintSynthesizer<Fr> for TrainingStepCircuit {
	fn generate_constraints(self, cs: ConstraintSystemRef<Fr>) -> Result<(), SynthesisError> {
		let missing = || SynthesisError::AssignmentMissing;
		let decoded = match &self.input {
			Some(input) => Some(decode_input(input).map_err(|_| SynthesisError::Unsatisfiable)?),
			None => None,
		};
		let output_bytes = self.output.map(|o| fixed::encode_i32(&o));
		let input = self.input.as_deref();
		let statement = JobStatement::allocate(&cs, input, INPUT_LEN, output_bytes.as_deref(), OUTPUT_LEN)?;
		let input_bits = statement.input_bytes(&cs, input, INPUT_LEN)?;
		let byte = |t: usize| recompose(&input_bits[t]);
		// Parameters: two's complement of 4 bytes (the top bit weighs −2^31).
		let parameter = |p: usize| {
			(0..32).fold(lc!(), |acc, i| {
				let weight = if i == 31 { -pow2(31) } else { pow2(i) };
				acc + (weight, input_bits[4 * p + i / 8][i % 8])
			})
		};
		let feature = |i: usize, j: usize| byte(4 * PARAMETERS + i * (FEATURES + 1) + j);
		let target = |i: usize| byte(4 * PARAMETERS + i * (FEATURES + 1) + FEATURES);
		let values = decoded.map(|(p, s)| (p, s, gradients(&p, &s)));

		// Residuals e_i = Σ_j w_j·x_ij + b − 2^16·y_i: one product per (i, j).
		let mut residuals = Vec::with_capacity(SHARD);
		for i in 0..SHARD {
			let mut residual = parameter(FEATURES) + &(target(i) * (-pow2(WEIGHT_FRAC as usize)));
			for j in 0..FEATURES {
				let product = cs.new_witness_variable(|| {
					values.map(|(p, s, _)| signed(p[j] as i128 * s[i].features[j] as i128)).ok_or_else(missing)
				})?;
				cs.enforce_r1cs_constraint(|| parameter(j), || feature(i, j), || lc!() + product)?;
				residual = residual + (Fr::one(), product);
			}
			let e = cs.new_witness_variable(|| values.map(|(_, _, (r, _))| signed(r[i])).ok_or_else(missing))?;
			enforce_equal(&cs, residual, lc!() + e)?;
			residuals.push(e);
		}

		// Gradients, the floor division by 2^LR_SHIFT, and the new parameters as the output.
		let shift = LR_SHIFT as usize;
		let mut output = I32Output::new(statement.output.len());
		for j in 0..PARAMETERS {
			let mut gradient = lc!();
			for (i, e) in residuals.iter().enumerate() {
				if j == FEATURES {
					gradient = gradient + (Fr::one(), *e);
				} else {
					let product = cs.new_witness_variable(|| {
						values.map(|(_, s, (r, _))| signed(r[i] * s[i].features[j] as i128)).ok_or_else(missing)
					})?;
					cs.enforce_r1cs_constraint(|| lc!() + *e, || feature(i, j), || lc!() + product)?;
					gradient = gradient + (Fr::one(), product);
				}
			}
			// gradient + 2^G = Σ bits, so ⌊gradient / 2^s⌋ = Σ_{k≥s} bits_k·2^(k−s) − 2^(G−s).
			let offset = values.map(|(_, _, (_, g))| (g[j] + (1i128 << GRADIENT_BITS)) as u128);
			let bits = boolean_bits(&cs, offset, GRADIENT_BITS + 1)?;
			enforce_equal(&cs, recompose(&bits), gradient + (pow2(GRADIENT_BITS), Variable::One))?;
			let quotient = recompose(&bits[shift..]) + (-pow2(GRADIENT_BITS - shift), Variable::One);
			output.push(&cs, self.output.map(|o| o[j]), parameter(j) + &(quotient * (-Fr::one())))?;
		}
		output.finish(&cs, &statement.output)
	}
}

/// The number of constraints of the training-step circuit.
pub fn constraint_count() -> Result<usize> {
	let cs = ark_relations::gr1cs::ConstraintSystem::<Fr>::new_ref();
	cs.set_mode(ark_relations::gr1cs::SynthesisMode::Setup);
	TrainingStepCircuit::default().generate_constraints(cs.clone())?;
	cs.finalize();
	Ok(cs.num_constraints())
}

/// Whether the claim `step(input) = output` satisfies the circuit (checked without proving).
pub fn is_satisfied(input: &[u8], output: [i32; PARAMETERS]) -> Result<bool> {
	let cs = ark_relations::gr1cs::ConstraintSystem::<Fr>::new_ref();
	TrainingStepCircuit { input: Some(input.to_vec()), output: Some(output) }.generate_constraints(cs.clone())?;
	Ok(cs.is_satisfied()?)
}
