//! A hospital's member of a private training, as the engine serves it: the [`EngineModel`] that
//! answers the member's shard jobs with its masked update and proves it.
//!
//! It holds what never leaves the hospital: the padded rows, the commitment's salt, the seed of
//! each pair (found by its public commitment in the job input) and a noise key. The round's
//! noise is drawn from `ChaCha20(BLAKE2b-256("aichain/fl-noise" ‖ noise key ‖ job input))`, so
//! running and proving a job give the same output, and the same input always gets the same noise
//! (asking twice reveals nothing new); a retried round has a fresh nonce, hence fresh noise.
//!
//! The member also guards itself against whoever writes its job inputs (the chain's pallet, but
//! the member does not take that on trust): it answers only inputs whose active slots are its
//! real peers, each once, in the pair's real order, with at least [`MIN_PEERS`] of them, and
//! never two different inputs under one nonce (their difference would cancel the masks). The
//! log of answered nonces is kept in memory: a restarted node relies on the chain's nonces.

use super::{
	circuit::{output_bytes, MemberCircuit},
	data::{padded, Row},
	noise::member_noise,
	step::{data_commitment, masked_update, update, MemberInput, MemberSecrets},
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
use std::{collections::BTreeMap, sync::Mutex};

/// Active peers a member's input must have at least: with one, the sum of the two outputs would
/// be the other member's update.
pub const MIN_PEERS: usize = 2;

/// A peer of this member: its index in the consortium and the seed they share.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PeerSeed {
	/// The peer's index in the consortium.
	pub index: usize,
	/// The seed of the pair.
	pub seed: Fr,
}

/// One member's private state.
pub struct Member {
	card: ModelCard,
	rows: Vec<Row>,
	salt: Fr,
	data_commitment: Fr,
	index: usize,
	peers: Vec<(PeerSeed, Fr)>,
	noise_key: [u8; 32],
	sigma_squared: u64,
	answered: Mutex<BTreeMap<u64, [u8; 32]>>,
}

impl Member {
	/// Member number `index` of its consortium, holding `rows` (at most `MAX_ROWS`, features in
	/// `−8..=7`), committed with `salt`, sharing a seed with each of `peers`, drawing noise of
	/// variance `sigma_squared` from `noise_key`.
	pub fn new(
		rows: &[Row],
		salt: Fr,
		index: usize,
		peers: &[PeerSeed],
		noise_key: [u8; 32],
		sigma_squared: u64,
	) -> Result<Self> {
		let card = ModelCard {
			name: String::from("private federated-learning member"),
			kind: ModelKind::PrivateTrainingMember,
			weights_sha256: circuit_id(),
			max_input_len: INPUT_LEN as u32,
			max_output_len: OUTPUT_LEN as u32,
			output_tolerance: 0,
		};
		let peers = peers.iter().map(|p| (*p, seed_commitment(p.seed))).collect();
		let answered = Mutex::new(BTreeMap::new());
		let rows = padded(rows)?;
		let data_commitment = data_commitment(&rows, salt);
		Ok(Self { card, rows, salt, data_commitment, index, peers, noise_key, sigma_squared, answered })
	}

	/// A member with no data and no peers: the circuit's shape, for generating its keys.
	pub fn shape() -> Result<Self> {
		Self::new(&[], Fr::from(0u64), 0, &[], [0; 32], 1)
	}

	/// The commitment to this member's data, published once when it joins.
	pub fn data_commitment(&self) -> Fr {
		self.data_commitment
	}

	/// Each peer's index and the commitment to the seed this member shares with it, published
	/// once when it joins.
	pub fn seed_commitments(&self) -> Vec<(usize, Fr)> {
		self.peers.iter().map(|(peer, commitment)| (peer.index, *commitment)).collect()
	}

	/// This member's clipped update plus its noise for a job `input`, unmasked (what the sum of
	/// a round adds for it): for its own audit, and for tests that check the chain's sum. An
	/// error for an input it refuses; the nonce is not logged.
	pub fn unmasked(&self, input: &[u8]) -> Result<[i32; PARAMETERS]> {
		let input = MemberInput::decode(input)?;
		let secrets = self.secrets(&input)?;
		let update = update(&input.parameters, &secrets.rows);
		Ok(core::array::from_fn(|j| update[j].wrapping_add(secrets.noise[j])))
	}

