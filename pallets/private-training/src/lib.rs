//! # Private training pallet
//!
//! Consortia of hospitals train one model without any patient record leaving a hospital and
//! without any member's update appearing on chain (`docs/federated-learning.md`). Each round,
//! every member's own worker answers a **directed** zk job whose input the chain writes
//! (current parameters, a fresh nonce, the member's data commitment, the commitments to the
//! seeds it shares with the other active members) with its masked, noised, clipped update and
//! a Groth16 proof of it; the jobs pallet verifies the proof; this pallet sums the masked
//! outputs modulo `2^32` (the masks cancel) and adds the sum to the parameters.
//!
//! ## Overview
//!
//! - Setup ([`setup`]): [`Pallet::create_consortium`] fixes the model, the members (their
//!   workers, in order), the initial parameters and the noise; each member publishes its data
//!   commitment ([`Pallet::commit_data`]) and, for each pair, the commitment to the seed the pair
//!   shares ([`Pallet::commit_seed`]: a pair is agreed when both sides posted the same); the
//!   [`Config::BudgetOrigin`] sets the privacy budget `(ε, δ)` ([`Pallet::set_privacy_budget`]).
//! - Rounds ([`rounds`]): [`Pallet::start_round`] charges one attempt to the budget (refused
//!   when it would exceed it: the accountant is `aichain_compute::privacy`) and posts one
//!   directed job per active member. When every job completed, the round completes; when one
//!   is refunded (declined, no result), the attempt fails, that member is excluded from the
//!   round's next attempt, and the round is abandoned when fewer than [`Config::MinMembers`]
//!   remain or after [`Config::MaxAttemptsPerRound`] attempts.
//!
//! Every attempt is charged, completed or not: an aborted attempt published masked outputs
//! that the member which dropped out could help unmask.
//!
//! Bad input returns its own [`Error`] and changes nothing.
#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

#[cfg(feature = "runtime-benchmarks")]
pub mod benchmarking;
mod invariants;
#[cfg(test)]
mod mock;
pub mod rounds;
pub mod setup;
#[cfg(test)]
mod tests;
pub mod weights;

pub use aichain_compute::{
	privacy::{DeltaPerQuintillion, GaussianRounds},
	JobId, ModelId,
};
pub use pallet::*;
pub use weights::WeightInfo;

/// Id of a consortium (a counter, never reused).
pub type ConsortiumId = u32;
/// A member's position in its consortium (it fixes the sign of each pair's mask).
pub type MemberIndex = u8;

/// Sets up what the benchmarks need from the market pallets.
#[cfg(feature = "runtime-benchmarks")]
pub trait BenchmarkHelper<AccountId, Balance> {
	/// Registers an active zk-provable model with these sizes; returns it.
	fn member_model(input_len: u32, output_len: u32) -> ModelId;
	/// Registers worker number `index` for `model`; returns its account.
	fn member_worker(model: ModelId, index: u32) -> AccountId;
	/// The most workers a model may have.
	fn max_workers_per_model() -> u32;
	/// Gives `who` enough to pay any deposit and round.
	fn fund(who: &AccountId);
	/// A price above any job's escrow.
	fn max_price() -> Balance;
}

#[frame_support::pallet]
pub mod pallet {
	use super::*;
	use frame_support::{
		pallet_prelude::*,
		traits::fungible::{Inspect, MutateHold},
		DebugNoBound,
	};
	use frame_system::pallet_prelude::*;
	use pallet_jobs::{DirectedJobSubmitter, JobSubmitter};
	use pallet_models::ModelRegistry;

	/// The in-code storage version.
	const STORAGE_VERSION: StorageVersion = StorageVersion::new(1);

	#[pallet::pallet]
	#[pallet::storage_version(STORAGE_VERSION)]
	pub struct Pallet<T>(_);

