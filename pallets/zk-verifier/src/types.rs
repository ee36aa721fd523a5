//! Types stored and exchanged by the ZK verifier pallet.

use crate::{BalanceOf, Config};
use aichain_zk::{PreparedVerifyingKey, VerifyingKey};
use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use frame_support::{pallet_prelude::*, BoundedVec};
use scale_info::TypeInfo;

/// Id of a registered verifying key: BLAKE2-256 of the key's SCALE encoding.
pub type KeyId = [u8; 32];

/// Why [`crate::Verifier::verify`] refused a statement.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Encode, Decode, DecodeWithMemTracking, TypeInfo, MaxEncodedLen)]
pub enum VerifyError {
	/// No key is registered under the id.
	UnknownKey,
	/// The statement is malformed or false.
	Invalid(aichain_zk::Error),
}

/// The largest SCALE encoding of a key with at most `MaxPublicInputs` inputs.
pub struct KeyBytesBound<T>(core::marker::PhantomData<T>);

impl<T: Config> Get<u32> for KeyBytesBound<T> {
	fn get() -> u32 {
		VerifyingKey::encoded_size(T::MaxPublicInputs::get()) as u32
	}
}

/// The largest SCALE encoding of a prepared key with at most `MaxPublicInputs` inputs.
pub struct PreparedKeyBytesBound<T>(core::marker::PhantomData<T>);

impl<T: Config> Get<u32> for PreparedKeyBytesBound<T> {
	fn get() -> u32 {
		PreparedVerifyingKey::encoded_size(T::MaxPublicInputs::get()) as u32
	}
}

/// The SCALE encoding of a [`PreparedVerifyingKey`] made at registration.
pub type PreparedKeyBytesOf<T> = BoundedVec<u8, PreparedKeyBytesBound<T>>;

/// A registered verifying key.
#[derive(Clone, PartialEq, Eq, Debug, Encode, Decode, TypeInfo, MaxEncodedLen)]
#[scale_info(skip_type_params(Bound))]
pub struct KeyRecord<AccountId, Balance, Bound: Get<u32>> {
	/// Who registered the key and gets the deposit back.
	pub owner: AccountId,
	/// The deposit held from `owner` for this key.
	pub deposit: Balance,
	/// Number of public inputs of the key.
	pub public_inputs: u32,
	/// The key's SCALE encoding (validated at registration).
	pub key: BoundedVec<u8, Bound>,
}

/// The key record type of a runtime.
pub type KeyRecordOf<T> =
	KeyRecord<<T as frame_system::Config>::AccountId, BalanceOf<T>, KeyBytesBound<T>>;
