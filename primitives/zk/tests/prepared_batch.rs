//! Batches of real proofs under several prepared keys ([`batch_verify_prepared`]): a batch
//! passes exactly when every statement verifies alone; one flipped bit of any proof, a changed
//! input, a swapped key, or two false proofs whose errors cancel in an unweighted sum fail it;
//! both backends agree; malformed batches are named errors.

use aichain_zk::{
	batch_verify_prepared,
	decode::{self, encode},
	host::{Groth16Backend, NativeHost, PureWasm},
	prepare, simulate,
	testing::{prove, setup},
	verify_prepared, Error, PreparedStatement, PreparedVerifyingKey, Proof,
};
use ark_bn254::G1Affine;
use ark_ec::{AffineRepr, CurveGroup};
use codec::{Decode, Encode};

/// Three keys (1, 4 and 16 inputs) and `per_key` real proofs under each, interleaved.
fn batch(per_key: u64) -> (Vec<PreparedVerifyingKey>, Vec<PreparedStatement>) {
	let setups: Vec<_> = [1usize, 4, 16].iter().enumerate().map(|(i, n)| setup(*n, 20 + i as u64)).collect();
	let keys = setups.iter().map(|(_, vk)| prepare(vk).unwrap()).collect();
	let mut statements = Vec::new();
	for w in 0..per_key {
		for (key, (pk, _)) in setups.iter().enumerate() {
			let (proof, inputs) = prove(pk, 2 + w, 100 + w);
			statements.push(PreparedStatement { key: key as u32, proof, inputs });
		}
	}
	(keys, statements)
}

/// Both backends on the stored keys; checks they agree with each other and with the function.
fn verify_both(keys: &[PreparedVerifyingKey], statements: &[PreparedStatement]) -> Result<(), Error> {
	let stored: Vec<Vec<u8>> = keys.iter().map(Encode::encode).collect();
	let stored: Vec<&[u8]> = stored.iter().map(Vec::as_slice).collect();
	let host = NativeHost::batch_verify_prepared(&stored, statements);
	assert_eq!(PureWasm::batch_verify_prepared(&stored, statements), host, "backends disagree");
	assert_eq!(batch_verify_prepared(keys, statements), host);
	host
}

#[test]
fn a_batch_of_valid_proofs_under_several_keys_passes() {
	let (keys, statements) = batch(3);
	for statement in &statements {
		assert_eq!(verify_prepared(&keys[statement.key as usize], &statement.proof, &statement.inputs), Ok(()));
	}
	assert_eq!(verify_both(&keys, &statements), Ok(()));
	assert_eq!(verify_both(&keys, &statements[..1]), Ok(()), "a batch of one");
	// Trapdoor statements (the benchmarks' statements) batch like real ones.
	let simulated: Vec<_> = (0..4).map(|i| simulate::statement(52, 1, i)).collect();
	let sim_key = prepare(&simulated[0].0).unwrap();
	let sim_statements: Vec<_> =
		simulated.into_iter().map(|(_, proof, inputs)| PreparedStatement { key: 0, proof, inputs }).collect();
	assert_eq!(verify_both(&[sim_key], &sim_statements), Ok(()));
}

#[test]
fn every_flipped_bit_of_one_proof_fails_the_batch() {
	let (keys, statements) = batch(2);
	let bytes = statements[4].proof.encode();
	for bit in 0..bytes.len() * 8 {
		let mut tampered = bytes.clone();
		tampered[bit / 8] ^= 1 << (bit % 8);
		let mut batch = statements.clone();
		batch[4].proof = Proof::decode(&mut &tampered[..]).unwrap();
		let alone = verify_prepared(&keys[1], &batch[4].proof, &batch[4].inputs);
		assert!(alone.is_err(), "bit {bit} flipped still verifies alone");
		// The batch fails with the same decoding error, or as a false proof.
		assert_eq!(verify_both(&keys, &batch), alone, "bit {bit}");
	}
}

#[test]
fn a_changed_input_or_a_swapped_key_fails_the_batch() {
	let (keys, statements) = batch(2);
	for i in 0..statements.len() {
		let mut changed = statements.clone();
		changed[i].inputs[0].0[0] ^= 1;
		assert_eq!(verify_both(&keys, &changed), Err(Error::ProofRejected), "input of statement {i}");
	}
	// Keys 1 and 2 have different input counts; two keys of the same size are swapped here.
	let (_, other) = setup(4, 99);
	let mut swapped_keys = keys.clone();
	swapped_keys[1] = prepare(&other).unwrap();
	assert_eq!(verify_both(&swapped_keys, &statements), Err(Error::ProofRejected));
}

#[test]
fn two_false_proofs_whose_errors_cancel_without_weights_fail_the_batch() {
	// Move D from one proof's C to another's under the same key: each proof is false, and
	// C₁ + C₂ is unchanged, so an unweighted sum of the two equations would still hold.
	let (keys, mut statements) = batch(2);
	let shift = (G1Affine::generator() * ark_bn254::Fr::from(12345u64)).into_affine();
	let (first, second) = (1usize, 4usize);
	assert_eq!(statements[first].key, statements[second].key);
	let c1 = decode::g1(&statements[first].proof.c).unwrap();
	let c2 = decode::g1(&statements[second].proof.c).unwrap();
	statements[first].proof.c = encode::g1(&(c1 + shift).into_affine());
	statements[second].proof.c = encode::g1(&(c2 - shift).into_affine());
	for i in [first, second] {
		let s = &statements[i];
		assert_eq!(verify_prepared(&keys[s.key as usize], &s.proof, &s.inputs), Err(Error::ProofRejected));
	}
	assert_eq!(verify_both(&keys, &statements), Err(Error::ProofRejected));
}

#[test]
fn malformed_batches_are_named_errors() {
	let (keys, statements) = batch(1);
	assert_eq!(verify_both(&keys, &[]), Err(Error::EmptyBatch));
	let mut out_of_range = statements.clone();
	out_of_range[0].key = 3;
	assert_eq!(verify_both(&keys, &out_of_range), Err(Error::KeyIndexOutOfRange));
	let mut short = statements.clone();
	short[2].inputs.pop();
	assert_eq!(verify_both(&keys, &short), Err(Error::PublicInputCountMismatch));
	// A key no statement names is not loaded: a damaged unused key changes nothing.
	let mut with_unused = keys.clone();
	let mut damaged = keys[0].clone();
	damaged.gamma_neg_g2[0] ^= 1;
	with_unused.push(damaged.clone());
	assert_eq!(verify_both(&with_unused, &statements), Ok(()));
	// A used damaged key is an error, not a panic.
	let mut used_damaged = keys.clone();
	used_damaged[0] = damaged;
	assert_eq!(verify_both(&used_damaged, &statements), Err(Error::PointNotOnCurve));
	// Bytes that are no key, through the host function.
	assert_eq!(NativeHost::batch_verify_prepared(&[&[1, 2, 3][..]], &statements[..1]), Err(Error::MalformedEncoding));
}
