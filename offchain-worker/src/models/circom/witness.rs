//! Runs a circom witness generator (`circom --wasm`'s `<circuit>.wasm`) on wasmtime: the
//! witness of a circuit's inputs, as `witness_calculator.js` computes it.
//!
//! The wasm is the model owner's code, so it is untrusted: it may only import circom's four
//! `runtime` functions, each call gets a fresh instance with a memory cap and an instruction
//! budget ([`Limits`], wasmtime fuel: a witness that runs too long is stopped, deterministically),
//! and whatever it does ends in an [`Error::Witness`], never in a panic of the provider.
//!
//! The interface (circom 2.x): `init(sanity)`; per input signal `getInputSignalSize(h_msb,
//! h_lsb)` and `setInputSignal(h_msb, h_lsb, index)` after writing the value into the shared
//! memory (`writeSharedRWMemory(word, u32)`, least significant word first), where `h` is the
//! 64-bit FNV-1a hash of the signal's name; then `getWitness(i)` and `readSharedRWMemory` for
//! each of `getWitnessSize()` values. Field elements are 8 words (`getFieldNumLen32`), and the
//! prime (`getRawPrime`) must be BN254's scalar field.

use crate::{Error, Result};
use ark_bn254::Fr;
use ark_ff::{BigInteger256, PrimeField};
use wasmtime::{Caller, Config, Engine, Instance, Linker, Module, Store, StoreLimits, StoreLimitsBuilder};

/// What one witness computation may use.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Limits {
	/// wasmtime fuel (about one unit per wasm instruction).
	pub fuel: u64,
	/// Linear memory, bytes.
	pub memory_bytes: usize,
}

impl Default for Limits {
	/// 20 billion instructions (some seconds) and 1 GiB, enough for circuits of about a million
	/// constraints.
	fn default() -> Self {
		Self { fuel: 20_000_000_000, memory_bytes: 1 << 30 }
	}
}

/// The imports a circom witness generator may have, all in module `runtime`.
const IMPORTS: [&str; 4] = ["exceptionHandler", "printErrorMessage", "writeBufferMessage", "showSharedRWMemory"];

/// Longest message read from the wasm (error texts, `log()` output).
const MAX_MESSAGE: usize = 4096;

/// A compiled witness generator.
pub struct WitnessGenerator {
	engine: Engine,
	module: Module,
	limits: Limits,
}

/// Per-call state of the wasm's store.
struct State {
	limits: StoreLimits,
	/// The messages the wasm printed before failing.
	messages: String,
}

impl WitnessGenerator {
	/// Compiles (and validates) `wasm`. Errors: [`Error::Witness`] if it is not wasm or imports
	/// anything but circom's runtime functions.
	pub fn new(wasm: &[u8], limits: Limits) -> Result<Self> {
		let mut config = Config::new();
		config.consume_fuel(true);
		let engine = Engine::new(&config).map_err(failed("configure wasmtime"))?;
		let module = Module::new(&engine, wasm).map_err(failed("compile the witness generator"))?;
		for import in module.imports() {
			if import.module() != "runtime" || !IMPORTS.contains(&import.name()) {
				return Err(Error::Witness(format!(
					"the witness generator imports {}.{}: only circom's runtime functions are allowed",
					import.module(),
					import.name()
				)));
			}
		}
		Ok(Self { engine, module, limits })
	}

	/// The witness of `inputs` (each input signal's name and its values, in the order of the
	/// flattened signal array): `[1, public signals…, private signals…]`, which must have
	/// `signals` values (the key's count: the wasm's own size is not trusted).
	pub fn calculate(&self, inputs: &[(&str, Vec<Fr>)], signals: usize) -> Result<Vec<Fr>> {
		let state = State {
			limits: StoreLimitsBuilder::new()
				.memory_size(self.limits.memory_bytes)
				.instances(1)
				.memories(1)
				.tables(4)
				.build(),
			messages: String::new(),
		};
		let mut store = Store::new(&self.engine, state);
		store.limiter(|state| &mut state.limits);
		store.set_fuel(self.limits.fuel).map_err(failed("set the fuel"))?;
		let result = Self::run(&self.engine, &self.module, &mut store, inputs, signals);
		result.map_err(|error| {
			let out_of_fuel = store.get_fuel().is_ok_and(|fuel| fuel == 0);
			let messages = store.data().messages.trim().to_owned();
			match (out_of_fuel, messages.is_empty()) {
				(true, _) => Error::Witness(format!("ran out of its budget of {} instructions", self.limits.fuel)),
				(false, true) => error,
				(false, false) => match error {
					Error::Witness(reason) => Error::Witness(format!("{reason} ({messages})")),
					other => other,
				},
			}
		})
	}

