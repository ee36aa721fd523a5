//! End to end through a provider node: the dev node runs with `--worker` (Alice's node is a
//! compute provider with the repository's digits model and its proving key, installed by
//! scripts/fetch-models.sh). Charlie registers the model's Groth16 verifying key and the model,
//! Alice registers as its worker, Bob submits a zk-tier job with a real handwritten digit. The
//! runtime's offchain worker on Alice's node hands the job to the compute engine, which runs the
//! fixed-point model and proves it; the offchain worker submits the result with the proof as a
//! signed transaction from Alice; the runtime verifies the Groth16 proof and pays from escrow.
//! Checks the classification, that the proof was verified on chain (no rejection, Alice's
//! completed count), and the exact balance changes of requester and model owner.
//! Then a dropped transaction: the provider's `submit_result` is removed from the node's pool
//! before it is included; the offchain worker sends it again `ResendAfter` blocks later, and the
//! job completes with exactly that one included result.
//! Then the same through the command-line client `aichain-client` (Rust, subxt): Dave registers
//! a model with its verifying key from a file, Bob submits a job with input from a file and the
//! client prints the verified output; it lists jobs, workers, models and balances.
//! Then a dApp's own models: the lending-risk fixed-point MLP from polkadot.js, the client and
//! Python, audited; and a circom circuit (offchain-worker/models/islp-logit) registered by Eve
//! with snarkjs' verification_key.json through the client, its job proven by Alice's provider
//! from the circuit's own wasm witness generator and .zkey (output checked against snarkjs'),
//! audited, and an input the circuit refuses declined and refunded.
//! Then the DAO's use case: two referenda on the `compute` track, proposed and voted on through
//! the client, each request a market-risk job (ISLP NYSE data) paid by the treasury; the
//! provider proves it, and the verified high-volatility logit picks which treasury spend is
//! enacted with the track's origin: a calm day and a turbulent day enact different spends, and
//! the treasury and beneficiaries change by exactly the job's cost and the spend.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import { Keyring } from '@polkadot/keyring';
import { startNode, connect, stop, waitFor, submitFinalized, feePaid, logTail } from './lib/chain.js';
import {
  UNIT, DIGITS_PRICE, DIGITS_ROYALTY_BPS, DIGITS_SHA256, ROOT, findEvent, registerDigitsModel, registerWorker, testDigit,
  decodeLogits, waitForJobEvent, LENDING, encodeBorrower, registerLendingModel, registerMarketRiskModel, nyseDays,
  encodeMarketDays, expectSuccess, waitForEvent, resultJobs,
} from './lib/market.js';

let node;
let api;
/** The digits model registered by the first test (served by Alice's node). */
let digitsModel;
/** The lending-risk model registered by the first test (served by Alice's node too). */
let lendingModel;
/** The ISLP default-logit circom circuit registered by the first test (served by Alice's node). */
let circomModel;
/** The market-risk model registered by the first test (served by Alice's node). */
let marketRiskModel;
const CIRCOM_DIR = join(ROOT, 'offchain-worker/models/islp-logit');

/** Runs aichain-client against the dev node as `suri`; returns its output. */
async function client(suri, ...args) {
  const { stdout } = await promisify(execFile)(process.env.CLIENT_BIN,
    ['--url', `ws://127.0.0.1:${node.rpcPort}`, '--suri', suri, ...args], { timeout: 240_000 });
  return stdout;
}

/** Eve registers the circom model: its weights hash is model.json's, its key snarkjs' JSON. */
async function registerCircomModel() {
  const sha256 = createHash('sha256').update(readFileSync(join(CIRCOM_DIR, 'model.json'))).digest('hex');
  const out = await client('//Eve', 'register-model', '--name', 'islp-default-logit', '--kind', 'classifier',
    '--weights-sha256', sha256, '--content-address', 'git:offchain-worker/models/islp-logit',
    '--snarkjs-verification-key', join(CIRCOM_DIR, 'verification_key.json'), '--price', '1',
    '--max-input-len', '12', '--max-output-len', '4');
  const id = Number(/model (\d+) registered/.exec(out)?.[1]);
  assert.ok(Number.isInteger(id), `the client registers the circom model:\n${out}`);
  return id;
}
before(async () => {
  node = await startNode('provider', { args: ['--dev', '--worker'] });
  api = await connect(node);
  await waitFor(api, (h) => h.finalized >= 1, 60_000, 'first finalized block');
});
after(async () => { if (node) await stop(node); });

