//! A round as its owner and anyone storing files see it: shard jobs over exactly the inputs the
//! chain computes, agreed changes recorded, the outer job over the state and those changes, the
//! next state accepted only under the agreed hashes; refunded jobs, garbage outputs and stuck
//! rounds abandoned without touching the state.

use super::*;
use crate::{Error, Event, Phase, TrainingJobs};
use aichain_compute::{
	blob::ManifestView,
	diloco::OuterTask,
	Tier,
};
use codec::Encode;
use frame_support::assert_noop;
use sp_io::hashing::blake2_256;

/// The hash of the manifest of `header` followed by `pieces`, `size` bytes after the header:
/// what the test expects the chain to ask for, computed here from scratch.
fn manifest_hash(header: &[u8], pieces: &[[u8; 32]], size: u64) -> [u8; 32] {
	let chunks = [vec![blake2_256(header)], pieces.to_vec()].concat();
	blake2_256(&ManifestView { total_size: header.len() as u64 + size, chunks }.to_blob())
}

fn start(training: u32) -> Vec<u64> {
	assert_ok!(Diloco::start_round(RuntimeOrigin::signed(OWNER), training));
	shard_jobs(training)
}

/// Runs a round to its agreed outer step; returns the outer job.
fn to_outer(training: u32) -> u64 {
	let jobs = start(training);
	for (i, job) in jobs.iter().enumerate() {
		complete(*job, &change(i as u8).encode());
	}
	assert_ok!(Diloco::start_outer(RuntimeOrigin::signed(OWNER), training));
	let crate::Phase::Outer { job, .. } = Trainings::<Test>::get(training).unwrap().phase else { panic!("outer") };
	job
}

