//! snarkjs interoperability with real circom/snarkjs output (tests/fixtures/snarkjs, made by
//! scripts/gen-snarkjs-fixture.sh): the imported key, proof and public inputs verify on the
//! chain's verifier, a changed public signal does not, malformed files get clear errors, and the
//! `zk-import` CLI prints the chain encoding.

use aichain_zk::{
	snarkjs::{proof_from_json, public_inputs_from_json, verifying_key_from_json, ImportError},
	verify, Error, ScalarBytes,
};
use codec::Encode;

const VK: &str = include_str!("fixtures/snarkjs/verification_key.json");
const PROOF: &str = include_str!("fixtures/snarkjs/proof.json");
const PUBLIC: &str = include_str!("fixtures/snarkjs/public.json");

#[test]
fn snarkjs_proof_verifies_on_the_chain_verifier() {
	let vk = verifying_key_from_json(VK).unwrap();
	let proof = proof_from_json(PROOF).unwrap();
	let inputs = public_inputs_from_json(PUBLIC).unwrap();
	// The circuit's public signals: c = 3·11, e = 3 + 1000, d = 1000.
	assert_eq!(inputs, vec![ScalarBytes::from_u64(33), ScalarBytes::from_u64(1003), ScalarBytes::from_u64(1000)]);
	assert_eq!(vk.num_public_inputs(), 3);
	assert_eq!(verify(&vk, &proof, &inputs), Ok(()));

	let mut lie = inputs.clone();
	lie[0] = ScalarBytes::from_u64(34);
	assert_eq!(verify(&vk, &proof, &lie), Err(Error::ProofRejected));
}

#[test]
fn malformed_snarkjs_files_are_refused() {
	assert!(matches!(verifying_key_from_json("{"), Err(ImportError::Json(_))));
	let plonk = VK.replace("\"groth16\"", "\"plonk\"");
	assert!(matches!(verifying_key_from_json(&plonk), Err(ImportError::Unsupported(_))));
	let bls = PROOF.replace("\"bn128\"", "\"bls12381\"");
	assert!(matches!(proof_from_json(&bls), Err(ImportError::Unsupported(_))));
	// A coordinate changed so the point leaves the curve.
	let doc: serde_json::Value = serde_json::from_str(PROOF).unwrap();
	let x = doc["pi_a"][0].as_str().unwrap();
	let moved = PROOF.replacen(x, &format!("{}1", &x[..x.len() - 1]), 1);
	assert_eq!(proof_from_json(&moved), Err(ImportError::Invalid(Error::PointNotOnCurve)));
	// The base-field modulus is not a canonical coordinate.
	let p = "21888242871839275222246405745257275088696311157297823662689037894645226208583";
	assert!(matches!(proof_from_json(&PROOF.replacen(x, p, 1)), Err(ImportError::Number(_))));
	assert!(matches!(public_inputs_from_json("[\"-1\"]"), Err(ImportError::Number(_))));
	assert!(matches!(public_inputs_from_json("{}"), Err(ImportError::Field(_))));
}

#[test]
fn zk_import_cli_prints_the_chain_encoding() {
	// Read at run time: a test binary reused from another checkout sharing the target directory
	// would otherwise carry that checkout's path.
	let dir = format!("{}/tests/fixtures/snarkjs/", std::env::var("CARGO_MANIFEST_DIR").unwrap());
	let out = std::process::Command::new(env!("CARGO_BIN_EXE_zk-import"))
		.args([
			format!("{dir}verification_key.json"),
			format!("{dir}proof.json"),
			format!("{dir}public.json"),
		])
		.output()
		.unwrap();
	assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
	let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
	let hex = |v: &[u8]| format!("0x{}", v.iter().map(|b| format!("{b:02x}")).collect::<String>());
	assert_eq!(json["verifying_key"], hex(&verifying_key_from_json(VK).unwrap().encode()));
	assert_eq!(json["proof"], hex(&proof_from_json(PROOF).unwrap().encode()));
	assert_eq!(json["verified"], true);

	let bad = std::process::Command::new(env!("CARGO_BIN_EXE_zk-import"))
		.args([format!("{dir}proof.json")])
		.output()
		.unwrap();
	assert!(!bad.status.success());
	assert!(String::from_utf8_lossy(&bad.stderr).contains("error:"));
}
