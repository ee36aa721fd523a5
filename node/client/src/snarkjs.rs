//! snarkjs files as they are: a Groth16 (bn128) `verification_key.json` imported into the chain's
//! key encoding, and a `proof.json` with its `public.json` verified locally by the chain's own
//! verifier (`aichain_zk`), with no conversion step on the user's side.

use aichain_zk::{snarkjs, VerifyingKey};
use anyhow::{anyhow, Context, Result};
use std::path::Path;

fn read(path: &Path) -> Result<String> {
	std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))
}

/// The verifying key in a snarkjs `verification_key.json`.
pub fn verifying_key(path: &Path) -> Result<VerifyingKey> {
	snarkjs::verifying_key_from_json(&read(path)?).map_err(|e| anyhow!("{}: {e:?}", path.display()))
}

/// Verifies a snarkjs proof and its public signals; prints the outcome, fails if it does not
/// verify.
pub fn verify(verification_key: &Path, proof: &Path, public: &Path) -> Result<()> {
	let key = verifying_key(verification_key)?;
	let proof_value = snarkjs::proof_from_json(&read(proof)?).map_err(|e| anyhow!("{}: {e:?}", proof.display()))?;
	let inputs = snarkjs::public_inputs_from_json(&read(public)?).map_err(|e| anyhow!("{}: {e:?}", public.display()))?;
	aichain_zk::verify(&key, &proof_value, &inputs).map_err(|e| anyhow!("the proof does NOT verify: {e:?}"))?;
	println!("proof verified ({} public signals) with the chain's Groth16 verifier", inputs.len());
	Ok(())
}
