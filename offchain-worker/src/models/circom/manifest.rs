//! A circom model's `model.json`: what the chain records of the model and the SHA-256 of its
//! two files (the witness generator and the `.zkey`). The model's weights hash on chain is the
//! SHA-256 of this file, so it commits to both.
//!
//! ```json
//! { "aichain": "circom-v1", "name": "islp-default-logit", "kind": "Classifier",
//!   "input_len": 12, "output_len": 4,
//!   "wasm": "circuit.wasm", "wasm_sha256": "…", "zkey": "circuit.zkey", "zkey_sha256": "…" }
//! ```
//!
//! `scripts/circom-model.sh` writes it after compiling the circuit and making its key.

use crate::{Error, Result};
use aichain_compute::ModelKind;
use std::path::{Path, PathBuf};

/// The format tag of a circom model's manifest.
pub const FORMAT: &str = "circom-v1";

/// The manifest's file name inside a model's folder.
pub const FILE: &str = "model.json";

/// Largest witness generator a provider compiles (bytes).
pub const MAX_WASM_BYTES: u64 = 32 << 20;

/// Largest `.zkey` a provider reads (bytes): about a 2^20-constraint circuit.
pub const MAX_ZKEY_BYTES: u64 = 1 << 30;

/// Longest input or output a manifest may declare (bytes); the chain's own, smaller limits (the
/// jobs pallet's `MaxInputLen`, `MaxOutputLen`) are checked when the model is registered.
pub const MAX_LEN: u32 = 1 << 16;

/// A parsed, checked `model.json`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Manifest {
	/// The model's name.
	pub name: String,
	/// Its kind on chain: a fixed-size kind (`Classifier` or `TrainingStep`), as a circuit takes
	/// exactly `input_len` bytes.
	pub kind: ModelKind,
	/// Bytes of input (exactly).
	pub input_len: u32,
	/// Bytes of output (exactly).
	pub output_len: u32,
	/// The witness generator (`circom --wasm`).
	pub wasm: PathBuf,
	/// The Groth16 key (`snarkjs groth16 setup` and phase-2 contributions).
	pub zkey: PathBuf,
	/// The manifest's own SHA-256: the model's weights hash on chain.
	pub sha256: [u8; 32],
}

impl Manifest {
	/// Reads `<dir>/model.json` and the two files it names; `Ok(None)` if there is none or it is
	/// not a circom model's. Checks that both files are regular files within their size limits
	/// with the SHA-256 it records, and returns their bytes (read once: what was checked is what
	/// is used).
	pub fn read(dir: &Path) -> Result<Option<(Self, ModelFiles)>> {
		let path = dir.join(FILE);
		if !path.is_file() {
			return Ok(None);
		}
		let bytes = read_regular_file(&path, 1 << 16)?;
		let bad = |detail: String| Error::Malformed { what: "circom model.json", detail: format!("{}: {detail}", path.display()) };
		let json: serde_json::Value = serde_json::from_slice(&bytes).map_err(|e| bad(e.to_string()))?;
		if json.get("aichain").and_then(|t| t.as_str()) != Some(FORMAT) {
			return Ok(None);
		}
		let text = |key: &str| json.get(key).and_then(|v| v.as_str()).ok_or_else(|| bad(format!("no string {key:?}")));
		let length = |key: &str| {
			json.get(key)
				.and_then(|v| v.as_u64())
				.filter(|n| (1..=MAX_LEN as u64).contains(n))
				.map(|n| n as u32)
				.ok_or_else(|| bad(format!("{key:?} is not a length in 1..={MAX_LEN}")))
		};
		let kind = match text("kind")? {
			"Classifier" => ModelKind::Classifier,
			"TrainingStep" => ModelKind::TrainingStep,
			other => return Err(bad(format!("kind {other:?}: a circuit takes fixed-size inputs (Classifier or TrainingStep)"))),
		};
		let file = |name_key: &str, hash_key: &str, limit: u64| -> Result<(PathBuf, Vec<u8>)> {
			let name = text(name_key)?;
			// The files sit next to the manifest: no paths out of the model's folder.
			if name.contains('/') || name.contains('\\') || name.starts_with('.') {
				return Err(bad(format!("{name_key} {name:?} is not a file name in the model's folder")));
			}
			let file = dir.join(name);
			let bytes = read_regular_file(&file, limit)?;
			let expected = text(hash_key)?;
			let actual = super::super::hex(&sha256_bytes(&bytes));
			if actual != expected.to_ascii_lowercase() {
				return Err(bad(format!("{name} has SHA-256 {actual}, the manifest records {expected}")));
			}
			Ok((file, bytes))
		};
		let (wasm, wasm_bytes) = file("wasm", "wasm_sha256", MAX_WASM_BYTES)?;
		let (zkey, zkey_bytes) = file("zkey", "zkey_sha256", MAX_ZKEY_BYTES)?;
		let manifest = Self {
			name: text("name")?.to_owned(),
			kind,
			input_len: length("input_len")?,
			output_len: length("output_len")?,
			wasm,
			zkey,
			sha256: sha256_bytes(&bytes),
		};
		Ok(Some((manifest, ModelFiles { wasm: wasm_bytes, zkey: zkey_bytes })))
	}
}

/// The bytes of a model's two files, read once and checked against the manifest's hashes.
pub struct ModelFiles {
	/// The witness generator.
	pub wasm: Vec<u8>,
	/// The `.zkey`.
	pub zkey: Vec<u8>,
}

/// Reads `path` if it is a regular file (not a link, a device or a pipe) of at most `limit`
/// bytes.
fn read_regular_file(path: &Path, limit: u64) -> Result<Vec<u8>> {
	use std::io::Read;
	let io = |source| Error::Io { path: path.to_owned(), source };
	let too_large = || Error::Malformed { what: "circom model file", detail: format!("{}: more than {limit} bytes", path.display()) };
	let metadata = std::fs::symlink_metadata(path).map_err(io)?;
	if !metadata.file_type().is_file() {
		return Err(Error::Malformed { what: "circom model file", detail: format!("{}: not a regular file", path.display()) });
	}
	if metadata.len() > limit {
		return Err(too_large());
	}
	let mut bytes = Vec::with_capacity(metadata.len() as usize);
	std::fs::File::open(path).map_err(io)?.take(limit + 1).read_to_end(&mut bytes).map_err(io)?;
	if bytes.len() as u64 > limit {
		return Err(too_large());
	}
	Ok(bytes)
}

fn sha256_bytes(bytes: &[u8]) -> [u8; 32] {
	use sha2::{Digest, Sha256};
	Sha256::digest(bytes).into()
}
