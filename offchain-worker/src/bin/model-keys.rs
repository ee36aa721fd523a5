//! The Groth16 keys of the committed models: the model owner's one-time setup.
//!
//!     cargo run --release -p aichain-offchain-worker --bin model-keys
//!
//! For the digits classifier (`offchain-worker/models/digits-mlp.safetensors`) and the
//! training-step circuit ([`aichain_offchain_worker::training_circuit`], identified by
//! [`circuit_id`](aichain_offchain_worker::training_circuit::circuit_id)): generates the
//! proving key into `offchain-worker/models/keys/<weights sha256>.pk` unless it is there
//! (providers copy it into their models directory: `scripts/fetch-models.sh`), writes the
//! SCALE-encoded verifying key that the model owner registers on chain next to it
//! (`<weights sha256>.vk`), and prints both with the hash. See `aichain_offchain_worker::prover`
//! for the trust a single-party setup takes.

use aichain_offchain_worker::{prover, quantized::QuantizedMlp, training_circuit};
use ark_bn254::Bn254;
use ark_groth16::ProvingKey;
use codec::Encode;
use std::path::PathBuf;

fn main() -> Result<(), Box<dyn std::error::Error>> {
	let models = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("models");
	let cache = prover::KeyCache::new(models.join("keys"));
	let mut rng = rand::rngs::OsRng;

	let (digits, digits_sha) = QuantizedMlp::load(&models.join("digits-mlp.safetensors"))?;
	let key = cache.get_or_generate(&digits, &mut rng)?;
	write_verifying_key(&cache, "digits classifier", &digits_sha, &key)?;

	let training_sha = training_circuit::circuit_id();
	let key = cache.get_or_generate_with(&training_sha, || prover::generate_training_keys(&mut rng))?;
	write_verifying_key(&cache, "training step", &training_sha, &key)?;
	Ok(())
}

/// Writes `<sha>.vk` next to the proving key and prints where both are.
fn write_verifying_key(
	cache: &prover::KeyCache,
	what: &str,
	sha: &[u8; 32],
	key: &ProvingKey<Bn254>,
) -> Result<(), Box<dyn std::error::Error>> {
	let hex = |bytes: &[u8]| bytes.iter().map(|b| format!("{b:02x}")).collect::<String>();
	let verifying_key = prover::verifying_key(key).encode();
	let vk_path = cache.path(sha).with_extension("vk");
	std::fs::write(&vk_path, &verifying_key)?;
	println!("{what}: weights sha256 {}", hex(sha));
	println!("  proving key:   {}", cache.path(sha).display());
	println!("  verifying key: {} (SCALE, {} bytes)", vk_path.display(), verifying_key.len());
	Ok(())
}
