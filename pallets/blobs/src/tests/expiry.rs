//! Retention: records are removed after their last block; a renewal (by anyone, who pays)
//! moves the expiry and references the bytes again.

use super::*;
use crate::{Blobs, Error, Event, Expiring};
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
		assert_eq!(Expiring::<Test>::iter().count(), 0);
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
		Expiring::<Test>::mutate(1 + RETENTION, |list| list.try_push(hash).unwrap());
		assert!(crate::Pallet::<Test>::do_try_state().is_err());
	});
}
