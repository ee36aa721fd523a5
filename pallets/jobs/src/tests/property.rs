//! A property test of the whole market: random sequences of every call of the jobs, models,
//! workers and verifier pallets, with random arguments (input lengths and encodings, tiers,
//! directed jobs for workers, non-workers and the requester itself,
//! deadlines, prices 0 and huge, blob inputs and outputs, sealed jobs and their keys, copied commitments, declines, retirements) and
//! block advances.
//! After every call and every block it checks:
//!
//! - every market pallet's `try_state`;
//! - total issuance never changes (these pallets mint and burn nothing; slashes move funds);
//! - the sum of all holds equals open escrows + challenge bonds + worker bonds + model and key
//!   deposits;
//! - every job ends within the bound the docs state, and all have ended once the market has
//!   been left alone long enough.
//!
//! `PROPTEST_CASES` sets the number of cases (default 64 here; the closing note of the
//! hardening issue gives the count run).

use super::*;
use crate::JobId;
use aichain_compute::blob::encode_row_output;
use frame_support::traits::Get;
use proptest::prelude::*;
use std::{collections::BTreeMap, sync::OnceLock};

/// The test circuit's keys, made once for all cases.
fn keys() -> &'static (ProvingKey<Bn254>, aichain_zk::VerifyingKey) {
	static KEYS: OnceLock<(ProvingKey<Bn254>, aichain_zk::VerifyingKey)> = OnceLock::new();
	KEYS.get_or_init(test_circuit::setup)
}

const WORKERS: [u64; 4] = [ALICE, BOB, CHARLIE, DAVE];
const REQUESTERS: [u64; 3] = [REQUESTER, EVE, POOR];

#[derive(Clone, Debug)]
enum Action {
	Submit { requester: u8, model: u8, len: u8, utf8: bool, tier: u8, deadline: u8, exact_price: bool, blob: bool, sealed: bool },
	/// A zk job directed to one account (a worker, or any other, the requester included).
	SubmitDirected { requester: u8, worker: u8, model: u8, len: u8, deadline: u8 },
	/// The requester (or, `outsider`, another account) sends the job key to one worker of a
	/// sealed job, or (`all`) to every one of them.
	PostKeys { job: u8, worker: u8, all: bool, outsider: bool },
	Cancel { job: u8, who: u8 },
	SubmitResult { job: u8, honest: bool },
	/// One worker's batch of its zk jobs (`lies`: bit `i` makes the `i`-th a lie), with a
	/// repeated result and another worker's job if asked.
	SubmitResults { worker: u8, lies: u8, duplicate: bool, foreign: bool },
	/// One worker commits, or (`all`) every worker of the job.
	Commit { job: u8, worker: u8, output: u8, copy: bool, all: bool },
	/// One worker reveals, or (`all`) every worker of the job.
	Reveal { job: u8, worker: u8, all: bool },
	Propose { job: u8, output: u8 },
	Challenge { job: u8, who: u8 },
	Decline { job: u8, worker: u8 },
	SetPrice { model: u8, price: u8 },
	Retire { model: u8 },
	Advance { blocks: u8 },
}

fn action() -> impl Strategy<Value = Action> {
	prop_oneof![
		4 => (any::<u8>(), any::<u8>(), 0u8..10, any::<bool>(), any::<u8>(), any::<u8>(), any::<bool>(), any::<bool>(), any::<bool>()).prop_map(
			|(requester, model, len, utf8, tier, deadline, exact_price, blob, sealed)| Action::Submit {
				requester, model, len, utf8, tier, deadline, exact_price, blob, sealed
			}
		),
		2 => (any::<u8>(), any::<u8>(), any::<u8>(), 0u8..10, any::<u8>())
			.prop_map(|(requester, worker, model, len, deadline)| Action::SubmitDirected { requester, worker, model, len, deadline }),
		2 => (any::<u8>(), any::<u8>(), any::<bool>(), proptest::bool::weighted(0.1))
			.prop_map(|(job, worker, all, outsider)| Action::PostKeys { job, worker, all, outsider }),
		1 => (any::<u8>(), any::<u8>()).prop_map(|(job, who)| Action::Cancel { job, who }),
		2 => (any::<u8>(), any::<bool>()).prop_map(|(job, honest)| Action::SubmitResult { job, honest }),
		2 => (any::<u8>(), any::<u8>(), proptest::bool::weighted(0.2), proptest::bool::weighted(0.2))
			.prop_map(|(worker, lies, duplicate, foreign)| Action::SubmitResults { worker, lies, duplicate, foreign }),
		4 => (any::<u8>(), any::<u8>(), 0u8..3, any::<bool>(), any::<bool>()).prop_map(|(job, worker, output, copy, all)| {
			Action::Commit { job, worker, output, copy, all }
		}),
		4 => (any::<u8>(), any::<u8>(), any::<bool>()).prop_map(|(job, worker, all)| Action::Reveal { job, worker, all }),
		2 => (any::<u8>(), 0u8..3).prop_map(|(job, output)| Action::Propose { job, output }),
		1 => (any::<u8>(), any::<u8>()).prop_map(|(job, who)| Action::Challenge { job, who }),
		1 => (any::<u8>(), any::<u8>()).prop_map(|(job, worker)| Action::Decline { job, worker }),
		1 => (any::<u8>(), any::<u8>()).prop_map(|(model, price)| Action::SetPrice { model, price }),
		1 => any::<u8>().prop_map(|model| Action::Retire { model }),
		3 => (1u8..12).prop_map(|blocks| Action::Advance { blocks }),
	]
}

