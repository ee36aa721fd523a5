//! The test runtime of the DiLoCo pallet: System, Balances and the pallet, with the model
//! registry, the job market and the blob store replaced by small in-memory ones
//! ([`TestModels`], [`TestJobs`], [`TestBlobs`]) so that tests decide which files are stored
//! and when a job completes, with which output. The real market (blob inputs, sketches,
//! slashing) runs under the same pallet in the runtime.

use crate as pallet_diloco;
use aichain_compute::{JobId, ModelId, ModelKind};
use frame_support::traits::{ConstU32, ConstU64};
use pallet_models::{BlobLimits, ModelTerms};
use sp_runtime::DispatchError;
use std::{cell::RefCell, collections::BTreeMap};

aichain_test_utils::test_runtime! {
	2: Diloco = pallet_diloco,
}

pub const PRICE: u64 = 100;

/// A training-step model answering blob inputs with row outputs.
pub const SHARD_MODEL: ModelId = 1;
/// A training-step model answering blob inputs inline.
pub const OUTER_MODEL: ModelId = 2;
/// A training-step model without blob limits.
pub const INLINE_ONLY: ModelId = 3;
/// A classifier with the shard model's blob limits.
pub const CLASSIFIER: ModelId = 4;

fn terms(kind: ModelKind) -> ModelTerms<u64, u64> {
	ModelTerms {
		owner: 99,
		kind,
		price: PRICE,
		royalty_bps: 0,
		verifying_key: None,
		max_input_len: 1,
		max_output_len: 72,
		min_timeout: 1,
		output_tolerance: 0,
	}
}

/// The active models.
pub struct TestModels;

impl pallet_models::ModelRegistry<u64, u64> for TestModels {
	fn active_model(model: ModelId) -> Option<ModelTerms<u64, u64>> {
		match model {
			SHARD_MODEL | OUTER_MODEL | INLINE_ONLY => Some(terms(ModelKind::TrainingStep)),
			CLASSIFIER => Some(terms(ModelKind::Classifier)),
			_ => None,
		}
	}

	fn blob_limits(model: ModelId) -> Option<BlobLimits> {
		let inputs = BlobLimits { max_input_len: 1 << 24, max_output_len: 0, output_row_len: 0, sketch_tolerance: 0 };
		match model {
			SHARD_MODEL | CLASSIFIER => Some(BlobLimits { max_output_len: 140_000, output_row_len: 128, ..inputs }),
			OUTER_MODEL => Some(inputs),
			_ => None,
		}
	}
}

aichain_test_utils::test_job_market! {
	first_id: 100,
	accepts: |_, max_price| if max_price < PRICE { Err(DispatchError::Other("PriceAboveMax")) } else { Ok(()) },
}

thread_local! {
	/// The kept blobs: hash → size.
	static BLOBS: RefCell<BTreeMap<[u8; 32], u64>> = Default::default();
}

/// `hash` is kept from now on, with `size` bytes.
pub fn keep(hash: [u8; 32], size: u64) {
	BLOBS.with(|blobs| blobs.borrow_mut().insert(hash, size));
}

/// The kept blobs of the tests.
pub struct TestBlobs;

impl pallet_blobs::BlobRegistry<u64, u64, u64> for TestBlobs {
	fn kept_blob(hash: [u8; 32]) -> Option<pallet_blobs::KeptBlob<u64>> {
		BLOBS.with(|blobs| blobs.borrow().get(&hash).map(|&size| pallet_blobs::KeptBlob { size, pieces: 1, expires_at: 1_000 }))
	}

	fn storage_fee(_size: u32) -> u64 {
		0
	}

	fn store_paid(
		_owner: u64,
		_data: &[u8],
		_pay: impl FnOnce(&u64, u64) -> sp_runtime::DispatchResult,
	) -> Result<[u8; 32], DispatchError> {
		Err(DispatchError::Other("the tests store no blob through the market"))
	}
}

/// Job `id` completes with `output`, as the jobs pallet reports it; returns the weight the hook
/// reports it used.
pub fn complete(id: JobId, output: &[u8]) -> frame_support::weights::Weight {
	let job = end_job(id);
	<Diloco as pallet_jobs::OnJobCompleted<u64>>::on_job_completed(id, job.model, &job.requester, output)
}

/// Job `id` ends without a result (refunded).
pub fn refund(id: JobId) {
	let job = end_job(id);
	<Diloco as pallet_jobs::OnJobCompleted<u64>>::on_job_refunded(
		id,
		job.model,
		&job.requester,
		pallet_jobs::RefundReason::NoMajority,
	);
}

/// Held for each training.
pub const TRAINING_DEPOSIT: u64 = 300;

impl pallet_diloco::Config for Test {
	type Balance = u64;
	type Currency = Balances;
	type RuntimeHoldReason = RuntimeHoldReason;
	type TrainingDeposit = ConstU64<TRAINING_DEPOSIT>;
	type Models = TestModels;
	type Jobs = TestJobs;
	type Blobs = TestBlobs;
	type MaxShards = ConstU32<4>;
	type MaxStatePieces = ConstU32<8>;
	type WeightInfo = ();
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = TestBenchmarkHelper;
}

/// Benchmarks on the test runtime use its two models and its blob store.
#[cfg(feature = "runtime-benchmarks")]
pub struct TestBenchmarkHelper;

#[cfg(feature = "runtime-benchmarks")]
impl crate::BenchmarkHelper<u64, u64> for TestBenchmarkHelper {
	fn models() -> (ModelId, ModelId) {
		(SHARD_MODEL, OUTER_MODEL)
	}
	fn keep(hash: [u8; 32], size: u64) {
		keep(hash, size);
	}
	fn fund(_: &u64) {}
	fn max_price() -> u64 {
		u64::MAX
	}
	fn max_replicas() -> u8 {
		3
	}
}

pub const OWNER: u64 = 1;
pub const OTHER: u64 = 2;
/// Holds less than a training's deposit.
pub const POOR: u64 = 3;

/// Test externalities at block 1 with an empty market and blob store.
pub fn new_test_ext() -> sp_io::TestExternalities {
	clear_jobs();
	BLOBS.with(|blobs| blobs.borrow_mut().clear());
	ext_with_balances(vec![(OWNER, 1_000_000), (OTHER, 1_000_000), (POOR, TRAINING_DEPOSIT - 1)])
}

/// Runs `test` in [`new_test_ext`], then checks the pallet's invariants.
pub fn run_test(test: impl FnOnce()) {
	new_test_ext().execute_with(|| {
		test();
		Diloco::do_try_state().expect("invariants hold");
	});
}
