//! A provider node's memberships of private trainings: the member configs a hospital keeps next
//! to its node, and the engine model that answers every consortium the node is a member of.
//!
//! A hospital joins a consortium with the client's `fl-join`, which writes
//! `<chain data>/private-fl/consortium-<id>.json` (mode 0600): where its data file is, the
//! consortium's public [`Scales`], its index, its peers' published X25519 keys, the noise
//! variance, and two secrets drawn once (the data commitment's salt and the noise key). The
//! node's X25519 secret (`provider-x25519.key`, whose public half the worker published) never
//! enters the file: each pair's seed is derived from it and the peer's key when the member is
//! built ([`MemberConfig::member`]), with the context `genesis ‖ consortium` so that two
//! consortia, or two chains, never share a seed.
//!
//! [`NodeMembers`] is one [`EngineModel`] for all of a node's memberships (they share the
//! member circuit, so one weights hash): a job goes to the member whose data commitment its
//! input carries. A config written after the node started is read when the first job naming an
//! unknown commitment arrives, or when a member refuses a job after its config was rewritten
//! (re-joined with a peer's new key). [`PrivateFlFormat`] loads the model only once the node has
//! a config and the models directory the circuit's proving key, so that a node started before
//! either existed loads both later.

use super::{
	data::{parse_csv, Scales},
	masks::pair_seed,
	member::{Member, PeerSeed},
	step::{field_bytes, MemberInput},
	FEATURES,
};
use crate::{
	models::{hex, Claim, EngineModel, LoadContext, ModelCard, ModelFormat, Synthesizer},
	Error, Result,
};
use ark_bn254::Fr;
use ark_ff::PrimeField;
use ark_relations::gr1cs::{ConstraintSynthesizer, ConstraintSystemRef, SynthesisError};
use blake2::Digest;
use serde_json::{json, Value};
use std::{
	path::{Path, PathBuf},
	sync::{Arc, RwLock},
};

/// Where a node keeps its memberships and what its seeds are derived with.
#[derive(Clone)]
pub struct PrivateFlContext {
	/// The folder of `consortium-<id>.json` files (`<chain data>/private-fl`).
	pub dir: PathBuf,
	/// The node's X25519 secret (the half of the worker's published encryption key).
	pub x25519_secret: [u8; 32],
}

/// The context every pair's seed is derived with: the chain (its genesis hash) and the
/// consortium.
pub fn seed_context(genesis: &[u8; 32], consortium: u32) -> Vec<u8> {
	[&b"aichain/private-training"[..], genesis, &consortium.to_le_bytes()].concat()
}

/// The file of a membership in `dir`.
pub fn config_path(dir: &Path, consortium: u32) -> PathBuf {
	dir.join(format!("consortium-{consortium}.json"))
}

/// A peer of a membership: its index in the consortium and its worker's published X25519 key.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PeerKey {
	/// The peer's index.
	pub index: usize,
	/// Its published key.
	pub x25519: [u8; 32],
}

/// One membership, as kept in its config file.
#[derive(Clone, PartialEq)]
pub struct MemberConfig {
	/// The consortium's id on chain.
	pub consortium: u32,
	/// The chain's genesis hash.
	pub genesis: [u8; 32],
	/// This member's index in the consortium.
	pub index: usize,
	/// The hospital's records (the breast-cancer CSV layout), read when the member is built.
	pub data: PathBuf,
	/// The consortium's public quantization.
	pub scales: Scales,
	/// The noise's variance (the consortium's `σ²` on chain).
	pub sigma_squared: u64,
	/// The other members.
	pub peers: Vec<PeerKey>,
	/// The data commitment's salt (secret).
	pub salt: Fr,
	/// The noise key (secret).
	pub noise_key: [u8; 32],
}

/// Everything but the secrets (the salt and the noise key).
impl core::fmt::Debug for MemberConfig {
	fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
		f.debug_struct("MemberConfig")
			.field("consortium", &self.consortium)
			.field("index", &self.index)
			.field("data", &self.data)
			.field("sigma_squared", &self.sigma_squared)
			.field("peers", &self.peers)
			.finish_non_exhaustive()
	}
}

