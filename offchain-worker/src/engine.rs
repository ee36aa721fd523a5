//! The engine the node calls: jobs go into a bounded queue, a fixed pool of threads runs them
//! (off the caller's thread), and every finished result is written to disk before it is
//! reported, so a restarted engine still has the results it finished.
//!
//! Models are [`crate::models::EngineModel`]s: a zk-tier job of a model with a circuit and a
//! proving key returns its output and a Groth16 proof; redundancy and optimistic jobs (any
//! model) return the output only (its commitment or proposal is made on chain by the caller).

pub use crate::models::LoadedModel;
use crate::{prover, Error, Result};
use aichain_compute::{blob::RowOutputShape, JobId, ModelId, Tier};
use aichain_zk::Proof;
use codec::{Decode, Encode};
use std::{
	collections::HashMap,
	path::{Path, PathBuf},
	sync::{mpsc, Arc, Condvar, Mutex, RwLock},
	thread::JoinHandle,
	time::Duration,
};

/// A job handed to the engine.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct JobSpec {
	/// The job's id on chain.
	pub job: JobId,
	/// The model to run.
	pub model: ModelId,
	/// The job's input.
	pub input: Vec<u8>,
	/// How the result will be verified.
	pub tier: Tier,
	/// A blob-output job's shape: the model answers with a row output
	/// ([`crate::models::EngineModel::run_rows`]); `None`: an inline output.
	pub output: Option<RowOutputShape>,
	/// A sealed job's key: the output is sealed under it ([`crate::sealed::seal_output`])
	/// before it is stored or reported, so no plaintext output leaves the engine.
	pub seal_output: Option<[u8; 32]>,
	/// What was asked, as the runtime fingerprints it (`EngineJob::fingerprint` of
	/// `aichain-engine-host`); the result carries it so that a result is only ever used for
	/// the request it answers.
	pub request: [u8; 32],
}

/// A finished job.
#[derive(Clone, Debug, PartialEq, Eq, Encode, Decode)]
pub struct JobResult {
	/// The job's id on chain.
	pub job: JobId,
	/// The fingerprint of the request it answers ([`JobSpec::request`]).
	pub request: [u8; 32],
	/// The model's output.
	pub output: Vec<u8>,
	/// zk tier: the proof of `output = model(input)`.
	pub proof: Option<Proof>,
}

impl LoadedModel {
	/// Checks a job for this model before it is queued.
	fn check(&self, spec: &JobSpec) -> Result<()> {
		match spec.output {
			Some(shape) => self.model.check_rows_input(&spec.input, shape)?,
			None => self.model.check_input(&spec.input)?,
		}
		if spec.tier == Tier::Zk && (self.proving_key.is_none() || !self.model.is_provable()) {
			return Err(Error::NotProvable(spec.model));
		}
		Ok(())
	}

	/// Runs a checked job: the output, and the proof of a zk job.
	fn run(&self, spec: &JobSpec) -> Result<(Vec<u8>, Option<Proof>)> {
		if let Some(shape) = spec.output {
			return Ok((self.model.run_rows(&spec.input, shape)?, None));
		}
		match (&self.proving_key, spec.tier) {
			(Some(key), Tier::Zk) => {
				let (output, proof) = prover::prove(key, &*self.model, &spec.input, &mut rand::rngs::OsRng)?;
				Ok((output, Some(proof)))
			},
			(None, Tier::Zk) => Err(Error::NotProvable(spec.model)),
			_ => Ok((self.model.run(&spec.input)?, None)),
		}
	}
}

/// Engine settings.
#[derive(Clone, Debug)]
pub struct EngineConfig {
	/// Where finished results are kept.
	pub results_dir: PathBuf,
	/// Threads running jobs.
	pub threads: usize,
	/// Jobs that may wait for a thread; more are refused with [`Error::QueueFull`].
	pub queue: usize,
}

type Finished = Arc<(Mutex<HashMap<JobId, JobResult>>, Condvar)>;

/// The engine's models; more can be added while it runs ([`Engine::add_model`]).
type Models = Arc<RwLock<HashMap<ModelId, Arc<LoadedModel>>>>;

/// The model `id`, if the engine has it.
fn model_of(models: &Models, id: ModelId) -> Result<Arc<LoadedModel>> {
	models.read().ok().and_then(|m| m.get(&id).cloned()).ok_or(Error::UnknownModel(id))
}

/// The running engine. Dropping it finishes the queued jobs and stops the threads.
pub struct Engine {
	models: Models,
	sender: Option<mpsc::SyncSender<JobSpec>>,
	finished: Finished,
	threads: Vec<JoinHandle<()>>,
}

