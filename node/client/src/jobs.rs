//! `submit-job`: submits a job (inline input, or a kept blob by its CID) and follows finalized
//! blocks until it completes or is refunded. A blob-output job's accepted output is the
//! descriptor of a blob (`SCALE(BlobRef)`): the client prints its CID and, with `--out`, reads
//! the blob from the node (hash checked) into a file.

use crate::{blobs, find_event, number, submit, values, variants, Client};
use aichain_compute::blob::{BlobRef, RowOutput};
use anyhow::{bail, Context, Result};
use codec::Decode;
use scale_value::{At, Value, ValueDef};
use std::path::Path;
use subxt::{dynamic, PolkadotConfig};
use subxt_signer::sr25519::Keypair;

/// A job's input.
pub enum JobInput {
	/// The bytes, in the extrinsic (`Jobs.submit_job`).
	Inline(Vec<u8>),
	/// A kept blob, by content hash (`Jobs.submit_blob_job`).
	Blob([u8; 32]),
}

/// Submits a job on `model`; returns its id.
pub async fn submit_job(
	api: &Client,
	signer: &Keypair,
	model: u32,
	input: JobInput,
	tier: &str,
	max_price: u128,
	deadline: u32,
) -> Result<u64> {
	let (call, input) = match input {
		JobInput::Inline(bytes) => ("submit_job", Value::from_bytes(bytes)),
		JobInput::Blob(hash) => ("submit_blob_job", Value::from_bytes(hash)),
	};
	let tier = variants::parse(api, "Jobs", call, &["tier"], "--tier", tier).await?;
	let args = vec![Value::u128(model.into()), input, tier, Value::u128(max_price), Value::u128(deadline.into())];
	let events = submit(api, signer, "Jobs", call, args).await?;
	let job = number(&find_event(&events, "Jobs", "JobSubmitted")?, "job")? as u64;
	println!("job {job} submitted");
	Ok(job)
}

/// Follows finalized blocks until `job` completes or is refunded; prints the result. A
/// blob-output job's output blob is written to `out` if given.
pub async fn wait_for_job(api: &Client, url: &str, job: u64, out: Option<&Path>) -> Result<()> {
	let blob_output = has_blob_output(api, job).await?;
	println!("waiting for job {job} (finalized blocks)…");
	let mut blocks = api.stream_blocks().await?;
	while let Some(block) = blocks.next().await {
		let block = block?;
		let events = block.at().await?.events().fetch().await?;
		for (name, data) in job_events(&events, job)? {
			match name.as_str() {
				"JobCompleted" => {
					let output = values::bytes(data.at("output")).unwrap_or_default();
					println!("job {job} completed in block {}", block.number());
					let workers: Vec<String> = match data.at("workers").map(|w| &w.value) {
						Some(ValueDef::Composite(list)) => list.values().map(|w| values::account(Some(w))).collect(),
						_ => Vec::new(),
					};
					println!("workers: {}", workers.join(", "));
					if blob_output {
						return save_output_blob(api, url, &output, out).await;
					}
					print_inline_output(&output);
					return Ok(());
				},
				"JobRefunded" => bail!("job {job} was refunded: {}", data),
				"ResultRejected" => println!("a result for job {job} was rejected: {data}"),
				other => println!("job {job}: {other} in block {}", block.number()),
			}
		}
	}
	bail!("the node closed the block stream")
}

/// The `Jobs` events of `job` among a block's `events`: each event's name and fields.
pub(crate) fn job_events(events: &subxt::events::Events<PolkadotConfig>, job: u64) -> Result<Vec<(String, Value)>> {
	let mut found = Vec::new();
	for event in events.iter() {
		let event = event?;
		if event.pallet_name() != "Jobs" {
			continue;
		}
		let data = event.decode_fields_unchecked_as::<Value>()?;
		if data.at("job").and_then(|v| v.as_u128()) == Some(job.into()) {
			found.push((event.event_name().to_string(), data));
		}
	}
	Ok(found)
}

/// Whether `job` answers with a blob (`Jobs.BlobOutputs` has its limits).
async fn has_blob_output(api: &Client, job: u64) -> Result<bool> {
	let address = dynamic::storage::<(u64,), Value>("Jobs", "BlobOutputs");
	Ok(api.at_current_block().await?.storage().try_fetch(address, (job,)).await?.is_some())
}

/// Prints an inline output in hex (and as i32s when it is a few of them).
fn print_inline_output(output: &[u8]) {
	println!("output ({} bytes): 0x{}", output.len(), hex::encode(output));
	if output.len() % 4 == 0 && output.len() <= 64 {
		let values: Vec<i32> = output.chunks_exact(4).map(|c| i32::from_le_bytes([c[0], c[1], c[2], c[3]])).collect();
		println!("as i32: {values:?}");
	}
}

/// Prints the CID of the output blob `descriptor` names and writes the blob to `out`.
pub(crate) async fn save_output_blob(api: &Client, url: &str, descriptor: &[u8], out: Option<&Path>) -> Result<()> {
	let blob = BlobRef::decode(&mut &descriptor[..]).context("the output is not a blob descriptor")?;
	let cid = blobs::cid(&blob.hash);
	println!("output blob: {cid} ({} bytes)", blob.size);
	let Some(path) = out else {
		println!("read it with: aichain-client get {cid} --out FILE");
		return Ok(());
	};
	blobs::get(api, url, &cid, Some(path)).await?;
	let bytes = std::fs::read(path).with_context(|| format!("reading {}", path.display()))?;
	if let Some(rows) = RowOutput::parse(&bytes) {
		println!("{} rows of {} bytes", rows.row_count(), rows.row_len);
	}
	Ok(())
}
