//! A 4-validator `--chain local` network (Alice, Bob, Charlie, Dave), started from the built node
//! binary on loopback:
//!  (a) every node reaches finalized height >= 10;
//!  (b) after Dave is killed (SIGKILL) the other three keep finalizing (3 of 4 is above GRANDPA's
//!      2/3 threshold), and Dave, restarted on the same database, catches up.
//!  (c) on the same network (every node runs `--ipfs-server`): `aichain-client put` stores a real
//!      data file as blobs (two pieces and a manifest); Helia, an independent IPFS
//!      implementation, fetches each by its CID over bitswap from two different nodes; an unknown
//!      CID is a clean miss; `aichain-client get` reads the file back, every piece checked.
//! Prints the block time and finality lag it observed.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { readFileSync, mkdtempSync } from 'node:fs';
import { tmpdir, homedir } from 'node:os';
import { join } from 'node:path';
import { startNode, connect, stop, kill, waitFor, heights, peerIdOf, sleep, runClient } from './lib/chain.js';
import { cidOf, fetchBlock } from './lib/ipfs.js';

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
  nodes.alice = await startNode('alice', { nodeKey: bootKey, args: ['--chain', 'local', '--alice', '--ipfs-server'] });
  const boot = `/ip4/127.0.0.1/tcp/${nodes.alice.p2pPort}/p2p/${bootPeer}`;
  for (const who of ['bob', 'charlie', 'dave']) {
    nodes[who] = await startNode(who, { args: ['--chain', 'local', `--${who}`, '--ipfs-server', '--bootnodes', boot] });
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

/** The libp2p address of a node started by `startNode`. */
function p2pAddress(node) {
  return `/ip4/127.0.0.1/tcp/${node.p2pPort}/p2p/${peerIdOf(node.nodeKey)}`;
}

test('a file stored as blobs is served by CID over bitswap by two nodes and read back by the client', { timeout: 600_000 }, async () => {
  // A real data file fetched from PyPI by scripts/fetch-models.sh (ISLP NYSE.csv, 371,105 bytes):
  // two 256 KiB pieces and a manifest.
  const file = join(homedir(), '.cache/aichain/data/islp/NYSE.csv');
  const data = readFileSync(file);
  const t0 = Date.now();
  const out = await runClient(nodes.bob, '//Bob', 'put', file);
  const putSeconds = (Date.now() - t0) / 1000;
  const cids = [...out.matchAll(/(bafk2bzace[a-z2-7]+) stored/g)].map((m) => m[1]);
  assert.equal(cids.length, 3, `two pieces and a manifest stored:\n${out}`);
  const [first, second, manifest] = cids;
  assert.match(out, new RegExp(`stored ${data.length} bytes: ${manifest}`));
  assert.equal(first, await cidOf(data.subarray(0, 256 * 1024)), 'the chain names the first piece by its CIDv1');
  assert.equal(second, await cidOf(data.subarray(256 * 1024)));
  console.log(`# put ${data.length} bytes as 2 pieces + manifest in ${putSeconds.toFixed(1)} s (each finalized)`);

  // Helia fetches from Alice and from Charlie (Bob submitted the extrinsics): each node indexed
  // the bytes when it imported the blocks.
  for (const who of ['alice', 'charlie']) {
    const t = Date.now();
    const piece = await fetchBlock(p2pAddress(nodes[who]), first);
    assert.ok(piece, `${who} serves ${first}`);
    assert.deepEqual(piece, data.subarray(0, 256 * 1024), `${who}'s bytes are the first piece`);
    const last = await fetchBlock(p2pAddress(nodes[who]), second);
    assert.deepEqual(last, data.subarray(256 * 1024));
    console.log(`# helia fetched both pieces (${data.length} bytes) from ${who} in ${Date.now() - t} ms`);
  }
  const manifestBytes = await fetchBlock(p2pAddress(nodes.alice), manifest);
  assert.ok(manifestBytes && manifestBytes.length === 5 + 8 + 1 + 64, 'the manifest: its magic, the size, then two hashes');

  // An unknown CID is a clean miss: no bytes, and the node keeps serving.
  const unknown = await cidOf(Buffer.from('never stored on this chain'));
  assert.equal(await fetchBlock(p2pAddress(nodes.alice), unknown, 5_000), null);
  assert.ok(await fetchBlock(p2pAddress(nodes.alice), first), 'still serving after the miss');

  // The client reads the whole file back through Dave's node, checking every piece.
  const target = join(mkdtempSync(join(tmpdir(), 'aichain-get-')), 'NYSE.csv');
  await runClient(nodes.dave, '//Dave', 'get', manifest, '--out', target);
  assert.deepEqual(readFileSync(target), data, 'the file read back is the file stored');
});
