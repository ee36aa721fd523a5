//! The pallet's invariants (`try_state`, checked after every unit test).

use crate::pallet::*;
#[cfg(any(feature = "try-runtime", test))]
use frame_support::pallet_prelude::*;

impl<T: Config> Pallet<T> {
	/// Invariants:
	/// - per owner, the held deposit is the sum of its consortia's deposits;
	/// - a consortium's id is below [`NextConsortiumId`] (attempt nonces are unique on chain);
	/// - it has one data slot per member, at least `MinMembers` members of whom at least
	///   `MinMembers` are not excluded, distinct excluded members, at most `MaxAttemptsPerRound`
	///   attempts in its round, and `attempts_spent ≥ rounds_completed + round_attempts`;
	/// - a running attempt has the nonce of the last attempt charged, one job per active member
	///   (and no other), one output slot per job, each output of the parameters' size, and
	///   exactly the jobs still awaited are indexed in [`MemberJobs`] (nothing else is);
	/// - pairs are stored only for existing consortia, between distinct members in order.
	#[cfg(any(feature = "try-runtime", test))]
	pub fn do_try_state() -> Result<(), sp_runtime::TryRuntimeError> {
		use frame_support::traits::fungible::InspectHold;
		let mut per_owner = alloc::collections::btree_map::BTreeMap::<T::AccountId, BalanceOf<T>>::new();
		let mut awaited = 0usize;
		for (id, consortium) in Consortia::<T>::iter() {
			let total = per_owner.entry(consortium.owner.clone()).or_default();
			*total = sp_runtime::Saturating::saturating_add(*total, consortium.deposit);
			ensure!(id < NextConsortiumId::<T>::get(), "ids are below the next id");
			ensure!(consortium.data.len() == consortium.members.len(), "one data slot per member");
			let active = consortium.members.len().saturating_sub(consortium.excluded.len());
			ensure!(active as u32 >= T::MinMembers::get(), "enough active members");
			ensure!(
				consortium.attempts_spent >= consortium.rounds_completed.saturating_add(consortium.round_attempts),
				"every attempt was charged"
			);
			ensure!(consortium.members.len() as u32 >= T::MinMembers::get(), "enough members");
			ensure!(consortium.round_attempts <= T::MaxAttemptsPerRound::get(), "attempts within the cap");
			ensure!(
				consortium.excluded.iter().enumerate().all(|(i, m)| {
					(*m as usize) < consortium.members.len() && !consortium.excluded[..i].contains(m)
				}),
				"excluded members are distinct members"
			);
			let Some(attempt) = consortium.attempt else { continue };
			ensure!(
				attempt.nonce == Self::nonce(id, consortium.attempts_spent.saturating_sub(1)),
				"the running attempt has the last charged nonce"
			);
			ensure!(attempt.jobs.len() == active && attempt.jobs.len() == attempt.outputs.len(), "one job and slot per active member");
			ensure!(
				attempt.outputs.iter().flatten().all(|words| words.len() == consortium.parameters.len()),
				"outputs are of the parameters' size"
			);
			for (i, ((job, member), output)) in attempt.jobs.iter().zip(&attempt.outputs).enumerate() {
				ensure!(!consortium.excluded.contains(member), "an attempt's members are active");
				ensure!(!attempt.jobs[..i].iter().any(|(_, m)| m == member), "one job per member");
				if output.is_none() {
					awaited += 1;
					ensure!(MemberJobs::<T>::get(job) == Some((id, *member)), "an awaited job is indexed");
				}
			}
		}
		ensure!(MemberJobs::<T>::iter().count() == awaited, "only awaited jobs are indexed");
		for (owner, total) in per_owner {
			ensure!(
				T::Currency::balance_on_hold(&HoldReason::ConsortiumDeposit.into(), &owner) == total,
				"held deposit differs from the sum of the owner's consortia"
			);
		}
		for (id, (low, high), _) in PairSeeds::<T>::iter() {
			let consortium = Consortia::<T>::get(id).ok_or("a pair of a closed consortium")?;
			ensure!(low < high && (high as usize) < consortium.members.len(), "a pair of distinct members, in order");
		}
		Ok(())
	}
}
