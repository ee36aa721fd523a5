//! Benchmarks of the compute-governance pallet, each in its worst case:
//!
//! - `request_computation`: the largest input and a [`Action::Dispatch`] of `MaxClauses`
//!   clauses whose two calls are preimages (each held). It includes one zk submission to the
//!   job market, whose own worst case (`JobSubmitter::submit_weight`) the call's weight adds.
//! - `settle_dispatch`: the job's end when the predicate of `MaxClauses` output-hash clauses
//!   over the largest output holds: the request account emptied into the treasury, the other
//!   preimage dropped, and the chosen one scheduled into an agenda with one free place left
//!   behind `MaxScheduledPerBlock - 1` others.
//! - `settle_keep`: the job's end when the largest output is kept.
//! - `enact_if`: `MaxClauses` output-hash clauses over the largest kept output, then a remark
//!   (the dispatched call's own weight is added by the call's weight).
//! - `remove_expired_result` and `set_model_approval`.

use super::*;
use crate::{benchmark_helper::BenchmarkHelper as _, Pallet as ComputeGovernance};
use alloc::{boxed::Box, vec, vec::Vec};
use frame_benchmarking::v2::*;
use frame_support::{
	traits::{
		fungible::Mutate,
		schedule::{v3::Anon as ScheduleAnon, DispatchTime, LOWEST_PRIORITY},
		EnsureOrigin, Get, OriginTrait, StorePreimage,
	},
	BoundedVec,
};
use frame_system::{pallet_prelude::BlockNumberFor, RawOrigin};
use sp_runtime::traits::{Bounded as _, One, Zero};

/// Funds the treasury far beyond any request.
fn fund_treasury<T: Config>() {
	T::Currency::set_balance(&T::Treasury::get(), BalanceOf::<T>::max_value() / 1_000_000u32.into());
}

/// A price every benchmark model accepts, far below the treasury's funds.
fn max_price<T: Config>() -> BalanceOf<T> {
	BalanceOf::<T>::max_value() / 1_000_000_000u32.into()
}

/// The largest output, every byte set.
fn largest_output<T: Config>() -> Vec<u8> {
	vec![0x5a; T::MaxOutputLen::get() as usize]
}

/// `MaxClauses` clauses that all hold for `output`, each hashing all of it.
fn hash_predicate<T: Config>(output: &[u8]) -> PredicateOf<T> {
	let hash = sp_io::hashing::blake2_256(output);
	BoundedVec::truncate_from(vec![Clause::OutputHashEquals(hash); T::MaxClauses::get() as usize])
}

/// A remark of `len` bytes, stored as a preimage (a `Lookup`) when longer than an inline call.
fn remark<T: Config>(len: usize) -> BoundedCallOf<T> {
	let call: CallOf<T> = frame_system::Call::<T>::remark { remark: vec![1u8; len] }.into();
	T::Preimages::bound(call).expect("a remark's preimage is stored; qed")
}

/// A dispatch action over the largest output whose calls are both preimages.
fn dispatch_action<T: Config>() -> ActionOf<T> {
	Action::Dispatch { predicate: hash_predicate::<T>(&largest_output::<T>()), if_true: remark::<T>(200), if_false: remark::<T>(201) }
}

/// What a request needs: a funded treasury, the successful request origin and its budget, an
/// approved model taking the largest input, that input, and a price within the budget.
struct RequestArgs<T: Config> {
	origin: T::RuntimeOrigin,
	budget: BalanceOf<T>,
	model: ModelId,
	input: Vec<u8>,
	max_price: BalanceOf<T>,
}

fn request_args<T: Config>() -> Result<RequestArgs<T>, BenchmarkError> {
	fund_treasury::<T>();
	let origin = T::RequestOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
	let budget = T::RequestOrigin::ensure_origin(origin.clone()).map_err(|_| BenchmarkError::Weightless)?;
	let input_len = T::MaxInputLen::get();
	let model = T::BenchmarkHelper::model(input_len);
	ApprovedModels::<T>::insert(model, ());
	Ok(RequestArgs { origin, budget, model, input: vec![3u8; input_len as usize], max_price: max_price::<T>().min(budget) })
}

