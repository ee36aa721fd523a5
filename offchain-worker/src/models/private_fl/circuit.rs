//! The member's circuit: one Groth16 statement that the job's output is the masked, noised,
//! clipped training step of the committed rows from the job's parameters ([`super`] has the
//! formula, [`super::step`] the same computation natively).
//!
//! Public inputs are the chain's usual zk-job statement (`aichain_zk_circuits::JobStatement`):
//! the input bytes (parameters, nonce, data commitment, peers) and the output words. The
//! witness is the member's rows, salt, seeds and noise, and the intermediate values. What each
//! part costs is in `docs/federated-learning.md` (measured by `constraint_count`).

use super::{
	data::Row,
	masks::{element_high_limit, MASK_ELEMENTS, WORDS_PER_ELEMENT},
	poseidon::{self, constant, hash_var, lc_of, value_of, var},
	step::{clamp, residual, MemberInput, MemberSecrets},
	FEATURES, FEATURE_BITS, INPUT_LEN, LR_SHIFT, MAX_PEERS, MAX_ROWS, NOISE_BOUND, OUTPUT_LEN, PARAMETERS, RESIDUAL_CLIP,
	ROWS_PER_ELEMENT, ROW_BITS, UPDATE_CLIP, WEIGHT_FRAC,
};
use crate::Result;
use aichain_zk_circuits::{boolean_bits, enforce_equal, i32_inputs, pow2, recompose, signed, I32Output, JobStatement};
use ark_bn254::Fr;
use ark_ff::One;
use ark_r1cs_std::fields::fp::{AllocatedFp, FpVar};
use ark_relations::{
	gr1cs::{ConstraintSynthesizer, ConstraintSystemRef, LinearCombination, SynthesisError, Variable},
	lc,
};

/// Bits bounding a residual's distance from `±R`: `|e| < 30·2^31·8 + 2^31 + 2^16 < 2^39`.
const RESIDUAL_BITS: usize = 40;
/// Bits bounding a summed gradient: `|g| ≤ 184 · 2^16 · 8 < 2^27` (a bit of headroom).
const GRADIENT_BITS: usize = 28;
/// Bits bounding an unclipped update's distance from `±C`: `|u| ≤ 2^12 + 1`.
const UPDATE_BITS: usize = 15;
/// Bits of the sum before it is cut to 32 bits: `0 ≤ u + n + Σ ±mask + 2^34 < 7·2^32 < 2^35`.
const SUM_BITS: usize = 35;

/// A member's claim: `input` and `output` public, `secrets` the witness (all `None` for key
/// generation).
#[derive(Clone, Default)]
pub struct MemberCircuit {
	/// The job's input.
	pub input: Option<MemberInput>,
	/// The claimed output words.
	pub output: Option<[u32; PARAMETERS]>,
	/// The member's rows, salt, seeds and noise.
	pub secrets: Option<MemberSecrets>,
}

/// The output words' bytes (little-endian `u32`s).
pub fn output_bytes(output: &[u32; PARAMETERS]) -> Vec<u8> {
	output.iter().flat_map(|w| w.to_le_bytes()).collect()
}

/// `v` clamped to `±bound` in R1CS, for `|v ± bound| < 2^bits`: two range checks decide
/// `v ≥ −bound` and `v ≤ bound`, and the result is `v`, `−bound` or `bound`.
fn clamp_gadget(
	cs: &ConstraintSystemRef<Fr>,
	v: LinearCombination<Fr>,
	value: Option<i128>,
	bound: i128,
	bits: usize,
) -> Result<(LinearCombination<Fr>, Option<i128>), SynthesisError> {
	let offset = 1i128 << bits;
	let above_low = boolean_bits(cs, value.map(|v| (v + bound + offset) as u128), bits + 1)?;
	enforce_equal(cs, recompose(&above_low), v.clone() + (signed(bound + offset), Variable::One))?;
	let below_high = boolean_bits(cs, value.map(|v| (bound - v + offset) as u128), bits + 1)?;
	enforce_equal(cs, recompose(&below_high), v.clone() * (-Fr::one()) + (signed(bound + offset), Variable::One))?;
	let (t1, t2) = (above_low[bits], below_high[bits]);
	let inside = cs.new_witness_variable(|| value.map(|v| Fr::from((v >= -bound && v <= bound) as u64)).ok_or(SynthesisError::AssignmentMissing))?;
	cs.enforce_r1cs_constraint(|| lc!() + t1, || lc!() + t2, || lc!() + inside)?;
	let kept = cs.new_witness_variable(|| value.map(|v| signed(if (-bound..=bound).contains(&v) { v } else { 0 })).ok_or(SynthesisError::AssignmentMissing))?;
	cs.enforce_r1cs_constraint(|| lc!() + inside, || v, || lc!() + kept)?;
	// kept − bound·(1 − t1) + bound·(1 − t2) = kept + bound·t1 − bound·t2
	let clamped = lc!() + kept + (signed(bound), t1) + (signed(-bound), t2);
	Ok((clamped, value.map(|v| clamp(v, bound))))
}

