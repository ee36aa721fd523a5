//! Sealed jobs: data only the requester and the job's assigned workers can read.
//!
//! - The requester draws a fresh 32-byte **job key** `K` and records
//!   [`key_commitment`]`(K)` on chain with the job. A worker that unseals a key checks it
//!   against the commitment, so a requester cannot give two workers different keys (and, since
//!   ChaCha20-Poly1305 is not key-committing, two different plaintexts of one ciphertext).
//! - The **input** is `nonce(24) ‖ XChaCha20-Poly1305(K, nonce, plaintext, aad = "aichain/sealed-input")`
//!   with a random nonce ([`seal_input`] / [`open_input`]), stored as a blob.
//! - `K` reaches each assigned worker as a **sealed box** (libsodium's `crypto_box_seal`:
//!   X25519 with an ephemeral key, XSalsa20-Poly1305; 32 + 48 = 80 bytes) to the worker's X25519
//!   public key ([`seal_key`] / [`open_key`]); only that worker's node can open it.
//! - The **output** is sealed under `K` with a nonce derived from the plaintext
//!   ([`seal_output`]: `nonce = BLAKE2b-256("aichain/sealed-output" ‖ K ‖ plaintext)[..24]`), so
//!   every honest replica produces the same bytes and the chain compares them exactly, without
//!   reading them. The nonce repeats only for the same plaintext under the same key, which then
//!   gives the same ciphertext: it reveals only that two outputs are equal.

use crate::blake2b_256;
use chacha20poly1305::{
	aead::{Aead, KeyInit, Payload},
	XChaCha20Poly1305, XNonce,
};
use crypto_box::{PublicKey, SecretKey};
use rand::{CryptoRng, RngCore};
use std::path::Path;

/// Bytes of a job key sealed to a worker: an ephemeral X25519 key, then the key and its tag.
pub const SEALED_KEY_LEN: usize = 80;
/// Bytes a sealed blob adds to its plaintext: the nonce and the tag (the chain's
/// `pallet_jobs::SEAL_OVERHEAD`).
pub const SEAL_OVERHEAD: usize = 24 + 16;

const INPUT_AAD: &[u8] = b"aichain/sealed-input";
const OUTPUT_AAD: &[u8] = b"aichain/sealed-output";

/// Why sealed data could not be opened.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum SealError {
	/// The bytes are not what the key sealed: tampered with, truncated, or sealed with another
	/// key.
	#[error("the sealed data does not open with this key")]
	Unreadable,
	/// The unsealed job key is not the one the job committed to.
	#[error("the job key does not match the job's key commitment")]
	WrongKey,
}

/// The commitment to a job key recorded on chain: `BLAKE2b-256("aichain/job-key" ‖ K)`.
pub fn key_commitment(key: &[u8; 32]) -> [u8; 32] {
	blake2b_256(&[b"aichain/job-key", key])
}

fn cipher(key: &[u8; 32]) -> XChaCha20Poly1305 {
	XChaCha20Poly1305::new(key.into())
}

fn seal_with(key: &[u8; 32], nonce: [u8; 24], plaintext: &[u8], aad: &[u8]) -> Vec<u8> {
	let mut sealed = nonce.to_vec();
	// Encryption with a 32-byte key and a 24-byte nonce cannot fail below 256 GiB.
	let ciphertext = cipher(key)
		.encrypt(XNonce::from_slice(&nonce), Payload { msg: plaintext, aad })
		.unwrap_or_default();
	sealed.extend_from_slice(&ciphertext);
	sealed
}

fn open_with(key: &[u8; 32], sealed: &[u8], aad: &[u8]) -> Result<Vec<u8>, SealError> {
	if sealed.len() < SEAL_OVERHEAD {
		return Err(SealError::Unreadable);
	}
	let (nonce, ciphertext) = sealed.split_at(24);
	cipher(key)
		.decrypt(XNonce::from_slice(nonce), Payload { msg: ciphertext, aad })
		.map_err(|_| SealError::Unreadable)
}

/// A fresh job key.
pub fn new_job_key(rng: &mut (impl RngCore + CryptoRng)) -> [u8; 32] {
	let mut key = [0u8; 32];
	rng.fill_bytes(&mut key);
	key
}

