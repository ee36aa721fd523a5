//! # ZK verifier pallet
//!
//! A registry of Groth16 (BN254) verifying keys and the chain's one place where proofs are
//! checked. Every result the compute market pays for goes through [`Verifier::verify`].
//!
//! ## Overview
//!
//! - [`Pallet::register_verifying_key`]: anyone registers a key, validated once here (every
//!   point decoded, on the curve, in the subgroup; at most [`Config::MaxPublicInputs`] public
//!   inputs) and *prepared* ([`aichain_zk::prepared`]: `e(α, β)` precomputed, points stored
//!   uncompressed), so that each later verification skips the key's decompression and subgroup
//!   checks and one of four Miller loops. The key as given is kept in [`VerifyingKeys`] (for
//!   clients), the prepared form in [`PreparedKeys`] (for verification). A deposit
//!   proportional to both sizes is held from the registrant
//!   ([`HoldReason::VerifyingKeyDeposit`]) while the key is registered. The key's id is the
//!   BLAKE2-256 hash of its SCALE encoding, so the same key always has the same id and cannot be
//!   registered twice.
//! - [`Pallet::unregister_verifying_key`]: the owner removes its key and gets the deposit back.
//! - [`Pallet::verify_proof`]: verifies a proof against a registered key and emits
//!   [`Event::ProofVerified`] with the key id and a hash of the statement, so dApps and DAOs can
//!   point at an on-chain record of a verified statement.
//! - [`Verifier`]: the trait other pallets (jobs, federated rounds) call.
//!
//! Verification runs through [`Config::Backend`]: the node's native host function
//! ([`aichain_zk::host::NativeHost`]) in the runtime, or the pure-wasm path
//! ([`aichain_zk::host::PureWasm`]).
//!
//! Bad input (malformed points, too many inputs, a false proof) returns its own [`Error`] and
//! changes no storage.
#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

#[cfg(feature = "runtime-benchmarks")]
mod benchmarking;
#[cfg(test)]
mod mock;
#[cfg(feature = "runtime-benchmarks")]
mod simulated;
#[cfg(test)]
mod tests;
mod types;
pub mod weights;

#[cfg(feature = "runtime-benchmarks")]
pub use simulated::SimulatedKeys;

pub use pallet::*;
pub use types::*;
pub use weights::WeightInfo;

use aichain_zk::{Proof, ScalarBytes};
use frame_support::weights::Weight;

/// What other pallets need from the verifier: check a proof against a registered key.
pub trait Verifier {
	/// Verifies `proof` for `public_inputs` under the registered key `key_id`.
	///
	/// Returns a [`VerifyError`]: the key is unknown, or the statement failed (with the reason).
	/// Changes no storage.
	fn verify(key_id: &KeyId, proof: &Proof, public_inputs: &[ScalarBytes]) -> Result<(), VerifyError>;

	/// Verifies many statements `(key_id, proof, public_inputs)` in one pairing check
	/// ([`aichain_zk::batch_verify_prepared`]); keys may differ and repeat. `Ok(())` means every
	/// proof verifies. An error says only that some key is unknown or some statement is
	/// malformed or false, not which: [`Verifier::verify`] each to find it. Changes no storage.
	/// Its weight is the caller's to benchmark (it reads each distinct key once).
	fn batch_verify(statements: &[(KeyId, &Proof, &[ScalarBytes])]) -> Result<(), VerifyError>;

	/// Number of public inputs of a registered key, or `None` for an unknown key.
	fn public_inputs_of(key_id: &KeyId) -> Option<u32>;

	/// Weight of one [`Verifier::verify`] call with `public_inputs` inputs.
	fn verify_weight(public_inputs: u32) -> Weight;

	/// Records that a model now relies on `key_id`: a key with users cannot be unregistered
	/// (its owner, or whoever registered it first, cannot pull it from under a model).
	/// `None` if the key is unknown.
	fn acquire(key_id: &KeyId) -> Option<()>;

	/// Records that a model no longer relies on `key_id` (the model was retired).
	fn release(key_id: &KeyId);

	/// How many models rely on `key_id` (for the models pallet's invariants).
	fn users_of(key_id: &KeyId) -> u32;
}

#[frame_support::pallet]
pub mod pallet {
	use super::*;
	use aichain_zk::{host::Groth16Backend, VerifyingKey};
	use codec::Encode;
	use frame_support::{
		pallet_prelude::*,
		traits::{
			fungible::{Inspect, MutateHold},
			tokens::Precision,
		},
	};
	use frame_system::pallet_prelude::*;
	use sp_runtime::Saturating;

