//! Benchmarks of the jobs pallet, each in its worst case: submissions that draw `r` workers from
//! a full model worker list, the last commitment and the last reveal of an `r`-worker job
//! (which settle it), a zk result of the largest statement (its Groth16 verification included),
//! an optimistic proposal of the largest output, a challenge and a decline that draw from a full
//! list, and `on_initialize` over `n` due or pending jobs, each on its own model with a full
//! list of its own workers (no storage read is shared between jobs), all of whose workers are
//! slashed and replaced, or all of which are assigned.
//!
//! zk proofs come from [`aichain_zk::simulate`] (valid Groth16 proofs made with the trapdoor of
//! a benchmark key), so the verifier does the work it does for a prover's proof. A batch of
//! results is benchmarked per distinct key and per result sharing a key.

use super::*;
use crate::{commitment_of, BenchmarkHelper, Pallet as JobsPallet};
use aichain_compute::{
	blob::{encode_row_output, BlobRef, ROW_OUTPUT_HEADER_LEN},
	zk_public_input_count,
};
use codec::Encode;
use frame_benchmarking::v2::*;
use frame_support::{
	traits::{fungible::Mutate, Get},
	BoundedVec,
};
use frame_system::{pallet_prelude::BlockNumberFor, RawOrigin};
use sp_runtime::traits::{Bounded, One, Saturating};


/// A requester able to pay any escrow.
fn requester<T: Config>() -> T::AccountId
where
	T::Currency: Mutate<T::AccountId>,
{
	let who: T::AccountId = whitelisted_caller();
	T::Currency::set_balance(&who, BalanceOf::<T>::max_value() / 1_000_000u32.into());
	who
}

/// The largest input.
fn largest_input<T: Config>() -> BoundedVec<u8, T::MaxInputLen> {
	BoundedVec::truncate_from(alloc::vec![7u8; T::MaxInputLen::get() as usize])
}

/// The largest output.
fn largest_output<T: Config>() -> OutputOf<T> {
	BoundedVec::truncate_from(alloc::vec![9u8; T::MaxOutputLen::get() as usize])
}

/// A model without a key and `workers` workers for it.
fn plain_model<T: Config>(workers: u32) -> (ModelId, alloc::vec::Vec<T::AccountId>) {
	let model = T::BenchmarkHelper::model(None, T::MaxInputLen::get(), T::MaxOutputLen::get());
	(model, workers_for::<T>(model, 0, workers))
}

/// Registers workers number `first .. first + count` for `model`.
fn workers_for<T: Config>(model: ModelId, first: u32, count: u32) -> alloc::vec::Vec<T::AccountId> {
	(first..first.saturating_add(count)).map(|i| T::BenchmarkHelper::worker(model, i)).collect()
}

/// The replicas of the heaviest redundancy job whose every worker can be replaced by others of
/// the same full list: `MaxReplicas`, unless the list is too short to replace them all.
fn replaceable_replicas<T: Config>() -> u32 {
	T::MaxReplicas::get().min(T::BenchmarkHelper::max_workers_per_model() / 2).max(2)
}

/// Submits a redundancy job of `replicas` workers on `model` with the longest timeout.
fn submit_redundancy<T: Config>(who: &T::AccountId, model: ModelId, replicas: u32) -> Result<JobId, BenchmarkError>
where
	T::Currency: Mutate<T::AccountId>,
{
	submit_largest::<T>(who, model, redundancy(replicas), T::MaxDeadline::get())
}

/// The redundancy tier of `replicas` workers.
fn redundancy(replicas: u32) -> Tier {
	Tier::Redundancy { replicas: replicas as u8 }
}

/// Submits a job of `tier` on `model` with the largest input, the highest price and `timeout`
/// blocks a phase.
fn submit_largest<T: Config>(
	who: &T::AccountId,
	model: ModelId,
	tier: Tier,
	timeout: BlockNumberFor<T>,
) -> Result<JobId, BenchmarkError>
where
	T::Currency: Mutate<T::AccountId>,
{
	Ok(JobsPallet::<T>::do_submit_job(who.clone(), model, largest_input::<T>(), tier, BalanceOf::<T>::max_value(), timeout)?)
}

