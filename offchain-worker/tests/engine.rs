//! The engine API: jobs run on the pool off the caller's thread, zk jobs come back with proofs
//! that the chain's verifier accepts (the training step's with the committed keys), bad jobs are refused at submission, and finished results
//! survive a restart.

use aichain_compute::{zk_public_inputs, Tier};
use aichain_offchain_worker::{
	engine::{Engine, EngineConfig, JobSpec},
	models::{
		digits::{dataset, quantized::QuantizedMlp, DigitsModel},
		minilm::{embedding, MiniLmModel},
		training_step::{circuit as training_circuit, TrainingStepModel},
		LoadedModel,
	},
	prover, Error,
};
use ark_std::rand::{rngs::StdRng, SeedableRng};
use std::{collections::HashMap, time::Duration};

const DIGITS: u32 = 0;
const DIGITS_UNPROVABLE: u32 = 1;
const MINILM: u32 = 2;

fn model() -> QuantizedMlp {
	let path = std::path::PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").unwrap())
		.join("models/digits-mlp.safetensors");
	QuantizedMlp::load(&path).unwrap().0
}

fn start(dir: &std::path::Path) -> (Engine, aichain_zk::VerifyingKey) {
	let digits = || DigitsModel::new(model(), "digits").unwrap();
	let key = prover::KeyCache::new(dir.join("keys")).get_or_generate(&digits(), &mut StdRng::seed_from_u64(5)).unwrap();
	let vk = prover::verifying_key(&key);
	let embedder = MiniLmModel::load(&embedding::models_dir(), &candle_core::Device::Cpu)
		.expect("MiniLM weights: run scripts/fetch-models.sh");
	let models = HashMap::from([
		(DIGITS, LoadedModel::new(digits(), Some(key))),
		(DIGITS_UNPROVABLE, LoadedModel::new(digits(), None)),
		(MINILM, LoadedModel::new(embedder, None)),
	]);
	let config = EngineConfig { results_dir: dir.join("results"), threads: 2, queue: 16 };
	(Engine::start(config, models).unwrap(), vk)
}

#[test]
fn jobs_run_on_the_pool_and_their_results_survive_a_restart() {
	let dir = tempfile::tempdir().unwrap();
	let digits = dataset::load().unwrap();
	let samples = &digits.test[..4];
	{
		let (engine, vk) = start(dir.path());
		for (job, sample) in samples.iter().enumerate() {
			let spec = JobSpec { job: job as u64, model: DIGITS, input: sample.pixels.to_vec(), tier: Tier::Zk, request: [job as u8; 32], output: None, seal_output: None };
			engine.submit(spec).unwrap();
		}
		engine
			.submit(JobSpec {
				job: 10,
				model: DIGITS_UNPROVABLE,
				input: samples[0].pixels.to_vec(),
				tier: Tier::Redundancy { replicas: 2 },
				request: [10; 32],
				output: None,
				seal_output: None,
			})
			.unwrap();
		for (job, sample) in samples.iter().enumerate() {
			let result = engine.wait(job as u64, Duration::from_secs(60)).expect("the job finishes");
			assert_eq!(result.output, model().infer(&sample.pixels).unwrap(), "the engine's output");
			let proof = result.proof.expect("a zk job is proven");
			aichain_zk::verify(&vk, &proof, &zk_public_inputs(&sample.pixels, &result.output)).expect("the proof verifies");
		}
		engine
			.submit(JobSpec {
				job: 11,
				model: MINILM,
				input: b"A cat naps on the couch.".to_vec(),
				tier: Tier::Optimistic,
				request: [11; 32],
				output: None,
				seal_output: None,
			})
			.unwrap();
		let embedded = engine.wait(11, Duration::from_secs(60)).expect("the embedding job finishes");
		assert_eq!((embedded.output.len(), embedded.proof), (384, None));
		// A sealed job: the engine stores and reports only the output sealed under the job key.
		let job_key = [42u8; 32];
		engine
			.submit(JobSpec {
				job: 12,
				model: MINILM,
				input: b"A cat naps on the couch.".to_vec(),
				tier: Tier::Redundancy { replicas: 2 },
				request: [12; 32],
				output: None,
				seal_output: Some(job_key),
			})
			.unwrap();
		let sealed = engine.wait(12, Duration::from_secs(60)).expect("the sealed job finishes");
		assert_ne!(sealed.output, embedded.output, "no plaintext output");
		assert_eq!(aichain_offchain_worker::sealed::open_output(&job_key, &sealed.output).unwrap(), embedded.output);
		let plain = engine.wait(10, Duration::from_secs(60)).unwrap();
		assert_eq!(plain.proof, None);
		assert_eq!(plain.output, engine.result(0).unwrap().output, "same input, same output");
	}
	// Restarted: the finished results are read back from disk.
	let (engine, _) = start(dir.path());
	for job in 0..4u64 {
		let result = engine.result(job).expect("kept across the restart");
		assert_eq!((result.job, result.request), (job, [job as u8; 32]), "with the request it answers");
		assert_eq!(result.output.len(), 40);
	}
	assert!(engine.result(10).is_some());
}

