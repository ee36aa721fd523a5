//! Tests of the jobs pallet on a runtime with the real verifier, models and workers pallets:
//! full lifecycles per tier with balances checked to the unit (requester, workers, model owner,
//! treasury, fee pot), real Groth16 proofs for the zk tier, deadlines, refunds, every error,
//! one test per known attack, and a property test over random call sequences.
//!
//! This file holds the shared helpers; each concern has its own file.

mod attacks;
mod blob_input;
mod blob_output;
mod directed;
mod optimistic;
mod property;
mod redundancy;
mod sealed;
mod submission;
mod zk;
mod zk_batch;

pub(crate) use crate::{
	commitment_of, mock::*, test_circuit, Deadlines, DisputeVerdict, Error, Event, HoldReason, JobStatus,
	Jobs as JobsStorage, PendingJobs, RefundReason, Tier, WorkerJobs,
};
pub(crate) use aichain_compute::ModelKind;
pub(crate) use ark_bn254::Bn254;
pub(crate) use ark_groth16::ProvingKey;
pub(crate) use frame_support::{
	assert_noop, assert_ok,
	traits::fungible::{Inspect, InspectHold},
	BoundedVec,
};
pub(crate) use frame_system::RawOrigin;
pub(crate) use pallet_workers::{Capabilities, Workers as WorkersStorage};
pub(crate) use pallet_zk_verifier::VerifyError;

pub(crate) const PRICE: u64 = 1_000;
/// 5% royalty.
pub(crate) const ROYALTY_BPS: u16 = 500;
pub(crate) const ROYALTY: u64 = 50;
/// 10% protocol fee.
pub(crate) const FEE: u64 = 100;
pub(crate) const INPUT: [u8; 4] = [1, 2, 3, 250];

pub(crate) fn origin(who: u64) -> RuntimeOrigin {
	RawOrigin::Signed(who).into()
}

pub(crate) fn input(bytes: &[u8]) -> BoundedVec<u8, frame_support::traits::ConstU32<64>> {
	bytes.to_vec().try_into().unwrap()
}

pub(crate) fn output(bytes: &[u8]) -> BoundedVec<u8, frame_support::traits::ConstU32<40>> {
	bytes.to_vec().try_into().unwrap()
}

pub(crate) fn free(who: u64) -> u64 {
	Balances::balance(&who)
}

pub(crate) fn escrowed(who: u64) -> u64 {
	Balances::balance_on_hold(&HoldReason::JobEscrow.into(), &who)
}

pub(crate) fn bond(who: u64) -> u64 {
	WorkersStorage::<Test>::get(who).map_or(0, |w| w.bond)
}

/// Registers the byte-sum circuit's key and its model (owned by `OWNER`); returns the model id
/// and the proving key.
pub(crate) fn zk_model() -> (u32, ProvingKey<Bn254>) {
	let (pk, vk) = test_circuit::setup();
	let key = pallet_zk_verifier::register_for::<Test>(OWNER, vk).unwrap();
	let model = register_model(
		ModelKind::Classifier,
		Some(key),
		test_circuit::INPUT_LEN as u32,
		test_circuit::OUTPUT_LEN as u32,
	);
	(model, pk)
}

/// A model without a key (redundancy and optimistic tiers) taking up to 8 bytes of text.
pub(crate) fn plain_model() -> u32 {
	register_model(ModelKind::Embedding, None, 8, 8)
}

pub(crate) fn register_model(kind: ModelKind, verifying_key: Option<[u8; 32]>, max_input_len: u32, max_output_len: u32) -> u32 {
	register_model_with(kind, verifying_key, max_input_len, max_output_len, 1, 0)
}

