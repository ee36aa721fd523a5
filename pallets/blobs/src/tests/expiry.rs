//! Retention: records are removed after their last block; a renewal (by anyone, who pays)
//! moves the expiry and references the bytes again.

use super::*;
use crate::{Blobs, Error, Event, Expiries, ExpiryCursor};
use frame_support::assert_ok;

#[test]
fn a_blob_is_kept_for_the_retention_period_then_its_record_removed() {
	run_test(|| {
		assert_ok!(store(1, ALICE, b"kept for ten blocks"));
		let hash = hash_of(b"kept for ten blocks");
		run_to(1 + RETENTION);
		assert!(Blobs::<Test>::contains_key(hash), "kept through its last block");
		run_to(2 + RETENTION);
		assert!(!Blobs::<Test>::contains_key(hash));
		assert_eq!(last_event(), Event::Expired { hash });
		assert_eq!(Expiries::<Test>::iter().count(), 0);
		// Once expired the same bytes can be stored again.
		assert_ok!(store(1, BOB, b"kept for ten blocks"));
	});
}

#[test]
fn anyone_renews_a_blob_paying_for_it_and_the_block_references_its_bytes() {
	let mut ext = new_test_ext();
	let data = b"a dataset worth keeping".to_vec();
	let hash = hash_of(&data);
	ext.execute_with(|| {
		assert_ok!(store(1, ALICE, &data));
		run_to(5);
		let (alice, bob, treasury) = (balance(ALICE), balance(BOB), balance(TREASURY));
		assert_ok!(apply(3, BOB, crate::Call::renew { hash }));
		let size = data.len() as u64;
		assert_eq!(balance(BOB), bob - fee(size));
		assert_eq!(balance(TREASURY), treasury + fee(size));
		assert_eq!(balance(ALICE), alice);
		let info = Blobs::<Test>::get(hash).unwrap();
		assert_eq!((info.owner, info.stored_at, info.expires_at), (ALICE, 5, 5 + RETENTION));
		assert_eq!(last_event(), Event::Renewed { hash, payer: BOB, expires_at: 5 + RETENTION, fee: fee(size) });
		run_to(2 + RETENTION);
		assert!(Blobs::<Test>::contains_key(hash), "the first expiry no longer applies");
		run_to(6 + RETENTION);
		assert!(!Blobs::<Test>::contains_key(hash));
		crate::Pallet::<Test>::do_try_state().unwrap();
	});
	assert_eq!(index_ops(&ext).last(), Some(&(3, hash.to_vec(), None)));
}

#[test]
fn renewing_an_unknown_blob_or_without_funds_changes_nothing() {
	run_test(|| {
		assert_refused(1, BOB, crate::Call::renew { hash: [7; 32] }, Error::<Test>::UnknownBlob);
		assert_ok!(store(1, ALICE, b"blob"));
		// Renewing in the block it was stored would keep it no longer: refused, nothing paid.
		assert_refused(2, BOB, crate::Call::renew { hash: hash_of(b"blob") }, Error::<Test>::NothingToRenew);
		run_to(2);
		assert_refused(2, POOR, crate::Call::renew { hash: hash_of(b"blob") }, Error::<Test>::CannotPayFee);
	});
}

#[test]
fn try_state_finds_a_blob_listed_twice() {
	new_test_ext().execute_with(|| {
		assert_ok!(store(1, ALICE, b"listed once"));
		let hash = hash_of(b"listed once");
		Expiries::<Test>::insert(2 + RETENTION, hash, ());
		assert!(crate::Pallet::<Test>::do_try_state().is_err());
	});
}