	/// The circuit of `claim` (`None`: its shape), with its witness; an error for a claim this
	/// member refuses to answer.
	pub fn claim_circuit(&self, claim: Option<Claim<'_>>) -> Result<MemberCircuit> {
		let Some(Claim { input, output }) = claim else { return Ok(MemberCircuit::default()) };
		let (input, secrets, _, _) = self.answer(input)?;
		let words: [u32; PARAMETERS] = output
			.chunks_exact(4)
			.map(|w| u32::from_le_bytes(w.try_into().expect("4 bytes; qed")))
			.collect::<Vec<_>>()
			.try_into()
			.map_err(|_| Error::InputLength { expected: OUTPUT_LEN, got: output.len() })?;
		Ok(MemberCircuit { input: Some(input), output: Some(words), secrets: Some(secrets) })
	}

	/// The witness of a job: the rows, the salt, each active slot's seed (found by its
	/// commitment) and the job's noise. An error for an input this member must not answer:
	/// another member's data commitment, a slot that is not one of its peers, a peer twice, a role against the pair's order, fewer
	/// than [`MIN_PEERS`] peers.
	pub fn secrets(&self, input: &MemberInput) -> Result<MemberSecrets> {
		let refuse = |why: &str| Error::InvalidInput(format!("private training job refused: {why}"));
		if input.data_commitment != self.data_commitment {
			return Err(refuse("not this member's data commitment"));
		}
		let mut seeds = [Fr::from(0u64); MAX_PEERS];
		let mut seen = Vec::with_capacity(MAX_PEERS);
		for (slot, peer) in seeds.iter_mut().zip(&input.peers) {
			if peer.role == Role::Absent {
				continue;
			}
			let (found, _) = self.peers.iter().find(|(_, c)| *c == peer.commitment).ok_or_else(|| refuse("a slot is not one of this member's peers"))?;
			if peer.role != Role::between(self.index, found.index) {
				return Err(refuse("a mask's sign is against the pair's order"));
			}
			if seen.contains(&found.index) {
				return Err(refuse("a peer appears twice"));
			}
			seen.push(found.index);
			*slot = found.seed;
		}
		if seen.len() < MIN_PEERS {
			return Err(refuse("fewer than 2 peers would let the sum reveal an update"));
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

	/// The input, witness and output of a job; an error for an input this member refuses,
	/// including another input under a nonce it already answered.
	fn answer(&self, input: &[u8]) -> Result<(MemberInput, MemberSecrets, [u32; PARAMETERS], [u8; 32])> {
		let digest: [u8; 32] = blake2::Blake2b::<blake2::digest::consts::U32>::digest(input).into();
		let input = MemberInput::decode(input)?;
		let answered = self.answered.lock().map_err(|_| Error::InvalidInput("the nonce log is poisoned".into()))?;
		if answered.get(&input.nonce).is_some_and(|earlier| *earlier != digest) {
			return Err(Error::InvalidInput(format!("nonce {} was already answered for another input", input.nonce)));
		}
		drop(answered);
		let secrets = self.secrets(&input)?;
		let output = masked_update(&input, &secrets).map_err(|e| Error::InvalidInput(e.to_string()))?;
		Ok((input, secrets, output, digest))
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

	/// The masked update; the nonce is logged as answered by this input.
	fn run(&self, input: &[u8]) -> Result<Vec<u8>> {
		let (input, _, output, digest) = self.answer(input)?;
		let mut answered = self.answered.lock().map_err(|_| Error::InvalidInput("the nonce log is poisoned".into()))?;
		if *answered.entry(input.nonce).or_insert(digest) != digest {
			return Err(Error::InvalidInput(format!("nonce {} was already answered for another input", input.nonce)));
		}
		Ok(output_bytes(&output))
	}

	fn circuit<'a>(&'a self, claim: Option<Claim<'a>>) -> Option<Synthesizer<'a>> {
		let circuit = self.claim_circuit(claim);
		Some(Box::new(move |cs: ConstraintSystemRef<Fr>| circuit.map_err(|_| SynthesisError::Unsatisfiable)?.generate_constraints(cs)))
	}
}
