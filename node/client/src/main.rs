//! # aichain-client
//!
//! The command-line client of the chain, built on subxt's dynamic API (it reads the runtime's
//! metadata at connection, so it needs no generated code and follows runtime upgrades):
//!
//! ```text
//! aichain-client [--url ws://127.0.0.1:9944] [--suri //Bob] <command>
//!   register-model  --name N --kind KIND --weights-sha256 HEX
//!                   --content-address S [--verifying-key-file F.vk | --snarkjs-verification-key F.json]
//!                   --price AIC
//!                   [--royalty-bps B] --max-input-len N --max-output-len N
//!   submit-job      --model ID (--input-file F | --input-cid CID) [--tier TIER]
//!                   [--max-price AIC] [--deadline BLOCKS] [--no-wait] [--out FILE]
//!   set-blob-limits --model ID (--max-input-len N [--max-output-len N --output-row-len N
//!                   --sketch-tolerance N] | --remove)
//!   audit-job       ID [--max-blocks N]
//!   verify-snarkjs  --verification-key F.json --proof F.json --public F.json
//!   jobs | workers | models
//!   balance         [ACCOUNT (SS58)]
//!   propose-computation --model ID --input-file F [--tier TIER] [--max-price AIC] [--deadline N]
//!                   (--clause C ... --if-true CALL --if-false CALL | --keep BLOCKS) [--track compute|root]
//!   vote            REF (--aye | --nay) --balance AIC [--conviction locked1x]
//!   referenda       [--blocks N]
//!   put             FILE
//!   get             CID [--out FILE]
//!   search          --rows FILE --query TEXT [--documents FILE] [--top K]
//!   fl-split        --csv F --out DIR                      (no node)
//!   fl-keys         --models-dir DIR                       (no node)
//!   create-consortium --model ID --members SS58,... [--sigma 200]
//!   fl-join         --consortium N --data F.csv --scales F.json --node-data DIR
//!   set-privacy-budget --consortium N --epsilon E --delta D [--track model-admin|root]
//!   start-round     --consortium N [--max-price AIC] [--deadline BLOCKS] [--wait]
//!   consortium      N [--held-out F.json]
//!   fl-update       --node-data DIR --consortium N --input HEX   (no node)
//!   close-consortium N
//!   diloco-card                                            (no node)
//!   diloco-create   --shard-model ID --outer-model ID [--shards 2] [--steps 25] [--replicas 2]
//!                   [--max-price AIC] [--deadline BLOCKS] [--seed N]
//!   diloco-round    --training N [--rounds 1] [--timeout SECONDS] [--prompt TEXT]
//!   diloco-sample   --training N [--prompt TEXT]
//! ```
//!
//! `KIND` and `TIER` are the runtime's `ModelKind` and `Tier` variants in kebab case, read from
//! its metadata (`classifier`, `embedding`, `training-step`; `zk`, `optimistic`, `redundancy:3`),
//! so a kind or tier added to the runtime needs no change here.
//!
//! Transactions are signed by `--suri` (a dev seed like `//Bob`, or a secret phrase), wait for
//! finalization, and fail with the runtime's error name (`Jobs.PriceAboveMax`, …).
//! `submit-job` then follows finalized blocks until the job completes (its output was verified:
//! by the Groth16 proof for the zk tier) or is refunded, and prints the output. See
//! `docs/client.md`. The commands' arguments are in `cli.rs`; jobs in `jobs.rs`; the governance
//! commands in `governance.rs` and `docs/governance.md`; the blob commands in `blobs.rs`, and
//! `search` in `search.rs` (`docs/data.md`); private federated learning in `private_training.rs`
//! (`docs/federated-learning.md`); DiLoCo trainings in `diloco.rs`
//! (`docs/distributed-training.md`).

