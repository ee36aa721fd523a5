//! # Shared types of the compute market
//!
//! What the runtime's market pallets (`models`, `workers`, `jobs`), the node's compute engine
//! and clients must agree on, byte for byte:
//!
//! - ids ([`ModelId`], [`JobId`]), [`ModelKind`], the verification [`Tier`] of a job;
//! - jobs over blobs: [`blob::BlobRef`], the row-output format, and the [`sketch`] by which
//!   replicas of a large output are compared;
//! - [`diloco`]: the task files and outputs of a DiLoCo language-model training's rounds;
//! - [`privacy`]: the `(ε, δ)` spent by rounds of a discrete Gaussian mechanism (Rényi-DP
//!   accounting in integers, the same on every node);
//! - [`zk_public_inputs`]: the public inputs of a zk-tier job, built **on chain** from what the
//!   requester posted (the input) and what the worker claims (the output). The worker never
//!   supplies public inputs, so a proof cannot be presented for another input or output. The
//!   circuit of a model must expose exactly these inputs.
#![cfg_attr(not(feature = "std"), no_std)]
#![forbid(unsafe_code)]

extern crate alloc;

pub mod blob;
pub mod cid;
pub mod diloco;
pub mod federated;
pub mod privacy;
pub mod sketch;

use aichain_zk::ScalarBytes;
use alloc::vec::Vec;
use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use scale_info::TypeInfo;

/// Id of a registered model (a counter, never reused).
pub type ModelId = u32;

/// Id of a job (a counter, never reused).
pub type JobId = u64;

/// What a model computes, which tells a provider's engine how to run it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Encode, Decode, DecodeWithMemTracking, TypeInfo, MaxEncodedLen)]
pub enum ModelKind {
	/// Classification: input features, output class scores or a label.
	Classifier,
	/// Sentence embeddings: input text, output a vector.
	Embedding,
	/// A training step set on a data shard: input global weights and shard, output an update.
	TrainingStep,
	/// A private-training member's masked step (`pallet-private-training`, [`federated`]):
	/// input the global parameters, the round's nonce and the member's commitments, output its
	/// masked update. Its jobs are only ever the directed jobs of a consortium's rounds: nobody
	/// else may ask a member to answer (an input under a nonce of the consortium's choosing
	/// would let a stranger spend the member's answers).
	PrivateTrainingMember,
}

/// Why a job's input is not one its model can answer.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum InputError {
	/// The input is empty.
	Empty,
	/// The input is longer than the model's `max_input_len`.
	TooLong,
	/// The model takes inputs of exactly `max_input_len` bytes and this one is shorter.
	LengthMismatch,
	/// The model takes text and the input is not UTF-8.
	NotUtf8,
}

/// Checks that a model of `kind` accepting at most `max_input_len` bytes can answer `input`,
/// so that a job the chain accepts is one an honest provider can compute:
///
/// - [`ModelKind::Classifier`], [`ModelKind::TrainingStep`] and
///   [`ModelKind::PrivateTrainingMember`] are fixed-size networks or circuits: the input is
///   exactly `max_input_len` bytes;
/// - [`ModelKind::Embedding`] takes text: non-empty UTF-8 of at most `max_input_len` bytes.
///
/// A provider that still cannot serve an input (an engine limit the chain does not know)
/// declines the job and is not slashed; the requester pays the job's fee.
pub fn validate_input(kind: ModelKind, max_input_len: u32, input: &[u8]) -> Result<(), InputError> {
	if input.is_empty() {
		return Err(InputError::Empty);
	}
	if input.len() > max_input_len as usize {
		return Err(InputError::TooLong);
	}
	match kind {
		ModelKind::Classifier | ModelKind::TrainingStep | ModelKind::PrivateTrainingMember
			if input.len() != max_input_len as usize =>
			Err(InputError::LengthMismatch),
		ModelKind::Embedding if core::str::from_utf8(input).is_err() => Err(InputError::NotUtf8),
		_ => Ok(()),
	}
}

/// Whether two outputs of a redundancy round (or a dispute) agree: byte for byte when
/// `tolerance` is 0 (integer models: every honest provider computes the same bytes), and
/// otherwise when they have the same length and every byte, read as a signed 8-bit value,
/// differs by at most `tolerance` (quantized floating-point outputs such as embeddings: CPUs
/// with other SIMD kernels, or a GPU, round a few values the other way).
pub fn outputs_agree(a: &[u8], b: &[u8], tolerance: u8) -> bool {
	if tolerance == 0 {
		return a == b;
	}
	a.len() == b.len() &&
		a.iter().zip(b).all(|(x, y)| (*x as i8 as i16 - *y as i8 as i16).unsigned_abs() <= tolerance as u16)
}

