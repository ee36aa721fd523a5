//! What an owner of a training sees: checked arguments, one zk job per shard with input
//! `parameters ‖ shard`, the verified shard results averaged into the recorded parameters
//! (rounded down), and rounds that cannot complete abandoned without changing the parameters.

use crate::{mock::*, Error, Event, ShardJobs, Trainings};
use aichain_compute::{fixed, Tier};
use frame_support::{assert_noop, assert_ok, BoundedVec};

fn parameters(values: &[i32]) -> BoundedVec<u8, MaxParameterBytes> {
	BoundedVec::truncate_from(fixed::encode_i32(values))
}

fn shards(count: u8) -> crate::ShardsOf<Test> {
	BoundedVec::truncate_from((0..count).map(|i| BoundedVec::truncate_from(vec![i; SHARD_BYTES as usize])).collect())
}

fn create(initial: &[i32]) -> u32 {
	assert_ok!(Training::create_training(RuntimeOrigin::signed(OWNER), TRAINING_MODEL, parameters(initial)));
	crate::NextTrainingId::<Test>::get() - 1
}

fn start(training: u32, count: u8) -> Vec<u64> {
	assert_ok!(Training::start_round(RuntimeOrigin::signed(OWNER), training, shards(count), PRICE, 10));
	Trainings::<Test>::get(training).unwrap().round.unwrap().jobs.into_inner()
}

fn current_parameters(training: u32) -> Vec<i32> {
	fixed::decode_i32(&Trainings::<Test>::get(training).unwrap().parameters).unwrap()
}

#[test]
fn a_training_needs_a_provable_training_model_and_parameters_of_its_output_size() {
	run_test(|| {
		let owner = RuntimeOrigin::signed(OWNER);
		let good = parameters(&[1, 2, 3]);
		assert_noop!(Training::create_training(owner.clone(), 42, good.clone()), Error::<Test>::UnknownModel);
		assert_noop!(Training::create_training(owner.clone(), CLASSIFIER, good.clone()), Error::<Test>::NotATrainingModel);
		assert_noop!(Training::create_training(owner.clone(), UNPROVABLE, good.clone()), Error::<Test>::ModelNotProvable);
		for wrong in [vec![1u8; 8], vec![1u8; 11]] {
			assert_noop!(
				Training::create_training(owner.clone(), TRAINING_MODEL, BoundedVec::truncate_from(wrong)),
				Error::<Test>::ParametersLengthMismatch
			);
		}
		assert_ok!(Training::create_training(owner, TRAINING_MODEL, good.clone()));
		System::assert_last_event(Event::TrainingCreated { training: 0, owner: OWNER, model: TRAINING_MODEL }.into());
		let training = Trainings::<Test>::get(0).unwrap();
		assert_eq!((training.parameters, training.rounds_completed, training.round), (good, 0, None));
	});
}

#[test]
fn a_round_posts_one_zk_job_per_shard_paid_by_the_owner() {
	run_test(|| {
		let training = create(&[5, -6, 7]);
		assert_noop!(
			Training::start_round(RuntimeOrigin::signed(OTHER), training, shards(2), PRICE, 10),
			Error::<Test>::NotOwner
		);
		assert_noop!(Training::start_round(RuntimeOrigin::signed(OWNER), 9, shards(2), PRICE, 10), Error::<Test>::UnknownTraining);
		assert_noop!(Training::start_round(RuntimeOrigin::signed(OWNER), training, shards(0), PRICE, 10), Error::<Test>::NoShards);
		let mut short = shards(2);
		short[1].pop();
		assert_noop!(
			Training::start_round(RuntimeOrigin::signed(OWNER), training, short, PRICE, 10),
			Error::<Test>::ShardLengthMismatch
		);
		// The market refuses the price: no job of the round is posted.
		assert_noop!(
			Training::start_round(RuntimeOrigin::signed(OWNER), training, shards(2), PRICE - 1, 10),
			sp_runtime::DispatchError::Other("PriceAboveMax")
		);

		let jobs = start(training, 3);
		assert_eq!(jobs.len(), 3);
		for (index, job) in jobs.iter().enumerate() {
			let mut input = fixed::encode_i32(&[5, -6, 7]);
			input.extend([index as u8; SHARD_BYTES as usize]);
			let submitted = submitted(*job);
			assert_eq!(
				(submitted.requester, submitted.model, submitted.input, submitted.tier, submitted.timeout),
				(OWNER, TRAINING_MODEL, input, Tier::Zk, 10)
			);
			assert_eq!(ShardJobs::<Test>::get(job), Some((training, index as u32)));
		}
		System::assert_last_event(
			Event::RoundStarted { training, round: 0, jobs: BoundedVec::truncate_from(jobs.clone()) }.into(),
		);
		assert_noop!(
			Training::start_round(RuntimeOrigin::signed(OWNER), training, shards(1), PRICE, 10),
			Error::<Test>::RoundInProgress
		);
	});
}

