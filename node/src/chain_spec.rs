//! Built-in chain specifications (`--dev`, `--chain local`) built from the runtime's genesis
//! presets, and loading of chain-spec JSON files.

use aichain_runtime::WASM_BINARY;
use sc_service::{ChainType, Properties};

/// The chain specification type of this node (no extensions).
pub type ChainSpec = sc_service::GenericChainSpec;

/// Token symbol, decimals and SS58 format shown by wallets such as polkadot.js Apps.
fn token_properties() -> Properties {
	let mut properties = Properties::new();
	properties.insert("tokenSymbol".into(), "AIC".into());
	properties.insert("tokenDecimals".into(), 12.into());
	properties.insert("ss58Format".into(), 42.into());
	properties
}

/// The runtime wasm blob that the node was built with.
fn wasm_binary() -> Result<&'static [u8], String> {
	WASM_BINARY.ok_or_else(|| {
		"the runtime wasm blob was not built (was the node built with SKIP_WASM_BUILD?)".to_string()
	})
}

/// Single-validator development chain: Alice authors and finalizes every block.
pub fn development_chain_spec() -> Result<ChainSpec, String> {
	Ok(ChainSpec::builder(wasm_binary()?, None)
		.with_name("AI Compute Development")
		.with_id("aichain_dev")
		.with_chain_type(ChainType::Development)
		.with_genesis_config_preset_name(sp_genesis_builder_preset::DEV)
		.with_properties(token_properties())
		.build())
}

/// Four-validator local testnet: Alice, Bob, Charlie and Dave.
pub fn local_chain_spec() -> Result<ChainSpec, String> {
	Ok(ChainSpec::builder(wasm_binary()?, None)
		.with_name("AI Compute Local Testnet")
		.with_id("aichain_local")
		.with_chain_type(ChainType::Local)
		.with_genesis_config_preset_name(sp_genesis_builder_preset::LOCAL)
		.with_properties(token_properties())
		.build())
}

/// Preset names of the runtime's `GenesisBuilder` (see `aichain_runtime::genesis_config_presets`).
mod sp_genesis_builder_preset {
	pub const DEV: &str = "development";
	pub const LOCAL: &str = "local_testnet";
}

/// Resolves a `--chain` argument: a built-in name or the path of a chain-spec JSON file.
///
/// An unknown name that is not an existing file gives an error listing the valid names, rather
/// than a file-not-found message about a path the user never meant.
pub fn load_spec(id: &str) -> Result<Box<dyn sc_service::ChainSpec>, String> {
	Ok(match id {
		"dev" | "development" => Box::new(development_chain_spec()?),
		"" | "local" | "local_testnet" => Box::new(local_chain_spec()?),
		path => {
			let path = std::path::PathBuf::from(path);
			if !path.exists() {
				return Err(format!(
					"unknown chain '{id}': expected 'dev', 'local' or the path of a chain-spec JSON file"
				));
			}
			Box::new(
				ChainSpec::from_json_file(path.clone())
					.map_err(|e| format!("invalid chain spec {}: {e}", path.display()))?,
			)
		},
	})
}
