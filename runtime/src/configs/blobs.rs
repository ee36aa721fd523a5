//! Configuration of the blobs pallet: content-addressed data kept by every node through
//! transaction indexing and served over IPFS bitswap (`--ipfs-server`); docs/data.md.
//!
//! - Pieces of at most 256 KiB (IPFS's usual chunk size; litep2p's bitswap serves blocks up to
//!   2 MiB), files up to 1,024 pieces (256 MiB) under a manifest.
//! - Whoever stores or renews pays 0.01 AIC per blob plus 1 AIC per MiB to the treasury; the
//!   chain's record lives for the retention period (14 days; 600 blocks, an hour, with
//!   `fast-runtime`: longer than the longest job of a 20-block deadline, 6 × 20 + 100 blocks),
//!   then is removed by the block hook, at most 256 steps per block (a backlog carries over).

use super::TreasuryAccount;
use crate::{governance::prod_or_fast, Balance, Balances, BlockNumber, Runtime, DAYS, UNIT};
use frame_support::{parameter_types, traits::ConstU32};

/// The largest blob: 256 KiB.
pub const MAX_BLOB_SIZE: u32 = 256 * 1024;
/// The most pieces of a file: 1,024, so files of up to 256 MiB.
pub const MAX_MANIFEST_CHUNKS: u32 = 1024;

parameter_types! {
	pub const BlobEntryFee: Balance = UNIT / 100;
	pub const BlobByteFee: Balance = UNIT / (1024 * 1024);
	pub const BlobRetention: BlockNumber = prod_or_fast(14 * DAYS, 600);
}

impl pallet_blobs::Config for Runtime {
	type Currency = Balances;
	type FeeDestination = TreasuryAccount;
	type EntryFee = BlobEntryFee;
	type ByteFee = BlobByteFee;
	type RetentionPeriod = BlobRetention;
	type MaxBlobSize = ConstU32<MAX_BLOB_SIZE>;
	type MaxExpiriesPerBlock = ConstU32<256>;
	type MaxManifestChunks = ConstU32<MAX_MANIFEST_CHUNKS>;
	type WeightInfo = pallet_blobs::weights::SubstrateWeight<Runtime>;
}