/// What the test remembers between calls: each job's submission block and timeout, and each
/// commitment's output and salt (for the reveal).
#[derive(Default)]
struct Memory {
	issuance: u64,
	/// The most jobs open at once so far (the backlog any job may have waited behind).
	max_open: u64,
	/// Each job's submission block, timeout, and whether it is sealed.
	submitted: BTreeMap<JobId, (u64, u64, bool)>,
	commitments: BTreeMap<(JobId, u64), (Vec<u8>, [u8; 32])>,
	/// Each directed job's worker: the only one it may ever be assigned to.
	directed: BTreeMap<JobId, u64>,
	/// The extrinsic index of the next blob reveal (one indexing per extrinsic and block).
	next_extrinsic: u32,
}

/// The longest a job may stay open (`docs/compute-market.md`, "Every job ends"): at most
/// `MaxReassignments + 4` phases of `timeout` blocks (pending; `MaxReassignments + 2` working
/// phases, the proposer's and a dispute round's together; reveal) and the challenge window,
/// each delayed by at most the backlog of due phases (`open jobs / MaxJobsPerBlock` blocks).
/// A sealed job may also wait `timeout` blocks for its keys before each working phase.
fn bound(timeout: u64, open_jobs: u64, sealed: bool) -> u64 {
	let delay = open_jobs.div_ceil(<<Test as crate::Config>::MaxJobsPerBlock as Get<u32>>::get() as u64) + 1;
	// The pallet's own bound without backlog, with every phase `delay` blocks longer.
	let life = if sealed { Jobs::longest_sealed_life(timeout + delay) } else { Jobs::longest_life(timeout + delay) };
	life + delay
}

/// The n-th open job (by id), if any.
fn open_job(n: u8) -> Option<(JobId, crate::JobOf<Test>)> {
	let jobs: Vec<_> = JobsStorage::<Test>::iter().collect();
	(!jobs.is_empty()).then(|| jobs[n as usize % jobs.len()].clone()).map(|(id, job)| (id, job))
}

/// The `n`-th assigned worker of `job`, or (`all`) every one of them.
fn chosen(job: &crate::JobOf<Test>, n: u8, all: bool) -> Vec<u64> {
	let workers: Vec<u64> = job.assignments.iter().map(|a| a.worker).collect();
	if all { workers } else { vec![workers[n as usize % workers.len()]] }
}

/// `worker` commits to an output of `out` (a row output's descriptor for blob-output jobs), or
/// (`copy`) to another worker's commitment; remembers the output and salt for its reveal.
fn commit(id: JobId, job: &crate::JobOf<Test>, worker: u64, out: u8, copy: bool, memory: &mut Memory) -> sp_runtime::DispatchResult {
	let previous = job.assignments.iter().find_map(|a| a.commitment);
	let salt = [worker as u8 ^ out; 32];
	let (commitment, kept) = match previous {
		// A copier commits another worker's commitment.
		Some(other) if copy => (other, None),
		_ if job.has_blob_output() => {
			let data = encode_row_output(ROW_LEN, [[out; ROW_LEN as usize]; 2].iter().map(|r| &r[..]));
			(commitment_of(id, &worker, &descriptor(&data), &salt), Some((data, salt)))
		},
		_ => {
			let data = vec![b'o', out];
			(commitment_of(id, &worker, &data, &salt), Some((data, salt)))
		},
	};
	let result = Jobs::commit_result(origin(worker), id, commitment);
	if let (Ok(()), Some(kept)) = (&result, kept) {
		memory.commitments.insert((id, worker), kept);
	}
	result
}

