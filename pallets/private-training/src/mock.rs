//! The test runtime of the private-training pallet: System, Balances and the pallet, with the
//! model registry and the job market replaced by small in-memory ones so that tests decide when
//! a member's job completes (with which masked output) or is refunded. The real market (directed
//! jobs, proofs, workers) is `pallet_jobs` in the runtime; the real members' outputs are
//! `offchain-worker/tests/private_fl.rs`'.

use crate as pallet_private_training;
use aichain_compute::{federated::member_input_len, JobId, ModelId, ModelKind};
use frame_support::{
	parameter_types,
	traits::{ConstU32, ConstU64},
};
use frame_system::EnsureRoot;
use pallet_models::ModelTerms;
use sp_runtime::DispatchError;

aichain_test_utils::test_runtime! {
	2: PrivateTraining = pallet_private_training,
}

/// Parameters of the test model: 3 `i32`s.
pub const PARAMETERS: usize = 3;
pub const PRICE: u64 = 100;

/// A provable model of the member layout for 3 parameters.
pub const MEMBER_MODEL: ModelId = 1;
/// The same sizes without a verifying key.
pub const UNPROVABLE: ModelId = 2;
/// A provable model of other sizes.
pub const OTHER_SIZES: ModelId = 3;
/// A provable model of the member layout's sizes, of another kind (a public training step).
pub const OTHER_KIND: ModelId = 4;

fn terms(verifying_key: Option<[u8; 32]>, max_input_len: u32) -> ModelTerms<u64, u64> {
	ModelTerms {
		owner: 99,
		kind: ModelKind::PrivateTrainingMember,
		price: PRICE,
		royalty_bps: 0,
		verifying_key,
		max_input_len,
		max_output_len: 4 * PARAMETERS as u32,
		min_timeout: 1,
		output_tolerance: 0,
	}
}

/// The active models.
pub struct TestModels;

impl pallet_models::ModelRegistry<u64, u64> for TestModels {
	fn active_model(model: ModelId) -> Option<ModelTerms<u64, u64>> {
		let layout = member_input_len(PARAMETERS) as u32;
		match model {
			MEMBER_MODEL => Some(terms(Some([7; 32]), layout)),
			UNPROVABLE => Some(terms(None, layout)),
			OTHER_SIZES => Some(terms(Some([7; 32]), layout + 1)),
			OTHER_KIND => Some(ModelTerms { kind: ModelKind::TrainingStep, ..terms(Some([7; 32]), layout) }),
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
	<PrivateTraining as pallet_jobs::OnJobCompleted<u64>>::on_job_completed(id, job.model, &job.requester, output)
}

/// Job `id` ends without a result (its worker missed the deadline).
pub fn refund(id: JobId) {
	refund_for(id, pallet_jobs::RefundReason::NoResult);
}

/// Job `id` is refunded for `reason`.
pub fn refund_for(id: JobId, reason: pallet_jobs::RefundReason) {
	let job = end_job(id);
	<PrivateTraining as pallet_jobs::OnJobCompleted<u64>>::on_job_refunded(id, job.model, &job.requester, reason);
}

parameter_types! {
	pub const MaxParameters: u32 = PARAMETERS as u32;
}

/// The shortest deadline of an attempt.
pub const MIN_TIMEOUT: u64 = 3;

/// Held for each consortium.
pub const DEPOSIT: u64 = 500;

impl pallet_private_training::Config for Test {
	type Balance = u64;
	type Currency = Balances;
	type RuntimeHoldReason = RuntimeHoldReason;
	type ConsortiumDeposit = ConstU64<DEPOSIT>;
	type Models = TestModels;
	type Jobs = TestJobs;
	type BudgetOrigin = EnsureRoot<u64>;
	type MaxMembers = ConstU32<4>;
	type MinMembers = ConstU32<3>;
	type MaxAttemptsPerRound = ConstU32<3>;
	type MinRoundTimeout = ConstU64<MIN_TIMEOUT>;
	type MaxParameters = MaxParameters;
	type WeightInfo = ();
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = TestBenchmarkHelper;
}

/// Benchmarks on the test runtime use [`MEMBER_MODEL`] and any accounts as workers.
#[cfg(feature = "runtime-benchmarks")]
pub struct TestBenchmarkHelper;

#[cfg(feature = "runtime-benchmarks")]
impl crate::BenchmarkHelper<u64, u64> for TestBenchmarkHelper {
	fn member_model(_: u32, _: u32) -> ModelId {
		MEMBER_MODEL
	}
	fn member_worker(_: ModelId, index: u32) -> u64 {
		1_000 + index as u64
	}
	fn max_workers_per_model() -> u32 {
		4
	}
	fn fund(_: &u64) {}
	fn max_price() -> u64 {
		u64::MAX
	}
}

pub const OWNER: u64 = 1;
pub const OUTSIDER: u64 = 2;
/// Holds less than a deposit.
pub const POOR: u64 = 3;
/// The hospitals' workers, in member order.
pub const HOSPITALS: [u64; 4] = [11, 12, 13, 14];

/// Test externalities at block 1 with an empty job market.
pub fn new_test_ext() -> sp_io::TestExternalities {
	clear_jobs();
	ext_with_balances(vec![(OWNER, 1_000_000), (OUTSIDER, 1_000_000), (POOR, DEPOSIT - 1)])
}

/// Runs `test` and then checks the pallet's invariants.
pub fn run_test(test: impl FnOnce()) {
	new_test_ext().execute_with(|| {
		test();
		PrivateTraining::do_try_state().expect("invariants hold");
	});
}