test('dev provider node: a digits job is run, proven by the offchain worker, verified on chain and paid', { timeout: 300_000 }, async () => {
  const keyring = new Keyring({ type: 'sr25519' });
  const [alice, bob, charlie] = ['//Alice', '//Bob', '//Charlie'].map((u) => keyring.addFromUri(u));
  const free = async (who) => (await api.query.system.account(who)).data.free.toBigInt();

  // Charlie owns the model; Alice's node is the provider (`--dev` derives her provider key).
  const model = await registerDigitsModel(api, charlie);
  digitsModel = model;
  // A dApp's own model, a fixed-point MLP file in Alice's models directory (last test).
  lendingModel = await registerLendingModel(api, charlie);
  // A circom circuit with its snarkjs files, registered by its owner Eve through the client
  // (offchain-worker/models/islp-logit, in Alice's models directory too; a later test).
  circomModel = await registerCircomModel();
  // The DAO's market-risk model (the last test).
  marketRiskModel = await registerMarketRiskModel(api, charlie);
  await registerWorker(api, alice, [model, lendingModel, circomModel, marketRiskModel]);

  // Bob submits a zk job: the first test digit.
  const digit = testDigit(0);
  const [bobBefore, charlieBefore] = [await free(bob.address), await free(charlie.address)];
  const submitted = await submitFinalized(
    api, api.tx.jobs.submitJob(model, '0x' + Buffer.from(digit.pixels).toString('hex'), 'Zk', 2n * UNIT, 20), bob);
  assert.equal(submitted.dispatchError, undefined, 'the job is accepted');
  const job = findEvent(submitted, 'jobs', 'JobSubmitted').data.job.toNumber();
  const assigned = findEvent(submitted, 'jobs', 'JobAssigned');
  assert.deepEqual(assigned.data.workers.map((w) => w.toString()), [alice.address], 'assigned to the provider');

  // The offchain worker proves and submits; the chain verifies and pays.
  const [done, doneBlock] = await waitForJobEvent(api, job, ['JobCompleted', 'ResultRejected', 'JobRefunded'], 120_000,
    () => `; node log:\n${logTail(node, 40)}`);
  assert.equal(done.method, 'JobCompleted', `the job completes (got ${done.method})`);
  const { output, workers, workerPayment, royalty, fee } = done.data;
  assert.deepEqual(workers.map((w) => w.toString()), [alice.address]);
  const { logits, predicted } = decodeLogits(output.toU8a(true));
  assert.equal(logits.length, 10, 'ten i32 logits');
  assert.equal(predicted, digit.label, `the model classifies the digit (logits ${logits})`);

  // Exact money: Bob paid the price and the 5% protocol fee (plus his transaction fee); the
  // royalty (10% of the price) reached Charlie; Alice earned the rest of the price.
  const protocolFee = DIGITS_PRICE * 5n / 100n;
  assert.equal(fee.toBigInt(), protocolFee);
  assert.equal(royalty.toBigInt(), DIGITS_PRICE * DIGITS_ROYALTY_BPS / 10_000n);
  assert.equal(workerPayment.toBigInt(), DIGITS_PRICE - royalty.toBigInt());
  assert.equal(await free(bob.address), bobBefore - DIGITS_PRICE - protocolFee - feePaid(api, submitted));
  assert.equal(await free(charlie.address), charlieBefore + royalty.toBigInt());
  const info = (await api.query.workers.workers(alice.address)).unwrap();
  assert.equal(info.completed.toNumber(), 1, 'the verified result counts for Alice');
  assert.equal(info.failed.toNumber(), 0);
  assert.equal(info.activeJobs.toNumber(), 0);

  // Exactly once: over the job's blocks and five more, Alice's node sent the job's result once
  // (in a `submit_results` batch) and no transaction of hers failed.
  const submittedAt = (await api.rpc.chain.getHeader(submitted.blockHash)).number.toNumber();
  await waitFor(api, (h) => h.best >= doneBlock + 5, 60_000, 'five blocks after completion');
  let results = 0;
  for (let n = submittedAt; n <= doneBlock + 5; n++) {
    const hash = await api.rpc.chain.getBlockHash(n);
    const [block, events] = await Promise.all([api.rpc.chain.getBlock(hash), (await api.at(hash)).query.system.events()]);
    block.block.extrinsics.forEach((x, i) => {
      if (!x.isSigned || x.signer.toString() !== alice.address) return;
      if (resultJobs(x).includes(job)) results++;
      const failed = events.find(({ event, phase }) => phase.isApplyExtrinsic && phase.asApplyExtrinsic.toNumber() === i &&
        event.section === 'system' && event.method === 'ExtrinsicFailed');
      assert.equal(failed, undefined, `Alice's ${x.method.section}.${x.method.method} in block ${n} succeeds`);
    });
  }
  assert.equal(results, 1, 'one transaction carrying the result');
});

