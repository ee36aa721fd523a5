//! The jobs pallet's invariants, checked by `try_state` after every block of a try-runtime
//! node and by every test.

use crate::{pallet::*, JobId, JobStatus, Tier};
use alloc::{collections::btree_map::BTreeMap, collections::btree_set::BTreeSet};
use frame_support::{pallet_prelude::*, traits::fungible::InspectHold};
use pallet_workers::WorkerRegistry;
use sp_runtime::Saturating;

impl<T: Config> Pallet<T> {
	/// Invariants:
	/// - the escrow held from each requester equals the sum of its open jobs' escrows, and the
	///   challenge bond held from each account the sum of its open challenges;
	/// - every pending job is in the pending queue once and not scheduled; every other open
	///   job has exactly one entry in [`Deadlines`], under its deadline, and no entry lies
	///   behind [`DeadlineCursor`] unprocessed for more than the backlog allows (every entry is
	///   at or after the cursor): no job can fall out of the schedule;
	/// - the schedule and the queue name only open jobs;
	/// - [`WorkerJobs`] holds exactly each job's assignees and optimistic proposer, and each
	///   worker's count of held jobs equals its entries;
	/// - only optimistic jobs have proposals, and a job awaiting challenges has no assignments;
	/// - exactly the open jobs with an empty inline input have a [`BlobInputs`] entry, and
	///   none of them is zk;
	/// - exactly the open jobs with a zero output limit have a [`BlobOutputs`] entry; they are
	///   redundancy jobs with blob inputs, with one [`Sketches`] entry per distinct revealed
	///   output (none for a sealed job);
	/// - only open blob-output jobs are sealed ([`SealedJobs`]), with at most one key per
	///   worker.
	pub fn do_try_state() -> Result<(), sp_runtime::TryRuntimeError> {
		let mut escrow = BTreeMap::<T::AccountId, BalanceOf<T>>::new();
		let mut challenge_bonds = BTreeMap::<T::AccountId, BalanceOf<T>>::new();
		let mut holders = BTreeSet::<(T::AccountId, JobId)>::new();
		let mut scheduled = BTreeMap::<JobId, u32>::new();
		let cursor = DeadlineCursor::<T>::get();
		for (block, id, ()) in Deadlines::<T>::iter() {
			let job = Jobs::<T>::get(id).ok_or("the schedule names a finished job")?;
			ensure!(job.deadline == block, "job scheduled under another block than its deadline");
			ensure!(cursor.is_none_or(|c| block >= c), "a scheduled job lies behind the cursor");
			*scheduled.entry(id).or_default() += 1;
		}
		let pending = PendingJobs::<T>::get();
		for (id, job) in Jobs::<T>::iter() {
			ensure!(id < NextJobId::<T>::get(), "job id not below NextJobId");
			let total = escrow.entry(job.requester.clone()).or_default();
			*total = total.saturating_add(job.terms.escrow);
			for assignment in job.assignments.iter() {
				ensure!(holders.insert((assignment.worker.clone(), id)), "a worker assigned twice to a job");
			}
			if let Some(proposal) = &job.proposal {
				ensure!(job.tier == Tier::Optimistic, "proposal on a job that is not optimistic");
				ensure!(holders.insert((proposal.worker.clone(), id)), "the proposer is also a dispute worker");
				if let Some(challenge) = &proposal.challenge {
					let total = challenge_bonds.entry(challenge.challenger.clone()).or_default();
					*total = total.saturating_add(challenge.bond);
				}
			}
			if job.status == JobStatus::Challengeable {
				ensure!(job.proposal.is_some() && job.assignments.is_empty(), "challengeable job without a lone proposal");
			}
			ensure!(job.input.is_empty() == BlobInputs::<T>::contains_key(id), "a job's input is inline or a blob");
			ensure!(!(job.input.is_empty() && job.tier == Tier::Zk), "a blob job is not zk");
			ensure!(job.has_blob_output() == BlobOutputs::<T>::contains_key(id), "a job's output is inline or a blob");
			if job.has_blob_output() {
				ensure!(job.input.is_empty(), "a blob-output job has a blob input");
				ensure!(matches!(job.tier, Tier::Redundancy { .. }), "a blob-output job is on the redundancy tier");
				let sketches = Sketches::<T>::iter_key_prefix(id).count();
				let expected = if Self::is_sealed(id) { 0 } else { job.revealed.len() };
				ensure!(sketches == expected, "one sketch per distinct revealed (unsealed) blob output");
			}
			let queued = pending.iter().filter(|j| **j == id).count();
			let entries = scheduled.get(&id).copied().unwrap_or(0);
			if job.status == JobStatus::Pending {
				ensure!(queued == 1 && entries == 0, "pending job not exactly once in the pending queue");
				ensure!(job.assignments.is_empty(), "pending job with workers");
			} else {
				ensure!(queued == 0 && entries == 1, "open job not scheduled exactly once");
			}
		}
		ensure!(pending.iter().all(|id| Jobs::<T>::contains_key(id)), "pending queue names a finished job");
		for id in BlobInputs::<T>::iter_keys() {
			ensure!(Jobs::<T>::contains_key(id), "a blob input of a finished job is left");
		}
		for id in BlobOutputs::<T>::iter_keys().chain(Sketches::<T>::iter_keys().map(|(id, _)| id)) {
			ensure!(Jobs::<T>::contains_key(id), "a blob output's limits or sketch of a finished job is left");
		}
		for (id, sealed) in SealedJobs::<T>::iter() {
			let job = Jobs::<T>::get(id).ok_or("the keys of a finished sealed job are left")?;
			ensure!(job.has_blob_output(), "a sealed job answers with a blob");
			let workers: BTreeSet<&T::AccountId> = sealed.keys.iter().map(|(who, _)| who).collect();
			ensure!(workers.len() == sealed.keys.len(), "one key per worker of a sealed job");
		}
		for (requester, total) in escrow {
			ensure!(
				T::Currency::balance_on_hold(&HoldReason::JobEscrow.into(), &requester) == total,
				"held escrow differs from the sum of the requester's open jobs"
			);
		}
		for (challenger, total) in challenge_bonds {
			ensure!(
				T::Currency::balance_on_hold(&HoldReason::ChallengeBond.into(), &challenger) == total,
				"held challenge bond differs from the sum of the account's open challenges"
			);
		}
		let indexed: BTreeSet<(T::AccountId, JobId)> =
			WorkerJobs::<T>::iter().map(|(worker, id, ())| (worker, id)).collect();
		ensure!(indexed == holders, "the worker index differs from the jobs' workers");
		let mut held_jobs = BTreeMap::<T::AccountId, u32>::new();
		for (worker, _) in holders {
			*held_jobs.entry(worker).or_default() += 1;
		}
		for (worker, count) in held_jobs {
			ensure!(T::Workers::active_jobs(&worker) == count, "worker's job count differs from its assignments");
		}
		Ok(())
	}
}
