//! The provider key: an sr25519 key of its own key type, `aiwk`, whose account is the worker's
//! account on chain (it signs heartbeats and results).

use sp_core::sr25519::{Public as Sr25519Public, Signature as Sr25519Signature};
use sp_runtime::{
	app_crypto::{app_crypto, sr25519},
	KeyTypeId, MultiSignature, MultiSigner,
};

/// Key type of provider keys in a node's keystore.
pub const KEY_TYPE: KeyTypeId = KeyTypeId(*b"aiwk");

app_crypto!(sr25519, KEY_TYPE);

/// The signing identity of the provider pallet for runtimes whose accounts are `MultiSigner`s.
pub struct ProviderId;

impl frame_system::offchain::AppCrypto<MultiSigner, MultiSignature> for ProviderId {
	type RuntimeAppPublic = Public;
	type GenericPublic = Sr25519Public;
	type GenericSignature = Sr25519Signature;
}
