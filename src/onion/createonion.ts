// Core Lightning's `createonion` RPC as a pure function. Parameters and result use CLN's names:
// hops[{pubkey, payload}] where payload is hex of the hop's TLV stream WITH its BigSize length
// prefix, assocdata (hex), optional session_key (hex), optional onion_size (default 1300).
// Errors are OnionError: 'ONION_TOO_BIG' carries CLN's message "Could not create onion packet"
// (the RPC layer answers -1 with it); 'BAD_ARGUMENT' is a parameter error (-32602).
import { isValidPubkey, isValidSecret, randomBytes } from '../crypto/secp256k1.js';
import { fromHex, isHex, toHex } from '../util/bytes.js';
import { readBigSize } from './codec.js';
import { OnionError } from './errors.js';
import { sphinxBuild } from './kernel.js';
import { DEFAULT_ROUTING_INFO_SIZE } from './build.js';

export interface CreateOnionParams {
  hops: { pubkey: string; payload: string }[];
  assocdata: string;
  session_key?: string;
  onion_size?: number;
}

export interface CreateOnionResult {
  onion: string;
  shared_secrets: string[];
}

export const CREATE_ONION_FAILED = 'Could not create onion packet';

function param(name: string, why: string): never {
  throw new OnionError('BAD_ARGUMENT', `${name}: ${why}`);
}

export function createOnion(p: CreateOnionParams): CreateOnionResult {
  if (!Array.isArray(p.hops) || p.hops.length === 0) param('hops', 'must be a non-empty array');
  if (!isHex(p.assocdata)) param('assocdata', 'should be a hex value');
  const size = p.onion_size ?? DEFAULT_ROUTING_INFO_SIZE;
  if (!Number.isInteger(size) || size < 0 || size > 0xffff) param('onion_size', 'should be a 16 bit integer');
  let sessionKey: Uint8Array;
  if (p.session_key !== undefined) {
    if (!isHex(p.session_key, 32)) param('session_key', 'should be a 32 byte hex value');
    sessionKey = fromHex(p.session_key);
    if (!isValidSecret(sessionKey)) param('session_key', 'should be a valid secret key');
  } else {
    do sessionKey = randomBytes(32);
    while (!isValidSecret(sessionKey));
  }
  const pubkeys: Uint8Array[] = [];
  const payloads: Uint8Array[] = [];
  p.hops.forEach((h, i) => {
    if (!isHex(h?.pubkey, 33) || !isValidPubkey(fromHex(h.pubkey))) param(`hops[${i}].pubkey`, 'should be a valid pubkey');
    if (!isHex(h.payload) || h.payload.length === 0) param(`hops[${i}].payload`, 'should be a hex value');
    const framed = fromHex(h.payload);
    // Core Lightning requires the payload to carry its own length prefix, consistent with its size.
    let ok = false;
    try {
      const { value, size: n } = readBigSize(framed, 0);
      ok = value === BigInt(framed.length - n);
    } catch {
      ok = false;
    }
    if (!ok) param(`hops[${i}].payload`, 'payload must start with its BigSize length');
    pubkeys.push(fromHex(h.pubkey));
    payloads.push(framed);
  });
  try {
    const { packet, sharedSecrets } = sphinxBuild(sessionKey, pubkeys, payloads, fromHex(p.assocdata), size);
    return { onion: toHex(packet), shared_secrets: sharedSecrets.map(toHex) };
  } catch (e) {
    if (e instanceof OnionError && e.code === 'ONION_TOO_BIG') throw new OnionError('ONION_TOO_BIG', CREATE_ONION_FAILED);
    if (e instanceof Error && 'code' in e && e.code === 'ONION_TOO_BIG') throw new OnionError('ONION_TOO_BIG', CREATE_ONION_FAILED);
    throw e;
  }
}