impl MemberConfig {
	/// Reads a config file.
	pub fn read(path: &Path) -> Result<Self> {
		Self::parse(&crate::read_file(path)?)
	}

	/// A config from its file's bytes.
	pub fn parse(bytes: &[u8]) -> Result<Self> {
		let value: Value = serde_json::from_slice(bytes).map_err(|e| malformed(e.to_string()))?;
		Self::from_json(&value)
	}

	/// Writes the config to `path` (mode 0600: it holds the salt and the noise key), replacing
	/// any earlier one.
	pub fn write(&self, path: &Path) -> Result<()> {
		let io = |source| Error::Io { path: path.to_owned(), source };
		if let Some(dir) = path.parent() {
			std::fs::create_dir_all(dir).map_err(io)?;
		}
		let tmp = path.with_extension("tmp");
		// A fresh file, so that the mode below applies (a leftover one keeps its own).
		let _ = std::fs::remove_file(&tmp);
		let mut options = std::fs::OpenOptions::new();
		options.write(true).create_new(true);
		#[cfg(unix)]
		std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
		let text = serde_json::to_vec_pretty(&self.to_json()).map_err(|e| malformed(e.to_string()))?;
		std::io::Write::write_all(&mut options.open(&tmp).map_err(io)?, &text).map_err(io)?;
		std::fs::rename(&tmp, path).map_err(io)
	}

	/// The config as JSON.
	pub fn to_json(&self) -> Value {
		json!({
			"consortium": self.consortium,
			"genesis": format!("0x{}", hex(&self.genesis)),
			"index": self.index,
			"data": self.data.display().to_string(),
			"scales": scales_to_json(&self.scales),
			"sigma_squared": self.sigma_squared,
			"peers": self.peers.iter().map(|p| json!({"index": p.index, "x25519": format!("0x{}", hex(&p.x25519))})).collect::<Vec<_>>(),
			"salt": format!("0x{}", hex(&field_bytes(&self.salt))),
			"noise_key": format!("0x{}", hex(&self.noise_key)),
		})
	}

	/// The config from its JSON.
	pub fn from_json(value: &Value) -> Result<Self> {
		let number = |key: &str| value[key].as_u64().ok_or_else(|| malformed(format!("{key}: a number")));
		let peers = value["peers"]
			.as_array()
			.ok_or_else(|| malformed("peers: a list".into()))?
			.iter()
			.map(|peer| {
				let index = peer["index"].as_u64().ok_or_else(|| malformed("a peer's index".into()))? as usize;
				Ok(PeerKey { index, x25519: bytes32(&peer["x25519"], "a peer's x25519")? })
			})
			.collect::<Result<_>>()?;
		let salt_bytes = bytes32(&value["salt"], "salt")?;
		let salt = Fr::from_le_bytes_mod_order(&salt_bytes);
		if field_bytes(&salt) != salt_bytes {
			return Err(malformed("salt: not a canonical field element".into()));
		}
		Ok(Self {
			consortium: u32::try_from(number("consortium")?).map_err(|e| malformed(e.to_string()))?,
			genesis: bytes32(&value["genesis"], "genesis")?,
			index: number("index")? as usize,
			data: value["data"].as_str().map(PathBuf::from).ok_or_else(|| malformed("data: a path".into()))?,
			scales: scales_from_json(&value["scales"])?,
			sigma_squared: number("sigma_squared")?,
			peers,
			salt,
			noise_key: bytes32(&value["noise_key"], "noise_key")?,
		})
	}

