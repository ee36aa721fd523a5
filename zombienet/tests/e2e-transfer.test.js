//! End to end on one dev node (shared by both tests):
//! - a signed balance transfer over JSON-RPC with polkadot.js, seen in a finalized block with
//!   the balances changed by exactly the amount (and the fee that `TransactionFeePaid` reports);
//! - governance as polkadot.js Apps reads and drives it: the standard pallets' storage and
//!   constants (tracks, council, treasury), then a referendum on the `model_admin` track
//!   submitted, voted and enacted with the track's origin.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { Keyring } from '@polkadot/keyring';
import { startNode, connect, stop, waitFor, submitFinalized, feePaid } from './lib/chain.js';
import { expectSuccess, waitForEvent } from './lib/market.js';

const UNIT = 10n ** 12n;
let node;
after(async () => { if (node) await stop(node); });

test('dev node: a signed transfer is finalized and moves exactly the amount plus fee', { timeout: 180_000 }, async () => {
  node = await startNode('dev', { args: ['--dev'] });
  const api = await connect(node);

  // The runtime exposes what wallets need.
  assert.equal(api.runtimeVersion.specName.toString(), 'aichain');
  const props = await api.rpc.system.properties();
  assert.equal(props.tokenSymbol.unwrap()[0].toString(), 'AIC');
  const metadataVersions = (await api.call.metadata.metadataVersions()).map((v) => v.toNumber());
  assert.ok(metadataVersions.includes(15) && metadataVersions.includes(16), `metadata versions ${metadataVersions}`);

  // Blocks are produced and finalized.
  await waitFor(api, (h) => h.finalized >= 1, 60_000, 'first finalized block');

  const keyring = new Keyring({ type: 'sr25519' });
  const alice = keyring.addFromUri('//Alice');
  const bob = keyring.addFromUri('//Bob');
  const amount = 7n * UNIT + 123n;

  const before = await api.query.system.account.multi([alice.address, bob.address]);

  const ok = await submitFinalized(api, api.tx.balances.transferKeepAlive(bob.address, amount), alice);
  assert.equal(ok.dispatchError, undefined, 'the transfer succeeds');
  assert.ok(ok.events.some(({ event }) => api.events.balances.Transfer.is(event)), 'Balances.Transfer emitted');
  const fee = feePaid(api, ok);
  const blockHash = ok.blockHash;

  // The block that holds the transfer is finalized.
  const finalizedHead = await api.rpc.chain.getFinalizedHead();
  const inclusion = await api.rpc.chain.getHeader(blockHash);
  const finalized = await api.rpc.chain.getHeader(finalizedHead);
  assert.ok(inclusion.number.toNumber() <= finalized.number.toNumber());

  const [aliceAfter, bobAfter] = await api.query.system.account.multi([alice.address, bob.address]);
  assert.equal(bobAfter.data.free.toBigInt() - before[1].data.free.toBigInt(), amount);
  assert.ok(fee > 0n, 'a fee was charged');
  assert.equal(before[0].data.free.toBigInt() - aliceAfter.data.free.toBigInt(), amount + fee);
  assert.equal(aliceAfter.nonce.toNumber(), before[0].nonce.toNumber() + 1);

  // A transfer Alice cannot afford fails with a dispatch error: Bob gets nothing, Alice pays
  // only the fee.
  const tooMuch = aliceAfter.data.free.toBigInt() * 2n;
  const bad = await submitFinalized(api, api.tx.balances.transferKeepAlive(bob.address, tooMuch), alice);
  assert.ok(bad.dispatchError, 'the over-balance transfer fails');
  const badFee = feePaid(api, bad);
  const [aliceEnd, bobEnd] = await api.query.system.account.multi([alice.address, bob.address]);
  assert.equal(bobEnd.data.free.toBigInt(), bobAfter.data.free.toBigInt());
  assert.equal(aliceAfter.data.free.toBigInt() - aliceEnd.data.free.toBigInt(), badFee);
});

