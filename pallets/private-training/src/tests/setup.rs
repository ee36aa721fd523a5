//! Creating a consortium, the members' commitments, the budget, closing.

use super::*;

#[test]
fn a_consortium_is_created_with_its_members_in_order_and_a_held_deposit() {
	run_test(|| {
		let before = Balances::balance(&OWNER);
		let id = create();
		let consortium = Consortia::<Test>::get(id).unwrap();
		assert_eq!(consortium.members.into_inner(), HOSPITALS.to_vec());
		assert_eq!((consortium.data.len(), consortium.budget, consortium.attempts_spent), (4, None, 0));
		assert_eq!((Balances::balance(&OWNER), held(OWNER)), (before - DEPOSIT, DEPOSIT));
		System::assert_last_event(
			Event::ConsortiumCreated { consortium: id, owner: OWNER, model: MEMBER_MODEL, members: members(&HOSPITALS) }.into(),
		);
	});
}

#[test]
fn a_consortium_that_does_not_fit_the_member_circuit_is_refused() {
	run_test(|| {
		let create_with = |who: u64, model: u32, list: &[u64], params: &[i32], noise: GaussianRounds| {
			PrivateTraining::create_consortium(origin(who), model, members(list), params.to_vec().try_into().unwrap(), noise)
		};
		let zero = [0; PARAMETERS];
		assert_noop!(create_with(OWNER, 9, &HOSPITALS, &zero, NOISE), Error::<Test>::UnknownModel);
		assert_noop!(create_with(OWNER, UNPROVABLE, &HOSPITALS, &zero, NOISE), Error::<Test>::ModelNotProvable);
		assert_noop!(create_with(OWNER, OTHER_SIZES, &HOSPITALS, &zero, NOISE), Error::<Test>::NotAMemberCircuit);
		assert_noop!(create_with(OWNER, OTHER_KIND, &HOSPITALS, &zero, NOISE), Error::<Test>::NotAMemberCircuit);
		assert_noop!(create_with(OWNER, MEMBER_MODEL, &HOSPITALS[..2], &zero, NOISE), Error::<Test>::TooFewMembers);
		assert_noop!(create_with(OWNER, MEMBER_MODEL, &[11, 12, 11], &zero, NOISE), Error::<Test>::DuplicateMember);
		assert_noop!(create_with(OWNER, MEMBER_MODEL, &[11, 12, OWNER], &zero, NOISE), Error::<Test>::OwnerIsMember);
		assert_noop!(create_with(OWNER, MEMBER_MODEL, &HOSPITALS, &zero[..2], NOISE), Error::<Test>::ParametersLengthMismatch);
		let silent = GaussianRounds { sigma_sq: 0, ..NOISE };
		assert_noop!(create_with(OWNER, MEMBER_MODEL, &HOSPITALS, &zero, silent), Error::<Test>::InvalidNoise);
		assert_noop!(create_with(POOR, MEMBER_MODEL, &HOSPITALS, &zero, NOISE), Error::<Test>::InsufficientBalanceForDeposit);
	});
}

#[test]
fn only_members_commit_data_once_in_canonical_form() {
	run_test(|| {
		let id = create();
		assert_noop!(PrivateTraining::commit_data(origin(OUTSIDER), id, data_of(0)), Error::<Test>::NotMember);
		assert_noop!(PrivateTraining::commit_data(origin(HOSPITALS[0]), id + 1, data_of(0)), Error::<Test>::UnknownConsortium);
		assert_noop!(PrivateTraining::commit_data(origin(HOSPITALS[0]), id, [0xff; 32]), Error::<Test>::NotCanonical);
		assert_ok!(PrivateTraining::commit_data(origin(HOSPITALS[2]), id, data_of(2)));
		System::assert_last_event(Event::DataCommitted { consortium: id, member: 2, commitment: data_of(2) }.into());
		assert_noop!(PrivateTraining::commit_data(origin(HOSPITALS[2]), id, data_of(3)), Error::<Test>::DataAlreadyCommitted);
		assert_eq!(Consortia::<Test>::get(id).unwrap().data[2], Some(data_of(2)));
	});
}

