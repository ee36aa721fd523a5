//! Manifests: a file larger than one transaction, named by one CID once its pieces are kept.

use super::*;
use crate::{BlobKind, Blobs, Error, MANIFEST_MAGIC};
use codec::Encode;
use frame_support::assert_ok;

fn manifest(total_size: u64, chunks: &[&[u8]]) -> Vec<u8> {
	manifest_bytes(total_size, chunks.iter().map(|c| hash_of(c)).collect())
}

fn store_manifest(index: u32, who: u64, bytes: Vec<u8>) -> sp_runtime::DispatchResult {
	apply(index, who, crate::Call::store_manifest { manifest: bytes })
}

#[test]
fn a_manifest_of_kept_pieces_names_the_file_and_expires_with_its_earliest_piece() {
	run_test(|| {
		let pieces: [&[u8]; 3] = [&[1; 64], &[2; 64], &[3; 10]];
		assert_ok!(store(1, ALICE, pieces[0]));
		run_to(3);
		assert_ok!(store(1, ALICE, pieces[1]));
		assert_ok!(store(2, ALICE, pieces[2]));
		let bytes = manifest(138, &pieces);
		let alice = balance(ALICE);
		assert_ok!(store_manifest(3, ALICE, bytes.clone()));
		assert_eq!(balance(ALICE), alice - fee(bytes.len() as u64));
		let info = Blobs::<Test>::get(hash_of(&bytes)).unwrap();
		assert_eq!(info.kind, BlobKind::Manifest { chunks: 3, total_size: 138 });
		assert_eq!(info.expires_at, 1 + RETENTION, "the first piece's expiry");
	});
}

#[test]
fn bad_manifests_are_refused() {
	run_test(|| {
		let pieces: [&[u8]; 2] = [&[1; 8], &[2; 8]];
		assert_ok!(store(1, ALICE, pieces[0]));
		assert_refused(2, ALICE, crate::Call::store_manifest { manifest: vec![1, 2, 3] }, Error::<Test>::BadManifest);
		assert_refused(2, ALICE, crate::Call::store_manifest { manifest: manifest(0, &[]) }, Error::<Test>::BadManifest);
		assert_refused(2, ALICE, crate::Call::store_manifest { manifest: manifest(16, &pieces) }, Error::<Test>::UnknownChunk);
		assert_ok!(store(2, ALICE, pieces[1]));
		assert_refused(3, ALICE, crate::Call::store_manifest { manifest: manifest(17, &pieces) }, Error::<Test>::BadManifest);
		let five = [pieces[0]; 5];
		let mut too_many = MANIFEST_MAGIC.to_vec();
		(40u64, five.iter().map(|c| hash_of(c)).collect::<Vec<_>>()).encode_to(&mut too_many);
		assert_refused(3, ALICE, crate::Call::store_manifest { manifest: too_many }, Error::<Test>::BadManifest);
		let good = manifest(16, &pieces);
		assert_ok!(store_manifest(3, ALICE, good.clone()));
		// A manifest cannot list a manifest.
		let nested: [&[u8]; 1] = [&good];
		assert_refused(4, ALICE, crate::Call::store_manifest { manifest: manifest(good.len() as u64, &nested) }, Error::<Test>::UnknownChunk);
	});
}

#[test]
fn a_manifests_bytes_cannot_be_stored_as_data_first() {
	run_test(|| {
		let pieces: [&[u8]; 2] = [&[1; 8], &[2; 8]];
		assert_ok!(store(1, ALICE, pieces[0]));
		assert_ok!(store(2, ALICE, pieces[1]));
		let bytes = manifest(16, &pieces);
		// Bob sees the pieces and front-runs Alice's manifest with the same bytes as data.
		assert_refused(3, BOB, store_call(&bytes), Error::<Test>::ReservedPrefix);
		// And the SCALE encoding alone is not a manifest.
		assert_refused(3, BOB, crate::Call::store_manifest { manifest: bytes[MANIFEST_MAGIC.len()..].to_vec() }, Error::<Test>::BadManifest);
		assert_ok!(store_manifest(4, ALICE, bytes.clone()));
		assert_eq!(Blobs::<Test>::get(hash_of(&bytes)).unwrap().kind, BlobKind::Manifest { chunks: 2, total_size: 16 });
	});
}

#[test]
fn the_registry_tells_a_manifests_file_size_and_pieces_and_forgets_ended_blobs() {
	use crate::{BlobRegistry, KeptBlob};
	run_test(|| {
		assert_ok!(store(1, ALICE, b"first piece"));
		assert_ok!(store(2, ALICE, b"second"));
		let bytes = manifest(17, &[b"first piece", b"second"]);
		assert_ok!(store_manifest(3, ALICE, bytes.clone()));
		let expires_at = 1 + RETENTION;
		assert_eq!(crate::Pallet::<Test>::kept_blob(hash_of(b"second")), Some(KeptBlob { size: 6, pieces: 1, expires_at }));
		assert_eq!(crate::Pallet::<Test>::kept_blob(hash_of(&bytes)), Some(KeptBlob { size: 17, pieces: 2, expires_at }));
		assert_eq!(crate::Pallet::<Test>::kept_blob([9; 32]), None);
		run_to(2 + RETENTION);
		assert_eq!(crate::Pallet::<Test>::kept_blob(hash_of(&bytes)), None);
	});
}