#[test]
fn any_number_of_blobs_expire_together_and_the_hook_catches_up_over_blocks() {
	run_test(|| {
		// Seven blobs end at the same block: none is refused (a full list at one block would let
		// anyone refuse everyone else's stores for a few fees).
		let blobs: Vec<Vec<u8>> = (0..7u8).map(|i| vec![i; 4]).collect();
		for (i, data) in blobs.iter().enumerate() {
			assert_ok!(store(i as u32 + 1, ALICE, data));
		}
		let hashes: Vec<_> = blobs.iter().map(|data| hash_of(data)).collect();
		run_to(2 + RETENTION);
		// Three steps per block: a look at the block and two removals.
		let kept = || hashes.iter().filter(|h| Blobs::<Test>::contains_key(h)).count();
		assert_eq!(kept(), 5);
		assert_eq!(ExpiryCursor::<Test>::get(), 1 + RETENTION, "the rest waits for the next block");
		// A record past its retention counts as gone, though the hook has not removed it yet.
		let waiting = *hashes.iter().find(|h| Blobs::<Test>::contains_key(h)).unwrap();
		assert_eq!(crate::Pallet::<Test>::live_blob(waiting), None);
		assert_refused(1, BOB, crate::Call::renew { hash: waiting }, Error::<Test>::UnknownBlob);
		run_to(5 + RETENTION);
		assert_eq!(kept(), 0);
		// Then it looks at up to three blocks per block until it reaches the chain.
		assert_eq!(ExpiryCursor::<Test>::get(), 3 + RETENTION);
		run_to(6 + RETENTION);
		assert_eq!(ExpiryCursor::<Test>::get(), 6 + RETENTION);
	});
}

/// Four blobs of Alice's end at the same block and the hook (three steps a block) has removed
/// two of them a block later: returns the bytes of one whose record still waits.
fn a_blob_waiting_for_the_hook() -> Vec<u8> {
	for i in 0..4u8 {
		assert_ok!(store(i as u32 + 1, ALICE, &[i; 4]));
	}
	run_to(2 + RETENTION);
	(0..4u8).map(|i| vec![i; 4]).find(|data| Blobs::<Test>::contains_key(hash_of(data))).expect("two still wait")
}

#[test]
fn bytes_whose_record_waits_for_the_hook_can_be_stored_again_and_stay() {
	run_test(|| {
		let waiting = a_blob_waiting_for_the_hook();
		assert_ok!(store(1, BOB, &waiting));
		let info = Blobs::<Test>::get(hash_of(&waiting)).unwrap();
		assert_eq!((info.owner, info.expires_at), (BOB, 2 + 2 * RETENTION));
		// The old expiry entry went with the old record: the hook does not remove the new one.
		run_to(4 + RETENTION);
		assert_eq!(crate::Pallet::<Test>::live_blob(hash_of(&waiting)).map(|info| info.owner), Some(BOB));
	});
}

#[test]
fn a_manifest_may_not_list_a_piece_past_its_retention() {
	run_test(|| {
		let waiting = hash_of(&a_blob_waiting_for_the_hook());
		let manifest = manifest_bytes(4, vec![waiting]);
		assert_refused(1, ALICE, crate::Call::store_manifest { manifest }, Error::<Test>::UnknownChunk);
	});
}

#[test]
fn the_migration_moves_version_0_lists_into_the_map() {
	use crate::migrations::v1::{v0, MigrateV0ToV1};
	use frame_support::traits::{GetStorageVersion, OnRuntimeUpgrade, StorageVersion};
	new_test_ext().execute_with(|| {
		run_to(5);
		for (i, block) in [(0u8, 4u64), (1, 4), (2, 9)] {
			let hash = hash_of(&[i]);
			Blobs::<Test>::insert(hash, crate::BlobInfo { owner: ALICE, size: 1, stored_at: 1, expires_at: block, kind: crate::BlobKind::Data });
			v0::Expiring::<Test>::append(block, hash);
		}
		StorageVersion::new(0).put::<crate::Pallet<Test>>();
		MigrateV0ToV1::<Test>::on_runtime_upgrade();
		assert_eq!(crate::Pallet::<Test>::on_chain_storage_version(), 1);
		assert_eq!(v0::Expiring::<Test>::iter().count(), 0);
		assert_eq!(Expiries::<Test>::iter().count(), 3);
		assert_eq!(ExpiryCursor::<Test>::get(), 4);
		crate::Pallet::<Test>::do_try_state().unwrap();
		run_to(6);
		assert_eq!(Blobs::<Test>::iter().count(), 1, "the two blobs that ended at block 4 are removed");
		// A second run changes nothing.
		let cursor = ExpiryCursor::<Test>::get();
		MigrateV0ToV1::<Test>::on_runtime_upgrade();
		assert_eq!(ExpiryCursor::<Test>::get(), cursor);
	});
}
