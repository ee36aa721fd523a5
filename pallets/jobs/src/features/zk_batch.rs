//! zk tier in batches: one worker's results of several jobs (of any models) checked in one
//! pairing product ([`pallet_zk_verifier::Verifier::batch_verify`]).
//!
//! A batch holds only its submitter's proofs, so a false proof in it costs only that worker:
//! when the batch fails, each proof is verified alone, the valid ones are paid and the false
//! ones rejected, and the worker's fee covers the extra verifications. Results that fail the
//! checks before the proof are skipped, not fatal: a job that ended meanwhile (reassigned after
//! a deadline, say) must not cost the worker its other results.

use crate::{pallet::*, OnJobCompleted, WeightInfo, ZkResult};
use alloc::{collections::BTreeSet, vec::Vec};
use frame_support::{pallet_prelude::*, weights::Weight};
use pallet_zk_verifier::{KeyId, Verifier};

/// What a batch did, which sets its weight.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct BatchWork {
	/// Results the call carried.
	pub results: u32,
	/// Distinct keys among the results that were verified.
	pub keys: u32,
	/// The weight of verifying each proof alone after the batch failed, if it did.
	pub fallback: Weight,
	/// The weight the completion hooks used.
	pub hooks: Weight,
}

impl BatchWork {
	/// The weight of this work (see [`Pallet::submit_results_weight`]).
	pub fn weight<T: Config>(&self) -> Weight {
		Pallet::<T>::submit_results_weight(self.results, self.keys, self.hooks.saturating_add(self.fallback))
	}
}

impl<T: Config> Pallet<T> {
	/// Checks, verifies together and settles one worker's results; see
	/// [`Pallet::submit_results`].
	pub fn do_submit_results(
		worker: T::AccountId,
		results: Vec<ZkResult<OutputOf<T>>>,
	) -> Result<BatchWork, DispatchError> {
		ensure!(!results.is_empty(), Error::<T>::NoResults);
		let count = results.len() as u32;
		let mut seen = BTreeSet::new();
		let mut checked = Vec::with_capacity(results.len());
		for ZkResult { job: id, output, proof } in results {
			let statement = if seen.insert(id) {
				Self::zk_statement(&worker, id, &output)
			} else {
				Err(Error::<T>::DuplicateResult.into())
			};
			match statement {
				Ok(statement) => checked.push((id, statement, output, proof)),
				Err(error) => Self::deposit_event(Event::ResultSkipped { job: id, worker: worker.clone(), error }),
			}
		}
		let mut keys: Vec<KeyId> = checked.iter().map(|(_, s, _, _)| s.key).collect();
		keys.sort_unstable();
		keys.dedup();
		let mut work = BatchWork { results: count, keys: keys.len() as u32, fallback: Weight::zero(), hooks: Weight::zero() };
		if checked.is_empty() {
			return Ok(work);
		}
		let statements: Vec<(KeyId, &aichain_zk::Proof, &[aichain_zk::ScalarBytes])> =
			checked.iter().map(|(_, s, _, proof)| (s.key, proof, &s.public_inputs[..])).collect();
		let batch_verified = T::Verifier::batch_verify(&statements).is_ok();
		drop(statements);
		for (id, statement, output, proof) in checked {
			// Read the job again: settling an earlier result may have ended it (a completion
			// hook), and it must never be paid twice.
			let job = match Self::zk_statement(&worker, id, &output) {
				Ok(fresh) => fresh.job,
				Err(error) => {
					Self::deposit_event(Event::ResultSkipped { job: id, worker: worker.clone(), error });
					continue;
				},
			};
			let verdict = if batch_verified {
				Ok(())
			} else {
				let inputs = statement.public_inputs.len() as u32;
				work.fallback = work.fallback.saturating_add(T::Verifier::verify_weight(inputs));
				T::Verifier::verify(&statement.key, &proof, &statement.public_inputs)
			};
			let hook = Self::settle_zk_result(id, job, output, worker.clone(), verdict)?;
			work.hooks = work.hooks.saturating_add(hook);
		}
		Ok(work)
	}

	/// The weight of a batch of `results` results whose verified statements used `keys`
	/// distinct keys, plus `extra` (the completion hooks, and the proofs verified alone after
	/// the batch failed): the benchmarked [`crate::WeightInfo::submit_results`] with `keys`
	/// results under their own key and the rest sharing one.
	pub fn submit_results_weight(results: u32, keys: u32, extra: Weight) -> Weight {
		let keys = keys.min(results);
		T::WeightInfo::submit_results(keys, results - keys).saturating_add(extra)
	}

	/// The most a batch of `results` results can weigh: each under its own key, the batch
	/// failing, and each proof then verified alone at the largest statement.
	pub fn submit_results_max_weight(results: u32) -> Weight {
		let largest = aichain_compute::zk_public_input_count(
			T::MaxInputLen::get() as usize,
			T::MaxOutputLen::get() as usize,
		) as u32;
		let per_result = T::Verifier::verify_weight(largest).saturating_add(T::OnJobCompleted::weight());
		Self::submit_results_weight(results, results, per_result.saturating_mul(results as u64))
	}
}
