//! Private federated learning, the members' side: four hospitals holding the breast-cancer
//! records train one model in rounds whose masked outputs sum to the noised sum of their
//! updates; each member's circuit accepts only its honest, clipped step of its committed rows
//! with the masks of its committed seeds; a real proof verifies under the chain's statement.

use aichain_compute::{privacy::{DeltaPerQuintillion, GaussianRounds}, zk_public_inputs};
use aichain_offchain_worker::{
	models::{
		private_fl::{
			circuit::{self, output_bytes, MemberCircuit},
			data::{self, Row},
			consortium::LocalConsortium,
			masks::{mask_words, Role},
			step::{self, MemberInput, MemberSecrets},
			NOISE_BOUND, PARAMETERS, UPDATE_CLIP,
		},
		EngineModel,
	},
	prover,
};
use ark_bn254::Fr;
use ark_std::rand::{rngs::StdRng, SeedableRng};

/// The noise of every member: σ = 200 (units of 2^-16), the setting of `docs/federated-learning.md`.
const SIGMA_SQUARED: u64 = 200 * 200;

fn consortium() -> LocalConsortium {
	LocalConsortium::new(include_str!("../data/breast_cancer.csv"), 17, SIGMA_SQUARED).unwrap()
}

fn member_output(c: &LocalConsortium, i: usize, input: &MemberInput) -> [u32; PARAMETERS] {
	words(&c.members[i].run(&input.encode()).unwrap())
}

fn words(bytes: &[u8]) -> [u32; PARAMETERS] {
	core::array::from_fn(|j| u32::from_le_bytes(bytes[4 * j..4 * j + 4].try_into().unwrap()))
}

/// The output a member would claim with `update` in place of its clipped step.
fn claim_with(input: &MemberInput, secrets: &MemberSecrets, update: &[i32; PARAMETERS]) -> [u32; PARAMETERS] {
	let masks: Vec<_> = input
		.peers
		.iter()
		.zip(&secrets.seeds)
		.filter(|(p, _)| p.role != Role::Absent)
		.map(|(p, seed)| (p.role, mask_words(*seed, input.nonce).unwrap()))
		.collect();
	step::masked(update, &secrets.noise, &masks)
}

#[test]
fn rounds_sum_to_the_noised_updates_and_reach_central_accuracy() {
	let c = consortium();
	let all = [true; 4];
	let mut parameters = [0i32; PARAMETERS];
	let mut accuracy = vec![data::accuracy(&parameters, &c.test)];
	for round in 0..4u64 {
		let inputs: Vec<MemberInput> = (0..4).map(|i| c.input(i, parameters, round, &all)).collect();
		let outputs: Vec<[u32; PARAMETERS]> = (0..4).map(|i| member_output(&c, i, &inputs[i])).collect();
		let mut expected = [0i32; PARAMETERS];
		for i in 0..4 {
			let secrets = c.members[i].secrets(&inputs[i]).unwrap();
			let clear: [i32; PARAMETERS] = core::array::from_fn(|j| step::update(&parameters, &secrets.rows)[j] + secrets.noise[j]);
			assert!(clear.iter().zip(&outputs[i]).filter(|(a, b)| **a as u32 == **b).count() < 2, "member {i}'s output is masked");
			for j in 0..PARAMETERS {
				expected[j] += clear[j];
			}
		}
		let sum = step::unmask(&outputs);
		assert_eq!(sum, expected, "round {round}: the masks cancel exactly");
		parameters = step::apply(&parameters, &sum);
		accuracy.push(data::accuracy(&parameters, &c.test));
	}
	// Central training: the same steps on all 455 records in one place, without clip or noise.
	let all_rows: Vec<Row> = c.rows.concat();
	let mut central = [0i32; PARAMETERS];
	let mut central_accuracy = Vec::new();
	for _ in 0..50 {
		let gradient = step::gradient(&central, &all_rows);
		central = core::array::from_fn(|j| central[j] - (gradient[j] >> aichain_offchain_worker::models::private_fl::LR_SHIFT) as i32);
		central_accuracy.push(data::accuracy(&central, &c.test));
	}
	let best = central_accuracy.iter().cloned().fold(0.0, f64::max);
	let central_accuracy = central_accuracy[3];
	let budget = GaussianRounds { sensitivity_sq: aichain_offchain_worker::models::private_fl::sensitivity_squared(), sigma_sq: SIGMA_SQUARED as u128 };
	let epsilon = budget.epsilon_micro(4, DeltaPerQuintillion(10u64.pow(13))).unwrap() as f64 / 1e6;
	println!("held-out accuracy by round {accuracy:?}; central after 4 steps {central_accuracy:.3}, best in 50 steps {best:.3}; ε after 4 rounds (δ = 1e-5) {epsilon:.3}");
	assert!(accuracy.last() > accuracy.first(), "{accuracy:?}");
	assert!(*accuracy.last().unwrap() >= central_accuracy - 0.05, "{accuracy:?} against {central_accuracy}");
}