	/// The in-code storage version.
	const STORAGE_VERSION: StorageVersion = StorageVersion::new(1);

	#[pallet::pallet]
	#[pallet::storage_version(STORAGE_VERSION)]
	pub struct Pallet<T>(_);

	/// Balance type of the deposit currency.
	pub type BalanceOf<T> =
		<<T as Config>::Currency as Inspect<<T as frame_system::Config>::AccountId>>::Balance;

	#[pallet::config]
	pub trait Config: frame_system::Config<RuntimeEvent: From<Event<Self>>> {
		/// The currency that key deposits are held in.
		type Currency: MutateHold<Self::AccountId, Reason = Self::RuntimeHoldReason>;

		/// The overarching hold reason.
		type RuntimeHoldReason: From<HoldReason>;

		/// Where verification runs: the native host function or pure wasm.
		type Backend: Groth16Backend;

		/// Largest number of public inputs a registered key may have.
		#[pallet::constant]
		type MaxPublicInputs: Get<u32>;

		/// Deposit held for any registered key.
		#[pallet::constant]
		type KeyDepositBase: Get<BalanceOf<Self>>;

		/// Additional deposit held per byte of the key's encoding.
		#[pallet::constant]
		type KeyDepositPerByte: Get<BalanceOf<Self>>;

		/// Weights of this pallet's calls, from its benchmarks.
		type WeightInfo: WeightInfo;
	}

	/// Why this pallet holds funds.
	#[pallet::composite_enum]
	pub enum HoldReason {
		/// The deposit of a registered verifying key.
		VerifyingKeyDeposit,
	}

	/// Registered verifying keys by id, as registered.
	#[pallet::storage]
	pub type VerifyingKeys<T: Config> = StorageMap<_, Identity, KeyId, KeyRecordOf<T>>;

	/// The prepared form of each registered key (made by `Backend::prepare` at registration),
	/// read by every verification.
	#[pallet::storage]
	pub type PreparedKeys<T: Config> = StorageMap<_, Identity, KeyId, PreparedKeyBytesOf<T>>;

	/// How many active models use each key ([`Verifier::acquire`]); a key with users cannot be
	/// unregistered.
	#[pallet::storage]
	pub type KeyUsers<T: Config> = StorageMap<_, Identity, KeyId, u32, ValueQuery>;

	#[pallet::event]
	#[pallet::generate_deposit(pub(super) fn deposit_event)]
	pub enum Event<T: Config> {
		/// A verifying key was registered and its deposit held.
		VerifyingKeyRegistered {
			key_id: KeyId,
			owner: T::AccountId,
			public_inputs: u32,
			deposit: BalanceOf<T>,
		},
		/// A verifying key was removed and its deposit released.
		VerifyingKeyUnregistered { key_id: KeyId, owner: T::AccountId, deposit: BalanceOf<T> },
		/// A proof verified. `statement` is BLAKE2-256 of the SCALE encoding of
		/// `(key_id, proof, public_inputs)`.
		ProofVerified { key_id: KeyId, statement: [u8; 32], who: T::AccountId },
	}

	#[pallet::error]
	pub enum Error<T> {
		/// No verifying key is registered under this id.
		UnknownVerifyingKey,
		/// This exact key is already registered.
		VerifyingKeyAlreadyRegistered,
		/// Only the account that registered a key may remove it.
		NotKeyOwner,
		/// An active model uses this key: it cannot be unregistered until the model retires.
		KeyInUse,
		/// The key has more public inputs than `MaxPublicInputs`, or a statement has more
		/// inputs than the key.
		TooManyPublicInputs,
		/// The number of public inputs does not match the key.
		PublicInputCountMismatch,
		/// The key has no `gamma_abc_g1` element.
		EmptyVerifyingKey,
		/// A byte string had the wrong length.
		InvalidLength,
		/// A SCALE encoding could not be decoded.
		MalformedEncoding,
		/// A field element was not canonical (at least the modulus).
		NonCanonicalFieldElement,
		/// A compressed point had invalid flag bits, or a key point was the identity.
		InvalidPointFlags,
		/// A point is not on the curve.
		PointNotOnCurve,
		/// A point is not in the prime-order subgroup.
		PointNotInSubgroup,
		/// The proof does not verify for this key and these public inputs.
		ProofRejected,
		/// The registrant cannot afford the key deposit.
		InsufficientBalanceForDeposit,
	}

