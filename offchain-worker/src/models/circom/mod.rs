//! # Circom circuits, as their owners compiled them
//!
//! A dApp developer with a circom circuit and snarkjs' Groth16 key serves it on the market
//! unchanged: the provider computes the witness with the circuit's own wasm witness generator
//! ([`witness`], on wasmtime, with limits) and proves it with arkworks and the `.zkey`'s
//! proving key ([`zkey`], [`reduction`]); the chain checks the proof with the verifying key the
//! owner registered (`aichain-client register-model --snarkjs-verification-key`).
//!
//! The circuit's public signals must be the chain's zk layout, `[lengths, pack(input)…,
//! pack(output)…]`, and its one input signal `input_bytes` the job's input bytes: the template
//! `primitives/zk-circuits/circom/aichain.circom` does both (`JobStatement`). The output is read
//! from the witness's public signals, so the circuit computes it.
//!
//! Files: a folder `<models dir>/<name>/` with `model.json` ([`manifest`]: kind, lengths, the
//! two files' SHA-256), the witness generator and the `.zkey`. The weights hash on chain is the
//! SHA-256 of `model.json`. `scripts/circom-model.sh` makes all three from a `.circom` file.

pub mod manifest;
pub mod reduction;
pub mod witness;
pub mod wtns;
pub mod zkey;

use super::{Claim, EngineModel, LoadContext, ModelCard, ModelFormat};
use crate::{Error, Result};
use aichain_compute::{zk_lengths_word, zk_public_input_count, BYTES_PER_SCALAR};
use aichain_zk::Proof;
use ark_bn254::{Bn254, Fr};
use ark_ff::{BigInteger, PrimeField};
use ark_groth16::ProvingKey;
use ark_std::rand::RngCore;
use manifest::Manifest;
use std::{path::Path, sync::Mutex};
use witness::{Limits, WitnessGenerator};
use zkey::{Header, Matrices, Zkey};
pub use zkey::MAX_DOMAIN;

/// The circuit's input signal: the job's input, one byte per value.
pub const INPUT_SIGNAL: &str = "input_bytes";

/// A circom circuit as the engine serves it.
pub struct CircomModel {
	manifest: Manifest,
	card: ModelCard,
	witness: WitnessGenerator,
	header: Header,
	matrices: Matrices,
	/// The `.zkey`'s proving key until the engine takes it.
	proving_key: Mutex<Option<ProvingKey<Bn254>>>,
}

impl CircomModel {
	/// The model in folder `dir`, if it has a circom `model.json`. Checks the files' hashes,
	/// compiles the witness generator and reads the key's matrices; errors if the key's public
	/// signals are not the chain's layout for the manifest's lengths.
	pub fn load(dir: &Path, limits: Limits) -> Result<Option<Self>> {
		let Some((manifest, files)) = Manifest::read(dir)? else { return Ok(None) };
		let zkey = Zkey::parse(&files.zkey)?;
		let (header, matrices) = (zkey.header, zkey.matrices()?);
		let (input_len, output_len) = (manifest.input_len as usize, manifest.output_len as usize);
		let bad = |detail: String| Error::Malformed { what: "circom model", detail: format!("{}: {detail}", dir.display()) };
		let public = zk_public_input_count(input_len, output_len);
		if header.public != public {
			return Err(bad(format!(
				"the circuit has {} public signals; the chain's layout for {input_len} input and {output_len} output bytes has {public} (use aichain.circom's JobStatement)",
				header.public
			)));
		}
		if (matrices.constraints() + public + 1).next_power_of_two() != header.domain_size {
			return Err(bad(format!("{} constraints in a domain of {}", matrices.constraints(), header.domain_size)));
		}
		let proving_key = zkey.proving_key()?;
		let witness = WitnessGenerator::new(&files.wasm, limits)?;
		let card = ModelCard {
			name: manifest.name.clone(),
			kind: manifest.kind,
			weights_sha256: manifest.sha256,
			max_input_len: manifest.input_len,
			max_output_len: manifest.output_len,
			output_tolerance: 0,
		};
		Ok(Some(Self { manifest, card, witness, header, matrices, proving_key: Mutex::new(Some(proving_key)) }))
	}

	/// The circuit's constraints.
	pub fn constraints(&self) -> usize {
		self.matrices.constraints()
	}