#[test]
fn a_dropped_member_leaves_masks_that_do_not_cancel_until_the_round_is_retried_without_it() {
	let c = consortium();
	let parameters = [0i32; PARAMETERS];
	let all = [true; 4];
	// Member 3 never answers: the other three outputs still carry their masks with member 3.
	let inputs: Vec<MemberInput> = (0..3).map(|i| c.input(i, parameters, 10, &all)).collect();
	let outputs: Vec<_> = (0..3).map(|i| member_output(&c, i, &inputs[i])).collect();
	let clear = |inputs: &[MemberInput]| -> [i32; PARAMETERS] {
		core::array::from_fn(|j| (0..3).map(|i| { let s = c.members[i].secrets(&inputs[i]).unwrap(); step::update(&parameters, &s.rows)[j] + s.noise[j] }).sum())
	};
	assert_ne!(step::unmask(&outputs), clear(&inputs), "a partial sum stays masked");
	// The retry: a fresh nonce and member 3 absent from every job.
	let without = [true, true, true, false];
	let retry: Vec<MemberInput> = (0..3).map(|i| c.input(i, parameters, 11, &without)).collect();
	let outputs: Vec<_> = (0..3).map(|i| member_output(&c, i, &retry[i])).collect();
	assert_eq!(step::unmask(&outputs), clear(&retry));
	assert_ne!(c.members[0].secrets(&retry[0]).unwrap().noise, c.members[0].secrets(&inputs[0]).unwrap().noise, "fresh noise on retry");
	assert_eq!(c.members[0].secrets(&retry[0]).unwrap().noise, c.members[0].secrets(&retry[0]).unwrap().noise, "the same job, the same noise");
}

#[test]
fn the_circuit_accepts_only_the_honest_clipped_step_of_committed_data_and_seeds() {
	let c = consortium();
	let all = [true; 4];
	// Parameters far from the data's, so that the honest step of the largest member is clipped.
	let parameters = core::array::from_fn(|j| if j == 0 { 1 << 20 } else { 0 });
	let input = c.input(0, parameters, 3, &all);
	let secrets = c.members[0].secrets(&input).unwrap();
	let unclipped: [i32; PARAMETERS] = step::gradient(&parameters, &secrets.rows).map(|g| -(g >> 15) as i32);
	assert!(unclipped.iter().any(|u| u.abs() as i128 > UPDATE_CLIP), "this step needs clipping");
	let honest = member_output(&c, 0, &input);
	let satisfied = |output: [u32; PARAMETERS], secrets: &MemberSecrets| circuit::is_satisfied(&input, output, secrets).unwrap();
	assert!(satisfied(honest, &secrets), "the honest member's claim");

	assert!(!satisfied(claim_with(&input, &secrets, &unclipped), &secrets), "an unclipped update");
	let poisoned = step::update(&parameters, &secrets.rows).map(|u| u.saturating_mul(100));
	assert!(!satisfied(claim_with(&input, &secrets, &poisoned), &secrets), "an update scaled ×100");

	let mut other_data = secrets.clone();
	other_data.rows = data::padded(&c.rows[1]).unwrap();
	let update = step::update(&parameters, &other_data.rows);
	assert!(!satisfied(claim_with(&input, &other_data, &update), &other_data), "a step on other data than committed");

	let mut wrong_seed = secrets.clone();
	wrong_seed.seeds[0] += Fr::from(1u64);
	let update = step::update(&parameters, &secrets.rows);
	assert!(!satisfied(claim_with(&input, &wrong_seed, &update), &wrong_seed), "a mask of a seed other than committed");

	let mut loud = secrets.clone();
	loud.noise[5] = NOISE_BOUND as i32;
	assert!(!satisfied(claim_with(&input, &loud, &update), &loud), "noise beyond the bound");

	let mut flipped = honest;
	flipped[30] ^= 1;
	assert!(!satisfied(flipped, &secrets), "one flipped output bit");
}

