//! Submitting and cancelling jobs: the requester's checks, the escrow, and the first draw of
//! workers (or the named worker of a directed job).

use crate::{pallet::*, BlobOutput, Job, JobId, JobStatus, JobTerms, ModelId, RefundReason, Tier};
use aichain_compute::{blob::BlobRef, InputError, ModelKind};
use frame_support::{pallet_prelude::*, traits::fungible::MutateHold};
use frame_system::pallet_prelude::BlockNumberFor;
use pallet_blobs::BlobRegistry;
use pallet_models::ModelRegistry;
use sp_runtime::traits::{Saturating, Zero};

impl<T: Config> Pallet<T> {
	/// Checks and escrows a job, then assigns it or queues it; see [`Pallet::submit_job`].
	pub fn do_submit_job(
		requester: T::AccountId,
		model: ModelId,
		input: BoundedVec<u8, T::MaxInputLen>,
		tier: Tier,
		max_price: BalanceOf<T>,
		timeout: BlockNumberFor<T>,
	) -> Result<JobId, DispatchError> {
		let model_terms = Self::inline_job_terms(model, &input, tier, timeout)?;
		Self::create_job(requester, model, model_terms, input, None, None, tier, max_price, timeout, None)
	}

	/// Checks and escrows a zk job for one named worker and assigns it to that worker; see
	/// [`crate::DirectedJobSubmitter`].
	pub fn do_submit_directed_job(
		requester: T::AccountId,
		worker: T::AccountId,
		model: ModelId,
		input: BoundedVec<u8, T::MaxInputLen>,
		max_price: BalanceOf<T>,
		timeout: BlockNumberFor<T>,
	) -> Result<JobId, DispatchError> {
		let model_terms = Self::inline_job_terms(model, &input, Tier::Zk, timeout)?;
		Self::create_job(requester, model, model_terms, input, None, None, Tier::Zk, max_price, timeout, Some(worker))
	}

	/// The terms of `model` for an inline-input job of `tier`, if the model takes it.
	fn inline_job_terms(
		model: ModelId,
		input: &[u8],
		tier: Tier,
		timeout: BlockNumberFor<T>,
	) -> Result<ModelTermsOf<T>, DispatchError> {
		let model_terms = Self::model_taking_jobs(model, timeout)?;
		let answers_with_blobs = T::Models::blob_limits(model).is_some_and(|l| l.max_output_len > 0);
		ensure!(!answers_with_blobs, Error::<T>::BlobOutputNeedsBlobInput);
		aichain_compute::validate_input(model_terms.kind, model_terms.max_input_len, input)
			.map_err(Self::input_error)?;
		if tier == Tier::Zk {
			ensure!(model_terms.verifying_key.is_some(), Error::<T>::ModelNotProvable);
			ensure!(input.len() as u32 == model_terms.max_input_len, Error::<T>::InputLengthMismatch);
		}
		Ok(model_terms)
	}

	/// The terms of `model` if it is active and `timeout` is a deadline it accepts.
	pub(crate) fn model_taking_jobs(
		model: ModelId,
		timeout: BlockNumberFor<T>,
	) -> Result<ModelTermsOf<T>, DispatchError> {
		ensure!(!timeout.is_zero(), Error::<T>::ZeroDeadline);
		ensure!(timeout <= T::MaxDeadline::get(), Error::<T>::DeadlineTooLong);
		let model_terms = T::Models::active_model(model).ok_or(Error::<T>::UnknownModel)?;
		ensure!(timeout >= model_terms.min_timeout.into(), Error::<T>::DeadlineBelowModelMinimum);
		Ok(model_terms)
	}