	/// Balance type of the deposit currency.
	pub type BalanceOf<T> =
		<<T as Config>::Currency as Inspect<<T as frame_system::Config>::AccountId>>::Balance;
	/// The members of a consortium.
	pub type MembersOf<T> = BoundedVec<<T as frame_system::Config>::AccountId, <T as Config>::MaxMembers>;
	/// A consortium's parameters.
	pub type ParametersOf<T> = BoundedVec<i32, <T as Config>::MaxParameters>;
	/// A member's masked output words.
	pub type WordsOf<T> = BoundedVec<u32, <T as Config>::MaxParameters>;

	#[pallet::config]
	pub trait Config: frame_system::Config<RuntimeEvent: From<Event<Self>>> {
		/// What jobs are paid with.
		type Balance: Parameter + Member + MaxEncodedLen + Copy;
		/// The currency a consortium's deposit is held in.
		type Currency: MutateHold<Self::AccountId, Reason = Self::RuntimeHoldReason>;
		/// The overarching hold reason.
		type RuntimeHoldReason: From<HoldReason>;
		/// Held from a consortium's owner while it is stored: its record and its pairs' seeds.
		#[pallet::constant]
		type ConsortiumDeposit: Get<BalanceOf<Self>>;
		/// The model registry: a consortium's model must be active and provable.
		type Models: ModelRegistry<Self::AccountId, Self::Balance>;
		/// The job market that runs and verifies the members' jobs.
		type Jobs: JobSubmitter<Self::AccountId, Self::Balance, BlockNumberFor<Self>>
			+ DirectedJobSubmitter<Self::AccountId, Self::Balance, BlockNumberFor<Self>>;
		/// Who sets a consortium's privacy budget (governance).
		type BudgetOrigin: EnsureOrigin<Self::RuntimeOrigin>;
		/// The most members of a consortium: at most `MAX_PEERS + 1` of the member layout.
		#[pallet::constant]
		type MaxMembers: Get<u32>;
		/// The fewest active members of an attempt (at least 3: with two, each member's update
		/// would be the sum minus its own).
		#[pallet::constant]
		type MinMembers: Get<u32>;
		/// Attempts a round may take before it is abandoned. Each failure a member causes also
		/// excludes it, so with few members `MinMembers` may end a round first; failures that
		/// are the chain's (a retired model) exclude nobody and only this cap ends them.
		#[pallet::constant]
		type MaxAttemptsPerRound: Get<u32>;
		/// The shortest deadline an attempt's jobs may have: a member that misses its deadline
		/// is slashed as a no-show, so the owner must leave time to prove (a member's proof
		/// takes seconds) and to reach a block.
		#[pallet::constant]
		type MinRoundTimeout: Get<BlockNumberFor<Self>>;
		/// The most parameters of a consortium's model.
		#[pallet::constant]
		type MaxParameters: Get<u32>;
		/// Weights of the calls and of a member's job ending, from this pallet's benchmarks.
		type WeightInfo: WeightInfo;
		/// Sets up the benchmarks.
		#[cfg(feature = "runtime-benchmarks")]
		type BenchmarkHelper: crate::BenchmarkHelper<Self::AccountId, Self::Balance>;
	}

	/// Why this pallet holds funds.
	#[pallet::composite_enum]
	pub enum HoldReason {
		/// A consortium's storage deposit, held from its owner until it is closed.
		ConsortiumDeposit,
	}

	/// The privacy budget of a consortium: no attempt may take the members' privacy loss past
	/// `ε` (in millionths) at `δ`.
	#[derive(Clone, Copy, PartialEq, Eq, Debug, Encode, Decode, DecodeWithMemTracking, TypeInfo, MaxEncodedLen)]
	pub struct PrivacyBudget {
		/// `ε` in millionths.
		pub epsilon_micro: u64,
		/// `δ`.
		pub delta: DeltaPerQuintillion,
	}

