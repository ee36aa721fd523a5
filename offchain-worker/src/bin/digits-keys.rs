//! The Groth16 keys of the committed digits model: the model owner's one-time setup.
//!
//!     cargo run --release -p aichain-offchain-worker --bin digits-keys
//!
//! Generates the proving key of `offchain-worker/models/digits-mlp.safetensors` into
//! `offchain-worker/models/keys/<weights sha256>.pk` unless it is there (providers copy it into
//! their models directory: `scripts/fetch-models.sh`), writes the SCALE-encoded verifying key
//! that the model owner registers on chain next to it (`<weights sha256>.vk`), and prints both
//! with the weights' SHA-256. See
//! `aichain_offchain_worker::prover` for the trust a single-party setup takes.

use aichain_offchain_worker::{prover, quantized::QuantizedMlp};
use codec::Encode;
use std::path::PathBuf;

fn main() -> Result<(), Box<dyn std::error::Error>> {
	let models = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("models");
	let (model, sha) = QuantizedMlp::load(&models.join("digits-mlp.safetensors"))?;
	let cache = prover::KeyCache::new(models.join("keys"));
	let key = cache.get_or_generate(&model, &mut rand::rngs::OsRng)?;
	let hex = |bytes: &[u8]| bytes.iter().map(|b| format!("{b:02x}")).collect::<String>();
	println!("weights sha256: {}", hex(&sha));
	println!("proving key:    {}", cache.path(&sha).display());
	let verifying_key = prover::verifying_key(&key).encode();
	let vk_path = cache.path(&sha).with_extension("vk");
	std::fs::write(&vk_path, &verifying_key)?;
	println!("verifying key:  {} (SCALE) = 0x{}", vk_path.display(), hex(&verifying_key));
	Ok(())
}
