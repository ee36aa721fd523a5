//! The digits conveniences of the command-line client (polkadot.js), run through
//! `scripts/client.sh` (its other commands are the Rust `aichain-client`, node/client):
//!
//!   client.sh setup-digits [--owner //Alice] [--worker //Alice]   register the digits model (its
//!                                                       Groth16 key) and a provider as its worker
//!   client.sh submit-digit [--model 0] [--digit N] [--as //Bob]   submit a zk job with test digit
//!                                                       N, wait for the verified output, print it
//!
//! `--url ws://127.0.0.1:9944` selects the node (default: $AICHAIN_RPC or that URL).
import { ApiPromise, WsProvider } from '@polkadot/api';
import { Keyring } from '@polkadot/keyring';
import { submitFinalized } from './tests/lib/chain.js';
import {
  UNIT, findEvent, expectSuccess, registerDigitsModel, registerWorker, testDigit, decodeLogits, waitForJobEvent,
} from './tests/lib/market.js';

const [command, ...rest] = process.argv.slice(2);
const flags = {};
for (let i = 0; i < rest.length; i++) {
  if (rest[i].startsWith('--')) flags[rest[i].slice(2)] = rest[i + 1]?.startsWith('--') ? true : rest[++i];
  else (flags._ ??= []).push(rest[i]);
}
const keyring = new Keyring({ type: 'sr25519', ss58Format: 42 });
const account = (suri) => keyring.addFromUri(suri);
const aic = (planck) => `${(Number(planck) / Number(UNIT)).toFixed(6)} AIC`;
const hex = (bytes) => '0x' + Buffer.from(bytes).toString('hex');

/** Submits a job, waits for its end and prints the outcome. */
async function submitAndWait(api, { model, input, tier, maxPrice, deadline, requester, label }) {
  const submitted = expectSuccess(api,
    await submitFinalized(api, api.tx.jobs.submitJob(model, hex(input), tier, maxPrice, deadline), requester),
    'submitting the job');
  const job = findEvent(submitted, 'jobs', 'JobSubmitted').data.job.toNumber();
  const assigned = findEvent(submitted, 'jobs', 'JobAssigned');
  console.log(`job ${job} submitted by ${requester.address}; ${assigned ? `assigned to ${assigned.data.workers.join(', ')}` : 'pending (no eligible worker yet)'}`);
  const [event, block] = await waitForJobEvent(api, job, ['JobCompleted', 'JobRefunded'], 600_000);
  if (event.method !== 'JobCompleted') {
    console.log(`job ${job} refunded in block ${block}: ${event.data.toString()}`);
    return 1;
  }
  const output = event.data.output.toU8a(true);
  console.log(`job ${job} completed in block ${block}; verified output ${hex(output)}`);
  console.log(`  paid: workers ${aic(event.data.workerPayment)} each, royalty ${aic(event.data.royalty)}, fee ${aic(event.data.fee)}, refund ${aic(event.data.refund)}`);
  if (output.length === 40) {
    const { logits, predicted } = decodeLogits(output);
    console.log(`  digits classifier: class ${predicted}${label !== undefined ? ` (true label ${label})` : ''}; logits ${logits.join(' ')}`);
  }
  return 0;
}

async function main() {
  const url = flags.url ?? process.env.AICHAIN_RPC ?? 'ws://127.0.0.1:9944';
  const api = await ApiPromise.create({ provider: new WsProvider(url), noInitWarn: true });
  try {
    switch (command) {
      case 'setup-digits': {
        const owner = account(flags.owner ?? '//Alice');
        const worker = account(flags.worker ?? '//Alice');
        const model = await registerDigitsModel(api, owner);
        console.log(`digits model registered: id ${model}, owner ${owner.address}`);
        await registerWorker(api, worker, [model]);
        console.log(`worker ${worker.address} bonded 100 AIC for model ${model}`);
        return 0;
      }
      case 'submit-digit': {
        const digit = testDigit(Number(flags.digit ?? 0));
        return await submitAndWait(api, {
          model: Number(flags.model ?? 0), input: digit.pixels, tier: 'Zk', maxPrice: 2n * UNIT,
          deadline: Number(flags.deadline ?? 20), requester: account(flags.as ?? '//Bob'), label: digit.label,
        });
      }
      default:
        console.error('usage: client.sh setup-digits | submit-digit (see zombienet/client.mjs; the other commands are aichain-client\'s)');
        return 2;
    }
  } finally {
    await api.disconnect();
  }
}

main().then((code) => process.exit(code), (err) => { console.error(`error: ${err.message}`); process.exit(1); });
