//! # Blobs pallet
//!
//! Content-addressed data stored through Substrate's transaction indexing: the bytes travel in
//! an extrinsic, every node keeps them in its database under their BLAKE2b-256 hash
//! (`sp_io::transaction_index`), and a node started with `--ipfs-server` serves them over IPFS
//! bitswap under the CIDv1 [`types::cid_v1_raw`] (raw codec, BLAKE2b-256). The chain's state
//! holds only each blob's record ([`BlobInfo`]): owner, size, block, expiry.
//!
//! ## Overview
//!
//! - [`Pallet::store`]: stores up to [`Config::MaxBlobSize`] bytes for a fee of
//!   [`Config::EntryFee`] plus [`Config::ByteFee`] per byte, paid to [`Config::FeeDestination`];
//!   the blob is kept for [`Config::RetentionPeriod`] blocks.
//! - [`Pallet::store_manifest`]: a file larger than one transaction is stored as pieces, then a
//!   [`Manifest`] listing them, itself a blob; its CID names the whole file.
//! - [`Pallet::renew`]: anyone pays to keep a blob for another retention period; the renewing
//!   block references the same indexed bytes.
//! - `on_initialize`: removes the records of the blobs whose retention ended, oldest first, at
//!   most [`Config::MaxExpiriesPerBlock`] steps per block; a backlog carries over to the next
//!   block ([`ExpiryCursor`]), so no store is ever refused for how many blobs expire together.
//!   A record past its expiry but not yet removed counts as gone ([`Pallet::live_blob`]).
//!
//! The node indexes the **last `size` bytes of the extrinsic** and never checks them against
//! the hash the runtime gives: [`Pallet::store`] therefore refuses data that is not exactly the
//! end of the extrinsic being applied (a call wrapped in a batch, a proxy, a council motion or
//! a scheduled call), so that what nodes serve under a CID always hashes to it.
//!
//! How long nodes keep the bytes is their blocks pruning: the default (`archive-canonical`)
//! keeps them; a node pruning blocks must keep at least [`Config::RetentionPeriod`] of them.
#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

#[cfg(feature = "runtime-benchmarks")]
mod benchmarking;
mod features;
pub mod migrations;
#[cfg(test)]
mod mock;
#[cfg(test)]
mod tests;
pub mod types;
pub mod weights;

pub use pallet::*;
pub use types::{cid_v1_raw, BlobInfo, BlobKind, ContentHash, IndexOp, Manifest, MANIFEST_MAGIC};
pub use weights::WeightInfo;

/// A kept blob as other pallets see it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct KeptBlob<BlockNumber> {
	/// The size of the data: a data blob's own, or the whole file a manifest names.
	pub size: u64,
	/// How many data blobs hold it: 1, or a manifest's pieces.
	pub pieces: u32,
	/// Its last block (a manifest's is its earliest piece's).
	pub expires_at: BlockNumber,
}

/// What other pallets read and store of blobs: the jobs pallet checks a job's input blob and
/// stores blob outputs, paying their fees from the job's escrow.
pub trait BlobRegistry<BlockNumber, AccountId, Balance> {
	/// The blob `hash` if it is kept and its retention has not ended.
	fn kept_blob(hash: ContentHash) -> Option<KeptBlob<BlockNumber>>;

	/// The fee for storing a data blob of `size` bytes.
	fn storage_fee(size: u32) -> Balance;

	/// Stores `data` as a data blob owned by `owner`, kept for the retention period, exactly as
	/// [`Pallet::store`] does (same checks, event and indexing; `data` must be the end of the
	/// extrinsic being applied) except that the fee is paid by `pay(fee destination, fee)`
	/// instead of from `owner`'s free balance. Returns its hash.
	fn store_paid(
		owner: AccountId,
		data: &[u8],
		pay: impl FnOnce(&AccountId, Balance) -> sp_runtime::DispatchResult,
	) -> Result<ContentHash, sp_runtime::DispatchError>;
}

/// No blobs: for runtimes and tests without the blobs pallet (nothing is kept; nothing can be
/// stored).
impl<BlockNumber, AccountId, Balance: Default> BlobRegistry<BlockNumber, AccountId, Balance> for () {
	fn kept_blob(_hash: ContentHash) -> Option<KeptBlob<BlockNumber>> {
		None
	}

	fn storage_fee(_size: u32) -> Balance {
		Balance::default()
	}

	fn store_paid(
		_owner: AccountId,
		_data: &[u8],
		_pay: impl FnOnce(&AccountId, Balance) -> sp_runtime::DispatchResult,
	) -> Result<ContentHash, sp_runtime::DispatchError> {
		Err(sp_runtime::DispatchError::Other("this runtime keeps no blobs"))
	}
}

#[frame_support::pallet]
pub mod pallet {
	use super::*;
	use alloc::vec::Vec;
	use frame_support::{
		pallet_prelude::*,
		traits::fungible::{Inspect, Mutate},
	};
	use frame_system::pallet_prelude::*;

