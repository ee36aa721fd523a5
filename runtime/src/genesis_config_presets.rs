//! Genesis presets: the initial state of the `development` and `local_testnet` chains.
//!
//! - `development`: Alice is the only Aura + GRANDPA authority and the sudo key (a one-person
//!   chain keeps a quick way to act as root while developing).
//! - `local_testnet`: Alice, Bob, Charlie and Dave are authorities (a 4-validator network); no
//!   sudo key: root acts only through a referendum on the `root` track, as on a real network.
//!
//! Both endow the well-known development accounts (Alice..Ferdie and their stashes) with
//! [`ENDOWMENT`] each, give the treasury [`TREASURY_ENDOWMENT`] (what governance requests are
//! paid from), create the reward pot with the existential deposit, and make Alice, Bob and
//! Charlie the council. The node builds chain specs from these presets through the
//! `GenesisBuilder` runtime API, so the chain spec and the runtime cannot disagree.

use crate::{AccountId, BalancesConfig, CouncilConfig, RuntimeGenesisConfig, SudoConfig, EXISTENTIAL_DEPOSIT, UNIT};
use alloc::{vec, vec::Vec};
use frame_support::build_struct_json_patch;
use serde_json::Value;
use sp_consensus_aura::sr25519::AuthorityId as AuraId;
use sp_consensus_grandpa::AuthorityId as GrandpaId;
use sp_genesis_builder::{self, PresetId};
use sp_keyring::{Ed25519Keyring, Sr25519Keyring};

/// Free balance given to every endowed development account: one million units.
pub const ENDOWMENT: crate::Balance = 1_000_000 * UNIT;

/// What the treasury holds at genesis: one hundred thousand units.
pub const TREASURY_ENDOWMENT: crate::Balance = 100_000 * UNIT;

/// Builds the genesis patch for a chain with the given authorities, endowed accounts and sudo
/// key (none: no sudo).
fn testnet_genesis(
	initial_authorities: Vec<(AuraId, GrandpaId)>,
	endowed_accounts: Vec<AccountId>,
	root: Option<AccountId>,
) -> Value {
	build_struct_json_patch!(RuntimeGenesisConfig {
		balances: BalancesConfig {
			balances: endowed_accounts
				.iter()
				.cloned()
				.map(|k| (k, ENDOWMENT))
				.chain([
					(crate::configs::TreasuryAccount::get(), TREASURY_ENDOWMENT),
					(crate::configs::RewardPotAccount::get(), EXISTENTIAL_DEPOSIT),
				])
				.collect::<Vec<_>>(),
		},
		aura: pallet_aura::GenesisConfig {
			authorities: initial_authorities.iter().map(|x| x.0.clone()).collect::<Vec<_>>(),
		},
		grandpa: pallet_grandpa::GenesisConfig {
			authorities: initial_authorities.iter().map(|x| (x.1.clone(), 1)).collect::<Vec<_>>(),
		},
		sudo: SudoConfig { key: root },
		council: CouncilConfig { members: council_members() },
	})
}

/// The treasury (receives slashed bonds) and the reward pot (receives protocol fees): they
/// exist from genesis with the existential deposit, so that any amount can be paid to them.
pub fn market_accounts() -> Vec<AccountId> {
	vec![crate::configs::TreasuryAccount::get(), crate::configs::RewardPotAccount::get()]
}

/// The council of the development chains: Alice, Bob and Charlie.
pub fn council_members() -> Vec<AccountId> {
	[Sr25519Keyring::Alice, Sr25519Keyring::Bob, Sr25519Keyring::Charlie].iter().map(|k| k.to_account_id()).collect()
}

/// The Aura (sr25519) and GRANDPA (ed25519) keys of a well-known development validator.
fn authority_keys(aura: Sr25519Keyring, grandpa: Ed25519Keyring) -> (AuraId, GrandpaId) {
	(aura.public().into(), grandpa.public().into())
}

/// The well-known development accounts that receive an endowment.
fn endowed_dev_accounts() -> Vec<AccountId> {
	Sr25519Keyring::iter()
		.filter(|k| !matches!(k, Sr25519Keyring::One | Sr25519Keyring::Two))
		.map(|k| k.to_account_id())
		.collect()
}

/// Genesis of the single-validator development chain.
pub fn development_config_genesis() -> Value {
	testnet_genesis(
		vec![authority_keys(Sr25519Keyring::Alice, Ed25519Keyring::Alice)],
		endowed_dev_accounts(),
		Some(Sr25519Keyring::Alice.to_account_id()),
	)
}

/// Genesis of the four-validator local testnet.
pub fn local_config_genesis() -> Value {
	testnet_genesis(
		vec![
			authority_keys(Sr25519Keyring::Alice, Ed25519Keyring::Alice),
			authority_keys(Sr25519Keyring::Bob, Ed25519Keyring::Bob),
			authority_keys(Sr25519Keyring::Charlie, Ed25519Keyring::Charlie),
			authority_keys(Sr25519Keyring::Dave, Ed25519Keyring::Dave),
		],
		endowed_dev_accounts(),
		None,
	)
}

/// The JSON genesis patch of the preset `id`, or `None` for an unknown preset.
pub fn get_preset(id: &PresetId) -> Option<Vec<u8>> {
	let patch = match id.as_ref() {
		sp_genesis_builder::DEV_RUNTIME_PRESET => development_config_genesis(),
		sp_genesis_builder::LOCAL_TESTNET_RUNTIME_PRESET => local_config_genesis(),
		_ => return None,
	};
	Some(
		serde_json::to_string(&patch)
			.expect("a serde_json::Value always serializes; qed")
			.into_bytes(),
	)
}

/// Names of the presets this runtime provides.
pub fn preset_names() -> Vec<PresetId> {
	vec![
		PresetId::from(sp_genesis_builder::DEV_RUNTIME_PRESET),
		PresetId::from(sp_genesis_builder::LOCAL_TESTNET_RUNTIME_PRESET),
	]
}
