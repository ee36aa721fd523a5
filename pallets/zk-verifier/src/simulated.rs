//! Trapdoor-simulated keys for other pallets' benchmarks: a valid Groth16 key of any size
//! ([`aichain_zk::simulate`]), registered in this pallet from a funded account, so that a
//! benchmark verifies real proofs without a circuit.

use crate::{register_for, BalanceOf, Config, KeyId};
use frame_support::traits::fungible::Mutate;
use sp_runtime::traits::Bounded;

/// Registers simulated keys (seed 1, or any seed) in a runtime's `pallet_zk_verifier`; other pallets'
/// `BenchmarkHelper`s are implemented for it.
pub struct SimulatedKeys<T>(core::marker::PhantomData<T>);

impl<T: Config> SimulatedKeys<T>
where
	T::Currency: Mutate<T::AccountId>,
{
	/// Registers the simulated key with `public_inputs` inputs from a funded account.
	pub fn register(public_inputs: u32) -> KeyId {
		Self::register_seeded(public_inputs, 1)
	}

	/// Registers the simulated key of `seed` (each seed a different key) with `public_inputs`
	/// inputs from a funded account of its own.
	pub fn register_seeded(public_inputs: u32, seed: u32) -> KeyId {
		let owner: T::AccountId = frame_benchmarking::account("key-owner", public_inputs, seed);
		T::Currency::set_balance(&owner, BalanceOf::<T>::max_value() / 1_000_000u32.into());
		register_for::<T>(owner, aichain_zk::simulate::verifying_key(public_inputs, seed as u64))
			.expect("a funded owner registers a valid key; qed")
	}
}