/// A witness field variable for the sponge gadget.
fn witness_fp(cs: &ConstraintSystemRef<Fr>, value: Option<Fr>) -> Result<FpVar<Fr>, SynthesisError> {
	let variable = cs.new_witness_variable(|| value.ok_or(SynthesisError::AssignmentMissing))?;
	Ok(FpVar::Var(AllocatedFp::new(value, variable, cs.clone())))
}

/// The little-endian bits of input bytes `range`, as one number (a field element for 32 bytes).
fn number(bits: &[Vec<Variable>], range: core::ops::Range<usize>) -> LinearCombination<Fr> {
	recompose(&bits[range].iter().flatten().copied().collect::<Vec<_>>())
}

impl ConstraintSynthesizer<Fr> for MemberCircuit {
	fn generate_constraints(self, cs: ConstraintSystemRef<Fr>) -> Result<(), SynthesisError> {
		let missing = || SynthesisError::AssignmentMissing;
		let input_bytes = self.input.as_ref().map(MemberInput::encode);
		let output_bytes = self.output.as_ref().map(output_bytes);
		let statement = JobStatement::allocate(&cs, input_bytes.as_deref(), INPUT_LEN, output_bytes.as_deref(), OUTPUT_LEN)?;
		let bits = statement.input_bytes(&cs, input_bytes.as_deref(), INPUT_LEN)?;
		let known = self.input.as_ref().zip(self.secrets.as_ref());

		// The public input: parameters, nonce, data commitment, peers.
		let parameters = i32_inputs(&cs, &bits[..4 * PARAMETERS], &[32; PARAMETERS])?;
		let mut at = 4 * PARAMETERS;
		let nonce = number(&bits, at..at + 8);
		at += 8;
		let data_commitment = number(&bits, at..at + 32);
		at += 32;
		let mut peers = Vec::with_capacity(MAX_PEERS);
		for _ in 0..MAX_PEERS {
			let commitment = number(&bits, at..at + 32);
			let role = &bits[at + 32];
			for bit in &role[2..] {
				enforce_equal(&cs, lc!() + *bit, lc!())?;
			}
			// Not both add and subtract.
			cs.enforce_r1cs_constraint(|| lc!() + role[0], || lc!() + role[1], || lc!())?;
			peers.push((commitment, role[0], role[1]));
			at += 33;
		}

		// The rows as bits, and the data commitment they and the salt open.
		let rows: Vec<Option<Row>> = (0..MAX_ROWS).map(|i| self.secrets.as_ref().map(|s| s.rows[i])).collect();
		let row_bits = rows.iter().map(|row| boolean_bits(&cs, row.map(|r| r.packed()), ROW_BITS)).collect::<Result<Vec<_>, _>>()?;
		let mut elements = vec![constant(poseidon::DOMAIN_DATA), witness_fp(&cs, self.secrets.as_ref().map(|s| s.salt))?];
		for (pair, values) in row_bits.chunks(ROWS_PER_ELEMENT).zip(rows.chunks(ROWS_PER_ELEMENT)) {
			let lc = pair.iter().enumerate().fold(lc!(), |acc, (k, b)| acc + recompose(b) * pow2(k * ROW_BITS));
			let value = values.iter().rev().try_fold(Fr::from(0u64), |acc, row| row.map(|r| acc * pow2(ROW_BITS) + Fr::from(r.packed())));
			elements.push(var(&cs, lc, value)?);
		}
		let commitment = hash_var(&cs, &elements, 1)?;
		enforce_equal(&cs, lc_of(&commitment[0]), data_commitment)?;

		let feature = |i: usize, j: usize| recompose(&row_bits[i][FEATURE_BITS * j..FEATURE_BITS * (j + 1)]) + (-pow2(3), Variable::One);

		// Clipped residuals of present rows: ē_i = p_i · clip_R(w·x_i + b − t_i).
		let mut residuals = Vec::with_capacity(MAX_ROWS);
		for i in 0..MAX_ROWS {
			let (label, present) = (row_bits[i][FEATURES * FEATURE_BITS], row_bits[i][FEATURES * FEATURE_BITS + 1]);
			// t = (2·label − 1)·2^16
			let mut e = parameters[FEATURES].clone() + (-pow2(WEIGHT_FRAC as usize + 1), label) + (pow2(WEIGHT_FRAC as usize), Variable::One);
			for j in 0..FEATURES {
				let product = cs.new_witness_variable(|| {
					known.map(|(input, s)| signed(input.parameters[j] as i128 * s.rows[i].features[j] as i128)).ok_or_else(missing)
				})?;
				cs.enforce_r1cs_constraint(|| parameters[j].clone(), || feature(i, j), || lc!() + product)?;
				e = e + (Fr::one(), product);
			}
			let e_value = known.map(|(input, s)| residual(&input.parameters, &s.rows[i]));
			let (clipped, clipped_value) = clamp_gadget(&cs, e, e_value, RESIDUAL_CLIP, RESIDUAL_BITS)?;
			let kept = cs.new_witness_variable(|| {
				known.zip(clipped_value).map(|((_, s), v)| signed(if s.rows[i].present { v } else { 0 })).ok_or_else(missing)
			})?;
			cs.enforce_r1cs_constraint(|| lc!() + present, || clipped, || lc!() + kept)?;
			residuals.push((kept, known.zip(clipped_value).map(|((_, s), v)| if s.rows[i].present { v } else { 0 })));
		}

		// Summed gradients, the step and its clip.
		let mut updates = Vec::with_capacity(PARAMETERS);
		for j in 0..PARAMETERS {
			let mut gradient = lc!();
			let mut gradient_value = known.map(|_| 0i128);
			for (i, (e, e_value)) in residuals.iter().enumerate() {
				if j == FEATURES {
					gradient = gradient + (Fr::one(), *e);
					gradient_value = gradient_value.zip(*e_value).map(|(g, e)| g + e);
				} else {
					let x = rows[i].map(|r| r.features[j] as i128);
					let product = cs.new_witness_variable(|| e_value.zip(x).map(|(e, x)| signed(e * x)).ok_or_else(missing))?;
					cs.enforce_r1cs_constraint(|| lc!() + *e, || feature(i, j), || lc!() + product)?;
					gradient = gradient + (Fr::one(), product);
					gradient_value = gradient_value.zip(e_value.zip(x)).map(|(g, (e, x))| g + e * x);
				}
			}
			// gradient + 2^G = Σ bits, so ⌊gradient / 2^s⌋ = Σ_{k≥s} bits_k·2^(k−s) − 2^(G−s).
			let offset = gradient_value.map(|g| (g + (1i128 << GRADIENT_BITS)) as u128);
			let gradient_bits = boolean_bits(&cs, offset, GRADIENT_BITS + 1)?;
			enforce_equal(&cs, recompose(&gradient_bits), gradient + (pow2(GRADIENT_BITS), Variable::One))?;
			let shift = LR_SHIFT as usize;
			let step = recompose(&gradient_bits[shift..]) * (-Fr::one()) + (pow2(GRADIENT_BITS - shift), Variable::One);
			let step_value = gradient_value.map(|g| -(g >> LR_SHIFT));
			updates.push(clamp_gadget(&cs, step, step_value, UPDATE_CLIP, UPDATE_BITS)?);
		}

		// Noise within ±NOISE_BOUND.
		let noise_bits = NOISE_BOUND.trailing_zeros() as usize + 1;
		let noise = (0..PARAMETERS)
			.map(|j| {
				let shifted = self.secrets.as_ref().map(|s| (s.noise[j] as i128 + NOISE_BOUND) as u128);
				let bits = boolean_bits(&cs, shifted, noise_bits)?;
				Ok((recompose(&bits) + (signed(-NOISE_BOUND), Variable::One), self.secrets.as_ref().map(|s| s.noise[j] as i128)))
			})
			.collect::<Result<Vec<_>, SynthesisError>>()?;

		// Masks of committed seeds: each peer slot's signed words.
		let high_limit = element_high_limit();
		let nonce_var = var(&cs, nonce, self.input.as_ref().map(|i| Fr::from(i.nonce)))?;
		let mut contributions: Vec<Vec<(Variable, Option<i128>)>> = vec![Vec::new(); PARAMETERS];
		for (k, (commitment, add, subtract)) in peers.iter().enumerate() {
			let seed = witness_fp(&cs, self.secrets.as_ref().map(|s| s.seeds[k]))?;
			let opened = hash_var(&cs, &[constant(poseidon::DOMAIN_SEED), seed.clone()], 1)?;
			// An active slot's seed opens its commitment: (opened − commitment)·(add + subtract) = 0.
			cs.enforce_r1cs_constraint(|| lc_of(&opened[0]) + commitment * (-Fr::one()), || lc!() + *add + *subtract, || lc!())?;
			let sign = self.input.as_ref().map(|i| i.peers[k].role.sign() as i128);
			let squeezed = hash_var(&cs, &[constant(poseidon::DOMAIN_MASK), seed, nonce_var.clone()], MASK_ELEMENTS)?;
			let mut word = 0;
			for element in &squeezed {
				let value = value_of(element).map(super::masks::cut);
				let mut parts = lc!();
				let mut words = Vec::with_capacity(WORDS_PER_ELEMENT);
				for w in 0..WORDS_PER_ELEMENT {
					let word_bits = boolean_bits(&cs, value.map(|(words, _)| words[w] as u128), 32)?;
					parts = parts + recompose(&word_bits) * pow2(32 * w);
					words.push((recompose(&word_bits), value.map(|(words, _)| words[w] as i128)));
				}
				let high_bits = boolean_bits(&cs, value.map(|(_, high)| high as u128), 30)?;
				parts = parts + recompose(&high_bits) * pow2(224);
				enforce_equal(&cs, parts, lc_of(element))?;
				// In an active slot, high ≤ ⌊p / 2^224⌋ − 1, so the cut is the element's only one
				// (an absent slot's words are multiplied by 0: its cut need not be unique).
				let headroom = boolean_bits(&cs, value.map(|(_, high)| (high_limit - 1).saturating_sub(high) as u128), 30)?;
				cs.enforce_r1cs_constraint(
					|| recompose(&headroom) + recompose(&high_bits) + (-Fr::from(high_limit - 1), Variable::One),
					|| lc!() + *add + *subtract,
					|| lc!(),
				)?;
				for (word_lc, word_value) in words {
					if word == PARAMETERS {
						break;
					}
					let signed_word = cs.new_witness_variable(|| sign.zip(word_value).map(|(s, w)| signed(s * w)).ok_or_else(missing))?;
					cs.enforce_r1cs_constraint(|| lc!() + *add + (-Fr::one(), *subtract), || word_lc, || lc!() + signed_word)?;
					contributions[word].push((signed_word, sign.zip(word_value).map(|(s, w)| s * w)));
					word += 1;
				}
			}
		}

		// The output: (update + noise + Σ ±mask + 4·2^32) mod 2^32, as a two's-complement word.
		let mut output = I32Output::new(statement.output.len());
		for j in 0..PARAMETERS {
			let (update, update_value) = &updates[j];
			let (noise_lc, noise_value) = &noise[j];
			let mut total = update.clone() + noise_lc.clone() + (pow2(34), Variable::One);
			let mut total_value = update_value.zip(*noise_value).map(|(u, n)| u + n + (1i128 << 34));
			for (contribution, value) in &contributions[j] {
				total = total + (Fr::one(), *contribution);
				total_value = total_value.zip(*value).map(|(t, c)| t + c);
			}
			let total_bits = boolean_bits(&cs, total_value.map(|t| t as u128), SUM_BITS)?;
			enforce_equal(&cs, recompose(&total_bits), total)?;
			let word = recompose(&total_bits[..31]) + (-pow2(31), total_bits[31]);
			output.push(&cs, self.output.map(|o| o[j] as i32), word)?;
		}
		output.finish(&cs, &statement.output)
	}
}

/// The number of constraints of the member's circuit.
pub fn constraint_count() -> Result<usize> {
	let cs = ark_relations::gr1cs::ConstraintSystem::<Fr>::new_ref();
	cs.set_mode(ark_relations::gr1cs::SynthesisMode::Setup);
	MemberCircuit::default().generate_constraints(cs.clone())?;
	cs.finalize();
	Ok(cs.num_constraints())
}

/// Whether a claim satisfies the circuit (checked without proving).
pub fn is_satisfied(input: &MemberInput, output: [u32; PARAMETERS], secrets: &MemberSecrets) -> Result<bool> {
	let cs = ark_relations::gr1cs::ConstraintSystem::<Fr>::new_ref();
	MemberCircuit { input: Some(input.clone()), output: Some(output), secrets: Some(secrets.clone()) }.generate_constraints(cs.clone())?;
	Ok(cs.is_satisfied()?)
}