	impl<T> From<aichain_zk::Error> for Error<T> {
		fn from(error: aichain_zk::Error) -> Self {
			use aichain_zk::Error as E;
			match error {
				E::InvalidLength => Error::InvalidLength,
				E::MalformedEncoding => Error::MalformedEncoding,
				E::NonCanonicalFieldElement => Error::NonCanonicalFieldElement,
				E::InvalidPointFlags => Error::InvalidPointFlags,
				E::PointNotOnCurve => Error::PointNotOnCurve,
				E::PointNotInSubgroup => Error::PointNotInSubgroup,
				E::PublicInputCountMismatch => Error::PublicInputCountMismatch,
				E::EmptyVerifyingKey => Error::EmptyVerifyingKey,
				E::EmptyBatch | E::ProofRejected => Error::ProofRejected,
				E::TooLarge => Error::TooManyPublicInputs,
				E::KeyIndexOutOfRange => Error::MalformedEncoding,
			}
		}
	}

	impl<T> From<VerifyError> for Error<T> {
		fn from(error: VerifyError) -> Self {
			match error {
				VerifyError::UnknownKey => Error::UnknownVerifyingKey,
				VerifyError::Invalid(e) => e.into(),
			}
		}
	}

	#[pallet::hooks]
	impl<T: Config> Hooks<BlockNumberFor<T>> for Pallet<T> {
		#[cfg(feature = "try-runtime")]
		fn try_state(_n: BlockNumberFor<T>) -> Result<(), sp_runtime::TryRuntimeError> {
			Self::do_try_state()
		}
	}