test('the command-line client (subxt): register a model, submit a job from a file, print its verified output, list', { timeout: 300_000 }, async () => {
  assert.ok(digitsModel !== undefined, 'the first test registered the digits model');
  const clientBin = process.env.CLIENT_BIN;
  assert.ok(clientBin, 'CLIENT_BIN is set (scripts/env.sh)');
  const client = async (suri, ...args) => {
    const { stdout } = await promisify(execFile)(clientBin, ['--url', `ws://127.0.0.1:${node.rpcPort}`, '--suri', suri, ...args], { timeout: 240_000 });
    return stdout;
  };
  const keyring = new Keyring({ type: 'sr25519' });
  const [alice, bob, dave] = ['//Alice', '//Bob', '//Dave'].map((u) => keyring.addFromUri(u));

  // Dave registers a model and its verifying key from the committed key file.
  const registered = await client('//Dave', 'register-model', '--name', 'digits-by-cli', '--kind', 'classifier',
    '--weights-sha256', DIGITS_SHA256, '--content-address', 'git:offchain-worker/models/digits-mlp.safetensors',
    '--verifying-key-file', join(ROOT, `offchain-worker/models/keys/${DIGITS_SHA256}.vk`),
    '--price', '1.5', '--royalty-bps', '250', '--max-input-len', '64', '--max-output-len', '40',
    '--min-timeout', '12');
  const cliModel = Number(/model (\d+) registered/.exec(registered)?.[1]);
  const info = (await api.query.models.models(cliModel)).unwrap();
  assert.equal(info.owner.toString(), dave.address, `Dave owns model ${cliModel}:\n${registered}`);
  assert.equal(info.spec.name.toUtf8(), 'digits-by-cli');
  assert.equal(info.spec.price.toBigInt(), 3n * UNIT / 2n);
  assert.equal(info.spec.royaltyBps.toNumber(), 250);
  assert.equal(info.spec.minTimeout.toNumber(), 12, 'jobs must give each phase at least 12 blocks');
  assert.ok(info.spec.verifyingKey.isSome, 'with its verifying key');

  // Bob submits a zk job on the digits model that Alice's node serves, input from a file.
  const digit = testDigit(2);
  const inputFile = join(mkdtempSync(join(tmpdir(), 'aichain-client-')), 'digit.bin');
  writeFileSync(inputFile, digit.pixels);
  const bobBefore = (await api.query.system.account(bob.address)).data.free.toBigInt();
  const out = await client('//Bob', 'submit-job', '--model', String(digitsModel), '--input-file', inputFile, '--tier', 'zk', '--max-price', '2');
  const job = Number(/job (\d+) submitted/.exec(out)?.[1]);
  assert.match(out, new RegExp(`job ${job} completed in block \\d+`), out);
  const printed = /output \(40 bytes\): 0x([0-9a-f]+)/.exec(out)?.[1];
  assert.ok(printed, `the client prints the output:\n${out}`);
  assert.equal(decodeLogits(Buffer.from(printed, 'hex')).predicted, digit.label, 'the printed output classifies the digit');
  const logits = /as i32: \[([-0-9, ]+)\]/.exec(out)?.[1].split(', ').map(Number);
  assert.deepEqual(logits, decodeLogits(Buffer.from(printed, 'hex')).logits, 'and decodes it');
  assert.ok((await api.query.system.account(bob.address)).data.free.toBigInt() < bobBefore - DIGITS_PRICE, 'Bob paid');

  // Listings.
  const workers = await client('//Bob', 'workers');
  assert.match(workers, new RegExp(`${alice.address}\\s+Active\\s+100\\.0000\\s+2\\s+0`), workers);
  const models = await client('//Bob', 'models');
  assert.match(models, new RegExp(`\\s${cliModel}\\s+digits-by-cli\\s+Classifier\\s+1\\.5000\\s+Active\\s+yes`), models);
  const balance = await client('//Bob', 'balance');
  const free = (await api.query.system.account(bob.address)).data.free.toBigInt();
  assert.ok(balance.includes(`free ${free / UNIT}.${String((free % UNIT) / 100_000_000n).padStart(4, '0')} AIC`), balance);
  const jobs = await client('//Bob', 'jobs');
  assert.match(jobs, /job\s+model\s+tier/, 'the jobs table (empty: every job finished)');
  await assert.rejects(client('//Bob', 'submit-job', '--model', '999', '--input-file', inputFile), /Jobs.*UnknownModel|UnknownModel/,
    'a bad job fails with the runtime error name');
});