#[test]
fn a_members_proof_verifies_under_the_chains_statement_and_only_its_own() {
	let c = consortium();
	let constraints = circuit::constraint_count().unwrap();
	println!("member circuit: {constraints} constraints");
	let mut rng = StdRng::seed_from_u64(5);
	let member = &c.members[0];
	let pk = prover::generate_keys(member, &mut rng).unwrap();
	let vk = prover::verifying_key(&pk);
	let input = c.input(0, [0; PARAMETERS], 1, &[true; 4]).encode();
	let (output, proof) = prover::prove(&pk, member, &input, &mut rng).unwrap();
	assert_eq!(output, output_bytes(&member_output(&c, 0, &MemberInput::decode(&input).unwrap())));
	aichain_zk::verify(&vk, &proof, &zk_public_inputs(&input, &output)).expect("the member's proof verifies");
	let mut changed = output.clone();
	changed[0] ^= 1;
	assert!(aichain_zk::verify(&vk, &proof, &zk_public_inputs(&input, &changed)).is_err(), "one output bit");
	let other = c.input(0, [0; PARAMETERS], 2, &[true; 4]).encode();
	assert!(aichain_zk::verify(&vk, &proof, &zk_public_inputs(&other, &output)).is_err(), "another round's nonce");
	// A member asked to answer for another member's data declines.
	assert!(c.members[1].check_input(&input).is_err());
	let _ = MemberCircuit::default();
}

#[test]
fn a_member_refuses_inputs_that_would_unmask_it() {
	let c = consortium();
	let member = &c.members[1];
	let honest = c.input(1, [0; PARAMETERS], 20, &[true; 4]);
	let refused = |input: &MemberInput| member.check_input(&input.encode()).is_err();
	assert!(!refused(&honest));
	// Too few peers: alone with one peer, or with none.
	assert!(refused(&c.input(1, [0; PARAMETERS], 21, &[false, true, true, false])), "one peer");
	assert!(refused(&c.input(1, [0; PARAMETERS], 22, &[false, true, false, false])), "no peer");
	// One peer twice, with opposite signs (the masks would cancel in its own output).
	let mut twice = honest.clone();
	twice.nonce = 23;
	twice.peers[1] = twice.peers[0];
	twice.peers[1].role = if twice.peers[0].role == Role::Add { Role::Subtract } else { Role::Add };
	assert!(refused(&twice), "a peer twice");
	// A sign against the pair's order.
	let mut flipped = honest.clone();
	flipped.nonce = 24;
	flipped.peers[0].role = if flipped.peers[0].role == Role::Add { Role::Subtract } else { Role::Add };
	assert!(refused(&flipped), "a flipped sign");
	// An absent slot carrying bytes (which would vary the noise of one update), a field element ≥ p.
	let mut bytes = honest.encode();
	let absent = c.input(1, [0; PARAMETERS], 25, &[true, true, true, false]).encode();
	let mut junk = absent.clone();
	junk[4 * PARAMETERS + 8 + 32 + 2 * 33] = 1;
	assert!(member.check_input(&absent).is_ok() && member.check_input(&junk).is_err(), "junk in an absent slot");
	bytes[4 * PARAMETERS + 8 + 31] = 0xff;
	assert!(member.check_input(&bytes).is_err(), "a non-canonical field element");
	// One nonce, one input: the same input again gets the same answer, another input none.
	let first = member.run(&honest.encode()).unwrap();
	assert_eq!(member.run(&honest.encode()).unwrap(), first);
	let mut other = honest.clone();
	other.parameters[0] = 1 << 10;
	assert!(member.run(&other.encode()).is_err() && member.check_input(&other.encode()).is_err(), "another input under a used nonce");
}
