//! The runtime's two Groth16 verification paths agree: the `groth` host functions (native code
//! in the node) and the pure-wasm fallback, both run inside the real wasm runtime through the
//! `Groth16Api` runtime API, on valid proofs, tampered proofs and garbage — for keys given in
//! full and for keys prepared as the verifier pallet stores them.

use aichain_zk::{
	runtime_api::VerificationPath,
	testing::{prove, setup},
	BatchItem, Error, G1Bytes, Proof, ScalarBytes,
};
use codec::{Decode, Encode};

#[path = "common/runtime_executor.rs"]
mod runtime_executor;
use runtime_executor::RuntimeExecutor;

fn both_paths(exec: &RuntimeExecutor, item: &BatchItem) -> Result<(), Error> {
	let host = exec.verify(item, VerificationPath::NativeHost);
	let wasm = exec.verify(item, VerificationPath::PureWasm);
	assert_eq!(host, wasm, "host and wasm paths disagree");
	assert_eq!(host, aichain_zk::verify(&item.vk, &item.proof, &item.inputs), "runtime and native crate disagree");

	// The path of registered keys: prepared in the runtime, then verified prepared.
	let prepared = exec.prepare(&item.vk, VerificationPath::NativeHost);
	assert_eq!(prepared, exec.prepare(&item.vk, VerificationPath::PureWasm), "paths prepare differently");
	assert_eq!(prepared, aichain_zk::prepare(&item.vk), "runtime and native crate prepare differently");
	match prepared {
		Ok(key) => {
			let on = |path| exec.verify_prepared(&key, &item.proof, &item.inputs, path);
			assert_eq!(on(VerificationPath::NativeHost), host, "prepared host path disagrees");
			assert_eq!(on(VerificationPath::PureWasm), host, "prepared wasm path disagrees");
		},
		// A bad key fails verification with the same error.
		Err(error) => assert_eq!(host, Err(error)),
	}
	host
}

#[test]
fn host_and_wasm_paths_agree_on_valid_tampered_and_garbage_statements() {
	let exec = RuntimeExecutor::new();
	let (pk, vk) = setup(4, 1);
	let (proof, inputs) = prove(&pk, 21, 2);
	let valid = BatchItem { vk: vk.clone(), proof, inputs: inputs.clone() };
	assert_eq!(both_paths(&exec, &valid), Ok(()));

	// Tampered proof: one bit in each of A, B and C, and in the flag bits.
	let bytes = proof.encode();
	for bit in [0usize, 100, 300, 500, 800, 1000, 255, 767, 1023] {
		let mut tampered = bytes.clone();
		tampered[bit / 8] ^= 1 << (bit % 8);
		let proof = Proof::decode(&mut &tampered[..]).unwrap();
		let item = BatchItem { proof, ..valid.clone() };
		assert!(both_paths(&exec, &item).is_err(), "bit {bit}");
	}
	// Changed input, missing input.
	let mut changed = valid.clone();
	changed.inputs[3] = ScalarBytes::from_u64(5);
	assert_eq!(both_paths(&exec, &changed), Err(Error::ProofRejected));
	let mut short = valid.clone();
	short.inputs.pop();
	assert_eq!(both_paths(&exec, &short), Err(Error::PublicInputCountMismatch));
	// Garbage points.
	let mut garbage = valid.clone();
	garbage.proof.a = G1Bytes([0xab; 32]);
	assert!(both_paths(&exec, &garbage).is_err());
	let mut garbage_key = valid.clone();
	garbage_key.vk.gamma_abc_g1[2] = G1Bytes([0x17; 32]);
	assert!(both_paths(&exec, &garbage_key).is_err());

	// Batches.
	let batch: Vec<BatchItem> = (0..5u64)
		.map(|w| {
			let (proof, inputs) = prove(&pk, w + 3, w);
			BatchItem { vk: vk.clone(), proof, inputs }
		})
		.collect();
	for path in [VerificationPath::NativeHost, VerificationPath::PureWasm] {
		assert_eq!(exec.batch_verify(&batch, path), Ok(()));
		let mut bad = batch.clone();
		bad[3] = changed.clone();
		assert_eq!(exec.batch_verify(&bad, path), Err(Error::ProofRejected));
	}
}

/// Attack 11 of the market review: `Groth16Api` is reachable by anyone through `state_call`
/// at no fee, and an unbounded batch made one call do unbounded pairing work. A call is now
/// bounded: more than `MAX_STATEMENTS` statements, or a key or statement with more than
/// `MAX_PUBLIC_INPUTS` inputs, is refused before any verification.
#[test]
fn runtime_api_calls_larger_than_their_bound_are_refused_before_any_work() {
	use aichain_zk::runtime_api::{MAX_PUBLIC_INPUTS, MAX_STATEMENTS};
	let exec = RuntimeExecutor::new();
	let (pk, vk) = setup(4, 1);
	let (proof, inputs) = prove(&pk, 3, 0);
	let item = BatchItem { vk, proof, inputs };
	for path in [VerificationPath::NativeHost, VerificationPath::PureWasm] {
		assert_eq!(exec.batch_verify(&vec![item.clone(); MAX_STATEMENTS], path), Ok(()));
		assert_eq!(exec.batch_verify(&vec![item.clone(); MAX_STATEMENTS + 1], path), Err(Error::TooLarge));
		let mut wide = item.clone();
		wide.inputs = vec![ScalarBytes([0; 32]); MAX_PUBLIC_INPUTS + 1];
		assert_eq!(exec.verify(&wide, path), Err(Error::TooLarge));
		let mut wide_key = item.vk.clone();
		wide_key.gamma_abc_g1 = vec![item.vk.gamma_abc_g1[0]; MAX_PUBLIC_INPUTS + 2];
		assert_eq!(exec.prepare(&wide_key, path), Err(Error::TooLarge));
	}
}
