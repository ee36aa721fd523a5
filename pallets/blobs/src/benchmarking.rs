//! Benchmarks of the blobs pallet, each in its worst case: a store of `l` bytes (hashed, and
//! compared with the end of the extrinsic) over an ended record the hook has not removed yet; a
//! manifest of `c` pieces (each read); a renewal; and the hook removing `n` blobs.

use super::*;
use crate::Pallet as BlobsPallet;
use alloc::{vec, vec::Vec};
use codec::Encode;
use frame_benchmarking::v2::*;
use frame_support::{
	traits::{
		fungible::{Inspect, Mutate},
		Get, Hooks,
	},
	BoundedVec,
};
use frame_system::RawOrigin;
use sp_runtime::traits::{Bounded, One, Saturating};

/// A caller able to pay any fee.
fn funded<T: Config>() -> T::AccountId {
	let who: T::AccountId = whitelisted_caller();
	T::Currency::set_balance(&who, BalanceOf::<T>::max_value() / 1_000_000u32.into());
	T::Currency::set_balance(&T::FeeDestination::get(), T::Currency::minimum_balance().max(1u32.into()));
	who
}

/// `len` bytes unique to `seed`.
fn data(seed: u32, len: u32) -> Vec<u8> {
	let mut bytes = vec![0u8; len as usize];
	bytes.iter_mut().enumerate().for_each(|(i, b)| *b = (i as u32).wrapping_add(seed.wrapping_mul(131)) as u8);
	if let Some(first) = bytes.first_mut() {
		*first = seed as u8;
	}
	if len >= 4 {
		bytes[..4].copy_from_slice(&seed.to_le_bytes());
	}
	bytes
}

/// Notes an extrinsic ending with `bytes` at the current extrinsic index, as the executive
/// does before dispatching it.
fn note_extrinsic_ending_with<T: Config>(index: u32, bytes: &[u8]) {
	frame_system::Pallet::<T>::set_extrinsic_index(index);
	let mut extrinsic = vec![0u8; 100];
	extrinsic.extend(bytes.to_vec().encode());
	frame_system::Pallet::<T>::note_extrinsic(extrinsic);
}

/// Stores `data` for `who` as extrinsic `index`.
fn stored<T: Config>(who: &T::AccountId, index: u32, bytes: &[u8]) -> ContentHash {
	note_extrinsic_ending_with::<T>(index, bytes);
	BlobsPallet::<T>::do_store(who.clone(), bytes).expect("a funded caller stores a new blob; qed")
}

#[benchmarks]
mod benchmarks {
	use super::*;

	#[benchmark]
	fn store(l: Linear<1, { T::MaxBlobSize::get() }>) {
		let who = funded::<T>();
		let bytes = data(0, l);
		// The same bytes were kept before: their record ended and waits for the hook.
		stored::<T>(&who, 1, &bytes);
		let ended = frame_system::Pallet::<T>::block_number().saturating_add(T::RetentionPeriod::get());
		frame_system::Pallet::<T>::set_block_number(ended.saturating_add(One::one()));
		note_extrinsic_ending_with::<T>(1, &bytes);

		#[extrinsic_call]
		_(RawOrigin::Signed(who), bytes.clone());

		assert!(BlobsPallet::<T>::live_blob(sp_io::hashing::blake2_256(&bytes)).is_some());
	}

	#[benchmark]
	fn store_manifest(c: Linear<1, { T::MaxManifestChunks::get() }>) {
		let who = funded::<T>();
		let chunks: Vec<ContentHash> = (0..c).map(|i| stored::<T>(&who, i + 1, &data(i + 1, 64))).collect();
		let mut manifest = MANIFEST_MAGIC.to_vec();
		ManifestOf::<T> { total_size: 64 * c as u64, chunks: BoundedVec::truncate_from(chunks) }.encode_to(&mut manifest);
		note_extrinsic_ending_with::<T>(2, &manifest);

		#[extrinsic_call]
		_(RawOrigin::Signed(who), manifest.clone());

		assert!(Blobs::<T>::contains_key(sp_io::hashing::blake2_256(&manifest)));
	}

	#[benchmark]
	fn renew() {
		let who = funded::<T>();
		let hash = stored::<T>(&who, 1, &data(1, T::MaxBlobSize::get()));
		frame_system::Pallet::<T>::set_block_number(frame_system::Pallet::<T>::block_number() + One::one());
		let new = frame_system::Pallet::<T>::block_number().saturating_add(T::RetentionPeriod::get());
		frame_system::Pallet::<T>::set_extrinsic_index(2);

		#[extrinsic_call]
		_(RawOrigin::Signed(who), hash);

		assert_eq!(Blobs::<T>::get(hash).map(|info| info.expires_at), Some(new));
	}

	/// `n` steps: a look at the block where `n - 1` blobs ended, and their removal.
	#[benchmark]
	fn on_initialize(n: Linear<1, { T::MaxExpiriesPerBlock::get() }>) {
		let who = funded::<T>();
		for i in 1..n {
			stored::<T>(&who, i, &data(i, 32));
		}
		let ended = frame_system::Pallet::<T>::block_number().saturating_add(T::RetentionPeriod::get());
		ExpiryCursor::<T>::put(ended);
		let after = ended.saturating_add(One::one());
		frame_system::Pallet::<T>::set_block_number(after);

		#[block]
		{
			BlobsPallet::<T>::on_initialize(after);
		}

		assert_eq!(Blobs::<T>::iter().count(), 0);
		assert_eq!(ExpiryCursor::<T>::get(), after);
	}

	impl_benchmark_test_suite!(BlobsPallet, crate::mock::new_test_ext(), crate::mock::Test);
}
