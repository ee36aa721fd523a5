//! Types stored and exchanged by the blobs pallet, and the CID a blob is served under.

use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use frame_support::{pallet_prelude::Get, BoundedVec, CloneNoBound, DebugNoBound, EqNoBound, PartialEqNoBound};
use scale_info::TypeInfo;

/// BLAKE2b-256 of a blob's bytes: its key on chain and in every node's indexed data.
pub type ContentHash = [u8; 32];

/// What a stored blob is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Encode, Decode, DecodeWithMemTracking, TypeInfo, MaxEncodedLen)]
pub enum BlobKind {
	/// Bytes.
	Data,
	/// A [`Manifest`]: the ordered pieces of a file larger than one transaction.
	Manifest {
		/// How many pieces it lists.
		chunks: u32,
		/// The file's size: the sum of its pieces' sizes.
		total_size: u64,
	},
}

/// How an extrinsic asked nodes to index data.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Encode, Decode, TypeInfo, MaxEncodedLen)]
pub enum IndexOp {
	/// Its bytes were indexed (a store).
	Insert,
	/// Indexed bytes were referenced again (a renewal).
	Renew,
}

/// What the chain records of a stored blob (the bytes themselves live in the nodes' indexed
/// transactions, not in state).
#[derive(Clone, Debug, PartialEq, Eq, Encode, Decode, TypeInfo, MaxEncodedLen)]
pub struct BlobInfo<AccountId, BlockNumber> {
	/// Who stored it (and paid for it).
	pub owner: AccountId,
	/// Its length in bytes.
	pub size: u32,
	/// The block whose extrinsic indexed it (or last renewed it).
	pub stored_at: BlockNumber,
	/// The last block of its retention; its record is removed at the start of the next.
	pub expires_at: BlockNumber,
	/// Bytes or a manifest.
	pub kind: BlobKind,
}

/// The first bytes of every manifest blob: [`MANIFEST_MAGIC`] then the SCALE encoding of a
/// [`Manifest`]. Plain data may not start with them, so that nobody can store a manifest's bytes
/// as data first and so make its CID name something else.
pub const MANIFEST_MAGIC: [u8; 5] = aichain_compute::blob::MANIFEST_MAGIC;

/// The pieces of a file larger than one transaction, in order; itself stored as a blob
/// ([`MANIFEST_MAGIC`] then its SCALE encoding), so that one CID names the whole file. Encoded
/// as [`aichain_compute::blob::ManifestView`], which clients and providers read.
#[derive(CloneNoBound, PartialEqNoBound, EqNoBound, DebugNoBound, Encode, Decode, DecodeWithMemTracking, TypeInfo)]
#[scale_info(skip_type_params(MaxChunks))]
pub struct Manifest<MaxChunks: Get<u32>> {
	/// The file's size: the sum of its pieces' sizes.
	pub total_size: u64,
	/// Each piece's content hash, in file order.
	pub chunks: BoundedVec<ContentHash, MaxChunks>,
}

/// The binary CIDv1 (raw codec, BLAKE2b-256 multihash) of the blob with `hash`: what IPFS
/// clients ask a node's bitswap server for. Its multibase base32 text
/// ([`aichain_compute::cid::cid_text`]) starts with `bafk2bzace`.
pub use aichain_compute::cid::cid_v1_raw;