impl Engine {
	/// Starts the engine with `models`, loading the results already on disk.
	pub fn start(config: EngineConfig, models: HashMap<ModelId, LoadedModel>) -> Result<Self> {
		let io = |source| Error::Io { path: config.results_dir.clone(), source };
		std::fs::create_dir_all(&config.results_dir).map_err(io)?;
		let mut results = HashMap::new();
		for entry in std::fs::read_dir(&config.results_dir).map_err(io)? {
			let path = entry.map_err(io)?.path();
			if path.extension().is_some_and(|e| e == "result") {
				// A file this version cannot read (an older format) is a result to recompute.
				match read_result(&path) {
					Ok(result) => {
						results.insert(result.job, result);
					},
					Err(error) => log::warn!(target: "aichain::engine", "ignoring a stored result: {error}"),
				}
			}
		}
		let models: Models = Arc::new(RwLock::new(models.into_iter().map(|(id, m)| (id, Arc::new(m))).collect()));
		let finished: Finished = Arc::new((Mutex::new(results), Condvar::new()));
		let (sender, receiver) = mpsc::sync_channel::<JobSpec>(config.queue);
		let receiver = Arc::new(Mutex::new(receiver));
		let threads = (0..config.threads.max(1))
			.map(|_| {
				let (models, finished, receiver) = (models.clone(), finished.clone(), receiver.clone());
				let dir = config.results_dir.clone();
				std::thread::spawn(move || loop {
					let next = receiver.lock().map(|r| r.recv());
					let Ok(Ok(spec)) = next else { return };
					let job = spec.job;
					match run(&models, spec).and_then(|result| store(&dir, result)) {
						Ok(result) => {
							let (results, ready) = &*finished;
							results.lock().expect("no thread panics holding the lock; qed").insert(job, result);
							ready.notify_all();
						},
						Err(error) => log_failure(job, &error),
					}
				})
			})
			.collect();
		Ok(Self { models, sender: Some(sender), finished, threads })
	}

	/// Queues a job; returns at once. Errors: [`Error::UnknownModel`], the model's refusal of
	/// the input (`EngineModel::check_input`: [`Error::InputLength`], [`Error::Malformed`],
	/// [`Error::InvalidInput`], ...), [`Error::NotProvable`] (zk job of a model without a
	/// circuit or proving key), [`Error::QueueFull`] (also once the engine is stopping).
	pub fn submit(&self, spec: JobSpec) -> Result<()> {
		model_of(&self.models, spec.model)?.check(&spec)?;
		let sender = self.sender.as_ref().expect("the sender lives until drop; qed");
		sender.try_send(spec).map_err(|e| match e {
			mpsc::TrySendError::Full(_) => Error::QueueFull,
			mpsc::TrySendError::Disconnected(_) => Error::QueueFull,
		})
	}

	/// Adds `model` as `id` while the engine runs (a model file the provider received after
	/// starting); `false`, and nothing changes, if `id` is taken.
	pub fn add_model(&self, id: ModelId, model: LoadedModel) -> bool {
		let Ok(mut models) = self.models.write() else { return false };
		if models.contains_key(&id) {
			return false;
		}
		models.insert(id, Arc::new(model));
		true
	}

	/// The result of `job`, if it has finished (now or before a restart).
	pub fn result(&self, job: JobId) -> Option<JobResult> {
		self.finished.0.lock().ok()?.get(&job).cloned()
	}

	/// Waits up to `timeout` for the result of `job`.
	pub fn wait(&self, job: JobId, timeout: Duration) -> Option<JobResult> {
		let (results, ready) = &*self.finished;
		let guard = results.lock().ok()?;
		let (guard, _) = ready.wait_timeout_while(guard, timeout, |r| !r.contains_key(&job)).ok()?;
		guard.get(&job).cloned()
	}
}

impl Drop for Engine {
	fn drop(&mut self) {
		self.sender.take();
		for thread in self.threads.drain(..) {
			let _ = thread.join();
		}
	}
}

/// Runs one job.
fn run(models: &Models, spec: JobSpec) -> Result<JobResult> {
	let loaded = model_of(models, spec.model)?;
	let (output, proof) = loaded.run(&spec)?;
	let output = match spec.seal_output {
		Some(key) => crate::sealed::seal_output(&key, &output),
		None => output,
	};
	Ok(JobResult { job: spec.job, request: spec.request, output, proof })
}

/// Writes `result` to `<dir>/<job>.result` (atomically) and returns it.
fn store(dir: &Path, result: JobResult) -> Result<JobResult> {
	crate::write_file(&dir.join(format!("{}.result", result.job)), &result.encode())?;
	Ok(result)
}

fn read_result(path: &Path) -> Result<JobResult> {
	let bytes = crate::read_file(path)?;
	JobResult::decode(&mut &bytes[..])
		.map_err(|e| Error::Malformed { what: "stored job result", detail: format!("{}: {e}", path.display()) })
}

fn log_failure(job: JobId, error: &Error) {
	log::error!(target: "aichain::engine", "job {job} failed: {error}");
}
