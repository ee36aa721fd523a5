//! Groth16 verification with real proofs: valid proofs pass; every single-bit change of a
//! proof, every changed public input and a foreign key are rejected; malformed encodings get
//! their own errors; batches agree with one-by-one verification; host and in-process paths agree.

use aichain_zk::{
	batch_verify, decode,
	host::{Groth16Backend, NativeHost, PureWasm},
	testing::{prove, setup},
	verify, BatchItem, Error, G1Bytes, G2Bytes, Proof, ScalarBytes, VerifyingKey,
};
use ark_bn254::{Fq, Fq2, G2Affine};
use ark_ec::AffineRepr;
use ark_ff::{BigInteger, PrimeField, UniformRand};
use ark_std::rand::{rngs::StdRng, SeedableRng};
use codec::{Decode, Encode};

fn statement(public_inputs: usize, w: u64) -> (VerifyingKey, Proof, Vec<ScalarBytes>) {
	let (pk, vk) = setup(public_inputs, 7);
	let (proof, inputs) = prove(&pk, w, w);
	(vk, proof, inputs)
}

#[test]
fn valid_proof_is_accepted_by_both_backends() {
	for n in [1, 4, 16] {
		let (vk, proof, inputs) = statement(n, 3);
		assert_eq!(verify(&vk, &proof, &inputs), Ok(()));
		assert_eq!(NativeHost::verify(&vk, &proof, &inputs), Ok(()));
		assert_eq!(PureWasm::verify(&vk, &proof, &inputs), Ok(()));
	}
}

#[test]
fn flipping_any_bit_of_the_proof_is_rejected() {
	let (vk, proof, inputs) = statement(4, 5);
	let bytes = proof.encode();
	for bit in 0..bytes.len() * 8 {
		let mut tampered = bytes.clone();
		tampered[bit / 8] ^= 1 << (bit % 8);
		let tampered = Proof::decode(&mut &tampered[..]).unwrap();
		let result = verify(&vk, &tampered, &inputs);
		assert!(result.is_err(), "bit {bit} flipped still verifies");
		assert_eq!(NativeHost::verify(&vk, &tampered, &inputs), result, "backends disagree on bit {bit}");
	}
}

#[test]
fn changed_public_inputs_or_another_key_are_rejected() {
	let (vk, proof, inputs) = statement(4, 5);
	for i in 0..inputs.len() {
		let mut changed = inputs.clone();
		changed[i].0[0] ^= 1;
		assert_eq!(verify(&vk, &proof, &changed), Err(Error::ProofRejected), "input {i}");
	}
	// The statement of another witness.
	let (_, _, other_inputs) = statement(4, 6);
	assert_eq!(verify(&vk, &proof, &other_inputs), Err(Error::ProofRejected));
	// Another key for the same circuit (another setup).
	let (_, other_vk) = setup(4, 8);
	assert_eq!(verify(&other_vk, &proof, &inputs), Err(Error::ProofRejected));
	// Too many or too few inputs.
	assert_eq!(verify(&vk, &proof, &inputs[..3]), Err(Error::PublicInputCountMismatch));
	let mut more = inputs.clone();
	more.push(ScalarBytes::from_u64(1));
	assert_eq!(verify(&vk, &proof, &more), Err(Error::PublicInputCountMismatch));
}

/// The modulus of the base field as 32 little-endian bytes.
fn fq_modulus_le() -> [u8; 32] {
	Fq::MODULUS.to_bytes_le().try_into().unwrap()
}

