//! Governance commands: propose a verified computation as a referendum, vote on referenda, and
//! show referenda with the computations they requested and what those triggered.
//!
//! - `propose-computation`: builds `ComputeGovernance.request_computation` (model, input, tier,
//!   price, deadline, and either a predicate with a call for each answer or `--keep BLOCKS`),
//!   notes it as a preimage, submits it as a referendum on the `compute` track (or `root`) and
//!   places the decision deposit. Calls are given as SCALE hex (polkadot.js Apps' "encoded call
//!   data") or as a treasury spend `AIC@ACCOUNT`.
//! - `vote REF --aye|--nay --balance AIC [--conviction locked1x]`.
//! - `referenda [--blocks N]`: every referendum (track, state, tally), the open requests and kept
//!   results, and the governance events of the last N blocks (requests, settlements, enactments).

use crate::{aic, bytes, field, find_event, format_aic, map_entries, number, submit, variant_name, variants, Client};
use anyhow::{anyhow, bail, Context, Result};
use clap::Args;
use scale_value::{At, Composite, Value};
use subxt::{dynamic, utils::AccountId32};
use subxt_signer::sr25519::Keypair;

/// Calls up to this many bytes are stored inline (`Bounded::Inline`); longer ones as preimages.
const MAX_INLINE_CALL: usize = 128;

/// What `propose-computation` takes.
#[derive(Args)]
pub struct ProposeComputation {
	/// The model (it must be approved for governance requests).
	#[arg(long)]
	model: u32,
	/// A file holding the job's input bytes.
	#[arg(long)]
	input_file: std::path::PathBuf,
	/// `zk` or `redundancy:N` (read from the runtime's metadata).
	#[arg(long, default_value = "zk")]
	tier: String,
	/// The most the job may cost the treasury, in AIC (within the track's budget).
	#[arg(long, default_value_t = 10.0)]
	max_price: f64,
	/// Blocks each phase of the job may take.
	#[arg(long, default_value_t = 20)]
	deadline: u32,
	/// A clause of the predicate (all must hold): `field:I>=V` (also `<`, `<=`, `==`, `!=`, `>`:
	/// the output's `i32` number I), `label=N` or `hash=0x…` (BLAKE2-256 of the output).
	#[arg(long = "clause")]
	clauses: Vec<String>,
	/// The call dispatched when the predicate holds: SCALE hex, or a treasury spend `AIC@ACCOUNT`.
	#[arg(long, requires = "if_false", conflicts_with = "keep")]
	if_true: Option<String>,
	/// The call dispatched when it does not, or when the job ends without a verified result.
	#[arg(long, requires = "if_true")]
	if_false: Option<String>,
	/// Keep the verified output this many blocks instead (later referenda act on it with
	/// `ComputeGovernance.enact_if`).
	#[arg(long, required_unless_present = "if_true")]
	keep: Option<u32>,
	/// The referendum's track: `compute` (the request's origin is `ComputeRequester`) or `root`.
	#[arg(long, default_value = "compute")]
	track: String,
}

/// Proposes a computation as a referendum; prints its index.
pub async fn propose_computation(api: &Client, signer: &Keypair, args: ProposeComputation) -> Result<()> {
	let input = std::fs::read(&args.input_file).with_context(|| format!("reading {}", args.input_file.display()))?;
	let tier = variants::parse(api, "ComputeGovernance", "request_computation", &["tier"], "--tier", &args.tier).await?;
	let action = match (args.if_true, args.if_false, args.keep) {
		(Some(if_true), Some(if_false), _) => {
			let clauses = args.clauses.iter().map(|c| clause(c)).collect::<Result<Vec<_>>>()?;
			Value::named_variant(
				"Dispatch",
				[
					("predicate", Value::unnamed_composite(clauses)),
					("if_true", bounded(api, signer, call_bytes(api, &if_true).await?).await?),
					("if_false", bounded(api, signer, call_bytes(api, &if_false).await?).await?),
				],
			)
		},
		(_, _, Some(blocks)) => Value::named_variant("Keep", [("blocks", Value::u128(blocks.into()))]),
		_ => bail!("give --if-true and --if-false, or --keep"),
	};
	let request = dynamic::transaction(
		"ComputeGovernance",
		"request_computation",
		Composite::unnamed([
			Value::u128(args.model.into()),
			Value::from_bytes(input),
			tier,
			Value::u128(aic(args.max_price)?),
			Value::u128(args.deadline.into()),
			action,
		]),
	);
	let encoded = api.at_current_block().await?.transactions().call_data(&request)?;
	submit_referendum(api, signer, &args.track, encoded).await.map(drop)
}

