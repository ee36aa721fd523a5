//! `submit-job --seal`: a job whose data only the requester and the assigned workers can read
//! (`aichain_offchain_worker::sealed`, the same code the providers run).
//!
//! 1. Draws a fresh job key `K`, keeps it in `<out>.key` (mode 0600: the only way to read the
//!    output later), seals the input file under `K` and stores the sealed bytes as a blob.
//! 2. Submits `Jobs.submit_sealed_job` with the commitment to `K`.
//! 3. On every finalized block until the job ends, sends `K` sealed to each assigned worker
//!    that has none yet and has published an X25519 key (`Workers.EncryptionKeys`), with
//!    `Jobs.post_job_keys` (a reassigned job's new workers too).
//! 4. When the job completes, reads the output blob, opens it with `K` and writes the
//!    plaintext rows to `out`.

use crate::{blobs, find_event, number, submit, values, variants, Client};
use aichain_offchain_worker::sealed;
use anyhow::{bail, ensure, Context, Result};
use scale_value::{At, Value};
use std::{collections::BTreeSet, path::Path};
use subxt::{dynamic, utils::AccountId32};
use subxt_signer::sr25519::Keypair;

/// What a sealed job needs besides the usual job arguments.
pub struct SealedJobRequest<'a> {
	/// The plaintext input file.
	pub input: &'a Path,
	/// Where the plaintext output goes (the job key next to it, in `<out>.key`).
	pub out: &'a Path,
}

/// Runs a sealed job end to end (see the module docs).
#[allow(clippy::too_many_arguments)]
pub async fn run_sealed_job(
	api: &Client,
	url: &str,
	signer: &Keypair,
	model: u32,
	request: SealedJobRequest<'_>,
	tier: &str,
	max_price: u128,
	deadline: u32,
) -> Result<()> {
	let plaintext = std::fs::read(request.input).with_context(|| format!("reading {}", request.input.display()))?;
	ensure!(!plaintext.is_empty(), "{} is empty", request.input.display());
	let key = sealed::new_job_key(&mut rand::rngs::OsRng);
	let key_file = request.out.with_extension("key");
	write_secret(&key_file, &key)?;
	println!("job key kept in {}", key_file.display());
	let input = blobs::hash_of_cid(&blobs::put_bytes(api, url, signer, &sealed::seal_input(&key, &plaintext, &mut rand::rngs::OsRng)).await?)?;

	let tier = variants::parse(api, "Jobs", "submit_sealed_job", &["tier"], "--tier", tier).await?;
	let args = vec![
		Value::u128(model.into()),
		Value::from_bytes(input),
		tier,
		Value::u128(max_price),
		Value::u128(deadline.into()),
		Value::from_bytes(sealed::key_commitment(&key)),
	];
	let events = submit(api, signer, "Jobs", "submit_sealed_job", args).await?;
	let job = number(&find_event(&events, "Jobs", "JobSubmitted")?, "job")? as u64;
	println!("sealed job {job} submitted");

	let mut posted = BTreeSet::new();
	let mut blocks = api.stream_blocks().await?;
	while let Some(block) = blocks.next().await {
		let block = block?;
		let events = block.at().await?.events().fetch().await?;
		for (name, data) in crate::jobs::job_events(&events, job)? {
			match name.as_str() {
				"JobCompleted" => {
					println!("job {job} completed in block {}", block.number());
					let descriptor = values::bytes(data.at("output")).unwrap_or_default();
					crate::jobs::save_output_blob(api, url, &descriptor, Some(request.out)).await?;
					let sealed_output = std::fs::read(request.out)?;
					let rows = sealed::open_output(&key, &sealed_output).context("the output blob does not open with the job key")?;
					std::fs::write(request.out, &rows)?;
					println!("opened the sealed output: {} bytes of plaintext in {}", rows.len(), request.out.display());
					return Ok(());
				},
				"JobRefunded" => bail!("job {job} was refunded: {data}"),
				other => println!("job {job}: {other} in block {}", block.number()),
			}
		}
		post_missing_keys(api, signer, job, &key, &mut posted).await?;
	}
	bail!("the node closed the block stream")
}

/// Sends the job key, sealed to each, to the assigned workers of `job` that have none yet
/// and published an encryption key.
async fn post_missing_keys(api: &Client, signer: &Keypair, job: u64, key: &[u8; 32], posted: &mut BTreeSet<[u8; 32]>) -> Result<()> {
	let at = api.at_current_block().await?;
	let Some(record) = at.storage().try_fetch(dynamic::storage::<(u64,), Value>("Jobs", "Jobs"), (job,)).await? else {
		return Ok(());
	};
	let record = record.decode_as::<Value>()?;
	if values::variant_name(record.at("status")) != "Assigned" {
		return Ok(());
	}
	let workers: Vec<[u8; 32]> = values::items(record.at("assignments"))
		.into_iter()
		.filter_map(|a| values::bytes(a.at("worker")).and_then(|w| w.try_into().ok()))
		.collect();
	let mut keys = Vec::new();
	for worker in workers.into_iter().filter(|w| !posted.contains(w)) {
		let address = dynamic::storage::<(AccountId32,), Value>("Workers", "EncryptionKeys");
		let published = match at.storage().try_fetch(address, (AccountId32(worker),)).await? {
			Some(value) => values::bytes(Some(&value.decode_as::<Value>()?)).and_then(|k| <[u8; 32]>::try_from(k).ok()),
			None => None,
		};
		let Some(public) = published else {
			println!("worker {} has published no encryption key yet", AccountId32(worker));
			continue;
		};
		let sealed_key = sealed::seal_key(&public, key, &mut rand::rngs::OsRng);
		keys.push((worker, sealed_key));
	}
	if keys.is_empty() {
		return Ok(());
	}
	let entries = keys
		.iter()
		.map(|(worker, sealed_key)| Value::unnamed_composite([Value::from_bytes(worker), Value::from_bytes(sealed_key)]));
	submit(api, signer, "Jobs", "post_job_keys", vec![Value::u128(job.into()), Value::unnamed_composite(entries)]).await?;
	for (worker, _) in keys {
		println!("job key sent to {}", AccountId32(worker));
		posted.insert(worker);
	}
	Ok(())
}

/// Writes `secret` to `path`, readable by its owner only.
fn write_secret(path: &Path, secret: &[u8]) -> Result<()> {
	let mut options = std::fs::OpenOptions::new();
	options.write(true).create(true).truncate(true);
	#[cfg(unix)]
	std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
	std::io::Write::write_all(&mut options.open(path).with_context(|| format!("writing {}", path.display()))?, secret)?;
	Ok(())
}
