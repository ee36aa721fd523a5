//! Calls the `Groth16Api` of the node's own wasm runtime through the node's executor, with the
//! node's host functions, outside any chain: used by the differential test and the benchmark of
//! in-runtime verification.
#![allow(dead_code)]

use aichain_zk::{
	runtime_api::VerificationPath, BatchItem, Error, PreparedVerifyingKey, Proof, ScalarBytes, VerifyingKey,
};
use codec::{Decode, Encode};
use sc_executor::WasmExecutor;
use sp_core::traits::{CallContext, CodeExecutor, RuntimeCode, WrappedRuntimeCode};

/// The host functions of the node: Substrate's, BN254 Groth16 and the compute engine's.
type HostFunctions = (
	sp_io::SubstrateHostFunctions,
	aichain_zk::host::HostFunctions,
	aichain_engine_host::compute_engine::HostFunctions,
);

/// A wasm executor loaded with the node's runtime.
pub struct RuntimeExecutor {
	executor: WasmExecutor<HostFunctions>,
	code: WrappedRuntimeCode<'static>,
}

impl RuntimeExecutor {
	/// An executor for the runtime the node was built with.
	pub fn new() -> Self {
		let wasm = aichain_runtime::WASM_BINARY.expect("the runtime wasm is built");
		RuntimeExecutor {
			executor: WasmExecutor::<HostFunctions>::builder().build(),
			code: WrappedRuntimeCode(wasm.into()),
		}
	}

	fn call<R: Decode>(&self, method: &str, args: &[u8]) -> R {
		let runtime_code = RuntimeCode { code_fetcher: &self.code, heap_pages: None, hash: vec![1] };
		let mut storage = sp_io::TestExternalities::default();
		let mut ext = storage.ext();
		let (result, _) =
			self.executor.call(&mut ext, &runtime_code, method, args, CallContext::Offchain);
		R::decode(&mut &result.expect("the runtime call succeeds")[..]).expect("result decodes")
	}

	/// `Groth16Api::verify` in the runtime.
	pub fn verify(&self, item: &BatchItem, path: VerificationPath) -> Result<(), Error> {
		self.call("Groth16Api_verify", &(item, path).encode())
	}

	/// `Groth16Api::batch_verify` in the runtime.
	pub fn batch_verify(&self, items: &[BatchItem], path: VerificationPath) -> Result<(), Error> {
		self.call("Groth16Api_batch_verify", &(items, path).encode())
	}

	/// `Groth16Api::prepare` in the runtime.
	pub fn prepare(&self, key: &VerifyingKey, path: VerificationPath) -> Result<PreparedVerifyingKey, Error> {
		self.call("Groth16Api_prepare", &(key, path).encode())
	}

	/// `Groth16Api::verify_prepared` in the runtime.
	pub fn verify_prepared(
		&self,
		key: &PreparedVerifyingKey,
		proof: &Proof,
		inputs: &[ScalarBytes],
		path: VerificationPath,
	) -> Result<(), Error> {
		self.call("Groth16Api_verify_prepared", &(key, proof, inputs, path).encode())
	}
}