	/// A running attempt of a round.
	#[derive(CloneNoBound, PartialEqNoBound, EqNoBound, DebugNoBound, Encode, Decode, TypeInfo, MaxEncodedLen)]
	#[scale_info(skip_type_params(T))]
	pub struct Attempt<T: Config> {
		/// The nonce of every member's input (fresh masks and noise).
		pub nonce: u64,
		/// One directed job per active member, with the member's index.
		pub jobs: BoundedVec<(JobId, MemberIndex), T::MaxMembers>,
		/// Each job's verified output, once it completed (in the order of `jobs`).
		pub outputs: BoundedVec<Option<WordsOf<T>>, T::MaxMembers>,
	}

	/// A consortium: its members, model, parameters, noise, budget and rounds.
	#[derive(CloneNoBound, PartialEqNoBound, EqNoBound, DebugNoBound, Encode, Decode, TypeInfo, MaxEncodedLen)]
	#[scale_info(skip_type_params(T))]
	pub struct Consortium<T: Config> {
		/// Who created it; only they start rounds, and they pay for them.
		pub owner: T::AccountId,
		/// Held from the owner until the consortium is closed.
		pub deposit: BalanceOf<T>,
		/// The member circuit's model.
		pub model: ModelId,
		/// The members' workers, in order.
		pub members: MembersOf<T>,
		/// The current parameters.
		pub parameters: ParametersOf<T>,
		/// Each member's data commitment, once published.
		pub data: BoundedVec<Option<[u8; 32]>, T::MaxMembers>,
		/// The members' noise and the sensitivity of their updates, for the accountant.
		pub noise: GaussianRounds,
		/// The privacy budget, once governance set it.
		pub budget: Option<PrivacyBudget>,
		/// Attempts charged to the budget so far.
		pub attempts_spent: u32,
		/// Rounds completed so far (the current round has this index).
		pub rounds_completed: u32,
		/// Attempts the current round took so far.
		pub round_attempts: u32,
		/// Members excluded from the current round's next attempts (they dropped out of one).
		pub excluded: BoundedVec<MemberIndex, T::MaxMembers>,
		/// The running attempt, if any.
		pub attempt: Option<Attempt<T>>,
	}

	/// Why an attempt failed.
	#[derive(Clone, Copy, PartialEq, Eq, Debug, Encode, Decode, DecodeWithMemTracking, TypeInfo, MaxEncodedLen)]
	pub enum AttemptFailure {
		/// A member's job was refunded: declined or no result (the member's doing: it is
		/// excluded from the round's next attempts), or the chain's (a retired model, a failed
		/// settlement: nobody is excluded).
		Refunded(pallet_jobs::RefundReason),
		/// A member's verified output was not the model's size (no verified proof produces one).
		MalformedOutput,
	}

	impl AttemptFailure {
		/// Whether the member whose job failed is to blame (and sits out the round's next
		/// attempts).
		pub fn blames_member(self) -> bool {
			matches!(
				self,
				Self::MalformedOutput |
					Self::Refunded(pallet_jobs::RefundReason::NoResult | pallet_jobs::RefundReason::Declined)
			)
		}
	}

	/// The two sides of a pair's seed commitment: the lower-indexed member's, the higher's.
	pub type PairSides = (Option<[u8; 32]>, Option<[u8; 32]>);

	/// The next consortium's id.
	#[pallet::storage]
	pub type NextConsortiumId<T: Config> = StorageValue<_, ConsortiumId, ValueQuery>;

	/// Every consortium.
	#[pallet::storage]
	pub type Consortia<T: Config> = StorageMap<_, Twox64Concat, ConsortiumId, Consortium<T>>;

	/// Each pair's seed commitments, by consortium and `(lower index, higher index)`.
	#[pallet::storage]
	pub type PairSeeds<T: Config> =
		StorageDoubleMap<_, Twox64Concat, ConsortiumId, Twox64Concat, (MemberIndex, MemberIndex), PairSides, ValueQuery>;

	/// The consortium and member of every job of a running attempt.
	#[pallet::storage]
	pub type MemberJobs<T: Config> = StorageMap<_, Twox64Concat, JobId, (ConsortiumId, MemberIndex)>;

