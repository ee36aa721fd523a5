//! Blobs and jobs over them: how a job names a blob ([`BlobRef`]); the format of a manifest
//! (the pieces of a file larger than one blob) and how a file is read back from its pieces with
//! every hash checked ([`read_file`]); and the self-describing format of a row output
//! ([`RowOutput`]: a header, then fixed-length rows, one per input line), which replicas
//! compare by [`crate::sketch`] because the chain never keeps the bytes.

use alloc::vec::Vec;
use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use scale_info::TypeInfo;

/// A blob named by a job: its BLAKE2b-256 content hash (the key of the node's indexed data, and
/// of the CID [`crate::cid::cid_v1_raw`]) and its size in bytes (a manifest's whole file).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Encode, Decode, DecodeWithMemTracking, TypeInfo, MaxEncodedLen)]
pub struct BlobRef {
	/// BLAKE2b-256 of the bytes (of the manifest's bytes for a file in pieces).
	pub hash: [u8; 32],
	/// The size of the data the job reads or wrote.
	pub size: u64,
}

/// The first bytes of every manifest blob: the magic, then the SCALE encoding of
/// `(total_size: u64, chunks: Vec<[u8; 32]>)` (the blobs pallet's `Manifest`). Plain data may
/// not start with them.
pub const MANIFEST_MAGIC: [u8; 5] = *b"aicm\x01";

/// A manifest read from its blob: the file's size and its pieces' hashes, in order.
#[derive(Clone, Debug, PartialEq, Eq, Encode, Decode)]
pub struct ManifestView {
	/// The file's size: the sum of its pieces' sizes.
	pub total_size: u64,
	/// Each piece's content hash, in file order.
	pub chunks: Vec<[u8; 32]>,
}

impl ManifestView {
	/// The manifest blob's bytes.
	pub fn to_blob(&self) -> Vec<u8> {
		let mut bytes = MANIFEST_MAGIC.to_vec();
		self.encode_to(&mut bytes);
		bytes
	}

	/// The manifest a blob holds: `None` if the blob is plain data (no magic), `Some(Err)` if
	/// it has the magic but does not decode.
	pub fn from_blob(bytes: &[u8]) -> Option<Result<Self, codec::Error>> {
		let mut encoded = bytes.strip_prefix(&MANIFEST_MAGIC[..])?;
		Some(codec::DecodeAll::decode_all(&mut encoded))
	}
}

/// Why a file could not be read back from the blobs it is stored in.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ReadError {
	/// A blob (the file's, or one of its pieces) is not there.
	Missing([u8; 32]),
	/// The bytes found under a hash do not hash to it.
	Corrupt([u8; 32]),
	/// The manifest does not decode, or its pieces do not add up to its size or to the size
	/// expected.
	BadManifest,
	/// The file is not the size expected.
	WrongSize {
		/// The size named (by the job).
		expected: u64,
		/// The size found.
		found: u64,
	},
}

/// Reads the file `blob` names from `get` (a node's indexed data, or a network fetch): the
/// blob itself, or, for a manifest, its pieces in order; every blob's bytes are checked
/// against its hash with `hash` (BLAKE2b-256), and the file's size against `blob.size`.
pub fn read_file(
	blob: &BlobRef,
	mut get: impl FnMut(&[u8; 32]) -> Option<Vec<u8>>,
	hash: impl Fn(&[u8]) -> [u8; 32],
) -> Result<Vec<u8>, ReadError> {
	let mut checked = |wanted: &[u8; 32]| -> Result<Vec<u8>, ReadError> {
		let bytes = get(wanted).ok_or(ReadError::Missing(*wanted))?;
		if hash(&bytes) != *wanted {
			return Err(ReadError::Corrupt(*wanted));
		}
		Ok(bytes)
	};
	let top = checked(&blob.hash)?;
	let file = match ManifestView::from_blob(&top) {
		None => top,
		Some(manifest) => {
			let manifest = manifest.map_err(|_| ReadError::BadManifest)?;
			if manifest.total_size != blob.size {
				return Err(ReadError::BadManifest);
			}
			let mut file = Vec::with_capacity(manifest.total_size.min(1 << 30) as usize);
			for chunk in &manifest.chunks {
				file.extend(checked(chunk)?);
				if file.len() as u64 > manifest.total_size {
					return Err(ReadError::BadManifest);
				}
			}
			file
		},
	};
	if file.len() as u64 != blob.size {
		return Err(ReadError::WrongSize { expected: blob.size, found: file.len() as u64 });
	}
	Ok(file)
}

/// The first bytes of a row output: the magic then the row length (`u16`, little-endian).
/// Different from the blobs pallet's manifest magic (`aicm\x01`), so an output is always plain
/// data.
pub const ROW_OUTPUT_MAGIC: [u8; 5] = *b"aicr\x01";

/// The length of a row output's header: the magic and the row length.
pub const ROW_OUTPUT_HEADER_LEN: usize = ROW_OUTPUT_MAGIC.len() + 2;

/// A row output read in place: `rows.len()` is a multiple of `row_len`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RowOutput<'a> {
	/// The bytes of each row (e.g. 384 for a MiniLM embedding).
	pub row_len: u16,
	/// The rows, one after the other.
	pub rows: &'a [u8],
}

impl<'a> RowOutput<'a> {
	/// Reads `bytes` as a row output; `None` unless it has the header, a non-zero row length
	/// and whole rows.
	pub fn parse(bytes: &'a [u8]) -> Option<Self> {
		let rest = bytes.strip_prefix(&ROW_OUTPUT_MAGIC[..])?;
		let (len, rows) = rest.split_first_chunk::<2>()?;
		let row_len = u16::from_le_bytes(*len);
		(row_len != 0 && rows.len() % row_len as usize == 0).then_some(Self { row_len, rows })
	}

