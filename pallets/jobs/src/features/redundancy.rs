//! Redundancy tier, and the dispute rounds of the optimistic tier: every worker commits to
//! [`commitment_of`]`(job, worker, output, salt)`, then reveals; the revealed output that
//! agrees ([`aichain_compute::outputs_agree`], within the model's `output_tolerance`) with a
//! strict majority of the workers wins, everyone who does not agree with it is slashed. Blob
//! outputs are revealed in `blob_output.rs` and compared by sketch ([`crate::features`]'
//! `Agreement`).

use crate::{commitment_of, pallet::*, JobId, JobStatus, Proposal, RefundReason, Tier};
use alloc::vec::Vec;
use frame_support::pallet_prelude::*;
use pallet_workers::JobOutcome;
use sp_runtime::traits::Saturating;

impl<T: Config> Pallet<T> {
	/// Records a redundancy commitment; see [`Pallet::commit_result`].
	pub fn do_commit_result(worker: T::AccountId, id: JobId, commitment: [u8; 32]) -> DispatchResult {
		let mut job = Self::open_job(id)?;
		ensure!(matches!(job.tier, Tier::Redundancy { .. } | Tier::Optimistic), Error::<T>::WrongTier);
		ensure!(job.status == JobStatus::Assigned && job.commits_and_reveals(), Error::<T>::WrongPhase);
		let index = Self::assignment_of(&job, &worker)?;
		ensure!(job.assignments[index].commitment.is_none(), Error::<T>::AlreadyCommitted);
		ensure!(
			!job.assignments.iter().any(|a| a.commitment == Some(commitment)),
			Error::<T>::DuplicateCommitment
		);
		job.assignments[index].commitment = Some(commitment);
		Self::deposit_event(Event::ResultCommitted { job: id, worker });
		let all_committed = job.assignments.len() as u32 == Self::workers_needed(&job) &&
			job.assignments.iter().all(|a| a.commitment.is_some());
		if all_committed {
			let now = frame_system::Pallet::<T>::block_number();
			job.status = JobStatus::Revealing;
			let reveals_due = now.saturating_add(job.timeout);
			Self::reschedule(id, &mut job, reveals_due);
			Self::deposit_event(Event::RevealPhaseStarted { job: id, deadline: job.deadline });
		}
		Jobs::<T>::insert(id, job);
		Ok(())
	}

	/// Checks and records a reveal, finishing the job after the last one; see
	/// [`Pallet::reveal_result`].
	pub fn do_reveal_result(worker: T::AccountId, id: JobId, output: OutputOf<T>, salt: [u8; 32]) -> DispatchResult {
		let mut job = Self::open_job(id)?;
		ensure!(matches!(job.tier, Tier::Redundancy { .. } | Tier::Optimistic), Error::<T>::WrongTier);
		ensure!(job.status == JobStatus::Revealing, Error::<T>::WrongPhase);
		let index = Self::assignment_of(&job, &worker)?;
		ensure!(!job.has_blob_output(), Error::<T>::BlobOutputJob);
		ensure!(output.len() as u32 <= job.terms.max_output_len, Error::<T>::OutputTooLong);
		ensure!(job.assignments[index].revealed.is_none(), Error::<T>::AlreadyRevealed);
		ensure!(
			job.assignments[index].commitment == Some(commitment_of(id, &worker, &output, &salt)),
			Error::<T>::CommitmentMismatch
		);
		let output_hash = sp_io::hashing::blake2_256(&output);
		job.assignments[index].revealed = Some(output_hash);
		if !job.revealed.iter().any(|o| sp_io::hashing::blake2_256(o) == output_hash) {
			job.revealed.try_push(output).map_err(|_| Error::<T>::InvalidReplicas)?;
		}
		Self::revealed(id, job, worker)
	}

	/// After `worker`'s reveal was recorded in `job`: the event, then the job's end if it was
	/// the last reveal, or the job stored.
	pub(crate) fn revealed(id: JobId, job: JobOf<T>, worker: T::AccountId) -> DispatchResult {
		Self::deposit_event(Event::ResultRevealed { job: id, worker });
		if job.assignments.iter().all(|a| a.revealed.is_some()) {
			Self::finish_redundancy(id, job)
		} else {
			Jobs::<T>::insert(id, job);
			Ok(())
		}
	}

	/// Ends the reveal phase. The revealed output that agrees with the most workers (the first
	/// revealed on a tie) wins if they are a strict majority of all the job's workers; its
	/// workers are paid and everyone else is slashed. Without a majority, non-revealers are
	/// slashed and the job is refunded. A disputed optimistic job is then settled against its
	/// proposal.
	pub(crate) fn finish_redundancy(id: JobId, job: JobOf<T>) -> DispatchResult {
		let workers = job.assignments.len();
		let agreement = Self::agreement_of(id, &job);
		let output_of = |hash: &[u8; 32]| job.revealed.iter().find(|o| sp_io::hashing::blake2_256(o) == *hash);
		// Each assignment's revealed output, `None` for a worker that did not reveal.
		let outputs: Vec<Option<&OutputOf<T>>> =
			job.assignments.iter().map(|a| a.revealed.as_ref().and_then(|hash| output_of(hash))).collect();
		let support = |candidate: &[u8]| {
			outputs.iter().flatten().filter(|o| agreement.agree(o, candidate)).count()
		};
		let best = job.revealed.iter().fold(None, |best: Option<(&OutputOf<T>, usize)>, candidate| {
			let count = support(candidate);
			match best {
				Some((_, most)) if most >= count => best,
				_ => Some((candidate, count)),
			}
		});
		let winner = best.filter(|(_, count)| count * 2 > workers).map(|(output, _)| output.clone());
		let Some(output) = winner else {
			for assignment in job.assignments.iter() {
				if assignment.revealed.is_some() {
					Self::release_worker(id, &assignment.worker, JobOutcome::Released);
				} else {
					Self::slash_worker(id, &assignment.worker);
				}
			}
			return Self::abandon(id, job, RefundReason::NoMajority);
		};
		let mut winners = Vec::new();
		for (assignment, revealed) in job.assignments.iter().zip(&outputs) {
			if revealed.is_some_and(|o| agreement.agree(o, &output)) {
				winners.push(assignment.worker.clone());
			} else {
				Self::slash_worker(id, &assignment.worker);
			}
		}
		winners.sort();
		match job.proposal.clone() {
			Some(Proposal { worker: proposer, output: proposed, challenge: Some(challenge) }) => {
				let upheld = agreement.agree(&proposed, &output);
				Self::settle_dispute(id, job, upheld, proposer, challenge, winners, output)
			},
			_ => Self::complete(id, job, output, winners).map(|_| ()),
		}
	}
}
