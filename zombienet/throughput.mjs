//! Throughput of the compute market on a local network, run by `scripts/throughput.sh`:
//! four `--chain local` validators that are all providers (`--worker`) serve the digits model;
//! eight requesters submit JOBS zk-tier digits jobs in one burst (explicit nonces, no waiting).
//! Reports jobs completed and verified per minute (from the first submission's block to the
//! last completion's block, by on-chain timestamps), and per block: jobs completed, the weight
//! of the `submit_result` calls (Groth16 verification included) and its share of the block's
//! normal-class weight limit.
import { randomBytes } from 'node:crypto';
import { Keyring } from '@polkadot/keyring';
import { startNode, connect, stop, waitFor, peerIdOf, sleep } from './tests/lib/chain.js';
import { UNIT, registerDigitsModel, registerWorker, testDigit } from './tests/lib/market.js';

const JOBS = Number(process.env.JOBS ?? 200);
const nodes = {};
const keyring = new Keyring({ type: 'sr25519' });

async function main() {
  const bootKey = randomBytes(32).toString('hex');
  nodes.alice = await startNode('alice', { nodeKey: bootKey, args: ['--chain', 'local', '--alice', '--worker'] });
  const boot = `/ip4/127.0.0.1/tcp/${nodes.alice.p2pPort}/p2p/${peerIdOf(bootKey)}`;
  for (const who of ['bob', 'charlie', 'dave']) {
    nodes[who] = await startNode(who, { args: ['--chain', 'local', `--${who}`, '--worker', '--bootnodes', boot] });
  }
  const api = await connect(nodes.alice);
  await waitFor(api, (h) => h.finalized >= 3, 240_000, 'finalized >= 3');
  const providers = ['//Alice', '//Bob', '//Charlie', '//Dave'].map((u) => keyring.addFromUri(u));
  const model = await registerDigitsModel(api, keyring.addFromUri('//Ferdie'));
  await Promise.all(providers.map((p) => registerWorker(api, p, [model])));

  const requesters = ['//Eve', '//Ferdie', '//Alice//stash', '//Bob//stash', '//Charlie//stash', '//Dave//stash',
    '//Eve//stash', '//Ferdie//stash'].map((u) => keyring.addFromUri(u));
  const nonces = await Promise.all(requesters.map(async (r) => (await api.rpc.system.accountNextIndex(r.address)).toNumber()));
  const startBlock = (await api.rpc.chain.getHeader()).number.toNumber();
  const submissions = [];
  for (let i = 0; i < JOBS; i++) {
    const r = i % requesters.length;
    const input = '0x' + Buffer.from(testDigit(i % 300).pixels).toString('hex');
    const tx = api.tx.jobs.submitJob(model, input, 'Zk', 2n * UNIT, 100);
    submissions.push(tx.signAndSend(requesters[r], { nonce: nonces[r]++ }));
  }
  await Promise.all(submissions);
  console.error(`submitted ${JOBS} jobs after block #${startBlock}`);

  // Follow blocks until every job submitted in the burst completed (or 10 minutes passed).
  const perBlock = [];
  let completed = 0;
  let submitted = 0;
  let next = startBlock + 1;
  let firstSubmitTs;
  let lastCompletionTs;
  const maxNormal = api.consts.system.blockWeights.perClass.normal.maxTotal.unwrap().refTime.toBigInt();
  const deadline = Date.now() + 600_000;
  while (completed < JOBS && Date.now() < deadline) {
    const best = (await api.rpc.chain.getHeader()).number.toNumber();
    for (; next <= best; next++) {
      const hash = await api.rpc.chain.getBlockHash(next);
      const [block, at] = await Promise.all([api.rpc.chain.getBlock(hash), api.at(hash)]);
      const [events, now] = await Promise.all([at.query.system.events(), at.query.timestamp.now()]);
      const calls = block.block.extrinsics.map((x) => `${x.method.section}.${x.method.method}`);
      let done = 0;
      let newJobs = 0;
      let verifyWeight = 0n;
      for (const { event, phase } of events) {
        if (event.section === 'jobs' && event.method === 'JobSubmitted') newJobs++;
        if (event.section === 'jobs' && event.method === 'JobCompleted') done++;
        if (event.section === 'system' && event.method === 'ExtrinsicSuccess' && phase.isApplyExtrinsic &&
            calls[phase.asApplyExtrinsic.toNumber()] === 'jobs.submitResult') {
          verifyWeight += event.data.dispatchInfo.weight.refTime.toBigInt();
        }
      }
      if (newJobs > 0 && firstSubmitTs === undefined) firstSubmitTs = now.toNumber();
      submitted += newJobs;
      completed += done;
      if (done > 0) lastCompletionTs = now.toNumber();
      perBlock.push({ block: next, submitted: newJobs, completed: done, verifyWeightMs: Number(verifyWeight) / 1e9,
        verifyShareOfNormal: Number(verifyWeight * 10000n / maxNormal) / 100 });
    }
    await sleep(1000);
  }
  const minutes = (lastCompletionTs - firstSubmitTs) / 60_000;
  const active = perBlock.filter((b) => b.submitted || b.completed);
  console.log(JSON.stringify({ jobs: JOBS, submitted, completed, minutes: Number(minutes.toFixed(2)),
    completedPerMinute: Number((completed / minutes).toFixed(1)),
    maxVerifyWeightMsPerBlock: Math.max(...active.map((b) => b.verifyWeightMs)),
    maxVerifyShareOfNormalPercent: Math.max(...active.map((b) => b.verifyShareOfNormal)),
    blocks: active }, null, 1));
}

main()
  .catch((err) => { console.error(err); process.exitCode = 1; })
  .finally(async () => { for (const n of Object.values(nodes)) await stop(n); process.exit(); });
