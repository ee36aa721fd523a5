//! Reading `scale_value::Value`s decoded with the runtime's metadata: numbers, bytes, accounts,
//! variant names, as the client prints them.

use anyhow::{anyhow, Result};
use scale_value::{At, Composite, Value, ValueDef};
use subxt::utils::AccountId32;

/// Field `name` of `value` as a number.
pub fn number(value: &Value, name: &str) -> Result<u128> {
	value.at(name).and_then(|v| v.as_u128()).ok_or_else(|| anyhow!("no number {name} in {value}"))
}

/// A key as users know it: a number, or an account in SS58.
pub fn show_key(key: &Value) -> String {
	match bytes(Some(key)) {
		Some(raw) if raw.len() == 32 => AccountId32(raw.try_into().expect("32 bytes; qed")).to_string(),
		_ => key.as_u128().map(|n| n.to_string()).unwrap_or_else(|| key.to_string()),
	}
}

/// Field `name` of a composite, printed.
pub fn field(value: &Value, name: &str) -> String {
	value.at(name).map(|v| v.as_u128().map(|n| n.to_string()).unwrap_or_else(|| v.to_string())).unwrap_or_default()
}

/// The numbers in a value that is a sequence of numbers (possibly wrapped, as a `BoundedVec`).
pub fn numbers(value: Option<&Value>) -> Vec<u128> {
	match value.map(|v| &v.value) {
		Some(ValueDef::Composite(composite)) => {
			let values: Vec<&Value> = composite.values().collect();
			match values.as_slice() {
				[single] if !matches!(single.value, ValueDef::Primitive(_)) => numbers(Some(single)),
				_ => values.iter().filter_map(|v| v.as_u128()).collect(),
			}
		},
		_ => Vec::new(),
	}
}

/// The name of an enum value's variant.
pub fn variant_name(value: Option<&Value>) -> String {
	match value.map(|v| &v.value) {
		Some(ValueDef::Variant(variant)) => variant.name.clone(),
		Some(_) | None => String::from("?"),
	}
}

/// An account value in SS58.
pub fn account(value: Option<&Value>) -> String {
	bytes(value)
		.and_then(|raw| <[u8; 32]>::try_from(raw).ok())
		.map(|raw| AccountId32(raw).to_string())
		.unwrap_or_else(|| String::from("?"))
}

/// The bytes of a value that is a sequence (or nested composite) of `u8`s.
pub fn bytes(value: Option<&Value>) -> Option<Vec<u8>> {
	match &value?.value {
		ValueDef::Composite(composite) => {
			let values: Vec<&Value> = composite.values().collect();
			if values.len() == 1 && !matches!(values[0].value, ValueDef::Primitive(_)) {
				return bytes(Some(values[0]));
			}
			values.into_iter().map(|v| v.as_u128().and_then(|n| u8::try_from(n).ok())).collect()
		},
		_ => None,
	}
}

/// The items of a sequence value, through the wrappers around it (a `BoundedVec` decodes as a
/// composite holding the inner `Vec`).
pub fn items(value: Option<&Value>) -> Vec<&Value> {
	let Some(ValueDef::Composite(Composite::Unnamed(values))) = value.map(|v| &v.value) else { return Vec::new() };
	match &values[..] {
		[inner] if matches!(inner.value, ValueDef::Composite(Composite::Unnamed(_))) => items(Some(inner)),
		_ => values.iter().collect(),
	}
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn the_items_of_a_bounded_vec_are_its_elements_however_many() {
		let assignment = |n: u8| Value::named_composite([("worker", Value::from_bytes([n; 32]))]);
		// A `BoundedVec` of assignments decodes as a composite around the `Vec`.
		let bounded = |list: Vec<Value>| Value::unnamed_composite([Value::unnamed_composite(list)]);
		let workers = |v: &Value| -> Vec<Vec<u8>> { items(Some(v)).into_iter().filter_map(|a| bytes(a.at("worker"))).collect() };
		assert_eq!(workers(&bounded(vec![assignment(1), assignment(2)])), vec![vec![1; 32], vec![2; 32]]);
		assert_eq!(workers(&bounded(vec![assignment(3)])), vec![vec![3; 32]]);
		assert_eq!(workers(&Value::unnamed_composite([assignment(4)])), vec![vec![4; 32]], "a plain Vec");
		assert!(items(Some(&bounded(vec![]))).is_empty());
		assert!(items(None).is_empty());
	}
}