test('a dropped zk result is sent again after ResendAfter blocks, once', { timeout: 300_000 }, async () => {
  assert.ok(digitsModel !== undefined, 'the first test registered the digits model');
  const keyring = new Keyring({ type: 'sr25519' });
  const [alice, bob] = ['//Alice', '//Bob'].map((u) => keyring.addFromUri(u));
  const resendAfter = api.consts.provider.resendAfter.toNumber();
  const isResult = (x, job) => x.isSigned && x.signer.toString() === alice.address && resultJobs(x).includes(job);

  // The result is removed from the pool as soon as the offchain worker sends it. Block
  // production may include it first (a race this test cannot control): then try another job.
  let job;
  let droppedAt;
  for (let attempt = 0; attempt < 3 && droppedAt === undefined; attempt++) {
    // Watch the pool from the block that assigns the job (not from its finalization, by which
    // time the offchain worker's result is long included).
    job = await new Promise((resolve, reject) => {
      api.tx.jobs.submitJob(digitsModel, '0x' + Buffer.from(testDigit(attempt + 4).pixels).toString('hex'), 'Zk', 2n * UNIT, 40)
        .signAndSend(bob, ({ status, events }) => {
          if (!status.isInBlock) return;
          const submitted = events.find(({ event }) => event.section === 'jobs' && event.method === 'JobSubmitted');
          if (submitted) resolve(submitted.event.data.job.toNumber());
          else reject(new Error('the job was not accepted'));
        }).catch(reject);
    });
    const deadline = Date.now() + 60_000;
    while (Date.now() < deadline && droppedAt === undefined) {
      const pending = (await api.rpc.author.pendingExtrinsics()).find((x) => isResult(x, job));
      if (pending) {
        const removed = await api.rpc.author.removeExtrinsic([{ Hash: pending.hash }]);
        if (removed.length === 1) droppedAt = (await api.rpc.chain.getHeader()).number.toNumber();
        break;
      }
      if ((await api.query.jobs.jobs(job)).isNone) break; // already included and completed
      await new Promise((r) => setTimeout(r, 100));
    }
    if (droppedAt === undefined) await waitForJobEvent(api, job, ['JobCompleted'], 60_000);
  }
  assert.ok(droppedAt !== undefined, 'the result was caught in the pool and removed');

  const [done, doneBlock] = await waitForJobEvent(api, job, ['JobCompleted', 'JobRefunded'], 180_000,
    () => `; node log:\n${logTail(node, 40)}`);
  assert.equal(done.method, 'JobCompleted', 'the resent result completes the job');
  assert.ok(doneBlock >= droppedAt + resendAfter - 1, `resent after ${resendAfter} blocks (dropped at ${droppedAt}, completed at ${doneBlock})`);
  await waitFor(api, (h) => h.best >= doneBlock + 3, 60_000, 'three blocks after completion');
  let included = 0;
  for (let n = droppedAt; n <= doneBlock + 3; n++) {
    const block = await api.rpc.chain.getBlock(await api.rpc.chain.getBlockHash(n));
    included += block.block.extrinsics.filter((x) => isResult(x, job)).length;
  }
  assert.equal(included, 1, 'exactly one transaction carrying the job\'s result was included');
  console.log(`# dropped at block ${droppedAt}, resent and completed in block ${doneBlock} (ResendAfter ${resendAfter})`);
});