	#[pallet::event]
	#[pallet::generate_deposit(pub(super) fn deposit_event)]
	pub enum Event<T: Config> {
		/// A consortium was created.
		ConsortiumCreated { consortium: ConsortiumId, owner: T::AccountId, model: ModelId, members: MembersOf<T> },
		/// A member published its data commitment.
		DataCommitted { consortium: ConsortiumId, member: MemberIndex, commitment: [u8; 32] },
		/// A member published its side of a pair's seed commitment; `agreed` when both sides are
		/// now equal (the pair is then fixed).
		SeedCommitted { consortium: ConsortiumId, pair: (MemberIndex, MemberIndex), agreed: bool },
		/// Governance set the privacy budget.
		PrivacyBudgetSet { consortium: ConsortiumId, budget: PrivacyBudget },
		/// An attempt of a round was started and charged: `epsilon_spent_micro` is the privacy
		/// loss after it.
		AttemptStarted {
			consortium: ConsortiumId,
			round: u32,
			attempt: u32,
			nonce: u64,
			jobs: BoundedVec<(JobId, MemberIndex), T::MaxMembers>,
			epsilon_spent_micro: u64,
		},
		/// A member's masked update was verified.
		UpdateReceived { consortium: ConsortiumId, round: u32, member: MemberIndex },
		/// Every active member's update was verified: `parameters` are the consortium's now.
		RoundCompleted { consortium: ConsortiumId, round: u32, parameters: ParametersOf<T> },
		/// A member's job ended without a usable update, for `failure`: the attempt failed. The
		/// member sits out the round's next attempts when `excluded` (it was to blame).
		AttemptFailed { consortium: ConsortiumId, round: u32, member: MemberIndex, failure: AttemptFailure, excluded: bool },
		/// The round cannot be retried (too few members left, or too many attempts): the next
		/// attempt starts it again with every member.
		RoundAbandoned { consortium: ConsortiumId, round: u32 },
		/// The owner closed the consortium.
		ConsortiumClosed { consortium: ConsortiumId, deposit_released: BalanceOf<T> },
	}

	#[pallet::error]
	pub enum Error<T> {
		/// The model does not exist or is retired.
		UnknownModel,
		/// The model has no verifying key.
		ModelNotProvable,
		/// The model is not of kind `PrivateTrainingMember`, or its sizes are not the member
		/// layout's for these parameters.
		NotAMemberCircuit,
		/// Fewer members than `MinMembers`.
		TooFewMembers,
		/// The owner is one of the members: its own directed jobs could never be assigned to
		/// it (a requester never works its own job).
		OwnerIsMember,
		/// The attempt's deadline is shorter than `MinRoundTimeout`.
		TimeoutTooShort,
		/// A worker appears twice among the members.
		DuplicateMember,
		/// The parameters do not fill the model's output.
		ParametersLengthMismatch,
		/// The noise or the sensitivity is zero.
		InvalidNoise,
		/// All consortium ids are used.
		ConsortiumIdOverflow,
		/// The owner cannot pay the deposit.
		InsufficientBalanceForDeposit,
		/// No consortium has this id.
		UnknownConsortium,
		/// Only the consortium's owner may do this.
		NotOwner,
		/// The signer is not a member of the consortium.
		NotMember,
		/// The member already published its data commitment.
		DataAlreadyCommitted,
		/// A commitment is not a scalar of the proof system's field (in canonical form).
		NotCanonical,
		/// The peer is the member itself or not a member.
		NotAPeer,
		/// The pair already agreed on its seed commitment.
		SeedsAlreadyAgreed,
		/// `δ` is not in `(0, 1)`.
		InvalidBudget,
		/// An attempt is running.
		AttemptInProgress,
		/// A member has not published its data commitment.
		DataMissing,
		/// A pair has not agreed on its seed commitment.
		SeedsMissing,
		/// Governance has not set a privacy budget.
		NoBudget,
		/// One more attempt would take the privacy loss past the budget.
		BudgetExhausted,
	}

