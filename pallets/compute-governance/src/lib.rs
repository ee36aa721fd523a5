//! # Compute-governance pallet
//!
//! Governance proposals that trigger verified computations and act on their results: the DAO's
//! side of the compute market.
//!
//! ## Overview
//!
//! - [`Pallet::request_computation`]: a governance origin ([`Config::RequestOrigin`], e.g. the
//!   referenda `compute` track, whose origin carries a spending budget) posts a job on the zk or
//!   redundancy tier. The treasury pays, at most the origin's budget: `max_price` (plus the
//!   existential deposit) moves from [`Config::Treasury`] to the request's own account, which
//!   is the job's requester and escrow holder. The model must have been approved by
//!   [`Config::ModelAdminOrigin`] ([`Pallet::set_model_approval`]).
//! - When the job ends (`pallet_jobs::OnJobCompleted`), what is left of the request's account
//!   returns to the treasury, then its [`Action`] runs:
//!   - [`Action::Dispatch`]: the [`predicate`] is tested on the verified output and `if_true` or
//!     `if_false` is scheduled through [`Config::Scheduler`] for the next block **with the
//!     requesting origin**, exactly as referenda enacts a proposal: the call can do what that
//!     origin can, never more (a call needing more fails there with `BadOrigin`). A job refunded
//!     without a verified output schedules `if_false`.
//!   - [`Action::Keep`]: the verified output is kept for a number of blocks; meanwhile
//!     [`Pallet::enact_if`] dispatches a call with its caller's origin only if the kept result
//!     satisfies a predicate (a later referendum acting on an earlier computation).
//! - [`Pallet::remove_expired_result`]: anyone removes a kept result after it expired.
//!
//! Storage is bounded: at most [`Config::MaxRequests`] requests and kept results at once.
//! Bad input returns its own [`Error`] and changes nothing.
#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

#[cfg(feature = "runtime-benchmarks")]
pub mod benchmark_helper;
#[cfg(feature = "runtime-benchmarks")]
mod benchmarking;
mod features;
mod impls;
#[cfg(test)]
mod mock;
pub mod predicate;
#[cfg(test)]
mod tests;
pub mod types;
pub mod weights;

pub use aichain_compute::{JobId, ModelId, Tier};
pub use pallet::*;
pub use predicate::{Clause, Comparison, Predicate};
pub use types::{Action, Outcome, Request, RequestId, StoredResult};
pub use weights::WeightInfo;

#[frame_support::pallet]
pub mod pallet {
	use super::*;
	use alloc::boxed::Box;
	use frame_support::{
		dispatch::{GetDispatchInfo, PostDispatchInfo},
		pallet_prelude::*,
		traits::{
			fungible::{Inspect, Mutate},
			schedule::v3::Anon as ScheduleAnon,
			Bounded, OriginTrait, QueryPreimage, StorePreimage,
		},
		PalletId,
	};
	use frame_system::pallet_prelude::*;
	use pallet_jobs::JobSubmitter;
	use sp_runtime::traits::Dispatchable;

	/// A balance of [`Config::Currency`].
	pub type BalanceOf<T> = <<T as Config>::Currency as Inspect<<T as frame_system::Config>::AccountId>>::Balance;
	/// The runtime's call.
	pub type CallOf<T> = <T as Config>::RuntimeCall;
	/// A call stored inline or as a preimage hash.
	pub type BoundedCallOf<T> = Bounded<CallOf<T>, <T as frame_system::Config>::Hashing>;
	/// The runtime's origin caller (what the scheduler dispatches with).
	pub type PalletsOriginOf<T> =
		<<T as frame_system::Config>::RuntimeOrigin as OriginTrait>::PalletsOrigin;
	/// What a request does with its result.
	pub type ActionOf<T> = Action<BoundedCallOf<T>, BlockNumberFor<T>, <T as Config>::MaxClauses>;
	/// An open request.
	pub type RequestOf<T> = Request<PalletsOriginOf<T>, BoundedCallOf<T>, BlockNumberFor<T>, <T as Config>::MaxClauses>;
	/// A kept result.
	pub type StoredResultOf<T> = StoredResult<BlockNumberFor<T>, <T as Config>::MaxOutputLen>;
	/// A predicate of at most `MaxClauses` clauses.
	pub type PredicateOf<T> = Predicate<<T as Config>::MaxClauses>;

	#[pallet::pallet]
	pub struct Pallet<T>(_);

