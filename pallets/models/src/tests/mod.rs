//! Tests of the models pallet: every call's success path and every error, with exact deposit
//! accounting.

use crate::{mock::*, Error, Event, HoldReason, ModelInfo, ModelKind, ModelRegistry, ModelSpecOf, ModelStatus, Models as ModelsStorage};
use frame_support::{
	assert_noop, assert_ok,
	traits::fungible::{Inspect, InspectHold},
};
use frame_system::RawOrigin;

fn origin(who: u64) -> RuntimeOrigin {
	RawOrigin::Signed(who).into()
}

fn held(who: u64) -> u64 {
	Balances::balance_on_hold(&HoldReason::ModelDeposit.into(), &who)
}

/// A classifier taking up to 64 input bytes and giving 1 output byte, priced 100, 5% royalty.
fn spec() -> ModelSpecOf<Test> {
	crate::ModelSpec {
		name: b"digits-mlp".to_vec().try_into().unwrap(),
		kind: ModelKind::Classifier,
		weights_sha256: [7; 32],
		content_address: b"ipfs://digits".to_vec().try_into().unwrap(),
		verifying_key: None,
		price: 100,
		royalty_bps: 500,
		max_input_len: 64,
		max_output_len: 1,
		min_timeout: 1,
		output_tolerance: 0,
	}
}

#[test]
fn register_holds_the_deposit_and_stores_an_active_model() {
	run_test(|| {
		assert_ok!(Models::register_model(origin(ALICE), spec()));
		assert_ok!(Models::register_model(origin(ALICE), spec()));
		assert_eq!(
			ModelsStorage::<Test>::get(1),
			Some(ModelInfo { owner: ALICE, deposit: MODEL_DEPOSIT, status: ModelStatus::Active, spec: spec() })
		);
		assert_eq!(held(ALICE), 2 * MODEL_DEPOSIT);
		assert_eq!(Balances::balance(&ALICE), INITIAL - 2 * MODEL_DEPOSIT);
		System::assert_last_event(Event::ModelRegistered { model: 1, owner: ALICE, deposit: MODEL_DEPOSIT }.into());
		let terms = Models::active_model(0).unwrap();
		assert_eq!((terms.owner, terms.price, terms.royalty_bps, terms.max_input_len), (ALICE, 100, 500, 64));
		assert_eq!(Models::active_model(2), None);
	});
}

#[test]
fn a_zk_model_needs_a_registered_key_of_matching_size() {
	run_test(|| {
		// 64 input bytes and 1 output byte: 1 + 3 + 1 = 5 public inputs.
		let matching = aichain_zk::simulate::verifying_key(5, 1);
		let key = pallet_zk_verifier::register_for::<Test>(BOB, matching).unwrap();
		let other = pallet_zk_verifier::register_for::<Test>(BOB, aichain_zk::simulate::verifying_key(4, 1)).unwrap();

		let mut unknown = spec();
		unknown.verifying_key = Some([9; 32]);
		assert_noop!(Models::register_model(origin(ALICE), unknown), Error::<Test>::UnknownVerifyingKey);
		let mut mismatch = spec();
		mismatch.verifying_key = Some(other);
		assert_noop!(Models::register_model(origin(ALICE), mismatch), Error::<Test>::VerifyingKeyMismatch);

		let mut zk = spec();
		zk.verifying_key = Some(key);
		assert_ok!(Models::register_model(origin(ALICE), zk));
		assert_eq!(Models::active_model(0).unwrap().verifying_key, Some(key));
	});
}

#[test]
fn bad_specs_are_refused_with_their_own_errors_and_change_nothing() {
	run_test(|| {
		let mut s = spec();
		s.name = Default::default();
		assert_noop!(Models::register_model(origin(ALICE), s), Error::<Test>::EmptyName);
		let mut s = spec();
		s.royalty_bps = 10_001;
		assert_noop!(Models::register_model(origin(ALICE), s), Error::<Test>::RoyaltyTooHigh);
		let mut s = spec();
		s.max_output_len = 0;
		assert_noop!(Models::register_model(origin(ALICE), s), Error::<Test>::ZeroLimit);
		let mut s = spec();
		s.max_input_len = MaxInputLimit::get() + 1;
		assert_noop!(Models::register_model(origin(ALICE), s), Error::<Test>::LimitTooHigh);
		assert_noop!(Models::register_model(origin(POOR), spec()), Error::<Test>::InsufficientBalanceForDeposit);
		// The full royalty is allowed.
		let mut s = spec();
		s.royalty_bps = 10_000;
		assert_ok!(Models::register_model(origin(ALICE), s));
	});
}

