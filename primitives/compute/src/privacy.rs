//! # Privacy accounting of the Gaussian mechanism, in integers
//!
//! A job that releases, each round, an integer vector plus discrete Gaussian noise `N_Z(0, σ²)`
//! on every coordinate, where one person's data moves the vector by at most `Δ` in L2 norm, is
//! `ρ`-zCDP with `ρ = Δ²/(2σ²)` (Canonne, Kamath, Steinke 2020, "The Discrete Gaussian for
//! Differential Privacy", Thm. 4): Rényi-DP of every order `α > 1` with `ε(α) = α·Δ²/(2σ²)`.
//! `T` rounds compose additively: `r(α) = T·α·Δ²/(2σ²)`.
//!
//! The chain turns that into an `(ε, δ)` guarantee exactly as Google's `dp-accounting`
//! (`RdpAccountant` fed `SelfComposedDpEvent(GaussianDpEvent(σ/Δ), T)`, then
//! `rdp_privacy_accountant.compute_epsilon`, version 0.6.0) does, with the improved conversion of
//! Canonne, Kamath, Steinke (arXiv 2004.00010, Prop. 12; also Asoodeh et al., arXiv 2001.05990):
//!
//! ```text
//! ε(α) = r(α) + ln(1 − 1/α) − ln(δ·α)/(α − 1)           for each order α in ORDERS,
//! ε(α) = 0   if δ² + expm1(−r(α)) > 0                   (then KL(P‖Q) ≤ r bounds δ directly),
//! ε    = max(0, min over α of ε(α)).
//! ```
//!
//! Everything is integer arithmetic, so every node computes the same value: `r(α)` is an exact
//! rational rounded up, and logarithms are `i128` fixed point with 64 fractional bits ([`ln_q64`]:
//! range reduction by powers of two, then the `atanh` series; within 2⁻⁵⁸ ≈ 3.5·10⁻¹⁸). The few
//! logarithms and divisions in one `ε(α)` are off by well under 2⁻⁵⁰ in all; the result gets 2⁻⁵⁰
//! added before it is rounded **up** to micro-units, so the chain never under-counts.
//!
//! The orders are [`ORDERS_QUARTERS`] (`α = k/4`, so `α` and `α − 1` are exact rationals):
//! 1.25 to 4.5 in steps of ¼ or ½, every integer 5..=64, then 72, 80, 96, 112, 128, 160, 192, 256,
//! 320, 384, 512, 768, 1024. The best order for `ε` from about 0.1 (`α` in the hundreds) to a few
//! hundred (`α` near 1.25) is on the list or close to one on it.
//!
//! `primitives/compute/tests/privacy_reference.py` computes reference values with dp-accounting
//! and the same orders; `tests/privacy.rs` checks this module against them.

use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use scale_info::TypeInfo;

/// Number of RDP orders in [`ORDERS_QUARTERS`].
pub const ORDER_COUNT: usize = 84;

/// The RDP orders `α`, in quarters (`α = k/4`), increasing. All are above 1.01, the smallest
/// order dp-accounting's conversion uses.
pub const ORDERS_QUARTERS: [u16; ORDER_COUNT] = [
	5, 6, 7, 8, 9, 10, 11, 12, 14, 16, 18, // 1.25, 1.5, …, 3, 3.5, 4, 4.5
	20, 24, 28, 32, 36, 40, 44, 48, 52, 56, 60, 64, 68, 72, 76, 80, 84, 88, 92, 96, // 5..=24
	100, 104, 108, 112, 116, 120, 124, 128, 132, 136, 140, 144, 148, 152, 156, 160, // 25..=40
	164, 168, 172, 176, 180, 184, 188, 192, 196, 200, 204, 208, 212, 216, 220, 224, // 41..=56
	228, 232, 236, 240, 244, 248, 252, 256, // 57..=64
	288, 320, 384, 448, 512, 640, 768, 1024, 1280, 1536, 2048, 3072, 4096, // 72, …, 1024
];

/// `δ = parts / 10¹⁸`; valid when `1 ≤ parts < 10¹⁸`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Encode, Decode, DecodeWithMemTracking, TypeInfo, MaxEncodedLen)]
pub struct DeltaPerQuintillion(pub u64);

/// `10¹⁸`: the denominator of [`DeltaPerQuintillion`].
pub const QUINTILLION: u64 = 1_000_000_000_000_000_000;

/// The most rounds [`GaussianRounds::max_rounds`] returns.
pub const MAX_ROUNDS: u32 = 1_000_000;

