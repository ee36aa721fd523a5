//! Runtime API for Groth16 verification without a transaction: clients check a statement
//! before submitting it (no fee), and the node tests and times the runtime's two verification
//! paths (native host function and pure wasm) on the same inputs.

use crate::{BatchItem, Error, PreparedVerifyingKey, Proof, ScalarBytes, VerifyingKey};
use alloc::vec::Vec;
use codec::{Decode, DecodeWithMemTracking, Encode};
use scale_info::TypeInfo;

/// Which verification path of the runtime to use.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Encode, Decode, DecodeWithMemTracking, TypeInfo)]
pub enum VerificationPath {
	/// The `groth` host functions: native code in the node.
	NativeHost,
	/// The same verification compiled into the runtime (wasm).
	PureWasm,
}

/// Most statements one `batch_verify` call checks. Anyone can call these functions through
/// the node's `state_call` RPC at no fee, so each call's work is bounded: at most this many
/// pairing checks' worth (and no more than a block's worth of verification).
pub const MAX_STATEMENTS: usize = 64;

/// Most public inputs of a key given to a runtime API call (the runtime's verifier registers
/// keys of at most 64).
pub const MAX_PUBLIC_INPUTS: usize = 256;

/// [`Error::TooLarge`] unless `key` has at most [`MAX_PUBLIC_INPUTS`] public inputs.
fn ensure_inputs_bounded(public_inputs: usize) -> Result<(), Error> {
	if public_inputs > MAX_PUBLIC_INPUTS {
		return Err(Error::TooLarge);
	}
	Ok(())
}

/// [`Error::TooLarge`] unless every statement is within [`MAX_PUBLIC_INPUTS`] and there are at
/// most [`MAX_STATEMENTS`] of them.
fn ensure_statements_bounded(statements: &[BatchItem]) -> Result<(), Error> {
	if statements.len() > MAX_STATEMENTS {
		return Err(Error::TooLarge);
	}
	statements.iter().try_for_each(|s| {
		ensure_inputs_bounded(s.inputs.len())?;
		ensure_inputs_bounded(s.vk.gamma_abc_g1.len().saturating_sub(1))
	})
}

sp_api::decl_runtime_apis! {
	/// Groth16 (BN254) verification of statements given in full. Every call's work is
	/// bounded ([`MAX_STATEMENTS`], [`MAX_PUBLIC_INPUTS`]; larger requests get
	/// [`Error::TooLarge`]).
	pub trait Groth16Api {
		/// Verifies one statement (key, proof, public inputs) on the chosen path.
		fn verify(statement: BatchItem, path: VerificationPath) -> Result<(), Error>;

		/// Batch-verifies statements on the chosen path.
		fn batch_verify(statements: Vec<BatchItem>, path: VerificationPath) -> Result<(), Error>;

		/// Validates and prepares a key on the chosen path, as the verifier pallet does at
		/// registration.
		fn prepare(key: VerifyingKey, path: VerificationPath) -> Result<PreparedVerifyingKey, Error>;

		/// Verifies a proof under a prepared key on the chosen path, as the verifier pallet does
		/// for registered keys.
		fn verify_prepared(
			key: PreparedVerifyingKey,
			proof: Proof,
			inputs: Vec<ScalarBytes>,
			path: VerificationPath,
		) -> Result<(), Error>;
	}
}

/// The body of `Groth16Api::verify` in a runtime.
pub fn verify_on(path: VerificationPath, statement: &BatchItem) -> Result<(), Error> {
	use crate::host::{Groth16Backend, NativeHost, PureWasm};
	ensure_statements_bounded(core::slice::from_ref(statement))?;
	let BatchItem { vk, proof, inputs } = statement;
	match path {
		VerificationPath::NativeHost => NativeHost::verify(vk, proof, inputs),
		VerificationPath::PureWasm => PureWasm::verify(vk, proof, inputs),
	}
}

/// The body of `Groth16Api::batch_verify` in a runtime.
pub fn batch_verify_on(path: VerificationPath, statements: &[BatchItem]) -> Result<(), Error> {
	use crate::host::{Groth16Backend, NativeHost, PureWasm};
	ensure_statements_bounded(statements)?;
	match path {
		VerificationPath::NativeHost => NativeHost::batch_verify(statements),
		VerificationPath::PureWasm => PureWasm::batch_verify(statements),
	}
}

/// The body of `Groth16Api::prepare` in a runtime.
pub fn prepare_on(path: VerificationPath, key: &VerifyingKey) -> Result<PreparedVerifyingKey, Error> {
	use crate::host::{Groth16Backend, NativeHost, PureWasm};
	ensure_inputs_bounded(key.gamma_abc_g1.len().saturating_sub(1))?;
	match path {
		VerificationPath::NativeHost => NativeHost::prepare(key),
		VerificationPath::PureWasm => PureWasm::prepare(key),
	}
}

/// The body of `Groth16Api::verify_prepared` in a runtime.
pub fn verify_prepared_on(
	path: VerificationPath,
	key: &PreparedVerifyingKey,
	proof: &Proof,
	inputs: &[ScalarBytes],
) -> Result<(), Error> {
	use crate::host::{Groth16Backend, NativeHost, PureWasm};
	use codec::Encode;
	ensure_inputs_bounded(inputs.len())?;
	ensure_inputs_bounded(key.num_public_inputs())?;
	let key = key.encode();
	match path {
		VerificationPath::NativeHost => NativeHost::verify_prepared(&key, proof, inputs),
		VerificationPath::PureWasm => PureWasm::verify_prepared(&key, proof, inputs),
	}
}
