//! A fixed-point feed-forward network of any shape, and the worst-case bounds that make it
//! provable.
//!
//! Inputs are `i32`s, each limited to its own number of signed bits (`input_bits`). Each layer computes, in exact integer
//! arithmetic, `a = W·x + b` and then `h = act(a) >> shift` (an arithmetic shift: a floor
//! division by `2^shift`), with `act` ReLU or the identity. The last layer's values are the
//! output, each an `i32`.
//!
//! [`FixedMlp::bounds`] propagates intervals through the layers for every possible input, so an
//! accepted network can never overflow: not the engine's `i128` arithmetic, not the field of the
//! circuit, not the `i32` outputs. The [`limits`] say how large a network may be.

use crate::{Error, Result};

/// How large a fixed-point network may be (checked when its file is read, so a provider never
/// loads a model it cannot prove, and before its owner registers it).
pub mod limits {
	/// Layers at most.
	pub const MAX_LAYERS: usize = 8;
	/// Inputs at most: 4 bytes each within a job's 1,024 input bytes.
	pub const MAX_INPUTS: usize = 256;
	/// Outputs at most: 4 bytes each within a job's 512 output bytes.
	pub const MAX_OUTPUTS: usize = 128;
	/// Units of any layer at most.
	pub const MAX_WIDTH: usize = 256;
	/// Constraints of the circuit at most: about 2 minutes of proving on 2 cores.
	pub const MAX_CONSTRAINTS: usize = 1 << 20;
	/// Every intermediate value stays below `2^MAX_VALUE_BITS` in magnitude, far inside `i128`
	/// and the BN254 scalar field (254 bits).
	pub const MAX_VALUE_BITS: u32 = 100;
	/// A layer's shift at most.
	pub const MAX_SHIFT: u32 = 64;
}

/// What a layer applies to its accumulators before the shift.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Activation {
	/// `max(a, 0)`.
	Relu,
	/// `a`.
	Identity,
}

impl Activation {
	/// The name in a model file: `relu` or `none`.
	pub fn name(self) -> &'static str {
		match self {
			Self::Relu => "relu",
			Self::Identity => "none",
		}
	}

	/// The activation named `name` in a model file.
	pub fn from_name(name: &str) -> Result<Self> {
		match name {
			"relu" => Ok(Self::Relu),
			"none" => Ok(Self::Identity),
			other => Err(Error::Malformed { what: "fixed-point MLP", detail: format!("activation {other:?}: relu or none") }),
		}
	}
}

/// One layer: `outputs × inputs` weights, row-major (`[out][in]`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Layer {
	/// Inputs of the layer.
	pub inputs: usize,
	/// Units (outputs) of the layer.
	pub outputs: usize,
	/// `outputs × inputs` weights.
	pub weights: Vec<i32>,
	/// `outputs` biases, at the scale of the accumulators.
	pub biases: Vec<i32>,
	/// Bits dropped after the activation.
	pub shift: u32,
	/// ReLU or none.
	pub activation: Activation,
}

impl Layer {
	/// Row `unit` of the weights.
	pub fn row(&self, unit: usize) -> &[i32] {
		&self.weights[unit * self.inputs..(unit + 1) * self.inputs]
	}

	/// Whether the circuit decomposes this layer's accumulators into bits (for a ReLU's sign or a
	/// shift's floor); an identity layer without shift is a linear combination only.
	pub fn decomposes(&self) -> bool {
		self.activation == Activation::Relu || self.shift > 0
	}

	/// `act(a) >> shift`.
	pub fn apply(&self, accumulator: i128) -> i128 {
		let activated = match self.activation {
			Activation::Relu => accumulator.max(0),
			Activation::Identity => accumulator,
		};
		activated >> self.shift
	}
}

/// The network.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FixedMlp {
	/// Signed bits of each input: `-2^(bits−1) ≤ x < 2^(bits−1)`.
	pub input_bits: Vec<u32>,
	/// The layers, first to last.
	pub layers: Vec<Layer>,
}