/// `worker` reveals what it committed to (a guess if it did not), as a blob for blob-output
/// jobs (in an extrinsic of its own).
fn reveal(id: JobId, job: &crate::JobOf<Test>, worker: u64, memory: &mut Memory) -> sp_runtime::DispatchResult {
	let (data, salt) = memory.commitments.get(&(id, worker)).cloned().unwrap_or((b"guess".to_vec(), [0; 32]));
	if job.has_blob_output() {
		memory.next_extrinsic += 1;
		dispatch(worker, noted_reveal(memory.next_extrinsic, id, salt, &data))
	} else {
		Jobs::reveal_result(origin(worker), id, output(&data), salt)
	}
}

fn apply(action: &Action, models: &[u32], memory: &mut Memory) {
	// Every call may fail: a failed call must change nothing (checked by the invariants).
	let _ = match action.clone() {
		Action::Submit { requester, model, len, utf8, tier, deadline, exact_price, blob, sealed } => {
			// Blob jobs go to the two models taking blob inputs (text, rows) or, rarely, others.
			let model = if blob && model % 4 != 0 { models[1 + 2 * (model as usize % 2)] } else { models[model as usize % models.len()] };
			let data: Vec<u8> = if utf8 { vec![b'a'; len as usize] } else { vec![0xff; len as usize] };
			let tier = match tier % 4 {
				0 => Tier::Zk,
				1 => Tier::Optimistic,
				n => Tier::Redundancy { replicas: n + (tier / 4) % 3 },
			};
			let deadline = (deadline % 12) as u64;
			let max_price = if exact_price { 2 * PRICE } else { u64::MAX };
			let id = crate::NextJobId::<Test>::get();
			let who = REQUESTERS[requester as usize % REQUESTERS.len()];
			let result = if blob && sealed {
				// Sealed: only the rows model takes it (the text model answers inline).
				let blob = sp_io::hashing::blake2_256(MARKET_BLOB);
				Jobs::submit_sealed_job(origin(who), model, blob, tier, max_price, deadline, [len; 32])
			} else if blob {
				// The market's one blob (the text model takes it; the others refuse blob inputs).
				let blob = sp_io::hashing::blake2_256(MARKET_BLOB);
				Jobs::submit_blob_job(origin(who), model, blob, tier, max_price, deadline)
			} else {
				Jobs::submit_job(origin(who), model, input(&data), tier, max_price, deadline)
			};
			if result.is_ok() {
				memory.submitted.insert(id, (System::block_number(), deadline, blob && sealed));
			}
			result
		},
		Action::SubmitDirected { requester, worker, model, len, deadline } => {
			let model = models[model as usize % models.len()];
			let who = REQUESTERS[requester as usize % REQUESTERS.len()];
			// Mostly a worker; sometimes the requester itself or an account that is no worker.
			let worker = match worker % 6 {
				4 => who,
				5 => OWNER,
				n => WORKERS[n as usize],
			};
			let deadline = (deadline % 12) as u64;
			let id = crate::NextJobId::<Test>::get();
			let result = <Jobs as crate::DirectedJobSubmitter<_, _, _>>::submit_directed_job(
				who,
				worker,
				model,
				vec![b'a'; len as usize],
				u64::MAX,
				deadline,
			)
			.map(drop);
			if result.is_ok() {
				assert_eq!(JobsStorage::<Test>::get(id).map(|j| j.assignments.iter().map(|a| a.worker).collect::<Vec<_>>()), Some(vec![worker]));
				memory.submitted.insert(id, (System::block_number(), deadline, false));
				memory.directed.insert(id, worker);
			}
			result
		},
		Action::PostKeys { job, worker, all, outsider } => match open_job(job) {
			Some((id, job)) if !job.assignments.is_empty() => {
				let who = if outsider { EVE } else { job.requester };
				let keys: Vec<(u64, crate::SealedKey)> =
					chosen(&job, worker, all).into_iter().map(|w| (w, [w as u8; crate::SEALED_KEY_LEN])).collect();
				Jobs::post_job_keys(origin(who), id, keys.try_into().expect("at most MaxReplicas workers"))
			},
			_ => Ok(()),
		},
		Action::Cancel { job, who } => match open_job(job) {
			Some((id, job)) => {
				let who = if who % 2 == 0 { job.requester } else { REQUESTERS[who as usize % 3] };
				Jobs::cancel_job(origin(who), id)
			},
			None => Ok(()),
		},
		Action::SubmitResult { job, honest } => match open_job(job) {
			Some((id, job)) if job.tier == Tier::Zk && !job.assignments.is_empty() => {
				let (pk, _) = keys();
				let honest_output = test_circuit::byte_sum(&job.input);
				let claimed = if honest { honest_output.clone() } else { vec![honest_output[0] ^ 1, honest_output[1]] };
				let proof = test_circuit::prove(pk, &job.input, &claimed);
				Jobs::submit_result(origin(job.assignments[0].worker), id, output(&claimed), proof)
					.map(drop)
					.map_err(|e| e.error)
			},
			_ => Ok(()),
		},
		Action::SubmitResults { worker, lies, duplicate, foreign } => {
			let worker = WORKERS[worker as usize % WORKERS.len()];
			let zk_jobs: Vec<_> = JobsStorage::<Test>::iter()
				.filter(|(_, job)| job.tier == Tier::Zk && !job.assignments.is_empty())
				.collect();
			let mut batch: Vec<(JobId, crate::JobOf<Test>)> =
				zk_jobs.iter().filter(|(_, job)| job.assignments[0].worker == worker).cloned().collect();
			if foreign {
				batch.extend(zk_jobs.iter().find(|(_, job)| job.assignments[0].worker != worker).cloned());
			}
			if duplicate {
				batch.extend(batch.first().cloned());
			}
			let (pk, _) = keys();
			let results: Vec<_> = batch
				.iter()
				.take(<<Test as crate::Config>::MaxResultsPerCall as Get<u32>>::get() as usize)
				.enumerate()
				.map(|(i, (id, job))| {
					let honest = test_circuit::byte_sum(&job.input);
					let claimed = if lies >> (i % 8) & 1 == 1 { vec![honest[0] ^ 1, honest[1]] } else { honest };
					let proof = test_circuit::prove(pk, &job.input, &claimed);
					crate::ZkResult { job: *id, output: output(&claimed), proof }
				})
				.collect();
			Jobs::submit_results(origin(worker), results.try_into().unwrap()).map(drop).map_err(|e| e.error)
		},
		Action::Commit { job, worker, output: out, copy, all } => match open_job(job) {
			Some((id, job)) if !job.assignments.is_empty() => {
				let workers = chosen(&job, worker, all);
				workers.into_iter().map(|worker| commit(id, &job, worker, out, copy, memory)).collect()
			},
			_ => Ok(()),
		},
		Action::Reveal { job, worker, all } => match open_job(job) {
			Some((id, job)) if !job.assignments.is_empty() => {
				let workers = chosen(&job, worker, all);
				workers.into_iter().map(|worker| reveal(id, &job, worker, memory)).collect()
			},
			_ => Ok(()),
		},
		Action::Propose { job, output: out } => match open_job(job) {
			Some((id, job)) if !job.assignments.is_empty() =>
				Jobs::propose_result(origin(job.assignments[0].worker), id, output(&[b'p', out])),
			_ => Ok(()),
		},
		Action::Challenge { job, who } => match open_job(job) {
			Some((id, _)) => Jobs::challenge_result(origin(REQUESTERS[who as usize % 3]), id),
			None => Ok(()),
		},
		Action::Decline { job, worker } => match open_job(job) {
			Some((id, job)) if !job.assignments.is_empty() =>
				Jobs::decline_job(origin(job.assignments[worker as usize % job.assignments.len()].worker), id),
			_ => Ok(()),
		},
		Action::SetPrice { model, price } => {
			let price = match price % 3 {
				0 => 0,
				1 => PRICE,
				_ => u64::MAX / 8,
			};
			Models::update_price(origin(OWNER), models[model as usize % models.len()], price)
		},
		Action::Retire { model } => Models::retire_model(origin(OWNER), models[model as usize % models.len()]),
		Action::Advance { blocks } => {
			memory.next_extrinsic = 0;
			for _ in 0..blocks {
				run_to_block(System::block_number() + 1);
				check(memory);
			}
			Ok(())
		},
	};
}

