//! Fixed-point MLPs of any shape: random networks' engine outputs satisfy the circuit built from
//! their file and a one-bit change does not; the constraint formula is exact; files round-trip
//! byte for byte; inputs outside the model's bits and networks beyond the limits are refused by
//! name; a real proof verifies with the chain's verifier only for its own output; a provider's
//! models directory loads them beside the digits model; quantization folds a standardisation.

use aichain_compute::{fixed, zk_public_inputs};
use aichain_offchain_worker::{
	models::{
		self,
		fixed_mlp::{
			file::ModelFile,
			network::{Activation, FixedMlp, Layer},
			quantize::{quantize, FloatMlp, QuantizeOptions},
			FixedMlpModel,
		},
		EngineModel, LoadContext,
	},
	prover, Error,
};
use ark_std::rand::{rngs::StdRng, Rng, SeedableRng};
use std::collections::HashMap;

fn random_network(rng: &mut StdRng) -> FixedMlp {
	let layers = rng.gen_range(1..=3);
	let mut width = rng.gen_range(1..=6);
	let input_bits = (0..width).map(|_| rng.gen_range(4..=12)).collect();
	let layers = (0..layers)
		.map(|l| {
			let outputs = rng.gen_range(1..=6);
			let layer = Layer {
				inputs: width,
				outputs,
				weights: (0..width * outputs).map(|_| rng.gen_range(-1024..=1024)).collect(),
				biases: (0..outputs).map(|_| rng.gen_range(-4096..=4096)).collect(),
				shift: rng.gen_range(0..=8),
				activation: if l + 1 < layers && rng.gen_bool(0.7) { Activation::Relu } else { Activation::Identity },
			};
			width = outputs;
			layer
		})
		.collect();
	FixedMlp { input_bits, layers }
}

fn served(network: FixedMlp) -> (FixedMlpModel, Vec<u8>) {
	let bytes = ModelFile { network, info: HashMap::new() }.to_bytes().unwrap();
	(FixedMlpModel::from_bytes(&bytes, "random").unwrap(), bytes)
}

fn random_input(network: &FixedMlp, rng: &mut StdRng) -> Vec<u8> {
	let values: Vec<i32> = network.input_bits.iter().map(|b| rng.gen_range(-(1i32 << (b - 1))..(1i32 << (b - 1)))).collect();
	fixed::encode_i32(&values)
}

#[test]
fn random_networks_outputs_satisfy_their_circuit_and_nothing_else_does() {
	let mut rng = StdRng::seed_from_u64(3);
	for n in 0..16 {
		let network = random_network(&mut rng);
		let (model, bytes) = served(network.clone());
		assert_eq!(ModelFile::from_bytes(&bytes).unwrap().network, network, "network {n} round-trips");
		assert_eq!(served(network.clone()).1, bytes, "the same network, the same bytes");
		assert_eq!(prover::constraint_count(&model).unwrap(), model.constraints(), "network {n}: the formula is exact");
		let extremes = [
			network.input_bits.iter().map(|b| -(1i32 << (b - 1))).collect::<Vec<_>>(),
			network.input_bits.iter().map(|b| (1i32 << (b - 1)) - 1).collect(),
		];
		let inputs: Vec<Vec<u8>> = (0..4)
			.map(|_| random_input(&network, &mut rng))
			.chain(extremes.iter().map(|e| fixed::encode_i32(e)))
			.collect();
		for input in inputs {
			let output = model.run(&input).unwrap();
			assert!(prover::is_satisfied(&model, &input, &output).unwrap(), "network {n}");
			let mut wrong = output.clone();
			let byte = rng.gen_range(0..wrong.len());
			wrong[byte] ^= 1 << rng.gen_range(0..8);
			assert!(!prover::is_satisfied(&model, &input, &wrong).unwrap(), "network {n}: one flipped bit");
		}
	}
}