/// How a job's result is verified (and priced).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Encode, Decode, DecodeWithMemTracking, TypeInfo, MaxEncodedLen)]
pub enum Tier {
	/// A Groth16 proof of `output = model(input)`, checked on chain.
	Zk,
	/// `replicas` workers compute the same deterministic output; the majority is paid.
	Redundancy {
		/// Number of workers (at least 2).
		replicas: u8,
	},
	/// One worker; accepted after a challenge window unless a bonded challenger disputes it.
	Optimistic,
}

/// Bytes packed into one scalar: 31, so every packed value is below the BN254 scalar modulus.
pub const BYTES_PER_SCALAR: usize = 31;

/// Packs `bytes` into scalars, 31 little-endian bytes each (the last one zero-padded).
pub fn pack_bytes(bytes: &[u8]) -> impl Iterator<Item = ScalarBytes> + '_ {
	bytes.chunks(BYTES_PER_SCALAR).map(|chunk| {
		let mut scalar = [0u8; 32];
		scalar[..chunk.len()].copy_from_slice(chunk);
		ScalarBytes(scalar)
	})
}

/// Number of public inputs of a zk job with `input_len` input and `output_len` output bytes.
pub fn zk_public_input_count(input_len: usize, output_len: usize) -> usize {
	1 + input_len.div_ceil(BYTES_PER_SCALAR) + output_len.div_ceil(BYTES_PER_SCALAR)
}

/// The first public input of a zk job: `input_len + 2³²·output_len`.
pub fn zk_lengths_word(input_len: usize, output_len: usize) -> u64 {
	input_len as u64 | ((output_len as u64) << 32)
}

/// The public inputs of a zk-tier job: `[`[`zk_lengths_word`]`, pack(input)…, pack(output)…]`.
/// The lengths come first so that inputs differing only in trailing zero bytes are different
/// statements. Circuits allocate them with `aichain-zk-circuits`' `JobStatement`.
pub fn zk_public_inputs(input: &[u8], output: &[u8]) -> Vec<ScalarBytes> {
	let lengths = zk_lengths_word(input.len(), output.len());
	core::iter::once(ScalarBytes::from_u64(lengths))
		.chain(pack_bytes(input))
		.chain(pack_bytes(output))
		.collect()
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn the_mean_of_parameters_rounds_down_and_never_overflows() {
		let v = alloc::vec![alloc::vec![i32::MAX, -3, 7], alloc::vec![i32::MAX, 0, 8]];
		assert_eq!(fixed::mean_i32(&v), Some(alloc::vec![i32::MAX, -2, 7]));
		assert_eq!(fixed::mean_i32(&[alloc::vec![i32::MIN, 1], alloc::vec![i32::MIN, 0]]), Some(alloc::vec![i32::MIN, 0]));
		assert_eq!(fixed::mean_i32(&[]), None);
		assert_eq!(fixed::mean_i32(&[alloc::vec![1], alloc::vec![1, 2]]), None);
	}

	#[test]
	fn outputs_agree_exactly_or_within_the_tolerance_per_signed_byte() {
		assert!(outputs_agree(&[1, 2, 3], &[1, 2, 3], 0));
		assert!(!outputs_agree(&[1, 2, 3], &[1, 2, 4], 0));
		assert!(outputs_agree(&[1, 2, 3], &[1, 2, 4], 1));
		assert!(!outputs_agree(&[1, 2, 3], &[1, 2, 5], 1));
		// Signed: -1 (0xff) and 1 differ by 2, 127 and -128 by 255.
		assert!(outputs_agree(&[0xff], &[1], 2));
		assert!(!outputs_agree(&[0xff], &[1], 1));
		assert!(!outputs_agree(&[127], &[0x80], 254));
		assert!(!outputs_agree(&[1, 2], &[1, 2, 3], 5));
	}

	#[test]
	fn inputs_are_checked_per_model_kind() {
		use ModelKind::*;
		assert_eq!(validate_input(Classifier, 4, &[1, 2, 3, 4]), Ok(()));
		assert_eq!(validate_input(Classifier, 4, &[1, 2, 3]), Err(InputError::LengthMismatch));
		assert_eq!(validate_input(TrainingStep, 4, &[1, 2, 3]), Err(InputError::LengthMismatch));
		assert_eq!(validate_input(Classifier, 4, &[]), Err(InputError::Empty));
		assert_eq!(validate_input(Embedding, 8, b"hello"), Ok(()));
		assert_eq!(validate_input(Embedding, 4, b"hello"), Err(InputError::TooLong));
		assert_eq!(validate_input(Embedding, 8, &[0x66, 0xff, 0x6f]), Err(InputError::NotUtf8));
		assert_eq!(validate_input(Embedding, 8, &[]), Err(InputError::Empty));
	}

	#[test]
	fn public_inputs_bind_lengths_input_and_output() {
		let inputs = zk_public_inputs(&[1, 2, 3], &[9]);
		assert_eq!(inputs.len(), zk_public_input_count(3, 1));
		assert_eq!(inputs[0], ScalarBytes::from_u64(3 | (1 << 32)));
		assert_eq!(&inputs[1].0[..4], &[1, 2, 3, 0]);
		assert_eq!(inputs[2].0[0], 9);
		// A trailing zero byte is another statement.
		assert_ne!(zk_public_inputs(&[1, 2, 3, 0], &[9]), inputs);
		// 31 bytes fill one scalar, 32 need two; the top byte of every scalar is zero.
		assert_eq!(pack_bytes(&[0xff; 31]).count(), 1);
		assert_eq!(pack_bytes(&[0xff; 32]).count(), 2);
		assert!(pack_bytes(&[0xff; 100]).all(|s| s.0[31] == 0));
		assert_eq!(zk_public_input_count(64, 10), 1 + 3 + 1);
	}
}

