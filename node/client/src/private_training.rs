//! Private federated learning from the command line (`docs/federated-learning.md`): the model
//! owner's setup, each hospital's joining, governance's budget, the owner's rounds.
//!
//! - `fl-split` (no node): deals the breast-cancer CSV to four hospitals' files, and writes the
//!   consortium's public scales and the held-out rows (quantized) the accuracy is measured on.
//! - `fl-keys` (no node): the member circuit's Groth16 keys in a models directory (the proving
//!   key providers need, the verifying key the owner registers).
//! - `create-consortium`, `start-round [--wait]`, `close-consortium`: the owner's calls.
//! - `fl-join`, signed by a member's worker account, on the hospital's machine: writes the
//!   node's membership config (`<chain data>/private-fl/consortium-N.json`, mode 0600: its salt
//!   and noise key are secret), then publishes the data commitment and each pair's seed
//!   commitment that is not yet agreed. Re-running it keeps the salt and noise key.
//! - `set-privacy-budget`: a referendum on the `model-admin` track (or `root`).
//! - `consortium N [--held-out F]`: the consortium's state on chain, and the global model's
//!   accuracy on the held-out rows.
//! - `fl-update` (the hospital's own audit, no chain access to its data): what its masked
//!   output adds to the round's sum for a job input (`update + noise`).

use crate::{
	aic, find_event, submit,
	values::{bytes, items, number, variant_name},
	Client,
};
use aichain_offchain_worker::{
	models::{
		hex as to_hex,
		private_fl::{
			self, data,
			member::Member,
			node::{config_path, scales_from_json, scales_to_json, MemberConfig, PeerKey},
			step::field_bytes,
			PARAMETERS,
		},
		EngineModel,
	},
	prover,
	sealed::WorkerKey,
};
use anyhow::{anyhow, bail, ensure, Context, Result};
use ark_std::UniformRand;
use clap::Subcommand;
use rand::RngCore;
use scale_value::{At, Value};
use std::path::{Path, PathBuf};
use subxt::{dynamic, utils::AccountId32};
use subxt_signer::sr25519::Keypair;

/// The private-training commands.
#[derive(Subcommand)]
pub enum FlCommand {
	/// Deal a breast-cancer CSV to four hospitals (`hospital-0.csv` …), with the consortium's
	/// public scales (`scales.json`) and the held-out rows (`held-out.json`).
	FlSplit {
		#[arg(long)]
		csv: PathBuf,
		#[arg(long)]
		out: PathBuf,
	},
	/// Generate the member circuit's keys into a models directory (kept if there); print the
	/// `register-model` arguments.
	FlKeys {
		#[arg(long)]
		models_dir: PathBuf,
	},
	/// Create a consortium of member workers (SS58, in hospital order) on a member-circuit model.
	CreateConsortium {
		#[arg(long)]
		model: u32,
		#[arg(long, value_delimiter = ',')]
		members: Vec<String>,
		/// The members' noise standard deviation, in units of 2^-16 of a parameter.
		#[arg(long, default_value_t = 200)]
		sigma: u64,
	},
	/// Join a consortium as the signing worker: write the node's membership config and publish
	/// the data and seed commitments.
	FlJoin {
		#[arg(long)]
		consortium: u32,
		/// The hospital's records (the breast-cancer CSV layout); never sent anywhere.
		#[arg(long)]
		data: PathBuf,
		/// The consortium's public scales (`fl-split`'s `scales.json`).
		#[arg(long)]
		scales: PathBuf,
		/// The provider node's chain data (`<base path>/chains/<chain id>`), which holds its
		/// `provider-x25519.key`.
		#[arg(long)]
		node_data: PathBuf,
	},
	/// Propose a consortium's privacy budget (ε, δ) as a referendum.
	SetPrivacyBudget {
		#[arg(long)]
		consortium: u32,
		#[arg(long)]
		epsilon: f64,
		#[arg(long)]
		delta: f64,
		/// `model-admin` or `root`.
		#[arg(long, default_value = "model-admin")]
		track: String,
	},
	/// Start the consortium's next attempt (the signer owns it and pays its jobs).
	StartRound {
		#[arg(long)]
		consortium: u32,
		/// The most each member's job may cost, in AIC.
		#[arg(long, default_value_t = 2.0)]
		max_price: f64,
		/// Blocks the members have to answer.
		#[arg(long, default_value_t = 20)]
		deadline: u32,
		/// Follow finalized blocks until the attempt completes the round or fails.
		#[arg(long)]
		wait: bool,
	},
	/// Show a consortium (and, with the held-out rows, its model's accuracy).
	Consortium {
		id: u32,
		#[arg(long)]
		held_out: Option<PathBuf>,
	},
	/// Print what this hospital's output for a job input adds to the round's sum.
	FlUpdate {
		#[arg(long)]
		node_data: PathBuf,
		#[arg(long)]
		consortium: u32,
		/// The job's input, hex.
		#[arg(long)]
		input: String,
	},
	/// Close a consortium (its owner) and release the deposit.
	CloseConsortium { id: u32 },
}

