//! A consortium of four hospitals on one machine, dealt the breast-cancer records
//! ([`super::data::split`]): what the tests, the benchmark and the examples start from.
//!
//! Each hospital gets an X25519 key (standing for its worker's published encryption key), a salt,
//! a noise key and its seeds with the three others; its job inputs list its peers in index order.

use super::{
	data::{self, Row},
	masks::{pair_seed, seed_commitment, Role},
	member::{Member, PeerSeed},
	step::{MemberInput, Peer},
	MAX_PEERS, PARAMETERS,
};
use crate::Result;
use ark_bn254::Fr;
use ark_std::UniformRand;
use rand::{rngs::StdRng, RngCore, SeedableRng};

/// Hospitals of the consortium.
pub const HOSPITALS: usize = data::HOSPITAL_SHARES.len();

/// Four hospitals and the held-out test rows.
pub struct LocalConsortium {
	/// Each hospital's member.
	pub members: Vec<Member>,
	/// Each hospital's quantized rows.
	pub rows: Vec<Vec<Row>>,
	/// The held-out rows.
	pub test: Vec<Row>,
	/// `seeds[i][k]`: the seed hospitals `i` and `k` share.
	pub seeds: Vec<Vec<Fr>>,
}

impl LocalConsortium {
	/// Builds the consortium from the CSV's text, with keys drawn from `seed` and noise of
	/// variance `sigma_squared`.
	pub fn new(csv: &str, seed: u64, sigma_squared: u64) -> Result<Self> {
		let split = data::split(&data::parse_csv(csv)?);
		let scales = data::Scales::of(&split.hospitals.concat());
		let rows: Vec<Vec<Row>> = split.hospitals.iter().map(|h| h.iter().map(|r| scales.quantize(r)).collect()).collect();
		let mut rng = StdRng::seed_from_u64(seed);
		let secrets: Vec<[u8; 32]> = (0..HOSPITALS)
			.map(|_| {
				let mut secret = [0u8; 32];
				rng.fill_bytes(&mut secret);
				secret
			})
			.collect();
		let publics: Vec<[u8; 32]> =
			secrets.iter().map(|s| x25519_dalek::PublicKey::from(&x25519_dalek::StaticSecret::from(*s)).to_bytes()).collect();
		let seeds: Vec<Vec<Fr>> =
			(0..HOSPITALS).map(|i| (0..HOSPITALS).map(|k| pair_seed(&secrets[i], &publics[k], b"local consortium")).collect()).collect();
		let members = (0..HOSPITALS)
			.map(|i| {
				let peers: Vec<PeerSeed> = (0..HOSPITALS).filter(|k| *k != i).map(|k| PeerSeed { index: k, seed: seeds[i][k] }).collect();
				let mut noise_key = [0u8; 32];
				rng.fill_bytes(&mut noise_key);
				Member::new(&rows[i], Fr::rand(&mut rng), i, &peers, noise_key, sigma_squared)
			})
			.collect::<Result<_>>()?;
		Ok(Self { members, rows, test: split.test.iter().map(|r| scales.quantize(r)).collect(), seeds })
	}

	/// Hospital `i`'s job input: its peers in index order, masked only with the `active` ones.
	pub fn input(&self, i: usize, parameters: [i32; PARAMETERS], nonce: u64, active: &[bool; HOSPITALS]) -> MemberInput {
		let mut peers = [Peer::ABSENT; MAX_PEERS];
		for (slot, k) in (0..HOSPITALS).filter(|k| *k != i).enumerate() {
			if active[k] {
				peers[slot] = Peer { commitment: seed_commitment(self.seeds[i][k]), role: Role::between(i, k) };
			}
		}
		MemberInput { parameters, nonce, data_commitment: self.members[i].data_commitment(), peers }
	}
}