	#[pallet::call]
	impl<T: Config> Pallet<T> {
		/// Registers a Groth16 verifying key.
		///
		/// - Origin: signed; the signer becomes the key's owner.
		/// - Effect: validates every point of `key` once and prepares it, holds a deposit of
		///   `KeyDepositBase + KeyDepositPerByte × (encoded size + prepared size)` from the
		///   owner, and stores both forms under the key's id (BLAKE2-256 of its encoding).
		/// - Event: [`Event::VerifyingKeyRegistered`].
		/// - Errors: [`Error::TooManyPublicInputs`], [`Error::EmptyVerifyingKey`], the decoding
		///   errors of a malformed point, [`Error::VerifyingKeyAlreadyRegistered`],
		///   [`Error::InsufficientBalanceForDeposit`].
		#[pallet::call_index(0)]
		#[pallet::weight(T::WeightInfo::register_verifying_key(
			key.gamma_abc_g1.len().saturating_sub(1) as u32
		))]
		pub fn register_verifying_key(origin: OriginFor<T>, key: VerifyingKey) -> DispatchResult {
			let owner = ensure_signed(origin)?;
			Self::do_register_verifying_key(owner, key).map(|_| ())
		}

		/// Removes a verifying key and releases its deposit.
		///
		/// - Origin: signed by the key's owner.
		/// - Effect: deletes the key and releases exactly the deposit that was held for it. A
		///   key that an active model uses ([`KeyUsers`]) stays.
		/// - Event: [`Event::VerifyingKeyUnregistered`].
		/// - Errors: [`Error::UnknownVerifyingKey`], [`Error::NotKeyOwner`], [`Error::KeyInUse`].
		#[pallet::call_index(1)]
		#[pallet::weight(T::WeightInfo::unregister_verifying_key())]
		pub fn unregister_verifying_key(origin: OriginFor<T>, key_id: KeyId) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_unregister_verifying_key(who, key_id)
		}

		/// Verifies a proof against a registered key and records the verified statement in an
		/// event.
		///
		/// - Origin: signed (anyone; the signer pays the fee).
		/// - Effect: none on storage; a failed proof is an error.
		/// - Event: [`Event::ProofVerified`].
		/// - Errors: [`Error::UnknownVerifyingKey`], [`Error::PublicInputCountMismatch`], the
		///   decoding errors of a malformed proof or input, [`Error::ProofRejected`].
		#[pallet::call_index(2)]
		#[pallet::weight(T::WeightInfo::verify_proof(public_inputs.len() as u32))]
		pub fn verify_proof(
			origin: OriginFor<T>,
			key_id: KeyId,
			proof: Proof,
			public_inputs: BoundedVec<ScalarBytes, T::MaxPublicInputs>,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_verify_proof(who, key_id, proof, public_inputs.into_inner())
		}
	}

	impl<T: Config> Pallet<T> {
		/// Deposit for a key whose encodings (as given plus prepared) take `encoded_len` bytes.
		pub fn deposit_for(encoded_len: usize) -> BalanceOf<T> {
			let bytes: BalanceOf<T> = (encoded_len as u32).into();
			T::KeyDepositBase::get().saturating_add(T::KeyDepositPerByte::get().saturating_mul(bytes))
		}

		/// Validates, prices and stores `key` for `owner`; returns its id.
		pub fn do_register_verifying_key(
			owner: T::AccountId,
			key: VerifyingKey,
		) -> Result<KeyId, DispatchError> {
			let public_inputs = key.num_public_inputs() as u32;
			ensure!(public_inputs <= T::MaxPublicInputs::get(), Error::<T>::TooManyPublicInputs);
			let encoded = key.encode();
			let key_id = sp_io::hashing::blake2_256(&encoded);
			ensure!(
				!VerifyingKeys::<T>::contains_key(key_id),
				Error::<T>::VerifyingKeyAlreadyRegistered
			);
			// Validates every point of the key.
			let prepared = T::Backend::prepare(&key).map_err(Error::<T>::from)?;

			let bounded: BoundedVec<u8, KeyBytesBound<T>> =
				encoded.try_into().map_err(|_| Error::<T>::TooManyPublicInputs)?;
			let prepared: PreparedKeyBytesOf<T> =
				prepared.encode().try_into().map_err(|_| Error::<T>::TooManyPublicInputs)?;
			let deposit = Self::deposit_for(bounded.len() + prepared.len());
			T::Currency::hold(&HoldReason::VerifyingKeyDeposit.into(), &owner, deposit)
				.map_err(|_| Error::<T>::InsufficientBalanceForDeposit)?;

			VerifyingKeys::<T>::insert(
				key_id,
				KeyRecord { owner: owner.clone(), deposit, public_inputs, key: bounded },
			);
			PreparedKeys::<T>::insert(key_id, prepared);
			Self::deposit_event(Event::VerifyingKeyRegistered { key_id, owner, public_inputs, deposit });
			Ok(key_id)
		}

		/// Removes `key_id` if `who` owns it and releases its deposit.
		pub fn do_unregister_verifying_key(who: T::AccountId, key_id: KeyId) -> DispatchResult {
			let record = VerifyingKeys::<T>::get(key_id).ok_or(Error::<T>::UnknownVerifyingKey)?;
			ensure!(record.owner == who, Error::<T>::NotKeyOwner);
			ensure!(KeyUsers::<T>::get(key_id) == 0, Error::<T>::KeyInUse);
			T::Currency::release(
				&HoldReason::VerifyingKeyDeposit.into(),
				&who,
				record.deposit,
				Precision::Exact,
			)?;
			VerifyingKeys::<T>::remove(key_id);
			PreparedKeys::<T>::remove(key_id);
			Self::deposit_event(Event::VerifyingKeyUnregistered {
				key_id,
				owner: who,
				deposit: record.deposit,
			});
			Ok(())
		}

		/// Verifies a statement and emits [`Event::ProofVerified`].
		pub fn do_verify_proof(
			who: T::AccountId,
			key_id: KeyId,
			proof: Proof,
			public_inputs: alloc::vec::Vec<ScalarBytes>,
		) -> DispatchResult {
			<Self as Verifier>::verify(&key_id, &proof, &public_inputs).map_err(Error::<T>::from)?;
			let statement = (key_id, proof, &public_inputs).using_encoded(sp_io::hashing::blake2_256);
			Self::deposit_event(Event::ProofVerified { key_id, statement, who });
			Ok(())
		}

		/// The stored key `key_id`, decoded from storage.
		pub fn verifying_key(key_id: &KeyId) -> Option<VerifyingKey> {
			let record = VerifyingKeys::<T>::get(key_id)?;
			codec::Decode::decode(&mut &record.key[..]).ok()
		}

		/// Invariants: every record's deposit is held from its owner (per owner, the held
		/// balance equals the sum of its keys' deposits), its id is the hash of its key, its
		/// key decodes and has at most `MaxPublicInputs` inputs, and exactly the registered keys
		/// have a prepared form, with the same number of inputs.
		pub fn do_try_state() -> Result<(), sp_runtime::TryRuntimeError> {
			use frame_support::traits::fungible::InspectHold;
			let mut per_owner = alloc::collections::btree_map::BTreeMap::<T::AccountId, BalanceOf<T>>::new();
			for (key_id, record) in VerifyingKeys::<T>::iter() {
				ensure!(sp_io::hashing::blake2_256(&record.key) == key_id, "key id is not the key's hash");
				let key: VerifyingKey = codec::Decode::decode(&mut &record.key[..])
					.map_err(|_| "stored key does not decode")?;
				ensure!(key.num_public_inputs() as u32 == record.public_inputs, "input count mismatch");
				ensure!(record.public_inputs <= T::MaxPublicInputs::get(), "too many inputs stored");
				let prepared = PreparedKeys::<T>::get(key_id).ok_or("registered key without prepared form")?;
				let prepared: aichain_zk::PreparedVerifyingKey = codec::Decode::decode(&mut &prepared[..])
					.map_err(|_| "stored prepared key does not decode")?;
				ensure!(
					prepared.num_public_inputs() as u32 == record.public_inputs,
					"prepared key input count mismatch"
				);
				let total = per_owner.entry(record.owner.clone()).or_default();
				*total = total.saturating_add(record.deposit);
			}
			ensure!(
				PreparedKeys::<T>::iter_keys().all(|id| VerifyingKeys::<T>::contains_key(id)),
				"prepared key without registration"
			);
			ensure!(
				KeyUsers::<T>::iter_keys().all(|id| VerifyingKeys::<T>::contains_key(id)),
				"a key with users is not registered"
			);
			for (owner, total) in per_owner {
				ensure!(
					T::Currency::balance_on_hold(&HoldReason::VerifyingKeyDeposit.into(), &owner) == total,
					"held deposit differs from the sum of the owner's key deposits"
				);
			}
			Ok(())
		}
	}

	impl<T: Config> Verifier for Pallet<T> {
		fn verify(
			key_id: &KeyId,
			proof: &Proof,
			public_inputs: &[ScalarBytes],
		) -> Result<(), VerifyError> {
			let prepared = PreparedKeys::<T>::get(key_id).ok_or(VerifyError::UnknownKey)?;
			T::Backend::verify_prepared(&prepared, proof, public_inputs).map_err(VerifyError::Invalid)
		}

		fn batch_verify(statements: &[(KeyId, &Proof, &[ScalarBytes])]) -> Result<(), VerifyError> {
			use alloc::vec::Vec;
			let mut key_ids: Vec<KeyId> = Vec::new();
			let mut batch = Vec::with_capacity(statements.len());
			for (key_id, proof, inputs) in statements {
				let key = match key_ids.iter().position(|k| k == key_id) {
					Some(index) => index,
					None => {
						key_ids.push(*key_id);
						key_ids.len() - 1
					},
				};
				batch.push(aichain_zk::PreparedStatement { key: key as u32, proof: (*proof).clone(), inputs: inputs.to_vec() });
			}
			let keys = key_ids
				.iter()
				.map(|key_id| PreparedKeys::<T>::get(key_id).ok_or(VerifyError::UnknownKey))
				.collect::<Result<Vec<_>, _>>()?;
			let keys: Vec<&[u8]> = keys.iter().map(|key| &key[..]).collect();
			T::Backend::batch_verify_prepared(&keys, &batch).map_err(VerifyError::Invalid)
		}

		fn public_inputs_of(key_id: &KeyId) -> Option<u32> {
			VerifyingKeys::<T>::get(key_id).map(|record| record.public_inputs)
		}

		fn verify_weight(public_inputs: u32) -> Weight {
			T::WeightInfo::verify_proof(public_inputs)
		}

		fn acquire(key_id: &KeyId) -> Option<()> {
			VerifyingKeys::<T>::contains_key(key_id).then(|| KeyUsers::<T>::mutate(key_id, |n| n.saturating_inc()))
		}

		fn release(key_id: &KeyId) {
			KeyUsers::<T>::mutate_exists(key_id, |users| {
				*users = users.and_then(|n| n.checked_sub(1)).filter(|n| *n > 0);
			});
		}

		fn users_of(key_id: &KeyId) -> u32 {
			KeyUsers::<T>::get(key_id)
		}
	}
}

/// Convenience for other pallets' tests and benchmarks: registers `key` for `owner`.
pub fn register_for<T: Config>(
	owner: T::AccountId,
	key: aichain_zk::VerifyingKey,
) -> Result<KeyId, sp_runtime::DispatchError> {
	Pallet::<T>::do_register_verifying_key(owner, key)
}