pub(crate) fn register_model_with(
	kind: ModelKind,
	verifying_key: Option<[u8; 32]>,
	max_input_len: u32,
	max_output_len: u32,
	min_timeout: u32,
	output_tolerance: u8,
) -> u32 {
	let spec = pallet_models::ModelSpec {
		name: b"byte-sum".to_vec().try_into().unwrap(),
		kind,
		weights_sha256: [0; 32],
		content_address: b"builtin".to_vec().try_into().unwrap(),
		verifying_key,
		price: PRICE,
		royalty_bps: ROYALTY_BPS,
		max_input_len,
		max_output_len,
		min_timeout,
		output_tolerance,
	};
	pallet_models::Pallet::<Test>::do_register_model(OWNER, spec).unwrap()
}

pub(crate) fn register_workers(model: u32, workers: &[u64]) {
	for worker in workers {
		assert_ok!(Workers::register_worker(
			origin(*worker),
			MIN_BOND,
			Capabilities { cpu_cores: 2, memory_mb: 1024, gpu: None },
			vec![model].try_into().unwrap(),
		));
	}
}

pub(crate) fn submit(model: u32, tier: Tier, data: &[u8]) -> u64 {
	let job = crate::NextJobId::<Test>::get();
	assert_ok!(Jobs::submit_job(origin(REQUESTER), model, input(data), tier, u64::MAX, DEADLINE));
	job
}

pub(crate) fn assigned(job: u64) -> Vec<u64> {
	JobsStorage::<Test>::get(job).unwrap().assignments.iter().map(|a| a.worker).collect()
}

/// The event of a zk job completed with `out` by `ALICE`, paid the test model's price.
pub(crate) fn zk_completed(job: u64, out: &[u8]) -> RuntimeEvent {
	Event::JobCompleted {
		job,
		output: output(out),
		workers: vec![ALICE],
		worker_payment: PRICE - ROYALTY,
		royalty: ROYALTY,
		fee: FEE,
		refund: 0,
	}
	.into()
}

pub(crate) fn jobs_held(worker: u64) -> u32 {
	WorkersStorage::<Test>::get(worker).unwrap().active_jobs
}

/// Commits and reveals `out` for `worker` (salt derived from the worker).
pub(crate) fn commit_and_keep(job: u64, worker: u64, out: &[u8]) -> [u8; 32] {
	let salt = [worker as u8; 32];
	assert_ok!(Jobs::commit_result(origin(worker), job, commitment_of(job, &worker, out, &salt)));
	salt
}

/// Each of `workers` commits and then reveals its output.
pub(crate) fn commit_and_reveal(job: u64, outputs: &[(u64, &[u8])]) {
	let salts: Vec<[u8; 32]> = outputs.iter().map(|(w, o)| commit_and_keep(job, *w, o)).collect();
	for ((worker, out), salt) in outputs.iter().zip(salts) {
		assert_ok!(Jobs::reveal_result(origin(*worker), job, output(out), salt));
	}
}

/// The descriptor a worker commits to for the blob output `data`: `SCALE(BlobRef)`.
pub(crate) fn descriptor(data: &[u8]) -> Vec<u8> {
	use codec::Encode;
	aichain_compute::blob::BlobRef { hash: sp_io::hashing::blake2_256(data), size: data.len() as u64 }.encode()
}

/// Notes `reveal_blob_result(job, salt, data)` as extrinsic `index`, as the executive does
/// before dispatching it (nodes index the end of that encoding); returns the call.
pub(crate) fn noted_reveal(index: u32, job: u64, salt: [u8; 32], data: &[u8]) -> RuntimeCall {
	use codec::Encode;
	let call = RuntimeCall::Jobs(crate::Call::reveal_blob_result { job, salt, data: data.to_vec() });
	let mut extrinsic = vec![0x84; 100];
	extrinsic.extend(call.encode());
	System::set_extrinsic_index(index);
	System::note_extrinsic(extrinsic);
	call
}

/// Dispatches `call` signed by `who`.
pub(crate) fn dispatch(who: u64, call: RuntimeCall) -> sp_runtime::DispatchResult {
	use sp_runtime::traits::Dispatchable;
	call.dispatch(origin(who)).map(drop).map_err(|e| e.error)
}
