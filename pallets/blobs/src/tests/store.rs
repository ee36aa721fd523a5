//! Storing blobs: the fee, the record, what the node is asked to index, and every refusal
//! (which changes nothing and indexes nothing).

use super::*;
use crate::{cid_v1_raw, BlobInfo, BlobKind, Blobs, Error, Event};
use codec::Encode;
use frame_support::{assert_noop, assert_ok};

#[test]
fn a_blob_is_recorded_charged_and_its_bytes_indexed_under_their_hash() {
	let mut ext = new_test_ext();
	let data = b"the first paragraph of a leaked report".to_vec();
	ext.execute_with(|| {
		let (alice, treasury) = (balance(ALICE), balance(TREASURY));
		assert_ok!(store(2, ALICE, &data));
		let size = data.len() as u64;
		assert_eq!(balance(ALICE), alice - fee(size));
		assert_eq!(balance(TREASURY), treasury + fee(size));
		let expires_at = 1 + RETENTION;
		assert_eq!(
			Blobs::<Test>::get(hash_of(&data)),
			Some(BlobInfo { owner: ALICE, size: size as u32, stored_at: 1, expires_at, kind: BlobKind::Data })
		);
		assert_eq!(
			last_event(),
			Event::Stored { hash: hash_of(&data), owner: ALICE, size: size as u32, kind: BlobKind::Data, expires_at, fee: fee(size) }
		);
		crate::Pallet::<Test>::do_try_state().unwrap();
	});
	assert_eq!(index_ops(&ext), vec![(2, hash_of(&data).to_vec(), Some(data.len() as u32))]);
}

#[test]
fn refused_blobs_change_nothing_and_index_nothing() {
	let mut ext = new_test_ext();
	ext.execute_with(|| {
		let too_large = vec![1u8; MAX_BLOB as usize + 1];
		assert_refused(1, ALICE, store_call(&[]), Error::<Test>::EmptyBlob);
		assert_refused(1, ALICE, store_call(&too_large), Error::<Test>::BlobTooLarge);
		assert_refused(1, POOR, store_call(b"cannot pay"), Error::<Test>::CannotPayFee);
		// The call wrapped in something else: the extrinsic does not end with the data, so the
		// node would index other bytes under its hash.
		let call = RuntimeCall::Blobs(store_call(b"wrapped"));
		let mut wrapped = call.encode();
		wrapped.extend([0u8; 8]);
		note_encoded(1, wrapped);
		assert_noop!(dispatch(ALICE, call.clone()), Error::<Test>::DataNotAtExtrinsicEnd);
		// Dispatched outside any extrinsic (no extrinsic noted at the current index).
		System::set_extrinsic_index(7);
		assert_noop!(dispatch(ALICE, call), Error::<Test>::DataNotAtExtrinsicEnd);
	});
	assert!(index_ops(&ext).is_empty());
}

#[test]
fn the_same_bytes_are_stored_once_while_kept() {
	run_test(|| {
		assert_ok!(store(1, ALICE, b"dataset v1"));
		assert_refused(2, BOB, store_call(b"dataset v1"), Error::<Test>::AlreadyStored);
	});
}

#[test]
fn one_extrinsic_indexes_one_blob() {
	let mut ext = new_test_ext();
	ext.execute_with(|| {
		assert_ok!(store(1, ALICE, b"first"));
		// A second store in the same extrinsic (as a batch would make) would replace the
		// node's first indexing: refused.
		assert_refused(1, ALICE, store_call(b"second"), Error::<Test>::IndexingConflict);
		// So is a store after a renewal in the same extrinsic (the node keeps the renewal).
		run_to(2);
		assert_ok!(apply(2, BOB, crate::Call::renew { hash: hash_of(b"first") }));
		assert_refused(2, ALICE, store_call(b"third"), Error::<Test>::IndexingConflict);
		assert_ok!(store(3, ALICE, b"third"));
	});
	let ops = index_ops(&ext);
	assert_eq!(ops.iter().map(|(extrinsic, _, size)| (*extrinsic, size.is_some())).collect::<Vec<_>>(), vec![
		(1, true),
		(2, false),
		(3, true)
	]);
}

#[test]
fn the_cid_is_cidv1_raw_blake2b_256() {
	let hash = hash_of(b"abc");
	assert_eq!(hex(&hash), "bddd813c634239723171ef3fee98579b94964e3bb1cb3e427262c8c068d52319");
	let cid = cid_v1_raw(&hash);
	assert_eq!(cid[..6], [0x01, 0x55, 0xa0, 0xe4, 0x02, 0x20]);
	assert_eq!(cid[6..], hash);
	let text = aichain_compute::cid::cid_text(&hash);
	assert!(text.starts_with("bafk2bzace"), "{text}");
	assert_eq!(text.len(), 1 + (38 * 8usize).div_ceil(5));
}

fn hex(bytes: &[u8]) -> String {
	bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[test]
fn another_pallet_stores_a_blob_paying_its_fee_itself() {
	use crate::BlobRegistry;
	use frame_support::traits::fungible::Mutate;
	let mut ext = new_test_ext();
	let data = b"rows of a job's output".to_vec();
	ext.execute_with(|| {
		let (alice, bob, treasury) = (balance(ALICE), balance(BOB), balance(TREASURY));
		assert_eq!(<crate::Pallet<Test> as BlobRegistry<_, _, _>>::storage_fee(data.len() as u32), fee(data.len() as u64));
		note_encoded(3, [vec![0x84; 50], data.clone()].concat());
		// A payer that cannot pay: refused, nothing recorded.
		let refusal = crate::Pallet::<Test>::store_paid(ALICE, &data, |_, _| Err(Error::<Test>::CannotPayFee.into()));
		assert_eq!(refusal, Err(Error::<Test>::CannotPayFee.into()));
		assert_eq!(Blobs::<Test>::get(hash_of(&data)), None);
		// Bob pays for a blob Alice owns.
		let stored = crate::Pallet::<Test>::store_paid(ALICE, &data, |destination, amount| {
			Balances::transfer(&BOB, destination, amount, frame_support::traits::tokens::Preservation::Preserve).map(drop)
		});
		assert_eq!(stored, Ok(hash_of(&data)));
		let size = data.len() as u64;
		assert_eq!((balance(ALICE), balance(BOB), balance(TREASURY)), (alice, bob - fee(size), treasury + fee(size)));
		assert_eq!(Blobs::<Test>::get(hash_of(&data)).map(|info| info.owner), Some(ALICE));
		// Data that is not the extrinsic's end is refused.
		let other = crate::Pallet::<Test>::store_paid(ALICE, b"elsewhere", |_, _| Ok(()));
		assert_eq!(other, Err(Error::<Test>::DataNotAtExtrinsicEnd.into()));
		crate::Pallet::<Test>::do_try_state().unwrap();
	});
	assert_eq!(index_ops(&ext), vec![(3, hash_of(&data).to_vec(), Some(data.len() as u32))]);
}