#[test]
fn bad_jobs_are_refused_at_submission() {
	let dir = tempfile::tempdir().unwrap();
	let (engine, _) = start(dir.path());
	let spec = |model, input: Vec<u8>, tier| JobSpec { job: 1, model, input, tier, request: [1; 32], output: None, seal_output: None };
	assert!(matches!(engine.submit(spec(7, vec![0; 64], Tier::Zk)), Err(Error::UnknownModel(7))));
	assert!(matches!(engine.submit(spec(DIGITS, vec![0; 3], Tier::Zk)), Err(Error::InputLength { expected: 64, got: 3 })));
	assert!(matches!(engine.submit(spec(DIGITS_UNPROVABLE, vec![0; 64], Tier::Zk)), Err(Error::NotProvable(1))));
	assert!(matches!(engine.submit(spec(MINILM, b"text".to_vec(), Tier::Zk)), Err(Error::NotProvable(2))));
	assert!(matches!(engine.submit(spec(MINILM, vec![0xff], Tier::Optimistic)), Err(Error::Malformed { .. })));
	assert!(engine.result(1).is_none());
}

/// The committed training-step keys (`models/keys/<circuit id>.{pk,vk}`), as providers and the
/// model owner use them.
fn committed_training_keys() -> (ark_groth16::ProvingKey<ark_bn254::Bn254>, aichain_zk::VerifyingKey) {
	use codec::Decode;
	let keys = std::path::PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").unwrap()).join("models/keys");
	let id = training_circuit::circuit_id();
	let proving_key = prover::KeyCache::new(&keys).get(&id).unwrap().expect("committed: run the model-keys binary");
	let vk_bytes = std::fs::read(prover::KeyCache::new(&keys).path(&id).with_extension("vk")).unwrap();
	(proving_key, aichain_zk::VerifyingKey::decode(&mut &vk_bytes[..]).unwrap())
}

#[test]
fn a_training_step_job_is_proven_with_the_committed_keys() {
	let dir = tempfile::tempdir().unwrap();
	let (proving_key, vk) = committed_training_keys();
	assert_eq!(prover::verifying_key(&proving_key), vk, "the committed .vk belongs to the committed .pk");
	let models = HashMap::from([
		(0, LoadedModel::new(TrainingStepModel::default(), Some(proving_key))),
		(1, LoadedModel::new(TrainingStepModel::default(), None)),
	]);
	let config = EngineConfig { results_dir: dir.path().join("results"), threads: 1, queue: 4 };
	let engine = Engine::start(config, models).unwrap();
	let shard = [training_circuit::Sample { features: [32; training_circuit::FEATURES], target: 1 }; training_circuit::SHARD];
	let input = training_circuit::encode_input(&[0; training_circuit::PARAMETERS], &shard);
	engine.submit(JobSpec { job: 1, model: 0, input: input.clone(), tier: Tier::Zk, request: [1; 32], output: None, seal_output: None }).unwrap();
	let result = engine.wait(1, Duration::from_secs(60)).expect("the training job finishes");
	assert_eq!(result.output, training_circuit::run(&input).unwrap());
	aichain_zk::verify(&vk, &result.proof.expect("proven"), &zk_public_inputs(&input, &result.output))
		.expect("the proof verifies with the committed verifying key");
	assert!(matches!(
		engine.submit(JobSpec { job: 2, model: 1, input: input.clone(), tier: Tier::Zk, request: [2; 32], output: None, seal_output: None }),
		Err(Error::NotProvable(1))
	));
	assert!(matches!(
		engine.submit(JobSpec { job: 3, model: 0, input: input[1..].to_vec(), tier: Tier::Zk, request: [3; 32], output: None, seal_output: None }),
		Err(Error::InputLength { .. })
	));
}

