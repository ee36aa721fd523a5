// Private federated learning on a test network (docs/federated-learning.md): the model owner's
// setup through aichain-client (the hospitals' files, the member circuit's keys, the model),
// each hospital's node data, and the held-out accuracy of a consortium's parameters.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { connect, errorName, kill, runClient, startNode, submitFinalized, waitFor } from './chain.js';
import { ROOT, UNIT, decodeParameters, encodeParameters, expectSuccess, findEvent, waitForEvent } from './market.js';

/** Each attempt's deadline: the runtime's `MinRoundTimeout` (10 blocks), the shortest an owner
 * may give; a failed attempt (a lying or dead member) ends there. */
const ROUND_DEADLINE = 10;

/** The providers' shared models directory (where the member circuit's proving key goes). */
export const MODELS_DIR = process.env.AICHAIN_MODELS_DIR ?? join(homedir(), '.cache/aichain/models');

/** Parameters of the member model: 30 weights and a bias, i32 at scale 2^16. */
export const FL_PARAMETERS = 31;

/**
 * Deals the breast-cancer records to four hospitals' files in `dir` (`fl-split`) and makes the
 * member circuit's keys (`fl-keys`, kept in the models directory once made); returns the
 * `register-model` arguments the keys tool printed.
 */
export async function prepareMemberCircuit(node, dir) {
  await runClient(node, '//Eve', 'fl-split', '--csv', join(ROOT, 'offchain-worker/data/breast_cancer.csv'), '--out', dir);
  const keys = await runClient(node, '//Eve', 'fl-keys', '--models-dir', MODELS_DIR);
  const register = keys.match(/register with: (.*)/)?.[1];
  if (!register) throw new Error(`fl-keys printed no register-model arguments:\n${keys}`);
  return register.trim().split(/\s+/);
}

/** Registers the member model as `suri` with the keys tool's arguments; returns its id. */
export async function registerMemberModel(node, suri, registerArgs) {
  const out = await runClient(node, suri, 'register-model', '--name', 'private-fl-member', ...registerArgs,
    '--price', 1, '--min-timeout', 5, '--content-address', 'git:offchain-worker/src/models/private_fl');
  const model = Number(out.match(/model (\d+) registered/)?.[1]);
  if (!Number.isInteger(model)) throw new Error(`register-model printed no model id:\n${out}`);
  return model;
}

/** A node's chain data folder (`<base path>/chains/<chain id>`): its X25519 key, its memberships. */
export function chainData(node) {
  const chains = readdirSync(join(node.basePath, 'chains'));
  if (chains.length !== 1) throw new Error(`${node.name}: chains ${chains}`);
  return join(node.basePath, 'chains', chains[0]);
}

/** The held-out rows `fl-split` wrote in `dir`. */
export function heldOut(dir) {
  return JSON.parse(readFileSync(join(dir, 'held-out.json'), 'utf8'));
}

/** Held-out accuracy of parameters (score `w·x + b > 0` means benign; exact in doubles). */
export function flAccuracy(parameters, { features, labels }) {
  let correct = 0;
  features.forEach((x, i) => {
    const score = x.reduce((sum, v, j) => sum + v * parameters[j], parameters[x.length]);
    if ((score > 0) === (labels[i] === 1)) correct++;
  });
  return correct / labels.length;
}

/** What hospital `node`'s output for a job `input` adds to the round's sum (`fl-update`). */
export async function memberUpdate(node, consortium, input) {
  const out = await runClient(node, '//Alice', 'fl-update', '--node-data', chainData(node), '--consortium', consortium, '--input', input);
  const update = out.match(/update: (.*)/)?.[1];
  if (!update) throw new Error(`fl-update printed no update:\n${out}`);
  return update.split(',').map(Number);
}

/** The patient records of hospital `i` in `dir`, one line each, as written to its CSV. */
export function hospitalLines(dir, i) {
  return readFileSync(join(dir, `hospital-${i}.csv`), 'utf8').trim().split('\n').slice(1);
}

/** The secret salt of a node's membership (never on chain). */
export function membershipSalt(node, consortium) {
  const config = JSON.parse(readFileSync(join(chainData(node), 'private-fl', `consortium-${consortium}.json`), 'utf8'));
  return Buffer.from(config.salt.slice(2), 'hex');
}

