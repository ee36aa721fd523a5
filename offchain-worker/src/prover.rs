//! Groth16 keys and proofs for every provable model: one code path for all of them, through
//! [`EngineModel::circuit`].
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
	models::{Claim, EngineModel, Synthesizer},
	Error, Result,
};
use aichain_zk::{decode::encode, Proof, VerifyingKey};
use ark_bn254::{Bn254, Fr};
use ark_groth16::{Groth16, ProvingKey};
use ark_relations::gr1cs::{ConstraintSynthesizer, ConstraintSystem, ConstraintSystemRef, SynthesisError, SynthesisMode};
use ark_serialize::{CanonicalDeserialize, CanonicalSerialize};
use ark_snark::{CircuitSpecificSetupSNARK, SNARK};
use ark_std::rand::{CryptoRng, RngCore};
use std::path::{Path, PathBuf};

/// A model's [`Synthesizer`] as arkworks takes circuits.
struct ModelCircuit<'a>(Synthesizer<'a>);

impl ConstraintSynthesizer<Fr> for ModelCircuit<'_> {
	fn generate_constraints(self, cs: ConstraintSystemRef<Fr>) -> Result<(), SynthesisError> {
		(self.0)(cs)
	}
}

/// The circuit of `model` for `claim`, or [`Error::NoCircuit`].
fn circuit<'a>(model: &'a dyn EngineModel, claim: Option<Claim<'a>>) -> Result<ModelCircuit<'a>> {
	model.circuit(claim).map(ModelCircuit).ok_or_else(|| Error::NoCircuit(model.card().name.clone()))
}

/// Generates the proving key of `model`'s circuit with randomness from `rng` (see the module
/// docs for the trust this takes).
pub fn generate_keys<R: RngCore + CryptoRng>(model: &dyn EngineModel, rng: &mut R) -> Result<ProvingKey<Bn254>> {
	Ok(Groth16::<Bn254>::setup(circuit(model, None)?, rng)?.0)
}

/// The chain's encoding of the verifying key inside `proving_key`.
pub fn verifying_key(proving_key: &ProvingKey<Bn254>) -> VerifyingKey {
	encode::verifying_key(&proving_key.vk)
}

/// What [`write_keys`] wrote: where the proving key is and the verifying key's file.
pub struct ModelKeys {
	/// Where the proving key is (a file, or "in the model's own files").
	pub proving_key: String,
	/// The SCALE-encoded verifying key's file, which the model owner registers.
	pub verifying_key_file: PathBuf,
	/// Its length in bytes.
	pub verifying_key_len: usize,
}

/// The keys of `model` in the models directory `dir`: its proving key (the one it comes with,
/// or `dir/keys/<weights sha256>.pk`, generated with `rng` if absent) and, always rewritten from
/// it so that it can never be stale, the verifying key `dir/keys/<weights sha256>.vk`.
pub fn write_keys<R: RngCore + CryptoRng>(dir: &Path, model: &dyn EngineModel, rng: &mut R) -> Result<ModelKeys> {
	let cache = KeyCache::new(dir.join("keys"));
	let sha = model.card().weights_sha256;
	let (key, proving_key) = match model.bundled_proving_key() {
		Some(key) => (key?, "in the model's own files".to_owned()),
		None => (cache.get_or_generate(model, rng)?, cache.path(&sha).display().to_string()),
	};
	let encoded = codec::Encode::encode(&verifying_key(&key));
	let verifying_key_file = cache.path(&sha).with_extension("vk");
	crate::write_file(&verifying_key_file, &encoded)?;
	Ok(ModelKeys { proving_key, verifying_key_file, verifying_key_len: encoded.len() })
}

/// Runs `model` on `input` and proves the result (from its circuit, or the model's own
/// [`EngineModel::prove`]): returns the output bytes and the proof.
pub fn prove<R: RngCore + CryptoRng>(
	proving_key: &ProvingKey<Bn254>,
	model: &dyn EngineModel,
	input: &[u8],
	rng: &mut R,
) -> Result<(Vec<u8>, Proof)> {
	// arkworks' gadgets open a tracing span per operation that records its operands, their
	// constraint system included, with `Debug`. Under a node's subscriber that formats the
	// whole system at every multiplication: quadratic in the circuit's size (a 75,603-constraint
	// member circuit never finished in a node, while it proves in 2 s without). Proofs therefore
	// run with no subscriber.
	tracing::subscriber::with_default(tracing::subscriber::NoSubscriber::default(), || {
		model.check_input(input)?;
		let output = model.run(input)?;
		let claim = Claim { input, output: &output };
		let proof = match model.prove(proving_key, claim, rng) {
			Some(proof) => proof?,
			None => encode::proof(&Groth16::<Bn254>::prove(proving_key, circuit(model, Some(claim))?, rng)?),
		};
		Ok((output, proof))
	})
}

/// The number of constraints of `model`'s circuit.
pub fn constraint_count(model: &dyn EngineModel) -> Result<usize> {
	let cs = ConstraintSystem::<Fr>::new_ref();
	cs.set_mode(SynthesisMode::Setup);
	circuit(model, None)?.generate_constraints(cs.clone())?;
	cs.finalize();
	Ok(cs.num_constraints())
}

/// Whether the claim `model(input) = output` satisfies `model`'s circuit (checked without
/// proving: a false claim must not).
pub fn is_satisfied(model: &dyn EngineModel, input: &[u8], output: &[u8]) -> Result<bool> {
	let cs = ConstraintSystem::<Fr>::new_ref();
	match circuit(model, Some(Claim { input, output }))?.generate_constraints(cs.clone()) {
		Ok(()) => Ok(cs.is_satisfied()?),
		Err(SynthesisError::Unsatisfiable) => Ok(false),
		Err(other) => Err(other.into()),
	}
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
	pub fn get_or_generate<R: RngCore + CryptoRng>(&self, model: &dyn EngineModel, rng: &mut R) -> Result<ProvingKey<Bn254>> {
		self.get_or_generate_with(&model.card().weights_sha256, || generate_keys(model, rng))
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
