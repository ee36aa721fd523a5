//! Discrete Gaussian noise, sampled exactly (Canonne, Kamath, Steinke, "The Discrete Gaussian
//! for Differential Privacy", NeurIPS 2020, Algorithms 1–3), with integer arithmetic only.
//!
//! `N_Z(0, σ²)` gives `x ∈ ℤ` probability proportional to `exp(−x²/(2σ²))`. Added to an integer
//! vector of L2 sensitivity `Δ` it is `Δ²/(2σ²)`-zero-concentrated DP, the same guarantee as the
//! continuous Gaussian (their Theorem 4), which the chain's accountant
//! (`aichain_compute::privacy`) composes over rounds. The member's values are truncated to
//! `−NOISE_BOUND..NOISE_BOUND` (resampled): at the σ used here the mass cut off is below
//! `exp(−(NOISE_BOUND/σ)²/2)` per coordinate, counted in δ (`docs/federated-learning.md`).

use super::NOISE_BOUND;
use rand::Rng;

/// `true` with probability `numerator / denominator`.
fn bernoulli(numerator: u128, denominator: u128, rng: &mut impl Rng) -> bool {
	rng.gen_range(0..denominator) < numerator
}

/// `true` with probability `exp(−γ)`, `γ = numerator / denominator ∈ [0, 1]` (Algorithm 1).
fn bernoulli_exp_small(numerator: u128, denominator: u128, rng: &mut impl Rng) -> bool {
	let mut k: u128 = 1;
	while bernoulli(numerator, denominator.saturating_mul(k), rng) {
		k += 1;
	}
	k % 2 == 1
}

/// `true` with probability `exp(−γ)`, `γ = numerator / denominator ≥ 0` (Algorithm 1).
fn bernoulli_exp(mut numerator: u128, denominator: u128, rng: &mut impl Rng) -> bool {
	while numerator > denominator {
		if !bernoulli_exp_small(1, 1, rng) {
			return false;
		}
		numerator -= denominator;
	}
	bernoulli_exp_small(numerator, denominator, rng)
}

/// A discrete Laplace sample of scale `t ≥ 1`: `P(x) ∝ exp(−|x|/t)` (Algorithm 2).
fn discrete_laplace(t: u128, rng: &mut impl Rng) -> i128 {
	loop {
		let u = rng.gen_range(0..t);
		if !bernoulli_exp(u, t, rng) {
			continue;
		}
		let mut v: u128 = 0;
		while bernoulli_exp(1, 1, rng) {
			v += 1;
		}
		let x = (u + t * v) as i128;
		let negative = bernoulli(1, 2, rng);
		if negative && x == 0 {
			continue;
		}
		return if negative { -x } else { x };
	}
}

/// A discrete Gaussian sample of variance parameter `σ² = sigma_squared ≥ 1` (Algorithm 3).
pub fn discrete_gaussian(sigma_squared: u64, rng: &mut impl Rng) -> i128 {
	let sigma_squared = sigma_squared.max(1) as u128;
	let t = sigma_squared.isqrt() + 1;
	loop {
		let y = discrete_laplace(t, rng);
		// Accept with probability exp(−(|y| − σ²/t)² / (2σ²)) = exp(−(|y|·t − σ²)² / (2σ²t²)).
		let distance = (y.unsigned_abs() * t).abs_diff(sigma_squared);
		if bernoulli_exp(distance * distance, 2 * sigma_squared * t * t, rng) {
			return y;
		}
	}
}

/// A member's noise for one round: a discrete Gaussian per coordinate, resampled until it lies
/// in `−NOISE_BOUND..NOISE_BOUND`.
pub fn member_noise<const N: usize>(sigma_squared: u64, rng: &mut impl Rng) -> [i32; N] {
	core::array::from_fn(|_| loop {
		let x = discrete_gaussian(sigma_squared, rng);
		if (-NOISE_BOUND..NOISE_BOUND).contains(&x) {
			break x as i32;
		}
	})
}

#[cfg(test)]
mod tests {
	use super::*;
	use rand::SeedableRng;

	#[test]
	fn samples_have_the_discrete_gaussians_mean_and_variance() {
		let mut rng = rand_chacha::ChaCha20Rng::seed_from_u64(7);
		for sigma_squared in [1u64, 40, 160_000] {
			let n = 20_000;
			let samples: Vec<f64> = (0..n).map(|_| discrete_gaussian(sigma_squared, &mut rng) as f64).collect();
			let mean = samples.iter().sum::<f64>() / n as f64;
			let variance = samples.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / n as f64;
			let sigma = (sigma_squared as f64).sqrt();
			// The standard error of the mean is σ/√n, of the variance about σ²·√(2/n).
			assert!(mean.abs() < 5.0 * sigma / (n as f64).sqrt(), "σ² {sigma_squared}: mean {mean}");
			// For σ² = 1 the discrete Gaussian's variance is slightly below σ² (0.99...).
			let relative = (variance / sigma_squared as f64 - 1.0).abs();
			assert!(relative < 0.05, "σ² {sigma_squared}: variance {variance}");
		}
	}

	#[test]
	fn member_noise_stays_within_the_bound() {
		let mut rng = rand_chacha::ChaCha20Rng::seed_from_u64(8);
		let noise: [i32; 1000] = member_noise(((NOISE_BOUND / 2) * (NOISE_BOUND / 2)) as u64, &mut rng);
		assert!(noise.iter().all(|x| (-NOISE_BOUND..NOISE_BOUND).contains(&(*x as i128))));
		assert!(noise.iter().any(|x| x.unsigned_abs() as i128 > NOISE_BOUND / 2), "σ = bound/2 reaches past σ");
	}
}
