//! The model file of a fixed-point MLP: safetensors, deterministic (same model, same bytes), so
//! its SHA-256 is the model's `weights_sha256` on chain.
//!
//! - tensors `layer.<i>.weight` (`I32`, `[outputs, inputs]`) and `layer.<i>.bias` (`I32`,
//!   `[outputs]`) for `i = 0..layers`;
//! - metadata `aichain` = [`FORMAT`], `input_bits` (comma-separated, one per input), `layers`, `layer.<i>.shift`,
//!   `layer.<i>.activation` (`relu` or `none`); and, for people and clients only (the engine
//!   ignores them), `input_frac` and `output_frac` (the fixed-point scales of inputs and
//!   outputs), `features` and `outputs_names` (comma-separated), `name`, `description`.

use super::network::{Activation, FixedMlp, Layer};
use crate::{models::FORMAT_KEY, Error, Result};
use safetensors::{tensor::TensorView, Dtype, SafeTensors};
use std::collections::HashMap;

/// The format tag of the file.
pub const FORMAT: &str = "fixed-mlp-v1";

/// A fixed-point MLP with the descriptive metadata of its file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ModelFile {
	/// The network.
	pub network: FixedMlp,
	/// Descriptive entries (`input_frac`, `output_frac`, `features`, ...): not used to compute.
	pub info: HashMap<String, String>,
}

fn malformed(detail: String) -> Error {
	Error::Malformed { what: "fixed-point MLP file", detail }
}

/// The keys of the metadata the format itself uses (descriptive entries may not reuse them).
fn is_structural(key: &str) -> bool {
	key == FORMAT_KEY || key == "input_bits" || key == "layers" || key.starts_with("layer.")
}

impl ModelFile {
	/// The safetensors bytes; an error if the network is not within its limits.
	pub fn to_bytes(&self) -> Result<Vec<u8>> {
		self.network.bounds()?;
		let bytes = |v: &[i32]| v.iter().flat_map(|x| x.to_le_bytes()).collect::<Vec<u8>>();
		let mut data = Vec::new();
		let mut metadata: HashMap<String, String> =
			self.info.iter().filter(|(k, _)| !is_structural(k)).map(|(k, v)| (k.clone(), v.clone())).collect();
		metadata.insert(FORMAT_KEY.into(), FORMAT.into());
		let bits: Vec<String> = self.network.input_bits.iter().map(u32::to_string).collect();
		metadata.insert("input_bits".into(), bits.join(","));
		metadata.insert("layers".into(), self.network.layers.len().to_string());
		for (i, layer) in self.network.layers.iter().enumerate() {
			data.push((format!("layer.{i}.weight"), bytes(&layer.weights), vec![layer.outputs, layer.inputs]));
			data.push((format!("layer.{i}.bias"), bytes(&layer.biases), vec![layer.outputs]));
			metadata.insert(format!("layer.{i}.shift"), layer.shift.to_string());
			metadata.insert(format!("layer.{i}.activation"), layer.activation.name().into());
		}
		let views = data
			.iter()
			.map(|(name, bytes, shape)| TensorView::new(Dtype::I32, shape.clone(), bytes).map(|v| (name.clone(), v)))
			.collect::<Result<Vec<_>, _>>()
			.map_err(|e| malformed(e.to_string()))?;
		crate::models::serialize_safetensors(views, metadata)
	}

	/// Reads a model file, checking its format, shapes and limits.
	pub fn from_bytes(bytes: &[u8]) -> Result<Self> {
		let (_, header) = SafeTensors::read_metadata(bytes).map_err(|e| malformed(e.to_string()))?;
		let metadata = header.metadata().clone().unwrap_or_default();
		if metadata.get(FORMAT_KEY).map(String::as_str) != Some(FORMAT) {
			return Err(malformed(format!("format {:?}, expected {FORMAT}", metadata.get(FORMAT_KEY))));
		}
		let number = |key: &str| -> Result<u32> {
			metadata
				.get(key)
				.and_then(|v| v.parse().ok())
				.ok_or_else(|| malformed(format!("metadata {key} is missing or not a number")))
		};
		let layers = number("layers")? as usize;
		if layers > super::network::limits::MAX_LAYERS {
			return Err(malformed(format!("{layers} layers")));
		}
		let tensors = SafeTensors::deserialize(bytes).map_err(|e| malformed(e.to_string()))?;
		let read = |name: &str| -> Result<(Vec<i32>, Vec<usize>)> {
			let view = tensors.tensor(name).map_err(|e| malformed(format!("{name}: {e}")))?;
			if view.dtype() != Dtype::I32 {
				return Err(malformed(format!("{name} is {:?}, expected I32", view.dtype())));
			}
			let values = view.data().chunks_exact(4).map(|c| i32::from_le_bytes([c[0], c[1], c[2], c[3]])).collect();
			Ok((values, view.shape().to_vec()))
		};
		let input_bits = metadata
			.get("input_bits")
			.map(|v| v.split(',').map(|b| b.trim().parse::<u32>()).collect::<Result<Vec<_>, _>>())
			.and_then(|r| r.ok())
			.ok_or_else(|| malformed("metadata input_bits is missing or not comma-separated numbers".into()))?;
		let mut network = FixedMlp { input_bits, layers: Vec::with_capacity(layers) };
		for i in 0..layers {
			let (weights, shape) = read(&format!("layer.{i}.weight"))?;
			let (biases, bias_shape) = read(&format!("layer.{i}.bias"))?;
			let [outputs, inputs] = shape[..] else {
				return Err(malformed(format!("layer.{i}.weight has shape {shape:?}, expected [outputs, inputs]")));
			};
			if bias_shape != [outputs] {
				return Err(malformed(format!("layer.{i}.bias has shape {bias_shape:?}, expected [{outputs}]")));
			}
			let activation = metadata.get(&format!("layer.{i}.activation")).map(String::as_str).unwrap_or("");
			network.layers.push(Layer {
				inputs,
				outputs,
				weights,
				biases,
				shift: number(&format!("layer.{i}.shift"))?,
				activation: Activation::from_name(activation)?,
			});
		}
		if tensors.len() != 2 * layers {
			return Err(malformed(format!("{} tensors for {layers} layers", tensors.len())));
		}
		network.bounds()?;
		let info = metadata.into_iter().filter(|(k, _)| !is_structural(k)).collect();
		Ok(Self { network, info })
	}

	/// A descriptive metadata entry parsed as a number (`input_frac`, `output_frac`), if present.
	pub fn info_number(&self, key: &str) -> Option<i32> {
		self.info.get(key).and_then(|v| v.parse().ok())
	}
}
