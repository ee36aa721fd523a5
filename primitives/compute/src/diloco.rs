//! The files of a DiLoCo language-model training, as the chain, the providers' engines and
//! clients must read and write them byte for byte (`docs/distributed-training.md`).
//!
//! A training's state is two files of little-endian `f32`s: the model's parameters and the
//! outer optimizer's momentum, each stored as blobs in pieces of [`STATE_PIECE_LEN`] bytes (one
//! blob if it fits, else pieces and a manifest, as `aichain-client put` stores any file). A round
//! is two kinds of job over blob inputs, both built from these pieces with a small header blob
//! in front, so that the chain can compute the exact input it expects from what it records:
//!
//! - a **shard task** (`aics\x01`, [`ShardTask`]): the header, then the parameters. The shard
//!   runs `steps` local steps on its slice of the training text and answers its parameter
//!   change as a row output (one signed byte per parameter);
//! - an **outer task** (`aico\x01`, [`OuterTask`]): the header, the parameters, the momentum,
//!   then each shard's agreed change. It applies the outer step and answers, inline,
//!   [`OuterResult`]: the hashes of the next parameters' and momentum's files and the next
//!   parameters' validation loss.
//!
//! The outer step is plain sequential arithmetic, the same bytes on every machine, so its
//! replicas agree exactly; whoever stores the next state computes the same files, and the chain
//! accepts them when their hashes are the agreed ones.

use crate::blob::ManifestView;
use alloc::vec::Vec;
use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use scale_info::TypeInfo;

/// The first bytes of a shard task's file.
pub const SHARD_TASK_MAGIC: [u8; 5] = *b"aics\x01";

/// The first bytes of an outer task's file.
pub const OUTER_TASK_MAGIC: [u8; 5] = *b"aico\x01";

/// The size of the pieces a state file is stored in (and of a blob that holds it whole).
pub const STATE_PIECE_LEN: usize = 256 * 1024;

/// What a shard of a round trains: the header of a shard task's file.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Encode, Decode, DecodeWithMemTracking, TypeInfo, MaxEncodedLen)]
pub struct ShardTask {
	/// The training.
	pub training: u32,
	/// The round (0 for the first).
	pub round: u32,
	/// This shard's index, below `shards`: it trains on slice `shard` of `shards` equal slices
	/// of the training text.
	pub shard: u32,
	/// The round's number of shards.
	pub shards: u32,
	/// Local optimizer steps (DiLoCo's H).
	pub steps: u32,
	/// Seeds the shard's choice of windows: replicas of the shard draw the same batches.
	pub seed: u64,
}

/// What the outer step of a round combines: the header of an outer task's file.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Encode, Decode, DecodeWithMemTracking, TypeInfo, MaxEncodedLen)]
pub struct OuterTask {
	/// The training.
	pub training: u32,
	/// The round whose changes it applies.
	pub round: u32,
	/// How many changes follow the state (one per shard).
	pub shards: u32,
	/// The shards' local steps (the changes' quantization depends on it).
	pub steps: u32,
}

/// The inline output of an outer task.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Encode, Decode, DecodeWithMemTracking, TypeInfo, MaxEncodedLen)]
pub struct OuterResult {
	/// The hash of the next parameters' file ([`file_hash`]).
	pub parameters: [u8; 32],
	/// The hash of the next momentum's file.
	pub momentum: [u8; 32],
	/// The next parameters' loss on the validation text, in thousandths of a bit per
	/// character.
	pub validation_millibits: u32,
	/// Bit `i` set: shard `i`'s change was screened out (an outlier), not applied.
	pub rejected: u32,
}

/// A header followed by a body, as a task's file holds it.
fn with_header(magic: &[u8; 5], header: &impl Encode) -> Vec<u8> {
	let mut bytes = magic.to_vec();
	header.encode_to(&mut bytes);
	bytes
}

