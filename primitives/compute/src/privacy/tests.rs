//! Unit tests of the private helpers; the accountant itself is checked against dp-accounting
//! in `tests/privacy.rs`.
use super::*;

#[test]
fn mul_div_is_exact_with_a_256_bit_product() {
	assert_eq!(mul_div(7, 3, 2, false), Some(10));
	assert_eq!(mul_div(7, 3, 2, true), Some(11));
	assert_eq!(mul_div(6, 3, 2, true), Some(9));
	assert_eq!(mul_div(1, 1, 0, false), None);
	// (2^128 − 1)² / (2^128 − 1) needs the long division.
	assert_eq!(mul_div(u128::MAX, u128::MAX, u128::MAX, false), Some(u128::MAX));
	assert_eq!(mul_div(u128::MAX, u128::MAX, u128::MAX - 1, false), None);
	// 2^127 · 6 / 4 = 3·2^126; 2^127 · 3 / 4 rounds 3·2^125 exactly.
	assert_eq!(mul_div(1 << 127, 6, 4, false), Some(3 << 126));
	assert_eq!(mul_div(1 << 127, 3, 4, true), Some(3 << 125));
	// (2^100 + 1)(2^100 + 3) / 2^90 = 2^110 + 4·2^10 + 3/2^90.
	let (a, b) = ((1u128 << 100) + 1, (1u128 << 100) + 3);
	assert_eq!(mul_div(a, b, 1 << 90, false), Some((1 << 110) + (1 << 12)));
	assert_eq!(mul_div(a, b, 1 << 90, true), Some((1 << 110) + (1 << 12) + 1));
	// 10^36 · 10^36 / (10^36 + 1) = 10^36 − 1 + 1/(10^36 + 1).
	let q = QUINTILLION_SQ;
	assert_eq!(mul_div(q, q, q + 1, false), Some(q - 1));
	assert_eq!(mul_div(q, q, q + 1, true), Some(q));
}

#[test]
fn the_order_offsets_match_their_formula() {
	for (k, offset) in ORDERS_QUARTERS.iter().zip(ORDER_OFFSETS) {
		let a = *k as f64 / 4.0;
		let expected = (1.0 - 1.0 / a).ln() - a.ln() / (a - 1.0);
		let got = offset as f64 / ONE as f64;
		assert!((got - expected).abs() < 1e-14, "α = {a}: {got} vs {expected}");
	}
}

#[test]
fn the_kl_ratio_is_minus_ln_1_minus_x_over_x() {
	for parts in [1, 1_000, 1_000_000_000, 10_000_000_000_000, 500_000_000_000_000_000, 707_106_781_186_547_524,
		707_106_781_186_547_525, 999_999_999_999_999_999]
	{
		let conversion = Conversion::new(&GaussianRounds { sensitivity_sq: 1, sigma_sq: 1 }, DeltaPerQuintillion(parts)).unwrap();
		let x = (parts as f64 / 1e18).powi(2);
		let one_minus_x = (QUINTILLION_SQ - parts as u128 * parts as u128) as f64 / 1e36;
		let expected = match x {
			x if x < 1e-8 => 1.0 + x / 2.0,
			x if x <= 0.5 => -(-x).ln_1p() / x,
			x => -one_minus_x.ln() / x,
		};
		let got = conversion.kl_ratio as f64 / ONE as f64;
		// f64's ln_1p near x = 1 loses digits; 1e-12 relative is far below what matters.
		assert!((got - expected).abs() <= 1e-12 * expected, "δ = {parts}e-18: {got} vs {expected}");
	}
}