impl FlCommand {
	/// Whether the command runs without a node.
	pub fn is_local(&self) -> bool {
		matches!(self, Self::FlSplit { .. } | Self::FlKeys { .. } | Self::FlUpdate { .. })
	}
}

/// Runs a command that needs no node.
pub fn run_local(command: &FlCommand) -> Result<()> {
	match command {
		FlCommand::FlSplit { csv, out } => split(csv, out),
		FlCommand::FlKeys { models_dir } => keys(models_dir),
		FlCommand::FlUpdate { node_data, consortium, input } => update(node_data, *consortium, input),
		_ => bail!("this command needs a node"),
	}
}

/// Runs a command against the node `api`, signing with `signer`.
pub async fn run(api: &Client, signer: impl FnOnce() -> Result<Keypair>, command: FlCommand) -> Result<()> {
	match command {
		FlCommand::CreateConsortium { model, members, sigma } => create(api, &signer()?, model, &members, sigma).await,
		FlCommand::FlJoin { consortium, data, scales, node_data } => join(api, &signer()?, consortium, &data, &scales, &node_data).await,
		FlCommand::SetPrivacyBudget { consortium, epsilon, delta, track } => budget(api, &signer()?, consortium, epsilon, delta, &track).await,
		FlCommand::StartRound { consortium, max_price, deadline, wait } =>
			start_round(api, &signer()?, consortium, aic(max_price)?, deadline, wait).await,
		FlCommand::Consortium { id, held_out } => show(api, id, held_out.as_deref()).await,
		FlCommand::CloseConsortium { id } => {
			let events = submit(api, &signer()?, "PrivateTraining", "close_consortium", vec![Value::u128(id.into())]).await?;
			let closed = find_event(&events, "PrivateTraining", "ConsortiumClosed")?;
			println!("consortium {id} closed, deposit {} released", crate::format_aic(number(&closed, "deposit_released")?));
			Ok(())
		},
		local => run_local(&local),
	}
}

fn read_text(path: &Path) -> Result<String> {
	std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))
}

fn write_text(path: &Path, text: &str) -> Result<()> {
	std::fs::write(path, text).with_context(|| format!("writing {}", path.display()))
}

/// The records as the CSV layout `parse_csv` reads (values printed so that they read back
/// exactly).
fn records_csv(records: &[data::Record]) -> String {
	let mut text = format!("{},30,malignant,benign\n", records.len());
	for record in records {
		let values: Vec<String> = record.features.iter().map(|x| format!("{x}")).chain([record.label.to_string()]).collect();
		text.push_str(&values.join(","));
		text.push('\n');
	}
	text
}

/// `fl-split`.
fn split(csv: &Path, out: &Path) -> Result<()> {
	let split = data::split(&data::parse_csv(&read_text(csv)?)?);
	let scales = data::Scales::of(&split.hospitals.concat());
	std::fs::create_dir_all(out).with_context(|| format!("creating {}", out.display()))?;
	for (i, records) in split.hospitals.iter().enumerate() {
		write_text(&out.join(format!("hospital-{i}.csv")), &records_csv(records))?;
		println!("hospital {i}: {} records", records.len());
	}
	write_text(&out.join("scales.json"), &scales_to_json(&scales).to_string())?;
	let rows: Vec<_> = split.test.iter().map(|r| scales.quantize(r)).collect();
	let held_out = serde_json::json!({
		"features": rows.iter().map(|r| r.features.to_vec()).collect::<Vec<_>>(),
		"labels": rows.iter().map(|r| u8::from(r.label)).collect::<Vec<_>>(),
	});
	write_text(&out.join("held-out.json"), &held_out.to_string())?;
	println!("held out: {} records; scales.json and held-out.json in {}", rows.len(), out.display());
	Ok(())
}