/// Why no `ε` can be computed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Encode, Decode, DecodeWithMemTracking, TypeInfo, MaxEncodedLen)]
pub enum PrivacyError {
	/// `σ² = 0`: without noise there is no privacy.
	ZeroNoise,
	/// `δ` is not in `[10⁻¹⁸, 1)`.
	DeltaOutOfRange,
	/// `ε` does not fit in a `u64` of micro-units (it is above about 1.8·10¹³).
	Overflow,
}

/// A mechanism of `T` rounds, each adding discrete Gaussian noise of variance `sigma_sq` to an
/// integer vector of L2 sensitivity `√sensitivity_sq` (both squares in the vector's units).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Encode, Decode, DecodeWithMemTracking, TypeInfo, MaxEncodedLen)]
pub struct GaussianRounds {
	/// `Δ²`: the squared L2 sensitivity of one round's vector.
	pub sensitivity_sq: u128,
	/// `σ²`: the variance of the noise on each coordinate.
	pub sigma_sq: u128,
}

impl GaussianRounds {
	/// `ε` of `rounds` rounds at `delta`, in millionths, rounded up; `0` when no round runs or
	/// `Δ = 0`. Errors: [`PrivacyError::ZeroNoise`] for `σ² = 0`, [`PrivacyError::DeltaOutOfRange`],
	/// and [`PrivacyError::Overflow`] when `ε` does not fit.
	pub fn epsilon_micro(&self, rounds: u32, delta: DeltaPerQuintillion) -> Result<u64, PrivacyError> {
		Conversion::new(self, delta)?.epsilon_micro(rounds)
	}

	/// The largest `T ≤ MAX_ROUNDS` with `epsilon_micro(T, delta) ≤ budget_epsilon_micro` (`0`
	/// when even one round is over the budget). `ε` grows with `T`, so this is a binary search.
	pub fn max_rounds(&self, delta: DeltaPerQuintillion, budget_epsilon_micro: u64) -> Result<u32, PrivacyError> {
		let conversion = Conversion::new(self, delta)?;
		let fits = |t: u32| conversion.epsilon_micro(t).is_ok_and(|eps| eps <= budget_epsilon_micro);
		if fits(MAX_ROUNDS) {
			return Ok(MAX_ROUNDS);
		}
		// `fits(low)` and `!fits(high)` throughout (`ε(0) = 0`).
		let (mut low, mut high) = (0u32, MAX_ROUNDS);
		while high - low > 1 {
			let mid = low + (high - low) / 2;
			if fits(mid) {
				low = mid;
			} else {
				high = mid;
			}
		}
		Ok(low)
	}
}

/// `1.0` in Q64 (64 fractional bits).
const ONE: u128 = 1 << 64;
/// `ln 2 · 2¹²⁰`, rounded to nearest.
const LN2_Q120: u128 = 921_350_637_599_661_305_226_344_307_672_478_455;
/// `√2 · 2⁶⁴`, rounded down.
const SQRT2_Q64: u128 = 26_087_635_650_665_564_424;
/// What is added to `ε` (Q64) before rounding up: 2⁻⁵⁰, above the error of the fixed point.
const EPS_MARGIN: i128 = 1 << 14;
/// What is taken off the KL threshold (Q64) before comparing: 2⁻⁵⁰.
const KL_MARGIN: u128 = 1 << 14;
/// `10³⁶ = (10¹⁸)²`, the denominator of `δ²`.
const QUINTILLION_SQ: u128 = (QUINTILLION as u128) * (QUINTILLION as u128);

/// `ln n` in Q64 (an `i128` with 64 fractional bits); `None` for `n = 0`. Within 2⁻⁵⁸ of the
/// exact value for every `n` (the truncations of about a dozen series terms, and `ln 2` times the
/// exponent taken from a 120-bit constant).
///
/// `n = 2ᵉ·x` with `x` in `[1/√2, √2]`, and `ln x = 2·atanh(z) = 2·(z + z³/3 + z⁵/5 + …)` for
/// `z = (x − 1)/(x + 1)`, `|z| ≤ 0.1716`, summed until a term is zero.
pub const fn ln_q64(n: u128) -> Option<i128> {
	if n == 0 {
		return None;
	}
	let mut e = 127 - n.leading_zeros();
	// n / 2^e in Q64: in [1, 2).
	let m = if e >= 64 { n >> (e - 64) } else { n << (64 - e) };
	// x = m / unit, in [1/√2, √2].
	let unit = if m > SQRT2_Q64 {
		e += 1;
		ONE << 1
	} else {
		ONE
	};
	let negative = m < unit;
	let num = if negative { unit - m } else { m - unit };
	let z = (num << 64) / (m + unit);
	let z2 = (z * z) >> 64;
	let (mut term, mut sum, mut divisor) = (z, 0u128, 1u128);
	while term != 0 {
		sum += term / divisor;
		term = (term * z2) >> 64;
		divisor += 2;
	}
	let ln_x = 2 * sum as i128;
	let ln_2e = ((e as u128 * LN2_Q120 + (1 << 55)) >> 56) as i128;
	Some(if negative { ln_2e - ln_x } else { ln_2e + ln_x })
}