	/// A balance of [`Config::Currency`].
	pub type BalanceOf<T> = <<T as Config>::Currency as Inspect<<T as frame_system::Config>::AccountId>>::Balance;
	/// A blob's record.
	pub type BlobInfoOf<T> = BlobInfo<<T as frame_system::Config>::AccountId, BlockNumberFor<T>>;
	/// A manifest of at most `MaxManifestChunks` pieces.
	pub type ManifestOf<T> = Manifest<<T as Config>::MaxManifestChunks>;

	/// 1: expiries as a (block, hash) map walked by a cursor, instead of a bounded list per block.
	const STORAGE_VERSION: StorageVersion = StorageVersion::new(1);

	#[pallet::pallet]
	#[pallet::storage_version(STORAGE_VERSION)]
	pub struct Pallet<T>(_);

	#[pallet::config]
	pub trait Config: frame_system::Config<RuntimeEvent: From<Event<Self>>> {
		/// The currency fees are paid in.
		type Currency: Mutate<Self::AccountId>;
		/// Who receives the fees (the treasury).
		type FeeDestination: Get<Self::AccountId>;
		/// Paid for each blob stored or renewed.
		#[pallet::constant]
		type EntryFee: Get<BalanceOf<Self>>;
		/// Paid per byte stored or renewed.
		#[pallet::constant]
		type ByteFee: Get<BalanceOf<Self>>;
		/// How many blocks a blob is kept after it is stored or renewed.
		#[pallet::constant]
		type RetentionPeriod: Get<BlockNumberFor<Self>>;
		/// The largest blob (at most 2 MiB: litep2p's bitswap drops larger blocks).
		#[pallet::constant]
		type MaxBlobSize: Get<u32>;
		/// The most steps of the expiry hook in one block (records removed plus blocks looked
		/// at): bounds its weight. Expiries beyond it wait for the next block.
		#[pallet::constant]
		type MaxExpiriesPerBlock: Get<u32>;
		/// The most pieces in a manifest.
		#[pallet::constant]
		type MaxManifestChunks: Get<u32>;
		/// Weights of this pallet's calls and hook.
		type WeightInfo: WeightInfo;
	}

	/// Every blob kept, by content hash.
	#[pallet::storage]
	pub type Blobs<T: Config> = StorageMap<_, Identity, ContentHash, BlobInfoOf<T>>;

	/// The blobs whose retention ends at each block, as (last block, hash): one entry per kept
	/// blob, paid for by its fee. Unbounded per block on purpose: a full list would let anyone
	/// refuse everyone else's stores at that block for a few fees.
	#[pallet::storage]
	pub type Expiries<T: Config> =
		StorageDoubleMap<_, Twox64Concat, BlockNumberFor<T>, Identity, ContentHash, (), OptionQuery>;

	/// The earliest block whose expiries the hook may not have removed yet: it walks from here to
	/// the previous block.
	#[pallet::storage]
	pub type ExpiryCursor<T: Config> = StorageValue<_, BlockNumberFor<T>, ValueQuery>;

	/// The last extrinsic that asked nodes to index data, and how. The node keeps one operation
	/// per extrinsic (a renewal replaces an insertion): a second one in the same extrinsic is
	/// refused.
	#[pallet::storage]
	pub type LastIndexing<T: Config> = StorageValue<_, (BlockNumberFor<T>, u32, IndexOp)>;

	#[pallet::event]
	#[pallet::generate_deposit(pub(super) fn deposit_event)]
	pub enum Event<T: Config> {
		/// `owner` stored `size` bytes (a manifest if `kind` says so) under `hash`, kept until
		/// `expires_at`; `fee` went to the fee destination.
		Stored { hash: ContentHash, owner: T::AccountId, size: u32, kind: BlobKind, expires_at: BlockNumberFor<T>, fee: BalanceOf<T> },
		/// `payer` renewed `hash` until `expires_at`.
		Renewed { hash: ContentHash, payer: T::AccountId, expires_at: BlockNumberFor<T>, fee: BalanceOf<T> },
		/// The retention of `hash` ended: its record is removed (nodes may prune its bytes).
		Expired { hash: ContentHash },
	}

	#[pallet::error]
	pub enum Error<T> {
		/// A blob must hold at least one byte.
		EmptyBlob,
		/// The blob is larger than [`Config::MaxBlobSize`].
		BlobTooLarge,
		/// A blob with these bytes is kept already: renew it instead.
		AlreadyStored,
		/// The data is not the end of the extrinsic being applied (the call was wrapped in
		/// another call, or dispatched outside an extrinsic): nodes would index other bytes.
		DataNotAtExtrinsicEnd,
		/// The fee cannot be paid.
		CannotPayFee,
		/// No blob is kept under this hash.
		UnknownBlob,
		/// The manifest is not a SCALE-encoded [`Manifest`] of at most
		/// [`Config::MaxManifestChunks`] pieces, or its size is not the sum of its pieces'.
		BadManifest,
		/// A piece the manifest lists is not kept, or is itself a manifest.
		UnknownChunk,
		/// This extrinsic already stored a blob (nodes index one per extrinsic), or renewed one
		/// before storing.
		IndexingConflict,
		/// Data may not start with [`MANIFEST_MAGIC`]: store a manifest with
		/// [`Pallet::store_manifest`].
		ReservedPrefix,
		/// The renewal would not keep the blob any longer (it was stored or renewed in this
		/// block).
		NothingToRenew,
	}

