//! Verification under prepared keys (the path of registered keys) with real proofs: it accepts
//! and rejects exactly what [`verify`] accepts and rejects, on both backends; preparing a bad
//! key fails like decoding it; a damaged stored key is an error, never a panic.

use aichain_zk::{
	host::{Groth16Backend, NativeHost, PureWasm},
	decode, prepare, simulate,
	testing::{prove, setup},
	verify, verify_prepared, Error, G1Bytes, PreparedVerifyingKey, Proof, ScalarBytes, VerifyingKey,
};
use ark_bn254::{Fq2, G2Affine};
use ark_ff::UniformRand;
use ark_std::rand::{rngs::StdRng, SeedableRng};
use codec::{Decode, Encode};

fn statement(public_inputs: usize, w: u64) -> (VerifyingKey, Proof, Vec<ScalarBytes>) {
	let (pk, vk) = setup(public_inputs, 7);
	let (proof, inputs) = prove(&pk, w, w);
	(vk, proof, inputs)
}

/// Runs both backends on the stored (encoded) form of `key` and checks they agree.
fn verify_both(key: &PreparedVerifyingKey, proof: &Proof, inputs: &[ScalarBytes]) -> Result<(), Error> {
	let stored = key.encode();
	let host = NativeHost::verify_prepared(&stored, proof, inputs);
	assert_eq!(PureWasm::verify_prepared(&stored, proof, inputs), host, "backends disagree");
	assert_eq!(verify_prepared(key, proof, inputs), host);
	host
}

#[test]
fn valid_proofs_are_accepted_under_the_prepared_key() {
	for n in [1, 4, 16] {
		let (vk, proof, inputs) = statement(n, 3);
		let key = prepare(&vk).unwrap();
		assert_eq!(NativeHost::prepare(&vk), Ok(key.clone()));
		assert_eq!(PureWasm::prepare(&vk), Ok(key.clone()));
		assert_eq!(key.num_public_inputs(), n);
		assert_eq!(key.encode().len(), PreparedVerifyingKey::encoded_size(n as u32));
		assert_eq!(verify_both(&key, &proof, &inputs), Ok(()));
	}
}

#[test]
fn every_flipped_proof_bit_changed_input_and_foreign_key_is_rejected_as_by_verify() {
	let (vk, proof, inputs) = statement(4, 5);
	let key = prepare(&vk).unwrap();
	let bytes = proof.encode();
	for bit in 0..bytes.len() * 8 {
		let mut tampered = bytes.clone();
		tampered[bit / 8] ^= 1 << (bit % 8);
		let tampered = Proof::decode(&mut &tampered[..]).unwrap();
		let result = verify_both(&key, &tampered, &inputs);
		assert!(result.is_err(), "bit {bit} flipped still verifies");
		assert_eq!(result, verify(&vk, &tampered, &inputs), "bit {bit}: differs from verify");
	}
	for i in 0..inputs.len() {
		let mut changed = inputs.clone();
		changed[i].0[0] ^= 1;
		assert_eq!(verify_both(&key, &proof, &changed), Err(Error::ProofRejected), "input {i}");
	}
	let (_, other_vk) = setup(4, 8);
	assert_eq!(verify_both(&prepare(&other_vk).unwrap(), &proof, &inputs), Err(Error::ProofRejected));
	assert_eq!(verify_both(&key, &proof, &inputs[..3]), Err(Error::PublicInputCountMismatch));
	let mut too_large = inputs.clone();
	too_large[0] = ScalarBytes([0xff; 32]);
	assert_eq!(verify_both(&key, &proof, &too_large), Err(Error::NonCanonicalFieldElement));
}

#[test]
fn trapdoor_statements_verify_under_prepared_keys() {
	for n in [1, 8, 64] {
		let (vk, proof, inputs) = simulate::statement(n, 11, 2);
		assert_eq!(verify_both(&prepare(&vk).unwrap(), &proof, &inputs), Ok(()));
	}
}

#[test]
fn preparing_a_bad_key_fails_like_verifying_with_it() {
	let (vk, proof, inputs) = statement(2, 3);
	let off_curve_x = (1u64..)
		.map(|x| {
			let mut bytes = [0u8; 32];
			bytes[..8].copy_from_slice(&x.to_le_bytes());
			G1Bytes(bytes)
		})
		.find(|b| decode::g1(b) == Err(Error::PointNotOnCurve))
		.unwrap();
	let mut off_curve = vk.clone();
	off_curve.gamma_abc_g1[1] = off_curve_x;
	assert_eq!(verify(&off_curve, &proof, &inputs), Err(Error::PointNotOnCurve));
	assert_eq!(prepare(&off_curve), Err(Error::PointNotOnCurve));
	assert_eq!(NativeHost::prepare(&off_curve), Err(Error::PointNotOnCurve));

	// δ on the G2 curve but outside the prime-order subgroup: the check that verification
	// under a prepared key no longer repeats.
	let mut rng = StdRng::seed_from_u64(1);
	let not_in_subgroup = loop {
		let x = Fq2::rand(&mut rng);
		if let Some(point) = G2Affine::get_point_from_x_unchecked(x, false) {
			if !point.is_in_correct_subgroup_assuming_on_curve() {
				break decode::encode::g2(&point);
			}
		}
	};
	let mut outside = vk.clone();
	outside.delta_g2 = not_in_subgroup;
	assert_eq!(prepare(&outside), Err(Error::PointNotInSubgroup));
	assert_eq!(NativeHost::prepare(&outside), Err(Error::PointNotInSubgroup));

	let mut empty = vk.clone();
	empty.gamma_abc_g1.clear();
	assert_eq!(prepare(&empty), Err(Error::EmptyVerifyingKey));

	let mut identity_delta = vk;
	identity_delta.delta_g2.0 = [0; 64];
	identity_delta.delta_g2.0[63] = 1 << 6;
	assert_eq!(prepare(&identity_delta), Err(Error::InvalidPointFlags));
}

#[test]
fn a_damaged_stored_key_is_an_error_not_a_panic() {
	let (vk, proof, inputs) = statement(2, 3);
	let key = prepare(&vk).unwrap();

	// γ moved off the curve.
	let mut off_curve = key.clone();
	off_curve.gamma_neg_g2[0] ^= 1;
	assert_eq!(verify_both(&off_curve, &proof, &inputs), Err(Error::PointNotOnCurve));
	// A coordinate at least the modulus.
	let mut non_canonical = key.clone();
	non_canonical.delta_neg_g2[..32].copy_from_slice(&[0xff; 32]);
	assert!(verify_both(&non_canonical, &proof, &inputs).is_err());
	// A changed e(α, β) accepts nothing.
	let mut wrong_pairing = key.clone();
	wrong_pairing.alpha_beta[0] ^= 1;
	assert_eq!(verify_both(&wrong_pairing, &proof, &inputs), Err(Error::ProofRejected));
	// Bytes that are not a prepared key at all.
	for garbage in [vec![], vec![0u8; 7], key.encode()[..100].to_vec()] {
		assert_eq!(NativeHost::verify_prepared(&garbage, &proof, &inputs), Err(Error::MalformedEncoding));
		assert_eq!(PureWasm::verify_prepared(&garbage, &proof, &inputs), Err(Error::MalformedEncoding));
	}
}
