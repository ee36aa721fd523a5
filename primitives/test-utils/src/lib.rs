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