use anyhow::{anyhow, bail, Context, Result};
use clap::Parser;
use cli::{Cli, Command};
use codec::Encode;
use scale_decode::DecodeAsType;
use scale_value::{At, Composite, Value};
use subxt::{dynamic, utils::AccountId32, OnlineClient, PolkadotConfig};
use subxt_signer::{sr25519::Keypair, SecretUri};

mod audit;
mod blobs;
mod cli;
mod diloco;
mod governance;
mod jobs;
mod private_training;
mod sealed;
mod search;
mod snarkjs;
mod values;
mod variants;

use values::{account, bytes, field, number, numbers, show_key, variant_name};

/// Planck per AIC (12 decimals).
const UNIT: u128 = 1_000_000_000_000;

/// The client of the chain at `--url`.
pub(crate) type Client = OnlineClient<PolkadotConfig>;

#[tokio::main]
async fn main() -> Result<()> {
	let cli = Cli::parse();
	// Local verification and search need no node.
	match &cli.command {
		Command::VerifySnarkjs { verification_key, proof, public } => return snarkjs::verify(verification_key, proof, public),
		Command::Search { rows, query, documents, top } => return search::search(rows, query, documents.as_deref(), *top),
		Command::PrivateTraining(command) if command.is_local() => return private_training::run_local(command),
		Command::DilocoCard => return diloco::card(),
		_ => {},
	}
	let api = Client::from_url(&cli.url).await.with_context(|| format!("connecting to {}", cli.url))?;
	let signer = || -> Result<Keypair> {
		let uri: SecretUri = cli.suri.parse().map_err(|e| anyhow!("--suri: {e:?}"))?;
		Keypair::from_uri(&uri).map_err(|e| anyhow!("--suri: {e:?}"))
	};
	match cli.command {
		Command::RegisterModel {
			name,
			kind,
			weights_sha256,
			content_address,
			verifying_key_file,
			snarkjs_verification_key,
			price,
			royalty_bps,
			max_input_len,
			max_output_len,
			min_timeout,
			output_tolerance,
		} => {
			let signer = signer()?;
			let kind = variants::parse(&api, "Models", "register_model", &["spec", "kind"], "--kind", &kind).await?;
			let sha: [u8; 32] = hex::decode(weights_sha256.trim_start_matches("0x"))
				.ok()
				.and_then(|b| b.try_into().ok())
				.context("--weights-sha256: 32 bytes of hex")?;
			let encoded_key = match (verifying_key_file, snarkjs_verification_key) {
				(Some(path), _) => Some((std::fs::read(&path).with_context(|| format!("reading {}", path.display()))?, path)),
				(None, Some(path)) => Some((snarkjs::verifying_key(&path)?.encode(), path)),
				(None, None) => None,
			};
			let verifying_key = match encoded_key {
				Some((encoded, path)) => {
					let id = register_verifying_key(&api, &signer, &encoded, &path).await?;
					Value::unnamed_variant("Some", [Value::from_bytes(id)])
				},
				None => Value::unnamed_variant("None", []),
			};
			let spec = Value::named_composite([
				("name", Value::from_bytes(name.as_bytes())),
				("kind", kind),
				("weights_sha256", Value::from_bytes(sha)),
				("content_address", Value::from_bytes(content_address.as_bytes())),
				("verifying_key", verifying_key),
				("price", Value::u128(aic(price)?)),
				("royalty_bps", Value::u128(royalty_bps.into())),
				("max_input_len", Value::u128(max_input_len.into())),
				("max_output_len", Value::u128(max_output_len.into())),
				("min_timeout", Value::u128(min_timeout.into())),
				("output_tolerance", Value::u128(output_tolerance.into())),
			]);
			let events = submit(&api, &signer, "Models", "register_model", vec![spec]).await?;
			let model = number(&find_event(&events, "Models", "ModelRegistered")?, "model")?;
			println!("model {model} registered");
		},
		Command::SubmitJob { model, input_file: Some(input), tier, max_price, deadline, out: Some(out), seal: true, .. } => {
			let request = sealed::SealedJobRequest { input: &input, out: &out };
			sealed::run_sealed_job(&api, &cli.url, &signer()?, model, request, &tier, aic(max_price)?, deadline).await?;
		},
		Command::SubmitJob { model, input_file, input_cid, tier, max_price, deadline, no_wait, out, .. } => {
			let input = match (input_file, input_cid) {
				(_, Some(cid)) => jobs::JobInput::Blob(blobs::hash_of_cid(&cid)?),
				(Some(path), None) => jobs::JobInput::Inline(std::fs::read(&path).with_context(|| format!("reading {}", path.display()))?),
				(None, None) => bail!("--input-file or --input-cid"),
			};
			let job = jobs::submit_job(&api, &signer()?, model, input, &tier, aic(max_price)?, deadline).await?;
			if !no_wait {
				jobs::wait_for_job(&api, &cli.url, job, out.as_deref()).await?;
			}
		},
		Command::SetBlobLimits { model, max_input_len, max_output_len, output_row_len, sketch_tolerance, remove } => {
			let signer = signer()?;
			let limits = if remove {
				Value::unnamed_variant("None", [])
			} else {
				Value::unnamed_variant("Some", [Value::named_composite([
					("max_input_len", Value::u128(max_input_len.into())),
					("max_output_len", Value::u128(max_output_len.into())),
					("output_row_len", Value::u128(output_row_len.into())),
					("sketch_tolerance", Value::u128(sketch_tolerance.into())),
				])])
			};
			submit(&api, &signer, "Models", "set_blob_limits", vec![Value::u128(model.into()), limits]).await?;
			println!("model {model}: blob limits {}", if remove { "removed" } else { "set" });
		},
		Command::AuditJob { job, max_blocks } => audit::audit_job(&api, job, max_blocks).await?,
		Command::VerifySnarkjs { .. } | Command::Search { .. } => {}, // handled before connecting
		Command::Jobs => {
			let rows = map_entries(&api, "Jobs", "Jobs").await?;
			println!("{:>6}  {:>5}  {:<14} {:<12} {:>8}  requester", "job", "model", "tier", "status", "deadline");
			for (key, job) in rows {
				println!(
					"{:>6}  {:>5}  {:<14} {:<12} {:>8}  {}",
					key,
					field(&job, "model"),
					variant_name(job.at("tier")),
					variant_name(job.at("status")),
					field(&job, "deadline"),
					account(job.at("requester")),
				);
			}
		},
		Command::Workers => {
			let rows = map_entries(&api, "Workers", "Workers").await?;
			println!("{:<48} {:<10} {:>12} {:>9} {:>6}  models", "worker", "status", "bond (AIC)", "completed", "failed");
			for (key, worker) in rows {
				println!(
					"{:<48} {:<10} {:>12} {:>9} {:>6}  {}",
					key,
					variant_name(worker.at("status")),
					format_aic(worker.at("bond").and_then(|v| v.as_u128()).unwrap_or_default()),
					field(&worker, "completed"),
					field(&worker, "failed"),
					numbers(worker.at("models")).iter().map(|m| m.to_string()).collect::<Vec<_>>().join(","),
				);
			}
		},
		Command::Models => {
			let rows = map_entries(&api, "Models", "Models").await?;
			println!("{:>5}  {:<24} {:<13} {:>10}  {:<8} {:<7} {:>6} {:>6}  owner", "model", "name", "kind", "price", "status", "zk key", "in", "out");
			for (key, model) in rows {
				let spec = model.at("spec");
				let name = bytes(spec.and_then(|s| s.at("name"))).map(|b| String::from_utf8_lossy(&b).into_owned());
				let zk_key = spec.and_then(|s| s.at("verifying_key")).map(|k| variant_name(Some(k)) == "Some");
				println!(
					"{:>5}  {:<24} {:<13} {:>10}  {:<8} {:<7} {:>6} {:>6}  {}",
					key,
					name.unwrap_or_default(),
					variant_name(spec.and_then(|s| s.at("kind"))),
					format_aic(spec.and_then(|s| s.at("price")).and_then(|v| v.as_u128()).unwrap_or_default()),
					variant_name(model.at("status")),
					if zk_key == Some(true) { "yes" } else { "no" },
					spec.map(|s| field(s, "max_input_len")).unwrap_or_default(),
					spec.map(|s| field(s, "max_output_len")).unwrap_or_default(),
					account(model.at("owner")),
				);
			}
		},
		Command::PrivateTraining(command) => private_training::run(&api, signer, command).await?,
		Command::DilocoCard => {}, // handled before connecting
		Command::DilocoCreate { shard_model, outer_model, shards, steps, replicas, max_price, deadline, seed } => {
			let settings = diloco::Settings { shards, steps, replicas, max_price, deadline };
			diloco::create(&api, &cli.url, &signer()?, (shard_model, outer_model), settings, seed).await?
		},
		Command::DilocoRound { training, rounds, timeout, prompt } => {
			let prompt = prompt.replace("\\n", "\n");
			diloco::rounds(&api, &cli.url, &signer()?, training, rounds, std::time::Duration::from_secs(timeout), &prompt).await?
		},
		Command::DilocoSample { training, prompt } => diloco::show(&api, &cli.url, training, &prompt.replace("\\n", "\n")).await?,
		Command::ProposeComputation(args) => governance::propose_computation(&api, &signer()?, args).await?,
		Command::Vote { referendum, aye, nay: _, balance, conviction } => {
			governance::vote(&api, &signer()?, referendum, aye, balance, &conviction).await?
		},
		Command::Referenda { blocks } => governance::show_referenda(&api, blocks).await?,
		Command::Put { file } => {
			blobs::put(&api, &cli.url, &signer()?, &file).await?;
		},
		Command::Get { cid, out } => blobs::get(&api, &cli.url, &cid, out.as_deref()).await?,
		Command::Balance { account } => {
			let who: AccountId32 = match account {
				Some(address) => address.parse().map_err(|e| anyhow!("{address}: {e:?}"))?,
				None => signer()?.public_key().into(),
			};
			#[derive(DecodeAsType)]
			struct AccountData {
				free: u128,
				reserved: u128,
				frozen: u128,
			}
			#[derive(DecodeAsType)]
			struct AccountInfo {
				data: AccountData,
			}
			let at = api.at_current_block().await?;
			let address = dynamic::storage::<(AccountId32,), AccountInfo>("System", "Account");
			let info = at.storage().fetch(address, (who.clone(),)).await?.decode()?;
			println!(
				"{who}: free {} AIC, reserved (held) {} AIC, frozen {} AIC",
				format_aic(info.data.free),
				format_aic(info.data.reserved),
				format_aic(info.data.frozen)
			);
		},
	}
	Ok(())
}