	#[pallet::config]
	pub trait Config: frame_system::Config<RuntimeEvent: From<Event<Self>>> {
		/// The runtime's call: what requests dispatch.
		type RuntimeCall: Parameter
			+ Dispatchable<RuntimeOrigin = Self::RuntimeOrigin, PostInfo = PostDispatchInfo>
			+ GetDispatchInfo
			+ From<Call<Self>>
			+ IsType<<Self as frame_system::Config>::RuntimeCall>
			+ From<frame_system::Call<Self>>;
		/// The currency the treasury pays in.
		type Currency: Mutate<Self::AccountId>;
		/// The job market that computes and verifies the results.
		type Jobs: JobSubmitter<Self::AccountId, BalanceOf<Self>, BlockNumberFor<Self>>;
		/// Schedules the chosen call with the requesting origin.
		type Scheduler: ScheduleAnon<BlockNumberFor<Self>, CallOf<Self>, PalletsOriginOf<Self>, Hasher = Self::Hashing>;
		/// Keeps the preimages of calls given by hash until they are scheduled.
		type Preimages: QueryPreimage<H = Self::Hashing> + StorePreimage;
		/// Who may request a computation; succeeds with the most the request may cost the
		/// treasury.
		type RequestOrigin: EnsureOrigin<Self::RuntimeOrigin, Success = BalanceOf<Self>>;
		/// Who approves the models the treasury may pay for.
		type ModelAdminOrigin: EnsureOrigin<Self::RuntimeOrigin>;
		/// The account that pays for requests and receives what they did not spend.
		type Treasury: Get<Self::AccountId>;
		/// Derives each request's account.
		#[pallet::constant]
		type PalletId: Get<PalletId>;
		/// Most clauses in a predicate.
		#[pallet::constant]
		type MaxClauses: Get<u32>;
		/// Longest job input (the jobs pallet's limit).
		#[pallet::constant]
		type MaxInputLen: Get<u32>;
		/// Longest output kept (the jobs pallet's output limit).
		#[pallet::constant]
		type MaxOutputLen: Get<u32>;
		/// Most open requests and kept results at once.
		#[pallet::constant]
		type MaxRequests: Get<u32>;
		/// Longest a result may be kept.
		#[pallet::constant]
		type MaxRetention: Get<BlockNumberFor<Self>>;
		/// Weights of this pallet's calls and hook.
		type WeightInfo: WeightInfo;
		/// Sets up the job market for the benchmarks.
		#[cfg(feature = "runtime-benchmarks")]
		type BenchmarkHelper: benchmark_helper::BenchmarkHelper<BlockNumberFor<Self>>;
	}

	/// The next request's id.
	#[pallet::storage]
	pub type NextRequestId<T> = StorageValue<_, RequestId, ValueQuery>;

	/// Open requests, by id: their jobs are running.
	#[pallet::storage]
	pub type Requests<T: Config> = StorageMap<_, Twox64Concat, RequestId, RequestOf<T>>;

	/// The request of each running job posted by this pallet.
	#[pallet::storage]
	pub type RequestOfJob<T> = StorageMap<_, Twox64Concat, JobId, RequestId>;

	/// Verified outputs kept for later calls ([`Action::Keep`]), by request.
	#[pallet::storage]
	pub type Results<T: Config> = StorageMap<_, Twox64Concat, RequestId, StoredResultOf<T>>;

	/// Open requests plus kept results: at most [`Config::MaxRequests`].
	#[pallet::storage]
	pub type Slots<T> = StorageValue<_, u32, ValueQuery>;

	/// Models whose jobs the treasury may pay for.
	#[pallet::storage]
	pub type ApprovedModels<T> = StorageMap<_, Twox64Concat, ModelId, ()>;

	#[pallet::event]
	#[pallet::generate_deposit(pub(super) fn deposit_event)]
	pub enum Event<T: Config> {
		/// A governance origin requested a computation; `funded` moved from the treasury to the
		/// request's account, which posted `job`.
		ComputationRequested { request: RequestId, job: JobId, model: ModelId, funded: BalanceOf<T> },
		/// A request's job ended; `returned` went back to the treasury and `outcome` says what
		/// followed.
		RequestSettled { request: RequestId, job: JobId, outcome: Outcome, returned: BalanceOf<T> },
		/// The scheduler refused the chosen call (its agenda was full): nothing is dispatched.
		CallNotScheduled { request: RequestId, error: DispatchError },
		/// [`Pallet::enact_if`] dispatched a call on a kept result.
		Enacted { request: RequestId, result: DispatchResult },
		/// A kept result expired and was removed.
		ResultRemoved { request: RequestId },
		/// A model was approved, or its approval withdrawn.
		ModelApprovalSet { model: ModelId, approved: bool },
	}