	/// Prices and escrows a checked job (a blob-output job also escrows one output blob's
	/// storage fee per worker), stores it (with its blob input and output limits, if any), and
	/// assigns it or queues it. A job `directed` to a worker is assigned to that worker or not
	/// created (`DirectedWorkerUnavailable`), and is never given to another: it starts with
	/// every reassignment used, so a decline or a missed deadline refunds it.
	#[allow(clippy::too_many_arguments)]
	pub(crate) fn create_job(
		requester: T::AccountId,
		model: ModelId,
		model_terms: ModelTermsOf<T>,
		input: BoundedVec<u8, T::MaxInputLen>,
		blob_input: Option<BlobRef>,
		blob_output: Option<BlobOutput>,
		tier: Tier,
		max_price: BalanceOf<T>,
		timeout: BlockNumberFor<T>,
		directed: Option<T::AccountId>,
	) -> Result<JobId, DispatchError> {
		match &directed {
			Some(worker) =>
				ensure!(Self::can_take_directed(model, worker, &requester), Error::<T>::DirectedWorkerUnavailable),
			None => ensure!(model_terms.kind != ModelKind::PrivateTrainingMember, Error::<T>::DirectedJobsOnly),
		}
		// Workers paid in the normal case, and prices reserved for an optimistic dispute.
		let (workers, reserved): (u32, u32) = match tier {
			Tier::Zk => (1, 0),
			Tier::Redundancy { replicas } => {
				ensure!(replicas >= 2 && replicas as u32 <= T::MaxReplicas::get(), Error::<T>::InvalidReplicas);
				(replicas as u32, 0)
			},
			Tier::Optimistic => (1, T::DisputeReplicas::get()),
		};
		let price = model_terms.price.saturating_mul(workers.into());
		let fee = (T::ProtocolFee::get() * price).max(T::MinJobFee::get());
		let storage_fees = blob_output
			.map_or(Zero::zero(), |limits| T::Blobs::storage_fee(limits.max_len).saturating_mul(workers.into()));
		let escrow = model_terms
			.price
			.saturating_mul(reserved.into())
			.saturating_add(price)
			.saturating_add(fee)
			.saturating_add(storage_fees);
		ensure!(escrow <= max_price, Error::<T>::PriceAboveMax);

		let id = NextJobId::<T>::get();
		let next = id.checked_add(1).ok_or(Error::<T>::JobIdOverflow)?;
		T::Currency::hold(&HoldReason::JobEscrow.into(), &requester, escrow)
			.map_err(|_| Error::<T>::InsufficientBalance)?;
		NextJobId::<T>::put(next);

		let now = frame_system::Pallet::<T>::block_number();
		let mut job = Job {
			requester: requester.clone(),
			model,
			input,
			tier,
			terms: JobTerms {
				model_owner: model_terms.owner,
				price_per_worker: model_terms.price,
				royalty_bps: model_terms.royalty_bps,
				fee,
				escrow,
				verifying_key: model_terms.verifying_key,
				// 0 marks a blob-output job (`Job::has_blob_output`).
				max_output_len: if blob_output.is_some() { 0 } else { model_terms.max_output_len },
				output_tolerance: model_terms.output_tolerance,
			},
			timeout,
			deadline: now.saturating_add(timeout),
			status: JobStatus::Pending,
			assignments: Default::default(),
			revealed: Default::default(),
			proposal: None,
			reassignments: 0,
			declined: Default::default(),
		};
		Self::deposit_event(Event::JobSubmitted { job: id, requester, model, tier, escrow });
		if let Some(blob) = blob_input {
			BlobInputs::<T>::insert(id, blob);
			Self::deposit_event(Event::BlobInputSet { job: id, input: blob });
		}
		if let Some(limits) = blob_output {
			BlobOutputs::<T>::insert(id, limits);
			Self::deposit_event(Event::BlobOutputSet { job: id, limits });
		}
		if let Some(worker) = directed {
			job.reassignments = T::MaxReassignments::get();
			Self::assign(id, &mut job, now, alloc::vec![worker])?;
		} else if !Self::try_assign(id, &mut job, now, &[])? {
			PendingJobs::<T>::try_mutate(|queue| queue.try_push(id)).map_err(|_| Error::<T>::PendingQueueFull)?;
		}
		Jobs::<T>::insert(id, job);
		Ok(id)
	}

	/// The named error of an input the model cannot answer.
	fn input_error(error: InputError) -> Error<T> {
		match error {
			InputError::Empty => Error::<T>::EmptyInput,
			InputError::TooLong => Error::<T>::InputTooLong,
			InputError::LengthMismatch => Error::<T>::InputLengthMismatch,
			InputError::NotUtf8 => Error::<T>::InputNotUtf8,
		}
	}

	/// Cancels a pending job of `who`; see [`Pallet::cancel_job`].
	pub fn do_cancel_job(who: T::AccountId, id: JobId) -> DispatchResult {
		let job = Self::open_job(id)?;
		ensure!(job.requester == who, Error::<T>::NotRequester);
		ensure!(job.status == JobStatus::Pending, Error::<T>::AlreadyAssigned);
		Self::refund(id, job, RefundReason::Cancelled)
	}
}
