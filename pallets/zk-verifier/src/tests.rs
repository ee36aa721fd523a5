//! Tests of the ZK verifier pallet with real Groth16 keys and proofs (arkworks prover on a
//! small circuit, see `aichain_zk::testing`).

use crate::{mock::*, Error, Event, HoldReason, PreparedKeys, Verifier, VerifyError, VerifyingKeys};
use aichain_zk::{
	testing::{prove, setup},
	G1Bytes, PreparedVerifyingKey, ScalarBytes, VerifyingKey,
};
use codec::Encode;
use frame_support::{
	assert_noop, assert_ok,
	traits::fungible::{Inspect, InspectHold},
	BoundedVec,
};
use frame_system::RawOrigin;

fn origin(who: u64) -> RuntimeOrigin {
	RawOrigin::Signed(who).into()
}

fn bounded(inputs: Vec<ScalarBytes>) -> BoundedVec<ScalarBytes, MaxPublicInputs> {
	inputs.try_into().unwrap()
}

/// Base deposit plus the per-byte deposit for the key as given and its prepared form.
fn expected_deposit(key: &VerifyingKey) -> u64 {
	let prepared = PreparedVerifyingKey::encoded_size(key.num_public_inputs() as u32);
	DEPOSIT_BASE + DEPOSIT_PER_BYTE * (key.encode().len() + prepared) as u64
}

fn key_id(key: &VerifyingKey) -> [u8; 32] {
	sp_io::hashing::blake2_256(&key.encode())
}

fn held(who: u64) -> u64 {
	Balances::balance_on_hold(&HoldReason::VerifyingKeyDeposit.into(), &who)
}

#[test]
fn register_holds_exact_deposit_and_emits_event() {
	run_test(|| {
		let (_, key) = setup(3, 1);
		let deposit = expected_deposit(&key);
		assert_ok!(ZkVerifier::register_verifying_key(origin(ALICE), key.clone()));

		let id = key_id(&key);
		let record = VerifyingKeys::<Test>::get(id).unwrap();
		assert_eq!((record.owner, record.deposit, record.public_inputs), (ALICE, deposit, 3));
		assert_eq!(held(ALICE), deposit);
		assert_eq!(Balances::balance(&ALICE), INITIAL - deposit);
		assert_eq!(Balances::total_balance(&ALICE), INITIAL);
		System::assert_last_event(
			Event::VerifyingKeyRegistered { key_id: id, owner: ALICE, public_inputs: 3, deposit }.into(),
		);
		assert_eq!(ZkVerifier::public_inputs_of(&id), Some(3));
		// The prepared form that verification reads is exactly what the crate prepares.
		let prepared = PreparedKeys::<Test>::get(id).unwrap();
		assert_eq!(prepared.to_vec(), aichain_zk::prepare(&key).unwrap().encode());
	});
}

#[test]
fn unregister_releases_exact_deposit_only_for_owner() {
	run_test(|| {
		let (_, key) = setup(2, 1);
		let id = key_id(&key);
		assert_ok!(ZkVerifier::register_verifying_key(origin(ALICE), key.clone()));
		let deposit = expected_deposit(&key);

		assert_noop!(ZkVerifier::unregister_verifying_key(origin(BOB), id), Error::<Test>::NotKeyOwner);
		assert_noop!(
			ZkVerifier::unregister_verifying_key(origin(ALICE), [9; 32]),
			Error::<Test>::UnknownVerifyingKey
		);
		assert_ok!(ZkVerifier::unregister_verifying_key(origin(ALICE), id));
		assert_eq!(held(ALICE), 0);
		assert_eq!(Balances::balance(&ALICE), INITIAL);
		assert!(!VerifyingKeys::<Test>::contains_key(id));
		assert!(!PreparedKeys::<Test>::contains_key(id));
		System::assert_last_event(Event::VerifyingKeyUnregistered { key_id: id, owner: ALICE, deposit }.into());
	});
}