test("a dApp's own model: borrowers' default scores proven by the provider, verified on chain, audited by the client", { timeout: 300_000 }, async () => {
  assert.ok(lendingModel !== undefined, 'the first test registered the lending-risk model');
  const keyring = new Keyring({ type: 'sr25519' });
  const bob = keyring.addFromUri('//Bob');
  const logit = (bytes) => Buffer.from(bytes).readInt32LE(0) / 2 ** LENDING.outputFrac;

  // From polkadot.js: a low-risk borrower (no student, $300 balance, $40,000 income).
  const safe = encodeBorrower({ student: false, balance: 300, income: 40_000 });
  const submitted = await submitFinalized(api, api.tx.jobs.submitJob(lendingModel, '0x' + safe.toString('hex'), 'Zk', 2n * UNIT, 20), bob);
  assert.equal(submitted.dispatchError, undefined, 'the job is accepted');
  const safeJob = findEvent(submitted, 'jobs', 'JobSubmitted').data.job.toNumber();
  const [done] = await waitForJobEvent(api, safeJob, ['JobCompleted', 'ResultRejected', 'JobRefunded'], 120_000,
    () => `; node log:\n${logTail(node, 40)}`);
  assert.equal(done.method, 'JobCompleted', `the proof was verified on chain (got ${done.method})`);
  const safeLogit = logit(done.data.output.toU8a(true));
  assert.ok(safeLogit < -3, `a low-risk borrower scores a low default logit: ${safeLogit}`);

  // From the command-line client: a risky borrower (a student with a $2,300 balance).
  const risky = encodeBorrower({ student: true, balance: 2_300, income: 15_000 });
  const inputFile = join(mkdtempSync(join(tmpdir(), 'aichain-lending-')), 'borrower.bin');
  writeFileSync(inputFile, risky);
  const out = await client('//Bob', 'submit-job', '--model', String(lendingModel), '--input-file', inputFile, '--tier', 'zk', '--max-price', '2');
  const riskyJob = Number(/job (\d+) submitted/.exec(out)?.[1]);
  const printed = /output \(4 bytes\): 0x([0-9a-f]{8})/.exec(out)?.[1];
  assert.ok(printed, `the client prints the verified score:\n${out}`);
  const riskyLogit = logit(Buffer.from(printed, 'hex'));
  assert.ok(riskyLogit > 0, `a risky borrower scores a default logit above 0: ${riskyLogit}`);

  // From Python (substrate-interface), as docs/dapp-developers.md shows: the same risky borrower.
  assert.ok(process.env.PY_SUBSTRATE, 'PY_SUBSTRATE is set (scripts/env.sh)');
  const { stdout: py } = await promisify(execFile)(process.env.PY_SUBSTRATE,
    [join(ROOT, 'zombienet/tests/py/submit_job.py'), `ws://127.0.0.1:${node.rpcPort}`, '//Ferdie', String(lendingModel),
      '0x' + risky.toString('hex')], { timeout: 240_000 });
  const fromPython = JSON.parse(py.trim().split('\n').pop());
  assert.equal(fromPython.output, '0x' + printed, `the same verified score from Python:\n${py}`);

  // Anyone re-checks the decisions from chain data alone.
  for (const [job, input] of [[safeJob, safe], [riskyJob, risky], [fromPython.job, risky]]) {
    const audit = await client('//Bob', 'audit-job', String(job));
    assert.match(audit, new RegExp(`job ${job}: proof verified locally`), audit);
    assert.match(audit, new RegExp(`input:  0x${input.toString('hex')}`), audit);
  }
  console.log(`# default logits: low-risk borrower ${safeLogit}, risky borrower ${riskyLogit}; audit of job ${riskyJob}:\n` +
    (await client('//Bob', 'audit-job', String(riskyJob))).split('\n').map((l) => `#   ${l}`).join('\n'));
  await assert.rejects(client('//Bob', 'audit-job', '999999', '--max-blocks', '50'), /no accepted result of job 999999/);
});