/// Splits a task's file into its header (after `magic`) and the rest; `None` without the magic
/// or with a header that does not decode.
fn split_header<'a, H: Decode>(magic: &[u8; 5], file: &'a [u8]) -> Option<(H, &'a [u8])> {
	let mut rest = file.strip_prefix(&magic[..])?;
	let header = H::decode(&mut rest).ok()?;
	Some((header, rest))
}

impl ShardTask {
	/// Shard `shard` of `shards` in round `round` of `training`, `steps` local steps, seeded by
	/// [`shard_seed`]: the header the chain computes and clients store.
	pub fn new(training: u32, round: u32, shard: u32, shards: u32, steps: u32, hash: impl Fn(&[u8]) -> [u8; 32]) -> Self {
		Self { training, round, shard, shards, steps, seed: shard_seed(training, round, shard, hash) }
	}

	/// The header blob: the magic and the SCALE encoding.
	pub fn to_blob(&self) -> Vec<u8> {
		with_header(&SHARD_TASK_MAGIC, self)
	}

	/// The header of a shard task's `file` and the parameters' bytes after it.
	pub fn parse(file: &[u8]) -> Option<(Self, &[u8])> {
		split_header(&SHARD_TASK_MAGIC, file)
	}
}

impl OuterTask {
	/// The header blob: the magic and the SCALE encoding.
	pub fn to_blob(&self) -> Vec<u8> {
		with_header(&OUTER_TASK_MAGIC, self)
	}

	/// The header of an outer task's `file` and the bytes after it (the state, then the
	/// changes).
	pub fn parse(file: &[u8]) -> Option<(Self, &[u8])> {
		split_header(&OUTER_TASK_MAGIC, file)
	}
}

/// The seed of shard `shard`'s batches in round `round` of `training`: the first 8 bytes
/// (little-endian) of `hash("aichain/diloco/seed" ‖ SCALE(training, round, shard))`. Replicas of
/// a shard draw the same batches; no two shards or rounds the same.
pub fn shard_seed(training: u32, round: u32, shard: u32, hash: impl Fn(&[u8]) -> [u8; 32]) -> u64 {
	let digest = hash(&(b"aichain/diloco/seed", training, round, shard).encode());
	let mut seed = [0u8; 8];
	seed.copy_from_slice(&digest[..8]);
	u64::from_le_bytes(seed)
}

/// The hashes of a state file's pieces of [`STATE_PIECE_LEN`] bytes (one for a file that fits
/// one blob; none for an empty one).
pub fn piece_hashes(file: &[u8], hash: impl Fn(&[u8]) -> [u8; 32]) -> Vec<[u8; 32]> {
	file.chunks(STATE_PIECE_LEN).map(hash).collect()
}

/// The content hash under which a file of `size` bytes stored as the blobs `pieces` is named:
/// the only piece's for a file of one blob, else its manifest's.
pub fn stored_hash(size: u64, pieces: &[[u8; 32]], hash: impl Fn(&[u8]) -> [u8; 32]) -> [u8; 32] {
	match pieces {
		[only] => *only,
		_ => hash(&ManifestView { total_size: size, chunks: pieces.to_vec() }.to_blob()),
	}
}

/// The content hash of `file` stored as state files are ([`piece_hashes`], [`stored_hash`]).
pub fn file_hash(file: &[u8], hash: impl Fn(&[u8]) -> [u8; 32]) -> [u8; 32] {
	let pieces = piece_hashes(file, &hash);
	stored_hash(file.len() as u64, &pieces, hash)
}

/// The manifest of the file made of a `header` blob followed by `files` (each given by its size
/// and pieces), in order: how a task's input is stored.
pub fn task_manifest(header: &[u8], files: &[(u64, &[[u8; 32]])], hash: impl Fn(&[u8]) -> [u8; 32]) -> ManifestView {
	let mut chunks = Vec::from([hash(header)]);
	let mut total_size = header.len() as u64;
	for (size, pieces) in files {
		chunks.extend_from_slice(pieces);
		total_size = total_size.saturating_add(*size);
	}
	ManifestView { total_size, chunks }
}

