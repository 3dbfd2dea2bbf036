// Sphinx packet construction in TypeScript on the crypto facade. The production build path uses
// the WASM kernel when it is available (see build.ts); this implementation is the reference the
// kernel is checked against, and the fallback for runtimes where the kernel is not loaded.
import { hmacSha256 } from '../crypto/secp256k1.js';
import { concatBytes } from '../util/bytes.js';
import { OnionError } from './errors.js';
import { deriveKey, keystream, routeSharedSecrets } from './keys.js';

export const HMAC_SIZE = 32;

export interface SphinxBuildResult {
  /** version || ephemeral pubkey || routing info || hmac. */
  packet: Uint8Array;
  sharedSecrets: Uint8Array[];
}

/** Total routing-info bytes the framed payloads need (each payload plus its 32-byte HMAC). */
export function routingBytesNeeded(framedPayloads: Uint8Array[]): number {
  return framedPayloads.reduce((n, p) => n + p.length + HMAC_SIZE, 0);
}

/**
 * Filler: what the last hops would see shifted in from beyond the end of the routing info, so
 * that the origin can fix the HMACs of the tail. Covers the payloads of every hop but the last.
 */
function generateFiller(rhoKeys: Uint8Array[], sizes: number[], routingInfoSize: number): Uint8Array {
  const total = sizes.slice(0, -1).reduce((a, b) => a + b, 0);
  const filler = new Uint8Array(total);
  let filled = 0;
  for (let i = 0; i < sizes.length - 1; i++) {
    filled += sizes[i]!;
    const streamLength = routingInfoSize + sizes[i]!;
    const stream = keystream(rhoKeys[i]!, streamLength);
    const from = streamLength - filled;
    for (let j = 0; j < filled; j++) filler[j]! ^= stream[from + j]!;
  }
  return filler;
}

/**
 * Builds a Sphinx packet. `framedPayloads` are hop payloads already prefixed with their BigSize
 * length (the same contract as the WASM kernel's sphinxBuild).
 */
export function sphinxBuildJs(
  sessionKey: Uint8Array,
  hopPubkeys: Uint8Array[],
  framedPayloads: Uint8Array[],
  associatedData: Uint8Array,
  routingInfoSize = 1300,
): SphinxBuildResult {
  const n = hopPubkeys.length;
  if (n === 0 || framedPayloads.length !== n) throw new OnionError('BAD_ARGUMENT', 'need one payload per hop and at least one hop');
  if (routingBytesNeeded(framedPayloads) > routingInfoSize) {
    throw new OnionError('ONION_TOO_BIG', `hop payloads need ${routingBytesNeeded(framedPayloads)} bytes, onion has ${routingInfoSize}`);
  }
  const { sharedSecrets, ephemeralPubkeys } = routeSharedSecrets(sessionKey, hopPubkeys);
  const rho = sharedSecrets.map((s) => deriveKey('rho', s));
  const sizes = framedPayloads.map((p) => p.length + HMAC_SIZE);
  const filler = generateFiller(rho, sizes, routingInfoSize);

  // Start from pseudo-random bytes (pad key of the session key), never zeros: the unused tail
  // must look like the rest of the packet.
  const routing = keystream(deriveKey('pad', sessionKey), routingInfoSize);
  let nextHmac: Uint8Array = new Uint8Array(HMAC_SIZE);
  for (let i = n - 1; i >= 0; i--) {
    const payload = framedPayloads[i]!;
    const shift = sizes[i]!;
    routing.copyWithin(shift, 0, routingInfoSize - shift);
    routing.set(payload, 0);
    routing.set(nextHmac, payload.length);
    const stream = keystream(rho[i]!, routingInfoSize);
    for (let j = 0; j < routingInfoSize; j++) routing[j]! ^= stream[j]!;
    if (i === n - 1) routing.set(filler, routingInfoSize - filler.length);
    nextHmac = hmacSha256(deriveKey('mu', sharedSecrets[i]!), concatBytes(routing, associatedData));
  }
  const packet = concatBytes(new Uint8Array([0]), ephemeralPubkeys[0]!, routing, nextHmac);
  return { packet, sharedSecrets };
}