	fn run(
		engine: &Engine,
		module: &Module,
		store: &mut Store<State>,
		inputs: &[(&str, Vec<Fr>)],
		signals: usize,
	) -> Result<Vec<Fr>> {
		let instance = linker(engine)?.instantiate(&mut *store, module).map_err(failed("instantiate"))?;
		let exports = Exports(instance);
		if exports.call_i32(store, "getFieldNumLen32", ())? != WORDS as i32 {
			return Err(Error::Witness("the circuit's field elements are not 256 bits: not BN254".into()));
		}
		exports.call_unit(store, "getRawPrime", ())?;
		if exports.read(store)? != Fr::MODULUS {
			return Err(Error::Witness("the circuit is compiled for another prime than BN254's scalar field".into()));
		}
		exports.call_unit(store, "init", 1)?;
		let mut set = 0i64;
		for (name, values) in inputs {
			let hash = fnv1a64(name);
			let (msb, lsb) = ((hash >> 32) as u32 as i32, hash as u32 as i32);
			let size = exports.call_i32(store, "getInputSignalSize", (msb, lsb))?;
			if size < 0 {
				return Err(Error::Witness(format!("the circuit has no input signal {name:?}")));
			}
			if size as usize != values.len() {
				return Err(Error::Witness(format!("input signal {name:?} takes {size} values, not {}", values.len())));
			}
			for (index, value) in values.iter().enumerate() {
				exports.write(store, value)?;
				exports.call_unit(store, "setInputSignal", (msb, lsb, index as i32))?;
				set += 1;
			}
		}
		let wanted = exports.call_i32(store, "getInputSize", ())?;
		if set != wanted as i64 {
			return Err(Error::Witness(format!("{set} input values given, the circuit takes {wanted}")));
		}
		let size = exports.call_i32(store, "getWitnessSize", ())?;
		if usize::try_from(size) != Ok(signals) {
			return Err(Error::Witness(format!("a witness of {size} values, the key has {signals} signals")));
		}
		(0..signals)
			.map(|i| {
				exports.call_unit(store, "getWitness", i as i32)?;
				let value = exports.read(store)?;
				Fr::from_bigint(value).ok_or_else(|| Error::Witness(format!("witness value {i} is not below the prime")))
			})
			.collect()
	}
}

/// Words of a field element in the shared memory.
const WORDS: usize = 8;

/// The generator's exports this runner calls.
struct Exports(Instance);

impl Exports {
	fn func<P: wasmtime::WasmParams, R: wasmtime::WasmResults>(
		&self,
		store: &mut Store<State>,
		name: &str,
	) -> Result<wasmtime::TypedFunc<P, R>> {
		self.0
			.get_typed_func::<P, R>(&mut *store, name)
			.map_err(|e| Error::Witness(format!("the witness generator's export {name}: {e}")))
	}

	fn call_i32<P: wasmtime::WasmParams>(&self, store: &mut Store<State>, name: &str, params: P) -> Result<i32> {
		self.func::<P, i32>(store, name)?.call(&mut *store, params).map_err(trapped(name))
	}

	fn call_unit<P: wasmtime::WasmParams>(&self, store: &mut Store<State>, name: &str, params: P) -> Result<()> {
		self.func::<P, ()>(store, name)?.call(&mut *store, params).map_err(trapped(name))
	}

	/// The field element in the shared memory.
	fn read(&self, store: &mut Store<State>) -> Result<BigInteger256> {
		let read = self.func::<i32, i32>(store, "readSharedRWMemory")?;
		let mut limbs = [0u64; 4];
		for word in 0..WORDS {
			let value = read.call(&mut *store, word as i32).map_err(trapped("readSharedRWMemory"))? as u32 as u64;
			limbs[word / 2] |= value << (32 * (word % 2));
		}
		Ok(BigInteger256::new(limbs))
	}