	#[pallet::error]
	pub enum Error<T> {
		/// `max_price` is above the requesting origin's budget.
		OverBudget,
		/// Only the zk and redundancy tiers can be requested: an optimistic result is not
		/// verified when it is accepted.
		TierNotAllowed,
		/// The model is not approved for governance requests.
		ModelNotApproved,
		/// As many requests and kept results as [`Config::MaxRequests`] exist.
		TooManyRequests,
		/// The treasury cannot pay `max_price` and stay alive.
		TreasuryCannotPay,
		/// A result cannot be kept longer than [`Config::MaxRetention`], nor for zero blocks.
		BadRetention,
		/// No result is kept for this request.
		UnknownResult,
		/// The kept result has expired.
		ResultExpired,
		/// The kept result has not expired yet.
		ResultNotExpired,
		/// The kept result does not satisfy the predicate: the call was not dispatched.
		PredicateNotSatisfied,
		/// No more request ids.
		RequestIdOverflow,
	}

	#[pallet::call]
	impl<T: Config> Pallet<T> {
		/// Requests a verified computation paid by the treasury, and says what to do with its
		/// result.
		///
		/// - Origin: [`Config::RequestOrigin`] (a governance origin); its success value is the
		///   budget, which `max_price` must not exceed.
		/// - Effect: moves `max_price` plus the existential deposit from the treasury to the
		///   request's account, which submits the job (`model`, `input`, `tier`, `max_price`,
		///   `timeout`, with every check of the jobs pallet's `submit_job`); stores the request
		///   with the caller's origin and `action`, holding the preimages of its calls.
		/// - Events: [`Event::ComputationRequested`] (and the jobs pallet's `JobSubmitted`).
		/// - Errors: [`Error::OverBudget`], [`Error::TierNotAllowed`],
		///   [`Error::ModelNotApproved`], [`Error::TooManyRequests`], [`Error::BadRetention`],
		///   [`Error::TreasuryCannotPay`], [`Error::RequestIdOverflow`], and the jobs pallet's.
		#[pallet::call_index(0)]
		#[pallet::weight(T::WeightInfo::request_computation().saturating_add(T::Jobs::submit_weight()))]
		pub fn request_computation(
			origin: OriginFor<T>,
			model: ModelId,
			input: BoundedVec<u8, T::MaxInputLen>,
			tier: Tier,
			max_price: BalanceOf<T>,
			timeout: BlockNumberFor<T>,
			action: Box<ActionOf<T>>,
		) -> DispatchResult {
			let budget = T::RequestOrigin::ensure_origin(origin.clone())?;
			Self::do_request(origin.into_caller(), budget, model, input.into_inner(), tier, max_price, timeout, *action)
				.map(|_| ())
		}

		/// Dispatches `call` with the caller's own origin if the result kept for `request`
		/// satisfies `predicate`.
		///
		/// - Origin: any; the call runs with it, so it gains nothing it did not have.
		/// - Effect: dispatches `call` when the kept result has not expired and satisfies
		///   `predicate`; otherwise nothing.
		/// - Events: [`Event::Enacted`] with the call's result.
		/// - Errors: [`Error::UnknownResult`], [`Error::ResultExpired`],
		///   [`Error::PredicateNotSatisfied`].
		#[pallet::call_index(1)]
		#[pallet::weight({
			let info = call.get_dispatch_info();
			(T::WeightInfo::enact_if().saturating_add(info.call_weight), info.class)
		})]
		pub fn enact_if(
			origin: OriginFor<T>,
			request: RequestId,
			predicate: PredicateOf<T>,
			call: Box<CallOf<T>>,
		) -> DispatchResultWithPostInfo {
			Self::do_enact_if(origin, request, predicate, *call)
		}

		/// Removes a kept result after it expired, freeing its slot.
		///
		/// - Origin: signed (anyone).
		/// - Events: [`Event::ResultRemoved`].
		/// - Errors: [`Error::UnknownResult`], [`Error::ResultNotExpired`].
		#[pallet::call_index(2)]
		#[pallet::weight(T::WeightInfo::remove_expired_result())]
		pub fn remove_expired_result(origin: OriginFor<T>, request: RequestId) -> DispatchResult {
			ensure_signed(origin)?;
			Self::do_remove_expired_result(request)
		}

		/// Approves `model` for governance requests, or withdraws its approval.
		///
		/// - Origin: [`Config::ModelAdminOrigin`] (the `model_admin` track).
		/// - Effect: requests may (or may no longer) post jobs on `model`; running ones are not
		///   affected.
		/// - Events: [`Event::ModelApprovalSet`].
		#[pallet::call_index(3)]
		#[pallet::weight(T::WeightInfo::set_model_approval())]
		pub fn set_model_approval(origin: OriginFor<T>, model: ModelId, approved: bool) -> DispatchResult {
			T::ModelAdminOrigin::ensure_origin(origin)?;
			Self::do_set_model_approval(model, approved);
			Ok(())
		}
	}

	#[pallet::hooks]
	impl<T: Config> Hooks<BlockNumberFor<T>> for Pallet<T> {
		#[cfg(feature = "try-runtime")]
		fn try_state(_n: BlockNumberFor<T>) -> Result<(), sp_runtime::TryRuntimeError> {
			Self::do_try_state()
		}
	}
}