#[test]
fn a_round_trains_shards_over_the_inputs_the_chain_computes_and_advances_to_the_agreed_state() {
	run_test(|| {
		let training = create();
		let (parameters, momentum) = initial_state();
		assert_noop!(Diloco::start_round(RuntimeOrigin::signed(OTHER), training), Error::<Test>::NotOwner);
		assert_noop!(Diloco::start_round(RuntimeOrigin::signed(OWNER), 9), Error::<Test>::UnknownTraining);
		assert_noop!(Diloco::start_outer(RuntimeOrigin::signed(OWNER), training), Error::<Test>::WrongPhase);

		let jobs = start(training);
		System::assert_last_event(
			Event::RoundStarted { training, round: 0, jobs: BoundedVec::truncate_from(jobs.clone()) }.into(),
		);
		let mut seeds = Vec::new();
		for (shard, job) in jobs.iter().enumerate() {
			let shard_job = submitted(*job);
			let task = Diloco::shard_task(training, &Trainings::<Test>::get(training).unwrap(), shard as u32);
			assert_eq!(
				(task.training, task.round, task.shard, task.shards, task.steps),
				(training, 0, shard as u32, 2, 25)
			);
			seeds.push(task.seed);
			let expected = manifest_hash(&task.to_blob(), &parameters.pieces, parameters.size);
			assert_eq!(shard_job.input, expected.to_vec(), "shard {shard}: the manifest of its header and the parameters");
			assert_eq!((shard_job.model, shard_job.tier), (SHARD_MODEL, Tier::Redundancy { replicas: 2 }));
			assert_eq!((shard_job.requester, shard_job.max_price, shard_job.timeout), (OWNER, PRICE, 10));
		}
		assert_ne!(seeds[0], seeds[1], "shards draw different batches");
		assert_noop!(Diloco::start_round(RuntimeOrigin::signed(OWNER), training), Error::<Test>::WrongPhase);

		complete(jobs[1], &change(1).encode());
		System::assert_last_event(Event::ShardCompleted { training, round: 0, shard: 1, change: change(1) }.into());
		assert_noop!(Diloco::start_outer(RuntimeOrigin::signed(OWNER), training), Error::<Test>::WrongPhase);
		complete(jobs[0], &change(0).encode());
		assert!(matches!(Trainings::<Test>::get(training).unwrap().phase, Phase::Changes { .. }));

		assert_noop!(Diloco::start_outer(RuntimeOrigin::signed(OTHER), training), Error::<Test>::NotOwner);
		assert_ok!(Diloco::start_outer(RuntimeOrigin::signed(OWNER), training));
		let outer = *jobs.last().unwrap() + 1;
		System::assert_last_event(Event::OuterStarted { training, round: 0, job: outer }.into());
		let header = OuterTask { training, round: 0, shards: 2, steps: 25 }.to_blob();
		let pieces = [&parameters.pieces[..], &momentum.pieces[..], &[change(0).hash, change(1).hash]].concat();
		let size = parameters.size + momentum.size + change(0).size + change(1).size;
		let outer_job = submitted(outer);
		assert_eq!(outer_job.input, manifest_hash(&header, &pieces, size).to_vec(), "the state, then each change");
		assert_eq!((outer_job.model, outer_job.tier), (OUTER_MODEL, Tier::Redundancy { replicas: 2 }));

		let next = (file(&[[11; 32], [12; 32], [13; 32]], parameters.size), file(&[[14; 32], [15; 32], [16; 32]], momentum.size));
		let result = OuterResult { parameters: next.0.hash(), momentum: next.1.hash(), ..outer_result() };
		complete(outer, &result.encode());
		System::assert_last_event(Event::OuterAgreed { training, round: 0, result }.into());
		let agreed = Phase::Agreed { result, changes: BoundedVec::truncate_from(vec![change(0), change(1)]) };
		assert_eq!(Trainings::<Test>::get(training).unwrap().phase, agreed, "the changes stay listed for whoever recomputes the step");

		let advance = |p: &StateFileOf<Test>, m: &StateFileOf<Test>| {
			Diloco::advance(RuntimeOrigin::signed(OTHER), training, p.clone(), m.clone())
		};
		assert_noop!(advance(&next.1, &next.0), Error::<Test>::StateMismatch);
		assert_noop!(advance(&parameters, &momentum), Error::<Test>::StateMismatch);
		assert_noop!(advance(&next.0, &next.1), Error::<Test>::StateNotStored);
		keep(next.0.hash(), next.0.size);
		keep(next.1.hash(), next.1.size);
		assert_ok!(advance(&next.0, &next.1));
		System::assert_last_event(
			Event::RoundCompleted {
				training,
				round: 0,
				parameters: result.parameters,
				momentum: result.momentum,
				validation_millibits: 4_883,
				rejected: 0b10,
			}
			.into(),
		);
		let record = Trainings::<Test>::get(training).unwrap();
		assert_eq!((record.round, record.validation_millibits, record.phase), (1, Some(4_883), Phase::Idle));
		assert_eq!((&record.parameters, &record.momentum), (&next.0, &next.1));
		assert_noop!(advance(&next.0, &next.1), Error::<Test>::WrongPhase);

		// The next round trains from the new parameters, with new seeds.
		let jobs = start(training);
		let task = Diloco::shard_task(training, &Trainings::<Test>::get(training).unwrap(), 0);
		assert_eq!(task.round, 1);
		assert!(!seeds.contains(&task.seed));
		assert_eq!(submitted(jobs[0]).input, manifest_hash(&task.to_blob(), &next.0.pieces, next.0.size).to_vec());
	});
}