/// `⌊a·b/c⌋` (`⌈a·b/c⌉` when `up`) with a 256-bit product; `None` if `c = 0` or the result
/// does not fit in a `u128`.
const fn mul_div(a: u128, b: u128, c: u128, up: bool) -> Option<u128> {
	if c == 0 {
		return None;
	}
	const LOW: u128 = u64::MAX as u128;
	let (a1, a0, b1, b0) = (a >> 64, a & LOW, b >> 64, b & LOW);
	let (p00, p01, p10, p11) = (a0 * b0, a0 * b1, a1 * b0, a1 * b1);
	let mid = (p00 >> 64) + (p01 & LOW) + (p10 & LOW);
	let lo = (p00 & LOW) | (mid << 64);
	let hi = p11 + (p01 >> 64) + (p10 >> 64) + (mid >> 64);
	let (quotient, remainder) = if hi == 0 {
		(lo / c, lo % c)
	} else if hi >= c {
		return None;
	} else {
		// Long division of hi·2^128 + lo, one bit of lo at a time; rem < c throughout.
		let (mut rem, mut q, mut bit) = (hi, 0u128, 128);
		while bit > 0 {
			bit -= 1;
			let carry = rem >> 127;
			rem = (rem << 1) | ((lo >> bit) & 1);
			q <<= 1;
			if carry == 1 || rem >= c {
				rem = rem.wrapping_sub(c);
				q |= 1;
			}
		}
		(q, rem)
	};
	if up && remainder != 0 {
		quotient.checked_add(1)
	} else {
		Some(quotient)
	}
}

/// `ln(1 − 1/α) − ln(α)/(α − 1)` (Q64) for every order: what does not depend on `δ` or `ρ`.
const ORDER_OFFSETS: [i128; ORDER_COUNT] = order_offsets();

const fn ln_const(n: u128) -> i128 {
	match ln_q64(n) {
		Some(ln) => ln,
		None => 0, // never: the orders are at least 5 quarters
	}
}

const fn order_offsets() -> [i128; ORDER_COUNT] {
	let mut offsets = [0i128; ORDER_COUNT];
	let mut i = 0;
	while i < ORDER_COUNT {
		// α = k/4: 1 − 1/α = (k − 4)/k, α − 1 = (k − 4)/4.
		let k = ORDERS_QUARTERS[i] as u128;
		let ln_alpha = ln_const(k) - ln_const(4);
		offsets[i] = ln_const(k - 4) - ln_const(k) - 4 * ln_alpha / (k as i128 - 4);
		i += 1;
	}
	offsets
}

/// The `δ`-dependent half of the conversion, computed once for many `T`.
struct Conversion {
	sensitivity_sq: u128,
	sigma_sq: u128,
	/// `ln(1 − 1/α) − ln(δ·α)/(α − 1)` per order (Q64).
	offsets: [i128; ORDER_COUNT],
	/// `δ²·10³⁶`.
	delta_sq: u128,
	/// `⌈10³⁶·Δ²/σ²⌉` (`2ρ·10³⁶`), `None` if above `u128::MAX` (then `ρ > 170`, far above the
	/// KL threshold `−ln(1 − δ²) < 42`).
	rho_scaled: Option<u128>,
	/// A lower bound of `−ln(1 − δ²)/δ²` (Q64): `ε = 0` when `r/δ²` is below it.
	kl_ratio: u128,
}

