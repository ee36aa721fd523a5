//! A worker giving back a job it cannot serve: no slash, a replacement if one is left, and
//! otherwise a refund in which the requester, not the worker, pays the fee.

use crate::{pallet::*, JobId, JobStatus, RefundReason};
use frame_support::pallet_prelude::*;
use pallet_workers::JobOutcome;
use sp_runtime::traits::Saturating;

impl<T: Config> Pallet<T> {
	/// `worker` declines job `id`; see [`Pallet::decline_job`].
	pub fn do_decline_job(worker: T::AccountId, id: JobId) -> DispatchResult {
		let mut job = Self::open_job(id)?;
		ensure!(job.status == JobStatus::Assigned, Error::<T>::WrongPhase);
		let index = Self::assignment_of(&job, &worker)?;
		ensure!(job.assignments[index].commitment.is_none(), Error::<T>::AlreadyCommitted);
		job.assignments.remove(index);
		// Bounded: every decline either uses one of `MaxReassignments < MaxReplicas`
		// reassignments or ends the job (checked in `integrity_test`).
		job.declined.try_push(worker.clone()).map_err(|_| Error::<T>::InvalidReplicas)?;
		Self::release_worker(id, &worker, JobOutcome::Released);
		Self::deposit_event(Event::JobDeclined { job: id, worker: worker.clone() });
		if job.reassignments < T::MaxReassignments::get() {
			job.reassignments.saturating_inc();
			let now = frame_system::Pallet::<T>::block_number();
			if Self::try_assign(id, &mut job, now, &[])? {
				Jobs::<T>::insert(id, job);
				return Ok(());
			}
		}
		Self::release_assignees(id, &job);
		Self::abandon(id, job, RefundReason::Declined)
	}
}