/// Submits the SCALE-encoded `call` as a referendum on `track` (`compute`, `model-admin` or
/// `root`: the call's origin is that track's), places the decision deposit and prints the
/// referendum's index, which it returns.
pub(crate) async fn submit_referendum(api: &Client, signer: &Keypair, track: &str, call: Vec<u8>) -> Result<u128> {
	let origin = match track {
		"compute" => Value::unnamed_variant("Origins", [Value::unnamed_variant("ComputeRequester", [])]),
		"model-admin" => Value::unnamed_variant("Origins", [Value::unnamed_variant("ModelAdmin", [])]),
		"root" => Value::unnamed_variant("system", [Value::unnamed_variant("Root", [])]),
		other => bail!("--track {other}: compute, model-admin or root"),
	};
	let proposal = bounded(api, signer, call).await?;
	let after_now = Value::unnamed_variant("After", [Value::u128(0)]);
	let events = submit(api, signer, "Referenda", "submit", vec![origin, proposal, after_now]).await?;
	let index = number(&find_event(&events, "Referenda", "Submitted")?, "index")?;
	submit(api, signer, "Referenda", "place_decision_deposit", vec![Value::u128(index)]).await?;
	println!("referendum {index} submitted on the {track} track, decision deposit placed");
	Ok(index)
}

/// `clause` as a `Clause` value: `field:I<op>V`, `label=N` or `hash=0x…`.
fn clause(text: &str) -> Result<Value> {
	let bad = || anyhow!("--clause {text}: field:I>=V (or <, <=, ==, !=, >), label=N or hash=0x…");
	if let Some(label) = text.strip_prefix("label=") {
		return Ok(Value::unnamed_variant("LabelEquals", [Value::u128(label.parse().map_err(|_| bad())?)]));
	}
	if let Some(hash) = text.strip_prefix("hash=") {
		let hash: [u8; 32] = hex::decode(hash.trim_start_matches("0x")).ok().and_then(|b| b.try_into().ok()).ok_or_else(bad)?;
		return Ok(Value::unnamed_variant("OutputHashEquals", [Value::from_bytes(hash)]));
	}
	let rest = text.strip_prefix("field:").ok_or_else(bad)?;
	// Two-character operators first, so that `>=` is not read as `>`.
	let operators = [("<=", "LessOrEqual"), (">=", "GreaterOrEqual"), ("==", "Equal"), ("!=", "NotEqual"), ("<", "Less"), (">", "Greater")];
	let (at, op, comparison) = operators
		.iter()
		.filter_map(|(op, name)| rest.find(op).map(|at| (at, *op, *name)))
		.min_by_key(|(at, op, _)| (*at, std::cmp::Reverse(op.len())))
		.ok_or_else(bad)?;
	let index: u32 = rest[..at].trim().parse().map_err(|_| bad())?;
	let value: i32 = rest[at + op.len()..].trim().parse().map_err(|_| bad())?;
	Ok(Value::named_variant(
		"Field",
		[
			("index", Value::u128(index.into())),
			("comparison", Value::unnamed_variant(comparison, [])),
			("value", Value::i128(value.into())),
		],
	))
}

/// A call's SCALE bytes: hex as given, or a `Treasury.spend` of `AIC@ACCOUNT`.
async fn call_bytes(api: &Client, text: &str) -> Result<Vec<u8>> {
	if let Some((amount, beneficiary)) = text.split_once('@') {
		let amount: f64 = amount.parse().with_context(|| format!("{text}: AIC@ACCOUNT"))?;
		let beneficiary: AccountId32 = beneficiary.parse().map_err(|e| anyhow!("{beneficiary}: {e:?}"))?;
		let spend = dynamic::transaction(
			"Treasury",
			"spend",
			Composite::unnamed([
				Value::unnamed_composite([]),
				Value::u128(aic(amount)?),
				Value::from_bytes(beneficiary.0),
				Value::unnamed_variant("None", []),
			]),
		);
		return Ok(api.at_current_block().await?.transactions().call_data(&spend)?);
	}
	hex::decode(text.trim_start_matches("0x")).with_context(|| format!("{text}: a call as SCALE hex, or AIC@ACCOUNT"))
}

