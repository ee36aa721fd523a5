//! How a job ends: paying an accepted output, refunding, and slashing. Completion never
//! depends on a third party's account: a payment the currency refuses (a reaped model owner
//! receiving less than the existential deposit, say) stays with the requester.

use crate::{pallet::*, JobId, JobStatus, OnJobCompleted, RefundReason};
use aichain_compute::OnVerifiedWork;
use alloc::vec::Vec;
use frame_support::{
	pallet_prelude::*,
	traits::{
		fungible::MutateHold,
		tokens::{Fortitude, Precision, Restriction},
	},
};
use pallet_workers::{JobOutcome, WorkerRegistry};
use sp_runtime::{
	traits::{Saturating, Zero},
	Permill,
};

impl<T: Config> Pallet<T> {
	/// Slashes `worker` for job `id` to the workers' slash beneficiary and ends its part in the
	/// job as a failure.
	pub(crate) fn slash_worker(id: JobId, worker: &T::AccountId) {
		let amount = T::Workers::slash(worker, T::SlashAmount::get());
		Self::release_worker(id, worker, JobOutcome::Failed);
		Self::deposit_event(Event::WorkerSlashed { job: id, worker: worker.clone(), amount });
	}

	/// Moves `amount` of the requester's escrow to `to`; returns what was moved: everything,
	/// or nothing if the currency refused (then it stays held for the requester's refund).
	pub(crate) fn pay(requester: &T::AccountId, to: &T::AccountId, amount: BalanceOf<T>) -> BalanceOf<T> {
		if amount.is_zero() {
			return amount;
		}
		frame_support::storage::with_storage_layer(|| {
			T::Currency::transfer_on_hold(
				&HoldReason::JobEscrow.into(),
				requester,
				to,
				amount,
				Precision::Exact,
				Restriction::Free,
				Fortitude::Polite,
			)
		})
		.unwrap_or_else(|_| Zero::zero())
	}

	/// Pays an accepted output from escrow — each of `winners` its price minus the royalty, the
	/// model owner the royalties, the fee collector the fee — refunds the rest (and anything
	/// the currency refused to pay) to the requester, removes the job and calls
	/// `OnJobCompleted`; returns the weight the completion hook used.
	pub(crate) fn complete(
		id: JobId,
		job: JobOf<T>,
		output: OutputOf<T>,
		winners: Vec<T::AccountId>,
	) -> Result<Weight, DispatchError> {
		let terms = &job.terms;
		let royalty_each = Permill::from_parts(terms.royalty_bps as u32 * 100) * terms.price_per_worker;
		let worker_payment = terms.price_per_worker.saturating_sub(royalty_each);
		let mut paid = BalanceOf::<T>::zero();
		for worker in &winners {
			let payment = Self::pay(&job.requester, worker, worker_payment);
			paid = paid.saturating_add(payment);
			Self::release_worker(id, worker, JobOutcome::Completed);
			T::OnVerifiedWork::on_verified_work(worker, payment);
		}
		let royalty = Self::pay(
			&job.requester,
			&terms.model_owner,
			royalty_each.saturating_mul((winners.len() as u32).into()),
		);
		let fee = Self::pay(&job.requester, &T::FeeCollector::get(), terms.fee);
		let refund = terms.escrow.saturating_sub(paid.saturating_add(royalty).saturating_add(fee));
		if !refund.is_zero() {
			T::Currency::release(&HoldReason::JobEscrow.into(), &job.requester, refund, Precision::Exact)?;
		}
		Self::remove_job(id, &job);
		let hook = T::OnJobCompleted::on_job_completed(id, job.model, &job.requester, &output);
		Self::deposit_event(Event::JobCompleted { job: id, output, workers: winners, worker_payment, royalty, fee, refund });
		Ok(hook)
	}

	/// Returns the escrow of `job` to its requester — all of it, or all but the fee when the
	/// `reason` keeps it ([`RefundReason::keeps_fee`]) — removes the job and calls
	/// `OnJobCompleted::on_job_refunded`. Workers' outcomes
	/// must have been recorded by the caller.
	pub(crate) fn refund(id: JobId, job: JobOf<T>, reason: RefundReason) -> DispatchResult {
		let fee = if reason.keeps_fee() {
			Self::pay(&job.requester, &T::FeeCollector::get(), job.terms.fee)
		} else {
			Zero::zero()
		};
		let amount = job.terms.escrow.saturating_sub(fee);
		T::Currency::release(&HoldReason::JobEscrow.into(), &job.requester, amount, Precision::Exact)?;
		Self::remove_job(id, &job);
		Self::deposit_event(Event::JobRefunded { job: id, reason, amount, fee });
		T::OnJobCompleted::on_job_refunded(id, job.model, &job.requester, reason);
		Ok(())
	}

	/// Takes an ending job out of storage and out of the schedule or the pending queue.
	fn remove_job(id: JobId, job: &JobOf<T>) {
		if job.status == JobStatus::Pending {
			PendingJobs::<T>::mutate(|queue| queue.retain(|j| *j != id));
		} else {
			Deadlines::<T>::remove(job.deadline, id);
		}
		// Only blob jobs have an empty inline input (every other input is checked non-empty);
		// they paid for this removal when submitted.
		if job.input.is_empty() {
			BlobInputs::<T>::remove(id);
		}
		// Likewise for blob-output jobs' limits and sketches (one per distinct output).
		if job.has_blob_output() {
			BlobOutputs::<T>::remove(id);
			SealedJobs::<T>::remove(id);
			for descriptor in job.revealed.iter() {
				Sketches::<T>::remove(id, sp_io::hashing::blake2_256(descriptor));
			}
		}
		Jobs::<T>::remove(id);
	}

	/// Refunds a job that ended without an accepted output. An optimistic proposer is released
	/// unslashed and a challenger gets its bond back (the dispute was inconclusive). The
	/// current round's workers must have been released or slashed by the caller.
	pub(crate) fn abandon(id: JobId, job: JobOf<T>, reason: RefundReason) -> DispatchResult {
		if let Some(proposal) = &job.proposal {
			Self::release_worker(id, &proposal.worker, JobOutcome::Released);
			if let Some(challenge) = &proposal.challenge {
				Self::release_challenge_bond(challenge)?;
				Self::deposit_event(Event::DisputeSettled {
					job: id,
					verdict: crate::DisputeVerdict::Inconclusive,
					slashed: Zero::zero(),
				});
			}
		}
		Self::refund(id, job, reason)
	}
}