test('a circom circuit as its owner compiled it: the witness run from its wasm, proven with its .zkey, verified on chain', { timeout: 300_000 }, async () => {
  assert.ok(circomModel !== undefined, 'the first test registered the circom model');
  // A student with a $1,500 balance and $40,000 income: snarkjs computes the public output
  // 4248168380, the i32 -46798916 (a default log-odds of -2.789 at scale 2^-24), for this input.
  const borrower = encodeBorrower({ student: true, balance: 1_500, income: 40_000 });
  const inputFile = join(mkdtempSync(join(tmpdir(), 'aichain-circom-')), 'borrower.bin');
  writeFileSync(inputFile, borrower);
  const out = await client('//Bob', 'submit-job', '--model', String(circomModel), '--input-file', inputFile,
    '--tier', 'zk', '--max-price', '2');
  const job = Number(/job (\d+) submitted/.exec(out)?.[1]);
  const printed = /output \(4 bytes\): 0x([0-9a-f]{8})/.exec(out)?.[1];
  assert.ok(printed, `the client prints the verified output:\n${out}\nnode log:\n${logTail(node, 30)}`);
  assert.equal(Buffer.from(printed, 'hex').readInt32LE(0), -46_798_916, "the circuit's output, as snarkjs computes it");
  const audit = await client('//Bob', 'audit-job', String(job));
  assert.match(audit, new RegExp(`job ${job}: proof verified locally`), audit);
  console.log(`# circom job ${job}: default log-odds ${Buffer.from(printed, 'hex').readInt32LE(0) / 2 ** 24}`);
  // An input the circuit refuses (balance above 2^14 dollars): the provider declines, the
  // requester is refunded, no result is accepted.
  const refused = encodeBorrower({ student: false, balance: 20_000, income: 1_000 });
  const submitted = await submitFinalized(api, api.tx.jobs.submitJob(circomModel, '0x' + refused.toString('hex'), 'Zk', 2n * UNIT, 20),
    new Keyring({ type: 'sr25519' }).addFromUri('//Bob'));
  const refusedJob = findEvent(submitted, 'jobs', 'JobSubmitted').data.job.toNumber();
  const [ended] = await waitForJobEvent(api, refusedJob, ['JobCompleted', 'JobRefunded'], 180_000,
    () => `; node log:\n${logTail(node, 30)}`);
  assert.equal(ended.method, 'JobRefunded', 'no result for an input the circuit does not satisfy');
  assert.equal(ended.data.reason.toString(), 'Declined', 'the provider declined it');
});

