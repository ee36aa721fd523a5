//! The logic behind the jobs pallet's calls and hooks: submission, assignment, results,
//! settlement, deadlines and invariants.

use crate::{
	pallet::*, selection, weights::WeightInfo, Assignment, Challenge, DisputeVerdict, Job, JobId, JobStatus, JobTerms,
	JobSubmitter, ModelId, OnJobCompleted, Proposal, RefundReason, Tier,
};
use aichain_zk::Proof;
use alloc::vec::Vec;
use codec::Encode;
use frame_support::{
	pallet_prelude::*,
	traits::{
		fungible::MutateHold,
		tokens::{Fortitude, Precision, Restriction},
	},
};
use frame_system::pallet_prelude::BlockNumberFor;
use aichain_compute::OnVerifiedWork;
use pallet_models::ModelRegistry;
use pallet_workers::{JobOutcome, WorkerRegistry};
use pallet_zk_verifier::Verifier;
use sp_runtime::{
	traits::{One, Saturating, Zero},
	Permill,
};

/// How many blocks past a full deadline bucket a job may be moved.
const MAX_BUCKET_SHIFT: u32 = 16;

impl<T: Config> Pallet<T> {
	/// Checks and escrows a job, then assigns it or queues it; see [`Pallet::submit_job`].
	pub fn do_submit_job(
		requester: T::AccountId,
		model: ModelId,
		input: BoundedVec<u8, T::MaxInputLen>,
		tier: Tier,
		max_price: BalanceOf<T>,
		timeout: BlockNumberFor<T>,
	) -> Result<JobId, DispatchError> {
		ensure!(!timeout.is_zero(), Error::<T>::ZeroDeadline);
		ensure!(timeout <= T::MaxDeadline::get(), Error::<T>::DeadlineTooLong);
		let model_terms = T::Models::active_model(model).ok_or(Error::<T>::UnknownModel)?;
		ensure!(!input.is_empty(), Error::<T>::EmptyInput);
		ensure!(input.len() as u32 <= model_terms.max_input_len, Error::<T>::InputTooLong);
		// Workers paid in the normal case, and prices reserved for an optimistic dispute.
		let (workers, reserved): (u32, u32) = match tier {
			Tier::Zk => {
				ensure!(model_terms.verifying_key.is_some(), Error::<T>::ModelNotProvable);
				ensure!(input.len() as u32 == model_terms.max_input_len, Error::<T>::InputLengthMismatch);
				(1, 0)
			},
			Tier::Redundancy { replicas } => {
				ensure!(replicas >= 2 && replicas as u32 <= T::MaxReplicas::get(), Error::<T>::InvalidReplicas);
				(replicas as u32, 0)
			},
			Tier::Optimistic => (1, T::DisputeReplicas::get()),
		};
		let price = model_terms.price.saturating_mul(workers.into());
		let fee = T::ProtocolFee::get() * price;
		let escrow = model_terms.price.saturating_mul(reserved.into()).saturating_add(price).saturating_add(fee);
		ensure!(escrow <= max_price, Error::<T>::PriceAboveMax);

		let id = NextJobId::<T>::get();
		let next = id.checked_add(1).ok_or(Error::<T>::JobIdOverflow)?;
		T::Currency::hold(&HoldReason::JobEscrow.into(), &requester, escrow)
			.map_err(|_| Error::<T>::InsufficientBalance)?;
		NextJobId::<T>::put(next);

		let now = frame_system::Pallet::<T>::block_number();
		let mut job = Job {
			requester: requester.clone(),
			model,
			input,
			tier,
			terms: JobTerms {
				model_owner: model_terms.owner,
				price_per_worker: model_terms.price,
				royalty_bps: model_terms.royalty_bps,
				fee,
				escrow,
				verifying_key: model_terms.verifying_key,
				max_output_len: model_terms.max_output_len,
			},
			timeout,
			deadline: now.saturating_add(timeout),
			status: JobStatus::Pending,
			assignments: Default::default(),
			revealed: Default::default(),
			proposal: None,
			reassignments: 0,
		};
		Self::deposit_event(Event::JobSubmitted { job: id, requester, model, tier, escrow });
		if !Self::try_assign(id, &mut job, now, &[])? {
			PendingJobs::<T>::try_mutate(|queue| queue.try_push(id)).map_err(|_| Error::<T>::PendingQueueFull)?;
		}
		Jobs::<T>::insert(id, job);
		Ok(id)
	}