	/// The member: this hospital's records quantized with the consortium's scales, a seed with
	/// each peer from the node's X25519 secret and the peer's published key.
	pub fn member(&self, x25519_secret: &[u8; 32]) -> Result<Member> {
		let text = crate::read_file(&self.data)?;
		let text = String::from_utf8(text).map_err(|e| malformed(e.to_string()))?;
		let rows: Vec<_> = parse_csv(&text)?.iter().map(|record| self.scales.quantize(record)).collect();
		let context = seed_context(&self.genesis, self.consortium);
		let peers: Vec<PeerSeed> = self
			.peers
			.iter()
			.map(|peer| PeerSeed { index: peer.index, seed: pair_seed(x25519_secret, &peer.x25519, &context) })
			.collect();
		Member::new(&rows, self.salt, self.index, &peers, self.noise_key, self.sigma_squared)
	}
}

/// Public scales as JSON: `{"mean": [30 numbers], "std": [30 numbers]}`, each number a string
/// in Rust's shortest round-trip form, so that it reads back bit for bit (JSON parsers may not).
pub fn scales_to_json(scales: &Scales) -> Value {
	let strings = |values: &[f64]| values.iter().map(|v| format!("{v}")).collect::<Vec<_>>();
	json!({"mean": strings(&scales.mean), "std": strings(&scales.std)})
}

/// Public scales from their JSON.
pub fn scales_from_json(value: &Value) -> Result<Scales> {
	let column = |key: &str| -> Result<[f64; FEATURES]> {
		let values: Vec<f64> = value[key]
			.as_array()
			.ok_or_else(|| malformed(format!("scales.{key}: a list")))?
			.iter()
			.map(|v| v.as_str().and_then(|s| s.parse::<f64>().ok()).ok_or_else(|| malformed(format!("scales.{key}: numbers as strings"))))
			.collect::<Result<_>>()?;
		values.try_into().map_err(|v: Vec<f64>| malformed(format!("scales.{key}: {} numbers, not {FEATURES}", v.len())))
	};
	let std = column("std")?;
	if std.iter().any(|s| !(s.is_finite() && *s > 0.0)) {
		return Err(malformed("scales.std: positive numbers".into()));
	}
	Ok(Scales { mean: column("mean")?, std })
}

fn malformed(detail: String) -> Error {
	Error::Malformed { what: "private-training member config", detail }
}

fn bytes32(value: &Value, what: &str) -> Result<[u8; 32]> {
	let text = value.as_str().ok_or_else(|| malformed(format!("{what}: 0x and 64 hex digits")))?;
	let digits = text.strip_prefix("0x").unwrap_or(text);
	if digits.len() != 64 || !digits.is_ascii() {
		return Err(malformed(format!("{what}: 0x and 64 hex digits")));
	}
	let mut bytes = [0u8; 32];
	for (i, byte) in bytes.iter_mut().enumerate() {
		*byte = u8::from_str_radix(&digits[2 * i..2 * i + 2], 16).map_err(|_| malformed(format!("{what}: hex digits")))?;
	}
	Ok(bytes)
}

/// A membership the node has loaded: its file (and the hash of what it read there) and its
/// member (with the member's nonce log).
struct Joined {
	path: PathBuf,
	file_hash: [u8; 32],
	data_commitment: Fr,
	member: Arc<Member>,
}

/// Every membership of a node, as one engine model.
pub struct NodeMembers {
	card: ModelCard,
	context: PrivateFlContext,
	joined: RwLock<Vec<Joined>>,
}

impl NodeMembers {
	/// The memberships whose configs are in `context.dir` now.
	pub fn open(context: PrivateFlContext) -> Result<Self> {
		let card = Member::shape()?.card().clone();
		let members = Self { card, context, joined: RwLock::new(Vec::new()) };
		members.read_new_configs();
		Ok(members)
	}

	/// How many memberships are loaded.
	pub fn len(&self) -> usize {
		self.joined.read().map_or(0, |joined| joined.len())
	}

	/// Whether no membership is loaded.
	pub fn is_empty(&self) -> bool {
		self.len() == 0
	}