impl Conversion {
	fn new(mechanism: &GaussianRounds, delta: DeltaPerQuintillion) -> Result<Self, PrivacyError> {
		if mechanism.sigma_sq == 0 {
			return Err(PrivacyError::ZeroNoise);
		}
		if delta.0 == 0 || delta.0 >= QUINTILLION {
			return Err(PrivacyError::DeltaOutOfRange);
		}
		let ln = |n: u128| ln_q64(n).ok_or(PrivacyError::DeltaOutOfRange);
		let ln_delta = ln(delta.0 as u128)? - ln(QUINTILLION as u128)?;
		let mut offsets = ORDER_OFFSETS;
		for (offset, k) in offsets.iter_mut().zip(ORDERS_QUARTERS) {
			*offset -= 4 * ln_delta / (k as i128 - 4);
		}
		// x = δ² < 1. −ln(1 − x)/x: for x ≤ ½ by the series 2/(2 − x)·atanh(w)/w with
		// w = x/(2 − x) ≤ ⅓ (full relative precision for tiny δ); above ½ from ln_q64.
		let delta_sq = delta.0 as u128 * delta.0 as u128;
		let ratio = if 2 * delta_sq <= QUINTILLION_SQ {
			let two_minus_x = 2 * QUINTILLION_SQ - delta_sq;
			let scale = mul_div(2 * QUINTILLION_SQ, ONE, two_minus_x, false);
			let w = mul_div(delta_sq, ONE, two_minus_x, false);
			let (Some(scale), Some(w)) = (scale, w) else { return Err(PrivacyError::Overflow) };
			let w2 = (w * w) >> 64;
			let (mut series, mut term, mut divisor) = (ONE, ONE, 3u128);
			loop {
				term = (term * w2) >> 64;
				if term == 0 {
					break;
				}
				series += term / divisor;
				divisor += 2;
			}
			mul_div(scale, series, ONE, false)
		} else {
			let minus_ln = ln(QUINTILLION_SQ)? - ln(QUINTILLION_SQ - delta_sq)?;
			mul_div(minus_ln as u128, QUINTILLION_SQ, delta_sq, false)
		};
		let kl_ratio = ratio.ok_or(PrivacyError::Overflow)?.saturating_sub(KL_MARGIN);
		let rho_scaled = mul_div(mechanism.sensitivity_sq, QUINTILLION_SQ, mechanism.sigma_sq, true);
		Ok(Self {
			sensitivity_sq: mechanism.sensitivity_sq,
			sigma_sq: mechanism.sigma_sq,
			offsets,
			delta_sq,
			rho_scaled,
			kl_ratio,
		})
	}

	/// `r(α)·2⁶⁴ = T·k·Δ²·2⁶¹/σ²` rounded up, for `α = k/4`; `None` if above `i128::MAX / 2`.
	fn rdp(&self, rounds: u32, k: u16) -> Option<i128> {
		let r = mul_div(self.sensitivity_sq, (rounds as u128 * k as u128) << 61, self.sigma_sq, true)?;
		(r <= i128::MAX as u128 / 2).then_some(r as i128)
	}

	/// Whether `δ² + expm1(−r(α)) > 0` at some order, i.e. at the smallest (`r` grows with `α`):
	/// `r < −ln(1 − δ²)`, compared as `r/δ² = T·k·Δ²·10³⁶/(8σ²·δ²·10³⁶)` (rounded up, from
	/// `rho_scaled`, so exact to `1/(2ρ·10³⁶)` even where `r` is far below 2⁻⁶⁴) against
	/// `kl_ratio` (rounded down).
	fn kl_bound_holds(&self, rounds: u32) -> bool {
		if rounds == 0 || self.sensitivity_sq == 0 {
			return true;
		}
		let k = ORDERS_QUARTERS[0] as u128;
		self.rho_scaled
			.and_then(|rho| mul_div(rho, (rounds as u128 * k) << 61, self.delta_sq, true))
			.is_some_and(|r_over_x| r_over_x < self.kl_ratio)
	}

	fn epsilon_micro(&self, rounds: u32) -> Result<u64, PrivacyError> {
		if self.kl_bound_holds(rounds) {
			return Ok(0);
		}
		let eps = ORDERS_QUARTERS
			.iter()
			.zip(self.offsets)
			.filter_map(|(&k, offset)| Some(self.rdp(rounds, k)? + offset))
			.min()
			.ok_or(PrivacyError::Overflow)?
			.saturating_add(EPS_MARGIN);
		if eps <= 0 {
			return Ok(0);
		}
		mul_div(eps as u128, 1_000_000, ONE, true)
			.and_then(|micro| u64::try_from(micro).ok())
			.ok_or(PrivacyError::Overflow)
	}
}

#[cfg(test)]
mod tests;
