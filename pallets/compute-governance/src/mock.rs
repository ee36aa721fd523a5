//! The test runtime of the compute-governance pallet: System, Balances, the real Preimage and
//! Scheduler pallets, and this pallet, with the job market replaced by a small in-memory one
//! ([`TestJobs`]) so that tests decide when a job completes and with which output. The real
//! market, referenda and treasury run under the same pallet in the runtime
//! (`runtime/tests/governance.rs`).

use crate as pallet_compute_governance;
use aichain_compute::{JobId, ModelId};
use frame_support::{
	parameter_types,
	traits::{
		fungible::Mutate, tokens::Preservation, ConstU32, ConstU64, EnsureOrigin, EqualPrivilegeOnly, OnInitialize,
	},
	weights::Weight,
	PalletId,
};
use frame_system::{EnsureRoot, RawOrigin};
use sp_runtime::DispatchError;

aichain_test_utils::test_runtime! {
	2: Preimage = pallet_preimage,
	3: Scheduler = pallet_scheduler,
	4: ComputeGovernance = pallet_compute_governance,
}

/// The treasury's account.
pub const TREASURY: u64 = 100;
/// What the treasury holds at genesis.
pub const TREASURY_FUNDS: u64 = 10_000;
/// A governance body whose signed origin may request computations worth [`BUDGET`].
pub const COUNCIL: u64 = 1;
/// The council's budget per request.
pub const BUDGET: u64 = 1_000;
/// Anyone else.
pub const OUTSIDER: u64 = 2;
/// The worker the test market pays.
pub const WORKER: u64 = 3;
/// A model the test market accepts.
pub const MODEL: ModelId = 7;
/// What a job on [`MODEL`] costs.
pub const PRICE: u64 = 150;

/// Requests: root with an unlimited budget, or the council with [`BUDGET`].
pub struct BudgetOrigin;

impl EnsureOrigin<RuntimeOrigin> for BudgetOrigin {
	type Success = u64;

	fn try_origin(origin: RuntimeOrigin) -> Result<u64, RuntimeOrigin> {
		match origin.clone().into() {
			Ok(RawOrigin::Root) => Ok(u64::MAX),
			Ok(RawOrigin::Signed(COUNCIL)) => Ok(BUDGET),
			_ => Err(origin),
		}
	}

	#[cfg(feature = "runtime-benchmarks")]
	fn try_successful_origin() -> Result<RuntimeOrigin, ()> {
		Ok(RuntimeOrigin::root())
	}
}

aichain_test_utils::test_job_market! {
	first_id: 500,
	accepts: |model, max_price| match () {
		_ if model != MODEL => Err(DispatchError::Other("UnknownModel")),
		_ if max_price < PRICE => Err(DispatchError::Other("PriceAboveMax")),
		_ => Ok(()),
	},
}

/// Job `id` completes with `output`: its requester pays [`PRICE`] to [`WORKER`] and the jobs
/// pallet's hook is called, as after a verified result; returns the weight the hook reports it
/// used.
pub fn complete(id: JobId, output: &[u8]) -> frame_support::weights::Weight {
	let job = end_job(id);
	Balances::transfer(&job.requester, &WORKER, PRICE, Preservation::Preserve).expect("the request was funded");
	<ComputeGovernance as pallet_jobs::OnJobCompleted<u64>>::on_job_completed(id, job.model, &job.requester, output)
}

/// Job `id` ends without a result: everything stays with its requester.
pub fn refund(id: JobId) {
	let job = end_job(id);
	<ComputeGovernance as pallet_jobs::OnJobCompleted<u64>>::on_job_refunded(
		id,
		job.model,
		&job.requester,
		pallet_jobs::RefundReason::NoResult,
	);
}

impl pallet_preimage::Config for Test {
	type RuntimeEvent = RuntimeEvent;
	type WeightInfo = ();
	type Currency = Balances;
	type ManagerOrigin = EnsureRoot<u64>;
	type Consideration = ();
}

parameter_types! {
	pub MaximumSchedulerWeight: Weight = Weight::from_parts(1_000_000_000_000, u64::MAX);
	pub const Treasury: u64 = TREASURY;
	pub const GovernancePalletId: PalletId = PalletId(*b"aic/cgov");
}

impl pallet_scheduler::Config for Test {
	type RuntimeEvent = RuntimeEvent;
	type RuntimeOrigin = RuntimeOrigin;
	type PalletsOrigin = OriginCaller;
	type RuntimeCall = RuntimeCall;
	type MaximumWeight = MaximumSchedulerWeight;
	type ScheduleOrigin = EnsureRoot<u64>;
	type OriginPrivilegeCmp = EqualPrivilegeOnly;
	type MaxScheduledPerBlock = ConstU32<2>;
	type WeightInfo = ();
	type Preimages = Preimage;
	type BlockNumberProvider = System;
}

impl pallet_compute_governance::Config for Test {
	type RuntimeCall = RuntimeCall;
	type Currency = Balances;
	type Jobs = TestJobs;
	type Scheduler = Scheduler;
	type Preimages = Preimage;
	type RequestOrigin = BudgetOrigin;
	type ModelAdminOrigin = EnsureRoot<u64>;
	type Treasury = Treasury;
	type PalletId = GovernancePalletId;
	type MaxClauses = ConstU32<4>;
	type MaxInputLen = ConstU32<16>;
	type MaxOutputLen = ConstU32<16>;
	type MaxRequests = ConstU32<3>;
	type MaxRetention = ConstU64<100>;
	type WeightInfo = ();
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = TestJobs;
}

#[cfg(feature = "runtime-benchmarks")]
impl crate::benchmark_helper::BenchmarkHelper<u64> for TestJobs {
	fn model(_input_len: u32) -> ModelId {
		MODEL
	}

	fn timeout() -> u64 {
		10
	}
}

/// Externalities with a funded treasury, council and outsider, [`MODEL`] approved.
pub fn new_test_ext() -> sp_io::TestExternalities {
	clear_jobs();
	let mut ext = ext_with_balances(vec![(TREASURY, TREASURY_FUNDS), (COUNCIL, 1_000), (OUTSIDER, 1_000), (WORKER, 1)]);
	ext.execute_with(|| {
		ComputeGovernance::set_model_approval(RuntimeOrigin::root(), MODEL, true).unwrap();
		System::reset_events();
	});
	ext
}

/// Runs `test`, then checks the pallet's invariants.
pub fn run_test(test: impl FnOnce()) {
	new_test_ext().execute_with(|| {
		test();
		ComputeGovernance::do_try_state().expect("invariants hold");
	});
}

/// Moves to block `n` and runs the scheduler's `on_initialize` there.
pub fn run_to(n: u64) {
	System::set_block_number(n);
	Scheduler::on_initialize(n);
}