/// Submits a zk job on `model` with the largest input and the longest timeout.
fn submit_zk<T: Config>(who: &T::AccountId, model: ModelId) -> Result<JobId, BenchmarkError>
where
	T::Currency: Mutate<T::AccountId>,
{
	submit_largest::<T>(who, model, Tier::Zk, T::MaxDeadline::get())
}

/// Submits an optimistic job on `model`.
fn submit_optimistic<T: Config>(who: &T::AccountId, model: ModelId) -> Result<JobId, BenchmarkError>
where
	T::Currency: Mutate<T::AccountId>,
{
	submit_largest::<T>(who, model, Tier::Optimistic, T::MaxDeadline::get())
}

/// Notes extrinsic `index` as one ending with `bytes` (a blob reveal's data), as the
/// executive does before dispatching it.
fn note_extrinsic_ending_with<T: Config>(index: u32, bytes: &[u8]) {
	frame_system::Pallet::<T>::set_extrinsic_index(index);
	let mut extrinsic = alloc::vec![0u8; 100];
	extrinsic.extend(bytes.to_vec().encode());
	frame_system::Pallet::<T>::note_extrinsic(extrinsic);
}

/// The workers assigned to `job`.
fn assignees<T: Config>(job: JobId) -> alloc::vec::Vec<T::AccountId> {
	Jobs::<T>::get(job).map(|j| j.assignments.into_iter().map(|a| a.worker).collect()).unwrap_or_default()
}

/// Blob limits with the largest output blob and the shortest row length whose sketch fits
/// the sketch bound (the longest sketch), taking inputs up to `max_input_len`.
fn largest_output_limits<T: Config>(max_input_len: u64) -> Result<pallet_models::BlobLimits, BenchmarkError> {
	let (_, max_len, max_sketch) = T::BenchmarkHelper::blob_bounds();
	let row_len = (1..=u16::MAX)
		.find(|row_len| aichain_compute::sketch::sketch_len(max_len as u64, *row_len) <= max_sketch as u64)
		.ok_or(BenchmarkError::Stop("no row length fits the sketch bound"))?;
	Ok(pallet_models::BlobLimits { max_input_len, max_output_len: max_len, output_row_len: row_len, sketch_tolerance: 2 })
}

#[benchmarks(where T::Currency: Mutate<T::AccountId>)]
mod benchmarks {
	use super::*;

	#[benchmark]
	fn submit_job(r: Linear<2, { T::MaxReplicas::get() }>) {
		let (model, _) = plain_model::<T>(T::BenchmarkHelper::max_workers_per_model());
		let caller = requester::<T>();
		let tier = Tier::Redundancy { replicas: r as u8 };

		#[extrinsic_call]
		_(RawOrigin::Signed(caller), model, largest_input::<T>(), tier, BalanceOf::<T>::max_value(), T::MaxDeadline::get());

		assert_eq!(assignees::<T>(0).len() as u32, r);
	}

	/// As `submit_job`, with a blob input (a manifest record) of the largest size the model
	/// takes.
	#[benchmark]
	fn submit_blob_job(r: Linear<2, { T::MaxReplicas::get() }>) {
		let (model, _) = plain_model::<T>(T::BenchmarkHelper::max_workers_per_model());
		let size = T::BenchmarkHelper::blob_bounds().0;
		T::BenchmarkHelper::allow_blob_inputs(model, size);
		let input = T::BenchmarkHelper::input_blob(size);
		let caller = requester::<T>();
		let tier = Tier::Redundancy { replicas: r as u8 };

		#[extrinsic_call]
		_(RawOrigin::Signed(caller), model, input, tier, BalanceOf::<T>::max_value(), T::MaxDeadline::get());

		assert_eq!(assignees::<T>(0).len() as u32, r);
		assert_eq!(BlobInputs::<T>::get(0).map(|blob| blob.size), Some(size));
	}