	/// Loads the configs of `context.dir` that are new or were rewritten since they were loaded
	/// (a config that does not load is skipped with a warning naming it); returns whether any
	/// was. Unchanged members are kept, with their nonce logs.
	fn read_new_configs(&self) -> bool {
		let mut files: Vec<PathBuf> = match std::fs::read_dir(&self.context.dir) {
			Ok(entries) => entries.flatten().map(|e| e.path()).collect(),
			Err(_) => return false,
		};
		files.retain(|p| p.is_file() && p.extension().is_some_and(|e| e == "json"));
		files.sort();
		let Ok(mut joined) = self.joined.write() else { return false };
		let mut loaded = false;
		for path in files {
			let Ok(bytes) = crate::read_file(&path) else { continue };
			let file_hash: [u8; 32] = blake2::Blake2b::<blake2::digest::consts::U32>::digest(&bytes).into();
			if joined.iter().any(|j| j.path == path && j.file_hash == file_hash) {
				continue;
			}
			match MemberConfig::parse(&bytes).and_then(|config| config.member(&self.context.x25519_secret)) {
				Ok(member) => {
					log::info!(target: "aichain::engine", "private training: member of {} loaded", path.display());
					joined.retain(|j| j.path != path);
					joined.push(Joined { path, file_hash, data_commitment: member.data_commitment(), member: Arc::new(member) });
					loaded = true;
				},
				Err(error) => log::warn!(target: "aichain::engine", "{}: not loaded: {error}", path.display()),
			}
		}
		loaded
	}

	/// The member a job's input is for, by its data commitment.
	fn member_for(&self, input: &[u8]) -> Result<Arc<Member>> {
		let wanted = MemberInput::decode(input)?.data_commitment;
		let joined = self.joined.read().map_err(|_| Error::InvalidInput("the memberships are poisoned".into()))?;
		joined
			.iter()
			.find(|j| j.data_commitment == wanted)
			.map(|j| j.member.clone())
			.ok_or_else(|| Error::InvalidInput("private training job refused: not this node's data commitment".into()))
	}

	/// `answer` of the job's member; if there is none, or it refuses, once more after reading
	/// the configs written since (a membership joined, or re-joined with new peer keys, after
	/// the node loaded it).
	fn with_member<R>(&self, input: &[u8], answer: impl Fn(&Member) -> Result<R>) -> Result<R> {
		match self.member_for(input).and_then(|member| answer(&member)) {
			Err(_) if self.read_new_configs() => answer(&*self.member_for(input)?),
			answered => answered,
		}
	}
}

impl EngineModel for NodeMembers {
	fn card(&self) -> &ModelCard {
		&self.card
	}

	fn check_input(&self, input: &[u8]) -> Result<()> {
		self.with_member(input, |member| member.check_input(input))
	}

	fn run(&self, input: &[u8]) -> Result<Vec<u8>> {
		self.with_member(input, |member| member.run(input))
	}

	fn circuit<'a>(&'a self, claim: Option<Claim<'a>>) -> Option<Synthesizer<'a>> {
		let circuit = match claim {
			None => Member::shape().and_then(|shape| shape.claim_circuit(None)),
			Some(claim) => self.with_member(claim.input, |member| member.claim_circuit(Some(claim))),
		};
		Some(Box::new(move |cs: ConstraintSystemRef<Fr>| circuit.map_err(|_| SynthesisError::Unsatisfiable)?.generate_constraints(cs)))
	}
}

/// Finds a node's memberships: one [`NodeMembers`] when the load context names a memberships
/// folder holding at least one config and the models directory holds the member circuit's
/// proving key, else nothing (the model then stays unknown until both exist and a job asks for
/// it, see the module docs).
pub struct PrivateFlFormat;

impl ModelFormat for PrivateFlFormat {
	fn name(&self) -> &'static str {
		"private-fl"
	}

	/// Nothing until the member circuit's proving key is in `dir/keys` too: a model loaded
	/// without its key would never prove (keys are read when a model loads).
	fn load(&self, dir: &Path, context: &LoadContext) -> Result<Vec<Box<dyn EngineModel>>> {
		let Some(private_fl) = &context.private_fl else { return Ok(Vec::new()) };
		if !crate::prover::KeyCache::new(dir.join("keys")).path(&super::circuit_id()).exists() {
			return Ok(Vec::new());
		}
		let members = NodeMembers::open(private_fl.clone())?;
		Ok(if members.is_empty() { Vec::new() } else { vec![Box::new(members)] })
	}
}

