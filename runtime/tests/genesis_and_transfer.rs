//! The runtime, executed natively: both genesis presets build a consistent state, and a signed
//! balance transfer applied through `Executive` moves exactly the amount, charges a fee, and is
//! refused when its signature or nonce is wrong.

use aichain_runtime::{
	genesis_config_presets::{council_members, get_preset, market_accounts, preset_names, ENDOWMENT, TREASURY_ENDOWMENT},
	Address, Balances, BalancesCall, Executive, Header, Runtime, RuntimeCall, RuntimeEvent,
	Signature, SignedPayload, System, TimestampCall, TxExtension,
	UncheckedExtrinsic, EXISTENTIAL_DEPOSIT, SLOT_DURATION, UNIT,
};
use codec::Encode;
use sp_keyring::Sr25519Keyring;
use sp_runtime::{
	generic::Era,
	traits::Header as _,
	transaction_validity::{InvalidTransaction, TransactionValidityError},
};

mod common;
use common::genesis;

#[test]
fn both_presets_are_listed_and_unknown_ones_are_not() {
	let names: Vec<String> = preset_names();
	assert_eq!(names, vec!["development".to_string(), "local_testnet".to_string()]);
	assert!(get_preset(&"mainnet".into()).is_none());
}

#[test]
fn development_genesis_has_alice_as_only_authority_and_sudo() {
	genesis("development").execute_with(|| {
		let aura = pallet_aura::Authorities::<Runtime>::get();
		assert_eq!(aura.len(), 1);
		assert_eq!(aura[0], Sr25519Keyring::Alice.public().into());
		assert_eq!(pallet_grandpa::Pallet::<Runtime>::grandpa_authorities().len(), 1);
		assert_eq!(pallet_sudo::Key::<Runtime>::get(), Some(Sr25519Keyring::Alice.to_account_id()));
		assert_eq!(Balances::free_balance(Sr25519Keyring::Ferdie.to_account_id()), ENDOWMENT);
	});
}

#[test]
fn local_testnet_genesis_has_four_authorities_and_endowed_accounts() {
	genesis("local_testnet").execute_with(|| {
		let expected = [
			Sr25519Keyring::Alice,
			Sr25519Keyring::Bob,
			Sr25519Keyring::Charlie,
			Sr25519Keyring::Dave,
		];
		let aura = pallet_aura::Authorities::<Runtime>::get();
		assert_eq!(aura.into_inner(), expected.iter().map(|k| k.public().into()).collect::<Vec<_>>());
		let grandpa = pallet_grandpa::Pallet::<Runtime>::grandpa_authorities();
		assert_eq!(grandpa.len(), 4);
		assert!(grandpa.iter().all(|(_, weight)| *weight == 1));
		// Alice..Ferdie and their six stashes, the treasury with its endowment and the reward
		// pot at the existential deposit.
		let [treasury, reward_pot] = market_accounts().try_into().unwrap();
		assert_eq!(Balances::free_balance(&treasury), TREASURY_ENDOWMENT);
		assert_eq!(Balances::free_balance(&reward_pot), aichain_runtime::EXISTENTIAL_DEPOSIT);
		assert_eq!(
			pallet_balances::TotalIssuance::<Runtime>::get(),
			12 * ENDOWMENT + TREASURY_ENDOWMENT + aichain_runtime::EXISTENTIAL_DEPOSIT
		);
		// No sudo outside the development chain: root acts through referenda.
		assert_eq!(pallet_sudo::Key::<Runtime>::get(), None);
		// The collective keeps its members sorted.
		let mut council = council_members();
		council.sort();
		assert_eq!(pallet_collective::Members::<Runtime, pallet_collective::Instance1>::get(), council);
	});
}

/// The transaction extensions of a signed transaction with the given nonce, immortal, no tip.
fn tx_extension(nonce: u32) -> TxExtension {
	(
		frame_system::CheckNonZeroSender::<Runtime>::new(),
		frame_system::CheckSpecVersion::<Runtime>::new(),
		frame_system::CheckTxVersion::<Runtime>::new(),
		frame_system::CheckGenesis::<Runtime>::new(),
		frame_system::CheckEra::<Runtime>::from(Era::Immortal),
		frame_system::CheckNonce::<Runtime>::from(nonce),
		frame_system::CheckWeight::<Runtime>::new(),
		pallet_transaction_payment::ChargeTransactionPayment::<Runtime>::from(0),
		frame_metadata_hash_extension::CheckMetadataHash::<Runtime>::new(false),
		frame_system::WeightReclaim::<Runtime>::new(),
	)
}

