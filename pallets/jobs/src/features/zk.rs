//! zk tier: the assigned worker's output with a Groth16 proof, checked against public inputs
//! built on chain from the job's input and the claimed output.

use crate::{pallet::*, JobId, JobStatus, Tier};
use aichain_zk::{Proof, ScalarBytes};
use alloc::vec::Vec;
use frame_support::{pallet_prelude::*, weights::Weight};
use pallet_workers::WorkerRegistry;
use pallet_zk_verifier::{KeyId, Verifier, VerifyError};

/// A zk result that passed every check but its proof's: the job, its model's key and the public
/// inputs the proof must verify for.
pub(crate) struct ZkStatement<T: Config> {
	pub job: JobOf<T>,
	pub key: KeyId,
	pub public_inputs: Vec<ScalarBytes>,
}

impl<T: Config> Pallet<T> {
	/// Verifies and settles a zk result; see [`Pallet::submit_result`].
	pub fn do_submit_result(
		worker: T::AccountId,
		id: JobId,
		output: OutputOf<T>,
		proof: Proof,
	) -> Result<Weight, DispatchError> {
		let statement = Self::zk_statement(&worker, id, &output)?;
		let verdict = T::Verifier::verify(&statement.key, &proof, &statement.public_inputs);
		Self::settle_zk_result(id, statement.job, output, worker, verdict)
	}

	/// The checks of a zk result before its proof: an open zk job in its working phase,
	/// assigned to `worker`, with an output of the model's size and a key.
	pub(crate) fn zk_statement(
		worker: &T::AccountId,
		id: JobId,
		output: &OutputOf<T>,
	) -> Result<ZkStatement<T>, DispatchError> {
		let job = Self::open_job(id)?;
		ensure!(job.tier == Tier::Zk, Error::<T>::WrongTier);
		ensure!(job.status == JobStatus::Assigned, Error::<T>::WrongPhase);
		Self::assignment_of(&job, worker)?;
		ensure!(output.len() as u32 == job.terms.max_output_len, Error::<T>::OutputLengthMismatch);
		let key = job.terms.verifying_key.ok_or(Error::<T>::ModelNotProvable)?;
		let public_inputs = aichain_compute::zk_public_inputs(&job.input, output);
		Ok(ZkStatement { job, key, public_inputs })
	}

	/// Ends a checked zk result by its proof's `verdict`: a valid proof completes the job; a
	/// false one leaves it unchanged and counts as the worker's failure. Returns the weight the
	/// completion hook used.
	pub(crate) fn settle_zk_result(
		id: JobId,
		job: JobOf<T>,
		output: OutputOf<T>,
		worker: T::AccountId,
		verdict: Result<(), VerifyError>,
	) -> Result<Weight, DispatchError> {
		match verdict {
			Ok(()) => Self::complete(id, job, output, alloc::vec![worker]),
			Err(reason) => {
				// A key removed after its model retired is the chain's failure, not the worker's.
				if reason != VerifyError::UnknownKey {
					T::Workers::record_failure(&worker);
				}
				Self::deposit_event(Event::ResultRejected { job: id, worker, reason });
				Ok(Weight::zero())
			},
		}
	}
}
