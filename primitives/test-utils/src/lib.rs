//! # Test-runtime macros shared by this repository's pallets
//!
//! Every pallet's tests run on a small runtime made of `frame_system`, `pallet_balances`
//! (`u64` accounts and balances) and the pallets under test. [`test_runtime!`] writes that
//! runtime once, so each `mock.rs` only lists its pallets and configures them.
//!
//! The test crate must depend on `frame-support`, `frame-system`, `pallet-balances`,
//! `sp-io` and `sp-runtime`; the macro names them by path.
#![no_std]

/// Declares the test runtime `Test` with `System` (index 0), `Balances` (index 1) and the
/// given pallets, configures System and Balances with the test defaults (`u64` balances,
/// holds by `RuntimeHoldReason`), and defines `ext_with_balances(balances)`: test
/// externalities at block 1 with those genesis balances.
///
/// ```ignore
/// aichain_test_utils::test_runtime! {
///     2: ZkVerifier = pallet_zk_verifier,
///     3: Models = pallet_models;
///     // Optional: more `pallet_balances::Config` items, overriding the test defaults.
///     balances { type ExistentialDeposit = ConstU64<5>; }
/// }
/// ```
#[macro_export]
macro_rules! test_runtime {
	(
		$( $index:literal : $name:ident = $pallet:ident ),+ $(,)?
		$( ; balances { $( $balances_item:tt )* } )?
	) => {
		type Block = frame_system::mocking::MockBlock<Test>;

		#[frame_support::runtime]
		mod runtime {
			#[runtime::runtime]
			#[runtime::derive(
				RuntimeCall,
				RuntimeEvent,
				RuntimeError,
				RuntimeOrigin,
				RuntimeHoldReason,
				RuntimeFreezeReason,
				RuntimeTask
			)]
			pub struct Test;

			#[runtime::pallet_index(0)]
			pub type System = frame_system;
			#[runtime::pallet_index(1)]
			pub type Balances = pallet_balances;
			$(
				#[runtime::pallet_index($index)]
				pub type $name = $pallet;
			)+
		}

		// Each `derive_impl` in its own block: the items it generates have fixed names, which
		// would clash when both expand from the same macro.
		const _: () = {
			use frame_support::derive_impl;

			#[derive_impl(frame_system::config_preludes::TestDefaultConfig)]
			impl frame_system::Config for Test {
				type Block = Block;
				type AccountData = pallet_balances::AccountData<u64>;
			}
		};

		/// Test externalities at block 1 whose genesis gives each account its balance.
		pub fn ext_with_balances(balances: Vec<(u64, u64)>) -> sp_io::TestExternalities {
			use sp_runtime::BuildStorage;
			let mut storage = frame_system::GenesisConfig::<Test>::default().build_storage().unwrap();
			pallet_balances::GenesisConfig::<Test> { balances, ..Default::default() }
				.assimilate_storage(&mut storage)
				.unwrap();
			let mut ext = sp_io::TestExternalities::new(storage);
			ext.execute_with(|| System::set_block_number(1));
			ext
		}

		const _: () = {
			use frame_support::derive_impl;

			#[derive_impl(pallet_balances::config_preludes::TestDefaultConfig)]
			impl pallet_balances::Config for Test {
				type AccountStore = System;
				type RuntimeHoldReason = RuntimeHoldReason;
				$( $( $balances_item )* )?
			}
		};
	};
}

