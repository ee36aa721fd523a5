//! End to end: start the dev node binary, submit a signed balance transfer over JSON-RPC with
//! polkadot.js, and see it in a finalized block with the balances changed by exactly the amount
//! (and the fee that the `TransactionFeePaid` event reports).
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { Keyring } from '@polkadot/keyring';
import { startNode, connect, stop, waitFor, submitFinalized, feePaid } from './lib/chain.js';

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