#[test]
fn a_refunded_job_abandons_the_round_and_its_other_jobs_end_into_nothing() {
	run_test(|| {
		let training = create();
		let before = Trainings::<Test>::get(training).unwrap();
		let jobs = start(training);
		complete(jobs[0], &change(0).encode());
		refund(jobs[1]);
		System::assert_last_event(Event::RoundAbandoned { training, round: 0 }.into());
		assert_eq!(Trainings::<Test>::get(training).unwrap(), before, "the state and round are unchanged");
		assert_eq!(TrainingJobs::<Test>::iter().count(), 0);

		// The outer job refunded: the same.
		let outer = to_outer(training);
		refund(outer);
		System::assert_last_event(Event::RoundAbandoned { training, round: 0 }.into());
		assert_eq!(Trainings::<Test>::get(training).unwrap(), before);

		// A later round's shard job ends after its round was abandoned: nothing happens.
		let jobs = start(training);
		refund(jobs[0]);
		let events = System::events().len();
		complete(jobs[1], &change(1).encode());
		assert_eq!(System::events().len(), events);
		assert_eq!(Trainings::<Test>::get(training).unwrap(), before);
	});
}

#[test]
fn outputs_that_are_not_what_the_task_answers_abandon_the_round() {
	run_test(|| {
		let training = create();
		let before = Trainings::<Test>::get(training).unwrap();
		let jobs = start(training);
		complete(jobs[0], &[1, 2, 3]);
		System::assert_last_event(Event::RoundAbandoned { training, round: 0 }.into());
		assert_eq!(Trainings::<Test>::get(training).unwrap(), before);
		complete(jobs[1], &change(1).encode());

		let outer = to_outer(training);
		complete(outer, &[outer_result().encode(), vec![0]].concat());
		System::assert_last_event(Event::RoundAbandoned { training, round: 0 }.into());
		assert_eq!(Trainings::<Test>::get(training).unwrap(), before);
	});
}

#[test]
fn the_owner_drops_a_round_only_while_none_of_its_jobs_runs() {
	run_test(|| {
		let training = create();
		let abandon = |who| Diloco::abandon_round(RuntimeOrigin::signed(who), training);
		assert_noop!(abandon(OWNER), Error::<Test>::WrongPhase);
		let jobs = start(training);
		assert_noop!(abandon(OWNER), Error::<Test>::RoundInProgress);
		for (i, job) in jobs.iter().enumerate() {
			complete(*job, &change(i as u8).encode());
		}
		assert_noop!(abandon(OTHER), Error::<Test>::NotOwner);
		assert_ok!(abandon(OWNER));
		System::assert_last_event(Event::RoundAbandoned { training, round: 0 }.into());

		// An agreed outer step whose files nobody stores.
		let outer = to_outer(training);
		assert_noop!(abandon(OWNER), Error::<Test>::RoundInProgress);
		complete(outer, &outer_result().encode());
		assert_ok!(abandon(OWNER));
		assert_eq!(Trainings::<Test>::get(training).unwrap().phase, Phase::Idle);
		assert_eq!(Trainings::<Test>::get(training).unwrap().round, 0);
	});
}

#[test]
fn a_round_whose_input_was_not_stored_submits_nothing() {
	run_test(|| {
		let training = create();
		// The market refuses the first job (here: a price below the model's), as it refuses an
		// input blob that is not kept: no job of the round stays.
		Trainings::<Test>::mutate(training, |t| t.as_mut().unwrap().settings.max_price = PRICE - 1);
		assert!(Diloco::start_round(RuntimeOrigin::signed(OWNER), training).is_err());
		assert_eq!(Trainings::<Test>::get(training).unwrap().phase, Phase::Idle);
		assert_eq!(TrainingJobs::<Test>::iter().count(), 0);
	});
}

#[test]
fn the_hook_charges_a_lookup_for_other_jobs() {
	run_test(|| {
		use frame_support::traits::Get;
		let training = create();
		let jobs = start(training);
		let other = <TestJobs as pallet_jobs::JobSubmitter<u64, u64, u64>>::submit_job(OTHER, 7, vec![1], Tier::Optimistic, PRICE, 5).unwrap();
		let db: frame_support::weights::RuntimeDbWeight = <Test as frame_system::Config>::DbWeight::get();
		assert_eq!(complete(other, &[1]), db.reads(1));
		assert_eq!(complete(jobs[0], &change(0).encode()), <Diloco as pallet_jobs::OnJobCompleted<u64>>::weight());
	});
}