	#[pallet::hooks]
	impl<T: Config> Hooks<BlockNumberFor<T>> for Pallet<T> {
		fn integrity_test() {
			assert!(
				T::MaxMembers::get() as usize <= aichain_compute::federated::MAX_PEERS + 1,
				"MaxMembers must fit the member layout's peer slots"
			);
			assert!(T::MinMembers::get() >= 3, "MinMembers must be at least 3");
			assert!(T::MinMembers::get() <= T::MaxMembers::get(), "MinMembers must be at most MaxMembers");
			assert!(T::MaxAttemptsPerRound::get() >= 1, "a round needs at least one attempt");
		}

		#[cfg(feature = "try-runtime")]
		fn try_state(_n: BlockNumberFor<T>) -> Result<(), sp_runtime::TryRuntimeError> {
			Self::do_try_state()
		}
	}

	#[pallet::call]
	impl<T: Config> Pallet<T> {
		/// Creates a consortium of `members` training `model` from `parameters`.
		///
		/// - Origin: signed; the signer owns the consortium and pays its rounds.
		/// - Effect: holds [`Config::ConsortiumDeposit`]; records the members (their workers, in
		///   this order), the parameters and `noise` (the members' `σ²` and their updates'
		///   sensitivity `Δ²`, for the accountant).
		/// - Event: [`Event::ConsortiumCreated`].
		/// - Errors: [`Error::UnknownModel`], [`Error::ModelNotProvable`],
		///   [`Error::NotAMemberCircuit`], [`Error::TooFewMembers`], [`Error::DuplicateMember`],
		///   [`Error::OwnerIsMember`],
		///   [`Error::ParametersLengthMismatch`], [`Error::InvalidNoise`],
		///   [`Error::InsufficientBalanceForDeposit`], [`Error::ConsortiumIdOverflow`].
		#[pallet::call_index(0)]
		#[pallet::weight(T::WeightInfo::create_consortium())]
		pub fn create_consortium(
			origin: OriginFor<T>,
			model: ModelId,
			members: MembersOf<T>,
			parameters: ParametersOf<T>,
			noise: GaussianRounds,
		) -> DispatchResult {
			let owner = ensure_signed(origin)?;
			Self::do_create_consortium(owner, model, members, parameters, noise).map(drop)
		}

		/// Publishes the signer's data commitment (`Poseidon(1, salt, rows…)` of its padded,
		/// quantized records), once.
		///
		/// - Origin: signed by a member's worker.
		/// - Effect: records the commitment; every attempt's job for this member carries it.
		/// - Event: [`Event::DataCommitted`].
		/// - Errors: [`Error::UnknownConsortium`], [`Error::NotMember`], [`Error::NotCanonical`],
		///   [`Error::DataAlreadyCommitted`].
		#[pallet::call_index(1)]
		#[pallet::weight(T::WeightInfo::commit_data())]
		pub fn commit_data(origin: OriginFor<T>, consortium: ConsortiumId, commitment: [u8; 32]) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_commit_data(who, consortium, commitment)
		}

		/// Publishes the signer's side of the commitment to the seed it shares with member
		/// `peer` (`Poseidon(2, seed)`). A side may be replaced until both sides are equal; the
		/// pair is then fixed.
		///
		/// - Origin: signed by a member's worker.
		/// - Effect: records the signer's side of the pair `(lower index, higher index)`.
		/// - Event: [`Event::SeedCommitted`].
		/// - Errors: [`Error::UnknownConsortium`], [`Error::NotMember`], [`Error::NotAPeer`],
		///   [`Error::NotCanonical`], [`Error::SeedsAlreadyAgreed`].
		#[pallet::call_index(2)]
		#[pallet::weight(T::WeightInfo::commit_seed())]
		pub fn commit_seed(
			origin: OriginFor<T>,
			consortium: ConsortiumId,
			peer: MemberIndex,
			commitment: [u8; 32],
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_commit_seed(who, consortium, peer, commitment)
		}

