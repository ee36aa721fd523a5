//! `audit-job ID`: re-checks a completed zk-tier job from chain data alone, on this machine.
//!
//! It walks finalized blocks back from the head and finds
//! 1. the `Jobs.submit_result` transaction, or the `Jobs.submit_results` batch carrying the job
//!    (its first result for the job: a repeat is skipped), whose events include
//!    `Jobs.JobCompleted` for the job: the accepted output and its Groth16 proof;
//! 2. the `Jobs.submit_job` transaction whose events include `Jobs.JobSubmitted` for the job: the
//!    model and the input the requester posted;
//! 3. the model's verifying key as registered (`Models.Models` → its key id →
//!    `ZkVerifier.VerifyingKeys`), checked against its id (the BLAKE2-256 of its bytes);
//!
//! then builds the public inputs from input and output exactly as the runtime does
//! (`aichain_compute::zk_public_inputs`) and verifies the proof with `aichain_zk::verify`, the
//! same verifier the runtime runs. Trusting the RPC node is not needed for the verification
//! itself, only for serving the right blocks (check them against finality on a node you run).
//!
//! Events are state: a pruned node keeps them for its last 256 blocks only, so auditing older
//! jobs needs an archive node (`--state-pruning archive`), as block explorers use.

use crate::{bytes, number, Client};
use aichain_zk::{Proof, VerifyingKey};
use anyhow::{anyhow, bail, Context, Result};
use codec::Decode;
use scale_value::{At, Value, ValueDef};
use subxt::dynamic;

/// An extrinsic of a block read at that block.
type Extrinsic<'a> = subxt::extrinsics::Extrinsic<'a, subxt::PolkadotConfig, subxt::client::OnlineClientAtBlockImpl<subxt::PolkadotConfig>>;

/// What the chain holds of a completed zk job.
struct Completed {
	block: u64,
	output: Vec<u8>,
	proof: Proof,
}

/// A result of a `submit_results` batch as the runtime encodes it (`pallet_jobs::ZkResult`).
type BatchResult = (u64, Vec<u8>, Proof);

/// The raw SCALE bytes of the argument `name` of an extrinsic's call.
fn raw_argument(ext: &Extrinsic<'_>, name: &str) -> Result<Vec<u8>> {
	ext.iter_call_data_fields()
		.find(|f| f.name() == name)
		.map(|f| f.bytes().to_vec())
		.ok_or_else(|| anyhow!("no argument {name}"))
}

/// The output and proof `ext` submitted for `job`, if it is a zk result call carrying the job.
fn submitted_result(ext: &Extrinsic<'_>, args: &Value, job: u64) -> Result<Option<(Vec<u8>, Proof)>> {
	match ext.call_name() {
		"submit_result" if argument(args, "job")?.as_u128() == Some(job.into()) => {
			let output = bytes(Some(&argument(args, "output")?)).context("the output's bytes")?;
			let proof = Proof::decode(&mut &raw_argument(ext, "proof")?[..]).context("decoding the proof")?;
			Ok(Some((output, proof)))
		},
		"submit_results" => {
			let results = Vec::<BatchResult>::decode(&mut &raw_argument(ext, "results")?[..]).context("decoding the batch")?;
			Ok(results.into_iter().find(|(id, _, _)| *id == job).map(|(_, output, proof)| (output, proof)))
		},
		_ => Ok(None),
	}
}

/// The named argument `name` of an extrinsic's call, decoded with the metadata.
fn argument(args: &Value, name: &str) -> Result<Value> {
	args.at(name).cloned().ok_or_else(|| anyhow!("no argument {name}"))
}

/// Whether the events of `ext` include `Jobs.event` for `job`.
async fn has_job_event(ext: &Extrinsic<'_>, event: &str, job: u64) -> Result<bool> {
	let events = ext.events().await.context("reading a block's events (an old block on a pruned node? use an archive node)")?;
	for found in events.iter() {
		let found = found?;
		if found.pallet_name() == "Jobs" && found.event_name() == event {
			let fields = found.decode_fields_unchecked_as::<Value>()?;
			if fields.at("job").and_then(|v| v.as_u128()) == Some(job.into()) {
				return Ok(true);
			}
		}
	}
	Ok(false)
}

