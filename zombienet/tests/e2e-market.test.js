//! End to end on the dev node, through polkadot.js and the runtime's metadata: a model owner
//! registers a model, two providers register as workers, a requester submits a redundancy-tier
//! job; the job is assigned to both, they commit and reveal the same output, and the escrow is
//! paid out exactly (workers, model owner, reward pot), with every transaction's fee accounted.
//! Bad input (an unknown model, a wrong reveal) fails with the pallet's named error.
//! Then, on the same node, an optimistic job whose worker proposes a false output is challenged
//! by a third party; a dispute round of three other workers overturns it, the proposer's bond is
//! slashed to the challenger, and the rewards pallet counts the dispute workers' verified work.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Keyring } from '@polkadot/keyring';
import { blake2AsU8a, decodeAddress, encodeAddress } from '@polkadot/util-crypto';
import { startNode, connect, stop, waitFor, submitFinalized, feePaid, errorName } from './lib/chain.js';

const UNIT = 10n ** 12n;
let node;
let api;
before(async () => {
  node = await startNode('market', { args: ['--dev'] });
  api = await connect(node);
  await waitFor(api, (h) => h.finalized >= 1, 60_000, 'first finalized block');
});
after(async () => { if (node) await stop(node); });

/** Bytes as the hex string polkadot.js takes for `Bytes` arguments. */
const hex = (bytes) => '0x' + Buffer.from(bytes).toString('hex');

/** SCALE encoding of a byte vector (compact length prefix, lengths below 2¹⁴). */
function scaleBytes(bytes) {
  const prefix = bytes.length < 64 ? [bytes.length << 2] : [((bytes.length << 2) | 1) & 0xff, bytes.length >> 6];
  return Uint8Array.from([...prefix, ...bytes]);
}

/** A redundancy commitment: BLAKE2-256 of SCALE((job: u64, worker: AccountId32, output, salt)). */
function commitment(job, worker, output, salt) {
  const jobBytes = new Uint8Array(8);
  new DataView(jobBytes.buffer).setBigUint64(0, BigInt(job), true);
  return blake2AsU8a(Uint8Array.from([...jobBytes, ...decodeAddress(worker), ...scaleBytes(output), ...salt]), 256);
}

/** The account of a `PalletId` (`"modl" ‖ id`, zero-padded to 32 bytes). */
function palletAccount(id) {
  const bytes = new Uint8Array(32);
  bytes.set(new TextEncoder().encode('modl' + id));
  return encodeAddress(bytes, 42);
}

/** The event `section.method` among a transaction's events, or undefined. */
function findEvent(result, section, method) {
  return result.events.map(({ event }) => event).find((e) => e.section === section && e.method === method);
}