#[test]
fn malformed_points_and_scalars_get_distinct_errors() {
	let (vk, proof, inputs) = statement(2, 9);

	// Non-canonical x: the modulus itself (no flags).
	let mut p = proof;
	p.a = G1Bytes(fq_modulus_le());
	assert_eq!(verify(&vk, &p, &inputs), Err(Error::NonCanonicalFieldElement));

	// Both flag bits set.
	let mut p = proof;
	p.c.0[31] |= 0b1100_0000;
	assert_eq!(verify(&vk, &p, &inputs), Err(Error::InvalidPointFlags));

	// Infinity flag with a non-zero x.
	let mut p = proof;
	p.c.0[31] = (p.c.0[31] & 0b0011_1111) | 0b0100_0000;
	assert_eq!(verify(&vk, &p, &inputs), Err(Error::InvalidPointFlags));

	// An x with no y on the curve: search small x values.
	let off_curve = (1u64..)
		.map(|x| {
			let mut bytes = [0u8; 32];
			bytes[..8].copy_from_slice(&x.to_le_bytes());
			G1Bytes(bytes)
		})
		.find(|b| decode::g1(b) == Err(Error::PointNotOnCurve))
		.unwrap();
	let mut p = proof;
	p.a = off_curve;
	assert_eq!(verify(&vk, &p, &inputs), Err(Error::PointNotOnCurve));

	// A point on the G2 curve outside the prime-order subgroup.
	let mut rng = StdRng::seed_from_u64(1);
	let not_in_subgroup = loop {
		let x = Fq2::rand(&mut rng);
		if let Some(point) = G2Affine::get_point_from_x_unchecked(x, false) {
			if !point.is_in_correct_subgroup_assuming_on_curve() {
				break aichain_zk::decode::encode::g2(&point);
			}
		}
	};
	let mut p = proof;
	p.b = not_in_subgroup;
	assert_eq!(verify(&vk, &p, &inputs), Err(Error::PointNotInSubgroup));
	let mut bad_vk = vk.clone();
	bad_vk.delta_g2 = not_in_subgroup;
	assert_eq!(verify(&bad_vk, &proof, &inputs), Err(Error::PointNotInSubgroup));

	// A public input at or above the scalar modulus.
	let mut bad_inputs = inputs.clone();
	bad_inputs[0] = ScalarBytes(ark_bn254::Fr::MODULUS.to_bytes_le().try_into().unwrap());
	assert_eq!(verify(&vk, &proof, &bad_inputs), Err(Error::NonCanonicalFieldElement));

	// Keys without gamma_abc, or with an identity gamma.
	let mut empty = vk.clone();
	empty.gamma_abc_g1.clear();
	assert_eq!(verify(&empty, &proof, &[]), Err(Error::EmptyVerifyingKey));
	let mut identity_gamma = vk.clone();
	let mut infinity = [0u8; 64];
	infinity[63] = 0b0100_0000;
	identity_gamma.gamma_g2 = G2Bytes(infinity);
	assert_eq!(verify(&identity_gamma, &proof, &inputs), Err(Error::InvalidPointFlags));

	// Wrong lengths and undecodable host input.
	assert_eq!(G1Bytes::try_from(&[0u8; 31][..]), Err(Error::InvalidLength));
	assert_eq!(aichain_zk::host::groth::verify_bn254(&[1, 2, 3]), Err(Error::MalformedEncoding));
}

#[test]
fn encodings_round_trip_through_the_strict_decoder() {
	let mut rng = StdRng::seed_from_u64(3);
	for _ in 0..32 {
		let g1 = (ark_bn254::G1Affine::generator() * ark_bn254::Fr::rand(&mut rng)).into();
		let g2 = (ark_bn254::G2Affine::generator() * ark_bn254::Fr::rand(&mut rng)).into();
		assert_eq!(decode::g1(&decode::encode::g1(&g1)), Ok(g1));
		assert_eq!(decode::g2(&decode::encode::g2(&g2)), Ok(g2));
	}
	let (vk, _, _) = statement(3, 2);
	assert_eq!(VerifyingKey::decode(&mut &vk.encode()[..]).unwrap(), vk);
	assert_eq!(vk.encode().len(), VerifyingKey::encoded_size(3));
}

#[test]
fn batches_accept_valid_proofs_and_reject_any_bad_one() {
	let (pk4, vk4) = setup(4, 11);
	let (pk2, vk2) = setup(2, 12);
	let item = |pk, vk: &VerifyingKey, w| {
		let (proof, inputs) = prove(pk, w, w + 100);
		BatchItem { vk: vk.clone(), proof, inputs }
	};
	assert_eq!(batch_verify(&[]), Err(Error::EmptyBatch));
	for size in [1usize, 8] {
		let items: Vec<_> = (0..size as u64).map(|w| item(&pk4, &vk4, w + 2)).collect();
		assert_eq!(batch_verify(&items), Ok(()));
		assert_eq!(NativeHost::batch_verify(&items), Ok(()));
	}
	// Mixed keys.
	let mut items: Vec<_> = (0..6u64)
		.map(|w| if w % 2 == 0 { item(&pk4, &vk4, w + 2) } else { item(&pk2, &vk2, w + 2) })
		.collect();
	assert_eq!(batch_verify(&items), Ok(()));
	// One false statement anywhere makes the batch fail.
	for victim in 0..items.len() {
		let mut bad = items.clone();
		bad[victim].inputs[0].0[0] ^= 1;
		assert_eq!(batch_verify(&bad), Err(Error::ProofRejected), "victim {victim}");
	}
	// Two proofs swapped between statements of the same key.
	items.swap(0, 2);
	let (a, b) = (items[0].proof, items[2].proof);
	items[0].proof = b;
	items[2].proof = a;
	assert_eq!(batch_verify(&items), Err(Error::ProofRejected));
}

#[test]
fn trapdoor_simulated_statements_verify_like_real_ones() {
	for n in [1u32, 7, 64] {
		let (vk, proof, inputs) = aichain_zk::simulate::statement(n, 5, 0);
		assert_eq!(verify(&vk, &proof, &inputs), Ok(()));
		let (_, other_proof, _) = aichain_zk::simulate::statement(n, 5, 1);
		assert_eq!(verify(&vk, &other_proof, &inputs), Err(Error::ProofRejected));
	}
	let items: Vec<_> = (0..4)
		.map(|s| {
			let (vk, proof, inputs) = aichain_zk::simulate::statement(3, 9, s);
			BatchItem { vk, proof, inputs }
		})
		.collect();
	assert_eq!(batch_verify(&items), Ok(()));
}