#[test]
fn the_verified_shard_results_are_averaged_into_the_recorded_parameters() {
	run_test(|| {
		let training = create(&[0, 0, 0]);
		let jobs = start(training, 3);
		complete(jobs[2], &fixed::encode_i32(&[3, -1, 100]));
		complete(jobs[0], &fixed::encode_i32(&[4, -1, 200]));
		// Two of three: nothing recorded yet, and the round still runs.
		assert_eq!(current_parameters(training), vec![0, 0, 0]);
		System::assert_last_event(Event::ShardCompleted { training, round: 0, job: jobs[0] }.into());
		assert_noop!(
			Training::start_round(RuntimeOrigin::signed(OWNER), training, shards(1), PRICE, 10),
			Error::<Test>::RoundInProgress
		);
		complete(jobs[1], &fixed::encode_i32(&[4, -2, 301]));
		// ⌊(3+4+4)/3⌋ = 3, ⌊−4/3⌋ = −2, ⌊601/3⌋ = 200.
		assert_eq!(current_parameters(training), vec![3, -2, 200]);
		System::assert_last_event(Event::RoundCompleted { training, round: 0, parameters: parameters(&[3, -2, 200]) }.into());
		let recorded = Trainings::<Test>::get(training).unwrap();
		assert_eq!((recorded.rounds_completed, recorded.round), (1, None));
		assert_eq!(ShardJobs::<Test>::iter().count(), 0);

		// The next round trains the recorded parameters.
		let next = start(training, 1);
		assert_eq!(&submitted(next[0]).input[..PARAMETER_BYTES as usize], &fixed::encode_i32(&[3, -2, 200])[..]);
		System::assert_last_event(
			Event::RoundStarted { training, round: 1, jobs: BoundedVec::truncate_from(next.clone()) }.into(),
		);
		complete(next[0], &fixed::encode_i32(&[9, 9, 9]));
		assert_eq!((current_parameters(training), Trainings::<Test>::get(training).unwrap().rounds_completed), (vec![9, 9, 9], 2));
	});
}

#[test]
fn a_round_with_a_refunded_job_is_abandoned_by_the_next_and_changes_nothing() {
	run_test(|| {
		let training = create(&[1, 2, 3]);
		let jobs = start(training, 2);
		complete(jobs[0], &fixed::encode_i32(&[7, 7, 7]));
		refund(jobs[1]);
		let next = start(training, 2);
		System::assert_has_event(Event::RoundAbandoned { training, round: 0 }.into());
		assert_eq!(current_parameters(training), vec![1, 2, 3]);
		assert_eq!(Trainings::<Test>::get(training).unwrap().rounds_completed, 0);
		assert_eq!(ShardJobs::<Test>::get(jobs[1]), None);
		assert_eq!(&submitted(next[0]).input[..PARAMETER_BYTES as usize], &fixed::encode_i32(&[1, 2, 3])[..]);
	});
}

#[test]
fn other_jobs_and_outputs_that_are_not_parameters_change_nothing() {
	run_test(|| {
		let training = create(&[1, 2, 3]);
		let jobs = start(training, 1);
		// A job of someone else's (not a shard job) completing: a lookup is all it costs.
		let used = <Training as pallet_jobs::OnJobCompleted<u64>>::on_job_completed(7, TRAINING_MODEL, &OTHER, &[0; 12]);
		assert_eq!(used, <<Test as frame_system::Config>::DbWeight as frame_support::traits::Get<frame_support::weights::RuntimeDbWeight>>::get().reads(1));
		// An output of the wrong size is dropped: the round can no longer complete. A shard job
		// is charged the hook's worst case.
		let worst = <Training as pallet_jobs::OnJobCompleted<u64>>::weight();
		assert!(worst.ref_time() > 0);
		assert_eq!(complete(jobs[0], &[1, 2, 3]), worst);
		assert_eq!(current_parameters(training), vec![1, 2, 3]);
		assert_eq!(ShardJobs::<Test>::iter().count(), 0);
		// ...and the next round abandons it.
		start(training, 1);
		System::assert_has_event(Event::RoundAbandoned { training, round: 0 }.into());
	});
}

fn held(who: u64) -> u64 {
	use frame_support::traits::fungible::InspectHold;
	Balances::balance_on_hold(&crate::HoldReason::TrainingDeposit.into(), &who)
}

#[test]
fn a_training_holds_its_deposit_until_its_owner_closes_it() {
	run_test(|| {
		// The deposit must be payable: a poor caller changes nothing.
		assert_noop!(
			Training::create_training(RuntimeOrigin::signed(POOR), TRAINING_MODEL, parameters(&[1, 2, 3])),
			Error::<Test>::InsufficientBalanceForDeposit
		);
		let training = create(&[1, 2, 3]);
		assert_eq!(held(OWNER), TRAINING_DEPOSIT);
		assert_eq!(Balances::free_balance(OWNER), 1_000_000 - TRAINING_DEPOSIT);
		let jobs = start(training, 2);

		assert_noop!(Training::close_training(RuntimeOrigin::signed(OTHER), training), Error::<Test>::NotOwner);
		assert_noop!(Training::close_training(RuntimeOrigin::signed(OWNER), 9), Error::<Test>::UnknownTraining);
		// A running round keeps it open.
		assert_noop!(Training::close_training(RuntimeOrigin::signed(OWNER), training), Error::<Test>::RoundInProgress);
		complete(jobs[0], &fixed::encode_i32(&[7, 7, 7]));
		assert_noop!(Training::close_training(RuntimeOrigin::signed(OWNER), training), Error::<Test>::RoundInProgress);

		// The round died (its other job was refunded): closing drops it and its index.
		refund(jobs[1]);
		assert_ok!(Training::close_training(RuntimeOrigin::signed(OWNER), training));
		System::assert_last_event(Event::TrainingClosed { training, deposit_released: TRAINING_DEPOSIT }.into());
		assert_eq!((held(OWNER), Balances::free_balance(OWNER)), (0, 1_000_000));
		assert!(!Trainings::<Test>::contains_key(training));
		assert_eq!(ShardJobs::<Test>::iter().count(), 0);
		// A late result of the closed training's job changes nothing.
		complete(jobs[1], &fixed::encode_i32(&[1, 1, 1]));
		assert_noop!(Training::close_training(RuntimeOrigin::signed(OWNER), training), Error::<Test>::UnknownTraining);
	});
}