/// Seals a job's input under the job key, with a random nonce.
pub fn seal_input(key: &[u8; 32], plaintext: &[u8], rng: &mut (impl RngCore + CryptoRng)) -> Vec<u8> {
	let mut nonce = [0u8; 24];
	rng.fill_bytes(&mut nonce);
	seal_with(key, nonce, plaintext, INPUT_AAD)
}

/// Opens a sealed input.
pub fn open_input(key: &[u8; 32], sealed: &[u8]) -> Result<Vec<u8>, SealError> {
	open_with(key, sealed, INPUT_AAD)
}

/// Seals a job's output under the job key, deterministically (see the module docs).
pub fn seal_output(key: &[u8; 32], plaintext: &[u8]) -> Vec<u8> {
	let digest = blake2b_256(&[OUTPUT_AAD, key, plaintext]);
	let mut nonce = [0u8; 24];
	nonce.copy_from_slice(&digest[..24]);
	seal_with(key, nonce, plaintext, OUTPUT_AAD)
}

/// Opens a sealed output.
pub fn open_output(key: &[u8; 32], sealed: &[u8]) -> Result<Vec<u8>, SealError> {
	open_with(key, sealed, OUTPUT_AAD)
}

/// Seals a job key to a worker's X25519 public key (libsodium's `crypto_box_seal`).
pub fn seal_key(worker: &[u8; 32], key: &[u8; 32], rng: &mut (impl RngCore + CryptoRng)) -> [u8; SEALED_KEY_LEN] {
	let sealed = PublicKey::from(*worker).seal(rng, key).unwrap_or_default();
	let mut out = [0u8; SEALED_KEY_LEN];
	if sealed.len() == SEALED_KEY_LEN {
		out.copy_from_slice(&sealed);
	}
	out
}

/// A worker node's X25519 key pair, whose public half it registers on chain.
pub struct WorkerKey(SecretKey);

impl WorkerKey {
	/// Draws a key pair.
	pub fn generate(rng: &mut (impl RngCore + CryptoRng)) -> Self {
		Self(SecretKey::generate(rng))
	}

	/// The key pair in `path` (32 bytes, the secret); an error if there is none.
	pub fn load(path: &Path) -> std::io::Result<Self> {
		let secret: [u8; 32] = std::fs::read(path)?.try_into().map_err(|_| {
			std::io::Error::new(std::io::ErrorKind::InvalidData, format!("{}: not a 32-byte key", path.display()))
		})?;
		Ok(Self(SecretKey::from(secret)))
	}

	/// The key pair in `path` (32 bytes, the secret), created there with mode 0600 if absent.
	pub fn load_or_create(path: &Path) -> std::io::Result<Self> {
		match Self::load(path) {
			Ok(key) => Ok(key),
			Err(error) if error.kind() == std::io::ErrorKind::NotFound => {
				let key = Self::generate(&mut rand::rngs::OsRng);
				if let Some(dir) = path.parent() {
					std::fs::create_dir_all(dir)?;
				}
				let mut options = std::fs::OpenOptions::new();
				options.write(true).create_new(true);
				#[cfg(unix)]
				std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
				std::io::Write::write_all(&mut options.open(path)?, &key.0.to_bytes())?;
				Ok(key)
			},
			Err(error) => Err(error),
		}
	}

	/// The public key the worker registers.
	pub fn public(&self) -> [u8; 32] {
		*self.0.public_key().as_bytes()
	}

	/// The secret half, for the private-training members' pairwise seeds (X25519 with each
	/// peer's published key: `models::private_fl::masks::pair_seed`).
	pub fn x25519_secret(&self) -> [u8; 32] {
		self.0.to_bytes()
	}

	/// Opens a job key sealed to this worker and checks it against the job's commitment.
	pub fn open_key(&self, sealed: &[u8; SEALED_KEY_LEN], commitment: &[u8; 32]) -> Result<[u8; 32], SealError> {
		let key: [u8; 32] = self.0.unseal(sealed).ok().and_then(|k| k.try_into().ok()).ok_or(SealError::Unreadable)?;
		if key_commitment(&key) != *commitment {
			return Err(SealError::WrongKey);
		}
		Ok(key)
	}
}