test('snarkjs files as they are: a proof verified by the client, its key registered on chain', { timeout: 120_000 }, async () => {
  const fixtures = join(ROOT, 'primitives/zk/tests/fixtures/snarkjs');
  const args = (publicFile) => ['verify-snarkjs', '--verification-key', join(fixtures, 'verification_key.json'),
    '--proof', join(fixtures, 'proof.json'), '--public', publicFile];
  const { stdout } = await promisify(execFile)(process.env.CLIENT_BIN, args(join(fixtures, 'public.json')));
  assert.match(stdout, /proof verified \(\d+ public signals\)/, stdout);
  // One public signal changed: rejected.
  const signals = JSON.parse(readFileSync(join(fixtures, 'public.json'), 'utf8'));
  signals[0] = (BigInt(signals[0]) + 1n).toString();
  const tampered = join(mkdtempSync(join(tmpdir(), 'aichain-snarkjs-')), 'public.json');
  writeFileSync(tampered, JSON.stringify(signals));
  await assert.rejects(promisify(execFile)(process.env.CLIENT_BIN, args(tampered)), /does NOT verify/);
  // The same verification_key.json registers a model's key, unchanged.
  const { stdout: registered } = await promisify(execFile)(process.env.CLIENT_BIN, ['--url', `ws://127.0.0.1:${node.rpcPort}`,
    '--suri', '//Eve', 'register-model', '--name', 'multiplier-circom', '--kind', 'classifier', '--weights-sha256', '33'.repeat(32),
    '--content-address', 'git:primitives/zk/tests/fixtures/snarkjs/multiplier.circom',
    '--snarkjs-verification-key', join(fixtures, 'verification_key.json'), '--price', '1', '--max-input-len', '4',
    '--max-output-len', '4'], { timeout: 120_000 });
  const model = Number(/model (\d+) registered/.exec(registered)?.[1]);
  const info = (await api.query.models.models(model)).unwrap();
  assert.ok(info.spec.verifyingKey.isSome, `model ${model} has the imported key:\n${registered}`);
  assert.ok((await api.query.zkVerifier.verifyingKeys(info.spec.verifyingKey.unwrap())).isSome, 'the key is registered');
});

