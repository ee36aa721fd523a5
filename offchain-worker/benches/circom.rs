//! Groth16 proving of a circom circuit with its snarkjs `.zkey`: this engine's prover
//! (arkworks with snarkjs' reduction, `models::circom::reduction`) on a witness snarkjs computed.
//! `scripts/bench-circom.sh` runs it next to `snarkjs groth16 prove` on the same `.zkey` and
//! `.wtns` and prints the ratio.
//!
//!     AICHAIN_CIRCOM_BENCH=DIR cargo bench -p aichain-offchain-worker --bench circom
//!
//! `DIR` holds `circuit.zkey` and `witness.wtns`; without it, the committed ISLP logit circuit
//! and its test witness.

use aichain_offchain_worker::{
	models::circom::{reduction, wtns, zkey::Zkey},
	prover,
};
use ark_std::rand::{rngs::StdRng, SeedableRng};
use criterion::{criterion_group, criterion_main, Criterion};
use std::path::PathBuf;

fn circom(c: &mut Criterion) {
	let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
	let (zkey_path, wtns_path, name) = match std::env::var_os("AICHAIN_CIRCOM_BENCH") {
		Some(dir) => (PathBuf::from(&dir).join("circuit.zkey"), PathBuf::from(&dir).join("witness.wtns"), "bench-circuit"),
		None => (
			root.join("models/islp-logit/circuit.zkey"),
			root.join("tests/fixtures/circom/islp-logit-student-1500-40000.wtns"),
			"islp-logit",
		),
	};
	let zkey_bytes = std::fs::read(&zkey_path).unwrap();
	let zkey = Zkey::parse(&zkey_bytes).unwrap();
	let (proving_key, matrices) = (zkey.proving_key().unwrap(), zkey.matrices().unwrap());
	let witness = wtns::read(&std::fs::read(&wtns_path).unwrap()).unwrap();
	println!("{name}: {} constraints, {} signals, domain {}", matrices.constraints(), zkey.header.signals, zkey.header.domain_size);
	let mut rng = StdRng::seed_from_u64(1);
	// What is timed is a correct prover: its proof verifies on the witness's public signals.
	let proof = reduction::prove(&proving_key, &matrices, &witness, &mut rng).unwrap();
	let public: Vec<_> = witness[1..=zkey.header.public].iter().map(aichain_zk::decode::encode::scalar).collect();
	aichain_zk::verify(&prover::verifying_key(&proving_key), &proof, &public).expect("the proof verifies");
	let mut group = c.benchmark_group("circom");
	group.sample_size(10);
	group.bench_function(format!("prove/{name}"), |b| {
		b.iter(|| reduction::prove(&proving_key, &matrices, &witness, &mut rng).unwrap())
	});
	group.finish();
}

criterion_group!(benches, circom);
criterion_main!(benches);