/// The held-out rows `fl-split` wrote.
fn held_out_rows(path: &Path) -> Result<Vec<data::Row>> {
	let value: serde_json::Value = serde_json::from_str(&read_text(path)?)?;
	let features = value["features"].as_array().context("held-out: features")?;
	let labels = value["labels"].as_array().context("held-out: labels")?;
	features
		.iter()
		.zip(labels)
		.map(|(row, label)| {
			let values: Vec<i8> = row.as_array().context("a row")?.iter().map(|v| v.as_i64().map(|v| v as i8)).collect::<Option<_>>().context("a feature")?;
			Ok(data::Row { features: values.try_into().map_err(|_| anyhow!("30 features"))?, label: label.as_u64() == Some(1), present: true })
		})
		.collect()
}

/// `fl-keys`.
fn keys(models_dir: &Path) -> Result<()> {
	let shape = Member::shape()?;
	let keys = prover::write_keys(models_dir, &shape, &mut rand::rngs::OsRng)?;
	println!("circuit {}", shape.card().sha256_hex());
	println!("proving key: {}", keys.proving_key);
	println!("register with: {} --verifying-key-file {}", shape.card().register_arguments(), keys.verifying_key_file.display());
	Ok(())
}

/// The membership config of `consortium` in a node's chain data.
fn member_config(node_data: &Path, consortium: u32) -> PathBuf {
	config_path(&node_data.join("private-fl"), consortium)
}

/// `fl-update`.
fn update(node_data: &Path, consortium: u32, input: &str) -> Result<()> {
	let config = MemberConfig::read(&member_config(node_data, consortium))?;
	let key = WorkerKey::load(&node_data.join("provider-x25519.key")).context("the node's provider-x25519.key")?;
	let input = hex::decode(input.trim_start_matches("0x")).context("--input: hex")?;
	let update = config.member(&key.x25519_secret())?.unmasked(&input)?;
	println!("update: {}", update.iter().map(|w| w.to_string()).collect::<Vec<_>>().join(","));
	Ok(())
}

/// `create-consortium`.
async fn create(api: &Client, signer: &Keypair, model: u32, members: &[String], sigma: u64) -> Result<()> {
	let accounts = members
		.iter()
		.map(|m| m.parse::<AccountId32>().map(|a| Value::from_bytes(a.0)).map_err(|e| anyhow!("{m}: {e:?}")))
		.collect::<Result<Vec<_>>>()?;
	let sigma_sq = sigma.checked_mul(sigma).context("--sigma too large")?;
	let noise = Value::named_composite([
		("sensitivity_sq", Value::u128(private_fl::sensitivity_squared())),
		("sigma_sq", Value::u128(sigma_sq.into())),
	]);
	let parameters = Value::unnamed_composite((0..PARAMETERS).map(|_| Value::i128(0)));
	let args = vec![Value::u128(model.into()), Value::unnamed_composite(accounts), parameters, noise];
	let events = submit(api, signer, "PrivateTraining", "create_consortium", args).await?;
	let id = number(&find_event(&events, "PrivateTraining", "ConsortiumCreated")?, "consortium")?;
	println!("consortium {id} created");
	Ok(())
}

/// The consortium's record on chain.
async fn consortium(api: &Client, id: u32) -> Result<Value> {
	let at = api.at_current_block().await?;
	let address = dynamic::storage::<(u32,), Value>("PrivateTraining", "Consortia");
	let found = at.storage().try_fetch(address, (id,)).await?.with_context(|| format!("no consortium {id}"))?;
	Ok(found.decode_as::<Value>()?)
}

/// A pair's two sides of seed commitments.
async fn pair_sides(api: &Client, id: u32, pair: (u8, u8)) -> Result<(Option<Vec<u8>>, Option<Vec<u8>>)> {
	let at = api.at_current_block().await?;
	let address = dynamic::storage::<(u32, (u8, u8)), Value>("PrivateTraining", "PairSeeds");
	let Some(found) = at.storage().try_fetch(address, (id, pair)).await? else { return Ok((None, None)) };
	let sides = found.decode_as::<Value>()?;
	let side = |i: usize| sides.at(i).filter(|v| variant_name(Some(*v)) == "Some").and_then(|v| bytes(v.at(0)));
	Ok((side(0), side(1)))
}