	#[pallet::hooks]
	impl<T: Config> Hooks<BlockNumberFor<T>> for Pallet<T> {
		fn on_initialize(now: BlockNumberFor<T>) -> Weight {
			let steps = Self::do_remove_expired(now);
			T::WeightInfo::on_initialize(steps)
		}

		fn integrity_test() {
			assert!(T::MaxBlobSize::get() <= 2 * 1024 * 1024, "litep2p's bitswap serves blocks of at most 2 MiB");
			assert!(!T::RetentionPeriod::get().is_zero(), "blobs are kept for at least one block");
			assert!(T::MaxExpiriesPerBlock::get() >= 2, "the hook looks at a block and removes at least one record");
			// The magic, the size, the pieces' compact length, then their hashes.
			let largest_manifest = MANIFEST_MAGIC.len() as u64 + 8 + 5 + 32 * T::MaxManifestChunks::get() as u64;
			assert!(largest_manifest <= T::MaxBlobSize::get() as u64, "the largest manifest fits in a blob");
		}

		#[cfg(feature = "try-runtime")]
		fn try_state(_n: BlockNumberFor<T>) -> Result<(), sp_runtime::TryRuntimeError> {
			Self::do_try_state()
		}
	}

	#[pallet::call]
	impl<T: Config> Pallet<T> {
		/// Stores `data` as a blob kept for [`Config::RetentionPeriod`] blocks.
		///
		/// `data` must be the call's last argument and the call must not be wrapped: nodes index
		/// the extrinsic's last `data.len()` bytes.
		///
		/// - Origin: signed; pays [`Config::EntryFee`] plus [`Config::ByteFee`] per byte.
		/// - Effect: records the blob under `blake2_256(data)` and indexes its bytes, which
		///   nodes then serve over bitswap under [`cid_v1_raw`].
		/// - Events: [`Event::Stored`].
		/// - Errors: [`Error::EmptyBlob`], [`Error::BlobTooLarge`], [`Error::ReservedPrefix`],
		///   [`Error::AlreadyStored`], [`Error::DataNotAtExtrinsicEnd`], [`Error::CannotPayFee`],
		///   [`Error::IndexingConflict`].
		#[pallet::call_index(0)]
		#[pallet::weight(T::WeightInfo::store(data.len() as u32))]
		pub fn store(origin: OriginFor<T>, data: Vec<u8>) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_store(who, &data).map(|_| ())
		}

		/// Stores a [`Manifest`] (`manifest`: [`MANIFEST_MAGIC`], then its SCALE encoding)
		/// listing the pieces of a file, each already stored as a blob; the manifest's own CID
		/// then names the whole file.
		///
		/// - Origin: signed; pays as for [`Pallet::store`] for the manifest's bytes.
		/// - Effect: as [`Pallet::store`]; the manifest is kept until its earliest piece expires.
		/// - Events: [`Event::Stored`] with a [`BlobKind::Manifest`].
		/// - Errors: those of [`Pallet::store`], [`Error::BadManifest`],
		///   [`Error::UnknownChunk`].
		#[pallet::call_index(1)]
		#[pallet::weight(T::WeightInfo::store_manifest(T::MaxManifestChunks::get()))]
		pub fn store_manifest(origin: OriginFor<T>, manifest: Vec<u8>) -> DispatchResultWithPostInfo {
			let who = ensure_signed(origin)?;
			let chunks = Self::do_store_manifest(who, &manifest)?;
			Ok(Some(T::WeightInfo::store_manifest(chunks)).into())
		}

		/// Keeps the blob `hash` for another [`Config::RetentionPeriod`] blocks from now. A
		/// manifest's pieces are blobs of their own: a client renews each of them too.
		///
		/// - Origin: signed (anyone); pays the fee of every blob renewed. The owner stays.
		/// - Effect: the new expiry, and this block's extrinsic references the indexed bytes, so
		///   that nodes keep them as long as they keep this block.
		/// - Events: [`Event::Renewed`].
		/// - Errors: [`Error::UnknownBlob`], [`Error::NothingToRenew`], [`Error::CannotPayFee`],
		///   [`Error::IndexingConflict`].
		#[pallet::call_index(2)]
		#[pallet::weight(T::WeightInfo::renew())]
		pub fn renew(origin: OriginFor<T>, hash: ContentHash) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_renew(who, hash)
		}
	}
}
