//! End to end through a provider node: the dev node runs with `--worker` (Alice's node is a
//! compute provider with the repository's digits model and its proving key, installed by
//! scripts/fetch-models.sh). Charlie registers the model's Groth16 verifying key and the model,
//! Alice registers as its worker, Bob submits a zk-tier job with a real handwritten digit. The
//! runtime's offchain worker on Alice's node hands the job to the compute engine, which runs the
//! fixed-point model and proves it; the offchain worker submits the result with the proof as a
//! signed transaction from Alice; the runtime verifies the Groth16 proof and pays from escrow.
//! Checks the classification, that the proof was verified on chain (no rejection, Alice's
//! completed count), and the exact balance changes of requester and model owner.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Keyring } from '@polkadot/keyring';
import { startNode, connect, stop, waitFor, submitFinalized, feePaid, logTail } from './lib/chain.js';

const UNIT = 10n ** 12n;
const ROOT = join(dirname(fileURLToPath(import.meta.url)), '../..');
const DIGITS_SHA256 = '18406e4d3a884c1959112d74af7bec073af5bf17236617fa6a6d7c950ba40ec5';

let node;
let api;
before(async () => {
  node = await startNode('provider', { args: ['--dev', '--worker'] });
  api = await connect(node);
  await waitFor(api, (h) => h.finalized >= 1, 60_000, 'first finalized block');
});
after(async () => { if (node) await stop(node); });

/** The first test-split digit (row 0 of the data set): 64 pixels 0..16 and its label. */
function firstTestDigit() {
  const csv = gunzipSync(readFileSync(join(ROOT, 'offchain-worker/data/digits.csv.gz'))).toString();
  const values = csv.split('\n')[0].split(',').map(Number);
  return { pixels: Uint8Array.from(values.slice(0, 64)), label: values[64] };
}

/** The event `section.method` among a transaction's events, or undefined. */
function findEvent(result, section, method) {
  return result.events.map(({ event }) => event).find((e) => e.section === section && e.method === method);
}

/** Waits for the jobs event `method` of `job` in new blocks; returns [event, blockHash]. */
async function waitForJobEvent(job, methods, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  let seen = 0;
  for (;;) {
    const header = await api.rpc.chain.getHeader();
    const number = header.number.toNumber();
    for (let n = Math.max(seen + 1, number - 5); n <= number; n++) {
      const hash = await api.rpc.chain.getBlockHash(n);
      const events = await (await api.at(hash)).query.system.events();
      for (const { event } of events) {
        if (event.section === 'jobs' && methods.includes(event.method) && event.data.job.toNumber() === job) {
          return [event, hash];
        }
      }
    }
    seen = number;
    if (Date.now() > deadline) throw new Error(`no jobs.${methods} for job ${job}; node log:\n${logTail(node, 40)}`);
    await new Promise((r) => setTimeout(r, 1000));
  }
}

test('dev provider node: a digits job is run, proven by the offchain worker, verified on chain and paid', { timeout: 300_000 }, async () => {
  const keyring = new Keyring({ type: 'sr25519' });
  const [alice, bob, charlie] = ['//Alice', '//Bob', '//Charlie'].map((u) => keyring.addFromUri(u));
  const free = async (who) => (await api.query.system.account(who)).data.free.toBigInt();

  // Charlie, the model owner, registers the verifying key of the model's circuit, then the model.
  const vk = readFileSync(join(ROOT, `offchain-worker/models/keys/${DIGITS_SHA256}.vk`));
  const keyReg = await submitFinalized(api, api.tx.zkVerifier.registerVerifyingKey('0x' + vk.toString('hex')), charlie);
  assert.equal(keyReg.dispatchError, undefined, 'the verifying key registers');
  const keyId = findEvent(keyReg, 'zkVerifier', 'VerifyingKeyRegistered').data.keyId;
  const price = 1n * UNIT;
  const royaltyBps = 1000n;
  const spec = {
    name: 'digits-mlp-v1', kind: 'Classifier', weightsSha256: '0x' + DIGITS_SHA256,
    contentAddress: 'git:offchain-worker/models/digits-mlp.safetensors', verifyingKey: keyId,
    price, royaltyBps, maxInputLen: 64, maxOutputLen: 40,
  };
  const modelReg = await submitFinalized(api, api.tx.models.registerModel(spec), charlie);
  assert.equal(modelReg.dispatchError, undefined, 'the model registers');
  const model = findEvent(modelReg, 'models', 'ModelRegistered').data.model.toNumber();

  // Alice's node is the provider: her account is its provider key (`--dev` derives it).
  const workerReg = await submitFinalized(
    api, api.tx.workers.registerWorker(100n * UNIT, { cpuCores: 2, memoryMb: 2048, gpu: null }, [model]), alice);
  assert.equal(workerReg.dispatchError, undefined, 'Alice registers as a worker');

  // Bob submits a zk job: the first test digit.
  const digit = firstTestDigit();
  const [bobBefore, charlieBefore] = [await free(bob.address), await free(charlie.address)];
  const submitted = await submitFinalized(
    api, api.tx.jobs.submitJob(model, '0x' + Buffer.from(digit.pixels).toString('hex'), 'Zk', 2n * UNIT, 20), bob);
  assert.equal(submitted.dispatchError, undefined, 'the job is accepted');
  const job = findEvent(submitted, 'jobs', 'JobSubmitted').data.job.toNumber();
  const assigned = findEvent(submitted, 'jobs', 'JobAssigned');
  assert.deepEqual(assigned.data.workers.map((w) => w.toString()), [alice.address], 'assigned to the provider');

  // The offchain worker proves and submits; the chain verifies and pays.
  const [done] = await waitForJobEvent(job, ['JobCompleted', 'ResultRejected', 'JobRefunded'], 120_000);
  assert.equal(done.method, 'JobCompleted', `the job completes (got ${done.method})`);
  const { output, workers, workerPayment, royalty, fee } = done.data;
  assert.deepEqual(workers.map((w) => w.toString()), [alice.address]);
  const bytes = Buffer.from(output.toU8a(true));
  assert.equal(bytes.length, 40, 'ten i32 logits');
  const logits = Array.from({ length: 10 }, (_, i) => bytes.readInt32LE(4 * i));
  const predicted = logits.indexOf(Math.max(...logits));
  assert.equal(predicted, digit.label, `the model classifies the digit (logits ${logits})`);

  // Exact money: Bob paid the price and the 5% protocol fee (plus his transaction fee); the
  // royalty (10% of the price) reached Charlie; Alice earned the rest of the price.
  const protocolFee = price * 5n / 100n;
  assert.equal(fee.toBigInt(), protocolFee);
  assert.equal(royalty.toBigInt(), price * royaltyBps / 10_000n);
  assert.equal(workerPayment.toBigInt(), price - royalty.toBigInt());
  assert.equal(await free(bob.address), bobBefore - price - protocolFee - feePaid(api, submitted));
  assert.equal(await free(charlie.address), charlieBefore + royalty.toBigInt());
  const info = (await api.query.workers.workers(alice.address)).unwrap();
  assert.equal(info.completed.toNumber(), 1, 'the verified result counts for Alice');
  assert.equal(info.failed.toNumber(), 0);
  assert.equal(info.activeJobs.toNumber(), 0);
});
