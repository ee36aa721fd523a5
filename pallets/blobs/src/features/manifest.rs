//! Manifests: the ordered pieces of a file larger than one transaction, stored as a blob once
//! every piece is.

use crate::{pallet::*, BlobKind, MANIFEST_MAGIC};
use codec::DecodeAll;
use frame_support::pallet_prelude::*;
use frame_system::pallet_prelude::BlockNumberFor;

impl<T: Config> Pallet<T> {
	/// Checks the manifest `bytes` against the kept pieces and stores it until the earliest
	/// piece expires; returns how many pieces it lists. See [`Pallet::store_manifest`].
	pub(crate) fn do_store_manifest(who: T::AccountId, bytes: &[u8]) -> Result<u32, DispatchError> {
		let mut encoded = bytes.strip_prefix(&MANIFEST_MAGIC[..]).ok_or(Error::<T>::BadManifest)?;
		let manifest = ManifestOf::<T>::decode_all(&mut encoded).map_err(|_| Error::<T>::BadManifest)?;
		ensure!(!manifest.chunks.is_empty(), Error::<T>::BadManifest);
		let mut size = 0u64;
		let mut expires_at = None;
		for chunk in &manifest.chunks {
			let info = Self::live_blob(*chunk).ok_or(Error::<T>::UnknownChunk)?;
			ensure!(info.kind == BlobKind::Data, Error::<T>::UnknownChunk);
			size = size.saturating_add(info.size.into());
			expires_at = Some(expires_at.map_or(info.expires_at, |at: BlockNumberFor<T>| at.min(info.expires_at)));
		}
		ensure!(size == manifest.total_size, Error::<T>::BadManifest);
		let expires_at = expires_at.ok_or(Error::<T>::BadManifest)?;
		let kind = BlobKind::Manifest { chunks: manifest.chunks.len() as u32, total_size: size };
		let payer = who.clone();
		Self::store_blob(who, bytes, kind, expires_at, |destination, fee| Self::charge(&payer, destination, fee))?;
		Ok(manifest.chunks.len() as u32)
	}
}
