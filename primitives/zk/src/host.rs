//! Groth16 verification as a host function, and the choice of where verification runs.
//!
//! BN254 pairings in wasm are roughly ten times slower than native code, and polkadot-sdk's
//! elliptic-curve host functions do not cover BN254. [`groth`] is a
//! `#[runtime_interface]`: compiled into the runtime it becomes an import that the node
//! implements natively (the node registers [`HostFunctions`] in its executor); compiled natively
//! (tests, the node itself) it calls the same code directly.
//!
//! Arguments cross the boundary as SCALE bytes and the host returns a `Result`, so malformed
//! input is an ordinary [`Error`], never a trap.
//!
//! [`Groth16Backend`] lets a pallet choose: [`NativeHost`] (the host function) or [`PureWasm`]
//! (the same verification compiled into the runtime, kept as the tested fallback).

use crate::{BatchItem, Error, PreparedStatement, PreparedVerifyingKey, Proof, ScalarBytes, VerifyingKey};
use alloc::vec::Vec;
use codec::Encode;
use sp_runtime_interface::{
	pass_by::{AllocateAndReturnByCodec, PassFatPointerAndRead},
	runtime_interface,
};

/// Host functions for BN254 Groth16 verification.
#[runtime_interface]
pub trait Groth {
	/// Verifies one statement: `statement` is a SCALE-encoded [`BatchItem`]
	/// (key, proof, public inputs). Same errors as [`crate::verify`], plus
	/// [`Error::MalformedEncoding`].
	fn verify_bn254(statement: PassFatPointerAndRead<&[u8]>) -> AllocateAndReturnByCodec<Result<(), Error>> {
		let item = decode_exact::<BatchItem>(statement)?;
		crate::verify(&item.vk, &item.proof, &item.inputs)
	}

	/// Verifies a batch: `batch` is a SCALE-encoded `Vec<BatchItem>`. Same errors as
	/// [`crate::batch_verify`], plus [`Error::MalformedEncoding`].
	fn batch_verify_bn254(batch: PassFatPointerAndRead<&[u8]>) -> AllocateAndReturnByCodec<Result<(), Error>> {
		let items = decode_exact::<Vec<BatchItem>>(batch)?;
		crate::batch_verify(&items)
	}

	/// Validates and prepares a key: `key` is a SCALE-encoded [`VerifyingKey`]; returns the
	/// [`PreparedVerifyingKey`]. Same errors as [`crate::prepare`], plus
	/// [`Error::MalformedEncoding`].
	fn prepare_bn254(
		key: PassFatPointerAndRead<&[u8]>,
	) -> AllocateAndReturnByCodec<Result<PreparedVerifyingKey, Error>> {
		crate::prepare(&decode_exact::<VerifyingKey>(key)?)
	}

	/// Verifies a proof under a prepared key: `key` is a SCALE-encoded
	/// [`PreparedVerifyingKey`] made by [`crate::prepare`], `statement` the SCALE encoding of
	/// `(Proof, Vec<ScalarBytes>)`. Same errors as [`crate::verify_prepared`], plus
	/// [`Error::MalformedEncoding`].
	fn verify_prepared_bn254(
		key: PassFatPointerAndRead<&[u8]>,
		statement: PassFatPointerAndRead<&[u8]>,
	) -> AllocateAndReturnByCodec<Result<(), Error>> {
		let key = decode_exact::<PreparedVerifyingKey>(key)?;
		let (proof, inputs) = decode_exact::<(Proof, Vec<ScalarBytes>)>(statement)?;
		crate::verify_prepared(&key, &proof, &inputs)
	}

	/// Verifies a batch under prepared keys: `keys` is the SCALE encoding of a `Vec` of stored
	/// keys (each the SCALE-encoded [`PreparedVerifyingKey`] made by [`crate::prepare`]),
	/// `statements` of a `Vec<`[`PreparedStatement`]`>`. Same errors as
	/// [`crate::batch_verify_prepared`], plus [`Error::MalformedEncoding`].
	fn batch_verify_prepared_bn254(
		keys: PassFatPointerAndRead<&[u8]>,
		statements: PassFatPointerAndRead<&[u8]>,
	) -> AllocateAndReturnByCodec<Result<(), Error>> {
		let keys = decode_keys(&decode_exact::<Vec<Vec<u8>>>(keys)?)?;
		crate::batch_verify_prepared(&keys, &decode_exact::<Vec<PreparedStatement>>(statements)?)
	}
}