test('dev node: a redundancy job is assigned, committed, revealed and paid out exactly', { timeout: 300_000 }, async () => {
  const keyring = new Keyring({ type: 'sr25519' });
  const [alice, bob, charlie, dave] = ['//Alice', '//Bob', '//Charlie', '//Dave'].map((u) => keyring.addFromUri(u));
  const pot = palletAccount('aic/rwrd');
  const free = async (who) => (await api.query.system.account(who)).data.free.toBigInt();
  const reserved = async (who) => (await api.query.system.account(who)).data.reserved.toBigInt();

  // The model: 2 AIC per worker, 5% royalty to Dave.
  const price = 2n * UNIT;
  const royaltyBps = 500n;
  const spec = {
    name: 'echo-v1', kind: 'Embedding', weightsSha256: '0x' + '11'.repeat(32), contentAddress: 'ipfs://echo',
    verifyingKey: null, price, royaltyBps, maxInputLen: 64, maxOutputLen: 64, minTimeout: 5, outputTolerance: 0,
  };
  const registered = await submitFinalized(api, api.tx.models.registerModel(spec), dave);
  assert.equal(registered.dispatchError, undefined, 'the model registers');
  const model = findEvent(registered, 'models', 'ModelRegistered').data.model.toNumber();

  // Two workers bond 100 AIC each for it.
  const caps = { cpuCores: 2, memoryMb: 2048, gpu: null };
  const workerRegs = await Promise.all([bob, charlie].map((w) =>
    submitFinalized(api, api.tx.workers.registerWorker(100n * UNIT, caps, [model]), w)));
  workerRegs.forEach((r) => assert.equal(r.dispatchError, undefined, 'the worker registers'));
  assert.equal(await reserved(bob.address), 100n * UNIT);

  // A job for a model that does not exist is refused with the pallet's error.
  const unknown = await submitFinalized(
    api, api.tx.jobs.submitJob(model + 100, '0x01', { Redundancy: { replicas: 2 } }, 10n * UNIT, 50), alice);
  assert.equal(errorName(api, unknown), 'jobs.UnknownModel');

  // Alice submits the job: 2 workers × 2 AIC + 5% protocol fee held in escrow.
  const aliceBefore = await free(alice.address);
  const fee = (2n * price * 5n) / 100n;
  const escrow = 2n * price + fee;
  const submitted = await submitFinalized(
    api, api.tx.jobs.submitJob(model, '0x68656c6c6f', { Redundancy: { replicas: 2 } }, escrow, 50), alice);
  assert.equal(submitted.dispatchError, undefined, 'the job is submitted');
  const job = findEvent(submitted, 'jobs', 'JobSubmitted').data.job.toNumber();
  assert.equal(findEvent(submitted, 'jobs', 'JobSubmitted').data.escrow.toBigInt(), escrow);
  const assigned = findEvent(submitted, 'jobs', 'JobAssigned').data.workers.map((w) => w.toString()).sort();
  assert.deepEqual(assigned, [bob.address, charlie.address].sort());
  assert.equal(await reserved(alice.address), escrow);
  assert.equal(await free(alice.address), aliceBefore - escrow - feePaid(api, submitted));

  // Both commit to the same output, with their own salts.
  const output = new TextEncoder().encode('world');
  const salts = [new Uint8Array(32).fill(1), new Uint8Array(32).fill(2)];
  const commits = await Promise.all([bob, charlie].map((w, i) =>
    submitFinalized(api, api.tx.jobs.commitResult(job, commitment(job, w.address, output, salts[i])), w)));
  commits.forEach((r) => assert.equal(r.dispatchError, undefined, 'the commitment is accepted'));
  assert.ok(commits.some((r) => findEvent(r, 'jobs', 'RevealPhaseStarted')), 'the reveal phase starts');

  // A reveal that does not match the commitment is refused.
  const wrong = await submitFinalized(api, api.tx.jobs.revealResult(job, '0x00', salts[0]), bob);
  assert.equal(errorName(api, wrong), 'jobs.CommitmentMismatch');

  // Both reveal: the job completes and the escrow is paid out.
  const who = [bob.address, charlie.address, dave.address, pot];
  const before = await Promise.all(who.map(free));
  const reveals = await Promise.all([bob, charlie].map((w, i) =>
    submitFinalized(api, api.tx.jobs.revealResult(job, hex(output), salts[i]), w)));
  reveals.forEach((r) => assert.equal(r.dispatchError, undefined, 'the reveal is accepted'));
  const completed = reveals.map((r) => findEvent(r, 'jobs', 'JobCompleted')).find((e) => e);
  assert.ok(completed, 'JobCompleted emitted');
  const royalty = (price * royaltyBps) / 10_000n;
  assert.equal(Buffer.from(completed.data.output.toU8a(true)).toString(), 'world');
  assert.equal(completed.data.workerPayment.toBigInt(), price - royalty);
  assert.equal(completed.data.royalty.toBigInt(), 2n * royalty);
  assert.equal(completed.data.fee.toBigInt(), fee);
  assert.equal(completed.data.refund.toBigInt(), 0n);

  const after = await Promise.all(who.map(free));
  assert.equal(after[0] - before[0], price - royalty - feePaid(api, reveals[0]), 'Bob: price minus royalty minus his fee');
  assert.equal(after[1] - before[1], price - royalty - feePaid(api, reveals[1]), 'Charlie likewise');
  assert.equal(after[2] - before[2], 2n * royalty, 'Dave: the royalties');
  assert.equal(after[3] - before[3], fee, 'the reward pot: the protocol fee');
  assert.equal(await reserved(alice.address), 0n, 'no escrow left');
  assert.equal(await free(alice.address), aliceBefore - escrow - feePaid(api, submitted));
  assert.equal((await api.query.jobs.jobs(job)).isNone, true, 'the finished job is removed');
  const bobWorker = (await api.query.workers.workers(bob.address)).unwrap();
  assert.equal(bobWorker.completed.toNumber(), 1);
  assert.equal(bobWorker.activeJobs.toNumber(), 0);
});

