// The journal's value encoding: exact round trips, and typed errors on damaged input.
import { describe, expect, it } from 'vitest';
import { LightningError } from '../../../src/errors.js';
import { decodeValue, encodeValue } from '../../../src/store/codec.js';
import { crc32 } from '../../../src/store/crc32.js';
import type { StoreValue } from '../../../src/store/types.js';

const samples: StoreValue[] = [
  null,
  true,
  false,
  0,
  -0,
  1,
  -1,
  2 ** 31 - 1,
  -(2 ** 31),
  2 ** 31,
  2 ** 53 + 2,
  0.1,
  NaN,
  Infinity,
  -Infinity,
  '',
  'ascii',
  'é ⚡ \ud83d\ude00',
  '\ud800',
  'x\udc00y',
  0n,
  1n,
  -1n,
  255n,
  256n,
  2n ** 64n - 1n,
  -(3n ** 100n),
  new Uint8Array(0),
  Uint8Array.from([0, 1, 255]),
  [],
  [1, [2, [3, []]]],
  {},
  { a: 1, b: { c: [null, 'd'] }, 'key with spaces': 2n },
];

describe('store codec', () => {
  it('round-trips every kind of StoreValue exactly', () => {
    for (const v of samples) {
      const back = decodeValue(encodeValue(v));
      if (typeof v === 'number') expect(Object.is(back, v)).toBe(true);
      else expect(back).toEqual(v);
    }
  });

  it('keeps an own __proto__ member as data and decodes bytes from a Buffer as plain Uint8Array', () => {
    const rec: { [k: string]: StoreValue } = {};
    Object.defineProperty(rec, '__proto__', { value: 5, enumerable: true, writable: true, configurable: true });
    const back = decodeValue(encodeValue(rec)) as Record<string, unknown>;
    expect(Object.getPrototypeOf(back)).toBe(Object.prototype);
    expect(Object.keys(back)).toEqual(['__proto__']);
    const fromBuffer = decodeValue(Buffer.from(encodeValue(new Uint8Array([7]))));
    expect(fromBuffer?.constructor).toBe(Uint8Array);
  });

  it('rejects truncated, padded and random input with typed errors only', () => {
    const enc = encodeValue({ list: [1, 'two', 3n, new Uint8Array(9)], s: 'x'.repeat(40) });
    for (let cut = 0; cut < enc.length; cut++) expect(() => decodeValue(enc.subarray(0, cut))).toThrow(LightningError);
    expect(() => decodeValue(Uint8Array.from([...enc, 0]))).toThrow(/trailing/);
    let seed = 1;
    for (let i = 0; i < 2000; i++) {
      const junk = Uint8Array.from({ length: 1 + (i % 40) }, () => (seed = (seed * 48271) % 2147483647) & 255);
      try {
        decodeValue(junk);
      } catch (e) {
        expect(e).toBeInstanceOf(LightningError);
      }
    }
  });

  it('crc32 matches the standard check value and a bit-at-a-time reference on any slice', () => {
    expect(crc32(new TextEncoder().encode('123456789'))).toBe(0xcbf43926);
    expect(crc32(new Uint8Array(0))).toBe(0);
    const reference = (d: Uint8Array): number => {
      let c = 0xffffffff;
      for (const b of d) {
        c ^= b;
        for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      }
      return (c ^ 0xffffffff) >>> 0;
    };
    const data = Uint8Array.from({ length: 300 }, (_, i) => (i * 131 + 7) & 255);
    for (let start = 0; start < 9; start++) {
      for (let end = start; end < data.length; end += 13) expect(crc32(data, start, end)).toBe(reference(data.subarray(start, end)));
    }
  });
});
