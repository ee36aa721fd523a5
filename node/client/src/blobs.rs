//! `put` and `get`: files stored on chain as content-addressed blobs (`pallet_blobs`) and read
//! back by CID from a node's indexed data.
//!
//! - `put FILE` stores a file of at most `Blobs.MaxBlobSize` bytes as one blob; a larger one as
//!   pieces of that size, then a manifest (SCALE: the file's size, then the pieces' BLAKE2b-256
//!   hashes) naming them. The pieces are submitted together, with consecutive nonces from the
//!   node's pool (`system_accountNextIndex`), so that they fill blocks; then each is awaited
//!   until finalized, and the manifest follows. It prints the CID (CIDv1, raw codec, BLAKE2b-256: `bafk2bzace…`) that
//!   nodes serve over IPFS bitswap (`--ipfs-server`) and that `get` takes.
//! - `get CID` reads the blob through the node's `bitswap_v1_get` RPC (its indexed data); for a
//!   manifest (the chain's record says so) every piece, each checked against its hash, and the
//!   file against its size.

use crate::{find_event, submit, Client};
// A manifest: the pieces of a file larger than one blob.
use aichain_compute::blob::ManifestView as Manifest;
use anyhow::{bail, ensure, Context, Result};
use scale_value::{At, Composite, Value};
use std::path::Path;
use subxt::{config::DefaultExtrinsicParamsBuilder, dynamic, utils::AccountId32, PolkadotConfig};
use subxt_signer::sr25519::Keypair;

/// The CID text of the blob with `hash`.
pub fn cid(hash: &[u8; 32]) -> String {
	aichain_compute::cid::cid_text(hash)
}

/// The content hash a blob's CID text names.
pub fn hash_of_cid(text: &str) -> Result<[u8; 32]> {
	aichain_compute::cid::hash_of_cid_text(text)
		.with_context(|| format!("{text} is not the canonical CID of a blob (CIDv1, raw, BLAKE2b-256, base32 `b…`)"))
}

/// Stores the file at `path`; prints and returns its CID.
pub async fn put(api: &Client, url: &str, signer: &Keypair, path: &Path) -> Result<String> {
	let data = std::fs::read(path).with_context(|| format!("reading {}", path.display()))?;
	ensure!(!data.is_empty(), "{} is empty", path.display());
	put_bytes(api, url, signer, &data).await
}

/// Stores `data` (one blob, or pieces and a manifest); prints and returns its CID.
pub async fn put_bytes(api: &Client, url: &str, signer: &Keypair, data: &[u8]) -> Result<String> {
	let max: u32 = api.at_current_block().await?.constants().entry(dynamic::constant::<u32>("Blobs", "MaxBlobSize"))?;
	let hash = if data.len() <= max as usize {
		store(api, signer, "store", &data).await?
	} else {
		let pieces: Vec<&[u8]> = data.chunks(max as usize).collect();
		let most: u32 = api.at_current_block().await?.constants().entry(dynamic::constant::<u32>("Blobs", "MaxManifestChunks"))?;
		ensure!(pieces.len() <= most as usize, "{} pieces: a manifest lists at most {most} ({} bytes)", pieces.len(), most as u64 * max as u64);
		let chunks = store_pieces(api, url, signer, &pieces).await?;
		let manifest = Manifest { total_size: data.len() as u64, chunks }.to_blob();
		store(api, signer, "store_manifest", &manifest).await?
	};
	let cid = cid(&hash);
	println!("stored {} bytes: {cid}", data.len());
	Ok(cid)
}

/// Stores `bytes` with `Blobs.<call>` unless they are kept already; returns their hash.
pub(crate) async fn store(api: &Client, signer: &Keypair, call: &str, bytes: &[u8]) -> Result<[u8; 32]> {
	let hash = sp_crypto_hashing::blake2_256(bytes);
	if kept(api, &hash, if call == "store_manifest" { "Manifest" } else { "Data" }).await? {
		return Ok(hash);
	}
	let events = submit(api, signer, "Blobs", call, vec![Value::from_bytes(bytes)]).await?;
	let stored = find_event(&events, "Blobs", "Stored")?;
	let expires = stored.at("expires_at").and_then(|v| v.as_u128()).unwrap_or_default();
	println!("{} stored, kept until block {expires}", cid(&hash));
	Ok(hash)
}