/// A worker's published X25519 key.
async fn encryption_key(api: &Client, worker: &AccountId32) -> Result<Option<[u8; 32]>> {
	let at = api.at_current_block().await?;
	let address = dynamic::storage::<(AccountId32,), Value>("Workers", "EncryptionKeys");
	Ok(match at.storage().try_fetch(address, (worker.clone(),)).await? {
		Some(value) => bytes(Some(&value.decode_as::<Value>()?)).and_then(|k| k.try_into().ok()),
		None => None,
	})
}

/// The chain's genesis hash.
async fn genesis_hash(api: &Client) -> Result<[u8; 32]> {
	let at = api.at_current_block().await?;
	let address = dynamic::storage::<(u32,), Value>("System", "BlockHash");
	let hash = at.storage().try_fetch(address, (0u32,)).await?.context("System.BlockHash(0)")?.decode_as::<Value>()?;
	bytes(Some(&hash)).and_then(|h| h.try_into().ok()).context("a 32-byte genesis hash")
}

/// Whether a failed submission may be tried again: the pool refused or dropped it (the worker's
/// own offchain worker signs with the same account, and may have taken the nonce), as opposed to
/// a dispatch error of the runtime, which names the pallet's error.
fn may_retry(error: &anyhow::Error) -> bool {
	!format!("{error:#}").contains("Pallet error")
}

/// `fl-join`.
async fn join(api: &Client, signer: &Keypair, id: u32, data_file: &Path, scales: &Path, node_data: &Path) -> Result<()> {
	let me: AccountId32 = signer.public_key().into();
	let record = consortium(api, id).await?;
	let members: Vec<AccountId32> = items(record.at("members"))
		.into_iter()
		.map(|m| bytes(Some(m)).and_then(|b| <[u8; 32]>::try_from(b).ok()).map(AccountId32).context("a member account"))
		.collect::<Result<_>>()?;
	let index = members.iter().position(|m| *m == me).with_context(|| format!("{me} is not a member of consortium {id}"))?;
	let key = WorkerKey::load(&node_data.join("provider-x25519.key"))
		.with_context(|| format!("{}: no provider-x25519.key (the node's chain data, started with --worker)", node_data.display()))?;
	ensure!(
		encryption_key(api, &me).await? == Some(key.public()),
		"{}'s key is not the one {me} published: is --node-data this worker's node?",
		node_data.display()
	);
	let mut peers = Vec::new();
	for (k, peer) in members.iter().enumerate().filter(|(k, _)| *k != index) {
		let x25519 = encryption_key(api, peer).await?.with_context(|| format!("member {k} ({peer}) has published no encryption key"))?;
		peers.push(PeerKey { index: k, x25519 });
	}
	// A re-run keeps the secrets drawn the first time (the published commitment is of them).
	let path = member_config(node_data, id);
	let earlier = if path.exists() { Some(MemberConfig::read(&path)?) } else { None };
	let mut rng = rand::rngs::OsRng;
	let config = MemberConfig {
		consortium: id,
		genesis: genesis_hash(api).await?,
		index,
		data: std::fs::canonicalize(data_file).with_context(|| format!("{}", data_file.display()))?,
		scales: scales_from_json(&serde_json::from_str(&read_text(scales)?)?)?,
		sigma_squared: number(record.at("noise").context("noise")?, "sigma_sq")? as u64,
		peers,
		salt: earlier.as_ref().map_or_else(|| ark_bn254::Fr::rand(&mut rng), |c| c.salt),
		noise_key: earlier.as_ref().map_or_else(
			|| {
				let mut key = [0u8; 32];
				rng.fill_bytes(&mut key);
				key
			},
			|c| c.noise_key,
		),
	};
	let member = config.member(&key.x25519_secret())?;
	let commitment = field_bytes(&member.data_commitment());
	// Checked before the config is written: a wrong data file must not replace the secrets of
	// the published commitment.
	if let Some(published) = data_commitment_on_chain(api, id, index).await? {
		ensure!(published == commitment, "a data commitment 0x{} is published already and differs from this data's", to_hex(&published));
	}
	config.write(&path)?;
	println!("membership written to {}", path.display());
	for attempt in 1..=3 {
		match publish(api, signer, id, index, &member).await {
			Err(error) if attempt < 3 && may_retry(&error) => {
				println!("retrying: {error:#}");
				std::thread::sleep(std::time::Duration::from_secs(6));
			},
			done => return done.map(|()| println!("member {index} of consortium {id} joined")),
		}
	}
	Ok(())
}

