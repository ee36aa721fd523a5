//! Case (k): a DiLoCo language-model training on the validator-providers
//! (docs/distributed-training.md). The character model is registered twice (its shard tasks
//! answer with blobs, its outer tasks inline), Eve creates a training of 2 shards × 200 steps on
//! 2 replicas and drives three rounds with one `aichain-client diloco-round --rounds 3` while the
//! test watches the chain; in round 1 the node of one worker assigned a shard is killed, so the
//! jobs pallet slashes it as a no-show and gives its shard to another provider (the node then
//! restarts). Asserted: each round's validation loss (bits per character,
//! measured by the outer job's providers) is below the last; every shard job completed (its two
//! replicas agreed); the killed worker was slashed and its shard reassigned; the client's
//! samples are printed.
import assert from 'node:assert/strict';
import { runClient, runClientFor, kill, startNode, connect, waitFor } from './chain.js';
import { waitForEvent } from './market.js';

/**
 * Registers the character model as `suri`: a record whose blob-output jobs run shard tasks and
 * one whose inline jobs run outer tasks (the arguments come from `diloco-card`, as providers
 * compute the model's weights hash). Returns `{ shard, outer }`.
 */
export async function registerDilocoModels(node, suri) {
  const card = await runClient(node, suri, 'diloco-card');
  const args = card.match(/register with: (.*)/)?.[1]?.trim().split(/\s+/);
  if (!args) throw new Error(`diloco-card printed no register-model arguments:\n${card}`);
  const register = async (name) => {
    const out = await runClient(node, suri, 'register-model', '--name', name, ...args,
      '--price', 0.1, '--min-timeout', 5, '--content-address', 'git:offchain-worker/src/models/char_lm');
    const model = Number(out.match(/model (\d+) registered/)?.[1]);
    if (!Number.isInteger(model)) throw new Error(`register-model printed no model id:\n${out}`);
    return model;
  };
  const shard = await register('char-lm-shard');
  const outer = await register('char-lm-outer');
  // A change of the small model is 1,072 rows of 128 signed bytes and the row output's header.
  await runClient(node, suri, 'set-blob-limits', '--model', shard, '--max-input-len', 1 << 20,
    '--max-output-len', 137_223, '--output-row-len', 128, '--sketch-tolerance', 16);
  await runClient(node, suri, 'set-blob-limits', '--model', outer, '--max-input-len', 4 << 20);
  return { shard, outer };
}

/**
 * Case (k). `nodes` are running validator-providers serving the model, registered as workers
 * for `models`, whose accounts are `accounts` (by node name); the client talks to
 * `nodes.alice`, whose node stays up.
 */
