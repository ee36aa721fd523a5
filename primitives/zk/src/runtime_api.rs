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

sp_api::decl_runtime_apis! {
	/// Groth16 (BN254) verification of statements given in full.
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
	let BatchItem { vk, proof, inputs } = statement;
	match path {
		VerificationPath::NativeHost => NativeHost::verify(vk, proof, inputs),
		VerificationPath::PureWasm => PureWasm::verify(vk, proof, inputs),
	}
}

/// The body of `Groth16Api::batch_verify` in a runtime.
pub fn batch_verify_on(path: VerificationPath, statements: &[BatchItem]) -> Result<(), Error> {
	use crate::host::{Groth16Backend, NativeHost, PureWasm};
	match path {
		VerificationPath::NativeHost => NativeHost::batch_verify(statements),
		VerificationPath::PureWasm => PureWasm::batch_verify(statements),
	}
}

/// The body of `Groth16Api::prepare` in a runtime.
pub fn prepare_on(path: VerificationPath, key: &VerifyingKey) -> Result<PreparedVerifyingKey, Error> {
	use crate::host::{Groth16Backend, NativeHost, PureWasm};
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
	let key = key.encode();
	match path {
		VerificationPath::NativeHost => NativeHost::verify_prepared(&key, proof, inputs),
		VerificationPath::PureWasm => PureWasm::verify_prepared(&key, proof, inputs),
	}
}