test('dev node: a false optimistic result is challenged, overturned by a dispute round, and its proposer slashed', { timeout: 300_000 }, async () => {
  const keyring = new Keyring({ type: 'sr25519' });
  const [alice, bob, charlie, dave, eve, ferdie] =
    ['//Alice', '//Bob', '//Charlie', '//Dave', '//Eve', '//Ferdie'].map((u) => keyring.addFromUri(u));
  const free = async (who) => (await api.query.system.account(who)).data.free.toBigInt();
  const reserved = async (who) => (await api.query.system.account(who)).data.reserved.toBigInt();
  const ok = (r, what) => assert.equal(r.dispatchError, undefined, what);

  // A model served by four workers: Dave, Eve and two stash accounts (Bob and Charlie are
  // already workers for the first test's model).
  const price = UNIT;
  const spec = {
    name: 'optimistic-echo', kind: 'Embedding', weightsSha256: '0x' + '22'.repeat(32), contentAddress: 'ipfs://echo2',
    verifyingKey: null, price, royaltyBps: 0, maxInputLen: 64, maxOutputLen: 64, minTimeout: 5, outputTolerance: 0,
  };
  const registered = await submitFinalized(api, api.tx.models.registerModel(spec), dave);
  ok(registered, 'the model registers');
  const model = findEvent(registered, 'models', 'ModelRegistered').data.model.toNumber();
  const caps = { cpuCores: 2, memoryMb: 2048, gpu: null };
  const joined = await Promise.all([dave, eve].map((w) =>
    submitFinalized(api, api.tx.workers.registerWorker(100n * UNIT, caps, [model]), w)));
  joined.forEach((r) => ok(r, 'the worker registers'));
  const [one, two] = ['//Alice//stash', '//Bob//stash'].map((u) => keyring.addFromUri(u));
  const more = await Promise.all([one, two].map((w) =>
    submitFinalized(api, api.tx.workers.registerWorker(100n * UNIT, caps, [model]), w)));
  more.forEach((r) => ok(r, 'the worker registers'));
  const workers = [dave, eve, one, two];
  const byAddress = new Map(workers.map((w) => [w.address, w]));

  // Alice's optimistic job: one price and the fee, plus three dispute prices in reserve.
  const fee = (price * 5n) / 100n;
  const escrow = 4n * price + fee;
  const aliceBefore = await free(alice.address);
  const submitted = await submitFinalized(api, api.tx.jobs.submitJob(model, '0x0102', 'Optimistic', escrow, 50), alice);
  ok(submitted, 'the job is submitted');
  const job = findEvent(submitted, 'jobs', 'JobSubmitted').data.job.toNumber();
  const proposer = byAddress.get(findEvent(submitted, 'jobs', 'JobAssigned').data.workers[0].toString());
  assert.ok(proposer, 'one of the four workers is assigned');
  assert.equal(await reserved(alice.address), escrow);

  // The worker proposes a false output; Ferdie challenges within the window.
  const proposed = await submitFinalized(api, api.tx.jobs.proposeResult(job, hex(new TextEncoder().encode('lie'))), proposer);
  ok(proposed, 'the proposal is accepted');
  assert.ok(findEvent(proposed, 'jobs', 'ResultProposed'));
  const own = await submitFinalized(api, api.tx.jobs.challengeResult(job), proposer);
  assert.equal(errorName(api, own), 'jobs.OwnProposal');
  const ferdieBefore = await free(ferdie.address);
  const challenged = await submitFinalized(api, api.tx.jobs.challengeResult(job), ferdie);
  ok(challenged, 'the challenge is accepted');
  const bond = findEvent(challenged, 'jobs', 'ResultChallenged').data.bond.toBigInt();
  assert.equal(bond, 3n * price + 10n * UNIT, 'three dispute prices and the 10 AIC forfeit');
  assert.equal(await reserved(ferdie.address), bond);
  const round = findEvent(challenged, 'jobs', 'JobAssigned').data.workers.map((w) => byAddress.get(w.toString()));
  assert.equal(round.length, 3);
  assert.ok(!round.includes(proposer), 'the proposer is not in its own dispute');

  // The dispute round agrees on the true output.
  const truth = new TextEncoder().encode('truth');
  const salts = round.map((_, i) => new Uint8Array(32).fill(10 + i));
  const pointsBefore = (await api.query.rewards.currentEraPoints()).toBigInt();
  const proposerBond = await reserved(proposer.address);
  const commits = await Promise.all(round.map((w, i) =>
    submitFinalized(api, api.tx.jobs.commitResult(job, commitment(job, w.address, truth, salts[i])), w)));
  commits.forEach((r) => ok(r, 'the commitment is accepted'));
  const reveals = await Promise.all(round.map((w, i) =>
    submitFinalized(api, api.tx.jobs.revealResult(job, hex(truth), salts[i]), w)));
  reveals.forEach((r) => ok(r, 'the reveal is accepted'));
  const settled = reveals.map((r) => findEvent(r, 'jobs', 'DisputeSettled')).find((e) => e);
  assert.ok(settled, 'DisputeSettled emitted');
  assert.equal(settled.data.verdict.toString(), 'ProposalOverturned');
  assert.equal(settled.data.slashed.toBigInt(), 10n * UNIT);
  const completed = reveals.map((r) => findEvent(r, 'jobs', 'JobCompleted')).find((e) => e);
  assert.equal(Buffer.from(completed.data.output.toU8a(true)).toString(), 'truth');
  assert.equal(completed.data.workers.length, 3);

  // Ferdie: bond back and the proposer's 10 AIC; the proposer's bond is 10 AIC lighter.
  assert.equal(await reserved(ferdie.address), 0n);
  assert.equal(await free(ferdie.address), ferdieBefore + 10n * UNIT - feePaid(api, challenged));
  assert.equal(await reserved(proposer.address), proposerBond - 10n * UNIT);
  // Alice paid the three dispute runs and the fee; the rest of the escrow came back.
  assert.equal(await reserved(alice.address), 0n);
  assert.equal(await free(alice.address), aliceBefore - 3n * price - fee - feePaid(api, submitted));
  // The rewards pallet counted the dispute workers' payments as this era's verified work.
  const pointsAfter = (await api.query.rewards.currentEraPoints()).toBigInt();
  assert.equal(pointsAfter - pointsBefore, 3n * price);
});