	/// Draws the workers `job` still needs (never its requester, a current assignee, an
	/// optimistic proposer or challenger, or one of `excluded`) and schedules its deadline.
	/// `Ok(false)`: not enough eligible workers, nothing changed.
	fn try_assign(
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
				!is_party(who) && !excluded.contains(who) && !job.assignments.iter().any(|a| a.worker == *who)
			})
			.collect();
		let seed = (frame_system::Pallet::<T>::parent_hash(), id, job.reassignments)
			.using_encoded(sp_io::hashing::blake2_256);
		let Some(drawn) = selection::draw(candidates, needed, &seed) else { return Ok(false) };
		let deadline = Self::schedule(id, now.saturating_add(job.timeout))?;
		for worker in drawn {
			T::Workers::job_assigned(&worker);
			job.assignments
				.try_push(Assignment { worker, commitment: None, revealed: None })
				.map_err(|_| Error::<T>::InvalidReplicas)?;
		}
		job.status = JobStatus::Assigned;
		job.deadline = deadline;
		let workers = job.assignments.iter().map(|a| a.worker.clone()).collect();
		Self::deposit_event(Event::JobAssigned { job: id, workers, deadline });
		Ok(true)
	}

	/// Puts `id` in the first deadline bucket from `at` that has room; returns its block.
	fn schedule(id: JobId, at: BlockNumberFor<T>) -> Result<BlockNumberFor<T>, DispatchError> {
		for shift in 0..MAX_BUCKET_SHIFT {
			let block = at.saturating_add(shift.into());
			if Deadlines::<T>::try_mutate(block, |bucket| bucket.try_push(id)).is_ok() {
				return Ok(block);
			}
		}
		Err(Error::<T>::DeadlineBucketsFull.into())
	}

	/// Takes `id` out of the deadline bucket of `block`.
	fn unschedule(id: JobId, block: BlockNumberFor<T>) {
		Deadlines::<T>::mutate_exists(block, |bucket| {
			if let Some(jobs) = bucket {
				jobs.retain(|j| *j != id);
				if jobs.is_empty() {
					*bucket = None;
				}
			}
		});
	}

	/// Number of workers the current round of `job` needs.
	fn workers_needed(job: &JobOf<T>) -> u32 {
		job.workers_needed(T::DisputeReplicas::get())
	}

	/// The open job `id`, or why there is none.
	fn open_job(id: JobId) -> Result<JobOf<T>, DispatchError> {
		Jobs::<T>::get(id).ok_or_else(|| {
			if id < NextJobId::<T>::get() { Error::<T>::JobAlreadyFinished } else { Error::<T>::UnknownJob }.into()
		})
	}

	/// The index of `worker` among the job's assignments.
	fn assignment_of(job: &JobOf<T>, worker: &T::AccountId) -> Result<usize, DispatchError> {
		job.assignments
			.iter()
			.position(|a| a.worker == *worker)
			.ok_or_else(|| Error::<T>::NotAssignedWorker.into())
	}

	/// Cancels a pending job of `who`; see [`Pallet::cancel_job`].
	pub fn do_cancel_job(who: T::AccountId, id: JobId) -> DispatchResult {
		let job = Self::open_job(id)?;
		ensure!(job.requester == who, Error::<T>::NotRequester);
		ensure!(job.status == JobStatus::Pending, Error::<T>::AlreadyAssigned);
		PendingJobs::<T>::mutate(|queue| queue.retain(|j| *j != id));
		Self::refund(id, job, RefundReason::Cancelled)
	}

	/// Verifies and settles a zk result; see [`Pallet::submit_result`].
	pub fn do_submit_result(worker: T::AccountId, id: JobId, output: OutputOf<T>, proof: Proof) -> DispatchResult {
		let job = Self::open_job(id)?;
		ensure!(job.tier == Tier::Zk, Error::<T>::WrongTier);
		ensure!(job.status == JobStatus::Assigned, Error::<T>::WrongPhase);
		Self::assignment_of(&job, &worker)?;
		ensure!(output.len() as u32 == job.terms.max_output_len, Error::<T>::OutputLengthMismatch);
		let key = job.terms.verifying_key.ok_or(Error::<T>::ModelNotProvable)?;
		let public_inputs = aichain_compute::zk_public_inputs(&job.input, &output);
		match T::Verifier::verify(&key, &proof, &public_inputs) {
			Ok(()) => {
				Self::unschedule(id, job.deadline);
				Self::complete(id, job, output, alloc::vec![worker])
			},
			Err(reason) => {
				T::Workers::record_failure(&worker);
				Self::deposit_event(Event::ResultRejected { job: id, worker, reason });
				Ok(())
			},
		}
	}

	/// Records a redundancy commitment; see [`Pallet::commit_result`].
	pub fn do_commit_result(worker: T::AccountId, id: JobId, commitment: [u8; 32]) -> DispatchResult {
		let mut job = Self::open_job(id)?;
		ensure!(matches!(job.tier, Tier::Redundancy { .. } | Tier::Optimistic), Error::<T>::WrongTier);
		ensure!(job.status == JobStatus::Assigned && job.commits_and_reveals(), Error::<T>::WrongPhase);
		let index = Self::assignment_of(&job, &worker)?;
		ensure!(job.assignments[index].commitment.is_none(), Error::<T>::AlreadyCommitted);
		job.assignments[index].commitment = Some(commitment);
		Self::deposit_event(Event::ResultCommitted { job: id, worker });
		let all_committed = job.assignments.len() as u32 == Self::workers_needed(&job) &&
			job.assignments.iter().all(|a| a.commitment.is_some());
		if all_committed {
			Self::unschedule(id, job.deadline);
			let now = frame_system::Pallet::<T>::block_number();
			job.deadline = Self::schedule(id, now.saturating_add(job.timeout))?;
			job.status = JobStatus::Revealing;
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
		ensure!(output.len() as u32 <= job.terms.max_output_len, Error::<T>::OutputTooLong);
		ensure!(job.assignments[index].revealed.is_none(), Error::<T>::AlreadyRevealed);
		ensure!(
			job.assignments[index].commitment == Some(commitment_of(&output, &salt)),
			Error::<T>::CommitmentMismatch
		);
		let output_hash = sp_io::hashing::blake2_256(&output);
		job.assignments[index].revealed = Some(output_hash);
		if !job.revealed.iter().any(|o| sp_io::hashing::blake2_256(o) == output_hash) {
			job.revealed.try_push(output).map_err(|_| Error::<T>::InvalidReplicas)?;
		}
		Self::deposit_event(Event::ResultRevealed { job: id, worker });
		if job.assignments.iter().all(|a| a.revealed.is_some()) {
			Self::unschedule(id, job.deadline);
			Self::finish_redundancy(id, job)
		} else {
			Jobs::<T>::insert(id, job);
			Ok(())
		}
	}

	/// Ends the reveal phase: the output revealed by a strict majority of the workers wins and
	/// everyone else is slashed. Without a majority, non-revealers are slashed and the job is
	/// refunded. A disputed optimistic job is then settled against its proposal.
	fn finish_redundancy(id: JobId, job: JobOf<T>) -> DispatchResult {
		let workers = job.assignments.len();
		let winner = job.assignments.iter().filter_map(|a| a.revealed).find(|hash| {
			job.assignments.iter().filter(|a| a.revealed == Some(*hash)).count() * 2 > workers
		});
		let Some(hash) = winner else {
			for assignment in job.assignments.iter() {
				if assignment.revealed.is_some() {
					T::Workers::job_finished(&assignment.worker, JobOutcome::Released);
				} else {
					Self::slash_worker(id, &assignment.worker);
				}
			}
			return Self::abandon(id, job, RefundReason::NoMajority);
		};
		let (winners, losers): (Vec<_>, Vec<_>) =
			job.assignments.iter().cloned().partition(|a| a.revealed == Some(hash));
		for loser in losers {
			Self::slash_worker(id, &loser.worker);
		}
		let output = job
			.revealed
			.iter()
			.find(|o| sp_io::hashing::blake2_256(o) == hash)
			.cloned()
			.ok_or(Error::<T>::CommitmentMismatch)?;
		let mut winners: Vec<T::AccountId> = winners.into_iter().map(|a| a.worker).collect();
		winners.sort();
		match job.proposal.clone() {
			Some(Proposal { worker: proposer, output: proposed, challenge: Some(challenge) }) =>
				Self::settle_dispute(id, job, output == proposed, proposer, challenge, winners, output),
			_ => Self::complete(id, job, output, winners),
		}
	}

	/// Settles a dispute whose round agreed on `output` with `winners`. The loser pays: if the
	/// proposal was `upheld`, the challenger's bond first reimburses the requester for the
	/// dispute round's prices and the rest goes to the treasury, and the proposer is paid with
	/// the winners; otherwise the proposer is slashed `SlashAmount` to the challenger, whose
	/// bond is returned, and the winners alone are paid.
	fn settle_dispute(
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
			Self::move_challenge_bond(&challenge.challenger, &job.requester, reimbursed)?;
			Self::move_challenge_bond(&challenge.challenger, &T::Treasury::get(), challenge.bond.saturating_sub(reimbursed))?;
			let slashed = challenge.bond;
			winners.insert(0, proposer);
			(DisputeVerdict::ProposalUpheld, slashed)
		} else {
			Self::release_challenge_bond(&challenge)?;
			let slashed = T::Workers::slash_to(&proposer, T::SlashAmount::get(), &challenge.challenger);
			T::Workers::job_finished(&proposer, JobOutcome::Failed);
			Self::deposit_event(Event::WorkerSlashed { job: id, worker: proposer, amount: slashed });
			(DisputeVerdict::ProposalOverturned, slashed)
		};
		Self::deposit_event(Event::DisputeSettled { job: id, verdict, slashed });
		Self::complete(id, job, output, winners)
	}

	/// Moves `amount` of `challenger`'s bond to `to` (released if `to` is the challenger).
	fn move_challenge_bond(challenger: &T::AccountId, to: &T::AccountId, amount: BalanceOf<T>) -> DispatchResult {
		if amount.is_zero() {
			return Ok(());
		}
		let reason = HoldReason::ChallengeBond.into();
		if to == challenger {
			T::Currency::release(&reason, challenger, amount, Precision::Exact)?;
		} else {
			T::Currency::transfer_on_hold(
				&reason,
				challenger,
				to,
				amount,
				Precision::Exact,
				Restriction::Free,
				Fortitude::Force,
			)?;
		}
		Ok(())
	}

	/// Returns a challenger's bond.
	fn release_challenge_bond(challenge: &Challenge<T::AccountId, BalanceOf<T>>) -> DispatchResult {
		T::Currency::release(&HoldReason::ChallengeBond.into(), &challenge.challenger, challenge.bond, Precision::Exact)
			.map(|_| ())
	}

	/// Refunds a job that ended without an accepted output. An optimistic proposer is released
	/// unslashed and a challenger gets its bond back (the dispute was inconclusive). The
	/// current round's workers must have been released or slashed by the caller.
	fn abandon(id: JobId, job: JobOf<T>, reason: RefundReason) -> DispatchResult {
		if let Some(proposal) = &job.proposal {
			T::Workers::job_finished(&proposal.worker, JobOutcome::Released);
			if let Some(challenge) = &proposal.challenge {
				Self::release_challenge_bond(challenge)?;
				Self::deposit_event(Event::DisputeSettled {
					job: id,
					verdict: DisputeVerdict::Inconclusive,
					slashed: Zero::zero(),
				});
			}
		}
		Self::refund(id, job, reason)
	}

	/// Records an optimistic proposal and opens its challenge window; see
	/// [`Pallet::propose_result`].
	pub fn do_propose_result(worker: T::AccountId, id: JobId, output: OutputOf<T>) -> DispatchResult {
		let mut job = Self::open_job(id)?;
		ensure!(job.tier == Tier::Optimistic, Error::<T>::WrongTier);
		ensure!(job.status == JobStatus::Assigned && job.proposal.is_none(), Error::<T>::WrongPhase);
		Self::assignment_of(&job, &worker)?;
		ensure!(output.len() as u32 <= job.terms.max_output_len, Error::<T>::OutputTooLong);
		Self::unschedule(id, job.deadline);
		let now = frame_system::Pallet::<T>::block_number();
		job.deadline = Self::schedule(id, now.saturating_add(T::ChallengePeriod::get()))?;
		job.status = JobStatus::Challengeable;
		// The proposer now lives in the proposal; the assignments are the dispute round's.
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
		let challenge_deadline = job.deadline;
		let now = frame_system::Pallet::<T>::block_number();
		// Assign before unscheduling: on failure the call's storage changes are reverted.
		if !Self::try_assign(id, &mut job, now, &[])? {
			return Err(Error::<T>::NotEnoughDisputeWorkers.into());
		}
		Self::unschedule(id, challenge_deadline);
		Self::deposit_event(Event::ResultChallenged { job: id, challenger, bond });
		Jobs::<T>::insert(id, job);
		Ok(())
	}

	/// Slashes `worker` for job `id` to the workers' slash beneficiary and ends its part in the
	/// job as a failure.
	fn slash_worker(id: JobId, worker: &T::AccountId) {
		let amount = T::Workers::slash(worker, T::SlashAmount::get());
		T::Workers::job_finished(worker, JobOutcome::Failed);
		Self::deposit_event(Event::WorkerSlashed { job: id, worker: worker.clone(), amount });
	}

	/// Moves `amount` of the requester's escrow to `to`.
	fn pay(requester: &T::AccountId, to: &T::AccountId, amount: BalanceOf<T>) -> DispatchResult {
		if amount.is_zero() {
			return Ok(());
		}
		T::Currency::transfer_on_hold(
			&HoldReason::JobEscrow.into(),
			requester,
			to,
			amount,
			Precision::Exact,
			Restriction::Free,
			Fortitude::Polite,
		)
		.map(|_| ())
	}

	/// Pays an accepted output from escrow — each of `winners` its price minus the royalty, the
	/// model owner the royalties, the fee collector the fee — refunds the rest to the
	/// requester, removes the job and calls `OnJobCompleted`.
	fn complete(id: JobId, job: JobOf<T>, output: OutputOf<T>, winners: Vec<T::AccountId>) -> DispatchResult {
		let terms = &job.terms;
		let royalty_each = Permill::from_parts(terms.royalty_bps as u32 * 100) * terms.price_per_worker;
		let worker_payment = terms.price_per_worker.saturating_sub(royalty_each);
		let royalty = royalty_each.saturating_mul((winners.len() as u32).into());
		for worker in &winners {
			Self::pay(&job.requester, worker, worker_payment)?;
			T::Workers::job_finished(worker, JobOutcome::Completed);
			T::OnVerifiedWork::on_verified_work(worker, worker_payment);
		}
		Self::pay(&job.requester, &terms.model_owner, royalty)?;
		Self::pay(&job.requester, &T::FeeCollector::get(), terms.fee)?;
		let paid = worker_payment
			.saturating_mul((winners.len() as u32).into())
			.saturating_add(royalty)
			.saturating_add(terms.fee);
		let refund = terms.escrow.saturating_sub(paid);
		if !refund.is_zero() {
			T::Currency::release(&HoldReason::JobEscrow.into(), &job.requester, refund, Precision::Exact)?;
		}
		Jobs::<T>::remove(id);
		T::OnJobCompleted::on_job_completed(id, job.model, &job.requester, &output);
		Self::deposit_event(Event::JobCompleted {
			job: id,
			output,
			workers: winners,
			worker_payment,
			royalty,
			fee: terms.fee,
			refund,
		});
		Ok(())
	}

	/// Returns the whole escrow of `job` to its requester and removes the job. Workers'
	/// outcomes must have been recorded by the caller.
	fn refund(id: JobId, job: JobOf<T>, reason: RefundReason) -> DispatchResult {
		T::Currency::release(&HoldReason::JobEscrow.into(), &job.requester, job.terms.escrow, Precision::Exact)?;
		Jobs::<T>::remove(id);
		Self::deposit_event(Event::JobRefunded { job: id, reason, amount: job.terms.escrow });
		Ok(())
	}

	/// Ends every phase whose deadline is `now` (at most `MaxJobsPerBlock` jobs).
	pub(crate) fn process_deadlines(now: BlockNumberFor<T>) -> Weight {
		let due = Deadlines::<T>::take(now);
		for id in due.iter() {
			if let Some(job) = Jobs::<T>::get(id) {
				let result = frame_support::storage::with_storage_layer(|| Self::deadline_passed(*id, job, now));
				if let Err(error) = result {
					log::error!(target: "runtime::jobs", "deadline of job {id} not processed: {error:?}");
					// Keep the job indexed: try again at the next block.
					if let Ok(block) = Self::schedule(*id, now.saturating_add(One::one())) {
						Jobs::<T>::mutate(id, |job| {
							if let Some(job) = job {
								job.deadline = block;
							}
						});
					}
				}
			}
		}
		// Every due job may complete (an optimistic job's window closing, a reveal phase ending).
		T::WeightInfo::on_initialize_deadlines(due.len() as u32)
			.saturating_add(T::OnJobCompleted::weight().saturating_mul(due.len() as u64))
	}

	/// A phase of job `id` ended at `now`. Assigned: workers without a result (zk) or a
	/// commitment (redundancy) are slashed and replaced if possible, otherwise the job is
	/// refunded. Revealing: the reveals so far decide.
	fn deadline_passed(id: JobId, mut job: JobOf<T>, now: BlockNumberFor<T>) -> DispatchResult {
		match job.status {
			JobStatus::Pending => Ok(()),
			JobStatus::Revealing => Self::finish_redundancy(id, job),
			JobStatus::Challengeable => {
				let proposal = job.proposal.clone().ok_or(Error::<T>::WrongPhase)?;
				Self::complete(id, job, proposal.output, alloc::vec![proposal.worker])
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
				for assignment in job.assignments.iter() {
					T::Workers::job_finished(&assignment.worker, JobOutcome::Released);
				}
				Self::abandon(id, job, RefundReason::NoResult)
			},
		}
	}

	/// Retries the pending jobs: assigns those that now find workers, refunds those past their
	/// deadline.
	pub(crate) fn process_pending(now: BlockNumberFor<T>) -> Weight {
		let queue = PendingJobs::<T>::get();
		if queue.is_empty() {
			return T::WeightInfo::on_initialize_pending(0);
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
		T::WeightInfo::on_initialize_pending(queue.len() as u32)
	}

	/// Invariants: the escrow held from each requester equals the sum of its open jobs'
	/// escrows, and the challenge bond held from each account the sum of its open challenges;
	/// every pending job is in the pending queue once and in no deadline bucket; every other
	/// open job is in exactly one deadline bucket, the one of its deadline; the indexes name
	/// only open jobs; each worker's count of held jobs equals its assignments and proposals;
	/// only optimistic jobs have proposals, and a job awaiting challenges has no assignments.
	pub fn do_try_state() -> Result<(), sp_runtime::TryRuntimeError> {
		use alloc::collections::btree_map::BTreeMap;
		use frame_support::traits::fungible::InspectHold;
		let mut escrow = BTreeMap::<T::AccountId, BalanceOf<T>>::new();
		let mut challenge_bonds = BTreeMap::<T::AccountId, BalanceOf<T>>::new();
		let mut held_jobs = BTreeMap::<T::AccountId, u32>::new();
		let mut in_buckets = BTreeMap::<JobId, u32>::new();
		for (block, bucket) in Deadlines::<T>::iter() {
			for id in bucket.iter() {
				let job = Jobs::<T>::get(id).ok_or("deadline bucket names a finished job")?;
				ensure!(job.deadline == block, "job in the bucket of another block");
				*in_buckets.entry(*id).or_default() += 1;
			}
		}
		let pending = PendingJobs::<T>::get();
		for (id, job) in Jobs::<T>::iter() {
			ensure!(id < NextJobId::<T>::get(), "job id not below NextJobId");
			let total = escrow.entry(job.requester.clone()).or_default();
			*total = total.saturating_add(job.terms.escrow);
			for assignment in job.assignments.iter() {
				*held_jobs.entry(assignment.worker.clone()).or_default() += 1;
			}
			if let Some(proposal) = &job.proposal {
				ensure!(job.tier == Tier::Optimistic, "proposal on a job that is not optimistic");
				*held_jobs.entry(proposal.worker.clone()).or_default() += 1;
				if let Some(challenge) = &proposal.challenge {
					let total = challenge_bonds.entry(challenge.challenger.clone()).or_default();
					*total = total.saturating_add(challenge.bond);
				}
			}
			if job.status == JobStatus::Challengeable {
				ensure!(job.proposal.is_some() && job.assignments.is_empty(), "challengeable job without a lone proposal");
			}
			let queued = pending.iter().filter(|j| **j == id).count();
			let bucketed = in_buckets.get(&id).copied().unwrap_or(0);
			if job.status == JobStatus::Pending {
				ensure!(queued == 1 && bucketed == 0, "pending job not exactly once in the pending queue");
				ensure!(job.assignments.is_empty(), "pending job with workers");
			} else {
				ensure!(queued == 0 && bucketed == 1, "assigned job not in exactly one deadline bucket");
			}
		}
		ensure!(pending.iter().all(|id| Jobs::<T>::contains_key(id)), "pending queue names a finished job");
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
		for (worker, count) in held_jobs {
			ensure!(T::Workers::active_jobs(&worker) == count, "worker's job count differs from its assignments");
		}
		Ok(())
	}
}

/// A redundancy worker's commitment: `BLAKE2-256(SCALE((output, salt)))`.
pub fn commitment_of(output: &[u8], salt: &[u8; 32]) -> [u8; 32] {
	(output, salt).using_encoded(sp_io::hashing::blake2_256)
}

impl<T: Config> JobSubmitter<T::AccountId, BalanceOf<T>, BlockNumberFor<T>> for Pallet<T> {
	fn submit_job(
		requester: T::AccountId,
		model: ModelId,
		input: Vec<u8>,
		tier: Tier,
		max_price: BalanceOf<T>,
		timeout: BlockNumberFor<T>,
	) -> Result<JobId, DispatchError> {
		let input = BoundedVec::try_from(input).map_err(|_| Error::<T>::InputTooLong)?;
		Self::do_submit_job(requester, model, input, tier, max_price, timeout)
	}

	fn is_live(job: JobId) -> bool {
		Jobs::<T>::contains_key(job)
	}
}