/// Every invariant of the market, after a call or a block.
fn check(memory: &mut Memory) {
	Jobs::do_try_state().expect("jobs invariants");
	for (id, worker) in &memory.directed {
		if let Some(job) = JobsStorage::<Test>::get(id) {
			assert!(job.assignments.iter().all(|a| a.worker == *worker), "directed job {id} given to another worker");
		}
	}
	Workers::do_try_state().expect("workers invariants");
	Models::do_try_state().expect("models invariants");
	ZkVerifier::do_try_state().expect("verifier invariants");
	Blobs::do_try_state().expect("blobs invariants");
	assert_eq!(Balances::total_issuance(), memory.issuance, "issuance changed: funds created or lost");
	let held: u64 = pallet_balances::Holds::<Test>::iter_values().flatten().map(|h| h.amount).sum();
	let escrows: u64 = JobsStorage::<Test>::iter_values().map(|j| j.terms.escrow).sum();
	let challenges: u64 = JobsStorage::<Test>::iter_values()
		.filter_map(|j| j.proposal.and_then(|p| p.challenge).map(|c| c.bond))
		.sum();
	let bonds: u64 = WorkersStorage::<Test>::iter_values().map(|w| w.bond).sum();
	let models: u64 = pallet_models::Models::<Test>::iter_values().map(|m| m.deposit).sum();
	let keys: u64 = pallet_zk_verifier::VerifyingKeys::<Test>::iter_values().map(|k| k.deposit).sum();
	assert_eq!(held, escrows + challenges + bonds + models + keys, "holds differ from what the pallets record");
	let now = System::block_number();
	memory.max_open = memory.max_open.max(JobsStorage::<Test>::iter_keys().count() as u64);
	for id in JobsStorage::<Test>::iter_keys() {
		let (submitted, timeout, sealed) = memory.submitted[&id];
		assert!(now - submitted <= bound(timeout, memory.max_open, sealed), "job {id} open past its bound");
	}
}

