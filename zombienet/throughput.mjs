//! Throughput of the compute market on a local network, run by `scripts/throughput.sh`:
//! four `--chain local` validators that are all providers (`--worker`) serve the digits model;
//! eight requesters submit JOBS zk-tier digits jobs in one burst (explicit nonces, no waiting).
//! Each provider's offchain worker sends its proven results in `submit_results` batches, each
//! verified on chain in one pairing check. Reports jobs completed and verified per minute (from
//! the first submission's block to the last completion's block, by on-chain timestamps); per
//! block: jobs completed and the weight of the zk result calls (verification and payment
//! included) with its share of the block's normal-class limit; and, over the run, the weight per
//! verified result, the most verified results in one block, and the ceiling per block by weight
//! (the normal-class limit over the weight per result), next to the benchmarked weight of one
//! `submit_result` (a result verified alone) from the same runtime.
import { randomBytes } from 'node:crypto';
import { Keyring } from '@polkadot/keyring';
import { startNode, connect, stop, waitFor, peerIdOf, sleep } from './tests/lib/chain.js';
import { UNIT, isResultCall, registerDigitsModel, registerWorker, testDigit } from './tests/lib/market.js';

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
      const resultCalls = block.block.extrinsics.map(isResultCall);
      let done = 0;
      let newJobs = 0;
      let verifyWeight = 0n;
      for (const { event, phase } of events) {
        if (event.section === 'jobs' && event.method === 'JobSubmitted') newJobs++;
        if (event.section === 'jobs' && event.method === 'JobCompleted') done++;
        if (event.section === 'system' && event.method === 'ExtrinsicSuccess' && phase.isApplyExtrinsic &&
            resultCalls[phase.asApplyExtrinsic.toNumber()]) {
          verifyWeight += event.data.dispatchInfo.weight.refTime.toBigInt();
        }
      }
      if (newJobs > 0 && firstSubmitTs === undefined) firstSubmitTs = now.toNumber();
      submitted += newJobs;
      completed += done;
      if (done > 0) lastCompletionTs = now.toNumber();
      perBlock.push({ block: next, submitted: newJobs, completed: done, resultCalls: resultCalls.filter(Boolean).length,
        verifyWeightMs: Number(verifyWeight) / 1e9,
        verifyShareOfNormal: Number(verifyWeight * 10000n / maxNormal) / 100 });
    }
    await sleep(1000);
  }
  const minutes = (lastCompletionTs - firstSubmitTs) / 60_000;
  const active = perBlock.filter((b) => b.submitted || b.completed);
  const withResults = active.filter((b) => b.completed);
  const weightPerResultMs = withResults.reduce((w, b) => w + b.verifyWeightMs, 0) / withResults.reduce((n, b) => n + b.completed, 0);
  // A result verified alone: the benchmarked weight `submit_result` declares (the same runtime).
  const single = await api.tx.jobs.submitResult(0, '0x' + '00'.repeat(10), { a: '0x' + '00'.repeat(32), b: '0x' + '00'.repeat(64), c: '0x' + '00'.repeat(32) })
    .paymentInfo(providers[0]);
  const singleResultWeightMs = single.weight.refTime.toNumber() / 1e9;
  const maxNormalMs = Number(maxNormal) / 1e9;
  console.log(JSON.stringify({ jobs: JOBS, submitted, completed, minutes: Number(minutes.toFixed(2)),
    completedPerMinute: Number((completed / minutes).toFixed(1)),
    weightPerVerifiedResultMs: Number(weightPerResultMs.toFixed(3)),
    mostVerifiedInOneBlock: Math.max(...withResults.map((b) => b.completed)),
    ceilingPerBlockByWeight: Math.floor(maxNormalMs / weightPerResultMs),
    singleResultWeightMs: Number(singleResultWeightMs.toFixed(3)),
    singleResultCeilingPerBlock: Math.floor(maxNormalMs / singleResultWeightMs),
    maxVerifyWeightMsPerBlock: Math.max(...active.map((b) => b.verifyWeightMs)),
    maxVerifyShareOfNormalPercent: Math.max(...active.map((b) => b.verifyShareOfNormal)),
    blocks: active }, null, 1));
}

main()
  .catch((err) => { console.error(err); process.exitCode = 1; })
  .finally(async () => { for (const n of Object.values(nodes)) await stop(n); process.exit(); });
