//! Drawing workers for a job: weighted sampling without replacement from a seed.

use alloc::vec::Vec;
use codec::Encode;

/// Draws `count` distinct accounts from `candidates` (account, weight > 0), each draw with
/// probability proportional to weight among those not drawn yet. Randomness is
/// `BLAKE2-256(seed ‖ draw index)`. Returns `None` when there are fewer than `count`
/// candidates.
pub fn draw<AccountId: Clone>(
	mut candidates: Vec<(AccountId, u128)>,
	count: usize,
	seed: &[u8; 32],
) -> Option<Vec<AccountId>> {
	if candidates.len() < count {
		return None;
	}
	let mut drawn = Vec::with_capacity(count);
	for index in 0..count as u32 {
		let total: u128 = candidates.iter().map(|(_, w)| (*w).max(1)).fold(0u128, u128::saturating_add);
		let digest = sp_io::hashing::blake2_256(&(seed, index).encode());
		let mut point = u128::from_le_bytes(digest[..16].try_into().expect("16 of 32 bytes; qed")) % total;
		let position = candidates
			.iter()
			.position(|(_, w)| {
				let w = (*w).max(1);
				if point < w {
					true
				} else {
					point -= w;
					false
				}
			})
			.unwrap_or(candidates.len() - 1);
		drawn.push(candidates.swap_remove(position).0);
	}
	Some(drawn)
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn draws_distinct_accounts_in_proportion_to_weight() {
		let candidates = alloc::vec![(1u64, 1u128), (2, 3), (3, 6)];
		assert_eq!(draw(candidates.clone(), 4, &[0; 32]), None);
		let mut firsts = [0u32; 4];
		for s in 0..3000u32 {
			let seed = sp_io::hashing::blake2_256(&s.encode());
			let drawn = draw(candidates.clone(), 3, &seed).unwrap();
			let mut sorted = drawn.clone();
			sorted.sort();
			assert_eq!(sorted, alloc::vec![1, 2, 3]);
			firsts[drawn[0] as usize] += 1;
		}
		// Expected 300 / 900 / 1800 first draws.
		assert!((200..400).contains(&firsts[1]), "{firsts:?}");
		assert!((780..1020).contains(&firsts[2]), "{firsts:?}");
		assert!((1650..1950).contains(&firsts[3]), "{firsts:?}");
	}
}