/// The blob a market's requesters may submit as an input.
const MARKET_BLOB: &[u8] = b"a document kept as a blob";

/// Rows of the blob-output model's outputs.
const ROW_LEN: u16 = 4;

/// A market with a zk model, a text model (which also takes blob inputs), a free text model
/// with a minimum timeout, and a text model answering blob inputs with row blobs, all served
/// by four workers; a blob is kept.
fn market() -> Vec<u32> {
	let (_, vk) = keys();
	let key = pallet_zk_verifier::register_for::<Test>(OWNER, vk.clone()).unwrap();
	let zk = register_model(ModelKind::Classifier, Some(key), test_circuit::INPUT_LEN as u32, test_circuit::OUTPUT_LEN as u32);
	let text = register_model(ModelKind::Embedding, None, 8, 8);
	let slow = register_model_with(ModelKind::Embedding, None, 8, 8, 3, 1);
	assert_ok!(Models::update_price(origin(OWNER), slow, 0));
	let limits = pallet_models::BlobLimits { max_input_len: 64, max_output_len: 0, output_row_len: 0, sketch_tolerance: 0 };
	assert_ok!(Models::set_blob_limits(origin(OWNER), text, Some(limits)));
	let rows = register_model(ModelKind::Embedding, None, 8, 8);
	let limits = pallet_models::BlobLimits {
		max_input_len: 64,
		max_output_len: 7 + 2 * ROW_LEN as u32,
		output_row_len: ROW_LEN,
		sketch_tolerance: 1,
	};
	assert_ok!(Models::set_blob_limits(origin(OWNER), rows, Some(limits)));
	store_blob(REQUESTER, MARKET_BLOB);
	for worker in WORKERS {
		assert_ok!(Workers::register_worker(
			origin(worker),
			MIN_BOND,
			Capabilities { cpu_cores: 2, memory_mb: 1024, gpu: None },
			vec![zk, text, slow, rows].try_into().unwrap(),
		));
		// Dave publishes no encryption key: on a sealed job he is a no-show.
		if worker != DAVE {
			assert_ok!(Workers::set_encryption_key(origin(worker), [worker as u8; 32]));
		}
	}
	vec![zk, text, slow, rows]
}

proptest! {
	#![proptest_config(ProptestConfig {
		cases: std::env::var("PROPTEST_CASES").ok().and_then(|c| c.parse().ok()).unwrap_or(64),
		..ProptestConfig::default()
	})]

	#[test]
	fn no_sequence_of_calls_breaks_the_market(actions in proptest::collection::vec(action(), 1..60)) {
		run_test(|| {
			let models = market();
			let mut memory = Memory { issuance: Balances::total_issuance(), ..Default::default() };
			check(&mut memory);
			for action in &actions {
				apply(action, &models, &mut memory);
				check(&mut memory);
			}
			// Left alone, every job ends: workers stop answering, heartbeats go stale.
			let quiet_until = System::block_number() + bound(12, memory.max_open, true);
			while System::block_number() < quiet_until {
				run_to_block(System::block_number() + 1);
				check(&mut memory);
			}
			assert_eq!(JobsStorage::<Test>::iter_keys().count(), 0, "every job ended");
			assert_eq!(escrowed(REQUESTER) + escrowed(EVE) + escrowed(POOR), 0);
		});
	}
}
