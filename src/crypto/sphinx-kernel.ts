// The BOLT 4 Sphinx onion construction as one WASM call (wasm/src/sphinx.c): per-hop ECDH,
// ephemeral key blinding, rho/mu/pad keys, filler, ChaCha20 streams and HMACs. The onion layer
// (src/onion) frames the payloads and chooses the session key; this is only the kernel.
import { requireBytes } from './args.js';
import { CryptoError } from './errors.js';
import { activeWasm } from './wasm-instance.js';
import type { Bytes } from '../util/bytes.js';

export interface SphinxKernelResult {
  /** 0x00 || ephemeral pubkey (33) || routing info (routingInfoSize) || hmac (32). */
  packet: Bytes;
  /** One 32-byte shared secret per hop, in route order (to decrypt failure onions). */
  sharedSecrets: Bytes[];
}

const HMAC_LEN = 32;
/** Largest routing info accepted: onion messages use up to 32 KiB; this leaves headroom. */
const MAX_ROUTING_INFO = 65536;

// Status codes of lw_sphinx_build (wasm/src/sphinx.c).
const BAD_SESSION_KEY = 2;
const TOO_BIG = 3;
const BLINDING_FAILED = 4;
const BAD_PUBKEY = 0x100;

function check(cond: boolean, message: string): asserts cond {
  if (!cond) throw new CryptoError('BAD_LENGTH', message);
}

/**
 * Builds an onion packet. `hopPayloads[i]` is hop i's payload exactly as it goes into the routing
 * info (already prefixed with its BigSize length). Throws CryptoError 'ONION_TOO_BIG' when the
 * payloads plus one 32-byte HMAC each exceed `routingInfoSize`.
 */
export function sphinxBuild(
  sessionKey: Bytes,
  hopPubkeys: Bytes[],
  hopPayloads: Bytes[],
  associatedData: Bytes,
  routingInfoSize = 1300,
): SphinxKernelResult {
  requireBytes('session key', sessionKey, 32);
  check(Array.isArray(hopPubkeys) && Array.isArray(hopPayloads), 'hop pubkeys and payloads must be arrays');
  check(hopPubkeys.length > 0, 'an onion needs at least one hop');
  check(hopPubkeys.length === hopPayloads.length, `${hopPubkeys.length} hop pubkeys but ${hopPayloads.length} payloads`);
  requireBytes('associated data', associatedData);
  check(
    Number.isInteger(routingInfoSize) && routingInfoSize > 0 && routingInfoSize <= MAX_ROUTING_INFO,
    `routing info size must be an integer in 1..${MAX_ROUTING_INFO}`,
  );
  let total = 0;
  hopPubkeys.forEach((p, i) => requireBytes(`hop ${i} pubkey`, p, 33));
  hopPayloads.forEach((p, i) => {
    requireBytes(`hop ${i} payload`, p);
    total += p.length + HMAC_LEN;
  });
  if (total > routingInfoSize) {
    throw new CryptoError('ONION_TOO_BIG', `hop payloads need ${total} bytes with their HMACs; the routing info holds ${routingInfoSize}`);
  }

  const n = hopPubkeys.length;
  const packetLen = 1 + 33 + routingInfoSize + HMAC_LEN;
  return activeWasm().call(true, (x, a) => {
    const packet = a.alloc(packetLen);
    const shared = a.alloc(32 * n);
    const session = a.put(sessionKey);
    const pubkeys = a.alloc(33 * n);
    hopPubkeys.forEach((p, i) => a.bytes().set(p, pubkeys + 33 * i));
    const payloads = a.alloc(total - HMAC_LEN * n);
    const lens = a.alloc(4 * n);
    let off = payloads;
    hopPayloads.forEach((p, i) => {
      a.bytes().set(p, off);
      off += p.length;
      new DataView(a.bytes().buffer).setUint32(lens + 4 * i, p.length, true);
    });
    const assoc = a.put(associatedData);
    const work = a.alloc(x.lw_sphinx_work_size(n, routingInfoSize));
    const rc = x.lw_sphinx_build(packet, shared, session, pubkeys, payloads, lens, n, assoc, associatedData.length, routingInfoSize, work);
    if (rc === BAD_SESSION_KEY) throw new CryptoError('INVALID_SECRET', 'invalid onion session key');
    if (rc === TOO_BIG) throw new CryptoError('ONION_TOO_BIG', 'hop payloads do not fit in the routing info');
    if (rc === BLINDING_FAILED) throw new CryptoError('INVALID_SECRET', 'ephemeral key blinding produced an invalid key');
    if (rc >= BAD_PUBKEY) throw new CryptoError('INVALID_PUBKEY', `hop ${rc - BAD_PUBKEY} pubkey is not a valid point`);
    if (rc !== 0) throw new CryptoError('BAD_LENGTH', `sphinx kernel rejected its arguments (status ${rc})`);
    const sharedSecrets: Bytes[] = [];
    for (let i = 0; i < n; i++) sharedSecrets.push(a.read(shared + 32 * i, 32));
    return { packet: a.read(packet, packetLen), sharedSecrets };
  });
}