	/// As `submit_blob_job`, sealed: a blob-output model (the largest output) with a full
	/// worker list, the largest input blob.
	#[benchmark]
	fn submit_sealed_job(r: Linear<2, { T::MaxReplicas::get() }>) -> Result<(), BenchmarkError> {
		let size = T::BenchmarkHelper::blob_bounds().0;
		let model = T::BenchmarkHelper::blob_output_model(largest_output_limits::<T>(size)?);
		workers_for::<T>(model, 0, T::BenchmarkHelper::max_workers_per_model());
		let input = T::BenchmarkHelper::input_blob(size);
		let caller = requester::<T>();
		let tier = Tier::Redundancy { replicas: r as u8 };

		#[extrinsic_call]
		_(RawOrigin::Signed(caller), model, input, tier, BalanceOf::<T>::max_value(), T::MaxDeadline::get(), [7; 32]);

		assert_eq!(assignees::<T>(0).len() as u32, r);
		assert!(SealedJobs::<T>::contains_key(0));
		Ok(())
	}

	/// The requester sends the job key to all `r` workers of a sealed job at once: the last
	/// key restarts the working phase.
	#[benchmark]
	fn post_job_keys(r: Linear<2, { T::MaxReplicas::get() }>) -> Result<(), BenchmarkError> {
		let model = T::BenchmarkHelper::blob_output_model(largest_output_limits::<T>(1024)?);
		workers_for::<T>(model, 0, r);
		let input = T::BenchmarkHelper::input_blob(1024);
		let caller = requester::<T>();
		let tier = Tier::Redundancy { replicas: r as u8 };
		let job = JobsPallet::<T>::do_submit_sealed_job(
			caller.clone(),
			model,
			input,
			tier,
			BalanceOf::<T>::max_value(),
			T::MaxDeadline::get(),
			[7; 32],
		)?;
		let keys: alloc::vec::Vec<(T::AccountId, crate::SealedKey)> =
			assignees::<T>(job).into_iter().map(|worker| (worker, [9u8; crate::SEALED_KEY_LEN])).collect();
		let keys = BoundedVec::try_from(keys).map_err(|_| BenchmarkError::Stop("more keys than replicas"))?;

		#[extrinsic_call]
		_(RawOrigin::Signed(caller), job, keys);

		assert_eq!(SealedJobs::<T>::get(job).map(|s| s.keys.len() as u32), Some(r));
		Ok(())
	}

	#[benchmark]
	fn cancel_job() -> Result<(), BenchmarkError> {
		let (model, _) = plain_model::<T>(0);
		let caller = requester::<T>();
		let job = submit_redundancy::<T>(&caller, model, 2)?;

		#[extrinsic_call]
		_(RawOrigin::Signed(caller), job);

		assert!(!Jobs::<T>::contains_key(job));
		Ok(())
	}

	/// A zk job directed to the last of a full list of workers (the search for it reads them
	/// all), with the largest input.
	#[benchmark]
	fn submit_directed_job() -> Result<(), BenchmarkError> {
		let (max_in, max_out) = (T::MaxInputLen::get(), T::MaxOutputLen::get());
		let key = T::BenchmarkHelper::verifying_key(zk_public_input_count(max_in as usize, max_out as usize) as u32);
		let model = T::BenchmarkHelper::model(Some(key), max_in, max_out);
		let workers = workers_for::<T>(model, 0, T::BenchmarkHelper::max_workers_per_model());
		let worker = workers.last().cloned().ok_or(BenchmarkError::Stop("no workers"))?;
		let caller = requester::<T>();
		let id;

		#[block]
		{
			id = <JobsPallet<T> as crate::DirectedJobSubmitter<_, _, _>>::submit_directed_job(
				caller,
				worker.clone(),
				model,
				largest_input::<T>().into_inner(),
				BalanceOf::<T>::max_value(),
				T::MaxDeadline::get(),
			)?;
		}

		assert_eq!(assignees::<T>(id), alloc::vec![worker]);
		Ok(())
	}

