//! A consortium's rounds: starting an attempt (charged to the budget, one directed job per
//! active member), a member's verified update, the masked sum, and a member dropping out.

use crate::{pallet::*, Attempt, AttemptFailure, Consortium, ConsortiumId, JobId, MemberIndex};
use aichain_compute::federated::{member_input, output_words, role_between, sum_words, ROLE_ABSENT};
use frame_support::pallet_prelude::*;
use frame_system::pallet_prelude::BlockNumberFor;
use pallet_jobs::DirectedJobSubmitter;

impl<T: Config> Pallet<T> {
	/// Charges and posts an attempt; see [`Pallet::start_round`]. Transactional: a job that
	/// cannot be posted undoes the attempt.
	pub fn do_start_round(
		who: T::AccountId,
		id: ConsortiumId,
		max_price_per_job: T::Balance,
		timeout: BlockNumberFor<T>,
	) -> DispatchResult {
		let mut consortium = Consortia::<T>::get(id).ok_or(Error::<T>::UnknownConsortium)?;
		ensure!(consortium.owner == who, Error::<T>::NotOwner);
		ensure!(timeout >= T::MinRoundTimeout::get(), Error::<T>::TimeoutTooShort);
		ensure!(consortium.attempt.is_none(), Error::<T>::AttemptInProgress);
		let data: alloc::vec::Vec<[u8; 32]> =
			consortium.data.iter().map(|d| d.ok_or(Error::<T>::DataMissing)).collect::<Result<_, _>>()?;
		let active: alloc::vec::Vec<MemberIndex> =
			(0..consortium.members.len() as MemberIndex).filter(|m| !consortium.excluded.contains(m)).collect();
		// Defensive: a failure that leaves fewer clears the exclusions (`fail_attempt`).
		ensure!(active.len() as u32 >= T::MinMembers::get(), Error::<T>::TooFewMembers);
		let seeds = Self::agreed_seeds(id, &active)?;
		let budget = consortium.budget.ok_or(Error::<T>::NoBudget)?;
		let attempts = consortium.attempts_spent.checked_add(1).ok_or(Error::<T>::BudgetExhausted)?;
		let spent = consortium.noise.epsilon_micro(attempts, budget.delta).map_err(|_| Error::<T>::BudgetExhausted)?;
		ensure!(spent <= budget.epsilon_micro, Error::<T>::BudgetExhausted);

		let nonce = Self::nonce(id, consortium.attempts_spent);
		let mut jobs = BoundedVec::<(JobId, MemberIndex), T::MaxMembers>::new();
		for member in &active {
			// Slot k: the member's k-th other member in order, absent when it is excluded.
			let slots: alloc::vec::Vec<([u8; 32], u8)> = (0..consortium.members.len() as MemberIndex)
				.filter(|peer| peer != member)
				.map(|peer| match seeds.iter().find(|(pair, _)| *pair == Self::pair_of(*member, peer)) {
					Some((_, commitment)) => (*commitment, role_between(*member as usize, peer as usize)),
					None => ([0; 32], ROLE_ABSENT),
				})
				.collect();
			let input = member_input(&consortium.parameters, nonce, &data[*member as usize], &slots);
			let worker = consortium.members[*member as usize].clone();
			let job = T::Jobs::submit_directed_job(who.clone(), worker, consortium.model, input, max_price_per_job, timeout)?;
			MemberJobs::<T>::insert(job, (id, *member));
			// Cannot fail: at most MaxMembers active members.
			jobs.try_push((job, *member)).map_err(|_| Error::<T>::TooFewMembers)?;
		}
		let outputs = BoundedVec::truncate_from(alloc::vec![None; jobs.len()]);
		consortium.attempt = Some(Attempt { nonce, jobs: jobs.clone(), outputs });
		consortium.attempts_spent = attempts;
		consortium.round_attempts = consortium.round_attempts.saturating_add(1);
		let (round, attempt) = (consortium.rounds_completed, consortium.round_attempts);
		Consortia::<T>::insert(id, consortium);
		Self::deposit_event(Event::AttemptStarted { consortium: id, round, attempt, nonce, jobs, epsilon_spent_micro: spent });
		Ok(())
	}