/// Submits a store of every piece not kept yet at once (consecutive nonces from the node's
/// pool), then waits for each until finalized; returns the pieces' hashes in order.
async fn store_pieces(api: &Client, url: &str, signer: &Keypair, pieces: &[&[u8]]) -> Result<Vec<[u8; 32]>> {
	for (i, piece) in pieces.iter().enumerate() {
		println!("piece {}/{}: {} bytes, {}", i + 1, pieces.len(), piece.len(), cid(&sp_crypto_hashing::blake2_256(piece)));
	}
	store_many(api, url, signer, "store", pieces).await
}

/// A call to submit: pallet, call, arguments.
pub(crate) type Call = (&'static str, &'static str, Vec<Value>);

/// `Blobs.<call>` (`store` or `store_manifest`) of every one of `blobs` not kept yet (and not
/// repeated), and the hashes of all of them in order.
pub(crate) async fn store_calls(api: &Client, call: &'static str, blobs: &[&[u8]]) -> Result<(Vec<Call>, Vec<[u8; 32]>)> {
	let kind = if call == "store_manifest" { "Manifest" } else { "Data" };
	let (mut calls, mut hashes) = (Vec::new(), Vec::with_capacity(blobs.len()));
	for blob in blobs {
		let hash = sp_crypto_hashing::blake2_256(blob);
		// The same bytes twice (a file of zeros' equal pieces) are stored once.
		let repeated = hashes.contains(&hash);
		hashes.push(hash);
		if !repeated && !kept(api, &hash, kind).await? {
			calls.push(("Blobs", call, vec![Value::from_bytes(blob)]));
		}
	}
	Ok((calls, hashes))
}

/// Submits `calls` at once, signed by `signer` with consecutive nonces from the node's pool, so
/// that they share blocks and run in order; then waits for each until finalized and succeeded.
/// Prints each stored blob's CID.
pub(crate) async fn submit_all(api: &Client, url: &str, signer: &Keypair, calls: Vec<Call>) -> Result<()> {
	let rpc = subxt::rpcs::RpcClient::from_url(url).await.with_context(|| format!("connecting to {url}"))?;
	let account = AccountId32::from(signer.public_key()).to_string();
	let mut nonce: u64 = rpc.request("system_accountNextIndex", subxt::rpcs::rpc_params![account]).await?;
	let at = api.at_current_block().await?;
	let mut pending = Vec::new();
	for (pallet, call, args) in calls {
		let payload = dynamic::transaction(pallet, call, Composite::unnamed(args));
		let params = DefaultExtrinsicParamsBuilder::<PolkadotConfig>::new().nonce(nonce).build();
		let progress = at
			.transactions()
			.sign_and_submit_then_watch(&payload, signer, params)
			.await
			.with_context(|| format!("submitting {pallet}.{call}"))?;
		nonce += 1;
		pending.push((pallet, call, progress));
	}
	for (pallet, call, progress) in pending {
		let events = progress.wait_for_finalized_success().await.map_err(|e| anyhow::anyhow!("{pallet}.{call} failed: {e}"))?;
		if let Ok(stored) = find_event(&events, "Blobs", "Stored") {
			let hash = crate::values::bytes(stored.at("hash")).and_then(|h| <[u8; 32]>::try_from(h).ok()).unwrap_or_default();
			let expires = stored.at("expires_at").and_then(|v| v.as_u128()).unwrap_or_default();
			println!("{} stored, kept until block {expires}", cid(&hash));
		}
	}
	Ok(())
}

/// Stores every one of `blobs` not kept yet with `Blobs.<call>`, all submitted at once; returns
/// their hashes in order.
pub(crate) async fn store_many(api: &Client, url: &str, signer: &Keypair, call: &'static str, blobs: &[&[u8]]) -> Result<Vec<[u8; 32]>> {
	let (calls, hashes) = store_calls(api, call, blobs).await?;
	submit_all(api, url, signer, calls).await?;
	Ok(hashes)
}

/// Whether the blob `hash` is kept already, as a `wanted` (`Data` or `Manifest`) blob; an error
/// if it is kept as the other kind.
async fn kept(api: &Client, hash: &[u8; 32], wanted: &str) -> Result<bool> {
	let Some(info) = record(api, hash).await? else { return Ok(false) };
	let kind = info.at("kind").map(|kind| crate::values::variant_name(Some(kind))).unwrap_or_default();
	ensure!(kind == wanted, "{} is kept already, as {kind}, not {wanted}", cid(hash));
	println!("{} is kept already", cid(hash));
	Ok(true)
}