#[test]
fn two_keys_of_one_owner_hold_the_sum_of_deposits() {
	run_test(|| {
		let (_, k1) = setup(1, 1);
		let (_, k2) = setup(5, 2);
		assert_ok!(ZkVerifier::register_verifying_key(origin(ALICE), k1.clone()));
		assert_ok!(ZkVerifier::register_verifying_key(origin(ALICE), k2.clone()));
		assert_eq!(held(ALICE), expected_deposit(&k1) + expected_deposit(&k2));
		assert_ok!(ZkVerifier::unregister_verifying_key(origin(ALICE), key_id(&k1)));
		assert_eq!(held(ALICE), expected_deposit(&k2));
	});
}

#[test]
fn bad_keys_are_refused_with_their_own_errors_and_change_nothing() {
	run_test(|| {
		let (_, key) = setup(2, 1);
		assert_ok!(ZkVerifier::register_verifying_key(origin(ALICE), key.clone()));
		assert_noop!(
			ZkVerifier::register_verifying_key(origin(BOB), key.clone()),
			Error::<Test>::VerifyingKeyAlreadyRegistered
		);

		let (_, too_big) = setup(MaxPublicInputs::get() as usize + 1, 1);
		assert_noop!(
			ZkVerifier::register_verifying_key(origin(ALICE), too_big),
			Error::<Test>::TooManyPublicInputs
		);

		let mut empty = key.clone();
		empty.gamma_abc_g1.clear();
		assert_noop!(ZkVerifier::register_verifying_key(origin(ALICE), empty), Error::<Test>::EmptyVerifyingKey);

		let mut off_curve = key.clone();
		off_curve.gamma_abc_g1[1] = (1u64..)
			.map(|x| {
				let mut b = [0u8; 32];
				b[..8].copy_from_slice(&x.to_le_bytes());
				G1Bytes(b)
			})
			.find(|b| aichain_zk::decode::g1(b) == Err(aichain_zk::Error::PointNotOnCurve))
			.unwrap();
		assert_noop!(ZkVerifier::register_verifying_key(origin(ALICE), off_curve), Error::<Test>::PointNotOnCurve);

		let mut non_canonical = key.clone();
		non_canonical.alpha_g1 = G1Bytes([0xff; 32].map(|b| b & 0x3f));
		assert_noop!(
			ZkVerifier::register_verifying_key(origin(ALICE), non_canonical),
			Error::<Test>::NonCanonicalFieldElement
		);

		let mut flags = key.clone();
		flags.beta_g2.0[63] |= 0xc0;
		assert_noop!(ZkVerifier::register_verifying_key(origin(ALICE), flags), Error::<Test>::InvalidPointFlags);

		let (_, other) = setup(2, 9);
		assert_noop!(
			ZkVerifier::register_verifying_key(origin(POOR), other),
			Error::<Test>::InsufficientBalanceForDeposit
		);
	});
}

#[test]
fn valid_proof_verifies_and_records_the_statement() {
	run_test(|| {
		let (pk, key) = setup(4, 1);
		let id = key_id(&key);
		assert_ok!(ZkVerifier::register_verifying_key(origin(ALICE), key));
		let (proof, inputs) = prove(&pk, 12, 1);

		assert_ok!(ZkVerifier::verify_proof(origin(BOB), id, proof, bounded(inputs.clone())));
		let statement = sp_io::hashing::blake2_256(&(id, proof, &inputs).encode());
		System::assert_last_event(Event::ProofVerified { key_id: id, statement, who: BOB }.into());
		assert_eq!(<ZkVerifier as Verifier>::verify(&id, &proof, &inputs), Ok(()));
	});
}