/// Signs `pallet.call(args)` with `signer`, waits until it is finalized and succeeded, and
/// returns its events; a failed dispatch is an error naming the runtime's error.
async fn submit(
	api: &Client,
	signer: &Keypair,
	pallet: &str,
	call: &str,
	args: Vec<Value>,
) -> Result<subxt::extrinsics::ExtrinsicEvents<PolkadotConfig>> {
	let payload = dynamic::transaction(pallet, call, Composite::unnamed(args));
	let at = api.at_current_block().await?;
	let progress = at
		.transactions()
		.sign_and_submit_then_watch_default(&payload, signer)
		.await
		.with_context(|| format!("submitting {pallet}.{call}"))?;
	progress.wait_for_finalized_success().await.map_err(|e| anyhow!("{pallet}.{call} failed: {e}"))
}

/// Registers the SCALE-encoded verifying key `encoded` (read from `path`) unless it is registered
/// already (a key's id is the BLAKE2-256 of its encoding); returns its id.
async fn register_verifying_key(api: &Client, signer: &Keypair, encoded: &[u8], path: &std::path::Path) -> Result<[u8; 32]> {
	let id = sp_crypto_hashing::blake2_256(encoded);
	let at = api.at_current_block().await?;
	let registered = dynamic::storage::<([u8; 32],), Value>("ZkVerifier", "VerifyingKeys");
	if at.storage().try_fetch(registered, (id,)).await?.is_some() {
		println!("verifying key 0x{} is registered already", hex::encode(id));
		return Ok(id);
	}
	let key = decode_argument(api, "ZkVerifier", "register_verifying_key", 0, encoded)
		.await
		.with_context(|| format!("{} is not a SCALE-encoded verifying key", path.display()))?;
	let events = submit(api, signer, "ZkVerifier", "register_verifying_key", vec![key]).await?;
	let registered = find_event(&events, "ZkVerifier", "VerifyingKeyRegistered")?;
	let registered_id = bytes(registered.at("key_id")).context("VerifyingKeyRegistered.key_id")?;
	println!("verifying key registered: 0x{}", hex::encode(&registered_id));
	Ok(id)
}