#[cfg(test)]
mod tests {
	use super::*;
	use crate::models::private_fl::{
		consortium::HOSPITALS,
		data,
		masks::{seed_commitment, Role},
		step::Peer,
		MAX_PEERS,
	};
	use rand::{rngs::StdRng, RngCore, SeedableRng};

	const CSV: &str = include_str!("../../../data/breast_cancer.csv");

	/// Four nodes' secrets, and each hospital's config (its records in `dir`).
	fn consortium(dir: &Path) -> (Vec<[u8; 32]>, Vec<MemberConfig>) {
		let mut rng = StdRng::seed_from_u64(7);
		let split = data::split(&data::parse_csv(CSV).unwrap());
		let scales = Scales::of(&split.hospitals.concat());
		let secrets: Vec<[u8; 32]> = (0..HOSPITALS).map(|_| { let mut s = [0u8; 32]; rng.fill_bytes(&mut s); s }).collect();
		let publics: Vec<[u8; 32]> =
			secrets.iter().map(|s| x25519_dalek::PublicKey::from(&x25519_dalek::StaticSecret::from(*s)).to_bytes()).collect();
		let configs = (0..HOSPITALS)
			.map(|i| {
				let path = dir.join(format!("hospital-{i}.csv"));
				let records = &split.hospitals[i];
				let lines: Vec<String> = records
					.iter()
					.map(|r| r.features.iter().map(|x| format!("{x}")).chain([r.label.to_string()]).collect::<Vec<_>>().join(","))
					.collect();
				std::fs::write(&path, format!("{},30,malignant,benign\n{}\n", records.len(), lines.join("\n"))).unwrap();
				let mut noise_key = [0u8; 32];
				rng.fill_bytes(&mut noise_key);
				MemberConfig {
					consortium: 5,
					genesis: [9; 32],
					index: i,
					data: path,
					scales: scales.clone(),
					sigma_squared: 40_000,
					peers: (0..HOSPITALS).filter(|k| *k != i).map(|k| PeerKey { index: k, x25519: publics[k] }).collect(),
					salt: Fr::from(1000 + i as u64),
					noise_key,
				}
			})
			.collect();
		(secrets, configs)
	}

	/// The job input of `member` (number `index`) with every peer active.
	fn input(member: &Member, index: usize, nonce: u64) -> Vec<u8> {
		let mut peers = [Peer::ABSENT; MAX_PEERS];
		for (slot, (k, commitment)) in member.seed_commitments().into_iter().enumerate() {
			peers[slot] = Peer { commitment, role: Role::between(index, k) };
		}
		MemberInput { parameters: [0; super::super::PARAMETERS], nonce, data_commitment: member.data_commitment(), peers }.encode()
	}

	#[test]
	fn a_config_reads_back_and_its_members_agree_on_every_pairs_seed() {
		let dir = tempfile::tempdir().unwrap();
		let (secrets, configs) = consortium(dir.path());
		let path = config_path(dir.path(), 5);
		configs[2].write(&path).unwrap();
		assert_eq!(MemberConfig::read(&path).unwrap(), configs[2]);
		#[cfg(unix)]
		{
			use std::os::unix::fs::PermissionsExt;
			assert_eq!(std::fs::metadata(&path).unwrap().permissions().mode() & 0o777, 0o600);
		}
		let members: Vec<Member> = configs.iter().zip(&secrets).map(|(c, s)| c.member(s).unwrap()).collect();
		for i in 0..HOSPITALS {
			for (k, commitment) in members[i].seed_commitments() {
				let theirs = members[k].seed_commitments().into_iter().find(|(j, _)| *j == i).unwrap().1;
				assert_eq!(commitment, theirs, "pair {i}–{k}");
			}
		}
		// Another consortium (or chain) gives the same hospitals other seeds.
		let other = MemberConfig { consortium: 6, ..configs[0].clone() }.member(&secrets[0]).unwrap();
		assert_ne!(other.seed_commitments(), members[0].seed_commitments());
		assert_ne!(seed_commitment(Fr::from(0u64)), members[0].seed_commitments()[0].1);
		// A tampered salt that is not a field element is refused.
		let mut json = configs[0].to_json();
		json["salt"] = Value::from(format!("0x{}", "ff".repeat(32)));
		assert!(MemberConfig::from_json(&json).is_err());
	}

