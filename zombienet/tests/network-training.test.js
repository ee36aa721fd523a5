//! Trainings on four validator-providers (Alice, Bob, Charlie, Dave; Dave's node lies with
//! `--worker-dishonest` until case (j) restarts it):
//! - private federated learning: the breast-cancer records dealt to four hospitals' files
//!   (`fl-split`), the member circuit's keys (`fl-keys`) and model, then case (j) of
//!   `lib/private-fl.js`: a consortium, each hospital's `fl-join`, the budget by a model_admin
//!   referendum, three rounds with a lying member and a dropout, the budget refusing a sixth
//!   attempt, and a scan of every block for records, updates and salts;
//! - then, on the same nodes (Charlie's, which (j) killed, restarted), case (k) of
//!   `lib/diloco.js`: a DiLoCo training of the character language model, three rounds of two
//!   shards on two replicas, a shard's provider killed and its shard reassigned.
//!
//! A run on this machine (2 cores): 642 s in all; (j) 511 s; a round of 4 members in 4 blocks (23 s);
//! accuracy 0.372 → 0.912 → 0.912 → 0.929.
import { test, after } from 'node:test';
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Keyring } from '@polkadot/keyring';
import { startNode, connect, stop, kill, waitFor, peerIdOf, logTail, sleep } from './lib/chain.js';
import { UNIT, registerWorker } from './lib/market.js';
import { prepareMemberCircuit, registerMemberModel, privateFederatedLearning } from './lib/private-fl.js';
import { registerDilocoModels, dilocoTraining, restart } from './lib/diloco.js';

const nodes = {};
// Nodes' folders are kept when the test fails (their logs), removed when it passes.
let passed = false;
after(async () => { for (const n of Object.values(nodes)) await (passed ? stop(n) : kill(n)); });
const keyring = new Keyring({ type: 'sr25519' });
const [alice, bob, charlie, dave, eve] = ['//Alice', '//Bob', '//Charlie', '//Dave', '//Eve'].map((u) => keyring.addFromUri(u));
const logs = () => Object.values(nodes).map((n) => `\n--- ${n.name}\n${logTail(n, 15)}`).join('');

test('4 validator-providers: private federated learning, then a DiLoCo language-model training', { timeout: 2_400_000 }, async () => {
  const bootKey = randomBytes(32).toString('hex');
  nodes.alice = await startNode('alice', { nodeKey: bootKey, args: ['--chain', 'local', '--alice', '--worker'] });
  const boot = `/ip4/127.0.0.1/tcp/${nodes.alice.p2pPort}/p2p/${peerIdOf(bootKey)}`;
  for (const who of ['bob', 'charlie', 'dave']) {
    const extra = who === 'dave' ? ['--worker-dishonest'] : [];
    nodes[who] = await startNode(who, { args: ['--chain', 'local', `--${who}`, '--worker', ...extra, '--bootnodes', boot] });
  }
  const flDir = mkdtempSync(join(tmpdir(), 'aichain-private-fl-'));
  const t0 = Date.now();
  const args = await prepareMemberCircuit(nodes.alice, flDir);
  console.log(`# member circuit keys ready in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  const api = await connect(nodes.alice, 240_000);
  await waitFor(api, (h) => h.finalized >= 3, 240_000, 'finalized >= 3');
  const fl = await registerMemberModel(nodes.bob, '//Ferdie//stash', args);
  const lm = await registerDilocoModels(nodes.bob, '//Ferdie//stash');
  const models = [fl, lm.shard, lm.outer];
  await Promise.all([
    registerWorker(api, alice, models), registerWorker(api, bob, models),
    registerWorker(api, charlie, models, 200n * UNIT), registerWorker(api, dave, models, 200n * UNIT),
  ]);
  for (let i = 0; i < 60; i++) {
    const keys = await Promise.all([alice, bob, charlie, dave].map((w) => api.query.workers.encryptionKeys(w.address)));
    if (keys.every((k) => k.isSome)) break;
    await sleep(2000);
  }
  const bond = async (who) => (await api.query.workers.workers(who.address)).unwrap().bond.toBigInt();
  await privateFederatedLearning({ api, nodes, fl, flDir, eve, hospitals: [alice, bob, charlie, dave], logs, bond });
  await restart(nodes, 'charlie', api);
  const accounts = { alice: alice.address, bob: bob.address, charlie: charlie.address, dave: dave.address };
  await dilocoTraining({ api, nodes, accounts, models: lm, logs });
  passed = true;
});
