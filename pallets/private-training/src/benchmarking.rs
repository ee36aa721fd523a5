//! Benchmarks of the private-training pallet, each in its worst case: a consortium of the most
//! members with the most parameters; commitments into a full consortium; an attempt of `m`
//! members, each job directed and assigned through the real market to a worker at the end of a
//! full list of the model's workers; the last update of an
//! `m`-member attempt (the masked sum); a member dropping out of an `m`-member attempt (every
//! job unindexed, the round abandoned); closing a consortium with every pair stored.

use super::*;
use crate::Pallet as PrivateTrainingPallet;
use aichain_compute::federated::{member_input_len, ROLE_ADD};
use frame_benchmarking::v2::*;
use frame_support::{
	traits::{
		fungible::{Inspect, Mutate},
		EnsureOrigin, Get,
	},
	BoundedVec,
};
use frame_system::RawOrigin;
use pallet_jobs::{BenchmarkHelper as _, MarketPallets as JobMarket};
use sp_runtime::traits::{Bounded, Saturating};

/// The [`BenchmarkHelper`] of a runtime whose `Jobs` is `pallet_jobs` on `pallet_models`,
/// `pallet_workers` and `pallet_zk_verifier`.
pub struct MarketPallets<T>(core::marker::PhantomData<T>);

impl<T> BenchmarkHelper<T::AccountId, pallet_jobs::BalanceOf<T>> for MarketPallets<T>
where
	T: pallet_jobs::Config + pallet_models::Config + pallet_workers::Config + pallet_zk_verifier::Config + pallet_blobs::Config,
	<T as pallet_jobs::Config>::Currency: Mutate<T::AccountId>,
	<T as pallet_zk_verifier::Config>::Currency: Mutate<T::AccountId>,
	<T as pallet_models::Config>::Currency: Mutate<T::AccountId>,
	<T as pallet_workers::Config>::Currency: Mutate<T::AccountId>,
{
	fn member_model(input_len: u32, output_len: u32) -> ModelId {
		let public_inputs = aichain_compute::zk_public_input_count(input_len as usize, output_len as usize);
		let key = JobMarket::<T>::verifying_key(public_inputs as u32);
		let owner: T::AccountId = account("model-owner", 0, 0);
		<T as pallet_models::Config>::Currency::set_balance(&owner, pallet_models::BalanceOf::<T>::max_value() / 1_000_000u32.into());
		let spec = pallet_models::ModelSpec {
			kind: aichain_compute::ModelKind::PrivateTrainingMember,
			..pallet_models::benchmarking::spec::<T>(Some(key), input_len, output_len)
		};
		pallet_models::Pallet::<T>::do_register_model(owner, spec).expect("a funded owner registers a model; qed")
	}

	fn member_worker(model: ModelId, index: u32) -> T::AccountId {
		JobMarket::<T>::worker(model, index)
	}

	fn max_workers_per_model() -> u32 {
		JobMarket::<T>::max_workers_per_model()
	}

	fn fund(who: &T::AccountId) {
		<T as pallet_jobs::Config>::Currency::set_balance(
			who,
			pallet_jobs::BalanceOf::<T>::max_value() / 1_000_000u32.into(),
		);
	}

	fn max_price() -> pallet_jobs::BalanceOf<T> {
		pallet_jobs::BalanceOf::<T>::max_value()
	}
}

/// A canonical commitment (below the field's modulus).
const COMMITMENT: [u8; 32] = [1; 32];

/// The whitelisted caller, able to pay a deposit and (through the helper) any round.
fn owner<T: Config>() -> T::AccountId
where
	T::Currency: Mutate<T::AccountId>,
{
	let owner: T::AccountId = whitelisted_caller();
	T::BenchmarkHelper::fund(&owner);
	let deposit = T::ConsortiumDeposit::get();
	T::Currency::set_balance(&owner, T::Currency::balance(&owner).saturating_add(deposit).saturating_add(deposit));
	owner
}