/// The worst-case range of one layer's accumulators, over every input.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LayerBounds {
	/// Per unit, `B` with `|a| < 2^B` (at least the layer's shift): the circuit decomposes
	/// `a + 2^B` into `B + 1` bits.
	pub accumulator_bits: Vec<u32>,
	/// Per unit, the smallest and largest value after activation and shift.
	pub outputs: Vec<(i128, i128)>,
}

/// Bits needed so that every value of magnitude at most `bound` is below `2^bits`.
fn bits_for(bound: u128) -> u32 {
	128 - bound.leading_zeros()
}

fn out_of_range(detail: String) -> Error {
	Error::OutOfRange(detail)
}

impl FixedMlp {
	/// Inputs of the network.
	pub fn inputs(&self) -> usize {
		self.layers.first().map_or(0, |l| l.inputs)
	}

	/// Outputs of the network.
	pub fn outputs(&self) -> usize {
		self.layers.last().map_or(0, |l| l.outputs)
	}

	/// Checks shapes and [`limits`], and bounds every intermediate value over all inputs; an
	/// error names what is too large.
	pub fn bounds(&self) -> Result<Vec<LayerBounds>> {
		use limits::*;
		let malformed = |detail: String| Error::Malformed { what: "fixed-point MLP", detail };
		if self.layers.is_empty() || self.layers.len() > MAX_LAYERS {
			return Err(malformed(format!("{} layers: 1 to {MAX_LAYERS}", self.layers.len())));
		}
		if self.input_bits.len() != self.inputs() || self.input_bits.iter().any(|b| !(2..=32).contains(b)) {
			return Err(malformed(format!("input_bits {:?}: 2 to 32 for each of the {} inputs", self.input_bits, self.inputs())));
		}
		if self.inputs() > MAX_INPUTS || self.outputs() > MAX_OUTPUTS {
			return Err(malformed(format!(
				"{} inputs and {} outputs: at most {MAX_INPUTS} and {MAX_OUTPUTS}",
				self.inputs(),
				self.outputs()
			)));
		}
		let mut ranges: Vec<(i128, i128)> =
			self.input_bits.iter().map(|b| (-(1i128 << (b - 1)), (1i128 << (b - 1)) - 1)).collect();
		let mut all = Vec::with_capacity(self.layers.len());
		for (index, layer) in self.layers.iter().enumerate() {
			if layer.inputs == 0 || layer.outputs == 0 || layer.inputs > MAX_WIDTH || layer.outputs > MAX_WIDTH {
				return Err(malformed(format!("layer {index} is {}×{}: 1 to {MAX_WIDTH} each", layer.outputs, layer.inputs)));
			}
			if layer.inputs != ranges.len() {
				return Err(malformed(format!("layer {index} takes {} inputs, the layer before gives {}", layer.inputs, ranges.len())));
			}
			if layer.weights.len() != layer.inputs * layer.outputs || layer.biases.len() != layer.outputs {
				return Err(malformed(format!("layer {index}: {} weights and {} biases for {}×{}", layer.weights.len(), layer.biases.len(), layer.outputs, layer.inputs)));
			}
			if layer.shift > MAX_SHIFT {
				return Err(malformed(format!("layer {index}: shift {} above {MAX_SHIFT}", layer.shift)));
			}
			let mut bounds = LayerBounds { accumulator_bits: Vec::new(), outputs: Vec::new() };
			for unit in 0..layer.outputs {
				let interval = || -> Option<(i128, i128)> {
					let (mut low, mut high) = (layer.biases[unit] as i128, layer.biases[unit] as i128);
					for (w, (lo, hi)) in layer.row(unit).iter().zip(&ranges) {
						let (a, b) = ((*w as i128).checked_mul(*lo)?, (*w as i128).checked_mul(*hi)?);
						low = low.checked_add(a.min(b))?;
						high = high.checked_add(a.max(b))?;
					}
					Some((low, high))
				};
				let (low, high) = interval().unwrap_or((i128::MIN, i128::MAX));
				let magnitude = low.unsigned_abs().max(high.unsigned_abs());
				if magnitude >> MAX_VALUE_BITS != 0 {
					return Err(out_of_range(format!(
						"layer {index} unit {unit}: accumulators up to 2^{} for some input, above 2^{MAX_VALUE_BITS}",
						bits_for(magnitude)
					)));
				}
				bounds.accumulator_bits.push(bits_for(magnitude).max(layer.shift));
				bounds.outputs.push((layer.apply(low), layer.apply(high)));
			}
			ranges = bounds.outputs.clone();
			all.push(bounds);
		}
		if let Some(unit) = ranges.iter().position(|(lo, hi)| *lo < i32::MIN as i128 || *hi > i32::MAX as i128) {
			return Err(out_of_range(format!(
				"output {unit} may reach {:?} for some input, outside i32: fewer input bits or a larger last shift",
				ranges[unit]
			)));
		}
		let constraints = self.constraints(&all);
		if constraints > MAX_CONSTRAINTS {
			return Err(out_of_range(format!("{constraints} constraints, above {MAX_CONSTRAINTS}")));
		}
		Ok(all)
	}

