//! Groth16 keys and proofs for quantized models.
//!
//! **Trust.** [`generate_keys`] is a single-party setup: whoever runs it (the model owner, who
//! registers the verifying key on chain) briefly holds the "toxic waste" (the random `α, β, γ,
//! δ, τ`) and could forge proofs for this model if it kept them. This engine draws them from the
//! operating system's randomness and drops them at once, but users must trust that. The
//! multi-party alternative is a phase-2 ceremony per circuit on top of a universal Powers of Tau
//! (as snarkjs and p0tion run it), secure if any one participant deletes its share; keys made
//! that way can be imported with `zk-import` (see `docs/zk-verification.md`).
//!
//! Proving keys are cached on disk per model (named by the model's weights SHA-256), so a
//! provider generates or downloads them once.

use crate::{
	circuit::MlpCircuit,
	quantized::{QuantizedMlp, INPUT_LEN},
	training_circuit::{self, TrainingStepCircuit},
	Error, Result,
};
use aichain_zk::{decode::encode, Proof, VerifyingKey};
use ark_bn254::Bn254;
use ark_groth16::{Groth16, ProvingKey};
use ark_serialize::{CanonicalDeserialize, CanonicalSerialize};
use ark_snark::{CircuitSpecificSetupSNARK, SNARK};
use ark_std::rand::{CryptoRng, RngCore};
use std::path::{Path, PathBuf};

/// Generates the proving key of `model`'s circuit with randomness from `rng` (see the module
/// docs for the trust this takes).
pub fn generate_keys<R: RngCore + CryptoRng>(model: &QuantizedMlp, rng: &mut R) -> Result<ProvingKey<Bn254>> {
	Ok(Groth16::<Bn254>::setup(MlpCircuit::for_setup(model), rng)?.0)
}

/// The chain's encoding of the verifying key inside `proving_key`.
pub fn verifying_key(proving_key: &ProvingKey<Bn254>) -> VerifyingKey {
	encode::verifying_key(&proving_key.vk)
}

/// Runs `model` on `input` and proves the result: returns the output bytes and the proof.
pub fn prove<R: RngCore + CryptoRng>(
	proving_key: &ProvingKey<Bn254>,
	model: &QuantizedMlp,
	input: &[u8],
	rng: &mut R,
) -> Result<(Vec<u8>, Proof)> {
	let input: [u8; INPUT_LEN] =
		input.try_into().map_err(|_| Error::InputLength { expected: INPUT_LEN, got: input.len() })?;
	let logits = model.logits(&input);
	let proof = Groth16::<Bn254>::prove(proving_key, MlpCircuit::for_claim(model, input, logits), rng)?;
	Ok((aichain_compute::fixed::encode_i32(&logits), encode::proof(&proof)))
}

/// Generates the proving key of the training-step circuit ([`crate::training_circuit`]).
pub fn generate_training_keys<R: RngCore + CryptoRng>(rng: &mut R) -> Result<ProvingKey<Bn254>> {
	Ok(Groth16::<Bn254>::setup(TrainingStepCircuit::default(), rng)?.0)
}

/// Runs a training-step job and proves it: returns the output bytes (the new parameters) and
/// the proof.
pub fn prove_training_step<R: RngCore + CryptoRng>(
	proving_key: &ProvingKey<Bn254>,
	input: &[u8],
	rng: &mut R,
) -> Result<(Vec<u8>, Proof)> {
	let (parameters, shard) = training_circuit::decode_input(input)?;
	let next = training_circuit::step(&parameters, &shard)?;
	let circuit = TrainingStepCircuit { input: Some(input.to_vec()), output: Some(next) };
	let proof = Groth16::<Bn254>::prove(proving_key, circuit, rng)?;
	Ok((aichain_compute::fixed::encode_i32(&next), encode::proof(&proof)))
}

/// Proving keys on disk, one file per model: `<dir>/<weights sha256 hex>.pk` (arkworks'
/// uncompressed encoding).
#[derive(Clone, Debug)]
pub struct KeyCache {
	dir: PathBuf,
}

impl KeyCache {
	/// A cache in `dir` (created when the first key is stored).
	pub fn new(dir: impl Into<PathBuf>) -> Self {
		Self { dir: dir.into() }
	}

	/// Where the key of the model with `weights_sha256` is kept.
	pub fn path(&self, weights_sha256: &[u8; 32]) -> PathBuf {
		let hex: String = weights_sha256.iter().map(|b| format!("{b:02x}")).collect();
		self.dir.join(format!("{hex}.pk"))
	}

	/// The cached key of `model`, generated with `rng` and stored if there is none.
	pub fn get_or_generate<R: RngCore + CryptoRng>(&self, model: &QuantizedMlp, rng: &mut R) -> Result<ProvingKey<Bn254>> {
		self.get_or_generate_with(&model.sha256()?, || generate_keys(model, rng))
	}

	/// The cached key of the model with `weights_sha256`, made by `generate` and stored if
	/// there is none.
	pub fn get_or_generate_with(
		&self,
		weights_sha256: &[u8; 32],
		generate: impl FnOnce() -> Result<ProvingKey<Bn254>>,
	) -> Result<ProvingKey<Bn254>> {
		if let Some(key) = self.get(weights_sha256)? {
			return Ok(key);
		}
		let key = generate()?;
		let path = self.path(weights_sha256);
		let mut bytes = Vec::new();
		key.serialize_uncompressed(&mut bytes)
			.map_err(|e| Error::KeyCache { path: path.clone(), detail: e.to_string() })?;
		crate::write_file(&path, &bytes)?;
		Ok(key)
	}

	/// The cached key of the model with `weights_sha256`, if there is one.
	pub fn get(&self, weights_sha256: &[u8; 32]) -> Result<Option<ProvingKey<Bn254>>> {
		let path = self.path(weights_sha256);
		if path.exists() {
			Self::read(&path).map(Some)
		} else {
			Ok(None)
		}
	}

	/// Reads a cached key. The file is this provider's own, so points are not re-validated
	/// (a damaged key only makes proofs that the chain rejects).
	fn read(path: &Path) -> Result<ProvingKey<Bn254>> {
		let bytes = crate::read_file(path)?;
		ProvingKey::deserialize_uncompressed_unchecked(&bytes[..])
			.map_err(|e| Error::KeyCache { path: path.to_owned(), detail: e.to_string() })
	}
}