#[test]
fn inputs_outside_the_models_bits_and_of_the_wrong_length_are_refused() {
	let network = FixedMlp {
		input_bits: vec![8, 8],
		layers: vec![Layer { inputs: 2, outputs: 1, weights: vec![1, 1], biases: vec![0], shift: 0, activation: Activation::Identity }],
	};
	let (model, _) = served(network);
	assert_eq!(model.run(&fixed::encode_i32(&[-128, 127])).unwrap(), fixed::encode_i32(&[-1]));
	assert!(matches!(model.check_input(&fixed::encode_i32(&[128, 0])), Err(Error::InvalidInput(_))));
	assert!(matches!(model.check_input(&fixed::encode_i32(&[0, -129])), Err(Error::InvalidInput(_))));
	assert!(matches!(model.check_input(&[0; 7]), Err(Error::InputLength { expected: 8, got: 7 })));
	assert!(matches!(model.check_input(&fixed::encode_i32(&[1, 2, 3])), Err(Error::InputLength { expected: 8, .. })));
	// A claim about an out-of-range input has no proof either.
	let input = fixed::encode_i32(&[200, 0]);
	assert!(!prover::is_satisfied(&model, &input, &fixed::encode_i32(&[200])).unwrap());
}

#[test]
fn networks_beyond_the_limits_are_refused_by_name() {
	let layer = |inputs, outputs, weight, shift| Layer {
		inputs,
		outputs,
		weights: vec![weight; inputs * outputs],
		biases: vec![0; outputs],
		shift,
		activation: Activation::Identity,
	};
	let deep = FixedMlp { input_bits: vec![8], layers: vec![layer(1, 1, 1, 0); 9] };
	assert!(matches!(deep.bounds(), Err(Error::Malformed { .. })), "9 layers");
	let wide = FixedMlp { input_bits: vec![8; 300], layers: vec![layer(300, 1, 1, 0)] };
	assert!(matches!(wide.bounds(), Err(Error::Malformed { .. })), "300 inputs");
	let mismatched = FixedMlp { input_bits: vec![8; 2], layers: vec![layer(2, 3, 1, 0), layer(2, 1, 1, 0)] };
	assert!(matches!(mismatched.bounds(), Err(Error::Malformed { .. })), "3 outputs into 2 inputs");
	let exploding = FixedMlp { input_bits: vec![32; 4], layers: vec![layer(4, 4, i32::MAX, 0); 4] };
	assert!(matches!(exploding.bounds(), Err(Error::OutOfRange(_))), "values beyond 2^100");
	let too_large_output = FixedMlp { input_bits: vec![32; 2], layers: vec![layer(2, 1, 1 << 20, 0)] };
	assert!(matches!(too_large_output.bounds(), Err(Error::OutOfRange(_))), "an output beyond i32");
	let rescaled = FixedMlp { input_bits: vec![32; 2], layers: vec![layer(2, 1, 1 << 20, 21)] };
	assert!(rescaled.bounds().is_ok(), "the same network with a shift fits");
	let file = ModelFile { network: too_large_output, info: HashMap::new() };
	assert!(file.to_bytes().is_err(), "such a network is never written");
}

#[test]
fn a_real_proof_verifies_for_its_own_output_only() {
	let mut rng = StdRng::seed_from_u64(8);
	let network = random_network(&mut rng);
	let (model, _) = served(network.clone());
	let key = prover::generate_keys(&model, &mut rng).unwrap();
	let vk = prover::verifying_key(&key);
	let input = random_input(&network, &mut rng);
	let (output, proof) = prover::prove(&key, &model, &input, &mut rng).unwrap();
	assert_eq!(output, model.run(&input).unwrap());
	aichain_zk::verify(&vk, &proof, &zk_public_inputs(&input, &output)).expect("the proof verifies");
	let mut wrong = output.clone();
	wrong[0] ^= 1;
	assert!(aichain_zk::verify(&vk, &proof, &zk_public_inputs(&input, &wrong)).is_err(), "one output bit changed");
	let mut other_input = input.clone();
	other_input[0] ^= 1;
	assert!(aichain_zk::verify(&vk, &proof, &zk_public_inputs(&other_input, &output)).is_err(), "one input bit changed");
}