#[test]
fn false_or_malformed_statements_are_rejected_and_change_nothing() {
	run_test(|| {
		let (pk, key) = setup(4, 1);
		let id = key_id(&key);
		assert_ok!(ZkVerifier::register_verifying_key(origin(ALICE), key));
		let (proof, inputs) = prove(&pk, 12, 1);

		// Every single-bit change of the proof.
		let bytes = proof.encode();
		for bit in 0..bytes.len() * 8 {
			let mut tampered = bytes.clone();
			tampered[bit / 8] ^= 1 << (bit % 8);
			let tampered: aichain_zk::Proof = codec::Decode::decode(&mut &tampered[..]).unwrap();
			assert!(ZkVerifier::verify_proof(origin(BOB), id, tampered, bounded(inputs.clone())).is_err());
		}
		// A changed public input.
		let mut changed = inputs.clone();
		changed[2].0[5] ^= 4;
		assert_noop!(
			ZkVerifier::verify_proof(origin(BOB), id, proof, bounded(changed)),
			Error::<Test>::ProofRejected
		);
		// The proof under another registered key.
		let (_, other) = setup(4, 2);
		assert_ok!(ZkVerifier::register_verifying_key(origin(ALICE), other.clone()));
		assert_noop!(
			ZkVerifier::verify_proof(origin(BOB), key_id(&other), proof, bounded(inputs.clone())),
			Error::<Test>::ProofRejected
		);
		// Wrong input count, unknown key, non-canonical input.
		assert_noop!(
			ZkVerifier::verify_proof(origin(BOB), id, proof, bounded(inputs[..3].to_vec())),
			Error::<Test>::PublicInputCountMismatch
		);
		assert_noop!(
			ZkVerifier::verify_proof(origin(BOB), [7; 32], proof, bounded(inputs.clone())),
			Error::<Test>::UnknownVerifyingKey
		);
		let mut huge = inputs.clone();
		huge[0] = ScalarBytes([0xff; 32]);
		assert_noop!(
			ZkVerifier::verify_proof(origin(BOB), id, proof, bounded(huge)),
			Error::<Test>::NonCanonicalFieldElement
		);
		assert_eq!(
			<ZkVerifier as Verifier>::verify(&[7; 32], &proof, &inputs),
			Err(VerifyError::UnknownKey)
		);
	});
}

#[test]
fn a_batch_under_registered_keys_verifies_only_when_every_proof_does() {
	run_test(|| {
		let (pk1, key1) = setup(4, 1);
		let (pk2, key2) = setup(2, 2);
		let (id1, id2) = (key_id(&key1), key_id(&key2));
		assert_ok!(ZkVerifier::register_verifying_key(origin(ALICE), key1));
		assert_ok!(ZkVerifier::register_verifying_key(origin(ALICE), key2));
		let statements: Vec<_> = (0..3u64)
			.flat_map(|w| [(id1, prove(&pk1, 3 + w, w)), (id2, prove(&pk2, 5 + w, w))])
			.collect();
		let batch = |s: &[([u8; 32], (aichain_zk::Proof, Vec<ScalarBytes>))]| {
			let items: Vec<_> = s.iter().map(|(id, (proof, inputs))| (*id, proof, &inputs[..])).collect();
			<ZkVerifier as Verifier>::batch_verify(&items)
		};
		assert_eq!(batch(&statements), Ok(()));

		// One changed input of one statement fails the whole batch, which verifies alone.
		let mut changed = statements.clone();
		changed[3].1 .1[0].0[0] ^= 1;
		assert_eq!(batch(&changed), Err(VerifyError::Invalid(aichain_zk::Error::ProofRejected)));
		// A statement under an unregistered key.
		let mut unknown = statements.clone();
		unknown[5].0 = [7; 32];
		assert_eq!(batch(&unknown), Err(VerifyError::UnknownKey));
		// A proof filed under the other key.
		let mut misfiled = statements.clone();
		misfiled[0].0 = id2;
		assert!(batch(&misfiled).is_err());
		assert_eq!(batch(&[]), Err(VerifyError::Invalid(aichain_zk::Error::EmptyBatch)));
	});
}
