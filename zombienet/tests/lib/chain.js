//! Helpers for tests that run real `aichain-node` processes: spawning nodes on free loopback
//! ports, connecting a polkadot.js client, waiting for best/finalized heights, submitting
//! signed transactions, and cleanup.
import { spawn, execFile, execFileSync } from 'node:child_process';
import { promisify } from 'node:util';
import { mkdtempSync, rmSync, openSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import net from 'node:net';
import { randomBytes } from 'node:crypto';
import { ApiPromise, WsProvider } from '@polkadot/api';

/** Path of the node binary: $NODE_BIN, set by scripts/env.sh. */
export const NODE_BIN = process.env.NODE_BIN;

/**
 * A free TCP port on 127.0.0.1 for a node to listen on: a random one below the kernel's
 * ephemeral range (32768 and up on Linux), checked free. A port the kernel hands out for
 * `listen(0)` is an ephemeral one, which any outgoing connection (a client, a p2p dial) may take
 * as its local port before the node binds it: the node then cannot listen, and a probe can even
 * connect to itself there. A port is handed out once per process, and the lanes of
 * scripts/test.sh draw from the same 12,000.
 */
const handedOut = new Set();
export async function freePort() {
  for (;;) {
    const port = 20000 + Math.floor(Math.random() * 12000);
    if (handedOut.has(port)) continue;
    const free = await new Promise((resolve) => {
      const srv = net.createServer();
      srv.once('error', () => resolve(false));
      srv.listen(port, '127.0.0.1', () => srv.close(() => resolve(true)));
    });
    if (free) {
      handedOut.add(port);
      return port;
    }
  }
}

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** The libp2p peer id of a node key given as 64 hex characters. */
export function peerIdOf(nodeKeyHex) {
  const dir = mkdtempSync(join(tmpdir(), 'aichain-key-'));
  try {
    const file = join(dir, 'node-key');
    writeFileSync(file, nodeKeyHex);
    return execFileSync(NODE_BIN, ['key', 'inspect-node-key', '--file', file]).toString().trim();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Starts a node. `opts.args` are extra CLI flags; the node gets its own base path, network key,
 * RPC and p2p ports on loopback (pass those of a stopped handle to restart it as the same node),
 * and a log file in the base path.
 */
export async function startNode(name, opts = {}) {
  if (!NODE_BIN) throw new Error('NODE_BIN is not set: run the tests through scripts/test.sh');
  const basePath = opts.basePath ?? mkdtempSync(join(tmpdir(), `aichain-${name}-`));
  const rpcPort = opts.rpcPort ?? (await freePort());
  const p2pPort = opts.p2pPort ?? (await freePort());
  // Validators of a non-dev chain must be given a network key; each node gets its own.
  const nodeKey = opts.nodeKey ?? randomBytes(32).toString('hex');
  const args = [
    '--node-key', nodeKey,
    '--base-path', basePath,
    '--rpc-port', String(rpcPort),
    '--listen-addr', `/ip4/127.0.0.1/tcp/${p2pPort}`,
    '--no-prometheus', '--no-telemetry', '--no-mdns',
    '--name', name,
    ...(opts.args ?? []),
  ];
  const logFile = join(basePath, 'node.log');
  const out = openSync(logFile, 'a');
  const proc = spawn(NODE_BIN, args, { stdio: ['ignore', out, out] });
  const handle = { name, basePath, rpcPort, p2pPort, nodeKey, args: opts.args ?? [], proc, logFile, api: null };
  handle.exited = new Promise((resolve) => proc.once('exit', (code, signal) => resolve({ code, signal })));
  return handle;
}

/** The last lines of a node's log. */
export function logTail(node, lines = 20) {
  return readFileSync(node.logFile, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
}

/**
 * Connects a polkadot.js client to a node, retrying until its RPC server answers. The default
 * wait is long because a node compiles the runtime before it serves RPC, and in CI's lanes
 * (scripts/network-tests.sh) up to nine nodes start at once on two cores.
 */
export async function connect(node, timeoutMs = 180_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const ok = await new Promise((resolve) => {
      const s = net.connect(node.rpcPort, '127.0.0.1');
      s.once('connect', () => { s.destroy(); resolve(true); });
      s.once('error', () => resolve(false));
    });
    if (ok) break;
    if (node.proc.exitCode !== null) throw new Error(`${node.name} exited early:\n${logTail(node)}`);
    if (Date.now() > deadline) throw new Error(`${node.name} RPC not up after ${timeoutMs} ms; see ${node.logFile}`);
    await sleep(250);
  }
  const provider = new WsProvider(`ws://127.0.0.1:${node.rpcPort}`, 1000);
  node.api = await ApiPromise.create({ provider, noInitWarn: true });
  return node.api;
}

/** Best and finalized block numbers of a node. */
export async function heights(api) {
  const [best, finHash] = await Promise.all([api.rpc.chain.getHeader(), api.rpc.chain.getFinalizedHead()]);
  const fin = await api.rpc.chain.getHeader(finHash);
  return { best: best.number.toNumber(), finalized: fin.number.toNumber() };
}

/** `promise`, or an error naming `what` if it has not settled within `ms`. */
export async function withDeadline(promise, ms, what) {
  let timer;
  const timeout = new Promise((_, reject) => { timer = setTimeout(() => reject(new Error(`timed out waiting for ${what}`)), ms); });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** Polls until `pred(heights)` holds, or throws after `timeoutMs`. */
export async function waitFor(api, pred, timeoutMs, what) {
  const deadline = Date.now() + timeoutMs;
  let last;
  for (;;) {
    // A node that went away leaves polkadot.js waiting for a reconnection: never past the deadline.
    last = await withDeadline(heights(api), Math.max(deadline - Date.now(), 1000), `an answer from the node while waiting for ${what}`);
    if (pred(last)) return last;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; last heights ${JSON.stringify(last)}`);
    await sleep(500);
  }
}

/** Kills a node with SIGKILL (no clean shutdown) and disconnects its client. */
export async function kill(node) {
  if (node.api) { await node.api.disconnect().catch(() => {}); node.api = null; }
  if (node.proc.exitCode === null && node.proc.signalCode === null) node.proc.kill('SIGKILL');
  await node.exited;
}

/** Stops a node and removes its base path. */
export async function stop(node) {
  await kill(node);
  rmSync(node.basePath, { recursive: true, force: true });
}

/**
 * Signs and submits `tx`, resolving when its block is finalized with its events. `options` are
 * polkadot.js' signing options (`{ nonce }` for transactions sent together: submitAllFinalized).
 */
export function submitFinalized(api, tx, signer, options = {}) {
  return new Promise((resolve, reject) => {
    let unsub;
    tx.signAndSend(signer, options, ({ status, events, dispatchError }) => {
      if (status.isInvalid || status.isDropped || status.isUsurped) {
        unsub?.();
        reject(new Error(`transaction ${status.type}`));
      } else if (status.isFinalized) {
        unsub?.();
        resolve({ blockHash: status.asFinalized, events, dispatchError });
      }
    }).then((u) => { unsub = u; }, reject);
  });
}

/**
 * Submits `txs` from one signer at once, with consecutive nonces (so they can share a block),
 * and resolves with their finalized results in the same order: one wait for finality instead of
 * one per transaction.
 */
export async function submitAllFinalized(api, txs, signer) {
  const first = (await api.rpc.system.accountNextIndex(signer.address)).toNumber();
  return Promise.all(txs.map((tx, i) => submitFinalized(api, tx, signer, { nonce: first + i })));
}

/** The fee a submitted transaction paid (its `TransactionFeePaid` event). */
export function feePaid(api, result) {
  return result.events
    .find(({ event }) => api.events.transactionPayment.TransactionFeePaid.is(event))
    .event.data.actualFee.toBigInt();
}

/** The named module error of a failed transaction, as `section.Name`; throws if it succeeded. */
export function errorName(api, result) {
  if (!result.dispatchError?.isModule) throw new Error('expected the transaction to fail with a module error');
  const { section, name } = api.registry.findMetaError(result.dispatchError.asModule);
  return `${section}.${name}`;
}

/** Runs aichain-client (`$CLIENT_BIN`) against `node` as `suri`; returns its standard output. */
export function runClient(node, suri, ...args) {
  return runClientFor(300_000, node, suri, ...args);
}

/** `runClient`, killing the client after `timeoutMs`. */
export async function runClientFor(timeoutMs, node, suri, ...args) {
  if (!process.env.CLIENT_BIN) throw new Error('CLIENT_BIN is not set (scripts/env.sh)');
  try {
    const { stdout } = await promisify(execFile)(process.env.CLIENT_BIN,
      ['--url', `ws://127.0.0.1:${node.rpcPort}`, '--suri', suri, ...args.map(String)], { timeout: timeoutMs, maxBuffer: 1 << 24 });
    return stdout;
  } catch (error) {
    // What the client printed before it failed says how far it got.
    error.message += `\nits output:\n${error.stdout ?? ''}`;
    throw error;
  }
}
