//! zk tier: the assigned worker's output with a Groth16 proof, checked against public inputs
//! built on chain from the job's input and the claimed output.

use crate::{pallet::*, JobId, JobStatus, Tier};
use aichain_zk::Proof;
use frame_support::pallet_prelude::*;
use pallet_workers::WorkerRegistry;
use pallet_zk_verifier::{Verifier, VerifyError};

impl<T: Config> Pallet<T> {
	/// Verifies and settles a zk result; see [`Pallet::submit_result`].
	pub fn do_submit_result(worker: T::AccountId, id: JobId, output: OutputOf<T>, proof: Proof) -> DispatchResult {
		let job = Self::open_job(id)?;
		ensure!(job.tier == Tier::Zk, Error::<T>::WrongTier);
		ensure!(job.status == JobStatus::Assigned, Error::<T>::WrongPhase);
		Self::assignment_of(&job, &worker)?;
		ensure!(output.len() as u32 == job.terms.max_output_len, Error::<T>::OutputLengthMismatch);
		let key = job.terms.verifying_key.ok_or(Error::<T>::ModelNotProvable)?;
		let public_inputs = aichain_compute::zk_public_inputs(&job.input, &output);
		match T::Verifier::verify(&key, &proof, &public_inputs) {
			Ok(()) => Self::complete(id, job, output, alloc::vec![worker]),
			Err(reason) => {
				// A key removed after its model retired is the chain's failure, not the worker's.
				if reason != VerifyError::UnknownKey {
					T::Workers::record_failure(&worker);
				}
				Self::deposit_event(Event::ResultRejected { job: id, worker, reason });
				Ok(())
			},
		}
	}
}