	/// The agreed seed commitment of every pair of `active` members, or [`Error::SeedsMissing`].
	fn agreed_seeds(
		id: ConsortiumId,
		active: &[MemberIndex],
	) -> Result<alloc::vec::Vec<((MemberIndex, MemberIndex), [u8; 32])>, DispatchError> {
		let mut seeds = alloc::vec::Vec::new();
		for (i, low) in active.iter().enumerate() {
			for high in &active[i + 1..] {
				let pair = (*low, *high);
				let commitment = Self::agreed(&PairSeeds::<T>::get(id, pair)).ok_or(Error::<T>::SeedsMissing)?;
				seeds.push((pair, commitment));
			}
		}
		Ok(seeds)
	}

	/// Records a member's verified masked update, and completes the round when it was the
	/// last: the parameters gain the masked sum. Jobs that are not members' are ignored.
	pub fn do_member_completed(job: JobId, output: &[u8]) {
		let Some((id, member)) = MemberJobs::<T>::take(job) else { return };
		let Some(mut consortium) = Consortia::<T>::get(id) else { return };
		let round = consortium.rounds_completed;
		let parameters = consortium.parameters.len();
		let Some(attempt) = consortium.attempt.as_mut() else { return };
		let Some(index) = attempt.jobs.iter().position(|(j, _)| *j == job) else { return };
		// The member circuit fixes the output size and the proof binds it; an output of another
		// size cannot be summed, and fails the attempt like a dropout (every attempt ends).
		let Some(words) = output_words(output, parameters) else {
			log::warn!(target: "runtime::private-training", "job {job}: output of {} bytes", output.len());
			Self::fail_attempt(id, consortium, member, AttemptFailure::MalformedOutput);
			return;
		};
		if let Some(slot) = attempt.outputs.get_mut(index) {
			*slot = Some(BoundedVec::truncate_from(words));
		}
		Self::deposit_event(Event::UpdateReceived { consortium: id, round, member });

		if attempt.outputs.iter().all(Option::is_some) {
			let sum = sum_words(attempt.outputs.iter().flatten().map(|w| &w[..]), parameters);
			for (parameter, delta) in consortium.parameters.iter_mut().zip(sum) {
				*parameter = parameter.saturating_add(delta);
			}
			consortium.attempt = None;
			consortium.rounds_completed = round.saturating_add(1);
			consortium.round_attempts = 0;
			consortium.excluded.clear();
			Self::deposit_event(Event::RoundCompleted { consortium: id, round, parameters: consortium.parameters.clone() });
		}
		Consortia::<T>::insert(id, consortium);
	}

	/// A member's job was refunded for `reason`: the attempt fails (its other jobs' outputs are
	/// no longer awaited), the member is excluded from the round's next attempts if it was to
	/// blame, and the round is abandoned when it cannot be retried.
	pub fn do_member_refunded(job: JobId, reason: pallet_jobs::RefundReason) {
		let Some((id, member)) = MemberJobs::<T>::take(job) else { return };
		let Some(consortium) = Consortia::<T>::get(id) else { return };
		Self::fail_attempt(id, consortium, member, AttemptFailure::Refunded(reason));
	}

	/// Ends the running attempt of `consortium` because `member` gave no usable update.
	fn fail_attempt(id: ConsortiumId, mut consortium: Consortium<T>, member: MemberIndex, failure: AttemptFailure) {
		let round = consortium.rounds_completed;
		if let Some(attempt) = consortium.attempt.take() {
			for (other, _) in attempt.jobs.iter() {
				MemberJobs::<T>::remove(other);
			}
		}
		let excluded = failure.blames_member();
		if excluded && !consortium.excluded.contains(&member) {
			// Bounded: members are at most MaxMembers, each excluded once.
			let _ = consortium.excluded.try_push(member);
		}
		Self::deposit_event(Event::AttemptFailed { consortium: id, round, member, failure, excluded });
		let active = consortium.members.len().saturating_sub(consortium.excluded.len()) as u32;
		if active < T::MinMembers::get() || consortium.round_attempts >= T::MaxAttemptsPerRound::get() {
			consortium.excluded.clear();
			consortium.round_attempts = 0;
			Self::deposit_event(Event::RoundAbandoned { consortium: id, round });
		}
		Consortia::<T>::insert(id, consortium);
	}
}
