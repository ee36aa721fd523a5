//! Jobs over blobs: how a job names a blob ([`BlobRef`]) and the self-describing format of a
//! row output ([`RowOutput`]: a header, then fixed-length rows, one per input line), which
//! replicas compare by [`crate::sketch`] because the chain never keeps the bytes.

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
		assert_eq!(RowOutput::parse(b"aicr\x01\x02"), None, "no row length");
		assert_eq!(RowOutput::parse(b"aicr\x01\x02\x00").map(|o| o.row_count()), Some(0));
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