test("a DAO's referenda request the market-risk model from the treasury; the verified output picks the spend", { timeout: 420_000 }, async () => {
  assert.ok(marketRiskModel !== undefined, 'the first test registered the market-risk model');
  const keyring = new Keyring({ type: 'sr25519' });
  const [alice, eve, ferdie] = ['//Alice', '//Eve', '//Ferdie'].map((u) => keyring.addFromUri(u));
  const free = async (who) => (await api.query.system.account(who)).data.free.toBigInt();
  // The treasury's account: `modl` ‖ its PalletId `aic/trsy`, zero-padded (into_account_truncating).
  const treasuryAccount = api.registry.createType('AccountId',
    Buffer.concat([Buffer.from('modl'), Buffer.from('aic/trsy'), Buffer.alloc(20)])).toString();

  // The model_admin decision, here by the dev chain's sudo (e2e-transfer.test.js passes one by referendum).
  expectSuccess(api, await submitFinalized(api,
    api.tx.sudo.sudo(api.tx.computeGovernance.setModelApproval(marketRiskModel, true)), alice), 'approve the model');

  // A calm day and a turbulent day of the held-out years (1980-1986): the lowest and highest volatility.
  const days = nyseDays();
  const heldOut = days.map((d, t) => t).filter((t) => days[t].year >= 1980 && t >= 4 && t + 1 < days.length);
  const byVolatility = [...heldOut].sort((a, b) => days[a].volatility - days[b].volatility);
  const calm = byVolatility[0];
  const turbulent = byVolatility[byVolatility.length - 1];
  const dir = mkdtempSync(join(tmpdir(), 'dao-'));
  const HEDGE = 500n * UNIT; // to Ferdie when high volatility is expected
  const YIELD = 100n * UNIT; // to Eve otherwise
  const [treasuryBefore, eveBefore, ferdieBefore] = [await free(treasuryAccount), await free(eve.address), await free(ferdie.address)];

  // Both referenda proposed and voted on through the client, each voted on at once (unvoted, a
  // referendum is rejected when its decision period ends); they are decided side by side. Bob
  // proposes and votes on both (the same balance may vote on several referenda: the locks
  // overlap); not Alice, whose provider node signs results with her account meanwhile (the
  // client takes its nonce from the chain's state, not the node's pool).
  const since = (await api.rpc.chain.getHeader()).number.toNumber();
  const referenda = [];
  // Their max prices differ (5 and 6 AIC) so that each request is told apart by what it was funded.
  for (const [name, t, maxPrice] of [['calm', calm, 5n], ['turbulent', turbulent, 6n]]) {
    const file = join(dir, `${name}.bin`);
    writeFileSync(file, encodeMarketDays(days, t));
    const out = await client('//Bob', 'propose-computation', '--model', String(marketRiskModel), '--input-file', file,
      '--tier', 'zk', '--max-price', String(maxPrice), '--deadline', '20', '--clause', 'field:0>=0',
      '--if-true', `500@${ferdie.address}`, '--if-false', `100@${eve.address}`);
    const index = Number(/referendum (\d+) submitted on the compute track/.exec(out)?.[1]);
    assert.ok(Number.isInteger(index), `the client proposes:\n${out}`);
    assert.match(await client('//Bob', 'vote', String(index), '--aye', '--balance', '900000'), /voted aye/);
    referenda.push({ name, day: days[t].date, index, funded: maxPrice * UNIT + 1_000_000_000n });
  }

  // Each passes, requests its job, the provider proves it, the chain verifies it and settles
  // (events are looked for from the block the proposals started in).
  const timeAt = async (n) => (await (await api.at(await api.rpc.chain.getBlockHash(n))).query.timestamp.now()).toNumber();
  let spent = 0n;
  for (const referendum of referenda) {
    const [, confirmedAt] = await waitForEvent(api, 'referenda', ['Confirmed'], (e) => e.data[0].toNumber() === referendum.index,
      `referendum ${referendum.index}`, 180_000, () => '', since - 10);
    const [requested] = await waitForEvent(api, 'computeGovernance', ['ComputationRequested'],
      (e) => e.data.funded.toBigInt() === referendum.funded, 'the request', 60_000, () => '', since - 10);
    referendum.request = requested.data.request.toNumber();
    const job = requested.data.job.toNumber();
    const [done] = await waitForEvent(api, 'jobs', ['JobCompleted', 'JobRefunded'], (e) => e.data.job.toNumber() === job,
      `job ${job}`, 120_000, () => `; node log:\n${logTail(node, 40)}`, since);
    assert.equal(done.method, 'JobCompleted', 'the zk job is proven and verified');
    const logit = Buffer.from(done.data.output.toU8a(true)).readInt32LE(0);
    const [settled] = await waitForEvent(api, 'computeGovernance', ['RequestSettled'], (e) => e.data.job.toNumber() === job, 'settlement', 60_000, () => '', since);
    referendum.outcome = settled.data.outcome.toString();
    assert.equal(referendum.outcome, logit >= 0 ? 'PredicateHeld' : 'PredicateFailed', `logit ${logit}`);
    const [approved, enactedAt] = await waitForEvent(api, 'treasury', ['AssetSpendApproved'],
      (e) => e.data.beneficiary.toString() === (logit >= 0 ? ferdie.address : eve.address),
      'the chosen spend', 60_000, () => '', since);
    referendum.spend = approved.data.index.toNumber();
    referendum.logit = logit;
    referendum.blocks = enactedAt - confirmedAt;
    referendum.seconds = (await timeAt(enactedAt) - await timeAt(confirmedAt)) / 1000;
    expectSuccess(api, await submitFinalized(api, api.tx.treasury.payout(referendum.spend), alice), 'payout');
    spent += (logit >= 0 ? HEDGE : YIELD) + done.data.workerPayment.toBigInt() + done.data.royalty.toBigInt() + done.data.fee.toBigInt();
  }
  console.log('DAO referenda:', JSON.stringify(referenda, (_, v) => (typeof v === 'bigint' ? v.toString() : v)));
  const [calmRun, turbulentRun] = referenda;
  assert.equal(calmRun.outcome, 'PredicateFailed', 'a calm day: low volatility expected, the yield spend');
  assert.equal(turbulentRun.outcome, 'PredicateHeld', 'a turbulent day: high volatility expected, the hedge spend');
  // Exact money: the treasury paid both jobs (price and fee) and both spends; Eve and Ferdie got theirs.
  assert.equal(await free(treasuryAccount), treasuryBefore - spent);
  assert.equal(await free(ferdie.address), ferdieBefore + HEDGE);
  assert.equal(await free(eve.address), eveBefore + YIELD);

  // The client shows the referenda and what they triggered.
  const shown = await client('//Bob', 'referenda', '--blocks', '120');
  assert.match(shown, /ComputeGovernance\.RequestSettled/);
  assert.match(shown, /Treasury\.AssetSpendApproved/);
});