#[test]
fn only_the_owner_updates_the_price_of_an_active_model() {
	run_test(|| {
		assert_ok!(Models::register_model(origin(ALICE), spec()));
		assert_noop!(Models::update_price(origin(BOB), 0, 1), Error::<Test>::NotModelOwner);
		assert_noop!(Models::update_price(origin(ALICE), 5, 1), Error::<Test>::UnknownModel);
		assert_ok!(Models::update_price(origin(ALICE), 0, 250));
		assert_eq!(Models::active_model(0).unwrap().price, 250);
		System::assert_last_event(Event::PriceUpdated { model: 0, price: 250 }.into());
		assert_ok!(Models::retire_model(origin(ALICE), 0));
		assert_noop!(Models::update_price(origin(ALICE), 0, 1), Error::<Test>::ModelRetired);
	});
}

#[test]
fn retiring_releases_the_deposit_but_the_tombstones_and_stops_new_jobs() {
	run_test(|| {
		assert_ok!(Models::register_model(origin(ALICE), spec()));
		assert_noop!(Models::retire_model(origin(BOB), 0), Error::<Test>::NotModelOwner);
		assert_noop!(Models::retire_model(origin(ALICE), 1), Error::<Test>::UnknownModel);
		assert_ok!(Models::retire_model(origin(ALICE), 0));
		let released = MODEL_DEPOSIT - TOMBSTONE_DEPOSIT;
		System::assert_last_event(Event::ModelRetired { model: 0, deposit_released: released }.into());
		// The record stays, and so does the deposit that pays for its storage.
		assert_eq!(held(ALICE), TOMBSTONE_DEPOSIT);
		assert_eq!(ModelsStorage::<Test>::get(0).unwrap().deposit, TOMBSTONE_DEPOSIT);
		assert_eq!(Balances::balance(&ALICE), INITIAL - TOMBSTONE_DEPOSIT);
		assert_eq!(Models::active_model(0), None);
		assert_eq!(ModelsStorage::<Test>::get(0).unwrap().status, ModelStatus::Retired);
		assert_noop!(Models::retire_model(origin(ALICE), 0), Error::<Test>::ModelRetired);
		// Ids are never reused.
		assert_ok!(Models::register_model(origin(ALICE), spec()));
		assert!(Models::active_model(1).is_some());
	});
}

/// Attack: the key a model relies on is pulled from under it, by the account that registered
/// it, which may be a squatter who registered the owner's published key first. Valid proofs
/// would then fail and honest workers be slashed.
#[test]
fn a_key_used_by_an_active_model_cannot_be_unregistered_by_its_registrant() {
	run_test(|| {
		let matching = aichain_zk::simulate::verifying_key(
			aichain_compute::zk_public_input_count(64, 1) as u32,
			1,
		);
		// Bob registered the key (a squatter, or the owner); Alice's model uses it.
		let key = pallet_zk_verifier::register_for::<Test>(BOB, matching).unwrap();
		let mut zk = spec();
		zk.verifying_key = Some(key);
		assert_ok!(Models::register_model(origin(ALICE), zk.clone()));
		assert_ok!(Models::register_model(origin(ALICE), zk));
		assert_eq!(pallet_zk_verifier::KeyUsers::<Test>::get(key), 2);
		assert_noop!(
			ZkVerifier::unregister_verifying_key(origin(BOB), key),
			pallet_zk_verifier::Error::<Test>::KeyInUse
		);
		// Retiring one model is not enough; retiring both frees the key.
		assert_ok!(Models::retire_model(origin(ALICE), 0));
		assert_noop!(
			ZkVerifier::unregister_verifying_key(origin(BOB), key),
			pallet_zk_verifier::Error::<Test>::KeyInUse
		);
		assert_ok!(Models::retire_model(origin(ALICE), 1));
		assert_ok!(ZkVerifier::unregister_verifying_key(origin(BOB), key));
		assert!(!pallet_zk_verifier::KeyUsers::<Test>::contains_key(key));
	});
}

#[test]
fn a_zero_minimum_timeout_is_refused() {
	run_test(|| {
		let mut s = spec();
		s.min_timeout = 0;
		assert_noop!(Models::register_model(origin(ALICE), s), Error::<Test>::ZeroMinTimeout);
	});
}

#[test]
fn only_embeddings_may_state_an_output_tolerance() {
	run_test(|| {
		let mut exact = spec();
		exact.output_tolerance = 1;
		assert_noop!(Models::register_model(origin(ALICE), exact), Error::<Test>::ToleranceOnExactModel);
		let mut embedding = spec();
		embedding.kind = ModelKind::Embedding;
		embedding.output_tolerance = 2;
		assert_ok!(Models::register_model(origin(ALICE), embedding));
		assert_eq!(Models::active_model(0).unwrap().output_tolerance, 2);
	});
}

mod blob_limits;
