//! Types stored and exchanged by the compute-governance pallet.

use crate::predicate::Predicate;
use aichain_compute::{JobId, ModelId};
use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use frame_support::{pallet_prelude::Get, BoundedVec, CloneNoBound, DebugNoBound, EqNoBound, PartialEqNoBound};
use scale_info::TypeInfo;

/// Id of a governance request (a counter, never reused).
pub type RequestId = u32;

/// What the chain does with a request's verified output.
#[derive(
	CloneNoBound, PartialEqNoBound, EqNoBound, DebugNoBound, Encode, Decode, DecodeWithMemTracking, TypeInfo, MaxEncodedLen,
)]
#[scale_info(skip_type_params(MaxClauses))]
#[codec(mel_bound(Call: MaxEncodedLen, BlockNumber: MaxEncodedLen))]
pub enum Action<Call: Clone + PartialEq + Eq + core::fmt::Debug, BlockNumber: Clone + PartialEq + Eq + core::fmt::Debug, MaxClauses: Get<u32>> {
	/// Dispatch `if_true` with the requesting origin when `predicate` holds for the verified
	/// output, `if_false` when it does not or when the job ends without a verified output.
	Dispatch {
		/// Tested on the verified output.
		predicate: Predicate<MaxClauses>,
		/// Scheduled when the predicate holds.
		if_true: Call,
		/// Scheduled when it does not, or when the job is refunded.
		if_false: Call,
	},
	/// Keep the verified output on chain for `blocks` blocks, for later calls to act on
	/// through [`crate::Pallet::enact_if`].
	Keep {
		/// How long the result is kept, at most [`crate::Config::MaxRetention`].
		blocks: BlockNumber,
	},
}

/// An open request: its job is running.
#[derive(
	CloneNoBound, PartialEqNoBound, EqNoBound, DebugNoBound, Encode, Decode, TypeInfo, MaxEncodedLen,
)]
#[scale_info(skip_type_params(MaxClauses))]
#[codec(mel_bound(Origin: MaxEncodedLen, Call: MaxEncodedLen, BlockNumber: MaxEncodedLen))]
pub struct Request<
	Origin: Clone + PartialEq + Eq + core::fmt::Debug,
	Call: Clone + PartialEq + Eq + core::fmt::Debug,
	BlockNumber: Clone + PartialEq + Eq + core::fmt::Debug,
	MaxClauses: Get<u32>,
> {
	/// The origin that made the request: the chosen call is dispatched with it, never more.
	pub origin: Origin,
	/// The job computing the result.
	pub job: JobId,
	/// The job's model.
	pub model: ModelId,
	/// What is done with the verified output.
	pub action: Action<Call, BlockNumber, MaxClauses>,
}

/// A verified output kept on chain ([`Action::Keep`]).
#[derive(
	CloneNoBound, PartialEqNoBound, EqNoBound, DebugNoBound, Encode, Decode, TypeInfo, MaxEncodedLen,
)]
#[scale_info(skip_type_params(MaxOutput))]
#[codec(mel_bound(BlockNumber: MaxEncodedLen))]
pub struct StoredResult<BlockNumber: Clone + PartialEq + Eq + core::fmt::Debug, MaxOutput: Get<u32>> {
	/// The job that computed it.
	pub job: JobId,
	/// Its model.
	pub model: ModelId,
	/// The verified output.
	pub output: BoundedVec<u8, MaxOutput>,
	/// The last block at which calls may act on it; after it anyone may remove it.
	pub expires_at: BlockNumber,
}

/// How a request ended, in [`crate::Event::RequestSettled`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Encode, Decode, DecodeWithMemTracking, TypeInfo, MaxEncodedLen)]
pub enum Outcome {
	/// The output was verified and the predicate held: `if_true` was scheduled.
	PredicateHeld,
	/// The output was verified and the predicate did not hold: `if_false` was scheduled.
	PredicateFailed,
	/// The job ended without a verified output: `if_false` was scheduled.
	NoResult,
	/// The verified output was kept ([`Action::Keep`]).
	ResultKept,
}
