//! Enum arguments of calls (a model's `ModelKind`, a job's `Tier`) as users type them, resolved
//! against the runtime's metadata: `training-step` is the variant `TrainingStep`, `redundancy:3`
//! the variant `Redundancy` with its one field set to 3. A variant the runtime adds is accepted
//! with no change to the client; an unknown one is an error listing the runtime's variants.

use anyhow::{anyhow, bail, Context, Result};
use scale_info::{form::PortableForm, TypeDef, Variant};
use scale_value::Value;
use subxt::{OnlineClient, PolkadotConfig};

/// The call `pallet.call` in `metadata` (its arguments are the variant's fields).
pub fn call_variant<'m>(metadata: &'m subxt::metadata::Metadata, pallet: &str, call: &str) -> Result<&'m Variant<PortableForm>> {
	metadata
		.pallet_by_name(pallet)
		.and_then(|p| p.call_variant_by_name(call))
		.ok_or_else(|| anyhow!("the runtime has no call {pallet}.{call}"))
}

/// `TrainingStep` as `training-step`.
fn kebab(name: &str) -> String {
	let mut out = String::new();
	for (i, c) in name.chars().enumerate() {
		if c.is_uppercase() && i > 0 {
			out.push('-');
		}
		out.push(c.to_ascii_lowercase());
	}
	out
}

/// The variants of the enum at `path` inside `pallet.call`'s arguments: the argument named
/// `path[0]`, then fields by name.
async fn variants_at(
	api: &OnlineClient<PolkadotConfig>,
	pallet: &str,
	call: &str,
	path: &[&str],
) -> Result<Vec<Variant<PortableForm>>> {
	let at = api.at_current_block().await?;
	let metadata = at.metadata();
	let variant = call_variant(&metadata, pallet, call)?;
	let (first, rest) = path.split_first().context("an empty path")?;
	let mut ty = variant
		.fields
		.iter()
		.find(|f| f.name.as_deref() == Some(*first))
		.ok_or_else(|| anyhow!("{pallet}.{call} has no argument {first}"))?
		.ty
		.id;
	let types = metadata.types();
	for name in rest {
		let resolved = types.resolve(ty).ok_or_else(|| anyhow!("type {ty} is not in the metadata"))?;
		let TypeDef::Composite(composite) = &resolved.type_def else { bail!("{name}: not inside a struct") };
		ty = composite.fields.iter().find(|f| f.name.as_deref() == Some(*name)).ok_or_else(|| anyhow!("no field {name}"))?.ty.id;
	}
	match &types.resolve(ty).ok_or_else(|| anyhow!("type {ty} is not in the metadata"))?.type_def {
		TypeDef::Variant(variants) => Ok(variants.variants.clone()),
		_ => bail!("{pallet}.{call} {path:?} is not an enum"),
	}
}

/// `text` (`name` or `name:N`, the name in kebab case) as a value of the enum at `path` of
/// `pallet.call` (see [`variants_at`]); `flag` names the option in errors.
pub async fn parse(
	api: &OnlineClient<PolkadotConfig>,
	pallet: &str,
	call: &str,
	path: &[&str],
	flag: &str,
	text: &str,
) -> Result<Value> {
	let variants = variants_at(api, pallet, call, path).await?;
	let expected = || {
		variants
			.iter()
			.map(|v| if v.fields.is_empty() { kebab(&v.name) } else { format!("{}:N", kebab(&v.name)) })
			.collect::<Vec<_>>()
			.join(", ")
	};
	let (name, number) = match text.split_once(':') {
		Some((name, n)) => (name, Some(n.parse::<u128>().with_context(|| format!("{flag} {text}: {n} is not a number"))?)),
		None => (text, None),
	};
	let variant = variants
		.iter()
		.find(|v| kebab(&v.name) == name.to_ascii_lowercase() || v.name == name)
		.ok_or_else(|| anyhow!("{flag} {text}: the runtime has {}", expected()))?;
	match (&variant.fields[..], number) {
		([], None) => Ok(Value::unnamed_variant(variant.name.clone(), [])),
		([field], Some(n)) => Ok(match &field.name {
			Some(field_name) => Value::named_variant(variant.name.clone(), [(field_name.clone(), Value::u128(n))]),
			None => Value::unnamed_variant(variant.name.clone(), [Value::u128(n)]),
		}),
		_ => bail!("{flag} {text}: the runtime has {}", expected()),
	}
}
