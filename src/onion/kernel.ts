// The one place that builds Sphinx packets: the WASM kernel (src/crypto/sphinx-kernel.ts) does the
// whole BOLT 4 construction in one call. This adapter checks arguments and maps the kernel's
// errors onto the onion layer's codes.
import { CryptoError } from '../crypto/errors.js';
import { sphinxBuild as wasmSphinxBuild, type SphinxKernelResult } from '../crypto/sphinx-kernel.js';
import { OnionError } from './errors.js';

export const HMAC_SIZE = 32;

/** Total routing-info bytes the framed payloads need (each payload plus its 32-byte HMAC). */
export function routingBytesNeeded(framedPayloads: Uint8Array[]): number {
  return framedPayloads.reduce((n, p) => n + p.length + HMAC_SIZE, 0);
}

export function sphinxBuild(
  sessionKey: Uint8Array,
  hopPubkeys: Uint8Array[],
  framedPayloads: Uint8Array[],
  associatedData: Uint8Array,
  routingInfoSize = 1300,
): SphinxKernelResult {
  if (hopPubkeys.length === 0 || framedPayloads.length !== hopPubkeys.length) {
    throw new OnionError('BAD_ARGUMENT', 'need one payload per hop and at least one hop');
  }
  if (routingBytesNeeded(framedPayloads) > routingInfoSize) {
    throw new OnionError('ONION_TOO_BIG', `hop payloads need ${routingBytesNeeded(framedPayloads)} bytes, onion has ${routingInfoSize}`);
  }
  try {
    return wasmSphinxBuild(sessionKey, hopPubkeys, framedPayloads, associatedData, routingInfoSize);
  } catch (e) {
    if (!(e instanceof CryptoError)) throw e;
    if (e.code === 'ONION_TOO_BIG') throw new OnionError('ONION_TOO_BIG', e.message);
    throw new OnionError('BAD_ARGUMENT', e.message);
  }
}