/// The model and `members` workers of a consortium with the most parameters. The model has a
/// full list of workers and the members are its last ones, so a directed job reads them all.
fn model_and_members<T: Config>(members: u32) -> (ModelId, MembersOf<T>) {
	let parameters = T::MaxParameters::get();
	let model = T::BenchmarkHelper::member_model(member_input_len(parameters as usize) as u32, 4 * parameters);
	for filler in members..T::BenchmarkHelper::max_workers_per_model() {
		T::BenchmarkHelper::member_worker(model, filler);
	}
	let workers = (0..members).map(|i| T::BenchmarkHelper::member_worker(model, i)).collect::<alloc::vec::Vec<_>>();
	(model, BoundedVec::truncate_from(workers))
}

/// The most parameters.
fn parameters<T: Config>() -> ParametersOf<T> {
	BoundedVec::truncate_from(alloc::vec![1i32; T::MaxParameters::get() as usize])
}

/// The noise of the member circuit (σ = 200).
const NOISE: GaussianRounds = GaussianRounds { sensitivity_sq: 7_684, sigma_sq: 40_000 };

/// A consortium of `members` members, with every data and seed commitment and a budget of
/// ε = 1000 unless `ready` is false.
fn consortium<T: Config>(members: u32, ready: bool) -> (T::AccountId, ConsortiumId, MembersOf<T>)
where
	T::Currency: Mutate<T::AccountId>,
{
	let owner = owner::<T>();
	let (model, workers) = model_and_members::<T>(members);
	let id = PrivateTrainingPallet::<T>::do_create_consortium(owner.clone(), model, workers.clone(), parameters::<T>(), NOISE)
		.expect("a provable model of the member layout; qed");
	if ready {
		for (i, worker) in workers.iter().enumerate() {
			PrivateTrainingPallet::<T>::do_commit_data(worker.clone(), id, COMMITMENT).expect("a member; qed");
			for peer in i + 1..workers.len() {
				PairSeeds::<T>::insert(id, (i as MemberIndex, peer as MemberIndex), (Some(COMMITMENT), Some(COMMITMENT)));
			}
		}
		PrivateTrainingPallet::<T>::do_set_privacy_budget(
			id,
			PrivacyBudget { epsilon_micro: 1_000_000_000, delta: DeltaPerQuintillion(10_000_000_000_000) },
		)
		.expect("a valid budget; qed");
	}
	(owner, id, workers)
}

/// A timeout every configuration accepts: 10 blocks, or the pallet's minimum if longer.
fn timeout<T: Config>() -> frame_system::pallet_prelude::BlockNumberFor<T> {
	T::MinRoundTimeout::get().max(10u32.into())
}

/// A member's output of the most parameters.
fn output<T: Config>() -> alloc::vec::Vec<u8> {
	alloc::vec![ROLE_ADD; 4 * T::MaxParameters::get() as usize]
}

#[benchmarks(where T::Currency: Mutate<T::AccountId>)]
mod benchmarks {
	use super::*;

	#[benchmark]
	fn create_consortium() {
		let owner = owner::<T>();
		let (model, members) = model_and_members::<T>(T::MaxMembers::get());

		#[extrinsic_call]
		_(RawOrigin::Signed(owner), model, members, parameters::<T>(), NOISE);

		assert!(Consortia::<T>::contains_key(0));
	}

	#[benchmark]
	fn commit_data() {
		let (_, id, members) = consortium::<T>(T::MaxMembers::get(), false);
		let last = members[members.len() - 1].clone();

		#[extrinsic_call]
		_(RawOrigin::Signed(last), id, COMMITMENT);

		assert!(Consortia::<T>::get(id).is_some_and(|c| c.data.iter().last().copied().flatten().is_some()));
	}

