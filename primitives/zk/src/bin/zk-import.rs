//! `zk-import`: converts snarkjs Groth16 (bn128) files into the chain's SCALE encoding.
//!
//! ```text
//! zk-import verification_key.json [proof.json public.json]
//! ```
//! Prints one JSON object with the hex-encoded (`0x…`) SCALE bytes of the verifying key, and,
//! when a proof and its public inputs are given, of the proof and inputs, after checking the
//! proof verifies. These hex strings are the arguments of `zkVerifier.registerVerifyingKey` and
//! `zkVerifier.verifyProof` in polkadot.js. Exits non-zero with a message on any error.

use aichain_zk::snarkjs;
use codec::Encode;

fn hex(bytes: &[u8]) -> String {
	let mut out = String::with_capacity(2 + bytes.len() * 2);
	out.push_str("0x");
	for b in bytes {
		out.push_str(&format!("{b:02x}"));
	}
	out
}

fn read(path: &str) -> Result<String, String> {
	std::fs::read_to_string(path).map_err(|e| format!("cannot read {path}: {e}"))
}

fn run(args: &[String]) -> Result<String, String> {
	let (vk_path, rest) = match args {
		[vk] => (vk, None),
		[vk, proof, public] => (vk, Some((proof, public))),
		_ => return Err("usage: zk-import verification_key.json [proof.json public.json]".into()),
	};
	let vk = snarkjs::verifying_key_from_json(&read(vk_path)?).map_err(|e| format!("{vk_path}: {e}"))?;
	let mut out = serde_json::json!({
		"public_inputs_count": vk.num_public_inputs(),
		"verifying_key": hex(&vk.encode()),
	});
	if let Some((proof_path, public_path)) = rest {
		let proof =
			snarkjs::proof_from_json(&read(proof_path)?).map_err(|e| format!("{proof_path}: {e}"))?;
		let inputs = snarkjs::public_inputs_from_json(&read(public_path)?)
			.map_err(|e| format!("{public_path}: {e}"))?;
		aichain_zk::verify(&vk, &proof, &inputs).map_err(|e| format!("the proof does not verify: {e}"))?;
		out["proof"] = hex(&proof.encode()).into();
		out["public_inputs"] = hex(&inputs.encode()).into();
		out["verified"] = true.into();
	}
	Ok(serde_json::to_string_pretty(&out).expect("JSON values serialize; qed"))
}

fn main() {
	let args: Vec<String> = std::env::args().skip(1).collect();
	match run(&args) {
		Ok(text) => println!("{text}"),
		Err(message) => {
			eprintln!("error: {message}");
			std::process::exit(1);
		},
	}
}
