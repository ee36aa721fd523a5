//! Predicates over a job's verified output: a few clauses joined by AND, each a bounded,
//! constant-cost test of the output bytes (its hash, a classifier's label, or one `i32` field
//! compared with a value). Evaluating one never fails: a clause about a field the output does
//! not have is false.

use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use frame_support::{pallet_prelude::Get, BoundedVec};
use scale_info::TypeInfo;

/// How an output field is compared with a value: `field <op> value`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Encode, Decode, DecodeWithMemTracking, TypeInfo, MaxEncodedLen)]
pub enum Comparison {
	/// `field < value`
	Less,
	/// `field ≤ value`
	LessOrEqual,
	/// `field = value`
	Equal,
	/// `field ≠ value`
	NotEqual,
	/// `field ≥ value`
	GreaterOrEqual,
	/// `field > value`
	Greater,
}

impl Comparison {
	/// Whether `field <self> value` holds.
	pub fn holds(self, field: i32, value: i32) -> bool {
		match self {
			Self::Less => field < value,
			Self::LessOrEqual => field <= value,
			Self::Equal => field == value,
			Self::NotEqual => field != value,
			Self::GreaterOrEqual => field >= value,
			Self::Greater => field > value,
		}
	}
}

/// One test of a verified output.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Encode, Decode, DecodeWithMemTracking, TypeInfo, MaxEncodedLen)]
pub enum Clause {
	/// BLAKE2-256 of the output bytes equals this hash.
	OutputHashEquals([u8; 32]),
	/// The output read as little-endian `i32` scores (a classifier's) has its largest value
	/// (the first on ties) at this index: the predicted label. False if the output is not whole
	/// `i32`s or is empty.
	LabelEquals(u32),
	/// The output's `i32` number `index` (little-endian, bytes `4·index .. 4·index+4`)
	/// compared with `value`. False if the output has no such field.
	Field {
		/// Which `i32` of the output.
		index: u32,
		/// How it is compared.
		comparison: Comparison,
		/// The value it is compared with.
		value: i32,
	},
}

impl Clause {
	/// Whether this clause holds for `output`.
	pub fn holds(&self, output: &[u8]) -> bool {
		match *self {
			Self::OutputHashEquals(hash) => sp_io::hashing::blake2_256(output) == hash,
			Self::LabelEquals(label) => aichain_compute::fixed::decode_i32(output)
				.and_then(|scores| aichain_compute::fixed::argmax(&scores))
				.is_some_and(|best| best as u64 == label as u64),
			Self::Field { index, comparison, value } => {
				field_i32(output, index).is_some_and(|field| comparison.holds(field, value))
			},
		}
	}
}

/// The output's `i32` number `index`, if the output is long enough.
pub fn field_i32(output: &[u8], index: u32) -> Option<i32> {
	let start = (index as usize).checked_mul(4)?;
	let bytes = output.get(start..start.checked_add(4)?)?;
	Some(i32::from_le_bytes([bytes[0], bytes[1], bytes[2], bytes[3]]))
}

/// At most `MaxClauses` clauses, all of which must hold. An empty predicate always holds.
pub type Predicate<MaxClauses> = BoundedVec<Clause, MaxClauses>;

/// Whether every clause of `predicate` holds for `output`.
pub fn holds<MaxClauses: Get<u32>>(predicate: &Predicate<MaxClauses>, output: &[u8]) -> bool {
	predicate.iter().all(|clause| clause.holds(output))
}

#[cfg(test)]
mod tests {
	use super::*;
	use Comparison::*;

	fn encode(values: &[i32]) -> Vec<u8> {
		values.iter().flat_map(|v| v.to_le_bytes()).collect()
	}

	#[test]
	fn comparisons_hold_exactly_where_they_should() {
		let cases = [(Less, [true, false, false]), (LessOrEqual, [true, true, false]), (Equal, [false, true, false]),
			(NotEqual, [true, false, true]), (GreaterOrEqual, [false, true, true]), (Greater, [false, false, true])];
		for (comparison, expected) in cases {
			assert_eq!([comparison.holds(-1, 0), comparison.holds(0, 0), comparison.holds(1, 0)], expected, "{comparison:?}");
		}
	}

	#[test]
	fn fields_labels_and_hashes_are_read_from_the_output() {
		let output = encode(&[-46_798_916, 7, 7]);
		assert!(Clause::Field { index: 0, comparison: Less, value: 0 }.holds(&output));
		assert!(Clause::Field { index: 2, comparison: Equal, value: 7 }.holds(&output));
		assert!(!Clause::Field { index: 3, comparison: NotEqual, value: 0 }.holds(&output), "no fourth field");
		assert!(!Clause::Field { index: u32::MAX, comparison: NotEqual, value: 0 }.holds(&output));
		assert!(Clause::LabelEquals(1).holds(&output), "the first of the tied maxima");
		assert!(!Clause::LabelEquals(2).holds(&output));
		assert!(!Clause::LabelEquals(0).holds(&[1, 2, 3]), "not whole i32s");
		assert!(!Clause::LabelEquals(0).holds(&[]));
		let hash = sp_io::hashing::blake2_256(&output);
		assert!(Clause::OutputHashEquals(hash).holds(&output));
		let mut flipped = output.clone();
		flipped[11] ^= 1;
		assert!(!Clause::OutputHashEquals(hash).holds(&flipped), "one bit changes the hash");
	}

	#[test]
	fn clauses_are_joined_by_and_and_the_empty_predicate_holds() {
		type Max = frame_support::traits::ConstU32<4>;
		let output = encode(&[5, -3]);
		let both: Predicate<Max> = BoundedVec::truncate_from(vec![
			Clause::Field { index: 0, comparison: Greater, value: 4 },
			Clause::Field { index: 1, comparison: Less, value: 0 },
		]);
		assert!(holds(&both, &output));
		let one_fails: Predicate<Max> = BoundedVec::truncate_from(vec![
			Clause::Field { index: 0, comparison: Greater, value: 4 },
			Clause::Field { index: 1, comparison: Greater, value: 0 },
		]);
		assert!(!holds(&one_fails, &output));
		assert!(holds(&Predicate::<Max>::default(), &output));
	}
}
