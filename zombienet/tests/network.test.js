//! A 4-validator `--chain local` network (Alice, Bob, Charlie, Dave), started from the built node
//! binary on loopback:
//!  (a) every node reaches finalized height >= 10;
//!  (b) after Dave is killed (SIGKILL) the other three keep finalizing (3 of 4 is above GRANDPA's
//!      2/3 threshold), and Dave, restarted on the same database, catches up.
//! Prints the block time and finality lag it observed.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { startNode, connect, stop, kill, waitFor, heights, peerIdOf, sleep } from './lib/chain.js';

const nodes = {};
after(async () => { for (const n of Object.values(nodes)) await stop(n); });

/** Mean block time over the last `span` blocks, from the on-chain timestamps. */
async function meanBlockTimeMs(api, span) {
  const best = (await api.rpc.chain.getHeader()).number.toNumber();
  const at = async (n) => (await (await api.at(await api.rpc.chain.getBlockHash(n))).query.timestamp.now()).toNumber();
  const from = Math.max(1, best - span);
  return (await at(best) - await at(from)) / (best - from);
}

test('4 validators finalize; losing one keeps finality; the restarted one catches up', { timeout: 600_000 }, async () => {
  const bootKey = randomBytes(32).toString('hex');
  const bootPeer = peerIdOf(bootKey);
  nodes.alice = await startNode('alice', { nodeKey: bootKey, args: ['--chain', 'local', '--alice'] });
  const boot = `/ip4/127.0.0.1/tcp/${nodes.alice.p2pPort}/p2p/${bootPeer}`;
  for (const who of ['bob', 'charlie', 'dave']) {
    nodes[who] = await startNode(who, { args: ['--chain', 'local', `--${who}`, '--bootnodes', boot] });
  }
  const apis = {};
  for (const [who, n] of Object.entries(nodes)) apis[who] = await connect(n);

  // (a) all four reach finalized height >= 10.
  for (const [who, api] of Object.entries(apis)) {
    await waitFor(api, (h) => h.finalized >= 10, 240_000, `${who} finalized >= 10`);
  }

  // Finality lag: best minus finalized, sampled once a second for 20 s on Alice.
  const lags = [];
  for (let i = 0; i < 20; i++) { const h = await heights(apis.alice); lags.push(h.best - h.finalized); await sleep(1000); }
  const blockTime = await meanBlockTimeMs(apis.alice, 10);
  lags.sort((x, y) => x - y);
  console.log(`# 4 validators: mean block time ${blockTime.toFixed(0)} ms over 10 blocks; ` +
    `finality lag median ${lags[10]} blocks, max ${lags[19]} blocks`);
  assert.ok(blockTime >= 5000 && blockTime <= 9000, `block time ${blockTime} ms near the 6 s slot`);

  // (b) kill Dave; the others keep finalizing.
  const daveArgs = nodes.dave.args;
  await kill(nodes.dave);
  delete apis.dave;
  const atKill = await heights(apis.alice);
  for (const who of ['alice', 'bob', 'charlie']) {
    await waitFor(apis[who], (h) => h.finalized >= atKill.finalized + 5, 120_000, `${who} finalizing without dave`);
  }

  // Restart Dave on the same database; it catches up to the others' finalized head.
  const { basePath, rpcPort, p2pPort, nodeKey } = nodes.dave;
  nodes.dave = await startNode('dave', { basePath, rpcPort, p2pPort, nodeKey, args: daveArgs });
  apis.dave = await connect(nodes.dave);
  const target = (await heights(apis.alice)).finalized;
  const caught = await waitFor(apis.dave, (h) => h.finalized >= target, 120_000, 'dave catching up');
  console.log(`# dave restarted: finalized ${caught.finalized} >= network's ${target} at restart`);

  // And the network as a whole still finalizes with all four.
  const now = (await heights(apis.alice)).finalized;
  await waitFor(apis.dave, (h) => h.finalized >= now + 3, 60_000, 'finality with dave back');
});
