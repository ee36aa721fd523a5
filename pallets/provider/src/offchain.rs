//! The provider's offchain run: heartbeats, handing jobs to the engine, reporting results.

use crate::{Config, Pallet};
use aichain_compute::{
	blob::{BlobRef, RowOutputShape},
	JobId, Tier,
};
use aichain_engine_host::{compute_engine, EngineError, EngineInput, EngineJob, EngineOutput};
use alloc::{vec, vec::Vec};
use codec::Encode;
use frame_support::{traits::Get, BoundedVec};
use frame_system::{
	offchain::{AppCrypto, CreateSignedTransaction, SendSignedTransaction, Signer},
	pallet_prelude::BlockNumberFor,
};
use pallet_jobs::{Assignment, JobOf, JobStatus};
use sp_runtime::{
	offchain::{
		storage::{StorageRetrievalError, StorageValueRef},
		storage_lock::{StorageLock, Time},
		Duration,
	},
	traits::{IdentifyAccount, Saturating},
	RuntimeAppPublic,
};

const LOG_TARGET: &str = "aichain::provider";
/// Prefix of this pallet's keys in the node's offchain storage.
const STORAGE_PREFIX: &[u8] = b"aichain/provider/";
/// How long one run may hold the lock before another run may take it over.
const LOCK_MILLIS: u64 = 20_000;

/// A zk result of the jobs pallet of `T`.
type ZkResultOf<T> = pallet_jobs::ZkResult<pallet_jobs::OutputOf<T>>;

/// Something the provider sends or does once per (job, worker), claimed in offchain storage.
#[derive(Clone, Copy, Debug, Encode)]
pub(crate) enum Action {
	/// Hand the job to the engine.
	HandOver,
	/// A zk result with its proof, sent in the worker's batch (`submit_results`).
	Submit,
	/// `commit_result` (redundancy, optimistic dispute).
	Commit,
	/// `reveal_result`.
	Reveal,
	/// `propose_result` (optimistic).
	Propose,
	/// `decline_job`: the engine refused the job.
	Decline,
	/// `heartbeat` (the job id is unused: 0).
	Heartbeat,
	/// `set_encryption_key` with the engine's X25519 key (the job id is unused: 0).
	PublishKey,
}

/// A provider key of this node whose account is a registered worker.
pub(crate) struct LocalWorker<T: Config> {
	pub(crate) public: T::Public,
	pub(crate) account: T::AccountId,
}

impl<T: Config> Pallet<T> {
	/// One run after block `now` (see the crate docs).
	pub(crate) fn run_provider(now: BlockNumberFor<T>) {
		if !compute_engine::available() {
			return;
		}
		let lock_key = lock_key();
		let mut lock = StorageLock::<Time>::with_deadline(&lock_key, Duration::from_millis(LOCK_MILLIS));
		let Ok(_guard) = lock.try_lock() else {
			log::debug!(target: LOG_TARGET, "block {now:?}: the previous run still holds the lock");
			return;
		};
		let workers = Self::local_workers();
		if workers.is_empty() {
			return;
		}
		for worker in &workers {
			Self::heartbeat_if_due(worker, now);
			Self::publish_encryption_key(worker, now);
		}
		// Each worker's own open jobs, from the jobs pallet's index: no scan of all jobs. Its
		// zk results of this run go in batches, each verified on chain in one pairing check.
		for worker in &workers {
			let mut zk_results = Vec::new();
			for job_id in pallet_jobs::WorkerJobs::<T>::iter_key_prefix(&worker.account) {
				let Some(job) = pallet_jobs::Jobs::<T>::get(job_id) else { continue };
				if let Some(assignment) = job.assignments.iter().find(|a| a.worker == worker.account) {
					Self::advance_job(worker, job_id, &job, assignment, now, &mut zk_results);
				}
			}
			Self::send_zk_results(worker, zk_results);
		}
	}

