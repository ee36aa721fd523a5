//! DiLoCo language-model trainings from the command line (`docs/distributed-training.md`).
//!
//! - `diloco-card` (no node): the character model's `register-model` arguments, as providers
//!   serving it compute them (its weights hash covers the recipe and the plays).
//! - `diloco-create`: stores the initial parameters (seeded) and a zero momentum as blobs and
//!   creates a training.
//! - `diloco-round`: drives rounds to their end, doing what the chain expects of whoever
//!   stores the files: each shard's header and input manifest, then `start_round`; when every
//!   change is agreed, the outer task's header and manifest, then `start_outer`; when the outer
//!   step is agreed, the next state's files, computed here with the providers' own code and
//!   checked against the agreed hashes, then `advance`. It resumes a round in any phase.
//! - `diloco-sample`: the training's recorded validation loss and a sample (temperature 0.8) of its
//!   current parameters.

use crate::{
	aic,
	blobs::{fetch, store_calls, store_many, submit_all, Call},
	find_event, submit,
	values::number,
	Client,
};
use aichain_compute::{
	blob::ManifestView,
	diloco::{outer_task_files, piece_hashes, task_manifest, OuterTask, ShardTask, STATE_PIECE_LEN},
};
use aichain_offchain_worker::models::{
	char_lm::{
		corpus::{default_dir, Corpus},
		task::{run_outer, vector_from_bytes, vector_to_bytes, Recipe},
		training::{sample, Sampling},
		CharLm, CharLmModel,
	},
	EngineModel,
};
use anyhow::{bail, ensure, Context, Result};
use candle_core::Device;
use scale_decode::DecodeAsType;
use scale_value::Value;
use std::time::{Duration, Instant};
use subxt::dynamic;
use subxt_signer::sr25519::Keypair;

/// How a training's rounds run (`diloco-create`'s arguments).
pub struct Settings {
	pub shards: u32,
	pub steps: u32,
	pub replicas: u8,
	pub max_price: f64,
	pub deadline: u32,
}

/// A state file as the chain records it.
#[derive(DecodeAsType, Debug)]
struct StateFile {
	size: u64,
	pieces: Vec<[u8; 32]>,
}

/// A blob named by its hash and size.
#[derive(DecodeAsType, Debug, Clone, Copy)]
struct BlobRef {
	hash: [u8; 32],
	size: u64,
}

/// What an outer job agreed on.
#[derive(DecodeAsType, Debug, Clone, Copy)]
struct OuterResult {
	parameters: [u8; 32],
	momentum: [u8; 32],
	validation_millibits: u32,
	rejected: u32,
}

/// A training's round settings as recorded.
#[derive(DecodeAsType, Debug)]
struct RoundSettings {
	shards: u32,
	steps: u32,
}

/// Where a training's round is.
#[derive(DecodeAsType, Debug)]
enum Phase {
	Idle,
	Shards { changes: Vec<Option<BlobRef>> },
	Changes { changes: Vec<BlobRef> },
	Outer { job: u64 },
	Agreed { result: OuterResult, changes: Vec<BlobRef> },
}

/// A training as recorded.
#[derive(DecodeAsType, Debug)]
struct Training {
	settings: RoundSettings,
	parameters: StateFile,
	momentum: StateFile,
	round: u32,
	validation_millibits: Option<u32>,
	phase: Phase,
}

/// The model providers serve, over the plays this machine has.
fn model() -> Result<CharLmModel> {
	let corpus = Corpus::load(&default_dir()).context("the plays: run scripts/fetch-models.sh")?;
	Ok(CharLmModel::new(Recipe::SMALL, corpus, Device::Cpu))
}

/// `diloco-card`.
pub fn card() -> Result<()> {
	let model = model()?;
	let card = model.card();
	println!("{} (sha256 {})", card.name, card.sha256_hex());
	println!("register with: {}", card.register_arguments());
	Ok(())
}

/// The training's record.
async fn training(api: &Client, id: u32) -> Result<Training> {
	let at = api.at_current_block().await?;
	let address = dynamic::storage::<(u32,), Training>("Diloco", "Trainings");
	let found = at.storage().try_fetch(address, (id,)).await?.with_context(|| format!("no training {id}"))?;
	Ok(found.decode()?)
}