#[test]
fn a_pair_agrees_when_both_sides_posted_the_same_commitment_and_is_then_fixed() {
	run_test(|| {
		let id = create();
		let (a, b) = (HOSPITALS[1], HOSPITALS[3]);
		assert_noop!(PrivateTraining::commit_seed(origin(a), id, 1, seed_of(1, 3)), Error::<Test>::NotAPeer);
		assert_noop!(PrivateTraining::commit_seed(origin(a), id, 4, seed_of(1, 3)), Error::<Test>::NotAPeer);
		assert_noop!(PrivateTraining::commit_seed(origin(OUTSIDER), id, 3, seed_of(1, 3)), Error::<Test>::NotMember);
		assert_noop!(PrivateTraining::commit_seed(origin(a), id, 3, [0xff; 32]), Error::<Test>::NotCanonical);
		assert_ok!(PrivateTraining::commit_seed(origin(a), id, 3, seed_of(1, 3)));
		System::assert_last_event(Event::SeedCommitted { consortium: id, pair: (1, 3), agreed: false }.into());
		// The other side disagrees, then corrects itself.
		assert_ok!(PrivateTraining::commit_seed(origin(b), id, 1, seed_of(0, 1)));
		System::assert_last_event(Event::SeedCommitted { consortium: id, pair: (1, 3), agreed: false }.into());
		assert_ok!(PrivateTraining::commit_seed(origin(b), id, 1, seed_of(1, 3)));
		System::assert_last_event(Event::SeedCommitted { consortium: id, pair: (1, 3), agreed: true }.into());
		assert_eq!(PairSeeds::<Test>::get(id, (1, 3)), (Some(seed_of(1, 3)), Some(seed_of(1, 3))));
		assert_noop!(PrivateTraining::commit_seed(origin(a), id, 3, seed_of(0, 2)), Error::<Test>::SeedsAlreadyAgreed);
	});
}

#[test]
fn only_governance_sets_the_budget_and_delta_must_be_a_probability() {
	run_test(|| {
		let id = create();
		assert_noop!(
			PrivateTraining::set_privacy_budget(origin(OWNER), id, 1_000_000, DELTA),
			sp_runtime::DispatchError::BadOrigin
		);
		for delta in [0, 1_000_000_000_000_000_000] {
			assert_noop!(
				PrivateTraining::set_privacy_budget(RawOrigin::Root.into(), id, 1_000_000, DeltaPerQuintillion(delta)),
				Error::<Test>::InvalidBudget
			);
		}
		assert_noop!(
			PrivateTraining::set_privacy_budget(RawOrigin::Root.into(), id + 1, 1_000_000, DELTA),
			Error::<Test>::UnknownConsortium
		);
		set_budget(id, 3_000_000);
		let budget = PrivacyBudget { epsilon_micro: 3_000_000, delta: DELTA };
		System::assert_last_event(Event::PrivacyBudgetSet { consortium: id, budget }.into());
		assert_eq!(Consortia::<Test>::get(id).unwrap().budget, Some(budget));
	});
}

#[test]
fn the_owner_closes_a_consortium_without_a_running_attempt_and_gets_the_deposit_back() {
	run_test(|| {
		let id = ready();
		assert_ok!(PrivateTraining::start_round(origin(OWNER), id, PRICE, 5));
		assert_noop!(PrivateTraining::close_consortium(origin(OUTSIDER), id), Error::<Test>::NotOwner);
		assert_noop!(PrivateTraining::close_consortium(origin(OWNER), id + 1), Error::<Test>::UnknownConsortium);
		assert_noop!(PrivateTraining::close_consortium(origin(OWNER), id), Error::<Test>::AttemptInProgress);
		refund(attempt_jobs(id)[0].0);
		let before = Balances::balance(&OWNER);
		assert_ok!(PrivateTraining::close_consortium(origin(OWNER), id));
		System::assert_last_event(Event::ConsortiumClosed { consortium: id, deposit_released: DEPOSIT }.into());
		assert_eq!((Balances::balance(&OWNER), held(OWNER)), (before + DEPOSIT, 0));
		assert!(Consortia::<Test>::get(id).is_none() && PairSeeds::<Test>::iter_prefix(id).next().is_none());
		assert!(MemberJobs::<Test>::iter().next().is_none());
	});
}
