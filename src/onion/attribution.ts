// Attribution data for attributable failures and fulfills (BOLT 4, option_attribution_data):
// 20 u32 hold times followed by 210 HMACs truncated to 4 bytes, arranged as a shrinking triangle:
// each hop writes 20 HMACs, one per position it might have on the route (it does not know its
// position), and shifts what downstream hops wrote one slot to the right, dropping the HMACs
// that can no longer be needed. The origin checks the HMAC for each hop's actual position.
import { hmacSha256 } from '../crypto/secp256k1.js';
import { equalBytes } from '../util/bytes.js';
import { OnionError } from './errors.js';
import { deriveKey, xorKeystreamInPlace } from './keys.js';

export const MAX_HOPS = 20;
const HOLD_TIME_LEN = 4;
const HMAC_LEN = 4;
const HMAC_COUNT = (MAX_HOPS * (MAX_HOPS + 1)) / 2; // 20 + 19 + ... + 1
const HOLD_TIMES_SIZE = MAX_HOPS * HOLD_TIME_LEN;
export const ATTRIBUTION_DATA_SIZE = HOLD_TIMES_SIZE + HMAC_COUNT * HMAC_LEN; // 920

function checkSize(ad: Uint8Array): void {
  if (!(ad instanceof Uint8Array) || ad.length !== ATTRIBUTION_DATA_SIZE) {
    throw new OnionError('BAD_ATTRIBUTION', `attribution data must be ${ATTRIBUTION_DATA_SIZE} bytes`);
  }
}

function hmacAt(ad: Uint8Array, idx: number): Uint8Array {
  const o = HOLD_TIMES_SIZE + idx * HMAC_LEN;
  return ad.subarray(o, o + HMAC_LEN);
}

/**
 * The HMACs downstream hops already placed that an HMAC for `position` (0 = final node) must
 * cover: one per hop between the assumed position and the final node.
 */
function downstreamHmacs(ad: Uint8Array, position: number): Uint8Array[] {
  const out: Uint8Array[] = [];
  // Skip our own block of MAX_HOPS slots; then walk blocks that shrink by one per hop.
  let idx = MAX_HOPS + MAX_HOPS - position - 1;
  for (let j = 0; j < position; j++) {
    out.push(hmacAt(ad, idx));
    idx += MAX_HOPS - j - 1;
  }
  return out;
}

function positionHmac(ad: Uint8Array, um: Uint8Array, message: Uint8Array, position: number): Uint8Array {
  const parts = [message, ad.subarray(0, (position + 1) * HOLD_TIME_LEN), ...downstreamHmacs(ad, position)];
  let n = 0;
  for (const p of parts) n += p.length;
  const data = new Uint8Array(n);
  let o = 0;
  for (const p of parts) {
    data.set(p, o);
    o += p.length;
  }
  return hmacSha256(um, data).subarray(0, HMAC_LEN);
}

/** Make room for this hop: hold times move one slot right, HMAC blocks move right and shrink. */
function shiftRight(ad: Uint8Array): void {
  ad.copyWithin(HOLD_TIME_LEN, 0, HOLD_TIMES_SIZE - HOLD_TIME_LEN);
  const h = ad.subarray(HOLD_TIMES_SIZE);
  // Walk backwards so nothing is overwritten before it is copied.
  let src = HMAC_COUNT - 2;
  let dst = HMAC_COUNT - 1;
  let len = 1;
  for (let i = 0; i < MAX_HOPS - 1; i++) {
    h.copyWithin(dst * HMAC_LEN, src * HMAC_LEN, (src + len) * HMAC_LEN);
    if (i === MAX_HOPS - 2) break;
    len += 1;
    src -= len + 1;
    dst -= len;
  }
}

/** Inverse of shiftRight, used by the origin after verifying one hop. */
function shiftLeft(ad: Uint8Array): void {
  ad.copyWithin(0, HOLD_TIME_LEN, HOLD_TIMES_SIZE);
  const h = ad.subarray(HOLD_TIMES_SIZE);
  let src = MAX_HOPS;
  let dst = 1;
  let len = MAX_HOPS - 1;
  for (let i = 0; i < MAX_HOPS - 1; i++) {
    h.copyWithin(dst * HMAC_LEN, src * HMAC_LEN, (src + len) * HMAC_LEN);
    src += len;
    dst += len + 1;
    len -= 1;
  }
}

/**
 * One hop's contribution: takes the attribution data received from downstream (undefined at the
 * erring/final node, or when the downstream peer sent none), adds our hold time and HMACs over
 * `message` (the failure packet as we received or built it; empty for fulfills) and encrypts with
 * our ammagext stream. Returns new bytes; the input is not modified.
 */
export function addAttribution(downstream: Uint8Array | undefined, sharedSecret: Uint8Array, holdTime: number, message: Uint8Array): Uint8Array {
  const ad = new Uint8Array(ATTRIBUTION_DATA_SIZE);
  if (downstream !== undefined) {
    checkSize(downstream);
    ad.set(downstream);
    shiftRight(ad);
  }
  if (!Number.isInteger(holdTime) || holdTime < 0 || holdTime > 0xffffffff) throw new OnionError('BAD_ARGUMENT', 'hold time must be a u32');
  new DataView(ad.buffer).setUint32(0, holdTime);
  const um = deriveKey('um', sharedSecret);
  for (let idx = 0; idx < MAX_HOPS; idx++) {
    const position = MAX_HOPS - idx - 1;
    hmacAt(ad, idx).set(positionHmac(ad, um, message, position));
  }
  xorKeystreamInPlace(deriveKey('ammagext', sharedSecret), ad);
  return ad;
}

/** Origin-side state: decrypts layer by layer and verifies each hop's HMAC for its position. */
export class AttributionVerifier {
  private readonly ad: Uint8Array;
  constructor(
    attributionData: Uint8Array,
    private readonly routeLength: number,
  ) {
    checkSize(attributionData);
    this.ad = attributionData.slice();
  }

  /** Number of hops that can be attributed (only the first 20 fit in the data). */
  get attributableHops(): number {
    return Math.min(this.routeLength, MAX_HOPS);
  }

  /**
   * Removes hop `index`'s encryption and checks its HMAC over `message` (the failure packet as
   * that hop received it). Returns its hold time, or null when the HMAC does not match.
   */
  verifyHop(index: number, sharedSecret: Uint8Array, message: Uint8Array): number | null {
    if (index >= this.attributableHops) return null;
    xorKeystreamInPlace(deriveKey('ammagext', sharedSecret), this.ad);
    const position = this.attributableHops - index - 1;
    const expected = positionHmac(this.ad, deriveKey('um', sharedSecret), message, position);
    if (!equalBytes(expected, hmacAt(this.ad, MAX_HOPS - position - 1))) return null;
    const holdTime = new DataView(this.ad.buffer, this.ad.byteOffset).getUint32(0);
    shiftLeft(this.ad);
    return holdTime;
  }
}

/** Hold times from a fulfill's attribution data, in route order, until the first bad HMAC. */
export function decodeFulfillAttribution(attributionData: Uint8Array, sharedSecrets: Uint8Array[]): number[] {
  const v = new AttributionVerifier(attributionData, sharedSecrets.length);
  const holdTimes: number[] = [];
  for (let i = 0; i < v.attributableHops; i++) {
    const t = v.verifyHop(i, sharedSecrets[i]!, new Uint8Array(0));
    if (t === null) break;
    holdTimes.push(t);
  }
  return holdTimes;
}