/// A state file's pieces (of [`STATE_PIECE_LEN`] bytes) and, for a file of more than one, its
/// manifest: the blobs it is stored as.
fn state_blobs(file: &[u8]) -> (Vec<&[u8]>, Option<Vec<u8>>) {
	let pieces: Vec<&[u8]> = file.chunks(STATE_PIECE_LEN).collect();
	let manifest = (pieces.len() > 1)
		.then(|| ManifestView { total_size: file.len() as u64, chunks: piece_hashes(file, sp_crypto_hashing::blake2_256) }.to_blob());
	(pieces, manifest)
}

/// The chain's value of a state file.
fn state_value(file: &[u8]) -> Value {
	let pieces = piece_hashes(file, sp_crypto_hashing::blake2_256);
	Value::named_composite([
		("size", Value::u128(file.len() as u128)),
		("pieces", Value::unnamed_composite(pieces.iter().map(Value::from_bytes))),
	])
}

/// The manifest blob of `header` followed by `files` (`(size, pieces)`): how a task's input is
/// stored (the chain computes its hash).
fn input_manifest(header: &[u8], files: &[(u64, &[[u8; 32]])]) -> Vec<u8> {
	task_manifest(header, files, sp_crypto_hashing::blake2_256).to_blob()
}

/// The headers of round `round`'s tasks: each shard's, then the outer task's.
fn round_headers(id: u32, settings: &RoundSettings, round: u32) -> (Vec<Vec<u8>>, Vec<u8>) {
	let (shards, steps) = (settings.shards, settings.steps);
	let shard_headers =
		(0..shards).map(|shard| ShardTask::new(id, round, shard, shards, steps, sp_crypto_hashing::blake2_256).to_blob()).collect();
	(shard_headers, OuterTask { training: id, round, shards, steps }.to_blob())
}

/// Checks that the chain's blobs are as large as the pieces state files are cut into.
async fn check_piece_size(api: &Client) -> Result<()> {
	let max: u32 = api.at_current_block().await?.constants().entry(dynamic::constant::<u32>("Blobs", "MaxBlobSize"))?;
	ensure!(max as usize == STATE_PIECE_LEN, "the chain's blobs are {max} bytes, state files are stored in pieces of {STATE_PIECE_LEN}");
	Ok(())
}

/// The calls storing `state` files (their pieces, then their manifests) with round `round`'s
/// task headers, then its shards' input manifests over the parameters `parameters`
/// (`(size, pieces)`): `(data, manifests)`, to submit in that order (a manifest needs its
/// pieces kept). Blobs kept already are left out.
async fn round_calls(
	api: &Client,
	(id, settings, round): (u32, &RoundSettings, u32),
	parameters: (u64, &[[u8; 32]]),
	state: &[&[u8]],
) -> Result<(Vec<Call>, Vec<Call>)> {
	check_piece_size(api).await?;
	let (shard_headers, outer_header) = round_headers(id, settings, round);
	let blobs: Vec<(Vec<&[u8]>, Option<Vec<u8>>)> = state.iter().map(|file| state_blobs(file)).collect();
	let mut data: Vec<&[u8]> = blobs.iter().flat_map(|(pieces, _)| pieces.iter().copied()).collect();
	data.extend(shard_headers.iter().map(|h| &h[..]));
	data.push(&outer_header);
	let inputs: Vec<Vec<u8>> = shard_headers.iter().map(|h| input_manifest(h, &[parameters])).collect();
	let mut manifests: Vec<&[u8]> = blobs.iter().filter_map(|(_, manifest)| manifest.as_deref()).collect();
	manifests.extend(inputs.iter().map(|m| &m[..]));
	Ok((store_calls(api, "store", &data).await?.0, store_calls(api, "store_manifest", &manifests).await?.0))
}

/// A call of the DiLoCo pallet on training `id` (and `more` arguments).
fn training_call(call: &'static str, id: u32, more: Vec<Value>) -> Call {
	("Diloco", call, [vec![Value::u128(id.into())], more].concat())
}