export async function dilocoTraining({ api, nodes, accounts, models, logs }) {
  const started = Date.now();
  const client = (...args) => runClient(nodes.alice, '//Eve', ...args);
  const created = await client('diloco-create', '--shard-model', models.shard, '--outer-model', models.outer,
    '--shards', 2, '--steps', 200, '--replicas', 2, '--deadline', 30, '--max-price', 1, '--seed', 5);
  const training = Number(created.match(/training (\d+) created/)?.[1]);
  assert.ok(Number.isInteger(training), `diloco-create printed no training:\n${created}`);
  console.log(`# (k) training ${training} created (parameters and momentum stored as blobs)`);

  // The client runs the three rounds; the test watches the chain meanwhile.
  const since = (await api.rpc.chain.getHeader()).number.toNumber();
  const running = runClientFor(1_500_000, nodes.alice, '//Eve', 'diloco-round', '--training', training, '--rounds', 3);
  const shardJobs = [];
  for (let round = 0; round < 3; round++) {
    const [roundStarted] = await waitForEvent(api, 'diloco', ['RoundStarted'],
      (e) => e.data.training.toNumber() === training && e.data.round.toNumber() === round, `round ${round}`, 600_000, logs, since);
    const jobs = roundStarted.data.jobs.map((j) => j.toNumber());
    shardJobs.push(...jobs);
    if (round !== 1) continue;
    // Round 1: kill the node of a worker assigned a shard (not Alice's: the client talks to it).
    const [assigned] = await waitForEvent(api, 'jobs', ['JobAssigned'], (e) => jobs.includes(e.data.job.toNumber()),
      "round 1's shard jobs assigned", 120_000, logs, since);
    const workers = assigned.data.workers.map((w) => w.toString());
    const name = Object.keys(accounts).find((n) => n !== 'alice' && workers.includes(accounts[n]));
    assert.ok(name, `an assignee other than Alice among ${workers}`);
    const victim = { name, job: assigned.data.job.toNumber(), account: accounts[name] };
    await kill(nodes[name]);
    console.log(`# (k) round 1: killed ${name}'s node, assigned job ${victim.job}`);
    const [slashed] = await waitForEvent(api, 'jobs', ['WorkerSlashed'],
      (e) => e.data.job.toNumber() === victim.job && e.data.worker.toString() === victim.account,
      `${victim.name} slashed on job ${victim.job}`, 300_000, logs, since);
    const [reassigned] = await waitForEvent(api, 'jobs', ['JobAssigned'],
      (e) => e.data.job.toNumber() === victim.job && !e.data.workers.map((w) => w.toString()).includes(victim.account),
      `job ${victim.job} reassigned`, 60_000, logs, since);
    console.log(`# (k) ${victim.name} slashed ${slashed.data.amount.toBigInt()} planck as a no-show; job ${victim.job} reassigned to ${reassigned.data.workers.map(String).join(', ')}`);
    // The node comes back, so that the next round's draws do not wait on it.
    await restart(nodes, name, api);
  }
  const out = await running;
  const rounds = [...out.matchAll(/round (\d+): validation ([\d.]+) bits per character, (\d+) change\(s\) screened out, in (\d+) s/g)];
  assert.equal(rounds.length, 3, `three rounds completed:\n${out}`);
  const losses = rounds.map((m) => Number(m[2]));
  rounds.forEach((m) => console.log(`# (k) round ${m[1]} in ${m[4]} s: validation ${m[2]} bits/char, ${m[3]} change(s) screened out`));
  // Every shard job completed with one agreed output: its replicas agreed (the one whose
  // worker was killed, with its replacement).
  for (const job of shardJobs) {
    await waitForEvent(api, 'jobs', ['JobCompleted'], (e) => e.data.job.toNumber() === job, `shard job ${job} completed`, 60_000, logs, since);
  }
  // The final model's sample, as the client prints it (each line of text after `| `).
  const final = await client('diloco-sample', '--training', training);
  console.log(final.trim().split('\n').map((line) => `# (k) ${line}`).join('\n'));
  assert.match(final, /sample \(temperature 0\.8\):\n\| KING\.\n\| ./, `a sample continuing the prompt:\n${final}`);
  for (let i = 1; i < losses.length; i++) assert.ok(losses[i] < losses[i - 1], `the validation loss falls round over round: ${losses}`);
  const record = (await api.query.diloco.trainings(training)).unwrap();
  assert.equal(record.round.toNumber(), 3, 'three rounds recorded');
  assert.equal(record.validationMillibits.unwrap().toNumber(), Math.round(losses.at(-1) * 1000));
  console.log(`# (k) validation bits per character by round ${losses.join(' → ')}; ${shardJobs.length} shard jobs agreed; (k) took ${((Date.now() - started) / 1000).toFixed(0)} s`);
  return losses;
}

/** Restarts the killed node `name` on its own data and ports, and waits until it has synced. */
export async function restart(nodes, name, api) {
  const { basePath, rpcPort, p2pPort, nodeKey, args } = nodes[name];
  nodes[name] = await startNode(name, { basePath, rpcPort, p2pPort, nodeKey, args });
  const restarted = await connect(nodes[name]);
  const head = (await api.rpc.chain.getHeader()).number.toNumber();
  await waitFor(restarted, (h) => h.best >= head, 120_000, `${name}'s node synced`);
}
