//! # Test-runtime macros shared by this repository's pallets
//!
//! Every pallet's tests run on a small runtime made of `frame_system`, `pallet_balances`
//! (`u64` accounts and balances) and the pallets under test. [`test_runtime!`] writes that
//! runtime once, so each `mock.rs` only lists its pallets and configures them.
//!
//! The test crate must depend on `frame-support`, `frame-system` and `pallet-balances`; the
//! macro names them by path.
#![no_std]

/// Declares the test runtime `Test` with `System` (index 0), `Balances` (index 1) and the
/// given pallets, and configures System and Balances with the test defaults (`u64` balances,
/// holds by `RuntimeHoldReason`).
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
