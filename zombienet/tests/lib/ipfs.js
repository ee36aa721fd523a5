/**
 * An independent IPFS client for the tests: Helia (js-libp2p over TCP, noise, yamux) fetching
 * one raw block by CID from one node's bitswap server (`--ipfs-server`), with no bootstrap
 * peers, DHT or relay: it can only get what that node serves.
 */
import './node-polyfills.js';
import { createHeliaLight } from 'helia';
import { withLibp2pLight } from '@helia/libp2p';
import { withBitswap } from '@helia/bitswap';
import { tcp } from '@libp2p/tcp';
import { noise } from '@chainsafe/libp2p-noise';
import { yamux } from '@chainsafe/libp2p-yamux';
import { identify } from '@libp2p/identify';
import { multiaddr } from '@multiformats/multiaddr';
import { CID } from 'multiformats/cid';
import * as raw from 'multiformats/codecs/raw';
import { blake2b256 } from '@multiformats/blake2/blake2b';

/** The CID the chain gives `bytes`: CIDv1, raw codec, BLAKE2b-256. */
export async function cidOf(bytes) {
  return CID.createV1(raw.code, await blake2b256.digest(bytes)).toString();
}

/**
 * Fetches the block `cidText` from the node whose libp2p address is `address`
 * (`/ip4/127.0.0.1/tcp/PORT/p2p/PEER`). Helia checks the bytes against the CID's hash. Resolves
 * to the bytes, or to `null` if the node has no such block within `timeoutMs` (bitswap's
 * DontHave does not end a Helia request; the deadline does).
 */
export async function fetchBlock(address, cidText, timeoutMs = 20_000) {
  const helia = withBitswap(withLibp2pLight(createHeliaLight({ hashers: [blake2b256] }), {
    addresses: { listen: [] },
    transports: [tcp()],
    connectionEncrypters: [noise()],
    streamMuxers: [yamux()],
    services: { identify: identify() },
  }));
  await helia.start();
  try {
    const provider = multiaddr(address);
    await dialWithRetries(helia.libp2p, provider);
    const parts = [];
    for await (const part of helia.blockstore.get(CID.parse(cidText), { providers: [provider], signal: AbortSignal.timeout(timeoutMs) })) {
      parts.push(part);
    }
    return Buffer.concat(parts);
  } catch (error) {
    if (error.name === 'AbortError' || error.name === 'TimeoutError' || error.name === 'LoadBlockFailedError') return null;
    throw error;
  } finally {
    await helia.stop();
  }
}

/**
 * Dials `address`, trying again twice after a failed connection upgrade: in CI a noise
 * handshake with a litep2p node once failed in multistream-select ("Missing newline") while
 * the same node served the next dial. Anything else, or a third failure, is thrown.
 */
async function dialWithRetries(libp2p, address, attempts = 3) {
  for (let attempt = 1; ; attempt++) {
    try {
      return await libp2p.dial(address);
    } catch (error) {
      if (attempt >= attempts || !['EncryptionFailedError', 'MuxerUnavailableError'].includes(error.name)) throw error;
      console.log(`# dial ${address} failed (${error.name}: ${error.message}); trying again (${attempt + 1}/${attempts})`);
      await new Promise((resolve) => setTimeout(resolve, 1_000));
    }
  }
}
