//! Native Groth16 verification speed: one proof for 1, 4 and 16 public inputs, with the key
//! given in full (`aichain_zk`) and prepared as the pallet stores it (`prepared`); batches of 1, 8
//! and 64 proofs (reported per batch: divide by the size for the per-proof cost); batches under
//! prepared keys (the chain's batch path: 1, 8 and 64 proofs of 4 inputs under one key, and 64
//! proofs of 52 inputs under 1, 8 and 64 keys); and, as the baseline measured in the same run,
//! arkworks' own `Groth16::verify_proof` on the same proof.
//!
//! `cargo bench -p aichain-zk --features testing --bench verify`

use aichain_zk::{
	batch_verify, batch_verify_prepared, prepare, simulate, verify, verify_prepared, BatchItem, PreparedStatement,
	PreparedVerifyingKey,
};
use ark_bn254::Bn254;
use ark_groth16::Groth16;
use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};

fn single(c: &mut Criterion) {
	let mut group = c.benchmark_group("verify");
	for n in [1u32, 4, 16] {
		let (vk, proof, inputs) = simulate::statement(n, 1, 0);
		group.bench_with_input(BenchmarkId::new("aichain_zk", n), &n, |b, _| {
			b.iter(|| verify(&vk, &proof, &inputs).unwrap())
		});
		let prepared = prepare(&vk).unwrap();
		group.bench_with_input(BenchmarkId::new("prepared", n), &n, |b, _| {
			b.iter(|| verify_prepared(&prepared, &proof, &inputs).unwrap())
		});
	}
	// Baseline: arkworks' verifier (prepares the key, then 3 Miller loops + final exp) on a
	// real proof with 4 public inputs, and ours on the same statement.
	let (pk, vk) = aichain_zk::testing::setup(4, 1);
	let (proof, inputs) = aichain_zk::testing::prove(&pk, 7, 1);
	let ark_inputs: Vec<ark_bn254::Fr> = inputs.iter().map(|x| aichain_zk::decode::scalar(x).unwrap()).collect();
	let ark_proof = ark_groth16::Proof::<Bn254> {
		a: aichain_zk::decode::g1(&proof.a).unwrap(),
		b: aichain_zk::decode::g2(&proof.b).unwrap(),
		c: aichain_zk::decode::g1(&proof.c).unwrap(),
	};
	group.bench_function("arkworks_prepare_and_verify/4", |b| {
		b.iter(|| {
			let pvk = ark_groth16::prepare_verifying_key(&pk.vk);
			assert!(Groth16::<Bn254>::verify_proof(&pvk, &ark_proof, &ark_inputs).unwrap())
		})
	});
	group.bench_function("aichain_zk_real_proof/4", |b| b.iter(|| verify(&vk, &proof, &inputs).unwrap()));
	let prepared = prepare(&vk).unwrap();
	group.bench_function("prepared_real_proof/4", |b| {
		b.iter(|| verify_prepared(&prepared, &proof, &inputs).unwrap())
	});
	group.finish();
}

fn batch(c: &mut Criterion) {
	let mut group = c.benchmark_group("batch_verify");
	group.sample_size(10);
	for size in [1u32, 8, 64] {
		let items: Vec<BatchItem> = (0..size)
			.map(|s| {
				let (vk, proof, inputs) = simulate::statement(4, 1, s);
				BatchItem { vk, proof, inputs }
			})
			.collect();
		group.throughput(Throughput::Elements(size as u64));
		group.bench_with_input(BenchmarkId::from_parameter(size), &items, |b, items| {
			b.iter(|| batch_verify(items).unwrap())
		});
	}
	group.finish();
}

/// `size` trapdoor statements with `inputs` inputs spread round-robin over `keys` keys.
fn prepared_batch_of(size: u32, inputs: u32, keys: u32) -> (Vec<PreparedVerifyingKey>, Vec<PreparedStatement>) {
	let prepared = (0..keys).map(|k| prepare(&simulate::verifying_key(inputs, 1 + k as u64)).unwrap()).collect();
	let statements = (0..size)
		.map(|s| {
			let key = s % keys;
			let (_, proof, inputs) = simulate::statement(inputs, 1 + key as u64, s);
			PreparedStatement { key, proof, inputs }
		})
		.collect();
	(prepared, statements)
}

fn prepared_batch(c: &mut Criterion) {
	let mut group = c.benchmark_group("batch_verify_prepared");
	group.sample_size(10);
	let cases = [(1u32, 4u32, 1u32), (8, 4, 1), (64, 4, 1), (64, 52, 1), (64, 52, 8), (64, 52, 64)];
	for (size, inputs, keys) in cases {
		let (prepared, statements) = prepared_batch_of(size, inputs, keys);
		group.throughput(Throughput::Elements(size as u64));
		let id = BenchmarkId::from_parameter(format!("{size}x{inputs}in/{keys}keys"));
		group.bench_with_input(id, &statements, |b, statements| {
			b.iter(|| batch_verify_prepared(&prepared, statements).unwrap())
		});
	}
	group.finish();
}

criterion_group!(benches, single, batch, prepared_batch);
criterion_main!(benches);
