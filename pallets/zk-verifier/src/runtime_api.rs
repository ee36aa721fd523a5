//! Runtime API of the ZK verifier: lets clients check a statement before submitting it
//! (no transaction, no fee), and lets the node test and time the two verification paths of the
//! runtime (native host function and pure wasm) on the same inputs.

use crate::{KeyId, VerifyError};
use aichain_zk::{Error, Proof, ScalarBytes, VerifyingKey};
use alloc::vec::Vec;
use codec::{Decode, Encode};
use scale_info::TypeInfo;

/// Which verification path of the runtime to use.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Encode, Decode, TypeInfo)]
pub enum VerificationPath {
	/// The `groth16_bn254` host function: native code in the node.
	NativeHost,
	/// The same verification compiled into the runtime (wasm).
	PureWasm,
}

sp_api::decl_runtime_apis! {
	/// Groth16 verification without a transaction.
	pub trait ZkVerifierApi {
		/// Verifies `proof` for `public_inputs` under the registered key `key_id`, as
		/// `verify_proof` would.
		fn verify_registered(
			key_id: KeyId,
			proof: Proof,
			public_inputs: Vec<ScalarBytes>,
		) -> Result<(), VerifyError>;

		/// Verifies a statement under a key given in full, on the chosen path.
		fn verify_statement(
			key: VerifyingKey,
			proof: Proof,
			public_inputs: Vec<ScalarBytes>,
			path: VerificationPath,
		) -> Result<(), Error>;

		/// Batch-verifies statements on the chosen path.
		fn batch_verify_statements(
			statements: Vec<aichain_zk::BatchItem>,
			path: VerificationPath,
		) -> Result<(), Error>;
	}
}

/// Runs a statement on the chosen path (the body of `verify_statement` in a runtime).
pub fn verify_on(
	path: VerificationPath,
	key: &VerifyingKey,
	proof: &Proof,
	public_inputs: &[ScalarBytes],
) -> Result<(), Error> {
	use aichain_zk::host::{Groth16Backend, NativeHost, PureWasm};
	match path {
		VerificationPath::NativeHost => NativeHost::verify(key, proof, public_inputs),
		VerificationPath::PureWasm => PureWasm::verify(key, proof, public_inputs),
	}
}

/// Runs a batch on the chosen path (the body of `batch_verify_statements` in a runtime).
pub fn batch_verify_on(path: VerificationPath, statements: &[aichain_zk::BatchItem]) -> Result<(), Error> {
	use aichain_zk::host::{Groth16Backend, NativeHost, PureWasm};
	match path {
		VerificationPath::NativeHost => NativeHost::batch_verify(statements),
		VerificationPath::PureWasm => PureWasm::batch_verify(statements),
	}
}