#[test]
fn a_models_directory_loads_every_format_and_skips_bad_files() {
	let dir = tempfile::tempdir().unwrap();
	let committed = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("models");
	std::fs::copy(committed.join("digits-mlp.safetensors"), dir.path().join("digits-mlp.safetensors")).unwrap();
	let mut rng = StdRng::seed_from_u64(9);
	let (model, bytes) = served(random_network(&mut rng));
	std::fs::write(dir.path().join("mine.safetensors"), &bytes).unwrap();
	let key = prover::KeyCache::new(dir.path().join("keys")).get_or_generate(&model, &mut rng).unwrap();
	std::fs::write(dir.path().join("corrupt.safetensors"), &bytes[..bytes.len() / 2]).unwrap();
	std::fs::write(dir.path().join("notes.txt"), b"not a model").unwrap();
	let loaded = models::load_dir(dir.path(), &LoadContext::cpu()).unwrap();
	let names: Vec<&str> = loaded.iter().map(|l| l.model.card().name.as_str()).collect();
	// The character model is served wherever its plays are installed (CI installs them).
	let plays = models::char_lm::corpus::default_dir().is_dir();
	let expected: Vec<&str> =
		["digits-mlp", "mine", "char-lm-2x64", "training step"].into_iter().filter(|n| plays || *n != "char-lm-2x64").collect();
	assert_eq!(names, expected, "the corrupt file is skipped, not fatal");
	let mine = &loaded[1];
	assert_eq!(mine.model.card().weights_sha256, model.card().weights_sha256);
	assert_eq!(mine.model.card().max_input_len as usize, 4 * model.file().network.inputs());
	assert_eq!(mine.proving_key.as_ref().map(prover::verifying_key), Some(prover::verifying_key(&key)));
	assert!(loaded[0].proving_key.is_none(), "no digits key in this directory");
}

#[test]
fn quantization_folds_the_standardisation_and_tracks_the_float_network() {
	// A PyTorch-style state dict: `net.0` and `net.2` linear layers, standardised inputs.
	let device = candle_core::Device::Cpu;
	let t = |v: &[f32], shape: &[usize]| candle_core::Tensor::from_slice(v, shape, &device).unwrap();
	let tensors = HashMap::from([
		("net.0.weight".to_string(), t(&[0.5, -1.25, 2.0, 0.75, -0.3, 0.1], &[3, 2])),
		("net.0.bias".to_string(), t(&[0.1, -0.2, 0.05], &[3])),
		("net.2.weight".to_string(), t(&[1.5, -0.7, 0.9], &[1, 3])),
		("net.2.bias".to_string(), t(&[-0.4], &[1])),
		("input.mean".to_string(), t(&[100.0, 5.0], &[2])),
		("input.std".to_string(), t(&[20.0, 2.0], &[2])),
	]);
	let dir = tempfile::tempdir().unwrap();
	let path = dir.path().join("float.safetensors");
	candle_core::safetensors::save(&tensors, &path).unwrap();
	let float = FloatMlp::from_safetensors(&std::fs::read(&path).unwrap(), None).unwrap();
	assert_eq!(float.activations, [Activation::Relu, Activation::Identity]);
	// The folded first layer on raw inputs is the original one on standardised inputs.
	let raw = [130.0, 2.0];
	let hidden = |w: [f64; 2], b: f64| (w[0] * (raw[0] - 100.0) / 20.0 + w[1] * (raw[1] - 5.0) / 2.0 + b).max(0.0);
	let expected = 1.5 * hidden([0.5, -1.25], 0.1) - 0.7 * hidden([2.0, 0.75], -0.2) + 0.9 * hidden([-0.3, 0.1], 0.05) - 0.4;
	assert!((float.forward(&raw)[0] - expected).abs() < 1e-5);
	let calibration: Vec<Vec<f64>> = (0..200).map(|i| vec![60.0 + i as f64 * 0.4, (i % 11) as f64]).collect();
	let file = quantize(&float, &calibration, QuantizeOptions { input_frac: 2, ..Default::default() }).unwrap();
	let output_frac = file.info_number("output_frac").unwrap();
	for x in &calibration {
		let q: Vec<i32> = x.iter().map(|v| (v * 4.0).round() as i32).collect();
		let out = file.network.forward(&q).unwrap()[0] as f64 / 2f64.powi(output_frac);
		assert!((out - float.forward(x)[0]).abs() < 0.01, "{x:?}: quantized {out}, float {}", float.forward(x)[0]);
	}
}