	/// How many rows it holds.
	pub fn row_count(&self) -> usize {
		self.rows.len() / self.row_len as usize
	}

	/// Each row, in order.
	pub fn rows(&self) -> impl Iterator<Item = &'a [u8]> {
		self.rows.chunks_exact(self.row_len as usize)
	}
}

/// What a blob-output job must answer: a row output of rows of `row_len` bytes, at most
/// `max_len` bytes in all (header included). The jobs pallet fixes it from the model's blob
/// limits; the engine's model produces it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Encode, Decode)]
pub struct RowOutputShape {
	/// Bytes per row.
	pub row_len: u16,
	/// The longest output, header included.
	pub max_len: u32,
}

impl RowOutputShape {
	/// The most rows an output of this shape holds.
	pub fn max_rows(&self) -> usize {
		(self.max_len as usize).saturating_sub(ROW_OUTPUT_HEADER_LEN) / (self.row_len.max(1) as usize)
	}
}

/// Encodes `rows` (each `row_len` bytes) as a row output.
pub fn encode_row_output<'r>(row_len: u16, rows: impl IntoIterator<Item = &'r [u8]>) -> Vec<u8> {
	let mut bytes = ROW_OUTPUT_MAGIC.to_vec();
	bytes.extend_from_slice(&row_len.to_le_bytes());
	for row in rows {
		debug_assert_eq!(row.len(), row_len as usize, "rows have the stated length");
		bytes.extend_from_slice(row);
	}
	bytes
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn a_row_output_round_trips_and_malformed_ones_are_refused() {
		let rows: [&[u8]; 3] = [&[1, 2], &[3, 4], &[5, 6]];
		let bytes = encode_row_output(2, rows);
		assert_eq!(bytes[..7], *b"aicr\x01\x02\x00");
		let output = RowOutput::parse(&bytes).unwrap();
		assert_eq!((output.row_len, output.row_count()), (2, 3));
		assert_eq!(output.rows().collect::<Vec<_>>(), rows);
		assert_eq!(RowOutput::parse(&bytes[..bytes.len() - 1]), None, "a partial row");
		assert_eq!(RowOutput::parse(b"aicr\x01\x00\x00"), None, "rows of no bytes");
		assert_eq!(RowOutput::parse(b"aicm\x01\x02\x00"), None, "a manifest's magic");
		assert_ne!(ROW_OUTPUT_MAGIC, MANIFEST_MAGIC);
		assert_eq!(RowOutput::parse(b"aicr\x01\x02"), None, "no row length");
		assert_eq!(RowOutput::parse(b"aicr\x01\x02\x00").map(|o| o.row_count()), Some(0));
	}

	/// A stand-in hash for the tests (the chain's is BLAKE2b-256): the bytes' sum and length.
	fn toy_hash(bytes: &[u8]) -> [u8; 32] {
		let mut hash = [0u8; 32];
		hash[..8].copy_from_slice(&(bytes.iter().map(|b| *b as u64).sum::<u64>()).to_le_bytes());
		hash[8..16].copy_from_slice(&(bytes.len() as u64).to_le_bytes());
		hash
	}

	#[test]
	fn a_file_is_read_from_its_blob_or_its_pieces_with_every_hash_checked() {
		use alloc::collections::BTreeMap;
		let pieces: [&[u8]; 2] = [b"first half, ", b"second half"];
		let mut store: BTreeMap<[u8; 32], Vec<u8>> = pieces.iter().map(|p| (toy_hash(p), p.to_vec())).collect();
		let manifest = ManifestView { total_size: 23, chunks: pieces.iter().map(|p| toy_hash(p)).collect() }.to_blob();
		assert_eq!(manifest[..5], *b"aicm\x01");
		store.insert(toy_hash(&manifest), manifest.clone());
		let read = |blob: BlobRef, store: &BTreeMap<[u8; 32], Vec<u8>>| read_file(&blob, |h| store.get(h).cloned(), toy_hash);
		let file = BlobRef { hash: toy_hash(&manifest), size: 23 };
		assert_eq!(read(file, &store), Ok(b"first half, second half".to_vec()));
		let piece = BlobRef { hash: toy_hash(pieces[1]), size: 11 };
		assert_eq!(read(piece, &store), Ok(b"second half".to_vec()));
		assert_eq!(read(BlobRef { size: 12, ..piece }, &store), Err(ReadError::WrongSize { expected: 12, found: 11 }));
		assert_eq!(read(BlobRef { size: 24, ..file }, &store), Err(ReadError::BadManifest));
		// A piece replaced by other bytes, then missing.
		let mut tampered = store.clone();
		tampered.insert(toy_hash(pieces[0]), b"FIRST HALF, ".to_vec());
		assert_eq!(read(file, &tampered), Err(ReadError::Corrupt(toy_hash(pieces[0]))));
		tampered.remove(&toy_hash(pieces[0]));
		assert_eq!(read(file, &tampered), Err(ReadError::Missing(toy_hash(pieces[0]))));
		// The magic with bytes that do not decode.
		let broken = [&MANIFEST_MAGIC[..], &[1, 2, 3]].concat();
		store.insert(toy_hash(&broken), broken.clone());
		assert_eq!(read(BlobRef { hash: toy_hash(&broken), size: 3 }, &store), Err(ReadError::BadManifest));
	}

	#[test]
	fn a_blob_ref_is_40_bytes_of_scale() {
		let blob = BlobRef { hash: [7; 32], size: 0x0102 };
		let encoded = blob.encode();
		assert_eq!(encoded.len(), 40);
		assert_eq!(encoded[32..], [2, 1, 0, 0, 0, 0, 0, 0]);
		assert_eq!(BlobRef::max_encoded_len(), 40);
	}
}
