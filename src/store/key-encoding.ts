// An order-preserving string encoding of keys: for valid keys a and b, comparing encodeKey(a) with
// encodeKey(b) as JS strings gives the sign of compareKeys(a, b). The memory tables sort these
// strings instead of calling compareKeys, which turns every comparison of compound keys into
// one native string comparison (the hot path of inserts and range seeks at 100k rows).
//
// Layout: a type tag, then the body. Numbers are 8 fixed-length chars (the IEEE-754 bits,
// transformed so that unsigned order is numeric order). Strings and binaries are their code
// units / bytes with \0 and \1 escaped, then a \0 terminator; arrays are their elements then
// \0. The encoding is prefix-free, so an index key's encoding followed by the primary key's
// encoding sorts by index key first and primary key second, as IndexedDB orders index entries.
import type { AnyKey } from './keys.js';

const END = '\u0000';
const NUMBER = '\u0010';
const STRING = '\u0020';
const BINARY = '\u0030';
const ARRAY = '\u0040';
/** Greater than any char an encoding can continue with: `enc(k) + AFTER` bounds every `enc(k) + enc(pk)`. */
export const AFTER = '\uffff';

const f64 = new DataView(new ArrayBuffer(8));

function encodeNumber(n: number): string {
  f64.setFloat64(0, n === 0 ? 0 : n);
  const hi = f64.getUint32(0);
  const lo = f64.getUint32(4);
  // Negative numbers: invert every bit (larger magnitude sorts lower); others: set the sign bit.
  const neg = hi >>> 31 === 1;
  const h = neg ? ~hi >>> 0 : (hi | 0x80000000) >>> 0;
  const l = neg ? ~lo >>> 0 : lo;
  return String.fromCharCode(h >>> 24, (h >>> 16) & 255, (h >>> 8) & 255, h & 255, l >>> 24, (l >>> 16) & 255, (l >>> 8) & 255, l & 255);
}

function escapeChar(c: number): string {
  return c === 0 ? '\u0001\u0001' : '\u0001\u0002';
}

function encodeString(s: string): string {
  // Fast path: no \0 or \1 to escape (virtually every real key).
  if (!/[\u0000\u0001]/.test(s)) return s;
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    out += c < 2 ? escapeChar(c) : s[i];
  }
  return out;
}

function encodeBinary(b: Uint8Array): string {
  let out = '';
  for (let i = 0; i < b.length; i++) {
    const c = b[i]!;
    out += c < 2 ? escapeChar(c) : String.fromCharCode(c);
  }
  return out;
}

export function encodeKey(k: AnyKey): string {
  if (typeof k === 'number') return NUMBER + encodeNumber(k);
  if (typeof k === 'string') return STRING + encodeString(k) + END;
  if (k instanceof Uint8Array) return BINARY + encodeBinary(k) + END;
  let out = ARRAY;
  for (const part of k) out += encodeKey(part);
  return out + END;
}