/// `diloco-create`.
pub async fn create(
	api: &Client,
	url: &str,
	signer: &Keypair,
	(shard_model, outer_model): (u32, u32),
	settings: Settings,
	seed: u64,
) -> Result<()> {
	let config = Recipe::SMALL.config;
	let parameters = vector_to_bytes(&config.initial_parameters(seed));
	let momentum = vector_to_bytes(&vec![0.0; config.parameter_count()]);
	check_piece_size(api).await?;
	let (parameter_pieces, parameter_manifest) = state_blobs(&parameters);
	let (momentum_pieces, momentum_manifest) = state_blobs(&momentum);
	let manifests: Vec<&[u8]> = [&parameter_manifest, &momentum_manifest].into_iter().flatten().map(|m| &m[..]).collect();
	store_many(api, url, signer, "store", &[parameter_pieces, momentum_pieces].concat()).await?;
	store_many(api, url, signer, "store_manifest", &manifests).await?;
	let (parameters, momentum) = (state_value(&parameters), state_value(&momentum));
	let settings = Value::named_composite([
		("shards", Value::u128(settings.shards.into())),
		("steps", Value::u128(settings.steps.into())),
		("replicas", Value::u128(settings.replicas.into())),
		("max_price", Value::u128(aic(settings.max_price)?)),
		("timeout", Value::u128(settings.deadline.into())),
	]);
	let args = vec![Value::u128(shard_model.into()), Value::u128(outer_model.into()), settings, parameters, momentum];
	let events = submit(api, signer, "Diloco", "create_training", args).await?;
	let id = number(&find_event(&events, "Diloco", "TrainingCreated")?, "training")?;
	println!("training {id} created");
	Ok(())
}

/// The bytes of a file stored as `pieces`, read from the node and checked piece by piece.
async fn read_pieces(rpc: &subxt::rpcs::RpcClient, pieces: &[[u8; 32]], size: u64) -> Result<Vec<u8>> {
	let mut file = Vec::with_capacity(size as usize);
	for piece in pieces {
		file.extend(fetch(rpc, piece).await?);
	}
	ensure!(file.len() as u64 == size, "the pieces hold {} bytes, the chain says {size}", file.len());
	Ok(file)
}

