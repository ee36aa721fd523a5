//! Groth16 verification inside the wasm runtime, with and without the host function, timed
//! through the node's executor (the same call a validator makes): one proof with 1, 4 and 16
//! public inputs, with the key given in full (`runtime_verify`) and prepared as the verifier
//! pallet stores registered keys (`runtime_verify_prepared`, the path of `verify_proof` and of
//! zk job results), and batches of 1, 8 and 64 proofs with 4 inputs. The runtime-call overhead
//! (instantiation, argument copying) is included, as it is on chain.
//!
//! `cargo bench -p aichain-node --bench runtime_verify`

use aichain_zk::{runtime_api::VerificationPath, simulate, BatchItem};
use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};

#[path = "../tests/common/runtime_executor.rs"]
mod runtime_executor;

fn statement(n: u32, s: u32) -> BatchItem {
	let (vk, proof, inputs) = simulate::statement(n, 1, s);
	BatchItem { vk, proof, inputs }
}

fn paths() -> [(VerificationPath, &'static str); 2] {
	[(VerificationPath::NativeHost, "host"), (VerificationPath::PureWasm, "wasm")]
}

fn single(c: &mut Criterion) {
	let exec = runtime_executor::RuntimeExecutor::new();
	let mut group = c.benchmark_group("runtime_verify");
	group.sample_size(20);
	for n in [1u32, 4, 16] {
		let item = statement(n, 0);
		for (path, name) in paths() {
			group.bench_with_input(BenchmarkId::new(name, n), &item, |b, item| {
				b.iter(|| exec.verify(item, path).unwrap())
			});
		}
	}
	group.finish();

	let mut group = c.benchmark_group("runtime_verify_prepared");
	group.sample_size(20);
	for n in [1u32, 4, 16] {
		let item = statement(n, 0);
		let key = exec.prepare(&item.vk, VerificationPath::NativeHost).unwrap();
		for (path, name) in paths() {
			group.bench_with_input(BenchmarkId::new(name, n), &item, |b, item| {
				b.iter(|| exec.verify_prepared(&key, &item.proof, &item.inputs, path).unwrap())
			});
		}
	}
	group.finish();
}

fn batch(c: &mut Criterion) {
	let exec = runtime_executor::RuntimeExecutor::new();
	let mut group = c.benchmark_group("runtime_batch_verify");
	group.sample_size(10);
	for size in [1u32, 8, 64] {
		let items: Vec<BatchItem> = (0..size).map(|s| statement(4, s)).collect();
		group.throughput(Throughput::Elements(size as u64));
		for (path, name) in paths() {
			group.bench_with_input(BenchmarkId::new(name, size), &items, |b, items| {
				b.iter(|| exec.batch_verify(items, path).unwrap())
			});
		}
	}
	group.finish();
}

criterion_group!(benches, single, batch);
criterion_main!(benches);