test('dev node: governance pallets as polkadot.js Apps uses them, and a model_admin referendum enacted', { timeout: 240_000 }, async () => {
  assert.ok(node?.api, 'the first test started the node and connected');
  const api = node.api;
  const keyring = new Keyring({ type: 'sr25519' });
  const [alice, bob, charlie] = ['//Alice', '//Bob', '//Charlie'].map((uri) => keyring.addFromUri(uri));

  // What Apps' governance pages read: every standard pallet, its storage and constants.
  for (const pallet of ['preimage', 'scheduler', 'treasury', 'council', 'convictionVoting', 'referenda']) {
    assert.ok(api.query[pallet], `pallet ${pallet} in the metadata`);
  }
  // Track names are fixed-size byte arrays padded with zeros (`str_array`).
  const name = (info) => new TextDecoder().decode(info.name.toU8a(true)).replace(/\0+$/, '');
  const tracks = api.consts.referenda.tracks.map(([id, info]) => [id.toNumber(), name(info)]);
  assert.deepEqual(tracks, [[0, 'root'], [1, 'compute'], [2, 'model_admin']]);
  const members = (await api.query.council.members()).map((a) => a.toString()).sort();
  assert.deepEqual(members, [alice.address, bob.address, charlie.address].sort());
  const treasury = api.consts.treasury.palletId.toU8a();
  assert.equal(Buffer.from(treasury).toString(), 'aic/trsy');
  assert.equal((await api.query.treasury.spendCount()).toNumber(), 0);
  assert.equal((await api.query.sudo.key()).unwrap().toString(), alice.address, 'sudo only on the dev chain');

  // A referendum on the model_admin track: approve model 3 for governance requests.
  const index = (await api.query.referenda.referendumCount()).toNumber();
  const proposal = api.tx.computeGovernance.setModelApproval(3, true);
  const noted = await submitFinalized(api, api.tx.preimage.notePreimage(proposal.method.toHex()), alice);
  expectSuccess(api, noted, 'note preimage');
  const lookup = { Lookup: { hash: proposal.method.hash, len: proposal.method.encodedLength } };
  expectSuccess(api, await submitFinalized(api,
    api.tx.referenda.submit({ Origins: 'ModelAdmin' }, lookup, { After: 0 }), alice), 'submit referendum');
  const ongoing = (await api.query.referenda.referendumInfoFor(index)).unwrap().asOngoing;
  assert.equal(ongoing.track.toNumber(), 2, 'on the model_admin track');
  expectSuccess(api, await submitFinalized(api, api.tx.referenda.placeDecisionDeposit(index), alice), 'decision deposit');
  const aye = { Standard: { vote: { aye: true, conviction: 'Locked1x' }, balance: 900_000n * UNIT } };
  // One voter: 900,000 of about 12.1 million AIC is 7.4 % support, enough once the track's
  // support curve (10 % falling to 0 over the decision period) has fallen below it.
  const voted = await submitFinalized(api, api.tx.convictionVoting.vote(index, aye), alice);
  expectSuccess(api, voted, 'vote');
  const tally = (await (await api.at(voted.blockHash)).query.referenda.referendumInfoFor(index)).unwrap().asOngoing.tally;
  assert.equal(tally.ayes.toBigInt(), 900_000n * UNIT, 'Locked1x counts the vote once');
  assert.equal(tally.support.toBigInt(), 900_000n * UNIT);

  // Passed, then enacted with the ModelAdmin origin.
  await waitForEvent(api, 'referenda', ['Confirmed'], (e) => e.data[0].toNumber() === index, `referendum ${index}`, 120_000);
  await waitForEvent(api, 'computeGovernance', ['ModelApprovalSet'], (e) => e.data.model.toNumber() === 3, 'enactment', 60_000);
  assert.ok((await api.query.computeGovernance.approvedModels(3)).isSome, 'model 3 approved by the enacted referendum');
  assert.ok((await api.query.referenda.referendumInfoFor(index)).unwrap().isApproved);
});