	/// Sends `results` (each already claimed) in calls of at most `MaxResultsPerCall`; the
	/// claims of a call that cannot be sent are cleared, so the next run retries them.
	fn send_zk_results(worker: &LocalWorker<T>, results: Vec<ZkResultOf<T>>) {
		let limit = <T as pallet_jobs::Config>::MaxResultsPerCall::get().max(1) as usize;
		for chunk in results.chunks(limit) {
			let jobs: Vec<JobId> = chunk.iter().map(|result| result.job).collect();
			let claims: Vec<Vec<u8>> = jobs.iter().map(|job| claim_key(Action::Submit, *job, &worker.account)).collect();
			let results = BoundedVec::truncate_from(chunk.to_vec());
			Self::send_claimed(worker, &claims, &alloc::format!("the results of jobs {jobs:?}"), pallet_jobs::Call::<T>::submit_results {
				results,
			});
		}
	}

	/// The provider keys in the node's keystore whose accounts are registered workers.
	fn local_workers() -> Vec<LocalWorker<T>> {
		type AppPublic<T> = <<T as Config>::AuthorityId as AppCrypto<
			<T as frame_system::offchain::SigningTypes>::Public,
			<T as frame_system::offchain::SigningTypes>::Signature,
		>>::RuntimeAppPublic;
		type GenericPublic<T> = <<T as Config>::AuthorityId as AppCrypto<
			<T as frame_system::offchain::SigningTypes>::Public,
			<T as frame_system::offchain::SigningTypes>::Signature,
		>>::GenericPublic;
		AppPublic::<T>::all()
			.into_iter()
			.map(|key| {
				let public: T::Public = GenericPublic::<T>::from(key).into();
				LocalWorker { account: public.clone().into_account(), public }
			})
			.filter(|worker| pallet_workers::Workers::<T>::contains_key(&worker.account))
			.collect()
	}

	/// Sends a heartbeat when the worker's last one is `HeartbeatEvery` blocks old.
	fn heartbeat_if_due(worker: &LocalWorker<T>, now: BlockNumberFor<T>) {
		let Some(info) = pallet_workers::Workers::<T>::get(&worker.account) else { return };
		if now.saturating_sub(info.last_heartbeat) < T::HeartbeatEvery::get() {
			return;
		}
		Self::send_once(worker, Action::Heartbeat, 0, now, pallet_workers::Call::<T>::heartbeat {});
	}

	/// Takes one job a step further: the step its phase expects from this worker, if the
	/// engine has the result (otherwise hands the job to the engine).
	fn advance_job(
		worker: &LocalWorker<T>,
		job_id: JobId,
		job: &JobOf<T>,
		assignment: &Assignment<T::AccountId>,
		now: BlockNumberFor<T>,
		zk_results: &mut Vec<ZkResultOf<T>>,
	) {
		let action = match job.status {
			JobStatus::Assigned if job.commits_and_reveals() && assignment.commitment.is_none() => Action::Commit,
			JobStatus::Assigned if job.commits_and_reveals() => return,
			JobStatus::Assigned if job.tier == Tier::Zk => Action::Submit,
			JobStatus::Assigned => Action::Propose,
			JobStatus::Revealing if assignment.commitment.is_some() && assignment.revealed.is_none() =>
				Action::Reveal,
			_ => return,
		};
		let result = match Self::result_or_hand_over(&worker.account, job_id, job, now) {
			Ok(Some(result)) => result,
			Ok(None) => return,
			Err(refusal) => {
				// Only before committing to anything: afterwards the chain refuses a decline.
				if job.status == JobStatus::Assigned && assignment.commitment.is_none() {
					log::warn!(target: LOG_TARGET, "job {job_id}: declining, the engine refused it: {refusal:?}");
					Self::send_once(worker, Action::Decline, job_id, now, pallet_jobs::Call::<T>::decline_job {
						job: job_id,
					});
				}
				return;
			},
		};
		if job.has_blob_output() {
			return Self::advance_blob_output_job(worker, job_id, action, result.output, now);
		}
		let salt = || salt_of(job_id, &worker.account);
		let Ok(output) = BoundedVec::try_from(result.output) else {
			log::warn!(target: LOG_TARGET, "job {job_id}: the engine's output exceeds the chain's limit");
			return;
		};
		match action {
			Action::Submit => {
				let Some(proof) = result.proof else {
					log::warn!(target: LOG_TARGET, "job {job_id}: zk job without a proof from the engine");
					return;
				};
				if claim_now::<T>(&claim_key(action, job_id, &worker.account), now) {
					zk_results.push(pallet_jobs::ZkResult { job: job_id, output, proof });
				}
			},
			Action::Commit => {
				let commitment = pallet_jobs::commitment_of(job_id, &worker.account, &output, &salt());
				Self::send_once(worker, action, job_id, now, pallet_jobs::Call::<T>::commit_result {
					job: job_id,
					commitment,
				})
			},
			Action::Reveal => Self::send_once(worker, action, job_id, now, pallet_jobs::Call::<T>::reveal_result {
				job: job_id,
				output,
				salt: salt(),
			}),
			Action::Propose =>
				Self::send_once(worker, action, job_id, now, pallet_jobs::Call::<T>::propose_result { job: job_id, output }),
			Action::HandOver | Action::Heartbeat | Action::Decline | Action::PublishKey => {},
		}
	}

