//! A hospital's member of a private training, as the engine serves it: the [`EngineModel`] that
//! answers the member's shard jobs with its masked update and proves it.
//!
//! It holds what never leaves the hospital: the padded rows, the commitment's salt, the seed of
//! each pair (found by its public commitment in the job input) and a noise key. The round's
//! noise is drawn from `ChaCha20(BLAKE2b-256("aichain/fl-noise" ‖ noise key ‖ job input))`, so
//! running and proving a job give the same output, and the same input always gets the same noise
//! (asking twice reveals nothing new); a retried round has a fresh nonce, hence fresh noise.

use super::{
	circuit::{output_bytes, MemberCircuit},
	data::{padded, Row},
	noise::member_noise,
	step::{data_commitment, masked_update, MemberInput, MemberSecrets},
	masks::{seed_commitment, Role},
	circuit_id, INPUT_LEN, MAX_PEERS, OUTPUT_LEN, PARAMETERS,
};
use crate::{
	models::{Claim, EngineModel, ModelCard, Synthesizer},
	Error, Result,
};
use aichain_compute::ModelKind;
use ark_bn254::Fr;
use ark_relations::gr1cs::{ConstraintSynthesizer, ConstraintSystemRef, SynthesisError};
use blake2::Digest;
use rand::SeedableRng;

/// One member's private state.
pub struct Member {
	card: ModelCard,
	rows: Vec<Row>,
	salt: Fr,
	seeds: Vec<Fr>,
	noise_key: [u8; 32],
	sigma_squared: u64,
}

impl Member {
	/// A member holding `rows` (at most `MAX_ROWS`), committed with `salt`, sharing `seeds` with
	/// its peers, drawing noise of variance `sigma_squared` from `noise_key`.
	pub fn new(rows: &[Row], salt: Fr, seeds: Vec<Fr>, noise_key: [u8; 32], sigma_squared: u64) -> Result<Self> {
		let card = ModelCard {
			name: String::from("private federated-learning member"),
			kind: ModelKind::TrainingStep,
			weights_sha256: circuit_id(),
			max_input_len: INPUT_LEN as u32,
			max_output_len: OUTPUT_LEN as u32,
			output_tolerance: 0,
		};
		Ok(Self { card, rows: padded(rows)?, salt, seeds, noise_key, sigma_squared })
	}

	/// The commitment to this member's data, published once when it joins.
	pub fn data_commitment(&self) -> Fr {
		data_commitment(&self.rows, self.salt)
	}

	/// The witness of a job: the rows, the salt, each active slot's seed (found by its
	/// commitment) and the job's noise.
	pub fn secrets(&self, input: &MemberInput) -> Result<MemberSecrets> {
		let mut seeds = [Fr::from(0u64); MAX_PEERS];
		for (slot, peer) in seeds.iter_mut().zip(&input.peers) {
			if peer.role != Role::Absent {
				*slot = *self
					.seeds
					.iter()
					.find(|seed| seed_commitment(**seed) == peer.commitment)
					.ok_or_else(|| Error::InvalidInput("no seed of this member opens a peer's commitment".into()))?;
			}
		}
		let digest: [u8; 32] = blake2::Blake2b::<blake2::digest::consts::U32>::new()
			.chain_update(b"aichain/fl-noise")
			.chain_update(self.noise_key)
			.chain_update(input.encode())
			.finalize()
			.into();
		let noise = member_noise::<PARAMETERS>(self.sigma_squared, &mut rand_chacha::ChaCha20Rng::from_seed(digest));
		Ok(MemberSecrets { rows: self.rows.clone(), salt: self.salt, seeds, noise })
	}

	fn answer(&self, input: &[u8]) -> Result<(MemberInput, MemberSecrets, [u32; PARAMETERS])> {
		let input = MemberInput::decode(input)?;
		let secrets = self.secrets(&input)?;
		let output = masked_update(&input, &secrets).map_err(|e| Error::InvalidInput(e.to_string()))?;
		Ok((input, secrets, output))
	}
}

impl EngineModel for Member {
	fn card(&self) -> &ModelCard {
		&self.card
	}

	/// Refuses a job that is not this member's: another data commitment, or a peer seed it does
	/// not hold (the provider declines instead of never answering).
	fn check_input(&self, input: &[u8]) -> Result<()> {
		self.answer(input).map(drop)
	}

	fn run(&self, input: &[u8]) -> Result<Vec<u8>> {
		Ok(output_bytes(&self.answer(input)?.2))
	}

	fn circuit<'a>(&'a self, claim: Option<Claim<'a>>) -> Option<Synthesizer<'a>> {
		let circuit = match claim {
			None => Ok(MemberCircuit::default()),
			Some(Claim { input, output }) => self.answer(input).and_then(|(input, secrets, _)| {
				let words: [u32; PARAMETERS] = output
					.chunks_exact(4)
					.map(|w| u32::from_le_bytes(w.try_into().expect("4 bytes; qed")))
					.collect::<Vec<_>>()
					.try_into()
					.map_err(|_| Error::InputLength { expected: OUTPUT_LEN, got: output.len() })?;
				Ok(MemberCircuit { input: Some(input), output: Some(words), secrets: Some(secrets) })
			}),
		};
		Some(Box::new(move |cs: ConstraintSystemRef<Fr>| circuit.map_err(|_| SynthesisError::Unsatisfiable)?.generate_constraints(cs)))
	}
}
