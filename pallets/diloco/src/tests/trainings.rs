//! Creating and closing trainings: checked models, settings and state; the deposit held and
//! released exactly.

use super::*;
use crate::{Error, Event, Phase};
use frame_support::{assert_noop, traits::fungible::InspectHold};

fn held(who: u64) -> u64 {
	Balances::balance_on_hold(&crate::HoldReason::TrainingDeposit.into(), &who)
}

#[test]
fn a_training_needs_training_models_that_answer_blobs_and_stored_state() {
	run_test(|| {
		let (parameters, momentum) = initial_state();
		let create = |who: u64, shard: u32, outer: u32, settings: RoundSettingsOf<Test>, parameters: &StateFileOf<Test>| {
			Diloco::create_training(RuntimeOrigin::signed(who), shard, outer, settings, parameters.clone(), momentum.clone())
		};
		let good = settings();
		assert_noop!(create(OWNER, 42, OUTER_MODEL, good, &parameters), Error::<Test>::UnknownModel);
		assert_noop!(create(OWNER, SHARD_MODEL, 42, good, &parameters), Error::<Test>::UnknownModel);
		assert_noop!(create(OWNER, CLASSIFIER, OUTER_MODEL, good, &parameters), Error::<Test>::NotATrainingModel);
		assert_noop!(create(OWNER, INLINE_ONLY, OUTER_MODEL, good, &parameters), Error::<Test>::ShardModelWithoutBlobOutputs);
		assert_noop!(create(OWNER, OUTER_MODEL, OUTER_MODEL, good, &parameters), Error::<Test>::ShardModelWithoutBlobOutputs);
		assert_noop!(create(OWNER, SHARD_MODEL, SHARD_MODEL, good, &parameters), Error::<Test>::OuterModelNotInline);
		assert_noop!(create(OWNER, SHARD_MODEL, INLINE_ONLY, good, &parameters), Error::<Test>::OuterModelNotInline);
		for bad in [
			crate::RoundSettings { shards: 0, ..good },
			crate::RoundSettings { shards: 5, ..good },
			crate::RoundSettings { steps: 0, ..good },
			crate::RoundSettings { replicas: 1, ..good },
		] {
			assert_noop!(create(OWNER, SHARD_MODEL, OUTER_MODEL, bad, &parameters), Error::<Test>::BadSettings);
		}
		let unstored = file(&[[9; 32], [8; 32]], 300_000);
		assert_noop!(create(OWNER, SHARD_MODEL, OUTER_MODEL, good, &unstored), Error::<Test>::StateNotStored);
		let wrong_size = file(&parameters.pieces, parameters.size + 1);
		keep(wrong_size.hash(), parameters.size);
		assert_noop!(create(OWNER, SHARD_MODEL, OUTER_MODEL, good, &wrong_size), Error::<Test>::StateNotStored);
		assert_noop!(
			create(POOR, SHARD_MODEL, OUTER_MODEL, good, &parameters),
			Error::<Test>::InsufficientBalanceForDeposit
		);

		assert_ok!(create(OWNER, SHARD_MODEL, OUTER_MODEL, good, &parameters));
		System::assert_last_event(Event::TrainingCreated { training: 0, owner: OWNER }.into());
		let training = Trainings::<Test>::get(0).unwrap();
		assert_eq!((training.parameters, training.momentum), (parameters, momentum));
		assert_eq!((training.round, training.validation_millibits, training.phase), (0, None, Phase::Idle));
		assert_eq!(held(OWNER), TRAINING_DEPOSIT);
	});
}

#[test]
fn a_training_closes_only_between_jobs_and_releases_its_deposit_exactly() {
	run_test(|| {
		let training = create();
		let free = Balances::free_balance(OWNER);
		assert_ok!(Diloco::start_round(RuntimeOrigin::signed(OWNER), training, ));
		assert_noop!(Diloco::close_training(RuntimeOrigin::signed(OTHER), training), Error::<Test>::NotOwner);
		assert_noop!(Diloco::close_training(RuntimeOrigin::signed(OWNER), training), Error::<Test>::RoundInProgress);
		let jobs = shard_jobs(training);
		refund(jobs[0]);
		assert_ok!(Diloco::close_training(RuntimeOrigin::signed(OWNER), training));
		System::assert_last_event(Event::TrainingClosed { training, deposit_released: TRAINING_DEPOSIT }.into());
		assert_eq!((held(OWNER), Balances::free_balance(OWNER)), (0, free + TRAINING_DEPOSIT));
		assert!(Trainings::<Test>::get(training).is_none());
		assert_noop!(Diloco::close_training(RuntimeOrigin::signed(OWNER), training), Error::<Test>::UnknownTraining);
		// The round's other job, still running in the market, ends into nothing.
		complete(jobs[1], &codec::Encode::encode(&change(1)));
	});
}