	/// The proving key read from the `.zkey` at load (every point checked), handed out once (to
	/// the engine, which keeps it); later calls read the file again.
	pub fn proving_key(&self) -> Result<ProvingKey<Bn254>> {
		if let Some(key) = self.proving_key.lock().ok().and_then(|mut key| key.take()) {
			return Ok(key);
		}
		Zkey::parse(&crate::read_file(&self.manifest.zkey)?)?.proving_key()
	}

	/// The witness of `input` and the output it holds. Errors ([`Error::Witness`]) if the input
	/// does not satisfy the circuit, or its public signals are not the chain's statement of
	/// `input`.
	pub fn witness(&self, input: &[u8]) -> Result<(Vec<Fr>, Vec<u8>)> {
		let input_len = self.manifest.input_len as usize;
		if input.len() != input_len {
			return Err(Error::InputLength { expected: input_len, got: input.len() });
		}
		let values = input.iter().map(|b| Fr::from(*b as u64)).collect();
		let witness = self.witness.calculate(&[(INPUT_SIGNAL, values)], self.header.signals)?;
		let output = self.statement_output(input, &witness[1..=self.header.public])?;
		Ok((witness, output))
	}

	/// Checks the public signals' lengths word and input scalars, and unpacks the output.
	fn statement_output(&self, input: &[u8], public: &[Fr]) -> Result<Vec<u8>> {
		let output_len = self.manifest.output_len as usize;
		let wrong = |what: &str| Error::Witness(format!("the circuit's public {what} is not the chain's (see aichain.circom)"));
		if public[0] != Fr::from(zk_lengths_word(input.len(), output_len)) {
			return Err(wrong("lengths word"));
		}
		let input_scalars = input.len().div_ceil(BYTES_PER_SCALAR);
		if input.chunks(BYTES_PER_SCALAR).zip(&public[1..]).any(|(chunk, s)| aichain_zk_circuits::packed(chunk) != *s) {
			return Err(wrong("input"));
		}
		let mut output = Vec::with_capacity(output_len);
		for (i, scalar) in public[1 + input_scalars..].iter().enumerate() {
			let bytes = scalar.into_bigint().to_bytes_le();
			let take = (output_len - i * BYTES_PER_SCALAR).min(BYTES_PER_SCALAR);
			if bytes[take..].iter().any(|b| *b != 0) {
				return Err(wrong("output packing"));
			}
			output.extend_from_slice(&bytes[..take]);
		}
		Ok(output)
	}
}

impl EngineModel for CircomModel {
	fn card(&self) -> &ModelCard {
		&self.card
	}

	/// Runs the witness generator (bounded by its [`Limits`]): an input the circuit does not
	/// accept is declined before it is queued.
	fn check_input(&self, input: &[u8]) -> Result<()> {
		self.witness(input).map(drop)
	}

	fn run(&self, input: &[u8]) -> Result<Vec<u8>> {
		Ok(self.witness(input)?.1)
	}

	fn is_provable(&self) -> bool {
		true
	}

	fn bundled_proving_key(&self) -> Option<Result<ProvingKey<Bn254>>> {
		Some(self.proving_key())
	}

	fn prove(&self, proving_key: &ProvingKey<Bn254>, claim: Claim<'_>, rng: &mut dyn RngCore) -> Option<Result<Proof>> {
		Some(self.witness(claim.input).and_then(|(witness, output)| {
			if output != claim.output {
				return Err(Error::Witness("the claimed output is not the circuit's".into()));
			}
			reduction::prove(proving_key, &self.matrices, &witness, rng)
		}))
	}
}

/// Finds circom models: folders of the models directory with a circom `model.json`.
pub struct CircomFormat;

impl ModelFormat for CircomFormat {
	fn name(&self) -> &'static str {
		"circom circuit"
	}

	fn load(&self, dir: &Path, _: &LoadContext) -> Result<Vec<Box<dyn EngineModel>>> {
		let mut folders: Vec<_> = match std::fs::read_dir(dir) {
			Ok(entries) => entries.flatten().map(|e| e.path()).filter(|p| p.join(manifest::FILE).is_file()).collect(),
			Err(_) => return Ok(Vec::new()),
		};
		folders.sort();
		let mut models: Vec<Box<dyn EngineModel>> = Vec::new();
		for folder in folders {
			match CircomModel::load(&folder, Limits::default()) {
				Ok(Some(model)) => models.push(Box::new(model)),
				Ok(None) => {},
				Err(error) => log::warn!(target: "aichain::engine", "{}: not loaded: {error}", folder.display()),
			}
		}
		Ok(models)
	}
}