/// The chain's record of the blob `hash`, if it is kept.
async fn record(api: &Client, hash: &[u8; 32]) -> Result<Option<Value>> {
	let address = dynamic::storage::<([u8; 32],), Value>("Blobs", "Blobs");
	let at = api.at_current_block().await?;
	Ok(match at.storage().try_fetch(address, (*hash,)).await? {
		Some(value) => Some(value.decode_as::<Value>()?),
		None => None,
	})
}

/// Reads the file named by `cid` from the node at `url` and writes it to `out` (or stdout).
pub async fn get(api: &Client, url: &str, cid_text: &str, out: Option<&Path>) -> Result<()> {
	let hash = hash_of_cid(cid_text)?;
	let rpc = subxt::rpcs::RpcClient::from_url(url).await.with_context(|| format!("connecting to {url}"))?;
	let bytes = fetch(&rpc, &hash).await?;
	if record(api, &hash).await?.is_none() {
		eprintln!("note: the chain keeps no record of {cid_text} (expired?); the node still had its bytes");
	}
	// Plain data cannot start with the manifest magic (the chain refuses it).
	let data = if let Some(manifest) = Manifest::from_blob(&bytes) {
		let manifest = manifest?;
		let mut data = Vec::with_capacity(manifest.total_size as usize);
		for (i, piece) in manifest.chunks.iter().enumerate() {
			eprintln!("piece {}/{}: {}", i + 1, manifest.chunks.len(), cid(piece));
			data.extend(fetch(&rpc, piece).await?);
		}
		ensure!(data.len() as u64 == manifest.total_size, "the pieces hold {} bytes, the manifest says {}", data.len(), manifest.total_size);
		data
	} else {
		bytes
	};
	match out {
		Some(path) => {
			std::fs::write(path, &data).with_context(|| format!("writing {}", path.display()))?;
			eprintln!("{} bytes written to {}", data.len(), path.display());
		},
		None => std::io::Write::write_all(&mut std::io::stdout(), &data)?,
	}
	Ok(())
}

/// The bytes the node indexed under `hash`, checked against it.
pub(crate) async fn fetch(rpc: &subxt::rpcs::RpcClient, hash: &[u8; 32]) -> Result<Vec<u8>> {
	let text = cid(hash);
	let hex_bytes: String = match rpc.request("bitswap_v1_get", subxt::rpcs::rpc_params![text.clone()]).await {
		Ok(bytes) => bytes,
		Err(error) => bail!("the node has no data for {text}: {error}"),
	};
	let bytes = hex::decode(hex_bytes.trim_start_matches("0x")).context("the node's answer is not hex")?;
	ensure!(sp_crypto_hashing::blake2_256(&bytes) == *hash, "the node's bytes for {text} do not hash to it");
	Ok(bytes)
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn cids_round_trip_and_match_ipfs() {
		let hash = sp_crypto_hashing::blake2_256(b"abc");
		let text = cid(&hash);
		assert!(text.starts_with("bafk2bzace"), "{text}");
		assert_eq!(hash_of_cid(&text).unwrap(), hash);
		assert!(hash_of_cid("bafkreigh2akiscaildc").is_err(), "a sha2-256 CID is not a blob's");
		assert!(hash_of_cid(&format!("{text}a")).is_err(), "a trailing character");
		// 61 characters carry 305 bits for 304: the last character's lowest bit is padding.
		let mut padded = text.clone().into_bytes();
		let last = padded.last_mut().unwrap();
		const BASE32: &[u8; 32] = b"abcdefghijklmnopqrstuvwxyz234567";
		let value = BASE32.iter().position(|b| b == last).unwrap();
		*last = BASE32[value ^ 1];
		assert!(hash_of_cid(std::str::from_utf8(&padded).unwrap()).is_err(), "a set padding bit");
	}

	#[test]
	fn manifests_are_told_from_data_by_their_magic() {
		let manifest = Manifest { total_size: 3, chunks: vec![[7; 32]] };
		let blob = manifest.to_blob();
		let decoded = Manifest::from_blob(&blob).unwrap().unwrap();
		assert_eq!((decoded.total_size, decoded.chunks), (3, vec![[7; 32]]));
		assert!(Manifest::from_blob(&codec::Encode::encode(&manifest)).is_none(), "the encoding alone is data");
	}
}
