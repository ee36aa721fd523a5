//! A consortium's setup and end: creating it, the members' data and seed commitments, the
//! privacy budget, closing it.

use crate::{pallet::*, ConsortiumId, DeltaPerQuintillion, GaussianRounds, MemberIndex, ModelId};
use aichain_compute::{
	federated::{is_canonical_scalar, member_input_len},
	ModelKind,
};
use frame_support::{
	pallet_prelude::*,
	traits::{fungible::MutateHold, tokens::Precision},
};
use pallet_models::ModelRegistry;

impl<T: Config> Pallet<T> {
	/// Checks and records a consortium; see [`Pallet::create_consortium`].
	pub fn do_create_consortium(
		owner: T::AccountId,
		model: ModelId,
		members: MembersOf<T>,
		parameters: ParametersOf<T>,
		noise: GaussianRounds,
	) -> Result<ConsortiumId, DispatchError> {
		let terms = T::Models::active_model(model).ok_or(Error::<T>::UnknownModel)?;
		ensure!(terms.verifying_key.is_some(), Error::<T>::ModelNotProvable);
		ensure!(members.len() as u32 >= T::MinMembers::get(), Error::<T>::TooFewMembers);
		ensure!(!members.contains(&owner), Error::<T>::OwnerIsMember);
		ensure!(
			members.iter().enumerate().all(|(i, who)| !members[..i].contains(who)),
			Error::<T>::DuplicateMember
		);
		ensure!(terms.max_output_len as usize == 4 * parameters.len(), Error::<T>::ParametersLengthMismatch);
		ensure!(
			terms.kind == ModelKind::PrivateTrainingMember &&
				terms.max_input_len as usize == member_input_len(parameters.len()),
			Error::<T>::NotAMemberCircuit
		);
		ensure!(noise.sigma_sq > 0 && noise.sensitivity_sq > 0, Error::<T>::InvalidNoise);
		let id = NextConsortiumId::<T>::get();
		let next = id.checked_add(1).ok_or(Error::<T>::ConsortiumIdOverflow)?;
		let deposit = T::ConsortiumDeposit::get();
		T::Currency::hold(&HoldReason::ConsortiumDeposit.into(), &owner, deposit)
			.map_err(|_| Error::<T>::InsufficientBalanceForDeposit)?;
		NextConsortiumId::<T>::put(next);
		let data = BoundedVec::truncate_from(alloc::vec![None; members.len()]);
		Consortia::<T>::insert(
			id,
			Consortium {
				owner: owner.clone(),
				deposit,
				model,
				members: members.clone(),
				parameters,
				data,
				noise,
				budget: None,
				attempts_spent: 0,
				rounds_completed: 0,
				round_attempts: 0,
				excluded: Default::default(),
				attempt: None,
			},
		);
		Self::deposit_event(Event::ConsortiumCreated { consortium: id, owner, model, members });
		Ok(id)
	}

	/// Records a member's data commitment; see [`Pallet::commit_data`].
	pub fn do_commit_data(who: T::AccountId, id: ConsortiumId, commitment: [u8; 32]) -> DispatchResult {
		let mut consortium = Consortia::<T>::get(id).ok_or(Error::<T>::UnknownConsortium)?;
		let member = Self::member_index(&consortium, &who)?;
		ensure!(is_canonical_scalar(&commitment), Error::<T>::NotCanonical);
		let slot = consortium.data.get_mut(member as usize).ok_or(Error::<T>::NotMember)?;
		ensure!(slot.is_none(), Error::<T>::DataAlreadyCommitted);
		*slot = Some(commitment);
		Consortia::<T>::insert(id, consortium);
		Self::deposit_event(Event::DataCommitted { consortium: id, member, commitment });
		Ok(())
	}