/// The data commitment member `index` of consortium `id` published, if any.
async fn data_commitment_on_chain(api: &Client, id: u32, index: usize) -> Result<Option<Vec<u8>>> {
	let record = consortium(api, id).await?;
	Ok(items(record.at("data")).get(index).copied().filter(|v| variant_name(Some(*v)) == "Some").and_then(|v| bytes(v.at(0))))
}

/// Publishes what the chain does not have yet of `member`'s commitments: its data commitment,
/// and its side of each pair not agreed.
async fn publish(api: &Client, signer: &Keypair, id: u32, index: usize, member: &Member) -> Result<()> {
	let commitment = field_bytes(&member.data_commitment());
	if data_commitment_on_chain(api, id, index).await?.is_none() {
		submit(api, signer, "PrivateTraining", "commit_data", vec![Value::u128(id.into()), Value::from_bytes(commitment)]).await?;
		println!("data commitment 0x{} published", to_hex(&commitment));
	} else {
		println!("data commitment 0x{} published already", to_hex(&commitment));
	}
	for (peer, seed_commitment) in member.seed_commitments() {
		let pair = (index.min(peer) as u8, index.max(peer) as u8);
		let (low, high) = pair_sides(api, id, pair).await?;
		let mine = field_bytes(&seed_commitment).to_vec();
		let (ours, theirs) = if index < peer { (low, high) } else { (high, low) };
		let agreed = |theirs: &Option<Vec<u8>>| if theirs.as_ref() == Some(&mine) { ", agreed" } else { "" };
		if ours.as_ref() == Some(&mine) {
			println!("seed with member {peer}: published already{}", agreed(&theirs));
			continue;
		}
		ensure!(ours.is_none() || ours != theirs, "the seed with member {peer} was agreed on another key: this node cannot join");
		let args = vec![Value::u128(id.into()), Value::u128(peer as u128), Value::from_bytes(mine.clone())];
		submit(api, signer, "PrivateTraining", "commit_seed", args).await?;
		println!("seed with member {peer}: published{}", agreed(&theirs));
	}
	Ok(())
}

/// `set-privacy-budget`: the call as a referendum.
async fn budget(api: &Client, signer: &Keypair, id: u32, epsilon: f64, delta: f64, track: &str) -> Result<()> {
	ensure!(epsilon > 0.0 && epsilon < 1e6, "--epsilon: a positive number");
	ensure!(delta > 0.0 && delta < 1.0, "--delta: in (0, 1)");
	let call = dynamic::transaction(
		"PrivateTraining",
		"set_privacy_budget",
		scale_value::Composite::unnamed([
			Value::u128(id.into()),
			Value::u128((epsilon * 1e6).round() as u128),
			Value::unnamed_composite([Value::u128((delta * 1e18).round() as u128)]),
		]),
	);
	let encoded = api.at_current_block().await?.transactions().call_data(&call)?;
	crate::governance::submit_referendum(api, signer, track, encoded).await.map(drop)
}