		/// Sets the consortium's privacy budget: attempts are refused once one more would take
		/// the members' privacy loss past `(epsilon_micro / 10⁶, delta)`.
		///
		/// - Origin: [`Config::BudgetOrigin`] (governance).
		/// - Effect: replaces the budget (it may be below what is spent: no attempt then starts).
		/// - Event: [`Event::PrivacyBudgetSet`].
		/// - Errors: [`Error::UnknownConsortium`], [`Error::InvalidBudget`].
		#[pallet::call_index(3)]
		#[pallet::weight(T::WeightInfo::set_privacy_budget())]
		pub fn set_privacy_budget(
			origin: OriginFor<T>,
			consortium: ConsortiumId,
			epsilon_micro: u64,
			delta: DeltaPerQuintillion,
		) -> DispatchResult {
			T::BudgetOrigin::ensure_origin(origin)?;
			Self::do_set_privacy_budget(consortium, PrivacyBudget { epsilon_micro, delta })
		}

		/// Starts an attempt of the current round: charges it to the budget and posts one
		/// directed zk job per active member, each for that member's worker, paid by the owner.
		///
		/// - Origin: signed by the owner.
		/// - Events: the jobs pallet's `JobSubmitted` and `JobAssigned` per member, then
		///   [`Event::AttemptStarted`].
		/// - Errors: [`Error::UnknownConsortium`], [`Error::NotOwner`], [`Error::TimeoutTooShort`],
		///   [`Error::AttemptInProgress`], [`Error::DataMissing`], [`Error::SeedsMissing`],
		///   [`Error::NoBudget`], [`Error::BudgetExhausted`], and any
		///   error of the jobs pallet's directed submission (a member's worker unavailable, the
		///   price, the owner's balance): then no job is posted and nothing is charged.
		#[pallet::call_index(4)]
		#[pallet::weight(T::WeightInfo::start_round(T::MaxMembers::get()))]
		pub fn start_round(
			origin: OriginFor<T>,
			consortium: ConsortiumId,
			max_price_per_job: T::Balance,
			timeout: BlockNumberFor<T>,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_start_round(who, consortium, max_price_per_job, timeout)
		}

		/// Closes the consortium: removes it and its pairs' seeds and releases the deposit.
		///
		/// - Origin: signed by the owner; no attempt may be running.
		/// - Event: [`Event::ConsortiumClosed`].
		/// - Errors: [`Error::UnknownConsortium`], [`Error::NotOwner`],
		///   [`Error::AttemptInProgress`].
		#[pallet::call_index(5)]
		#[pallet::weight(T::WeightInfo::close_consortium())]
		pub fn close_consortium(origin: OriginFor<T>, consortium: ConsortiumId) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_close_consortium(who, consortium)
		}
	}
}

impl<T: Config> pallet_jobs::OnJobCompleted<T::AccountId> for Pallet<T> {
	fn on_job_completed(job: JobId, _model: ModelId, _requester: &T::AccountId, output: &[u8]) -> frame_support::weights::Weight {
		// Most completed jobs are no member's: for them, the lookup is all.
		use frame_support::traits::Get;
		if !MemberJobs::<T>::contains_key(job) {
			return T::DbWeight::get().reads(1);
		}
		Self::do_member_completed(job, output);
		<Self as pallet_jobs::OnJobCompleted<T::AccountId>>::weight()
	}

	fn on_job_refunded(job: JobId, _model: ModelId, _requester: &T::AccountId, reason: pallet_jobs::RefundReason) {
		Self::do_member_refunded(job, reason);
	}

	fn weight() -> frame_support::weights::Weight {
		let max = <T::MaxMembers as frame_support::traits::Get<u32>>::get();
		<T as Config>::WeightInfo::complete_round(max).max(<T as Config>::WeightInfo::fail_attempt(max))
	}
}