/// Audits job `job`, looking back at most `max_blocks` finalized blocks; prints each step and
/// fails unless the proof verifies.
pub async fn audit_job(api: &Client, job: u64, max_blocks: u64) -> Result<()> {
	let head = api.at_current_block().await?.block_number();
	let mut completed: Option<Completed> = None;
	let mut submitted: Option<(u64, u32, Vec<u8>)> = None;
	'blocks: for n in (head.saturating_sub(max_blocks)..=head).rev() {
		let at = api.at_block(n).await?;
		let extrinsics = at.extrinsics().fetch().await?;
		for ext in extrinsics.iter() {
			let ext = ext?;
			if ext.pallet_name() != "Jobs" {
				continue;
			}
			let args = ext.decode_call_data_fields_unchecked_as::<Value>()?;
			match (ext.call_name(), &completed) {
				(call @ ("submit_result" | "submit_results"), None) => {
					let Some((output, proof)) = submitted_result(&ext, &args, job)? else { continue };
					if !has_job_event(&ext, "JobCompleted", job).await? {
						continue;
					}
					println!("block {n}: {call} of job {job} accepted (JobCompleted): output {} bytes", output.len());
					completed = Some(Completed { block: n, output, proof });
				},
				("submit_job", Some(_)) => {
					if has_job_event(&ext, "JobSubmitted", job).await? {
						let model = number(&args, "model")? as u32;
						let input = bytes(Some(&argument(&args, "input")?)).context("the input's bytes")?;
						println!("block {n}: submit_job created job {job}: model {model}, input {} bytes", input.len());
						submitted = Some((n, model, input));
						break 'blocks;
					}
				},
				_ => {},
			}
		}
	}
	let completed = completed.ok_or_else(|| anyhow!("no accepted result of job {job} in the last {max_blocks} finalized blocks"))?;
	let (submitted_at, model, input) = submitted.ok_or_else(|| anyhow!("job {job}'s submission is older than {max_blocks} blocks"))?;

	// The model's verifying key as it was when the job was submitted.
	let at = api.at_block(submitted_at).await?;
	let models = dynamic::storage::<(u32,), Value>("Models", "Models");
	let record = at.storage().fetch(models, (model,)).await?.decode()?;
	// `verifying_key` is an `Option<KeyId>`: the variant `Some` holds the id.
	let key_id: [u8; 32] = match record.at("spec").and_then(|s| s.at("verifying_key")).map(|k| &k.value) {
		Some(ValueDef::Variant(variant)) if variant.name == "Some" => variant.values.values().next(),
		_ => None,
	}
	.and_then(|id| bytes(Some(id)))
	.and_then(|b| b.try_into().ok())
	.ok_or_else(|| anyhow!("model {model} had no verifying key: not a zk job"))?;
	let keys = dynamic::storage::<([u8; 32],), Value>("ZkVerifier", "VerifyingKeys");
	let key_record = at.storage().fetch(keys, (key_id,)).await?.decode()?;
	let key_bytes = bytes(key_record.at("key")).context("the key record's bytes")?;
	if sp_crypto_hashing::blake2_256(&key_bytes) != key_id {
		bail!("the stored verifying key does not hash to its id 0x{}", hex::encode(key_id));
	}
	let key = VerifyingKey::decode(&mut &key_bytes[..]).context("decoding the verifying key")?;
	println!("model {model}: verifying key 0x{} ({} bytes, hash checked)", hex::encode(key_id), key_bytes.len());

	let public_inputs = aichain_compute::zk_public_inputs(&input, &completed.output);
	aichain_zk::verify(&key, &completed.proof, &public_inputs)
		.map_err(|e| anyhow!("job {job}: the proof does NOT verify: {e:?}"))?;
	println!("job {job}: proof verified locally ({} public inputs)", public_inputs.len());
	println!("input:  0x{}", hex::encode(&input));
	println!("output: 0x{} (accepted in block {})", hex::encode(&completed.output), completed.block);
	if let Some(values) = aichain_compute::fixed::decode_i32(&completed.output) {
		println!("output as i32: {values:?}");
	}
	Ok(())
}
