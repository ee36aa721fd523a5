//! Deadlines: the schedule of open phases ([`Deadlines`], a set per block) and the
//! `on_initialize` work: ending due phases (at most `MaxJobsPerBlock` a block, oldest first,
//! the rest delayed, never dropped) and retrying pending jobs.

use crate::{pallet::*, weights::WeightInfo, JobId, JobStatus, OnJobCompleted, RefundReason, Tier};
use alloc::vec::Vec;
use frame_support::{pallet_prelude::*, BoundedVec};
use frame_system::pallet_prelude::BlockNumberFor;
use pallet_models::ModelRegistry;
use pallet_zk_verifier::Verifier;
use sp_runtime::traits::{One, Saturating};

impl<T: Config> Pallet<T> {
	/// Moves `job`'s entry in the schedule to block `at` (never before the next block: the
	/// cursor may already have passed this one) and sets its deadline. Infallible and
	/// idempotent: a job has at most one entry, under its deadline.
	pub(crate) fn reschedule(id: JobId, job: &mut JobOf<T>, at: BlockNumberFor<T>) {
		let next_block = frame_system::Pallet::<T>::block_number().saturating_add(One::one());
		let at = at.max(next_block);
		Deadlines::<T>::remove(job.deadline, id);
		Deadlines::<T>::insert(at, id, ());
		job.deadline = at;
	}

	/// Ends at most `MaxJobsPerBlock` due phases, oldest deadline first from
	/// [`DeadlineCursor`]; what is left waits for the next block.
	pub(crate) fn process_deadlines(now: BlockNumberFor<T>) -> Weight {
		let budget = T::MaxJobsPerBlock::get();
		let mut cursor = DeadlineCursor::<T>::get().unwrap_or(now);
		let (mut ended, mut buckets) = (0u32, 0u32);
		// Each pass reads one block's bucket; empty buckets behind a backlog are skipped at
		// most `budget + 1` a block, so the cursor always catches up.
		while cursor <= now && ended < budget && buckets <= budget {
			buckets += 1;
			let room = (budget - ended) as usize;
			let due: Vec<JobId> = Deadlines::<T>::iter_key_prefix(cursor).take(room + 1).collect();
			let more_left = due.len() > room;
			for id in due.into_iter().take(room) {
				Deadlines::<T>::remove(cursor, id);
				Self::end_phase(id, now);
				ended += 1;
			}
			if more_left {
				break;
			}
			cursor = cursor.saturating_add(One::one());
		}
		DeadlineCursor::<T>::put(cursor);
		Self::deadlines_weight(ended, buckets)
	}

	/// The weight of ending `ended` due phases after reading `buckets` buckets: every due job
	/// may complete (an optimistic job's window closing, a reveal phase ending) and slash up to
	/// `MaxReplicas` workers, each of whom may then be evicted.
	fn deadlines_weight(ended: u32, buckets: u32) -> Weight {
		// A sealed job's check for missing keys reads its keys and its assignees' published
		// keys (`keys_missing`), which the benchmark's unsealed jobs do not.
		let sealed_checks = T::DbWeight::get().reads(1 + T::MaxReplicas::get() as u64).saturating_mul(ended as u64);
		T::WeightInfo::on_initialize_deadlines(ended)
			.saturating_add(sealed_checks)
			.saturating_add(T::OnJobCompleted::weight().saturating_mul(ended as u64))
			.saturating_add(Self::max_evictions_weight().saturating_mul(ended as u64))
			.saturating_add(T::DbWeight::get().reads_writes(buckets as u64 + 1, 1))
	}

	/// The most `on_initialize` can weigh: `MaxJobsPerBlock` due phases, each completing a job
	/// and slashing (and evicting) `MaxReplicas` workers, after reading `MaxJobsPerBlock + 1`
	/// buckets, then a full pending queue, all assigned.
	pub fn worst_case_on_initialize() -> Weight {
		let due = T::MaxJobsPerBlock::get();
		Self::deadlines_weight(due, due.saturating_add(1))
			.saturating_add(Self::pending_weight(T::MaxPendingJobs::get()))
	}

	/// The weight of retrying `queued` pending jobs: each may be refunded (calling
	/// `OnJobCompleted::on_job_refunded`).
	fn pending_weight(queued: u32) -> Weight {
		T::WeightInfo::on_initialize_pending(queued)
			.saturating_add(T::OnJobCompleted::weight().saturating_mul(queued as u64))
	}

	/// What evicting every worker one job can slash may cost (`MaxReplicas` evictions): the
	/// benchmarks slash workers bonded far above the minimum, so this is added to them.
	pub(crate) fn max_evictions_weight() -> Weight {
		use pallet_workers::WorkerRegistry;
		T::Workers::eviction_weight().saturating_mul(T::MaxReplicas::get() as u64)
	}