/// SCALE `bytes` of argument `index` of `pallet.call`, decoded with the runtime's metadata (for
/// arguments that users hold already encoded, like a verifying key file).
async fn decode_argument(api: &Client, pallet: &str, call: &str, index: usize, bytes: &[u8]) -> Result<Value> {
	let at = api.at_current_block().await?;
	let metadata = at.metadata();
	let variant = variants::call_variant(&metadata, pallet, call)?;
	let field = variant.fields.get(index).ok_or_else(|| anyhow!("{pallet}.{call} has no argument {index}"))?;
	let mut input = bytes;
	let value = scale_value::scale::decode_as_type(&mut input, field.ty.id, metadata.types())?;
	if !input.is_empty() {
		bail!("{} bytes left over", input.len());
	}
	Ok(value.remove_context())
}

/// The fields of the first `pallet.event` among `events`.
fn find_event(events: &subxt::extrinsics::ExtrinsicEvents<PolkadotConfig>, pallet: &str, event: &str) -> Result<Value> {
	for found in events.iter() {
		let found = found?;
		if found.pallet_name() == pallet && found.event_name() == event {
			return Ok(found.decode_fields_unchecked_as::<Value>()?);
		}
	}
	bail!("no {pallet}.{event} event")
}

/// Every entry of the map `pallet.entry`: its last key part (printed) and its value.
async fn map_entries(api: &Client, pallet: &str, entry: &str) -> Result<Vec<(String, Value)>> {
	let at = api.at_current_block().await?;
	let address = dynamic::storage::<(Value,), Value>(pallet, entry);
	let mut entries = at.storage().iter(address, ()).await?;
	let mut rows = Vec::new();
	while let Some(next) = entries.next().await {
		let next = next?;
		let key = next.key()?;
		let part = key.parts().last().ok_or_else(|| anyhow!("{pallet}.{entry}: a key without parts"))?;
		let key: Value = part.decode_as::<Value>()?.ok_or_else(|| anyhow!("{pallet}.{entry}: an opaque key"))?;
		rows.push((key, next.value().decode_as::<Value>()?));
	}
	// Map order is hash order: list numeric keys (ids) in order.
	rows.sort_by_key(|(key, _)| key.as_u128());
	Ok(rows.into_iter().map(|(key, value)| (show_key(&key), value)).collect())
}

/// AIC to planck; an error for negative or absurd amounts.
fn aic(amount: f64) -> Result<u128> {
	if !(0.0..=1e15).contains(&amount) {
		bail!("{amount} AIC is not a valid amount");
	}
	Ok((amount * UNIT as f64).round() as u128)
}

/// Planck as AIC with 4 decimals.
fn format_aic(planck: u128) -> String {
	format!("{}.{:04}", planck / UNIT, (planck % UNIT) / (UNIT / 10_000))
}