	/// A blob-output job's step (redundancy only): commit to the output's descriptor, then
	/// reveal its bytes, which the chain stores as a blob.
	fn advance_blob_output_job(
		worker: &LocalWorker<T>,
		job_id: JobId,
		action: Action,
		output: Vec<u8>,
		now: BlockNumberFor<T>,
	) {
		let salt = salt_of(job_id, &worker.account);
		match action {
			Action::Commit => {
				let blob = BlobRef { hash: sp_io::hashing::blake2_256(&output), size: output.len() as u64 };
				let commitment = pallet_jobs::commitment_of(job_id, &worker.account, &blob.encode(), &salt);
				Self::send_once(worker, action, job_id, now, pallet_jobs::Call::<T>::commit_result {
					job: job_id,
					commitment,
				})
			},
			Action::Reveal => Self::send_once(worker, action, job_id, now, pallet_jobs::Call::<T>::reveal_blob_result {
				job: job_id,
				salt,
				data: output,
			}),
			_ => log::warn!(target: LOG_TARGET, "job {job_id}: a blob-output job has no {action:?} step"),
		}
	}

	/// The engine's result of `job_id`; without one, hands the job to the engine (once per
	/// `ResendAfter` blocks: a job lost by a restarted engine is handed over again).
	/// `Err`: the engine refused the job (it cannot serve it: the worker declines it).
	/// A sealed job is handed over only once the requester sent `worker` the job key.
	fn result_or_hand_over(
		worker: &T::AccountId,
		job_id: JobId,
		job: &JobOf<T>,
		now: BlockNumberFor<T>,
	) -> Result<Option<EngineOutput>, EngineError> {
		let Some(model) = pallet_models::Models::<T>::get(job.model) else { return Ok(None) };
		let Some(sealed) = Self::sealed_key_of(worker, job_id) else { return Ok(None) };
		// A blob job's inline input is empty: the engine reads the blob from this node's
		// indexed data (or refuses with `InputUnavailable`, and the worker declines).
		let input = match pallet_jobs::BlobInputs::<T>::get(job_id) {
			Some(blob) => EngineInput::Blob(blob),
			None => EngineInput::Inline(job.input.to_vec()),
		};
		// A blob-output job's engine answers with a row output of the job's shape.
		let output = job
			.has_blob_output()
			.then(|| pallet_jobs::BlobOutputs::<T>::get(job_id))
			.flatten()
			.map(|limits| RowOutputShape {
				row_len: limits.row_len,
				// A sealed output carries a nonce and a tag beyond the rows.
				max_len: if sealed.is_some() { limits.max_len.saturating_sub(pallet_jobs::SEAL_OVERHEAD) } else { limits.max_len },
			});
		let request = EngineJob {
			job: job_id,
			weights_sha256: model.spec.weights_sha256,
			kind: model.spec.kind,
			tier: job.tier,
			input,
			output,
			sealed,
		};
		// Only a result of exactly this request: after a reorg the engine may hold a result
		// of another job that had this id; this job is then handed over (and run) again.
		let fingerprint = request.fingerprint();
		match compute_engine::result(job_id) {
			Some(result) if result.request == fingerprint => return Ok(Some(result)),
			Some(_) => log::info!(target: LOG_TARGET, "job {job_id}: the engine's result answers another request"),
			None => {},
		}
		// A request the engine refused once is refused for every key of this node, at once.
		let refusal_key = refusal_key(&fingerprint);
		let refusal = StorageValueRef::persistent(&refusal_key);
		if let Ok(Some(error)) = refusal.get::<EngineError>() {
			return Err(error);
		}
		let claim = claim_key(Action::HandOver, job_id, &());
		if !claim_now::<T>(&claim, now) {
			return Ok(None);
		}
		match compute_engine::submit(&request.encode()) {
			Ok(()) => log::info!(target: LOG_TARGET, "job {job_id}: handed to the compute engine"),
			Err(EngineError::QueueFull) => StorageValueRef::persistent(&claim).clear(),
			Err(error) => {
				refusal.set(&error);
				return Err(error);
			},
		}
		Ok(None)
	}