/// Declares `TestJobs`, an in-memory job market (`pallet_jobs::JobSubmitter<u64, u64, u64>`)
/// for pallets that post jobs, so that their tests decide when a job ends and with what output.
/// Job ids start at `first_id`; `accepts(model, max_price)` decides whether a submission is
/// taken (its error is returned as the market's). Also declares `SubmittedJob`,
/// `submitted(id)`, `end_job(id)` (the job stops running; returns what was submitted) and
/// `clear_jobs()`.
///
/// The test crate must depend on `aichain-compute`, `pallet-jobs` and `sp-runtime`.
///
/// ```ignore
/// aichain_test_utils::test_job_market! {
///     first_id: 500,
///     accepts: |model, max_price| if model == MODEL && max_price >= PRICE { Ok(()) } else { Err(DispatchError::Other("no")) },
/// }
/// ```
#[macro_export]
macro_rules! test_job_market {
	(first_id: $first_id:expr, accepts: $accepts:expr $(,)?) => {
		/// A job submitted through [`TestJobs`].
		#[derive(Clone, Debug, PartialEq, Eq)]
		pub struct SubmittedJob {
			pub requester: u64,
			pub model: aichain_compute::ModelId,
			pub input: Vec<u8>,
			pub tier: aichain_compute::Tier,
			pub max_price: u64,
			pub timeout: u64,
		}

		thread_local! {
			/// Every job submitted, by id, and whether it is still running.
			static JOBS: core::cell::RefCell<std::collections::BTreeMap<aichain_compute::JobId, (SubmittedJob, bool)>> =
				Default::default();
		}

		/// An in-memory job market: a job runs until [`end_job`].
		pub struct TestJobs;

		impl pallet_jobs::JobSubmitter<u64, u64, u64> for TestJobs {
			fn submit_job(
				requester: u64,
				model: aichain_compute::ModelId,
				input: Vec<u8>,
				tier: aichain_compute::Tier,
				max_price: u64,
				timeout: u64,
			) -> Result<aichain_compute::JobId, sp_runtime::DispatchError> {
				let accepts: fn(aichain_compute::ModelId, u64) -> Result<(), sp_runtime::DispatchError> = $accepts;
				accepts(model, max_price)?;
				JOBS.with(|jobs| {
					let mut jobs = jobs.borrow_mut();
					let id = $first_id + jobs.len() as aichain_compute::JobId;
					jobs.insert(id, (SubmittedJob { requester, model, input, tier, max_price, timeout }, true));
					Ok(id)
				})
			}

			fn is_live(job: aichain_compute::JobId) -> bool {
				JOBS.with(|jobs| jobs.borrow().get(&job).is_some_and(|(_, live)| *live))
			}
		}

		/// Blob jobs are submitted as any job, their input the blob's hash.
		impl pallet_jobs::BlobJobSubmitter<u64, u64, u64> for TestJobs {
			fn submit_blob_job(
				requester: u64,
				model: aichain_compute::ModelId,
				input: [u8; 32],
				tier: aichain_compute::Tier,
				max_price: u64,
				timeout: u64,
			) -> Result<aichain_compute::JobId, sp_runtime::DispatchError> {
				<TestJobs as pallet_jobs::JobSubmitter<u64, u64, u64>>::submit_job(
					requester, model, input.to_vec(), tier, max_price, timeout,
				)
			}

			fn submit_blob_weight() -> frame_support::weights::Weight {
				frame_support::weights::Weight::zero()
			}
		}

		thread_local! {
			/// The worker of every directed job, by id.
			static DIRECTED: core::cell::RefCell<std::collections::BTreeMap<aichain_compute::JobId, u64>> =
				Default::default();
			/// Workers that cannot take directed jobs ([`make_unavailable`]).
			static UNAVAILABLE: core::cell::RefCell<std::collections::BTreeSet<u64>> = Default::default();
		}

		/// Directed jobs for `worker` are refused from now on (`DirectedWorkerUnavailable`).
		pub fn make_unavailable(worker: u64) {
			UNAVAILABLE.with(|unavailable| unavailable.borrow_mut().insert(worker));
		}

		/// Directed jobs are submitted as zk jobs and remember their worker ([`directed_to`]).
		impl pallet_jobs::DirectedJobSubmitter<u64, u64, u64> for TestJobs {
			fn submit_directed_job(
				requester: u64,
				worker: u64,
				model: aichain_compute::ModelId,
				input: Vec<u8>,
				max_price: u64,
				timeout: u64,
			) -> Result<aichain_compute::JobId, sp_runtime::DispatchError> {
				if UNAVAILABLE.with(|unavailable| unavailable.borrow().contains(&worker)) {
					return Err(sp_runtime::DispatchError::Other("DirectedWorkerUnavailable"));
				}
				let id = <TestJobs as pallet_jobs::JobSubmitter<u64, u64, u64>>::submit_job(
					requester, model, input, aichain_compute::Tier::Zk, max_price, timeout,
				)?;
				DIRECTED.with(|directed| directed.borrow_mut().insert(id, worker));
				Ok(id)
			}

			fn submit_directed_weight() -> frame_support::weights::Weight {
				frame_support::weights::Weight::zero()
			}
		}

		/// The worker directed job `id` was submitted for, if it was directed.
		pub fn directed_to(id: aichain_compute::JobId) -> Option<u64> {
			DIRECTED.with(|directed| directed.borrow().get(&id).copied())
		}

		/// The submitted job `id`.
		pub fn submitted(id: aichain_compute::JobId) -> SubmittedJob {
			JOBS.with(|jobs| jobs.borrow()[&id].0.clone())
		}

		/// Job `id` stops running; returns what was submitted.
		pub fn end_job(id: aichain_compute::JobId) -> SubmittedJob {
			JOBS.with(|jobs| {
				let mut jobs = jobs.borrow_mut();
				let entry = jobs.get_mut(&id).expect("a submitted job");
				entry.1 = false;
				entry.0.clone()
			})
		}

		/// Forgets every job.
		pub fn clear_jobs() {
			JOBS.with(|jobs| jobs.borrow_mut().clear());
			DIRECTED.with(|directed| directed.borrow_mut().clear());
			UNAVAILABLE.with(|unavailable| unavailable.borrow_mut().clear());
		}
	};
}
