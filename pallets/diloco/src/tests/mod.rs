//! What an owner, a worker's agreed output and anyone storing files see of DiLoCo trainings.

mod rounds;
mod trainings;

use crate::{mock::*, RoundSettingsOf, StateFileOf, Trainings};
use aichain_compute::{blob::BlobRef, diloco::OuterResult};
use frame_support::{assert_ok, BoundedVec};

/// Two shards of 25 steps, 2 replicas, 10 blocks per phase.
pub fn settings() -> RoundSettingsOf<Test> {
	crate::RoundSettings { shards: 2, steps: 25, replicas: 2, max_price: PRICE, timeout: 10 }
}

/// A state file of `pieces` (a file of `size` bytes), not kept.
pub fn file(pieces: &[[u8; 32]], size: u64) -> StateFileOf<Test> {
	crate::StateFile { size, pieces: BoundedVec::truncate_from(pieces.to_vec()) }
}

/// A state file of `pieces` (a file of `size` bytes), kept.
pub fn stored(pieces: &[[u8; 32]], size: u64) -> StateFileOf<Test> {
	let file = file(pieces, size);
	keep(file.hash(), size);
	file
}

/// Parameters of three pieces (a manifest) and momentum of the same size.
pub fn initial_state() -> (StateFileOf<Test>, StateFileOf<Test>) {
	let size = 2 * 262_144 + 100;
	(stored(&[[1; 32], [2; 32], [3; 32]], size), stored(&[[4; 32], [5; 32], [6; 32]], size))
}

/// A training of the owner's from [`initial_state`] with [`settings`].
pub fn create() -> u32 {
	let (parameters, momentum) = initial_state();
	assert_ok!(Diloco::create_training(
		RuntimeOrigin::signed(OWNER),
		SHARD_MODEL,
		OUTER_MODEL,
		settings(),
		parameters,
		momentum
	));
	crate::NextTrainingId::<Test>::get() - 1
}

/// The jobs of the training's running shard round.
pub fn shard_jobs(training: u32) -> Vec<u64> {
	match Trainings::<Test>::get(training).unwrap().phase {
		crate::Phase::Shards { jobs, .. } => jobs.into_inner(),
		other => panic!("not running shards: {other:?}"),
	}
}

/// The change blob shard `i`'s workers agreed on.
pub fn change(i: u8) -> BlobRef {
	BlobRef { hash: [100 + i; 32], size: 137_223 }
}

/// An outer step's agreed result.
pub fn outer_result() -> OuterResult {
	OuterResult { parameters: [0; 32], momentum: [0; 32], validation_millibits: 4_883, rejected: 0b10 }
}