/// `start-round`.
async fn start_round(api: &Client, signer: &Keypair, id: u32, max_price: u128, deadline: u32, wait: bool) -> Result<()> {
	let args = vec![Value::u128(id.into()), Value::u128(max_price), Value::u128(deadline.into())];
	let events = submit(api, signer, "PrivateTraining", "start_round", args).await?;
	let started = find_event(&events, "PrivateTraining", "AttemptStarted")?;
	println!(
		"round {} attempt {} started: nonce {}, jobs {}, ε spent {:.6}",
		number(&started, "round")?,
		number(&started, "attempt")?,
		number(&started, "nonce")?,
		started.at("jobs").map(|j| j.to_string()).unwrap_or_default(),
		number(&started, "epsilon_spent_micro")? as f64 / 1e6,
	);
	if !wait {
		return Ok(());
	}
	let mut blocks = api.stream_blocks().await?;
	while let Some(block) = blocks.next().await {
		let block = block?;
		for event in block.at().await?.events().fetch().await?.iter() {
			let event = event?;
			if event.pallet_name() != "PrivateTraining" {
				continue;
			}
			let fields = event.decode_fields_unchecked_as::<Value>()?;
			if number(&fields, "consortium").ok() != Some(id.into()) {
				continue;
			}
			match event.event_name() {
				"UpdateReceived" => println!("block {}: update of member {}", block.number(), number(&fields, "member")?),
				"RoundCompleted" => {
					println!("block {}: round {} completed, parameters {}", block.number(), number(&fields, "round")?, fields.at("parameters").map(|p| p.to_string()).unwrap_or_default());
					return Ok(());
				},
				"AttemptFailed" | "RoundAbandoned" => bail!("block {}: {} {fields}", block.number(), event.event_name()),
				_ => {},
			}
		}
	}
	bail!("the node closed the block stream")
}

/// `consortium`.
async fn show(api: &Client, id: u32, held_out: Option<&Path>) -> Result<()> {
	let record = consortium(api, id).await?;
	println!("consortium {id}: owner {}, model {}", crate::values::account(record.at("owner")), crate::field(&record, "model"));
	let data = items(record.at("data"));
	for (i, member) in items(record.at("members")).into_iter().enumerate() {
		let committed = data.get(i).is_some_and(|v| variant_name(Some(*v)) == "Some");
		println!("  member {i}: {} (data {})", crate::values::account(Some(member)), if committed { "committed" } else { "not committed" });
	}
	let n = data.len() as u8;
	for low in 0..n {
		for high in low + 1..n {
			let (a, b) = pair_sides(api, id, (low, high)).await?;
			let state = match (&a, &b) {
				(Some(a), Some(b)) if a == b => "agreed",
				(None, None) => "none",
				_ => "not agreed",
			};
			println!("  pair {low}–{high}: {state}");
		}
	}
	println!(
		"  budget {}, attempts spent {}, rounds completed {}, attempt running: {}",
		record.at("budget").map(|b| b.to_string()).unwrap_or_default(),
		crate::field(&record, "attempts_spent"),
		crate::field(&record, "rounds_completed"),
		variant_name(record.at("attempt")) == "Some",
	);
	let parameters: Vec<i32> = items(record.at("parameters")).into_iter().map(|v| v.as_i128().unwrap_or_default() as i32).collect();
	println!("  parameters {parameters:?}");
	if let Some(path) = held_out {
		let parameters: [i32; PARAMETERS] = parameters.try_into().map_err(|_| anyhow!("{PARAMETERS} parameters"))?;
		let rows = held_out_rows(path)?;
		println!("  held-out accuracy {:.3} on {} records", data::accuracy(&parameters, &rows), rows.len());
	}
	Ok(())
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn fl_split_deals_the_records_unevenly_and_reads_back_exactly() {
		let dir = std::env::temp_dir().join(format!("fl-split-{}", std::process::id()));
		let csv = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../offchain-worker/data/breast_cancer.csv");
		split(&csv, &dir).unwrap();
		let records = data::parse_csv(&read_text(&csv).unwrap()).unwrap();
		let expected = data::split(&records);
		for (i, share) in [182, 127, 91, 56].into_iter().enumerate() {
			let dealt = data::parse_csv(&read_text(&dir.join(format!("hospital-{i}.csv"))).unwrap()).unwrap();
			assert_eq!(dealt.len(), share);
			assert_eq!(dealt, expected.hospitals[i], "hospital {i}'s values read back exactly");
		}
		let scales = scales_from_json(&serde_json::from_str(&read_text(&dir.join("scales.json")).unwrap()).unwrap()).unwrap();
		assert_eq!(scales, data::Scales::of(&expected.hospitals.concat()));
		let held_out = held_out_rows(&dir.join("held-out.json")).unwrap();
		assert_eq!(held_out.len(), 113);
		assert_eq!(held_out, expected.test.iter().map(|r| scales.quantize(r)).collect::<Vec<_>>());
		std::fs::remove_dir_all(dir).unwrap();
	}
}
