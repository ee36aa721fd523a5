//! The errors of decoding and verification. Each kind of bad input has its own variant so that
//! callers (pallets, clients) can report precisely what was wrong.

use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use scale_info::TypeInfo;

/// Why a key, proof or statement was rejected.
#[derive(
	Clone, Copy, Debug, PartialEq, Eq, Encode, Decode, DecodeWithMemTracking, TypeInfo, MaxEncodedLen,
)]
pub enum Error {
	/// A byte string had the wrong length for what it should hold.
	InvalidLength,
	/// A SCALE-encoded key, proof, statement or batch could not be decoded.
	MalformedEncoding,
	/// A field element (coordinate or scalar) was not the canonical encoding: its value was
	/// at least the field modulus.
	NonCanonicalFieldElement,
	/// The flag bits of a compressed point were invalid (both set, or "infinity" with a
	/// non-zero coordinate).
	InvalidPointFlags,
	/// A compressed point's x coordinate has no matching y: the point is not on the curve.
	PointNotOnCurve,
	/// A point is on the curve but not in the prime-order subgroup.
	PointNotInSubgroup,
	/// The number of public inputs does not match the verifying key.
	PublicInputCountMismatch,
	/// A verifying key had no `gamma_abc_g1` element (it needs one per public input plus one).
	EmptyVerifyingKey,
	/// A batch to verify was empty.
	EmptyBatch,
	/// A runtime API call asked for more work than one call may do (more statements than
	/// [`crate::runtime_api::MAX_STATEMENTS`] or a key with more public inputs than
	/// [`crate::runtime_api::MAX_PUBLIC_INPUTS`]).
	TooLarge,
	/// The proof is well-formed but does not verify for this key and these public inputs
	/// (for a batch: at least one proof of the batch does not verify).
	ProofRejected,
	/// A statement of a prepared batch named a key the batch does not carry.
	KeyIndexOutOfRange,
}

impl Error {
	/// A short description of the error, for logs and CLIs.
	pub fn as_str(&self) -> &'static str {
		match self {
			Error::InvalidLength => "wrong length",
			Error::MalformedEncoding => "malformed SCALE encoding",
			Error::NonCanonicalFieldElement => "non-canonical field element",
			Error::InvalidPointFlags => "invalid point flags",
			Error::PointNotOnCurve => "point not on curve",
			Error::PointNotInSubgroup => "point not in the prime-order subgroup",
			Error::PublicInputCountMismatch => "public input count does not match the key",
			Error::EmptyVerifyingKey => "verifying key has no gamma_abc_g1 element",
			Error::EmptyBatch => "empty batch",
			Error::TooLarge => "more work than one runtime API call may do",
			Error::ProofRejected => "proof rejected",
			Error::KeyIndexOutOfRange => "statement names a key outside the batch",
		}
	}
}

impl core::fmt::Display for Error {
	fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
		f.write_str(self.as_str())
	}
}

#[cfg(feature = "std")]
impl std::error::Error for Error {}