/// `call` as a `Bounded` value: inline if short, else noted as a preimage (by `signer`, who
/// pays its deposit) and referred to by hash.
async fn bounded(api: &Client, signer: &Keypair, call: Vec<u8>) -> Result<Value> {
	if call.len() <= MAX_INLINE_CALL {
		return Ok(Value::unnamed_variant("Inline", [Value::from_bytes(call)]));
	}
	let hash = sp_crypto_hashing::blake2_256(&call);
	let len = call.len() as u128;
	let requested = dynamic::storage::<(([u8; 32], u32),), Value>("Preimage", "PreimageFor");
	let noted = api.at_current_block().await?.storage().try_fetch(requested, ((hash, len as u32),)).await?.is_some();
	if !noted {
		submit(api, signer, "Preimage", "note_preimage", vec![Value::from_bytes(call)]).await?;
	}
	Ok(Value::named_variant("Lookup", [("hash", Value::from_bytes(hash)), ("len", Value::u128(len))]))
}

/// Votes on referendum `index` with `balance` AIC at `conviction` (`none`, `locked1x` … `locked6x`).
pub async fn vote(api: &Client, signer: &Keypair, index: u32, aye: bool, balance: f64, conviction: &str) -> Result<()> {
	let conviction: u8 = match conviction.to_ascii_lowercase().as_str() {
		"none" => 0,
		other => other
			.strip_prefix("locked")
			.and_then(|n| n.strip_suffix('x'))
			.and_then(|n| n.parse().ok())
			.filter(|n| (1..=6).contains(n))
			.ok_or_else(|| anyhow!("--conviction {other}: none or locked1x … locked6x"))?,
	};
	// `Vote` is one byte: the aye bit and the conviction.
	let vote = Value::unnamed_composite([Value::u128((u8::from(aye) << 7 | conviction).into())]);
	let account_vote = Value::named_variant("Standard", [("vote", vote), ("balance", Value::u128(aic(balance)?))]);
	submit(api, signer, "ConvictionVoting", "vote", vec![Value::u128(index.into()), account_vote]).await?;
	println!("voted {} on referendum {index} with {balance} AIC at {conviction}x", if aye { "aye" } else { "nay" });
	Ok(())
}

/// Prints the referenda, the open requests and kept results, and the governance events of the
/// last `blocks` blocks.
pub async fn show_referenda(api: &Client, blocks: u64) -> Result<()> {
	println!("{:>4}  {:>5}  {:<10} {:>16} {:>16} {:>16}", "ref", "track", "state", "ayes (AIC)", "nays (AIC)", "support (AIC)");
	for (index, info) in map_entries(api, "Referenda", "ReferendumInfoFor").await? {
		let state = variant_name(Some(&info));
		let status = info.at(0);
		let tally = |name: &str| {
			status.and_then(|s| s.at("tally")).and_then(|t| t.at(name)).and_then(|v| v.as_u128()).map(format_aic).unwrap_or_default()
		};
		let track = status.map(|s| field(s, "track")).unwrap_or_default();
		println!("{index:>4}  {track:>5}  {state:<10} {:>16} {:>16} {:>16}", tally("ayes"), tally("nays"), tally("support"));
	}
	println!("\nopen requests:");
	for (id, request) in map_entries(api, "ComputeGovernance", "Requests").await? {
		let action = variant_name(request.at("action"));
		println!("  request {id}: job {} on model {}, then {action}", field(&request, "job"), field(&request, "model"));
	}
	println!("kept results:");
	for (id, kept) in map_entries(api, "ComputeGovernance", "Results").await? {
		let output = bytes(kept.at("output")).unwrap_or_default();
		println!("  request {id}: job {}, output 0x{} until block {}", field(&kept, "job"), hex::encode(output), field(&kept, "expires_at"));
	}
	println!("\nlast {blocks} blocks:");
	let head = api.at_current_block().await?.block_number();
	for n in head.saturating_sub(blocks)..=head {
		let events = api.at_block(n).await?.events().fetch().await?;
		for event in events.iter() {
			let event = event?;
			let shown = matches!(
				(event.pallet_name(), event.event_name()),
				("ComputeGovernance", _) | ("Referenda", "Confirmed" | "Rejected" | "Submitted") | ("Scheduler", "Dispatched")
					| ("Treasury", "AssetSpendApproved" | "Paid")
			);
			if shown {
				let fields = event.decode_fields_unchecked_as::<Value>()?;
				println!("  block {n}: {}.{} {fields}", event.pallet_name(), event.event_name());
			}
		}
	}
	Ok(())
}