	#[test]
	fn a_node_answers_each_of_its_memberships_picks_up_a_new_one_and_refuses_others() {
		let dir = tempfile::tempdir().unwrap();
		let (secrets, configs) = consortium(dir.path());
		let members: Vec<Member> = configs.iter().zip(&secrets).map(|(c, s)| c.member(s).unwrap()).collect();
		let memberships = dir.path().join("private-fl");
		let context = PrivateFlContext { dir: memberships.clone(), x25519_secret: secrets[1] };
		let load = LoadContext { device: candle_core::Device::Cpu, private_fl: Some(context.clone()) };
		// No config yet: no model (the node loads it when one is written).
		assert!(PrivateFlFormat.load(dir.path(), &load).unwrap().is_empty());
		assert!(PrivateFlFormat.load(dir.path(), &LoadContext::cpu()).unwrap().is_empty());

		configs[1].write(&config_path(&memberships, 5)).unwrap();
		assert!(PrivateFlFormat.load(dir.path(), &load).unwrap().is_empty(), "no model without the proving key");
		let key = crate::prover::KeyCache::new(dir.path().join("keys")).path(&super::super::circuit_id());
		std::fs::create_dir_all(key.parent().unwrap()).unwrap();
		std::fs::write(&key, b"the format only checks that it is there").unwrap();
		assert_eq!(PrivateFlFormat.load(dir.path(), &load).unwrap().len(), 1, "one model for every membership");
		let node = NodeMembers::open(context).unwrap();
		assert_eq!(node.len(), 1);
		let job = input(&members[1], 1, 5 << 32);
		assert_eq!(node.run(&job).unwrap(), members[1].run(&job).unwrap());
		assert!(node.check_input(&input(&members[0], 0, 5 << 32)).is_err(), "hospital 0's job is not this node's");

		// The same node joins a second consortium after it started: picked up at its first job.
		let second = MemberConfig { consortium: 6, salt: Fr::from(77u64), ..configs[1].clone() };
		second.write(&config_path(&memberships, 6)).unwrap();
		let joined_later = second.member(&secrets[1]).unwrap();
		let job = input(&joined_later, 1, 6 << 32);
		assert_eq!(node.run(&job).unwrap(), joined_later.run(&job).unwrap());
		assert_eq!(node.len(), 2);
		// A broken config is skipped, the others still served.
		std::fs::write(memberships.join("consortium-7.json"), b"{}").unwrap();
		assert!(node.check_input(&input(&members[0], 0, 7 << 32)).is_err());
		assert_eq!(node.len(), 2);
		assert!(node.check_input(&input(&members[1], 1, 8 << 32)).is_ok());

		// Re-joined with peer 0's new key: the node reads the rewritten config when its member
		// first refuses a job of the new seeds.
		let mut rejoined = configs[1].clone();
		rejoined.peers[0].x25519 = x25519_dalek::PublicKey::from(&x25519_dalek::StaticSecret::from([42u8; 32])).to_bytes();
		rejoined.write(&config_path(&memberships, 5)).unwrap();
		let rejoined = rejoined.member(&secrets[1]).unwrap();
		assert_eq!(rejoined.data_commitment(), members[1].data_commitment());
		let job = input(&rejoined, 1, (5 << 32) + 1);
		assert_eq!(node.run(&job).unwrap(), rejoined.run(&job).unwrap());
		assert_eq!(node.len(), 2);
	}
}