	#[benchmark]
	fn submit_result() -> Result<(), BenchmarkError> {
		let (max_in, max_out) = (T::MaxInputLen::get(), T::MaxOutputLen::get());
		let public_inputs = zk_public_input_count(max_in as usize, max_out as usize) as u32;
		let key = T::BenchmarkHelper::verifying_key(public_inputs);
		let model = T::BenchmarkHelper::model(Some(key), max_in, max_out);
		let worker = T::BenchmarkHelper::worker(model, 0);
		let caller = requester::<T>();
		let input = largest_input::<T>();
		let job = submit_zk::<T>(&caller, model)?;
		let output = largest_output::<T>();
		let proof = aichain_zk::simulate::proof_for(&aichain_compute::zk_public_inputs(&input, &output), 1, 0);

		#[extrinsic_call]
		_(RawOrigin::Signed(worker), job, output, proof);

		assert!(!Jobs::<T>::contains_key(job));
		Ok(())
	}

	/// One worker's batch: `k` results each under its own model and key (the worker serves `k`
	/// models) and `s` more under the first key, each of the largest statement and from its
	/// own requester (no payment write is shared); the batch verifies and every job is paid.
	#[benchmark]
	fn submit_results(
		k: Linear<1, { T::BenchmarkHelper::max_models_per_worker() }>,
		s: Linear<0, { T::MaxResultsPerCall::get() }>,
	) -> Result<(), BenchmarkError> {
		let (max_in, max_out) = (T::MaxInputLen::get(), T::MaxOutputLen::get());
		let public_inputs = zk_public_input_count(max_in as usize, max_out as usize) as u32;
		let models: alloc::vec::Vec<(ModelId, u32)> = (1..=k)
			.map(|seed| {
				let key = T::BenchmarkHelper::seeded_verifying_key(public_inputs, seed);
				(T::BenchmarkHelper::model(Some(key), max_in, max_out), seed)
			})
			.collect();
		let worker = T::BenchmarkHelper::worker_for_models(models.iter().map(|(model, _)| *model).collect(), 0);
		let input = largest_input::<T>();
		let output = largest_output::<T>();
		let statement = aichain_compute::zk_public_inputs(&input, &output);
		let mut results = alloc::vec::Vec::new();
		for i in 0..k + s {
			let (model, seed) = models[i.min(k - 1) as usize];
			let requester: T::AccountId = account("requester", i, 0);
			T::Currency::set_balance(&requester, BalanceOf::<T>::max_value() / 1_000_000u32.into());
			let job = submit_zk::<T>(&requester, model)?;
			assert_eq!(assignees::<T>(job), alloc::vec![worker.clone()]);
			let proof = aichain_zk::simulate::proof_for(&statement, seed as u64, i);
			results.push(ZkResult { job, output: output.clone(), proof });
		}
		let jobs: alloc::vec::Vec<JobId> = results.iter().map(|r| r.job).collect();

		#[block]
		{
			let work = JobsPallet::<T>::do_submit_results(worker, results)?;
			assert_eq!((work.keys, work.fallback), (k, frame_support::weights::Weight::zero()));
		}

		assert!(jobs.iter().all(|job| !Jobs::<T>::contains_key(job)));
		Ok(())
	}

	#[benchmark]
	fn commit_result(r: Linear<2, { T::MaxReplicas::get() }>) -> Result<(), BenchmarkError> {
		let (model, _) = plain_model::<T>(r);
		let job = submit_redundancy::<T>(&requester::<T>(), model, r)?;
		let workers = assignees::<T>(job);
		for (i, worker) in workers[1..].iter().enumerate() {
			JobsPallet::<T>::do_commit_result(worker.clone(), job, [i as u8 + 2; 32])?;
		}

		#[extrinsic_call]
		_(RawOrigin::Signed(workers[0].clone()), job, [1; 32]);

		assert_eq!(Jobs::<T>::get(job).map(|j| j.status), Some(JobStatus::Revealing));
		Ok(())
	}

