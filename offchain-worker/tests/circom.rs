//! Circom circuits as a model kind, on the committed ISLP default-logit circuit
//! (`offchain-worker/models/islp-logit`, made by `scripts/circom-model.sh` with circom 2.2.3 and
//! snarkjs 0.7.6): the engine's wasmtime witness equals snarkjs' for the same input, value for
//! value; a provider's proof with the `.zkey` verifies on the chain's public inputs under both the
//! key read from the `.zkey` and the one snarkjs exported, and a one-bit change is rejected;
//! inputs the circuit refuses, false claims, tampered files and hostile wasm end in named errors;
//! so do a model owner's malformed `.zkey` (a huge domain, a point off the curve, truncated) and
//! `.wtns`, and a model file that is a link.

use aichain_compute::{fixed, zk_public_inputs, ModelKind};
use aichain_offchain_worker::{
	models::{
		self,
		circom::{
			witness::{Limits, WitnessGenerator},
			wtns, CircomModel,
		},
		Claim, EngineModel, LoadContext,
	},
	prover, Error,
};
use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};

fn committed() -> PathBuf {
	PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("models/islp-logit")
}

fn model() -> CircomModel {
	CircomModel::load(&committed(), Limits::default()).unwrap().expect("a circom model.json")
}

fn borrower(student: i32, balance: i32, income: i32) -> Vec<u8> {
	fixed::encode_i32(&[student, balance, income])
}

/// The float model the circuit's coefficients round (the IRLS fit on Default.csv).
fn float_logit(student: f64, balance: f64, income: f64) -> f64 {
	-10.869045212744656 - 0.6467758082440274 * student + 0.005736505265799077 * balance + 3.03345011933355e-06 * income
}

#[test]
fn the_witness_is_snarkjs_witness_and_the_output_is_the_logit() {
	let model = model();
	let card = model.card();
	assert_eq!((card.kind, card.max_input_len, card.max_output_len), (ModelKind::Classifier, 12, 4));
	let manifest = std::fs::read(committed().join("model.json")).unwrap();
	assert_eq!(card.weights_sha256, <[u8; 32]>::from(Sha256::digest(&manifest)), "the weights hash is model.json's");

	let input = borrower(1, 1500, 40_000);
	let (witness, output) = model.witness(&input).unwrap();
	let snarkjs = wtns::read(&std::fs::read("tests/fixtures/circom/islp-logit-student-1500-40000.wtns").unwrap()).unwrap();
	assert_eq!(witness.len(), 220);
	assert_eq!(witness, snarkjs, "wasmtime computes snarkjs' witness");
	let logit = fixed::decode_i32(&output).unwrap()[0];
	assert_eq!(logit, -46_798_916, "snarkjs' public output for this borrower");
	let float = float_logit(1.0, 1500.0, 40_000.0);
	println!("islp logit: circuit {:.5}, float {float:.5}, {} constraints", logit as f64 / 2f64.powi(24), model.constraints());
	assert!((logit as f64 / 2f64.powi(24) - float).abs() < 1e-3);
	assert_eq!(model.run(&input).unwrap(), output);
}

#[test]
fn a_provider_proof_verifies_under_the_zkey_and_snarkjs_keys_and_one_bit_breaks_it() {
	let model = model();
	let proving_key = model.proving_key().unwrap();
	let from_zkey = prover::verifying_key(&proving_key);
	let exported = std::fs::read_to_string(committed().join("verification_key.json")).unwrap();
	let from_snarkjs = aichain_zk::snarkjs::verifying_key_from_json(&exported).unwrap();
	assert_eq!(from_zkey, from_snarkjs, "the .zkey's verifying key is the one snarkjs exported");

	let input = borrower(0, 2_100, 14_000);
	let (output, proof) = prover::prove(&proving_key, &model, &input, &mut rand::rngs::OsRng).unwrap();
	let statement = zk_public_inputs(&input, &output);
	aichain_zk::verify(&from_snarkjs, &proof, &statement).expect("verifies under snarkjs' key");
	let mut tampered = output.clone();
	tampered[0] ^= 1;
	assert!(aichain_zk::verify(&from_snarkjs, &proof, &zk_public_inputs(&input, &tampered)).is_err(), "output bit");
	let mut other_input = input.clone();
	other_input[4] ^= 1;
	assert!(aichain_zk::verify(&from_snarkjs, &proof, &zk_public_inputs(&other_input, &output)).is_err(), "input bit");
	let mut bad_proof = proof.clone();
	bad_proof.a.0[5] ^= 1;
	assert!(aichain_zk::verify(&from_snarkjs, &bad_proof, &statement).is_err(), "proof bit");

	// The provider never proves a false claim.
	let claim = Claim { input: &input, output: &tampered };
	let refused = model.prove(&proving_key, claim, &mut rand::rngs::OsRng).unwrap();
	assert!(matches!(refused, Err(Error::Witness(_))), "{refused:?}");
}

