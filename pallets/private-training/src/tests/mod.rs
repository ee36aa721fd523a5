//! Tests of the private-training pallet: every refusal changes nothing, a round's masked
//! outputs sum to the members' updates, dropouts fail the attempt and are excluded from the
//! retry, and every attempt is charged to the privacy budget.
//!
//! This file holds the shared helpers; each concern has its own file.

mod property;
mod rounds;
mod setup;

pub(crate) use crate::{
	mock::*, AttemptFailure, Consortia, DeltaPerQuintillion, Error, Event, GaussianRounds, HoldReason, MemberJobs, PairSeeds,
	PrivacyBudget,
};
pub(crate) use aichain_compute::federated::{member_input, role_between, ROLE_ABSENT};
pub(crate) use frame_support::{
	assert_noop, assert_ok,
	traits::fungible::{Inspect, InspectHold},
	BoundedVec,
};
pub(crate) use frame_system::RawOrigin;

/// The consortium's noise: σ = 200 and the member circuit's Δ² (`private_fl::sensitivity_squared`).
pub(crate) const NOISE: GaussianRounds = GaussianRounds { sensitivity_sq: 7_684, sigma_sq: 40_000 };
/// δ = 10⁻⁵.
pub(crate) const DELTA: DeltaPerQuintillion = DeltaPerQuintillion(10_000_000_000_000);

pub(crate) fn origin(who: u64) -> RuntimeOrigin {
	RawOrigin::Signed(who).into()
}

pub(crate) fn members(list: &[u64]) -> BoundedVec<u64, frame_support::traits::ConstU32<4>> {
	list.to_vec().try_into().unwrap()
}

pub(crate) fn parameters(values: [i32; PARAMETERS]) -> BoundedVec<i32, MaxParameters> {
	values.to_vec().try_into().unwrap()
}

/// Member `i`'s data commitment in these tests.
pub(crate) fn data_of(i: usize) -> [u8; 32] {
	[0x01 + i as u8; 32]
}

/// The seed commitment of pair `(low, high)` in these tests.
pub(crate) fn seed_of(low: usize, high: usize) -> [u8; 32] {
	[0x10 + (4 * low + high) as u8; 32]
}

/// Creates a consortium of the four hospitals from zero parameters.
pub(crate) fn create() -> u32 {
	assert_ok!(PrivateTraining::create_consortium(origin(OWNER), MEMBER_MODEL, members(&HOSPITALS), parameters([0; PARAMETERS]), NOISE));
	crate::NextConsortiumId::<Test>::get() - 1
}

/// Every member commits its data.
pub(crate) fn commit_all_data(id: u32) {
	for (i, worker) in HOSPITALS.iter().enumerate() {
		assert_ok!(PrivateTraining::commit_data(origin(*worker), id, data_of(i)));
	}
}

/// Both sides of every pair commit the same seed commitment.
pub(crate) fn commit_all_seeds(id: u32) {
	for (i, worker) in HOSPITALS.iter().enumerate() {
		for peer in (0..HOSPITALS.len()).filter(|p| *p != i) {
			assert_ok!(PrivateTraining::commit_seed(origin(*worker), id, peer as u8, seed_of(i.min(peer), i.max(peer))));
		}
	}
}

/// Every member commits its data and every pair agrees.
pub(crate) fn commit_all(id: u32) {
	commit_all_data(id);
	commit_all_seeds(id);
}

/// Governance sets a budget of `epsilon` at δ = 10⁻⁵.
pub(crate) fn set_budget(id: u32, epsilon_micro: u64) {
	assert_ok!(PrivateTraining::set_privacy_budget(RawOrigin::Root.into(), id, epsilon_micro, DELTA));
}

/// A consortium ready for rounds, with a budget of ε = 10.
pub(crate) fn ready() -> u32 {
	let id = create();
	commit_all(id);
	set_budget(id, 10_000_000);
	id
}

/// The running attempt's jobs and their members.
pub(crate) fn attempt_jobs(id: u32) -> Vec<(u64, u8)> {
	Consortia::<Test>::get(id).unwrap().attempt.unwrap().jobs.into_inner()
}

/// The pair masks of these tests: a different word per pair and parameter.
pub(crate) fn mask(low: usize, high: usize, j: usize) -> u32 {
	0x9e37_79b9u32.wrapping_mul((16 * low + 4 * high + j + 1) as u32)
}

/// Member `member`'s masked output for `update`, with masks of the `active` members.
pub(crate) fn masked_output(member: usize, update: [i32; PARAMETERS], active: &[usize]) -> Vec<u8> {
	let words: Vec<u32> = (0..PARAMETERS)
		.map(|j| {
			active.iter().filter(|p| **p != member).fold(update[j] as u32, |acc, peer| {
				let word = mask(member.min(*peer), member.max(*peer), j);
				if member < *peer { acc.wrapping_add(word) } else { acc.wrapping_sub(word) }
			})
		})
		.collect();
	words.iter().flat_map(|w| w.to_le_bytes()).collect()
}

pub(crate) fn held(who: u64) -> u64 {
	Balances::balance_on_hold(&HoldReason::ConsortiumDeposit.into(), &who)
}