	/// Writes `value` into the shared memory.
	fn write(&self, store: &mut Store<State>, value: &Fr) -> Result<()> {
		let write = self.func::<(i32, i32), ()>(store, "writeSharedRWMemory")?;
		let limbs = value.into_bigint().0;
		for word in 0..WORDS {
			let value = (limbs[word / 2] >> (32 * (word % 2))) as u32 as i32;
			write.call(&mut *store, (word as i32, value)).map_err(trapped("writeSharedRWMemory"))?;
		}
		Ok(())
	}
}

/// circom's runtime functions: errors end the computation with the wasm's message.
fn linker(engine: &Engine) -> Result<Linker<State>> {
	let mut linker = Linker::new(engine);
	let define = |result: wasmtime::Result<&mut Linker<State>>| result.map(drop).map_err(failed("define the runtime"));
	define(linker.func_wrap("runtime", "exceptionHandler", |_: Caller<'_, State>, code: i32| -> wasmtime::Result<()> {
		let what = match code {
			1 => "signal not found",
			2 => "too many signals set",
			3 => "signal already set",
			4 => "assert failed: the input does not satisfy the circuit",
			5 => "not enough memory",
			6 => "input signal array access exceeds the size",
			7 => "out of bounds array access",
			_ => "unknown error",
		};
		Err(wasmtime::Error::msg(what))
	}))?;
	define(linker.func_wrap("runtime", "printErrorMessage", |mut caller: Caller<'_, State>| -> wasmtime::Result<()> {
		let message = read_message(&mut caller)?;
		let messages = &mut caller.data_mut().messages;
		if messages.len() < MAX_MESSAGE {
			messages.push_str(&message);
			messages.push('\n');
		}
		Ok(())
	}))?;
	define(linker.func_wrap("runtime", "writeBufferMessage", |mut caller: Caller<'_, State>| -> wasmtime::Result<()> {
		let message = read_message(&mut caller)?;
		log::debug!(target: "aichain::engine", "circom log: {message}");
		Ok(())
	}))?;
	define(linker.func_wrap("runtime", "showSharedRWMemory", |_: Caller<'_, State>| -> wasmtime::Result<()> { Ok(()) }))?;
	Ok(linker)
}

/// The message the wasm offers through `getMessageChar` (at most [`MAX_MESSAGE`] characters).
fn read_message(caller: &mut Caller<'_, State>) -> wasmtime::Result<String> {
	let next = caller
		.get_export("getMessageChar")
		.and_then(|e| e.into_func())
		.ok_or_else(|| wasmtime::Error::msg("no getMessageChar export"))?
		.typed::<(), i32>(&*caller)?;
	let mut message = String::new();
	for _ in 0..MAX_MESSAGE {
		match next.call(&mut *caller, ())? {
			0 => break,
			c => message.push(char::from_u32(c as u32).unwrap_or('?')),
		}
	}
	Ok(message)
}

/// circom's hash of an input signal's name: 64-bit FNV-1a of its bytes.
pub fn fnv1a64(name: &str) -> u64 {
	name.bytes().fold(0xcbf2_9ce4_8422_2325, |hash, byte| (hash ^ byte as u64).wrapping_mul(0x0000_0100_0000_01b3))
}

fn failed(what: &'static str) -> impl Fn(wasmtime::Error) -> Error {
	move |error| Error::Witness(format!("could not {what}: {error}"))
}

fn trapped(name: &str) -> impl Fn(wasmtime::Error) -> Error + '_ {
	move |error| Error::Witness(format!("{name}: {}", error.root_cause()))
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn signal_names_hash_as_circom_hashes_them() {
		// witness_calculator.js's fnvHash("in") and fnvHash("") (the offset basis).
		assert_eq!(fnv1a64(""), 0xcbf29ce484222325);
		assert_eq!(fnv1a64("a"), 0xaf63dc4c8601ec8c);
	}
}
