//! Benchmarks of the ZK verifier pallet, parameterised by the number of public inputs `n`.
//!
//! Statements come from [`aichain_zk::simulate`]: valid Groth16 statements made with the
//! trapdoor, so the verifier does exactly the work it does for a prover's proof, for any `n`.

use super::*;
use crate::Pallet as ZkVerifier;
use aichain_zk::{simulate, PreparedVerifyingKey, VerifyingKey};
use frame_benchmarking::v2::*;
use frame_support::{
	traits::{
		fungible::{Inspect, Mutate},
		Get,
	},
	BoundedVec,
};
use sp_runtime::Saturating;
use frame_system::RawOrigin;

/// An account able to pay the largest key deposit.
fn funded<T: Config>() -> T::AccountId
where
	T::Currency: Mutate<T::AccountId>,
{
	let who: T::AccountId = whitelisted_caller();
	let max = T::MaxPublicInputs::get();
	let largest = VerifyingKey::encoded_size(max) + PreparedVerifyingKey::encoded_size(max);
	let balance = ZkVerifier::<T>::deposit_for(largest)
		.saturating_mul(4u32.into())
		.saturating_add(T::Currency::minimum_balance());
	T::Currency::set_balance(&who, balance);
	who
}

#[benchmarks(where T::Currency: Mutate<T::AccountId>)]
mod benchmarks {
	use super::*;

	#[benchmark]
	fn register_verifying_key(n: Linear<1, { T::MaxPublicInputs::get() }>) {
		let caller = funded::<T>();
		let key = simulate::verifying_key(n, 1);

		#[extrinsic_call]
		_(RawOrigin::Signed(caller.clone()), key);

		assert_eq!(VerifyingKeys::<T>::iter().count(), 1);
	}

	#[benchmark]
	fn unregister_verifying_key() -> Result<(), BenchmarkError> {
		let caller = funded::<T>();
		let key = simulate::verifying_key(T::MaxPublicInputs::get(), 1);
		let key_id = ZkVerifier::<T>::do_register_verifying_key(caller.clone(), key)?;

		#[extrinsic_call]
		_(RawOrigin::Signed(caller), key_id);

		assert!(!VerifyingKeys::<T>::contains_key(key_id));
		Ok(())
	}

	#[benchmark]
	fn verify_proof(n: Linear<1, { T::MaxPublicInputs::get() }>) -> Result<(), BenchmarkError> {
		let caller = funded::<T>();
		let (key, proof, inputs) = simulate::statement(n, 2, 0);
		let key_id = ZkVerifier::<T>::do_register_verifying_key(caller.clone(), key)?;
		let inputs: BoundedVec<_, T::MaxPublicInputs> =
			inputs.try_into().map_err(|_| BenchmarkError::Stop("too many inputs"))?;

		#[extrinsic_call]
		_(RawOrigin::Signed(caller), key_id, proof, inputs);

		Ok(())
	}

	impl_benchmark_test_suite!(ZkVerifier, crate::mock::new_test_ext(), crate::mock::Test);
}
