//! # BN254 Groth16 verification for the AI compute chain
//!
//! Every result the chain pays for is checked with the functions in this crate, on every
//! validator. The crate is `no_std` (it is compiled into the wasm runtime) and is the one place
//! that depends on arkworks' BN254 curve.
//!
//! - [`types`]: the chain's encoding of verifying keys, proofs and public inputs. Points are
//!   arkworks' canonical *compressed* serialization (G1: 32 bytes, G2: 64 bytes), scalars are
//!   32 little-endian bytes; every type is SCALE-encodable with a bounded size.
//! - [`decode`]: strict decoding: wrong lengths, non-canonical field elements, points off the
//!   curve and points outside the prime-order subgroup are rejected with distinct [`Error`]s.
//! - [`verify()`] and [`batch_verify()`]: Groth16 verification; a batch is checked with one
//!   random linear combination of the pairing equations (one final exponentiation for the whole
//!   batch), with randomness derived from a hash of the batch so that all validators agree.
//! - [`prepared`]: keys prepared once at registration (`e(α, β)` precomputed, points stored
//!   uncompressed and validated once) and [`verify_prepared()`], the fast path for registered keys.
//! - [`host`]: the `#[runtime_interface]` through which the runtime runs the same verification
//!   natively in the node (polkadot-sdk's elliptic-curve host functions do not cover BN254), and
//!   the [`host::Groth16Backend`] choice between that and the pure-wasm path.
//! - [`runtime_api`]: `Groth16Api`, verification of full statements without a transaction.
//! - `snarkjs` (feature `std`): import of snarkjs `groth16`/`bn128` JSON files.
#![cfg_attr(not(feature = "std"), no_std)]
#![forbid(unsafe_code)]

extern crate alloc;

pub mod decode;
mod error;
pub mod host;
pub mod prepared;
mod prepared_batch;
pub mod runtime_api;
#[cfg(feature = "std")]
pub mod snarkjs;
#[cfg(feature = "testing")]
pub mod testing;
#[cfg(any(feature = "std", feature = "runtime-benchmarks"))]
pub mod simulate;
pub mod types;
mod verify;

pub use error::Error;
pub use types::{G1Bytes, G2Bytes, Proof, ScalarBytes, VerifyingKey};
pub use prepared::{prepare, verify_prepared, PreparedVerifyingKey};
pub use prepared_batch::{batch_verify_prepared, PreparedStatement};
pub use verify::{batch_verify, verify, BatchItem, DecodedKey, DecodedProof};
