//! The test runtime of the training pallet: System, Balances and the training pallet, with the
//! model registry and the job market replaced by small in-memory ones ([`TestModels`],
//! [`TestJobs`]) so that tests decide when a shard job completes and with which output. The
//! real market (escrow, proofs, workers) runs under the same pallet in the runtime, exercised
//! by `zombienet/tests/network-providers.test.js` (e).

use crate as pallet_training;
use aichain_compute::{JobId, ModelId, ModelKind};
use frame_support::{
	parameter_types,
	traits::{ConstU32, ConstU64},
};
use pallet_models::ModelTerms;
use sp_runtime::DispatchError;

aichain_test_utils::test_runtime! {
	2: Training = pallet_training,
}

/// Parameters: 3 `i32`s; shards: 5 bytes.
pub const PARAMETER_BYTES: u32 = 12;
pub const SHARD_BYTES: u32 = 5;
pub const PRICE: u64 = 100;

/// A provable training-step model of those sizes.
pub const TRAINING_MODEL: ModelId = 1;
/// A classifier with the same sizes.
pub const CLASSIFIER: ModelId = 2;
/// A training-step model without a verifying key.
pub const UNPROVABLE: ModelId = 3;

fn terms(kind: ModelKind, verifying_key: Option<[u8; 32]>) -> ModelTerms<u64, u64> {
	ModelTerms {
		owner: 99,
		kind,
		price: PRICE,
		royalty_bps: 0,
		verifying_key,
		max_input_len: PARAMETER_BYTES + SHARD_BYTES,
		max_output_len: PARAMETER_BYTES,
		min_timeout: 1,
		output_tolerance: 0,
	}
}

/// The active models: [`TRAINING_MODEL`], [`CLASSIFIER`] and [`UNPROVABLE`].
pub struct TestModels;

impl pallet_models::ModelRegistry<u64, u64> for TestModels {
	fn active_model(model: ModelId) -> Option<ModelTerms<u64, u64>> {
		match model {
			TRAINING_MODEL => Some(terms(ModelKind::TrainingStep, Some([7; 32]))),
			CLASSIFIER => Some(terms(ModelKind::Classifier, Some([7; 32]))),
			UNPROVABLE => Some(terms(ModelKind::TrainingStep, None)),
			_ => None,
		}
	}
}

aichain_test_utils::test_job_market! {
	first_id: 100,
	accepts: |_, max_price| if max_price < PRICE { Err(DispatchError::Other("PriceAboveMax")) } else { Ok(()) },
}

/// Job `id` completes with `output`, as the jobs pallet reports it after verifying its proof;
/// returns the weight the hook reports it used.
pub fn complete(id: JobId, output: &[u8]) -> frame_support::weights::Weight {
	let job = end_job(id);
	<Training as pallet_jobs::OnJobCompleted<u64>>::on_job_completed(id, job.model, &job.requester, output)
}

/// Job `id` ends without a result (refunded).
pub fn refund(id: JobId) {
	end_job(id);
}

parameter_types! {
	pub const MaxParameterBytes: u32 = PARAMETER_BYTES;
	pub const MaxShardBytes: u32 = SHARD_BYTES;
}

/// Held for each training.
pub const TRAINING_DEPOSIT: u64 = 300;

impl pallet_training::Config for Test {
	type Balance = u64;
	type Currency = Balances;
	type RuntimeHoldReason = RuntimeHoldReason;
	type TrainingDeposit = ConstU64<TRAINING_DEPOSIT>;
	type Models = TestModels;
	type Jobs = TestJobs;
	type MaxParameterBytes = MaxParameterBytes;
	type MaxShardBytes = MaxShardBytes;
	type MaxShards = ConstU32<4>;
	type WeightInfo = ();
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = TestBenchmarkHelper;
}

/// Benchmarks on the test runtime use [`TRAINING_MODEL`] (the sizes are the test runtime's).
#[cfg(feature = "runtime-benchmarks")]
pub struct TestBenchmarkHelper;

#[cfg(feature = "runtime-benchmarks")]
impl crate::BenchmarkHelper<u64, u64> for TestBenchmarkHelper {
	fn training_model(_: u32, _: u32) -> ModelId {
		TRAINING_MODEL
	}
	fn fund(_: &u64) {}
	fn max_price() -> u64 {
		u64::MAX
	}
}

pub const OWNER: u64 = 1;
pub const OTHER: u64 = 2;
/// Holds less than a training's deposit.
pub const POOR: u64 = 3;

/// Test externalities at block 1 with an empty job market.
pub fn new_test_ext() -> sp_io::TestExternalities {
	clear_jobs();
	ext_with_balances(vec![(OWNER, 1_000_000), (OTHER, 1_000_000), (POOR, TRAINING_DEPOSIT)])
}

/// Runs `test` and then checks the pallet's invariants.
pub fn run_test(test: impl FnOnce()) {
	new_test_ext().execute_with(|| {
		test();
		Training::do_try_state().expect("invariants hold");
	});
}
