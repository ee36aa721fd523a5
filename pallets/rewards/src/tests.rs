//! Tests of the rewards pallet: emission and fees split by verified work to the unit, carry-over
//! of eras without work, settlement across eras, expiry, and every error.

use crate::{mock::*, ActiveEra, Claimable, EraPayout, EraPayouts, Error, Event, Owed};
use aichain_compute::OnVerifiedWork;
use frame_support::{assert_noop, assert_ok, traits::fungible::Inspect};
use frame_system::RawOrigin;

fn origin(who: u64) -> RuntimeOrigin {
	RawOrigin::Signed(who).into()
}

fn free(who: u64) -> u64 {
	Balances::balance(&who)
}

/// What the jobs pallet reports when `worker` is paid `payment` for a verified result.
fn verified(worker: u64, payment: u64) {
	<Rewards as OnVerifiedWork<u64, u64>>::on_verified_work(&worker, payment);
}

/// Protocol fees arriving in the pot.
fn fees(amount: u64) {
	assert_ok!(Balances::transfer_allow_death(origin(CHARLIE), POT, amount));
}

/// Ends era `era` (they are `ERA_LENGTH` blocks long and begin at block 0).
fn end_era(era: u64) {
	run_to_block((era + 1) * ERA_LENGTH);
}

#[test]
fn emission_and_fees_are_split_by_verified_work_to_the_unit() {
	run_test(|| {
		fees(300);
		verified(ALICE, 3);
		verified(BOB, 1);
		assert_noop!(Rewards::claim_rewards(origin(ALICE)), Error::<Test>::NothingToClaim);
		let issuance = Balances::total_issuance();

		end_era(0);
		System::assert_last_event(Event::EraEnded { era: 0, emission: EMISSION, reward: 1_300, points: 4 }.into());
		assert_eq!(Balances::total_issuance(), issuance + EMISSION);
		assert_eq!(ActiveEra::<Test>::get().index, 1);
		assert_eq!(Owed::<Test>::get(), 1_300);

		let (alice, bob) = (free(ALICE), free(BOB));
		assert_ok!(Rewards::claim_rewards(origin(ALICE)));
		System::assert_last_event(Event::RewardsClaimed { worker: ALICE, amount: 975 }.into());
		assert_ok!(Rewards::claim_rewards(origin(BOB)));
		System::assert_last_event(Event::RewardsClaimed { worker: BOB, amount: 325 }.into());
		assert_eq!((free(ALICE), free(BOB)), (alice + 975, bob + 325));
		assert_eq!(free(POT), EXISTENTIAL_DEPOSIT);
		assert_eq!(Owed::<Test>::get(), 0);
		assert_noop!(Rewards::claim_rewards(origin(ALICE)), Error::<Test>::NothingToClaim);
	});
}

#[test]
fn an_era_without_verified_work_carries_its_pot_over() {
	run_test(|| {
		fees(100);
		end_era(0);
		System::assert_last_event(Event::EraEnded { era: 0, emission: EMISSION, reward: 0, points: 0 }.into());
		assert!(EraPayouts::<Test>::get(0).is_none());
		verified(ALICE, 950);
		end_era(1);
		System::assert_last_event(
			Event::EraEnded { era: 1, emission: EMISSION, reward: 2 * EMISSION + 100, points: 950 }.into(),
		);
		let alice = free(ALICE);
		assert_ok!(Rewards::claim_rewards(origin(ALICE)));
		assert_eq!(free(ALICE), alice + 2 * EMISSION + 100);
	});
}

#[test]
fn work_in_a_new_era_settles_the_last_one_and_current_work_waits_for_its_era_to_end() {
	run_test(|| {
		verified(ALICE, 1);
		verified(BOB, 1);
		end_era(0);
		// Alice works again in era 1 before claiming: era 0's share is settled, not lost.
		verified(ALICE, 5);
		assert_eq!(Claimable::<Test>::get(ALICE), 500);
		end_era(1);
		System::assert_last_event(Event::EraEnded { era: 1, emission: EMISSION, reward: EMISSION, points: 5 }.into());
		let alice = free(ALICE);
		assert_ok!(Rewards::claim_rewards(origin(ALICE)));
		System::assert_last_event(Event::RewardsClaimed { worker: ALICE, amount: 1_500 }.into());
		assert_eq!(free(ALICE), alice + 1_500);
		// Work in the era in progress is not claimable yet.
		verified(ALICE, 1);
		assert_noop!(Rewards::claim_rewards(origin(ALICE)), Error::<Test>::NothingToClaim);
		assert_eq!(EraPayouts::<Test>::get(0), Some(EraPayout { reward: 1_000, points: 2, settled: 500 }));
	});
}

#[test]
fn unclaimed_rewards_and_rounding_dust_expire_back_to_the_pot() {
	run_test(|| {
		verified(ALICE, 1);
		verified(BOB, 1);
		verified(CHARLIE, 1);
		end_era(0);
		// 1,000 over three equal shares: 333 each, 1 left over.
		assert_ok!(Rewards::claim_rewards(origin(ALICE)));
		System::assert_last_event(Event::RewardsClaimed { worker: ALICE, amount: 333 }.into());
		end_era(1);
		// Era 0 falls out of the history when era 2 ends: Bob's and Charlie's shares and the
		// dust (667) go back to the pot, which allocates them in the next era with work.
		end_era(2);
		System::assert_last_event(Event::RewardsExpired { era: 0, amount: 667 }.into());
		assert_eq!(Owed::<Test>::get(), 0);
		assert_noop!(Rewards::claim_rewards(origin(BOB)), Error::<Test>::NothingToClaim);
		verified(CHARLIE, 1);
		end_era(3);
		System::assert_has_event(
			Event::EraEnded { era: 3, emission: EMISSION, reward: 667 + 3 * EMISSION, points: 1 }.into(),
		);
	});
}

#[test]
fn a_claim_too_small_to_open_an_account_is_refused_and_kept() {
	run_test(|| {
		verified(ALICE, 999);
		verified(NEWCOMER, 1);
		end_era(0);
		// One unit is below the existential deposit of a new account.
		assert_noop!(Rewards::claim_rewards(origin(NEWCOMER)), sp_runtime::TokenError::BelowMinimum);
		assert_eq!(free(NEWCOMER), 0);
		assert_ok!(Rewards::claim_rewards(origin(ALICE)));
		System::assert_last_event(Event::RewardsClaimed { worker: ALICE, amount: 999 }.into());
	});
}
