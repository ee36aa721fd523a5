//! A small command-line client of the AI compute chain (polkadot.js), run through
//! `scripts/client.sh`:
//!
//!   client.sh setup-digits [--owner //Alice] [--worker //Alice]   register the digits model (its
//!                                                       Groth16 key) and a provider as its worker
//!   client.sh submit-digit [--model 0] [--digit N] [--as //Bob]   submit a zk job with test digit
//!                                                       N, wait for the verified output, print it
//!   client.sh submit-job --model ID --input-file F [--tier zk|optimistic|redundancy:R]
//!                        [--max-price AIC] [--deadline BLOCKS] [--as //Bob]
//!   client.sh jobs | workers | models                  list open jobs, workers, models
//!   client.sh balance ACCOUNT|//Seed                    free and reserved balance
//!
//! `--url ws://127.0.0.1:9944` selects the node (default: $AICHAIN_RPC or that URL).
import { readFileSync } from 'node:fs';
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

function tierOf(text = 'zk') {
  if (text === 'zk') return 'Zk';
  if (text === 'optimistic') return 'Optimistic';
  const m = /^redundancy:(\d+)$/.exec(text);
  if (m) return { Redundancy: { replicas: Number(m[1]) } };
  throw new Error(`unknown tier ${text}: zk, optimistic or redundancy:R`);
}

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
      case 'submit-job': {
        if (flags.model === undefined || !flags['input-file']) throw new Error('submit-job needs --model and --input-file');
        return await submitAndWait(api, {
          model: Number(flags.model), input: readFileSync(flags['input-file']), tier: tierOf(flags.tier),
          maxPrice: BigInt(Math.round(Number(flags['max-price'] ?? 10) * 1e6)) * (UNIT / 1_000_000n),
          deadline: Number(flags.deadline ?? 20), requester: account(flags.as ?? '//Bob'),
        });
      }
      case 'jobs':
        for (const [key, job] of await api.query.jobs.jobs.entries()) {
          const j = job.unwrap();
          console.log(`job ${key.args[0]}: model ${j.model}, tier ${j.tier}, ${j.status}, requester ${j.requester}, workers ${j.assignments.map((a) => a.worker).join(', ') || '-'}, deadline ${j.deadline}`);
        }
        return 0;
      case 'workers':
        for (const [key, info] of await api.query.workers.workers.entries()) {
          const w = info.unwrap();
          console.log(`${key.args[0]}: bond ${aic(w.bond)}, models ${w.models.join(',')}, ${w.status}, heartbeat #${w.lastHeartbeat}, completed ${w.completed}, failed ${w.failed}, active jobs ${w.activeJobs}`);
        }
        return 0;
      case 'models':
        for (const [key, info] of await api.query.models.models.entries()) {
          const m = info.unwrap();
          console.log(`model ${key.args[0]}: ${m.spec.name.toUtf8()}, ${m.spec.kind}, price ${aic(m.spec.price)}, key ${m.spec.verifyingKey}, ${m.status}, owner ${m.owner}`);
        }
        return 0;
      case 'balance': {
        const who = flags._?.[0] ?? '//Alice';
        const address = who.startsWith('//') ? account(who).address : who;
        const { data } = await api.query.system.account(address);
        console.log(`${address}: free ${aic(data.free)}, reserved ${aic(data.reserved)}`);
        return 0;
      }
      default:
        console.error('usage: client.sh setup-digits | submit-digit | submit-job | jobs | workers | models | balance (see zombienet/client.mjs)');
        return 2;
    }
  } finally {
    await api.disconnect();
  }
}

main().then((code) => process.exit(code), (err) => { console.error(`error: ${err.message}`); process.exit(1); });