#[cfg(test)]
mod tests {
	use super::*;
	use rand::{rngs::StdRng, SeedableRng};

	#[test]
	fn only_the_job_key_opens_the_input_and_every_bit_matters() {
		let mut rng = StdRng::seed_from_u64(1);
		let key = new_job_key(&mut rng);
		let sealed = seal_input(&key, b"a confidential document", &mut rng);
		assert_eq!(sealed.len(), 23 + SEAL_OVERHEAD);
		assert_eq!(open_input(&key, &sealed).unwrap(), b"a confidential document");
		assert!(!sealed.windows(12).any(|w| w == b"confidential"), "no plaintext in the sealed bytes");
		for bit in 0..sealed.len() * 8 {
			let mut flipped = sealed.clone();
			flipped[bit / 8] ^= 1 << (bit % 8);
			assert_eq!(open_input(&key, &flipped), Err(SealError::Unreadable), "bit {bit}");
		}
		assert_eq!(open_input(&new_job_key(&mut rng), &sealed), Err(SealError::Unreadable));
		// An input cannot be passed off as an output (different associated data).
		assert_eq!(open_output(&key, &sealed), Err(SealError::Unreadable));
		assert_eq!(open_input(&key, &sealed[..SEAL_OVERHEAD - 1]), Err(SealError::Unreadable));
	}

	#[test]
	fn replicas_seal_the_same_output_to_the_same_bytes_and_different_outputs_differently() {
		let key = new_job_key(&mut StdRng::seed_from_u64(2));
		let a = seal_output(&key, b"rows of embeddings");
		assert_eq!(a, seal_output(&key, b"rows of embeddings"));
		assert_ne!(a, seal_output(&key, b"rows of embeddingt"));
		assert_ne!(a, seal_output(&new_job_key(&mut StdRng::seed_from_u64(3)), b"rows of embeddings"));
		assert_eq!(open_output(&key, &a).unwrap(), b"rows of embeddings");
	}

	#[test]
	fn a_sealed_key_opens_only_for_its_worker_and_only_if_it_is_the_committed_key() {
		let mut rng = StdRng::seed_from_u64(4);
		let (alice, bob) = (WorkerKey::generate(&mut rng), WorkerKey::generate(&mut rng));
		let key = new_job_key(&mut rng);
		let commitment = key_commitment(&key);
		let sealed = seal_key(&alice.public(), &key, &mut rng);
		assert_eq!(alice.open_key(&sealed, &commitment), Ok(key));
		assert_eq!(bob.open_key(&sealed, &commitment), Err(SealError::Unreadable));
		let other = seal_key(&alice.public(), &new_job_key(&mut rng), &mut rng);
		assert_eq!(alice.open_key(&other, &commitment), Err(SealError::WrongKey));
		let mut flipped = sealed;
		flipped[40] ^= 1;
		assert_eq!(alice.open_key(&flipped, &commitment), Err(SealError::Unreadable));
	}

	#[test]
	fn the_x25519_secret_is_the_half_of_the_published_key() {
		let key = WorkerKey::generate(&mut StdRng::seed_from_u64(5));
		let public = x25519_dalek::PublicKey::from(&x25519_dalek::StaticSecret::from(key.x25519_secret()));
		assert_eq!(public.to_bytes(), key.public());
	}

	#[test]
	fn a_worker_key_file_is_created_once_and_read_back() {
		let dir = tempfile::tempdir().unwrap();
		let path = dir.path().join("keys/provider-x25519.key");
		let first = WorkerKey::load_or_create(&path).unwrap();
		assert_eq!(WorkerKey::load_or_create(&path).unwrap().public(), first.public());
		#[cfg(unix)]
		{
			use std::os::unix::fs::PermissionsExt;
			assert_eq!(std::fs::metadata(&path).unwrap().permissions().mode() & 0o777, 0o600);
		}
		std::fs::write(&path, b"short").unwrap();
		assert!(WorkerKey::load_or_create(&path).is_err());
	}
}