	/// Signs and sends `call` from `worker` unless the same (action, job, worker) was sent less
	/// than `ResendAfter` blocks ago.
	pub(crate) fn send_once<LocalCall: Clone>(
		worker: &LocalWorker<T>,
		action: Action,
		job_id: JobId,
		now: BlockNumberFor<T>,
		call: LocalCall,
	) where
		T: CreateSignedTransaction<LocalCall>,
	{
		let claim = claim_key(action, job_id, &worker.account);
		if !claim_now::<T>(&claim, now) {
			return;
		}
		Self::send_claimed(worker, &[claim], &alloc::format!("job {job_id}: {action:?}"), call);
	}

	/// Signs and sends `call` from `worker`; if it cannot be sent, clears `claims` so that the
	/// next run sends again.
	fn send_claimed<LocalCall: Clone>(worker: &LocalWorker<T>, claims: &[Vec<u8>], what: &str, call: LocalCall)
	where
		T: CreateSignedTransaction<LocalCall>,
	{
		let sent = Signer::<T, T::AuthorityId>::all_accounts()
			.with_filter(vec![worker.public.clone()])
			.send_signed_transaction(|_| call.clone());
		if sent.iter().any(|(_, result)| result.is_ok()) {
			log::info!(target: LOG_TARGET, "sent {what} from {:?}", worker.account);
		} else {
			log::warn!(target: LOG_TARGET, "could not send {what}; retrying next block");
			for claim in claims {
				StorageValueRef::persistent(claim).clear();
			}
		}
	}
}

fn lock_key() -> Vec<u8> {
	[STORAGE_PREFIX, b"lock"].concat()
}

/// Where the engine's refusal of a request (by its fingerprint) is kept.
fn refusal_key(fingerprint: &[u8; 32]) -> Vec<u8> {
	[STORAGE_PREFIX, &(b"refused", fingerprint).encode()].concat()
}

fn claim_key(action: Action, job: JobId, worker: &impl Encode) -> Vec<u8> {
	[STORAGE_PREFIX, &(b"sent", action, job, worker).encode()].concat()
}

/// Claims `key` at block `now` unless it was claimed less than `ResendAfter` blocks ago.
fn claim_now<T: Config>(key: &[u8], now: BlockNumberFor<T>) -> bool {
	StorageValueRef::persistent(key)
		.mutate(|last: Result<Option<BlockNumberFor<T>>, StorageRetrievalError>| match last {
			Ok(Some(at)) if now < at.saturating_add(T::ResendAfter::get()) => Err(()),
			_ => Ok(now),
		})
		.is_ok()
}

/// The salt of this worker's commitment to `job`: drawn from the node's randomness once and
/// kept in persistent offchain storage for the reveal.
fn salt_of(job: JobId, worker: &impl Encode) -> [u8; 32] {
	let key = [STORAGE_PREFIX, &(b"salt", job, worker).encode()].concat();
	let storage = StorageValueRef::persistent(&key);
	if let Ok(Some(salt)) = storage.get::<[u8; 32]>() {
		return salt;
	}
	let salt = sp_io::offchain::random_seed();
	storage.set(&salt);
	salt
}