	/// The number of constraints of the network's circuit (given its [`FixedMlp::bounds`]):
	///
	/// - the lengths word, and per input scalar and output scalar one packing equality;
	/// - per input 32 bits and `32 − bits` sign-extension equalities;
	/// - per unit of a layer that decomposes: `B + 1` bits and their recomposition, and one
	///   multiplication for a ReLU;
	/// - per output 32 bits and their recomposition.
	pub fn constraints(&self, bounds: &[LayerBounds]) -> usize {
		let scalars = |bytes: usize| bytes.div_ceil(aichain_compute::BYTES_PER_SCALAR);
		let statement = 1 + scalars(4 * self.inputs()) + scalars(4 * self.outputs());
		let inputs: usize = self.input_bits.iter().map(|b| 64 - *b as usize).sum();
		let layers: usize = self
			.layers
			.iter()
			.zip(bounds)
			.filter(|(layer, _)| layer.decomposes())
			.map(|(layer, bounds)| {
				let relu = usize::from(layer.activation == Activation::Relu);
				bounds.accumulator_bits.iter().map(|b| *b as usize + 2 + relu).sum::<usize>()
			})
			.sum();
		statement + inputs + layers + 33 * self.outputs()
	}

	/// Checks that every input is within its bits.
	pub fn check_inputs(&self, inputs: &[i32]) -> Result<()> {
		if inputs.len() != self.inputs() {
			return Err(Error::InputLength { expected: 4 * self.inputs(), got: 4 * inputs.len() });
		}
		let outside = |(x, bits): (&i32, &u32)| {
			let half = 1i64 << (bits - 1);
			(*x as i64) < -half || (*x as i64) >= half
		};
		match inputs.iter().zip(&self.input_bits).position(outside) {
			Some(i) => Err(Error::InvalidInput(format!(
				"input {i} = {} is outside its {} signed bits",
				inputs[i], self.input_bits[i]
			))),
			None => Ok(()),
		}
	}

	/// Every layer's accumulators and outputs for `inputs` (checked): what the circuit's
	/// witnesses are.
	pub fn trace(&self, inputs: &[i32]) -> Result<Vec<(Vec<i128>, Vec<i128>)>> {
		self.check_inputs(inputs)?;
		let mut values: Vec<i128> = inputs.iter().map(|x| *x as i128).collect();
		let mut trace = Vec::with_capacity(self.layers.len());
		for layer in &self.layers {
			let accumulators: Vec<i128> = (0..layer.outputs)
				.map(|unit| {
					layer.row(unit).iter().zip(&values).map(|(w, x)| *w as i128 * x).sum::<i128>() +
						layer.biases[unit] as i128
				})
				.collect();
			values = accumulators.iter().map(|a| layer.apply(*a)).collect();
			trace.push((accumulators, values.clone()));
		}
		Ok(trace)
	}

	/// The outputs for `inputs`: exactly what the circuit proves.
	pub fn forward(&self, inputs: &[i32]) -> Result<Vec<i32>> {
		let trace = self.trace(inputs)?;
		let last = trace.last().map(|(_, outputs)| outputs.as_slice()).unwrap_or_default();
		// `bounds` keeps every output of every input inside i32.
		last.iter()
			.map(|v| i32::try_from(*v).map_err(|_| out_of_range(format!("output {v} outside i32"))))
			.collect()
	}
}
