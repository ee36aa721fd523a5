//! Tests of the compute-governance pallet, by concern: requesting (budget, tiers, funding),
//! acting on a verified result (the chosen call and its origin), and kept results.

mod kept_results;
mod request;
mod settlement;

use crate::{mock::*, Action, ActionOf, Clause, Comparison, PredicateOf};
use aichain_compute::Tier;
use frame_support::{traits::StorePreimage, BoundedVec};

/// `remark_with_event(text)`: runs with any signed origin, and tells by its event who ran it.
pub fn remark(text: &[u8]) -> RuntimeCall {
	RuntimeCall::System(frame_system::Call::remark_with_event { remark: text.to_vec() })
}

/// `set_storage(key = value)`: needs root.
pub fn set_storage(key: &[u8], value: &[u8]) -> RuntimeCall {
	RuntimeCall::System(frame_system::Call::set_storage { items: vec![(key.to_vec(), value.to_vec())] })
}

/// A predicate: every `i32` field `index` of the output compared with `value`.
pub fn field(index: u32, comparison: Comparison, value: i32) -> PredicateOf<Test> {
	BoundedVec::truncate_from(vec![Clause::Field { index, comparison, value }])
}

/// Dispatch `if_true` or `if_false` on `predicate`.
pub fn dispatch(predicate: PredicateOf<Test>, if_true: RuntimeCall, if_false: RuntimeCall) -> ActionOf<Test> {
	Action::Dispatch {
		predicate,
		if_true: Preimage::bound(if_true).unwrap(),
		if_false: Preimage::bound(if_false).unwrap(),
	}
}

/// Requests a zk job on [`MODEL`] with `max_price`, as `origin`.
pub fn request(origin: RuntimeOrigin, max_price: u64, action: ActionOf<Test>) -> frame_support::dispatch::DispatchResult {
	ComputeGovernance::request_computation(
		origin,
		MODEL,
		BoundedVec::truncate_from(vec![1, 2, 3, 4]),
		Tier::Zk,
		max_price,
		10,
		Box::new(action),
	)
}

/// The little-endian bytes of `values`: a job's `i32` output.
pub fn output(values: &[i32]) -> Vec<u8> {
	values.iter().flat_map(|v| v.to_le_bytes()).collect()
}

/// The events of the compute-governance pallet so far.
pub fn governance_events() -> Vec<crate::Event<Test>> {
	System::events()
		.into_iter()
		.filter_map(|record| match record.event {
			RuntimeEvent::ComputeGovernance(event) => Some(event),
			_ => None,
		})
		.collect()
}

/// The scheduler's `Dispatched` results so far.
pub fn dispatched() -> Vec<sp_runtime::DispatchResult> {
	System::events()
		.into_iter()
		.filter_map(|record| match record.event {
			RuntimeEvent::Scheduler(pallet_scheduler::Event::Dispatched { result, .. }) => Some(result),
			_ => None,
		})
		.collect()
}

/// Whether `who` has run `remark_with_event(text)`.
pub fn remarked(who: u64, text: &[u8]) -> bool {
	let hash = <Test as frame_system::Config>::Hashing::hash(text);
	System::events().into_iter().any(|record| {
		record.event == RuntimeEvent::System(frame_system::Event::Remarked { sender: who, hash })
	})
}

use sp_runtime::traits::Hash;