/// `diloco-round`: runs `rounds` rounds of training `id` to their end, or fails after
/// `timeout`.
pub async fn rounds(api: &Client, url: &str, signer: &Keypair, id: u32, rounds: u32, timeout: Duration, prompt: &str) -> Result<()> {
	let model = model()?;
	let rpc = subxt::rpcs::RpcClient::from_url(url).await.with_context(|| format!("connecting to {url}"))?;
	let first = training(api, id).await?.round;
	let last = first + rounds;
	let started = Instant::now();
	let mut round_started = Instant::now();
	let mut acted = (u32::MAX, "");
	let mut shown = String::new();
	loop {
		let training = training(api, id).await?;
		if training.round >= last {
			return Ok(());
		}
		ensure!(started.elapsed() < timeout, "round {} did not end within {timeout:?} (phase {:?})", training.round, training.phase);
		let round = training.round;
		match &training.phase {
			Phase::Idle if acted == (round, "start_round") => bail!("round {round} was abandoned (a job ended without a result)"),
			Phase::Idle => {
				round_started = Instant::now();
				let parameters = (training.parameters.size, &training.parameters.pieces[..]);
				let (data, mut manifests) = round_calls(api, (id, &training.settings, round), parameters, &[]).await?;
				submit_all(api, url, signer, data).await?;
				manifests.push(training_call("start_round", id, vec![]));
				submit_all(api, url, signer, manifests).await?;
				println!("round {round}: {} shard jobs started", training.settings.shards);
				acted = (round, "start_round");
			},
			// Acted already: wait for the chain to move on.
			Phase::Changes { .. } if acted == (round, "start_outer") => {},
			Phase::Agreed { .. } if acted == (round, "advance") => {},
			Phase::Changes { changes } => {
				let (_, header) = round_headers(id, &training.settings, round);
				let files = outer_task_files(
					(training.parameters.size, &training.parameters.pieces),
					(training.momentum.size, &training.momentum.pieces),
					changes.iter().map(|c| (c.size, &c.hash)),
				);
				// The header is stored with the round's shard inputs, unless another client
				// started the round.
				store_many(api, url, signer, "store", &[&header]).await?;
				let (mut calls, _) = store_calls(api, "store_manifest", &[&input_manifest(&header, &files)]).await?;
				calls.push(training_call("start_outer", id, vec![]));
				submit_all(api, url, signer, calls).await?;
				println!("round {round}: every shard's change agreed; outer job started");
				acted = (round, "start_outer");
			},
			Phase::Agreed { result, changes } => {
				let (_, mut file) = round_headers(id, &training.settings, round);
				file.extend(read_pieces(&rpc, &training.parameters.pieces, training.parameters.size).await?);
				file.extend(read_pieces(&rpc, &training.momentum.pieces, training.momentum.size).await?);
				for change in changes {
					file.extend(read_pieces(&rpc, &[change.hash], change.size).await?);
				}
				let outcome = run_outer(model.recipe(), model.corpus(), &file)?;
				ensure!(
					(outcome.result.parameters, outcome.result.momentum) == (result.parameters, result.momentum),
					"this machine's outer step differs from the one the workers agreed on"
				);
				// The next state and the next round's headers and inputs; then, in the same blocks,
				// the advance and (if more rounds are wanted) the next round's start.
				let next_pieces = piece_hashes(&outcome.parameters, sp_crypto_hashing::blake2_256);
				let next_round = (id, &training.settings, round + 1);
				let state = [&outcome.parameters[..], &outcome.momentum[..]];
				let parameters = (outcome.parameters.len() as u64, &next_pieces[..]);
				let (data, mut calls) = round_calls(api, next_round, parameters, &state).await?;
				submit_all(api, url, signer, data).await?;
				calls.push(training_call("advance", id, vec![state_value(&outcome.parameters), state_value(&outcome.momentum)]));
				let more = round + 1 < last;
				if more {
					calls.push(training_call("start_round", id, vec![]));
				}
				submit_all(api, url, signer, calls).await?;
				let next = vector_from_bytes(&model.recipe().config, "parameters", &outcome.parameters)?;
				println!(
					"round {round}: validation {:.3} bits per character, {} change(s) screened out, in {:.0} s",
					f64::from(result.validation_millibits) / 1000.0,
					result.rejected.count_ones(),
					round_started.elapsed().as_secs_f64()
				);
				println!("round {round} sample (temperature 0.8):\n{}", sample_text(&model, &next, prompt)?);
				acted = (round, "advance");
				if more {
					println!("round {}: {} shard jobs started", round + 1, training.settings.shards);
					(acted, round_started) = ((round + 1, "start_round"), Instant::now());
				}
			},
			Phase::Shards { changes } => {
				let agreed = changes.iter().flatten().count();
				progress(&mut shown, format!("round {round}: {agreed} of {} shard changes agreed", changes.len()));
			},
			Phase::Outer { job } => progress(&mut shown, format!("round {round}: outer job {job} running")),
		}
		tokio::time::sleep(Duration::from_secs(3)).await;
	}
}

/// Prints `status` if it is not what was printed last.
fn progress(shown: &mut String, status: String) {
	if *shown != status {
		println!("{status}");
		*shown = status;
	}
}

/// The prompt and 300 characters after it from `parameters`, drawn at temperature 0.8 from a
/// fixed seed (the same text for the same parameters), each line prefixed with `| `.
fn sample_text(model: &CharLmModel, parameters: &[f32], prompt: &str) -> Result<String> {
	let lm = CharLm::from_parameters(model.recipe().config, parameters, &Device::Cpu)?;
	let drawn = sample(&lm, prompt.as_bytes(), 300, Sampling::Temperature { temperature: 0.8, seed: 1 })?;
	let text = format!("{prompt}{}", String::from_utf8_lossy(&drawn));
	Ok(text.lines().map(|line| format!("| {line}")).collect::<Vec<_>>().join("\n"))
}

/// `diloco-sample`.
pub async fn show(api: &Client, url: &str, id: u32, prompt: &str) -> Result<()> {
	let model = model()?;
	let training = training(api, id).await?;
	let rpc = subxt::rpcs::RpcClient::from_url(url).await.with_context(|| format!("connecting to {url}"))?;
	let bytes = read_pieces(&rpc, &training.parameters.pieces, training.parameters.size).await?;
	let parameters = vector_from_bytes(&model.recipe().config, "parameters", &bytes)?;
	match training.validation_millibits {
		Some(millibits) => println!("training {id}, round {}: validation {:.3} bits per character", training.round, f64::from(millibits) / 1000.0),
		None => println!("training {id}, round {}: no round completed yet", training.round),
	}
	println!("sample (temperature 0.8):\n{}", sample_text(&model, &parameters, prompt)?);
	Ok(())
}