	/// Records a member's side of a pair's seed commitment; see [`Pallet::commit_seed`].
	pub fn do_commit_seed(who: T::AccountId, id: ConsortiumId, peer: MemberIndex, commitment: [u8; 32]) -> DispatchResult {
		let consortium = Consortia::<T>::get(id).ok_or(Error::<T>::UnknownConsortium)?;
		let member = Self::member_index(&consortium, &who)?;
		ensure!(peer != member && (peer as usize) < consortium.members.len(), Error::<T>::NotAPeer);
		ensure!(is_canonical_scalar(&commitment), Error::<T>::NotCanonical);
		let pair = Self::pair_of(member, peer);
		let mut sides = PairSeeds::<T>::get(id, pair);
		ensure!(Self::agreed(&sides).is_none(), Error::<T>::SeedsAlreadyAgreed);
		if member == pair.0 {
			sides.0 = Some(commitment);
		} else {
			sides.1 = Some(commitment);
		}
		let agreed = Self::agreed(&sides).is_some();
		PairSeeds::<T>::insert(id, pair, sides);
		Self::deposit_event(Event::SeedCommitted { consortium: id, pair, agreed });
		Ok(())
	}

	/// Sets the privacy budget; see [`Pallet::set_privacy_budget`].
	pub fn do_set_privacy_budget(id: ConsortiumId, budget: PrivacyBudget) -> DispatchResult {
		let DeltaPerQuintillion(delta) = budget.delta;
		ensure!(delta > 0 && delta < aichain_compute::privacy::QUINTILLION, Error::<T>::InvalidBudget);
		Consortia::<T>::try_mutate(id, |consortium| {
			let consortium = consortium.as_mut().ok_or(Error::<T>::UnknownConsortium)?;
			consortium.budget = Some(budget);
			Ok::<_, DispatchError>(())
		})?;
		Self::deposit_event(Event::PrivacyBudgetSet { consortium: id, budget });
		Ok(())
	}

	/// Removes a consortium and releases its deposit; see [`Pallet::close_consortium`].
	pub fn do_close_consortium(who: T::AccountId, id: ConsortiumId) -> DispatchResult {
		let consortium = Consortia::<T>::get(id).ok_or(Error::<T>::UnknownConsortium)?;
		ensure!(consortium.owner == who, Error::<T>::NotOwner);
		ensure!(consortium.attempt.is_none(), Error::<T>::AttemptInProgress);
		T::Currency::release(&HoldReason::ConsortiumDeposit.into(), &who, consortium.deposit, Precision::Exact)?;
		// At most MaxMembers·(MaxMembers − 1)/2 pairs: one pass removes them all.
		let _ = PairSeeds::<T>::clear_prefix(id, Self::max_pairs(), None);
		Consortia::<T>::remove(id);
		Self::deposit_event(Event::ConsortiumClosed { consortium: id, deposit_released: consortium.deposit });
		Ok(())
	}

	/// The index of `who` among the consortium's members.
	pub(crate) fn member_index(consortium: &Consortium<T>, who: &T::AccountId) -> Result<MemberIndex, DispatchError> {
		consortium
			.members
			.iter()
			.position(|m| m == who)
			.map(|i| i as MemberIndex)
			.ok_or_else(|| Error::<T>::NotMember.into())
	}

	/// The pair's agreed seed commitment: both sides posted, and equal.
	pub(crate) fn agreed(sides: &PairSides) -> Option<[u8; 32]> {
		match sides {
			(Some(low), Some(high)) if low == high => Some(*low),
			_ => None,
		}
	}

	/// The key of the pair of `a` and `b`: `(lower index, higher index)`.
	pub(crate) fn pair_of(a: MemberIndex, b: MemberIndex) -> (MemberIndex, MemberIndex) {
		(a.min(b), a.max(b))
	}

	/// The nonce of a consortium's attempt number `attempt` (counted from 0 over its life):
	/// unique on the chain, as consortium ids are never reused.
	pub fn nonce(id: ConsortiumId, attempt: u32) -> u64 {
		((id as u64) << 32) | attempt as u64
	}

	/// The most pairs a consortium has.
	pub(crate) fn max_pairs() -> u32 {
		let members = T::MaxMembers::get();
		members.saturating_mul(members.saturating_sub(1)) / 2
	}
}