/**
 * Network case (j), on four validator-providers (`nodes.alice` … `nodes.dave`, Dave's node lying
 * with `--worker-dishonest`), whose workers (`hospitals`, in that order) serve the member model
 * `fl`, Charlie and Dave with bonds that survive two slashes; `flDir` holds `fl-split`'s files.
 * Eve owns the consortium. See the comment below and `network-providers.test.js`.
 */
export async function privateFederatedLearning({ api, nodes, fl, flDir, eve, hospitals, logs, bond }) {
  // (j) Private federated learning: the four providers are four hospitals, each holding its
  // own patients' records in a file next to its node (never sent anywhere). Eve's consortium
  // trains a diagnostic model; every round's jobs are directed to the members' own workers, the
  // chain verifies each member's proof and sums the masked updates, in which the masks cancel.
  // Dave still lies (round 0: his proof is rejected, the attempt fails at the deadline and is
  // retried without him), then runs honestly; Charlie's node dies in round 2 (a dropout: the
  // attempt fails and is retried without him); a sixth attempt is refused by the budget.
  const jStarted = Date.now();
  const suris = ['//Alice', '//Bob', '//Charlie', '//Dave'];
  const hospitalNode = (i) => [nodes.alice, nodes.bob, nodes.charlie, nodes.dave][i];
  for (const h of hospitals) assert.ok((await api.query.workers.encryptionKeys(h.address)).isSome, 'every hospital published its X25519 key');
  const jScanFrom = (await api.rpc.chain.getHeader()).number.toNumber() + 1;
  const createdJ = await runClient(nodes.alice, '//Eve', 'create-consortium', '--model', fl,
    '--members', hospitals.map((h) => h.address).join(','), '--sigma', 200);
  const consortium = Number(createdJ.match(/consortium (\d+) created/)?.[1]);
  assert.ok(Number.isInteger(consortium), `create-consortium prints the id:\n${createdJ}`);
  // Governance sets the budget (ε 4.7 at δ 1e-5: five attempts at σ = 200) while the
  // hospitals join, each from its own machine.
  const budgetSet = (async () => {
    const proposed = await runClient(nodes.bob, '//Ferdie', 'set-privacy-budget', '--consortium', consortium, '--epsilon', 4.7, '--delta', '1e-5');
    const referendum = Number(proposed.match(/referendum (\d+) submitted on the model-admin track/)?.[1]);
    assert.ok(Number.isInteger(referendum), `set-privacy-budget submits a referendum:\n${proposed}`);
    await Promise.all(['//Ferdie', '//Ferdie//stash'].map((suri) => runClient(nodes.bob, suri, 'vote', referendum, '--aye', '--balance', 900000)));
    return waitForEvent(api, 'privateTraining', ['PrivacyBudgetSet'], (e) => e.data.consortium.toNumber() === consortium,
      'the privacy budget', 180_000, logs);
  })();
  budgetSet.catch(() => {}); // awaited below
  const joined = await Promise.all(hospitals.map((_, i) => runClient(hospitalNode(i), suris[i], 'fl-join', '--consortium', consortium,
    '--data', join(flDir, `hospital-${i}.csv`), '--scales', join(flDir, 'scales.json'), '--node-data', chainData(hospitalNode(i)))));
  joined.forEach((out, i) => assert.match(out, new RegExp(`member ${i} of consortium ${consortium} joined`), out));
  const [budgetEvent] = await budgetSet;
  assert.equal(budgetEvent.data.budget.epsilonMicro.toNumber(), 4_700_000);
  const consortiumRecord = async () => (await api.query.privateTraining.consortia(consortium)).unwrap();
  assert.ok((await consortiumRecord()).data.every((d) => d.isSome), 'every hospital committed its data');
  const pairs = await api.query.privateTraining.pairSeeds.entries(consortium);
  assert.equal(pairs.length, 6, 'six pairs');
  for (const [, sides] of pairs) assert.ok(sides[0].isSome && sides[0].eq(sides[1]), 'each pair agreed on its seed commitment');

  const held = heldOut(flDir);
  let parameters = Array(FL_PARAMETERS).fill(0);
  const flAccuracies = [flAccuracy(parameters, held)];
  const individual = []; // every member's update + noise, for the scan
  const toI32 = (v) => (v | 0);
  const blockNumber = async (hash) => (await api.rpc.chain.getHeader(hash)).number.toNumber();
  /** One attempt: started by Eve, each member's `update + noise` computed by its own hospital. */
  const attempt = async (label) => {
    const t0 = Date.now();
    const started = expectSuccess(api, await submitFinalized(api, api.tx.privateTraining.startRound(consortium, 2n * UNIT, ROUND_DEADLINE), eve), label);
    const event = findEvent(started, 'privateTraining', 'AttemptStarted').data;
    const jobs = event.jobs.map(([job, member]) => [job.toNumber(), member.toNumber()]);
    const at = await api.at(started.blockHash);
    const updates = await Promise.all(jobs.map(async ([job, member]) =>
      memberUpdate(hospitalNode(member), consortium, (await at.query.jobs.jobs(job)).unwrap().input.toHex())));
    individual.push(...updates);
    const startBlock = await blockNumber(started.blockHash);
    const [end, endBlock] = await waitForEvent(api, 'privateTraining', ['RoundCompleted', 'AttemptFailed'],
      (e) => e.data.consortium.toNumber() === consortium, label, 240_000, logs, startBlock - 1);
    const epsilon = event.epsilonSpentMicro.toNumber() / 1e6;
    return { jobs, updates, end, startBlock, endBlock, epsilon, seconds: (Date.now() - t0) / 1000, round: event.round.toNumber() };
  };
  /** A completed round: the recorded parameters are exactly the previous ones plus Σ(update + noise). */
  const completed = async (a) => {
    assert.equal(a.end.method, 'RoundCompleted', `round ${a.round} completes: ${a.end.method} ${a.end.data}${logs()}`);
    const expected = parameters.map((p, j) => toI32(p + a.updates.reduce((sum, u) => sum + u[j], 0)));
    const recorded = a.end.data.parameters.map((p) => p.toNumber());
    assert.deepEqual(recorded, expected, `round ${a.round}: the chain's sum of the masked outputs is the members' Σ(update + noise)`);
    assert.deepEqual((await consortiumRecord()).parameters.map((p) => p.toNumber()), expected, 'and the consortium holds it');
    parameters = expected;
    flAccuracies.push(flAccuracy(parameters, held));
    console.log(`# (j) round ${a.round}: ${a.jobs.length} members (${a.jobs.map(([, m]) => m).join(',')}), blocks ${a.startBlock}→${a.endBlock} (${a.seconds.toFixed(0)} s), held-out accuracy ${flAccuracies.at(-1).toFixed(3)}, ε ${a.epsilon}`);
  };
  /** A failed attempt: `member` is blamed and excluded, and the others' masked outputs do not unmask. */
  const failed = async (a, member) => {
    assert.equal(a.end.method, 'AttemptFailed', `round ${a.round}: ${a.end.data}`);
    const { failure } = a.end.data;
    assert.ok(failure.isRefunded && failure.asRefunded.isNoResult, `no verified result from member ${member}: ${failure}`);
    assert.deepEqual([a.end.data.member.toNumber(), a.end.data.excluded.isTrue], [member, true], 'the member is blamed and sits out the retry');
    const others = a.jobs.filter(([, m]) => m !== member);
    const outputs = await Promise.all(others.map(async ([job]) => decodeParameters((await waitForEvent(api, 'jobs', ['JobCompleted'], (e) => e.data.job.toNumber() === job, `job ${job}`, 10_000, logs, a.startBlock - 1))[0].data.output.toU8a(true))));
    const partial = Array.from({ length: FL_PARAMETERS }, (_, j) => toI32(outputs.reduce((sum, o) => sum + o[j], 0)));
    const truth = Array.from({ length: FL_PARAMETERS }, (_, j) => toI32(a.updates.filter((_, k) => a.jobs[k][1] !== member).reduce((sum, u) => sum + u[j], 0)));
    assert.notDeepEqual(partial, truth, 'without the dropped member the masks do not cancel');
    console.log(`# (j) round ${a.round}: member ${member} gave no verified result, blocks ${a.startBlock}→${a.endBlock} (${a.seconds.toFixed(0)} s): ${others.length} updates verified but still masked; ε ${a.epsilon}`);
  };

  // Round 0: Dave's output is not his proven update, so his proof is rejected.
  const daveBondJ = await bond(hospitals[3]);
  await failed(await attempt('round 0'), 3);
  assert.ok(await bond(hospitals[3]) < daveBondJ, 'Dave is slashed');
  // Dave's node restarts honest while the round is retried without him.
  const { basePath: daveBase, rpcPort: daveRpc, p2pPort: daveP2p, nodeKey: daveKey, args: daveArgs } = nodes.dave;
  await kill(nodes.dave);
  nodes.dave = await startNode('dave', { basePath: daveBase, rpcPort: daveRpc, p2pPort: daveP2p, nodeKey: daveKey,
    args: daveArgs.filter((a) => a !== '--worker-dishonest') });
  const retry0 = await attempt('round 0, retried');
  assert.equal(retry0.jobs.length, 3, 'without Dave');
  await completed(retry0);
  const daveApi = await connect(nodes.dave);
  const head = (await api.rpc.chain.getHeader()).number.toNumber();
  await waitFor(daveApi, (h) => h.best >= head, 120_000, "Dave's node synced");
  // Round 1: all four.
  await completed(await attempt('round 1'));
  // Round 2: Charlie's node dies; his heartbeat is still fresh, so his job is posted, and the
  // attempt fails at its deadline.
  await kill(nodes.charlie);
  await failed(await attempt('round 2'), 2);
  const retry2 = await attempt('round 2, retried');
  assert.equal(retry2.jobs.length, 3, 'without Charlie');
  await completed(retry2);
  const record = await consortiumRecord();
  assert.deepEqual([record.roundsCompleted.toNumber(), record.attemptsSpent.toNumber()], [3, 5]);
  // A sixth attempt would take ε past the budget (5.13 > 4.7).
  assert.equal(errorName(api, await submitFinalized(api, api.tx.privateTraining.startRound(consortium, 2n * UNIT, ROUND_DEADLINE), eve)), 'privateTraining.BudgetExhausted');
  const jClosed = expectSuccess(api, await submitFinalized(api, api.tx.privateTraining.closeConsortium(consortium), eve), 'closing the consortium');
  assert.equal(findEvent(jClosed, 'privateTraining', 'ConsortiumClosed').data.depositReleased.toBigInt(), 10n * UNIT, 'the deposit is released');
  // No block holds a patient record, a member's update, or a salt.
  const jLast = await blockNumber(jClosed.blockHash);
  const jNeedles = [
    ...hospitals.flatMap((_, i) => hospitalLines(flDir, i)).map((line) => Buffer.from(line)),
    ...individual.map((u) => encodeParameters(u)),
    ...hospitals.map((_, i) => membershipSalt(hospitalNode(i), consortium)),
  ];
  for (let n = jScanFrom; n <= jLast + 1; n++) {
    const body = Buffer.from((await api.rpc.chain.getBlock(await api.rpc.chain.getBlockHash(n))).block.toU8a());
    const found = jNeedles.findIndex((needle) => body.indexOf(needle) >= 0);
    assert.equal(found, -1, `block ${n} holds a private byte string (needle ${found})`);
  }
  assert.ok(flAccuracies.at(-1) >= 0.85, `held-out accuracy after 3 rounds: ${flAccuracies}`);
  assert.ok(flAccuracies.at(-1) >= flAccuracies[0] + 0.4, `the rounds raise held-out accuracy: ${flAccuracies}`);
  console.log(`# (j) consortium ${consortium}: 3 rounds in 5 attempts (ε 4.64 of 4.7), accuracy ${flAccuracies.map((x) => x.toFixed(3)).join(' → ')}; no record, update or salt in the ${jLast + 2 - jScanFrom} blocks ${jScanFrom}..${jLast + 1}; (j) took ${((Date.now() - jStarted) / 1000).toFixed(0)} s`);
}
