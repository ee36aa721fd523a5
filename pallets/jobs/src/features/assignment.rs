//! Drawing workers for a job (or taking the one a directed job names), holding and releasing them (the worker registry's job count and
//! the [`WorkerJobs`] index move together), and the lookups every call shares.

use crate::{pallet::*, selection, Assignment, JobId, JobStatus};
use alloc::vec::Vec;
use codec::Encode;
use frame_support::pallet_prelude::*;
use frame_system::pallet_prelude::BlockNumberFor;
use pallet_workers::{JobOutcome, WorkerRegistry};
use sp_runtime::traits::Saturating;

impl<T: Config> Pallet<T> {
	/// Draws the workers `job` still needs (never its requester, a current assignee, a worker
	/// that declined it, an optimistic proposer or challenger, or one of `excluded`), holds
	/// them and gives the job a new deadline `now + timeout`. `Ok(false)`: not enough eligible
	/// workers, nothing changed.
	pub(crate) fn try_assign(
		id: JobId,
		job: &mut JobOf<T>,
		now: BlockNumberFor<T>,
		excluded: &[T::AccountId],
	) -> Result<bool, DispatchError> {
		let needed = (Self::workers_needed(job) as usize).saturating_sub(job.assignments.len());
		let proposal = job.proposal.as_ref();
		let is_party = |who: &T::AccountId| {
			*who == job.requester ||
				proposal.is_some_and(|p| {
					p.worker == *who || p.challenge.as_ref().is_some_and(|c| c.challenger == *who)
				})
		};
		let candidates: Vec<(T::AccountId, u128)> = T::Workers::candidates(job.model)
			.into_iter()
			.filter(|(who, _)| {
				!is_party(who) &&
					!excluded.contains(who) &&
					!job.declined.contains(who) &&
					!job.assignments.iter().any(|a| a.worker == *who)
			})
			.collect();
		let seed = (frame_system::Pallet::<T>::parent_hash(), id, job.reassignments)
			.using_encoded(sp_io::hashing::blake2_256);
		let Some(drawn) = selection::draw(candidates, needed, &seed) else { return Ok(false) };
		Self::assign(id, job, now, drawn)?;
		Ok(true)
	}

	/// Whether `worker` may take a job of `model` for `requester` now: it is one of the model's
	/// candidates (active, bonded, fresh heartbeat, serving the model) and not the requester.
	pub(crate) fn can_take_directed(model: crate::ModelId, worker: &T::AccountId, requester: &T::AccountId) -> bool {
		worker != requester && T::Workers::candidates(model).iter().any(|(who, _)| who == worker)
	}

	/// Holds `workers` for `job` and gives it a new deadline `now + timeout`.
	pub(crate) fn assign(
		id: JobId,
		job: &mut JobOf<T>,
		now: BlockNumberFor<T>,
		workers: Vec<T::AccountId>,
	) -> DispatchResult {
		for worker in workers {
			Self::hold_worker(id, &worker);
			job.assignments
				.try_push(Assignment { worker, commitment: None, revealed: None })
				.map_err(|_| Error::<T>::InvalidReplicas)?;
		}
		job.status = JobStatus::Assigned;
		let due = now.saturating_add(job.timeout);
		Self::reschedule(id, job, due);
		let workers = job.assignments.iter().map(|a| a.worker.clone()).collect();
		Self::deposit_event(Event::JobAssigned { job: id, workers, deadline: job.deadline });
		Ok(())
	}

	/// Counts job `id` against `worker` (registry and index).
	pub(crate) fn hold_worker(id: JobId, worker: &T::AccountId) {
		T::Workers::job_assigned(worker);
		WorkerJobs::<T>::insert(worker, id, ());
	}

	/// Ends `worker`'s part in job `id` with `outcome` (registry, reputation and index).
	pub(crate) fn release_worker(id: JobId, worker: &T::AccountId, outcome: JobOutcome) {
		T::Workers::job_finished(worker, outcome);
		WorkerJobs::<T>::remove(worker, id);
	}

	/// Releases every current assignee of `job` without a verdict.
	pub(crate) fn release_assignees(id: JobId, job: &JobOf<T>) {
		for assignment in job.assignments.iter() {
			Self::release_worker(id, &assignment.worker, JobOutcome::Released);
		}
	}

	/// Number of workers the current round of `job` needs.
	pub(crate) fn workers_needed(job: &JobOf<T>) -> u32 {
		job.workers_needed(T::DisputeReplicas::get())
	}

	/// The open job `id`, or why there is none.
	pub(crate) fn open_job(id: JobId) -> Result<JobOf<T>, DispatchError> {
		Jobs::<T>::get(id).ok_or_else(|| {
			if id < NextJobId::<T>::get() { Error::<T>::JobAlreadyFinished } else { Error::<T>::UnknownJob }.into()
		})
	}

	/// The index of `worker` among the job's assignments.
	pub(crate) fn assignment_of(job: &JobOf<T>, worker: &T::AccountId) -> Result<usize, DispatchError> {
		job.assignments
			.iter()
			.position(|a| a.worker == *worker)
			.ok_or_else(|| Error::<T>::NotAssignedWorker.into())
	}
}
