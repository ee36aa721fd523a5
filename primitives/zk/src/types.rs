//! The chain's encoding of Groth16 objects over BN254.
//!
//! Points are stored exactly as arkworks serializes them in compressed form (`x` little-endian
//! with the sign of `y` and the infinity flag in the two top bits of the last byte; for G2, `x`
//! is `c0 ‖ c1`). Scalars (public inputs) are 32 little-endian bytes of a canonical element of
//! the scalar field `Fr`. These wrappers only hold bytes: [`crate::decode`] turns them into
//! curve points and rejects anything malformed.

use alloc::vec::Vec;
use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use scale_info::TypeInfo;

/// Size of a compressed G1 point.
pub const G1_COMPRESSED_SIZE: usize = 32;
/// Size of a compressed G2 point.
pub const G2_COMPRESSED_SIZE: usize = 64;
/// Size of an encoded scalar (public input).
pub const SCALAR_SIZE: usize = 32;

macro_rules! byte_wrapper {
	($(#[$doc:meta])* $name:ident, $len:expr) => {
		$(#[$doc])*
		#[derive(
			Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Encode, Decode, DecodeWithMemTracking,
			TypeInfo, MaxEncodedLen,
		)]
		pub struct $name(pub [u8; $len]);

		impl core::fmt::Debug for $name {
			fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
				write!(f, "{}(0x", stringify!($name))?;
				for b in self.0.iter() {
					write!(f, "{:02x}", b)?;
				}
				write!(f, ")")
			}
		}

		impl TryFrom<&[u8]> for $name {
			type Error = crate::Error;
			fn try_from(bytes: &[u8]) -> Result<Self, crate::Error> {
				Ok(Self(bytes.try_into().map_err(|_| crate::Error::InvalidLength)?))
			}
		}
	};
}

byte_wrapper!(
	/// A compressed G1 point (32 bytes, arkworks canonical compressed form).
	G1Bytes, G1_COMPRESSED_SIZE
);
byte_wrapper!(
	/// A compressed G2 point (64 bytes, arkworks canonical compressed form).
	G2Bytes, G2_COMPRESSED_SIZE
);
byte_wrapper!(
	/// A scalar-field element: 32 little-endian bytes, value below the field modulus.
	ScalarBytes, SCALAR_SIZE
);

impl ScalarBytes {
	/// The scalar of a small integer (handy for public inputs that are counts or flags).
	pub fn from_u64(value: u64) -> Self {
		let mut bytes = [0u8; SCALAR_SIZE];
		bytes[..8].copy_from_slice(&value.to_le_bytes());
		Self(bytes)
	}
}

/// A Groth16 proof: `(A, B, C)` with `A, C` in G1 and `B` in G2. 128 bytes.
#[derive(
	Clone, Copy, PartialEq, Eq, Debug, Encode, Decode, DecodeWithMemTracking, TypeInfo, MaxEncodedLen,
)]
pub struct Proof {
	/// `A` (G1).
	pub a: G1Bytes,
	/// `B` (G2).
	pub b: G2Bytes,
	/// `C` (G1).
	pub c: G1Bytes,
}

/// A Groth16 verifying key for a circuit with `gamma_abc_g1.len() - 1` public inputs.
#[derive(Clone, PartialEq, Eq, Debug, Encode, Decode, DecodeWithMemTracking, TypeInfo)]
pub struct VerifyingKey {
	/// `[α]₁`.
	pub alpha_g1: G1Bytes,
	/// `[β]₂`.
	pub beta_g2: G2Bytes,
	/// `[γ]₂`.
	pub gamma_g2: G2Bytes,
	/// `[δ]₂`.
	pub delta_g2: G2Bytes,
	/// `[(β·uᵢ(τ) + α·vᵢ(τ) + wᵢ(τ))/γ]₁` for the constant one and each public input.
	pub gamma_abc_g1: Vec<G1Bytes>,
}

impl VerifyingKey {
	/// Number of public inputs a proof for this key must come with.
	pub fn num_public_inputs(&self) -> usize {
		self.gamma_abc_g1.len().saturating_sub(1)
	}

	/// Size of the SCALE encoding of a key with `num_public_inputs` public inputs.
	pub fn encoded_size(num_public_inputs: u32) -> usize {
		let n = num_public_inputs as usize + 1;
		G1_COMPRESSED_SIZE +
			3 * G2_COMPRESSED_SIZE +
			codec::Compact(n as u32).encoded_size() +
			n * G1_COMPRESSED_SIZE
	}
}