#[test]
fn inputs_the_circuit_refuses_are_declined_with_the_reason() {
	let model = model();
	for (input, why) in [
		(borrower(2, 100, 100), "student must be 0 or 1"),
		(borrower(0, 1 << 14, 100), "balance below 2^14"),
		(borrower(0, 100, 1 << 20), "income below 2^20"),
		(borrower(0, -1, 100), "no negative balance"),
	] {
		match model.check_input(&input) {
			Err(Error::Witness(reason)) => assert!(reason.contains("assert failed"), "{why}: {reason}"),
			other => panic!("{why}: {other:?}"),
		}
	}
	assert!(matches!(model.check_input(&[0; 11]), Err(Error::InputLength { expected: 12, got: 11 })));
	model.check_input(&borrower(1, (1 << 14) - 1, (1 << 20) - 1)).expect("the largest accepted input");
}

/// A copy of the committed model in a temporary models directory.
fn copy_model(to: &Path) -> PathBuf {
	let folder = to.join("islp-logit");
	std::fs::create_dir_all(&folder).unwrap();
	for file in ["model.json", "circuit.wasm", "circuit.zkey"] {
		std::fs::copy(committed().join(file), folder.join(file)).unwrap();
	}
	folder
}

#[test]
fn the_models_directory_serves_it_with_its_own_key_and_refuses_tampered_files() {
	let dir = tempfile::tempdir().unwrap();
	let folder = copy_model(dir.path());
	let context = LoadContext::cpu();
	let loaded = models::load_dir(dir.path(), &context).unwrap();
	let circom: Vec<_> = loaded.iter().filter(|l| l.model.card().name == "islp-default-logit").collect();
	assert_eq!(circom.len(), 1);
	assert!(circom[0].proving_key.is_some(), "the .zkey is its proving key");

	// One byte of the witness generator changed: its hash no longer matches model.json.
	let mut wasm = std::fs::read(folder.join("circuit.wasm")).unwrap();
	let last = wasm.len() - 1;
	wasm[last] ^= 1;
	std::fs::write(folder.join("circuit.wasm"), &wasm).unwrap();
	match CircomModel::load(&folder, Limits::default()) {
		Err(Error::Malformed { detail, .. }) => assert!(detail.contains("SHA-256"), "{detail}"),
		other => panic!("{:?}", other.map(|m| m.map(|m| m.card().clone()))),
	}
	assert!(models::load_dir(dir.path(), &context).unwrap().iter().all(|l| l.model.card().name != "islp-default-logit"));

	// A manifest pointing out of its folder.
	let manifest = std::fs::read_to_string(committed().join("model.json")).unwrap();
	std::fs::write(folder.join("model.json"), manifest.replace("\"circuit.wasm\"", "\"../circuit.wasm\"")).unwrap();
	assert!(matches!(CircomModel::load(&folder, Limits::default()), Err(Error::Malformed { .. })));
}

/// A wasm module from its sections (id, contents).
fn module(sections: &[(u8, Vec<u8>)]) -> Vec<u8> {
	let mut wasm = b"\0asm\x01\0\0\0".to_vec();
	for (id, body) in sections {
		wasm.push(*id);
		wasm.push(body.len() as u8);
		wasm.extend_from_slice(body);
	}
	wasm
}

/// Exports `getFieldNumLen32: () -> i32` (function 0) and a memory of `pages` pages.
fn exporting(pages: &[u8], body: &[u8]) -> Vec<u8> {
	let name = b"getFieldNumLen32";
	let mut exports = vec![2, name.len() as u8];
	exports.extend_from_slice(name);
	exports.extend_from_slice(&[0, 0, 6]);
	exports.extend_from_slice(b"memory");
	exports.extend_from_slice(&[2, 0]);
	let mut memory = vec![1, 0];
	memory.extend_from_slice(pages);
	let mut code = vec![1, body.len() as u8];
	code.extend_from_slice(body);
	module(&[(1, vec![1, 0x60, 0, 1, 0x7f]), (3, vec![1, 0]), (5, memory), (7, exports), (10, code)])
}