/// `call` signed by `signer` with `nonce`, the way a wallet would sign it.
fn signed(call: RuntimeCall, signer: Sr25519Keyring, nonce: u32) -> UncheckedExtrinsic {
	let extension = tx_extension(nonce);
	let payload = SignedPayload::new(call.clone(), extension.clone()).expect("payload builds");
	let signature = payload.using_encoded(|bytes| signer.sign(bytes));
	UncheckedExtrinsic::new_signed(
		call,
		Address::Id(signer.to_account_id()),
		Signature::Sr25519(signature),
		extension,
	)
}

/// Starts block 1 on top of genesis and applies its timestamp inherent.
fn start_block_one() {
	let parent = System::block_hash(0);
	Executive::initialize_block(&Header::new(
		1,
		Default::default(),
		Default::default(),
		parent,
		Default::default(),
	));
	let now = SLOT_DURATION / 2;
	Executive::apply_extrinsic(UncheckedExtrinsic::new_bare(RuntimeCall::Timestamp(
		TimestampCall::set { now },
	)))
	.expect("inherent is valid")
	.expect("inherent dispatches");
}

#[test]
fn signed_transfer_moves_amount_and_charges_fee() {
	genesis("development").execute_with(|| {
		start_block_one();
		let alice = Sr25519Keyring::Alice.to_account_id();
		let bob = Sr25519Keyring::Bob.to_account_id();
		let amount = 42 * UNIT + 7;
		let call = RuntimeCall::Balances(BalancesCall::transfer_keep_alive {
			dest: bob.clone().into(),
			value: amount,
		});

		Executive::apply_extrinsic(signed(call, Sr25519Keyring::Alice, 0))
			.expect("transaction is valid")
			.expect("transfer dispatches");

		let fee = System::events()
			.into_iter()
			.find_map(|record| match record.event {
				RuntimeEvent::TransactionPayment(
					pallet_transaction_payment::Event::TransactionFeePaid { who, actual_fee, tip },
				) if who == alice => {
					assert_eq!(tip, 0);
					Some(actual_fee)
				},
				_ => None,
			})
			.expect("fee event emitted");
		assert!(fee > 0);
		assert!(System::events().iter().any(|r| r.event ==
			RuntimeEvent::Balances(pallet_balances::Event::Transfer {
				from: alice.clone(),
				to: bob.clone(),
				amount,
			})));
		assert_eq!(Balances::free_balance(&bob), ENDOWMENT + amount);
		assert_eq!(Balances::free_balance(&alice), ENDOWMENT - amount - fee);
		assert_eq!(System::account_nonce(&alice), 1);

		// The block finalizes (timestamp and all hooks run) and commits to the new state.
		let header = Executive::finalize_block();
		assert_eq!(*header.number(), 1);
	});
}

#[test]
fn bad_signature_and_replayed_nonce_are_refused_and_change_nothing() {
	genesis("development").execute_with(|| {
		start_block_one();
		let alice = Sr25519Keyring::Alice.to_account_id();
		let bob = Sr25519Keyring::Bob.to_account_id();
		let transfer = |value| {
			RuntimeCall::Balances(BalancesCall::transfer_keep_alive {
				dest: bob.clone().into(),
				value,
			})
		};

		// Signed by Bob's key but claiming to come from Alice.
		let mut forged = signed(transfer(UNIT), Sr25519Keyring::Bob, 0);
		if let sp_runtime::generic::Preamble::Signed(ref mut who, _, _) = forged.preamble {
			*who = Address::Id(alice.clone());
		}
		assert_eq!(
			Executive::apply_extrinsic(forged),
			Err(TransactionValidityError::Invalid(InvalidTransaction::BadProof))
		);

		Executive::apply_extrinsic(signed(transfer(UNIT), Sr25519Keyring::Alice, 0))
			.unwrap()
			.unwrap();
		let alice_after_first = Balances::free_balance(&alice);
		assert_eq!(
			Executive::apply_extrinsic(signed(transfer(UNIT), Sr25519Keyring::Alice, 0)),
			Err(TransactionValidityError::Invalid(InvalidTransaction::Stale))
		);
		assert_eq!(Balances::free_balance(&alice), alice_after_first);
		assert_eq!(Balances::free_balance(&bob), ENDOWMENT + UNIT);

		// Leaving less than the existential deposit with `transfer_keep_alive` fails at dispatch.
		let everything = Balances::free_balance(&alice) - EXISTENTIAL_DEPOSIT / 2;
		let result = Executive::apply_extrinsic(signed(transfer(everything), Sr25519Keyring::Alice, 1))
			.expect("valid transaction");
		assert!(result.is_err(), "keep-alive transfer of everything must fail");
		assert_eq!(Balances::free_balance(&bob), ENDOWMENT + UNIT);
	});
}
