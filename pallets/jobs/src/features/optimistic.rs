//! Optimistic tier: one worker proposes an output without a proof; anyone but the proposer may
//! challenge it within `ChallengePeriod` by bonding a dispute round's prices plus
//! `ChallengeBond`; the dispute round (a redundancy round of fresh workers) decides, and the
//! loser pays.

use crate::{pallet::*, Challenge, DisputeVerdict, JobId, JobStatus, Proposal, Tier};
use alloc::vec::Vec;
use frame_support::{
	pallet_prelude::*,
	traits::{
		fungible::MutateHold,
		tokens::{Fortitude, Precision, Restriction},
	},
};
use pallet_workers::{JobOutcome, WorkerRegistry};
use sp_runtime::traits::{Saturating, Zero};

impl<T: Config> Pallet<T> {
	/// Records an optimistic proposal and opens its challenge window; see
	/// [`Pallet::propose_result`].
	pub fn do_propose_result(worker: T::AccountId, id: JobId, output: OutputOf<T>) -> DispatchResult {
		let mut job = Self::open_job(id)?;
		ensure!(job.tier == Tier::Optimistic, Error::<T>::WrongTier);
		ensure!(job.status == JobStatus::Assigned && job.proposal.is_none(), Error::<T>::WrongPhase);
		Self::assignment_of(&job, &worker)?;
		ensure!(output.len() as u32 <= job.terms.max_output_len, Error::<T>::OutputTooLong);
		let now = frame_system::Pallet::<T>::block_number();
		Self::reschedule(id, &mut job, now.saturating_add(T::ChallengePeriod::get()));
		job.status = JobStatus::Challengeable;
		// The proposer now lives in the proposal (it still holds the job); the assignments are
		// the dispute round's.
		job.assignments = Default::default();
		job.proposal = Some(Proposal { worker: worker.clone(), output: output.clone(), challenge: None });
		Self::deposit_event(Event::ResultProposed { job: id, worker, output, challenge_deadline: job.deadline });
		Jobs::<T>::insert(id, job);
		Ok(())
	}

	/// Bonds a challenger and starts a dispute round; see [`Pallet::challenge_result`].
	pub fn do_challenge_result(challenger: T::AccountId, id: JobId) -> DispatchResult {
		let mut job = Self::open_job(id)?;
		ensure!(job.tier == Tier::Optimistic, Error::<T>::WrongTier);
		ensure!(job.status == JobStatus::Challengeable, Error::<T>::NotChallengeable);
		let proposal = job.proposal.as_mut().ok_or(Error::<T>::NotChallengeable)?;
		ensure!(proposal.worker != challenger, Error::<T>::OwnProposal);
		// Enough to pay the whole dispute round back, plus the forfeit.
		let bond = job
			.terms
			.price_per_worker
			.saturating_mul(T::DisputeReplicas::get().into())
			.saturating_add(T::ChallengeBond::get());
		T::Currency::hold(&HoldReason::ChallengeBond.into(), &challenger, bond)
			.map_err(|_| Error::<T>::InsufficientChallengeBond)?;
		proposal.challenge = Some(Challenge { challenger: challenger.clone(), bond });
		let now = frame_system::Pallet::<T>::block_number();
		// On failure the call's storage changes are reverted; on success the dispute round's
		// deadline replaces the challenge window's.
		if !Self::try_assign(id, &mut job, now, &[])? {
			return Err(Error::<T>::NotEnoughDisputeWorkers.into());
		}
		Self::deposit_event(Event::ResultChallenged { job: id, challenger, bond });
		Jobs::<T>::insert(id, job);
		Ok(())
	}

	/// Settles a dispute whose round agreed on `output` with `winners`. The loser pays: if the
	/// proposal was `upheld`, the challenger's bond first reimburses the requester for the
	/// dispute round's prices and the rest goes to the treasury, and the proposer is paid with
	/// the winners; otherwise the proposer is slashed `SlashAmount` to the challenger, whose
	/// bond is returned, and the winners alone are paid.
	pub(crate) fn settle_dispute(
		id: JobId,
		job: JobOf<T>,
		upheld: bool,
		proposer: T::AccountId,
		challenge: Challenge<T::AccountId, BalanceOf<T>>,
		mut winners: Vec<T::AccountId>,
		output: OutputOf<T>,
	) -> DispatchResult {
		let (verdict, slashed) = if upheld {
			let dispute_cost = job.terms.price_per_worker.saturating_mul((winners.len() as u32).into());
			let reimbursed = dispute_cost.min(challenge.bond);
			Self::forfeit_challenge_bond(&challenge.challenger, &job.requester, reimbursed)?;
			let forfeit = challenge.bond.saturating_sub(reimbursed);
			if Self::forfeit_challenge_bond(&challenge.challenger, &T::Treasury::get(), forfeit).is_err() {
				// A treasury the currency refuses (reaped, below the existential deposit) never
				// blocks the settlement: the requester, who exists, gets the forfeit.
				Self::forfeit_challenge_bond(&challenge.challenger, &job.requester, forfeit)?;
			}
			winners.insert(0, proposer);
			(DisputeVerdict::ProposalUpheld, challenge.bond)
		} else {
			Self::release_challenge_bond(&challenge)?;
			let slashed = T::Workers::slash_to(&proposer, T::SlashAmount::get(), &challenge.challenger);
			Self::release_worker(id, &proposer, JobOutcome::Failed);
			Self::deposit_event(Event::WorkerSlashed { job: id, worker: proposer, amount: slashed });
			(DisputeVerdict::ProposalOverturned, slashed)
		};
		Self::deposit_event(Event::DisputeSettled { job: id, verdict, slashed });
		Self::complete(id, job, output, winners).map(|_| ())
	}

	/// Moves `amount` of `challenger`'s bond to `to` (released if `to` is the challenger, a
	/// requester that challenged its own job); changes nothing if the currency refuses.
	fn forfeit_challenge_bond(challenger: &T::AccountId, to: &T::AccountId, amount: BalanceOf<T>) -> DispatchResult {
		let reason = HoldReason::ChallengeBond.into();
		if amount.is_zero() {
			return Ok(());
		}
		if to == challenger {
			return T::Currency::release(&reason, challenger, amount, Precision::Exact).map(|_| ());
		}
		frame_support::storage::with_storage_layer(|| {
			T::Currency::transfer_on_hold(
				&reason,
				challenger,
				to,
				amount,
				Precision::Exact,
				Restriction::Free,
				Fortitude::Force,
			)
		})
		.map(|_| ())
	}

	/// Returns a challenger's bond.
	pub(crate) fn release_challenge_bond(challenge: &Challenge<T::AccountId, BalanceOf<T>>) -> DispatchResult {
		T::Currency::release(&HoldReason::ChallengeBond.into(), &challenge.challenger, challenge.bond, Precision::Exact)
			.map(|_| ())
	}
}