#[test]
fn hostile_witness_generators_hit_their_limits_and_fail_cleanly() {
	let limits = Limits { fuel: 10_000_000, memory_bytes: 64 << 20 };
	let run = |wasm: &[u8]| WitnessGenerator::new(wasm, limits).and_then(|g| g.calculate(&[], 1));
	let failure = |result: aichain_offchain_worker::Result<Vec<_>>| match result {
		Err(Error::Witness(reason)) => reason,
		other => panic!("{other:?}"),
	};

	// `loop br 0 end unreachable`: runs until its fuel is spent.
	let forever = exporting(&[1], &[0, 0x03, 0x40, 0x0c, 0, 0x0b, 0, 0x0b]);
	assert!(failure(run(&forever)).contains("ran out of its budget"));
	// Asks for 40,000 pages (2.6 GB) of memory.
	let greedy = exporting(&[0xc0, 0xb8, 0x02], &[0, 0x41, 8, 0x0b]);
	assert!(failure(run(&greedy)).contains("instantiate"));
	// Within its limits, this "circuit" says its field has 8 words but has no prime: an error.
	let small = exporting(&[1], &[0, 0x41, 8, 0x0b]);
	assert!(failure(run(&small)).contains("getRawPrime"));
	// Imports something besides circom's runtime.
	let importing = module(&[(1, vec![1, 0x60, 0, 1, 0x7f]), (2, vec![1, 3, b'e', b'n', b'v', 1, b'f', 0, 0])]);
	assert!(failure(run(&importing)).contains("env.f"));
	assert!(failure(run(b"not wasm")).contains("compile"));
}

/// The committed `.zkey` with `edit` applied to its bytes.
fn edited_zkey(edit: impl FnOnce(&mut Vec<u8>)) -> Vec<u8> {
	let mut bytes = std::fs::read(committed().join("circuit.zkey")).unwrap();
	edit(&mut bytes);
	bytes
}

/// Where section 2's header puts the domain size and `α₁` in the committed `.zkey` (section 1,
/// 4 bytes, comes first; then section 2's id and size; then n8q, q, n8r, r, nVars, nPublic).
const DOMAIN_AT: usize = 12 + 16 + 12 + 4 + 32 + 4 + 32 + 8;
const ALPHA_AT: usize = DOMAIN_AT + 4;

#[test]
fn a_model_owners_malformed_zkey_is_refused_before_it_costs_memory_or_proves_anything() {
	use aichain_offchain_worker::models::circom::zkey::Zkey;
	let original = std::fs::read(committed().join("circuit.zkey")).unwrap();
	assert_eq!(&original[28..32], &2u32.to_le_bytes(), "section 2 is the second in the file");
	assert_eq!(Zkey::parse(&original).unwrap().header.domain_size, 256);
	assert_eq!(u32::from_le_bytes(original[DOMAIN_AT..DOMAIN_AT + 4].try_into().unwrap()), 256);

	// A header asking for a domain of 2^28: refused at once (no allocation of its size).
	let huge = edited_zkey(|b| b[DOMAIN_AT..DOMAIN_AT + 4].copy_from_slice(&(1u32 << 28).to_le_bytes()));
	match Zkey::parse(&huge) {
		Err(Error::Malformed { detail, .. }) => assert!(detail.contains("at most"), "{detail}"),
		other => panic!("{:?}", other.map(|z| z.header)),
	}
	// One bit of α₁'s x coordinate: the point leaves the curve and the key is refused.
	let off_curve = edited_zkey(|b| b[ALPHA_AT] ^= 1);
	match Zkey::parse(&off_curve).unwrap().proving_key() {
		Err(Error::Malformed { detail, .. }) => assert!(detail.contains("not on the curve"), "{detail}"),
		other => panic!("{}", other.is_ok()),
	}
	// Truncated, or not a zkey at all.
	assert!(Zkey::parse(&original[..original.len() / 2]).is_err());
	assert!(Zkey::parse(b"wtns\x02\0\0\0").is_err());

	// A .wtns cut short, or for another field, is refused by name.
	let wtns_bytes = std::fs::read("tests/fixtures/circom/islp-logit-student-1500-40000.wtns").unwrap();
	assert!(matches!(wtns::read(&wtns_bytes[..wtns_bytes.len() - 1]), Err(Error::Malformed { .. })));
	let mut other_prime = wtns_bytes.clone();
	other_prime[28] ^= 1;
	assert!(matches!(wtns::read(&other_prime), Err(Error::Malformed { .. })));
}

#[test]
fn a_model_file_that_is_a_link_is_not_followed() {
	// A link passes any hash check of its target, and a link to /dev/zero would never end a
	// read: the provider reads only regular files.
	let dir = tempfile::tempdir().unwrap();
	let folder = copy_model(dir.path());
	std::fs::remove_file(folder.join("circuit.zkey")).unwrap();
	std::os::unix::fs::symlink(committed().join("circuit.zkey"), folder.join("circuit.zkey")).unwrap();
	match CircomModel::load(&folder, Limits::default()) {
		Err(Error::Malformed { detail, .. }) => assert!(detail.contains("not a regular file"), "{detail}"),
		other => panic!("{:?}", other.map(|m| m.map(|m| m.card().clone()))),
	}
}