	/// The second side of a pair agrees with the first.
	#[benchmark]
	fn commit_seed() -> Result<(), BenchmarkError> {
		let (_, id, members) = consortium::<T>(T::MaxMembers::get(), false);
		let last = members.len() as MemberIndex - 1;
		PrivateTrainingPallet::<T>::do_commit_seed(members[0].clone(), id, last, COMMITMENT)?;

		#[extrinsic_call]
		_(RawOrigin::Signed(members[last as usize].clone()), id, 0, COMMITMENT);

		assert!(PrivateTrainingPallet::<T>::agreed(&PairSeeds::<T>::get(id, (0, last))).is_some());
		Ok(())
	}

	#[benchmark]
	fn set_privacy_budget() -> Result<(), BenchmarkError> {
		let (_, id, _) = consortium::<T>(T::MaxMembers::get(), false);
		let origin = T::BudgetOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;

		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, id, 4_000_000, DeltaPerQuintillion(10_000_000_000_000));

		assert!(Consortia::<T>::get(id).is_some_and(|c| c.budget.is_some()));
		Ok(())
	}

	#[benchmark]
	fn start_round(m: Linear<{ T::MinMembers::get() }, { T::MaxMembers::get() }>) {
		let (owner, id, _) = consortium::<T>(m, true);

		#[extrinsic_call]
		_(RawOrigin::Signed(owner), id, T::BenchmarkHelper::max_price(), timeout::<T>());

		assert_eq!(Consortia::<T>::get(id).and_then(|c| c.attempt).map(|a| a.jobs.len() as u32), Some(m));
	}

	/// The last update of an `m`-member attempt: the masked sum is added to the parameters.
	#[benchmark]
	fn complete_round(m: Linear<{ T::MinMembers::get() }, { T::MaxMembers::get() }>) -> Result<(), BenchmarkError> {
		let (owner, id, _) = consortium::<T>(m, true);
		PrivateTrainingPallet::<T>::do_start_round(owner, id, T::BenchmarkHelper::max_price(), timeout::<T>())?;
		let jobs = Consortia::<T>::get(id).and_then(|c| c.attempt).map(|a| a.jobs).ok_or(BenchmarkError::Weightless)?;
		for (job, _) in &jobs[..jobs.len() - 1] {
			PrivateTrainingPallet::<T>::do_member_completed(*job, &output::<T>());
		}
		let (last, _) = jobs[jobs.len() - 1];

		#[block]
		{
			PrivateTrainingPallet::<T>::do_member_completed(last, &output::<T>());
		}

		assert_eq!(Consortia::<T>::get(id).map(|c| c.rounds_completed), Some(1));
		Ok(())
	}

	/// A member of an `m`-member attempt drops out: every job is unindexed and, the attempt cap
	/// reached, the round abandoned.
	#[benchmark]
	fn fail_attempt(m: Linear<{ T::MinMembers::get() }, { T::MaxMembers::get() }>) -> Result<(), BenchmarkError> {
		let (owner, id, _) = consortium::<T>(m, true);
		PrivateTrainingPallet::<T>::do_start_round(owner, id, T::BenchmarkHelper::max_price(), timeout::<T>())?;
		Consortia::<T>::mutate(id, |c| {
			if let Some(c) = c {
				c.round_attempts = T::MaxAttemptsPerRound::get();
			}
		});
		let jobs = Consortia::<T>::get(id).and_then(|c| c.attempt).map(|a| a.jobs).ok_or(BenchmarkError::Weightless)?;

		#[block]
		{
			PrivateTrainingPallet::<T>::do_member_refunded(jobs[0].0, pallet_jobs::RefundReason::NoResult);
		}

		assert!(MemberJobs::<T>::iter().next().is_none());
		Ok(())
	}

	/// Closing a consortium with every pair's seeds stored.
	#[benchmark]
	fn close_consortium() {
		let (owner, id, _) = consortium::<T>(T::MaxMembers::get(), true);

		#[extrinsic_call]
		_(RawOrigin::Signed(owner), id);

		assert!(!Consortia::<T>::contains_key(id));
	}

	impl_benchmark_test_suite!(PrivateTrainingPallet, crate::mock::new_test_ext(), crate::mock::Test);
}