/// Attack 10 of the market review: results were keyed by job id only, so after a reorg (the
/// id now naming another job) a provider could report one job's output for another. A result
/// carries the fingerprint of the request it answers; the same id asked again with another
/// request is run again and its result replaces the old one.
#[test]
fn a_result_carries_the_request_it_answers_and_another_request_is_run_again() {
	let dir = tempfile::tempdir().unwrap();
	let (engine, _) = start(dir.path());
	let digits = dataset::load().unwrap();
	let (first, second) = (&digits.test[0].pixels, &digits.test[1].pixels);
	let spec = |input: &[u8], request| JobSpec {
		job: 5,
		model: DIGITS_UNPROVABLE,
		input: input.to_vec(),
		tier: Tier::Redundancy { replicas: 2 },
		request,
		output: None,
		seal_output: None,
	};
	engine.submit(spec(first, [1; 32])).unwrap();
	let old = engine.wait(5, Duration::from_secs(60)).expect("the job finishes");
	assert_eq!((old.request, old.output.clone()), ([1; 32], model().infer(first).unwrap()));
	// After a reorg job 5 is another job: the provider sees another fingerprint and asks again.
	engine.submit(spec(second, [2; 32])).unwrap();
	let deadline = std::time::Instant::now() + Duration::from_secs(60);
	let new = loop {
		match engine.result(5) {
			Some(result) if result.request == [2; 32] => break result,
			_ if std::time::Instant::now() > deadline => panic!("the second request never finished"),
			_ => std::thread::sleep(Duration::from_millis(20)),
		}
	};
	assert_eq!(new.output, model().infer(second).unwrap());
	assert_ne!(new.output, old.output, "two different digits, two different outputs");
}

/// A provider receives a new model file after starting: the model joins the running engine under
/// a new id, and an id cannot be taken twice.
#[test]
fn a_model_added_to_a_running_engine_serves_jobs() {
	let dir = tempfile::tempdir().unwrap();
	let config = EngineConfig { results_dir: dir.path().join("results"), threads: 1, queue: 4 };
	let engine = Engine::start(config, HashMap::from([(0, LoadedModel::new(DigitsModel::new(model(), "digits").unwrap(), None))])).unwrap();
	let shard = [training_circuit::Sample { features: [3; training_circuit::FEATURES], target: 0 }; training_circuit::SHARD];
	let input = training_circuit::encode_input(&[7; training_circuit::PARAMETERS], &shard);
	let spec = JobSpec { job: 1, model: 9, input: input.clone(), tier: Tier::Optimistic, request: [1; 32], output: None, seal_output: None };
	assert!(matches!(engine.submit(spec.clone()), Err(Error::UnknownModel(9))));
	assert!(engine.add_model(9, LoadedModel::new(TrainingStepModel::default(), None)));
	assert!(!engine.add_model(9, LoadedModel::new(TrainingStepModel::default(), None)), "the id is taken");
	assert!(!engine.add_model(0, LoadedModel::new(TrainingStepModel::default(), None)), "so is the digits model's");
	engine.submit(spec).unwrap();
	assert_eq!(engine.wait(1, Duration::from_secs(60)).expect("the job runs").output, training_circuit::run(&input).unwrap());
}