	#[benchmark]
	fn reveal_result(r: Linear<2, { T::MaxReplicas::get() }>) -> Result<(), BenchmarkError> {
		let (model, _) = plain_model::<T>(r);
		let job = submit_redundancy::<T>(&requester::<T>(), model, r)?;
		let workers = assignees::<T>(job);
		let output = largest_output::<T>();
		let salt = [3u8; 32];
		for worker in &workers {
			JobsPallet::<T>::do_commit_result(worker.clone(), job, commitment_of(job, worker, &output, &salt))?;
		}
		for worker in &workers[1..] {
			JobsPallet::<T>::do_reveal_result(worker.clone(), job, output.clone(), salt)?;
		}

		#[extrinsic_call]
		_(RawOrigin::Signed(workers[0].clone()), job, output, salt);

		assert!(!Jobs::<T>::contains_key(job));
		Ok(())
	}

	/// The last reveal of an `r`-worker blob-output job, of `l` bytes (whole rows of the
	/// shortest row length whose sketch fits: the longest sketch), that settles it: every
	/// replica's output differs from the others' by one value, so each is stored and sketched,
	/// and all agree within the tolerance (every worker is paid).
	#[benchmark]
	fn reveal_blob_result(
		r: Linear<2, { T::MaxReplicas::get() }>,
		l: Linear<1, { T::BenchmarkHelper::blob_bounds().1 }>,
	) -> Result<(), BenchmarkError> {
		let limits = largest_output_limits::<T>(1024)?;
		let row_len = limits.output_row_len;
		let model = T::BenchmarkHelper::blob_output_model(limits);
		workers_for::<T>(model, 0, r);
		let input = T::BenchmarkHelper::input_blob(1024);
		let tier = Tier::Redundancy { replicas: r as u8 };
		let caller = requester::<T>();
		let job =
			JobsPallet::<T>::do_submit_blob_job(caller, model, input, tier, BalanceOf::<T>::max_value(), T::MaxDeadline::get())?;
		let workers = assignees::<T>(job);
		let rows = ((l as usize).saturating_sub(ROW_OUTPUT_HEADER_LEN) / row_len as usize).max(1);
		let output = |worker: usize| {
			let mut values = alloc::vec![1u8; rows * row_len as usize];
			let changed = worker % values.len();
			values[changed] = 2;
			encode_row_output(row_len, values.chunks(row_len as usize))
		};
		let salt = [3u8; 32];
		for (i, worker) in workers.iter().enumerate() {
			let descriptor = BlobRef { hash: sp_io::hashing::blake2_256(&output(i)), size: output(i).len() as u64 };
			JobsPallet::<T>::do_commit_result(worker.clone(), job, commitment_of(job, worker, &descriptor.encode(), &salt))?;
		}
		let next = frame_system::Pallet::<T>::block_number().saturating_add(One::one());
		frame_system::Pallet::<T>::set_block_number(next);
		for (i, worker) in workers.iter().enumerate().skip(1) {
			note_extrinsic_ending_with::<T>(i as u32, &output(i));
			JobsPallet::<T>::do_reveal_blob_result(worker.clone(), job, salt, output(i))?;
		}
		let data = output(0);
		note_extrinsic_ending_with::<T>(0, &data);

		#[extrinsic_call]
		_(RawOrigin::Signed(workers[0].clone()), job, salt, data);

		assert!(!Jobs::<T>::contains_key(job));
		Ok(())
	}

	/// `n` redundancy jobs of `replaceable_replicas` workers, each job on its own model with a
	/// full list of its own workers; every worker missed the deadline, so each is slashed and
	/// replaced by another from its model's list.
	#[benchmark]
	fn on_initialize_deadlines(n: Linear<0, { T::MaxJobsPerBlock::get() }>) -> Result<(), BenchmarkError> {
		let (replicas, listed) = (replaceable_replicas::<T>(), T::BenchmarkHelper::max_workers_per_model());
		let caller = requester::<T>();
		let mut jobs = alloc::vec::Vec::new();
		for i in 0..n {
			let (model, _) = plain_model::<T>(0);
			workers_for::<T>(model, i * listed, listed);
			jobs.push(submit_largest::<T>(&caller, model, redundancy(replicas), One::one())?);
		}
		let due = frame_system::Pallet::<T>::block_number().saturating_add(One::one());
		frame_system::Pallet::<T>::set_block_number(due);

		#[block]
		{
			JobsPallet::<T>::process_deadlines(due);
		}

		for job in jobs {
			let reassigned = Jobs::<T>::get(job).map(|j| (j.reassignments, j.assignments.len() as u32));
			assert_eq!(reassigned, Some((1, replicas)));
		}
		Ok(())
	}

