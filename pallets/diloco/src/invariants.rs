//! The pallet's invariants (`try_state`): deposits held as recorded, and the jobs index exactly
//! the running jobs of the trainings' rounds.

#![cfg(any(feature = "try-runtime", test))]

use crate::{pallet::*, Phase, RoundTask};
use frame_support::{ensure, traits::fungible::InspectHold};

impl<T: Config> Pallet<T> {
	/// Invariants: per owner, the held training deposit equals the sum of its trainings';
	/// every running job of a round (a shard still without its change, the outer job) is in
	/// [`TrainingJobs`] under its training and task, and nothing else is; a round's changes
	/// are one per shard.
	pub fn do_try_state() -> Result<(), sp_runtime::TryRuntimeError> {
		let mut per_owner = alloc::collections::btree_map::BTreeMap::<T::AccountId, BalanceOf<T>>::new();
		let mut expected = 0usize;
		for (id, training) in Trainings::<T>::iter() {
			let total = per_owner.entry(training.owner.clone()).or_default();
			*total = sp_runtime::Saturating::saturating_add(*total, training.deposit);
			let shards = training.settings.shards as usize;
			match &training.phase {
				Phase::Shards { jobs, changes } => {
					ensure!(jobs.len() == shards && changes.len() == shards, "one job and one change slot per shard");
					for (shard, (job, change)) in jobs.iter().zip(changes).enumerate() {
						if change.is_none() {
							expected += 1;
							ensure!(
								TrainingJobs::<T>::get(job) == Some((id, RoundTask::Shard(shard as u32))),
								"a shard job awaiting its change is indexed"
							);
						}
					}
				},
				Phase::Outer { job, changes } => {
					expected += 1;
					ensure!(TrainingJobs::<T>::get(job) == Some((id, RoundTask::Outer)), "the outer job is indexed");
					ensure!(changes.len() == shards, "one change per shard");
				},
				Phase::Changes { changes } | Phase::Agreed { changes, .. } =>
					ensure!(changes.len() == shards, "one change per shard"),
				Phase::Idle => {},
			}
		}
		for (owner, total) in per_owner {
			ensure!(
				T::Currency::balance_on_hold(&HoldReason::TrainingDeposit.into(), &owner) == total,
				"held training deposit differs from the sum of the owner's trainings"
			);
		}
		ensure!(TrainingJobs::<T>::iter().count() == expected, "only running jobs are indexed");
		Ok(())
	}
}