	/// Ends the phase of job `id` that was due. If settling fails (a refused transfer), the job
	/// is ended without a verdict and everything returned; it is never dropped.
	fn end_phase(id: JobId, now: BlockNumberFor<T>) {
		let Some(job) = Jobs::<T>::get(id) else { return };
		let settled = frame_support::storage::with_storage_layer(|| Self::deadline_passed(id, job.clone(), now));
		let Err(error) = settled else { return };
		log::error!(target: "runtime::jobs", "deadline of job {id} not settled: {error:?}; refunding");
		let refunded = frame_support::storage::with_storage_layer(|| {
			Self::release_assignees(id, &job);
			Self::abandon(id, job.clone(), RefundReason::SettlementFailed)
		});
		if let Err(error) = refunded {
			log::error!(target: "runtime::jobs", "job {id} not refunded: {error:?}; retrying next block");
			let mut job = job;
			Self::reschedule(id, &mut job, now.saturating_add(One::one()));
			Jobs::<T>::insert(id, job);
		}
	}

	/// Whether the chain can still verify and pay a result of `job`: its model is active and,
	/// for the zk tier, its key is registered. Otherwise no worker is to blame.
	fn model_serviceable(job: &JobOf<T>) -> bool {
		T::Models::active_model(job.model).is_some() &&
			(job.tier != Tier::Zk || job.terms.verifying_key.is_some_and(|key| T::Verifier::public_inputs_of(&key).is_some()))
	}

	/// A phase of job `id` ended at `now`. Assigned, a sealed job whose requester did not
	/// send every worker the key: refunded, the requester paying the fee. Assigned: workers without a result (zk) or a
	/// commitment (redundancy) are slashed and replaced if possible, otherwise the job is
	/// refunded; nobody is slashed if the model can no longer be served. Revealing: the reveals
	/// so far decide. Challengeable: the unchallenged proposal is accepted.
	fn deadline_passed(id: JobId, mut job: JobOf<T>, now: BlockNumberFor<T>) -> DispatchResult {
		match job.status {
			JobStatus::Pending => Ok(()),
			JobStatus::Revealing => Self::finish_redundancy(id, job),
			JobStatus::Challengeable => {
				let proposal = job.proposal.clone().ok_or(Error::<T>::WrongPhase)?;
				Self::complete(id, job, proposal.output, alloc::vec![proposal.worker]).map(|_| ())
			},
			JobStatus::Assigned if !Self::model_serviceable(&job) => {
				Self::release_assignees(id, &job);
				Self::abandon(id, job, RefundReason::ModelUnavailable)
			},
			JobStatus::Assigned if Self::keys_missing(id, &job) => {
				Self::release_assignees(id, &job);
				Self::abandon(id, job, RefundReason::KeysNotPosted)
			},
			JobStatus::Assigned => {
				let (stayed, no_shows): (Vec<_>, Vec<_>) =
					job.assignments.iter().cloned().partition(|a| a.commitment.is_some());
				let no_shows: Vec<T::AccountId> = no_shows.into_iter().map(|a| a.worker).collect();
				for worker in &no_shows {
					Self::slash_worker(id, worker);
				}
				job.assignments = BoundedVec::truncate_from(stayed);
				if job.reassignments < T::MaxReassignments::get() {
					job.reassignments.saturating_inc();
					if Self::try_assign(id, &mut job, now, &no_shows)? {
						Jobs::<T>::insert(id, job);
						return Ok(());
					}
				}
				Self::release_assignees(id, &job);
				Self::abandon(id, job, RefundReason::NoResult)
			},
		}
	}

	/// Retries the pending jobs: assigns those that now find workers, refunds those past their
	/// deadline (the requester pays the fee: the job held a queue slot).
	pub(crate) fn process_pending(now: BlockNumberFor<T>) -> Weight {
		let queue = PendingJobs::<T>::get();
		if queue.is_empty() {
			return Self::pending_weight(0);
		}
		let mut still_pending = Vec::new();
		for id in queue.iter().copied() {
			let Some(mut job) = Jobs::<T>::get(id) else { continue };
			let result = frame_support::storage::with_storage_layer(|| {
				if now >= job.deadline {
					Self::refund(id, job, RefundReason::NotAssigned).map(|_| true)
				} else if Self::try_assign(id, &mut job, now, &[])? {
					Jobs::<T>::insert(id, job);
					Ok(true)
				} else {
					Ok(false)
				}
			});
			match result {
				Ok(true) => {},
				Ok(false) => still_pending.push(id),
				Err(error) => {
					log::error!(target: "runtime::jobs", "pending job {id} not processed: {error:?}");
					still_pending.push(id);
				},
			}
		}
		PendingJobs::<T>::put(BoundedVec::truncate_from(still_pending));
		Self::pending_weight(queue.len() as u32)
	}
}