/// A request posted by the successful request origin, with `action`; returns its id and job.
fn request<T: Config>(action: ActionOf<T>) -> Result<(RequestId, JobId), BenchmarkError> {
	let args = request_args::<T>()?;
	let timeout = T::BenchmarkHelper::timeout();
	let id = ComputeGovernance::<T>::do_request(
		args.origin.into_caller(), args.budget, args.model, args.input, Tier::Zk, args.max_price, timeout, action,
	)?;
	let job = Requests::<T>::get(id).ok_or(BenchmarkError::Stop("the request is stored"))?.job;
	Ok((id, job))
}

/// Fills the agenda of the block a settled call is scheduled for, leaving one free place.
fn fill_next_agenda<T: Config>() {
	let origin = T::RuntimeOrigin::root().into_caller();
	let mut last = None;
	for _ in 0..10_000 {
		match T::Scheduler::schedule(DispatchTime::After(Zero::zero()), None, LOWEST_PRIORITY, origin.clone(), remark::<T>(1)) {
			Ok(address) => last = Some(address),
			Err(_) => break,
		}
	}
	if let Some(address) = last {
		let _ = T::Scheduler::cancel(address);
	}
}

/// Keeps the largest output for request `id` until block `expires_at`.
fn keep_result<T: Config>(id: RequestId, expires_at: BlockNumberFor<T>) {
	let output = BoundedVec::truncate_from(largest_output::<T>());
	Results::<T>::insert(id, StoredResult { job: 0, model: 0, output, expires_at });
	Slots::<T>::mutate(|slots| *slots = slots.saturating_add(1));
}

#[benchmarks]
mod benchmarks {
	use super::*;

	#[benchmark]
	fn request_computation() -> Result<(), BenchmarkError> {
		let RequestArgs { origin, model, input, max_price, .. } = request_args::<T>()?;
		let input = BoundedVec::truncate_from(input);
		let (timeout, action) = (T::BenchmarkHelper::timeout(), Box::new(dispatch_action::<T>()));

		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, model, input, Tier::Zk, max_price, timeout, action);

		assert_eq!(Slots::<T>::get(), 1);
		assert!(Requests::<T>::contains_key(0));
		Ok(())
	}

	#[benchmark]
	fn settle_dispatch() -> Result<(), BenchmarkError> {
		let (id, job) = request::<T>(dispatch_action::<T>())?;
		fill_next_agenda::<T>();
		let output = largest_output::<T>();

		#[block]
		{
			ComputeGovernance::<T>::do_settle(job, Some(&output));
		}

		assert!(!Requests::<T>::contains_key(id));
		assert_eq!(Slots::<T>::get(), 0);
		Ok(())
	}

	#[benchmark]
	fn settle_keep() -> Result<(), BenchmarkError> {
		let (id, job) = request::<T>(Action::Keep { blocks: T::MaxRetention::get() })?;
		let output = largest_output::<T>();

		#[block]
		{
			ComputeGovernance::<T>::do_settle(job, Some(&output));
		}

		assert_eq!(Results::<T>::get(id).map(|kept| kept.output.into_inner()), Some(output));
		Ok(())
	}

	#[benchmark]
	fn enact_if() {
		keep_result::<T>(0, BlockNumberFor::<T>::max_value());
		let predicate = hash_predicate::<T>(&largest_output::<T>());
		let call: CallOf<T> = frame_system::Call::<T>::remark { remark: Vec::new() }.into();
		let caller: T::AccountId = whitelisted_caller();

		#[extrinsic_call]
		_(RawOrigin::Signed(caller), 0, predicate, Box::new(call));
	}

	#[benchmark]
	fn remove_expired_result() {
		keep_result::<T>(0, One::one());
		frame_system::Pallet::<T>::set_block_number(2u32.into());
		let caller: T::AccountId = whitelisted_caller();

		#[extrinsic_call]
		_(RawOrigin::Signed(caller), 0);

		assert!(!Results::<T>::contains_key(0));
	}

	#[benchmark]
	fn set_model_approval() -> Result<(), BenchmarkError> {
		let origin = T::ModelAdminOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;

		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, 9, true);

		assert!(ApprovedModels::<T>::contains_key(9));
		Ok(())
	}

	impl_benchmark_test_suite!(ComputeGovernance, crate::mock::new_test_ext(), crate::mock::Test);
}