	/// `n` pending redundancy jobs of `MaxReplicas` workers, each on its own model; every
	/// model then gets a full list of its own workers and every job is assigned.
	#[benchmark]
	fn on_initialize_pending(n: Linear<0, { T::MaxPendingJobs::get() }>) -> Result<(), BenchmarkError> {
		let (replicas, listed) = (T::MaxReplicas::get(), T::BenchmarkHelper::max_workers_per_model());
		let caller = requester::<T>();
		let mut models = alloc::vec::Vec::new();
		for _ in 0..n {
			let (model, _) = plain_model::<T>(0);
			submit_redundancy::<T>(&caller, model, replicas)?;
			models.push(model);
		}
		for (i, model) in models.into_iter().enumerate() {
			workers_for::<T>(model, i as u32 * listed, listed);
		}
		let now = frame_system::Pallet::<T>::block_number();

		#[block]
		{
			JobsPallet::<T>::process_pending(now);
		}

		assert!(PendingJobs::<T>::get().is_empty());
		Ok(())
	}

	/// The worker of an optimistic job proposes the largest output.
	#[benchmark]
	fn propose_result() -> Result<(), BenchmarkError> {
		let (model, workers) = plain_model::<T>(1);
		let job = submit_optimistic::<T>(&requester::<T>(), model)?;

		#[extrinsic_call]
		_(RawOrigin::Signed(workers[0].clone()), job, largest_output::<T>());

		assert_eq!(Jobs::<T>::get(job).map(|j| j.status), Some(JobStatus::Challengeable));
		Ok(())
	}

	/// A challenge that bonds the challenger and draws `DisputeReplicas` workers from the most
	/// workers a model can list.
	#[benchmark]
	fn challenge_result() -> Result<(), BenchmarkError> {
		let (model, _) = plain_model::<T>(T::BenchmarkHelper::max_workers_per_model());
		let caller = requester::<T>();
		let job = submit_optimistic::<T>(&caller, model)?;
		let proposer = assignees::<T>(job)[0].clone();
		JobsPallet::<T>::do_propose_result(proposer, job, largest_output::<T>())?;

		#[extrinsic_call]
		_(RawOrigin::Signed(caller), job);

		assert_eq!(assignees::<T>(job).len() as u32, T::DisputeReplicas::get());
		Ok(())
	}

	/// The worker of a zk job declines it and a replacement is drawn from the most workers a
	/// model can list.
	#[benchmark]
	fn decline_job() -> Result<(), BenchmarkError> {
		let (max_in, max_out) = (T::MaxInputLen::get(), T::MaxOutputLen::get());
		let key = T::BenchmarkHelper::verifying_key(zk_public_input_count(max_in as usize, max_out as usize) as u32);
		let model = T::BenchmarkHelper::model(Some(key), max_in, max_out);
		for i in 0..T::BenchmarkHelper::max_workers_per_model() {
			T::BenchmarkHelper::worker(model, i);
		}
		let job = submit_zk::<T>(&requester::<T>(), model)?;
		let worker = assignees::<T>(job)[0].clone();

		#[extrinsic_call]
		_(RawOrigin::Signed(worker.clone()), job);

		assert!(!assignees::<T>(job).contains(&worker));
		assert_eq!(assignees::<T>(job).len(), 1);
		Ok(())
	}

	impl_benchmark_test_suite!(JobsPallet, crate::mock::new_test_ext(), crate::mock::Test);
}
