// Core Lightning's `createonion` RPC as a pure function. Parameters and result use CLN's names:
// hops[{pubkey, payload}] where payload is hex of the hop's TLV stream WITH its BigSize length
// prefix, assocdata (hex), optional session_key (hex), optional onion_size (default 1300).
//
// The checks follow lightningd's json_createonion in its order, with its messages:
//   - a payload whose BigSize prefix disagrees with its size: "hops[i] payload is not prefixed
//     with length!" (-32602);
//   - payloads (each plus its 32-byte HMAC) larger than onion_size: "Payloads exceed maximum
//     onion packet size." (-32602) — checked before construction, so a 30-hop route ends here;
//   - the construction itself failing (a session key that is 0 or not below the curve order):
//     "Could not create onion packet" (-1).
// Errors are OnionError: 'BAD_ARGUMENT' and 'ONION_TOO_BIG' are parameter errors,
// 'ONION_CREATE_FAILED' is the -1 case. The RPC layer (runtime/methods/onion-methods.ts) parses
// the JSON with CLN's per-parameter messages before calling this.
import { isValidSecret, pubkeyParse } from '../crypto/secp256k1.js';
import { CryptoError } from '../crypto/errors.js';
import { fromHex, isHex, toHex } from '../util/bytes.js';
import { readBigSize } from './codec.js';
import { OnionError } from './errors.js';
import { routingBytesNeeded, sphinxBuild } from './kernel.js';
import { DEFAULT_ROUTING_INFO_SIZE, freshSessionKey } from './build.js';

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
export const PAYLOADS_EXCEED_ONION = 'Payloads exceed maximum onion packet size.';
/** The kernel's bound on the routing info (onion messages use up to 32834 bytes). */
export const MAX_ONION_SIZE = 65536;

function param(message: string): never {
  throw new OnionError('BAD_ARGUMENT', message);
}

/** True when `framed` starts with a canonical BigSize equal to the number of bytes after it. */
export function hasLengthPrefix(framed: Uint8Array): boolean {
  try {
    const { value, size } = readBigSize(framed, 0);
    return value === BigInt(framed.length - size);
  } catch (e) {
    if (e instanceof OnionError) return false;
    throw e;
  }
}

/** 33-byte compressed form of a 33- or 65-byte hex key (CLN's json_to_pubkey takes both). */
export function parseHopPubkey(hex: unknown): Uint8Array | undefined {
  if (!isHex(hex) || (hex.length !== 66 && hex.length !== 130)) return undefined;
  try {
    return pubkeyParse(fromHex(hex));
  } catch (e) {
    if (e instanceof CryptoError) return undefined;
    throw e;
  }
}

export function createOnion(p: CreateOnionParams): CreateOnionResult {
  if (!Array.isArray(p.hops)) param('hops: should be an array of hops');
  if (p.hops.length === 0) param('At least one hop must be specified.');
  const pubkeys: Uint8Array[] = [];
  const payloads: Uint8Array[] = [];
  p.hops.forEach((h, i) => {
    const pubkey = parseHopPubkey(h?.pubkey);
    if (pubkey === undefined) param(`hops[${i}].pubkey: should be a pubkey`);
    if (!isHex(h.payload)) param(`hops[${i}].payload: should be hex`);
    pubkeys.push(pubkey);
    payloads.push(fromHex(h.payload));
  });
  if (!isHex(p.assocdata)) param('assocdata: should be a hex value');
  if (p.session_key !== undefined && !isHex(p.session_key, 32)) param('session_key: should be a 32 byte hex value');
  const size = p.onion_size ?? DEFAULT_ROUTING_INFO_SIZE;
  if (!Number.isInteger(size) || size < 0 || size > 0xffffffff) param('onion_size: should be an integer');

  payloads.forEach((framed, i) => {
    if (!hasLengthPrefix(framed)) param(`hops[${i}] payload is not prefixed with length!`);
  });
  if (routingBytesNeeded(payloads) > size) throw new OnionError('ONION_TOO_BIG', PAYLOADS_EXCEED_ONION);
  if (size > MAX_ONION_SIZE) param(`onion_size: should be at most ${MAX_ONION_SIZE}`);

  const sessionKey = p.session_key !== undefined ? fromHex(p.session_key) : freshSessionKey();
  if (!isValidSecret(sessionKey)) throw new OnionError('ONION_CREATE_FAILED', CREATE_ONION_FAILED);
  try {
    const { packet, sharedSecrets } = sphinxBuild(sessionKey, pubkeys, payloads, fromHex(p.assocdata), size);
    return { onion: toHex(packet), shared_secrets: sharedSecrets.map(toHex) };
  } catch (e) {
    // Every input was checked above; what the kernel still refuses (a blinding that degenerates)
    // is CLN's create_onionpacket returning NULL.
    if (e instanceof OnionError) throw new OnionError('ONION_CREATE_FAILED', CREATE_ONION_FAILED);
    throw e;
  }
}