/// Told of every accepted and paid result: the rewards pallet splits each era's pot by it.
pub trait OnVerifiedWork<AccountId, Balance> {
	/// `worker` was paid `payment` for a result the chain verified and accepted.
	fn on_verified_work(worker: &AccountId, payment: Balance);
}

impl<AccountId, Balance> OnVerifiedWork<AccountId, Balance> for () {
	fn on_verified_work(_: &AccountId, _: Balance) {}
}

/// The fixed-point arithmetic of quantized models, shared by the engine that runs them, the
/// circuits that prove them and the clients that read their outputs.
///
/// A quantized layer holds integer weights `round(w · 2^f)`; activations are integers at a
/// known power-of-two scale. Between layers, [`fixed::relu_rescale`] applies ReLU and divides by
/// `2^shift`, rounding down, so every step is exact integer arithmetic that a circuit can check.
/// Outputs are signed 32-bit integers, little-endian two's complement ([`fixed::encode_i32`]).
pub mod fixed {
	use alloc::vec::Vec;

	/// `max(acc, 0) / 2^shift`, rounded down.
	pub fn relu_rescale(acc: i64, shift: u32) -> i64 {
		if acc > 0 {
			acc >> shift
		} else {
			0
		}
	}

	/// The little-endian two's-complement bytes of `values`, 4 each.
	pub fn encode_i32(values: &[i32]) -> Vec<u8> {
		values.iter().flat_map(|v| v.to_le_bytes()).collect()
	}

	/// The `i32`s of [`encode_i32`]'s bytes; `None` if the length is not a multiple of 4.
	pub fn decode_i32(bytes: &[u8]) -> Option<Vec<i32>> {
		(bytes.len() % 4 == 0).then(|| {
			bytes.chunks_exact(4).map(|c| i32::from_le_bytes([c[0], c[1], c[2], c[3]])).collect()
		})
	}

	/// Federated averaging of parameter vectors: element by element, `⌊Σ v / n⌋` (rounded toward
	/// −∞, exact: the sum is taken in `i64`). `None` if there are no vectors or their lengths
	/// differ.
	pub fn mean_i32(vectors: &[Vec<i32>]) -> Option<Vec<i32>> {
		let first = vectors.first()?;
		if vectors.iter().any(|v| v.len() != first.len()) {
			return None;
		}
		let count = vectors.len() as i64;
		let mean = |i: usize| vectors.iter().map(|v| v[i] as i64).sum::<i64>().div_euclid(count) as i32;
		Some((0..first.len()).map(mean).collect())
	}

	/// The index of the largest value (the first one on ties): a classifier's label.
	pub fn argmax(values: &[i32]) -> Option<usize> {
		values.iter().enumerate().fold(None, |best: Option<(usize, i32)>, (i, v)| match best {
			Some((_, b)) if b >= *v => best,
			_ => Some((i, *v)),
		}).map(|(i, _)| i)
	}
}
