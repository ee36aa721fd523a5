//! Helpers shared by the runtime's integration tests: the genesis state of a preset.

use aichain_runtime::{genesis_config_presets::get_preset, RuntimeGenesisConfig};
use frame_support::genesis_builder_helper::build_state;

/// Applies a JSON patch on top of `base` the way chain-spec tooling does (objects merge key by
/// key, anything else replaces).
fn merge(base: &mut serde_json::Value, patch: serde_json::Value) {
	match (base, patch) {
		(serde_json::Value::Object(base), serde_json::Value::Object(patch)) =>
			for (key, value) in patch {
				merge(base.entry(key).or_insert(serde_json::Value::Null), value);
			},
		(base, patch) => *base = patch,
	}
}

/// Externalities holding the genesis state of the preset `name`: the runtime's default
/// genesis config with the preset's patch applied, built through `GenesisBuilder::build_state`.
pub fn genesis(name: &str) -> sp_io::TestExternalities {
	let patch: serde_json::Value =
		serde_json::from_slice(&get_preset(&name.into()).expect("preset exists")).unwrap();
	let mut config = serde_json::to_value(RuntimeGenesisConfig::default()).unwrap();
	merge(&mut config, patch);
	let json = serde_json::to_vec(&config).unwrap();
	let mut ext = sp_io::TestExternalities::default();
	ext.execute_with(|| build_state::<RuntimeGenesisConfig>(json).expect("genesis builds"));
	ext
}

