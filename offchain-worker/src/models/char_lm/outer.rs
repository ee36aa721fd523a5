//! DiLoCo's outer step: how a round's changes ([`super::change`]) become the next parameters
//! (Nesterov momentum on their mean, after screening out changes far larger than the round's
//! others). Plain sequential `f32` arithmetic: the same bytes on every machine.
//!
//! Following DiLoCo (arXiv 2311.08105) and OpenDiLoCo: the outer gradient is the global
//! parameters minus the mean of the shards' local parameters, that is minus the mean change;
//! the outer optimizer is SGD with Nesterov momentum (learning rate 0.7, momentum 0.9).

use super::layout::CharLmConfig;
use crate::Result;

/// The outer optimizer's settings.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct OuterOptimizer {
	/// Outer learning rate (DiLoCo: 0.7).
	pub learning_rate: f32,
	/// Nesterov momentum (DiLoCo: 0.9).
	pub momentum: f32,
	/// A change whose L2 norm is more than this many times the round's median norm is left out.
	/// Honest shards of one round move by nearly the same norm (within 0.2 % in the tests);
	/// a change blown up and saturated at ±127 steps has ~3× an honest one's (the test
	/// suite's recipe), so 2 catches it.
	pub outlier_factor: f32,
}

impl Default for OuterOptimizer {
	fn default() -> Self {
		Self { learning_rate: 0.7, momentum: 0.9, outlier_factor: 2.0 }
	}
}

/// What an outer step did.
#[derive(Clone, Debug, PartialEq)]
pub struct OuterStep {
	/// The next parameters.
	pub parameters: Vec<f32>,
	/// The indices of the changes that were left out as outliers.
	pub rejected: Vec<usize>,
}

fn norm(values: &[f32]) -> f32 {
	values.iter().map(|v| v * v).sum::<f32>().sqrt()
}

/// The indices of `changes` whose norm exceeds `factor` times the median norm (the lower median
/// for an even count, so that half of the changes cannot hide a scaled one).
pub fn outliers(changes: &[Vec<f32>], factor: f32) -> Vec<usize> {
	let norms: Vec<f32> = changes.iter().map(|c| norm(c)).collect();
	let mut sorted = norms.clone();
	sorted.sort_by(f32::total_cmp);
	let Some(&median) = sorted.get(sorted.len().saturating_sub(1) / 2) else { return Vec::new() };
	norms.iter().enumerate().filter(|(_, n)| !n.is_finite() || **n > factor * median).map(|(i, _)| i).collect()
}

/// One outer step from `global` with the round's `changes`: outliers are left out, the outer
/// gradient is minus the mean of the others, `momentum` (the optimizer's state, zeros at first)
/// is updated in place, and the parameters move by Nesterov's step. With no change left the
/// parameters stay.
pub fn outer_step(
	config: &CharLmConfig,
	global: &[f32],
	momentum: &mut [f32],
	changes: &[Vec<f32>],
	optimizer: &OuterOptimizer,
) -> Result<OuterStep> {
	config.check_length("global parameters", global.len())?;
	config.check_length("outer momentum", momentum.len())?;
	for change in changes {
		config.check_length("parameter change", change.len())?;
	}
	let rejected = outliers(changes, optimizer.outlier_factor);
	let kept: Vec<&Vec<f32>> = changes.iter().enumerate().filter(|(i, _)| !rejected.contains(i)).map(|(_, c)| c).collect();
	if kept.is_empty() {
		return Ok(OuterStep { parameters: global.to_vec(), rejected });
	}
	let count = kept.len() as f32;
	let parameters = (0..global.len())
		.map(|i| {
			let gradient = -kept.iter().map(|c| c[i]).sum::<f32>() / count;
			momentum[i] = optimizer.momentum * momentum[i] + gradient;
			global[i] - optimizer.learning_rate * (gradient + optimizer.momentum * momentum[i])
		})
		.collect();
	Ok(OuterStep { parameters, rejected })
}
