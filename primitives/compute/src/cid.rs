//! The CIDs the chain's blobs are served under (`pallet-blobs`, `docs/data.md`): CIDv1, raw
//! codec, BLAKE2b-256 multihash, written in multibase base32 (`bafk2bzace…`). Shared by the
//! runtime and the client so both name a blob the same way.

use alloc::string::String;

/// The multicodec of raw bytes.
pub const RAW_CODEC: u8 = 0x55;
/// The multihash code of BLAKE2b-256 (`0xb220`), as its unsigned varint.
pub const BLAKE2B_256_VARINT: [u8; 3] = [0xa0, 0xe4, 0x02];
/// The first bytes of every blob's binary CID: version 1, raw codec, BLAKE2b-256, 32 bytes.
pub const PREFIX: [u8; 6] = [0x01, RAW_CODEC, BLAKE2B_256_VARINT[0], BLAKE2B_256_VARINT[1], BLAKE2B_256_VARINT[2], 32];
/// RFC 4648 base32, lower case: multibase `b`.
const BASE32: &[u8; 32] = b"abcdefghijklmnopqrstuvwxyz234567";

/// The binary CID of the blob whose BLAKE2b-256 is `hash`.
pub fn cid_v1_raw(hash: &[u8; 32]) -> [u8; 38] {
	let mut cid = [0u8; 38];
	cid[..6].copy_from_slice(&PREFIX);
	cid[6..].copy_from_slice(hash);
	cid
}

/// The CID text (`b` then base32, no padding) of the blob whose BLAKE2b-256 is `hash`.
pub fn cid_text(hash: &[u8; 32]) -> String {
	let (mut text, mut buffer, mut bits) = (String::from("b"), 0u32, 0u32);
	for byte in cid_v1_raw(hash) {
		buffer = (buffer << 8) | byte as u32;
		bits += 8;
		while bits >= 5 {
			text.push(BASE32[((buffer >> (bits - 5)) & 31) as usize] as char);
			bits -= 5;
		}
	}
	if bits > 0 {
		text.push(BASE32[((buffer << (5 - bits)) & 31) as usize] as char);
	}
	text
}

/// The BLAKE2b-256 a blob's CID text names; `None` unless `text` is exactly [`cid_text`] of it
/// (another multibase, codec or hash, a trailing character or a set padding bit).
pub fn hash_of_cid_text(text: &str) -> Option<[u8; 32]> {
	let body = text.strip_prefix('b')?;
	let (mut bytes, mut buffer, mut bits) = (alloc::vec::Vec::new(), 0u32, 0u32);
	for c in body.bytes() {
		let value = BASE32.iter().position(|&b| b == c)?;
		buffer = (buffer << 5) | value as u32;
		bits += 5;
		if bits >= 8 {
			bytes.push((buffer >> (bits - 8)) as u8);
			bits -= 8;
		}
	}
	if bytes.len() != 38 || bytes[..6] != PREFIX {
		return None;
	}
	let hash: [u8; 32] = bytes[6..].try_into().ok()?;
	(cid_text(&hash) == text).then_some(hash)
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn a_blobs_cid_round_trips_and_only_its_canonical_text_is_accepted() {
		let hash = [0xbd; 32];
		let text = cid_text(&hash);
		assert!(text.starts_with("bafk2bzace"), "{text}");
		assert_eq!(text.len(), 1 + (38 * 8usize).div_ceil(5));
		assert_eq!(hash_of_cid_text(&text), Some(hash));
		assert_eq!(hash_of_cid_text(&alloc::format!("{text}a")), None, "a trailing character");
		assert_eq!(hash_of_cid_text(&text[1..]), None, "no multibase prefix");
		assert_eq!(hash_of_cid_text("bafkreigh2akiscaildc"), None, "a SHA2-256 CID is not a blob's");
	}
}
