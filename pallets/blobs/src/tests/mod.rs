//! The blobs pallet's tests, one concern per file.

mod expiry;
mod manifest;
mod store;

use crate::mock::*;
use crate::ContentHash;

/// The content hash of `data`.
pub fn hash_of(data: &[u8]) -> ContentHash {
	sp_io::hashing::blake2_256(data)
}

/// A manifest's bytes: the magic, then the manifest of `chunks` (by hash) claiming `total_size`.
pub fn manifest_bytes(total_size: u64, chunks: Vec<ContentHash>) -> Vec<u8> {
	use codec::Encode;
	let mut bytes = crate::MANIFEST_MAGIC.to_vec();
	crate::Manifest::<frame_support::traits::ConstU32<4>> { total_size, chunks: frame_support::BoundedVec::truncate_from(chunks) }
		.encode_to(&mut bytes);
	bytes
}

/// What `who` holds.
pub fn balance(who: u64) -> u64 {
	Balances::free_balance(who)
}

/// The fee for `size` bytes.
pub fn fee(size: u64) -> u64 {
	ENTRY_FEE + BYTE_FEE * size
}

/// The index operations the block has asked the node for, as (extrinsic, hash, size or None
/// for a renewal).
pub fn index_ops(ext: &sp_io::TestExternalities) -> Vec<(u32, Vec<u8>, Option<u32>)> {
	ext.overlayed_changes()
		.transaction_index_ops()
		.iter()
		.map(|op| match op {
			sp_state_machine::IndexOperation::Insert { extrinsic, hash, size } => (*extrinsic, hash.clone(), Some(*size)),
			sp_state_machine::IndexOperation::Renew { extrinsic, hash } => (*extrinsic, hash.clone(), None),
		})
		.collect()
}

/// The pallet's last event.
pub fn last_event() -> crate::Event<Test> {
	System::events()
		.into_iter()
		.filter_map(|r| match r.event {
			RuntimeEvent::Blobs(event) => Some(event),
			_ => None,
		})
		.next_back()
		.expect("a blobs event")
}

/// `call`, noted as extrinsic `index` and dispatched by `who`, fails with `error` and changes
/// nothing.
pub fn assert_refused(index: u32, who: u64, call: crate::Call<Test>, error: crate::Error<Test>) {
	let call = note(index, call);
	frame_support::assert_noop!(dispatch(who, call), error);
}

/// A store of `data`.
pub fn store_call(data: &[u8]) -> crate::Call<Test> {
	crate::Call::store { data: data.to_vec() }
}
