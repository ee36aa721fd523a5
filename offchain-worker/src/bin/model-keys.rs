//! The Groth16 keys of every provable model in a models directory: the model owner's one-time
//! setup.
//!
//!     cargo run --release -p aichain-offchain-worker --bin model-keys [-- DIR]
//!
//! `DIR` defaults to the committed models (`offchain-worker/models`: the digits classifier, the
//! lending-risk model, the ISLP logit circom circuit, and the built-in training step). For each
//! provable model found there (any format of `aichain_offchain_worker::models::FORMATS`) it
//! generates the proving key into `DIR/keys/<weights sha256>.pk` unless it is there or comes
//! with the model (a circom model's `.zkey`) (providers copy it into their models
//! directory: `scripts/fetch-models.sh`), writes the SCALE-encoded verifying key that the model
//! owner registers on chain next to it (`<weights sha256>.vk`), and prints both with the
//! `aichain-client register-model` arguments the model needs. See
//! `aichain_offchain_worker::prover` for the trust a single-party setup takes.

use aichain_offchain_worker::{
	models::{self, EngineModel, LoadContext},
	prover,
};
use std::path::PathBuf;

fn main() -> Result<(), Box<dyn std::error::Error>> {
	let dir = std::env::args()
		.nth(1)
		.map(PathBuf::from)
		.unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("models"));
	let mut rng = rand::rngs::OsRng;
	for loaded in models::load_dir(&dir, &LoadContext::cpu())? {
		let model: &dyn EngineModel = &*loaded.model;
		let card = model.card();
		if !model.is_provable() {
			println!("{}: not provable, no keys", card.name);
			continue;
		}
		let keys = prover::write_keys(&dir, model, &mut rng)?;
		match prover::constraint_count(model) {
			Ok(constraints) => println!("{}: {constraints} constraints", card.name),
			Err(_) => println!("{}:", card.name),
		}
		println!("  proving key:   {}", keys.proving_key);
		println!("  verifying key: {} (SCALE, {} bytes)", keys.verifying_key_file.display(), keys.verifying_key_len);
		println!("  register with: {} --verifying-key-file {}", card.register_arguments(), keys.verifying_key_file.display());
	}
	Ok(())
}