/// The files of an outer task after its header, as [`task_manifest`] takes them: the parameters
/// and the momentum (each `(size, pieces)`), then each change (`(size, hash)`: one blob).
pub fn outer_task_files<'a>(
	parameters: (u64, &'a [[u8; 32]]),
	momentum: (u64, &'a [[u8; 32]]),
	changes: impl IntoIterator<Item = (u64, &'a [u8; 32])>,
) -> Vec<(u64, &'a [[u8; 32]])> {
	let mut files = Vec::from([parameters, momentum]);
	files.extend(changes.into_iter().map(|(size, hash)| (size, core::slice::from_ref(hash))));
	files
}

/// The content hash of [`task_manifest`]: the chain computes a round's inputs with it from the
/// pieces it records, and refuses any other blob.
pub fn task_input_hash(header: &[u8], files: &[(u64, &[[u8; 32]])], hash: impl Fn(&[u8]) -> [u8; 32]) -> [u8; 32] {
	hash(&task_manifest(header, files, &hash).to_blob())
}

#[cfg(test)]
mod tests {
	use super::*;

	/// A stand-in hash for the tests (the chain uses BLAKE2b-256): the length and a byte sum.
	fn toy_hash(bytes: &[u8]) -> [u8; 32] {
		let mut out = [0u8; 32];
		out[..8].copy_from_slice(&(bytes.len() as u64).to_le_bytes());
		out[8..16].copy_from_slice(&bytes.iter().enumerate().map(|(i, b)| (i as u64 + 1) * u64::from(*b)).sum::<u64>().to_le_bytes());
		out
	}

	#[test]
	fn headers_round_trip_and_other_files_are_not_tasks() {
		let shard = ShardTask { training: 1, round: 2, shard: 1, shards: 3, steps: 25, seed: 9 };
		let mut file = shard.to_blob();
		file.extend_from_slice(&[7, 8, 9]);
		assert_eq!(ShardTask::parse(&file), Some((shard, &[7u8, 8, 9][..])));
		assert_eq!(OuterTask::parse(&file), None, "a shard task is not an outer task");
		let outer = OuterTask { training: 1, round: 2, shards: 3, steps: 25 };
		assert_eq!(OuterTask::parse(&outer.to_blob()), Some((outer, &[][..])));
		let seeded = ShardTask::new(1, 2, 1, 3, 25, toy_hash);
		assert_eq!(seeded, ShardTask { seed: shard_seed(1, 2, 1, toy_hash), ..shard });
		assert_eq!(ShardTask::parse(&shard.to_blob()[..10]), None, "a cut header does not decode");
	}

	#[test]
	fn a_file_is_named_by_its_only_piece_or_by_its_manifest() {
		let small = vec![3u8; 1000];
		assert_eq!(file_hash(&small, toy_hash), toy_hash(&small));
		let large = vec![5u8; STATE_PIECE_LEN * 2 + 10];
		let pieces = piece_hashes(&large, toy_hash);
		assert_eq!(pieces.len(), 3);
		assert_eq!(pieces[2], toy_hash(&[5u8; 10]));
		let manifest = ManifestView { total_size: large.len() as u64, chunks: pieces.clone() }.to_blob();
		assert_eq!(file_hash(&large, toy_hash), toy_hash(&manifest));
	}

	#[test]
	fn a_task_input_is_the_manifest_of_its_header_then_its_files() {
		let header = ShardTask { training: 0, round: 0, shard: 0, shards: 1, steps: 1, seed: 0 }.to_blob();
		let parameters = [[1u8; 32], [2u8; 32]];
		let momentum = [[3u8; 32]];
		let expected = ManifestView {
			total_size: header.len() as u64 + 300_000 + 50,
			chunks: vec![toy_hash(&header), [1u8; 32], [2u8; 32], [3u8; 32]],
		};
		assert_eq!(
			task_input_hash(&header, &[(300_000, &parameters), (50, &momentum)], toy_hash),
			toy_hash(&expected.to_blob())
		);
	}
}