/// Decodes stored prepared keys.
fn decode_keys<K: AsRef<[u8]>>(keys: &[K]) -> Result<Vec<PreparedVerifyingKey>, Error> {
	keys.iter().map(|key| decode_exact::<PreparedVerifyingKey>(key.as_ref())).collect()
}

/// Decodes `T` from all of `bytes`.
fn decode_exact<T: codec::Decode>(bytes: &[u8]) -> Result<T, Error> {
	use codec::DecodeAll;
	T::decode_all(&mut &bytes[..]).map_err(|_| Error::MalformedEncoding)
}

/// The host functions the node must register in its executor.
#[cfg(not(substrate_runtime))]
pub type HostFunctions = groth::HostFunctions;

/// Where Groth16 verification runs.
pub trait Groth16Backend {
	/// Verifies one proof; see [`crate::verify`].
	fn verify(vk: &VerifyingKey, proof: &Proof, inputs: &[ScalarBytes]) -> Result<(), Error>;
	/// Verifies a batch; see [`crate::batch_verify`].
	fn batch_verify(items: &[BatchItem]) -> Result<(), Error>;
	/// Validates and prepares a key; see [`crate::prepare`].
	fn prepare(vk: &VerifyingKey) -> Result<PreparedVerifyingKey, Error>;
	/// Verifies one proof under a key from [`Groth16Backend::prepare`], given as its SCALE
	/// encoding (as a pallet stores it); see [`crate::verify_prepared`].
	fn verify_prepared(key: &[u8], proof: &Proof, inputs: &[ScalarBytes]) -> Result<(), Error>;
	/// Verifies many proofs under keys from [`Groth16Backend::prepare`], given as stored; see
	/// [`crate::batch_verify_prepared`].
	fn batch_verify_prepared(keys: &[&[u8]], statements: &[PreparedStatement]) -> Result<(), Error>;
}

/// Verification in the node, through the [`groth`] host functions.
pub struct NativeHost;

impl Groth16Backend for NativeHost {
	fn verify(vk: &VerifyingKey, proof: &Proof, inputs: &[ScalarBytes]) -> Result<(), Error> {
		// Encodes exactly like `BatchItem { vk, proof, inputs }`, without copying the key.
		groth::verify_bn254(&(vk, proof, inputs).encode())
	}

	fn batch_verify(items: &[BatchItem]) -> Result<(), Error> {
		groth::batch_verify_bn254(&items.encode())
	}

	fn prepare(vk: &VerifyingKey) -> Result<PreparedVerifyingKey, Error> {
		groth::prepare_bn254(&vk.encode())
	}

	fn verify_prepared(key: &[u8], proof: &Proof, inputs: &[ScalarBytes]) -> Result<(), Error> {
		// The stored key crosses as it is stored, without being decoded in the runtime.
		groth::verify_prepared_bn254(key, &(proof, inputs).encode())
	}

	fn batch_verify_prepared(keys: &[&[u8]], statements: &[PreparedStatement]) -> Result<(), Error> {
		groth::batch_verify_prepared_bn254(&keys.encode(), &statements.encode())
	}
}

/// Verification compiled into the caller (in the runtime: pure wasm).
pub struct PureWasm;

impl Groth16Backend for PureWasm {
	fn verify(vk: &VerifyingKey, proof: &Proof, inputs: &[ScalarBytes]) -> Result<(), Error> {
		crate::verify(vk, proof, inputs)
	}

	fn batch_verify(items: &[BatchItem]) -> Result<(), Error> {
		crate::batch_verify(items)
	}

	fn prepare(vk: &VerifyingKey) -> Result<PreparedVerifyingKey, Error> {
		crate::prepare(vk)
	}

	fn verify_prepared(key: &[u8], proof: &Proof, inputs: &[ScalarBytes]) -> Result<(), Error> {
		let key = decode_exact::<PreparedVerifyingKey>(key)?;
		crate::verify_prepared(&key, proof, inputs)
	}

	fn batch_verify_prepared(keys: &[&[u8]], statements: &[PreparedStatement]) -> Result<(), Error> {
		crate::batch_verify_prepared(&decode_keys(keys)?, statements)
	}
}
