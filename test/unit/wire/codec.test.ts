import { describe, expect, it } from 'vitest';
import { ByteReader, fromHex, toHex } from '../../../src/util/bytes.js';
import { decodeWith, encodeWith, struct } from '../../../src/wire/codec.js';
import { WireError } from '../../../src/wire/errors.js';
import {
  bigsize,
  bytes,
  point,
  restArray,
  restBytes,
  s16,
  s32,
  s64,
  s8,
  short_channel_id,
  tu16,
  tu32,
  tu64,
  u16,
  u16Array,
  u16Bytes,
  u32,
  u64,
  u8,
} from '../../../src/wire/fields.js';
import { tlvStream } from '../../../src/wire/tlv.js';
import { loadVector } from '../../support/shared.js';

function failure(fn: () => unknown): WireError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(WireError);
    return e as WireError;
  }
  throw new Error('did not throw');
}

describe('signed integers (BOLT 1 Appendix D)', () => {
  const V = loadVector<{ signed_integers: { value: string; bytes: string }[] }>('bolt01-encoding.json');
  const small = { 1: s8, 2: s16, 4: s32 } as const;

  it('has all 23 vectors', () => expect(V.signed_integers).toHaveLength(23));

  for (const v of V.signed_integers) {
    it(`${v.value} <-> ${v.bytes} in the smallest signed type`, () => {
      const size = v.bytes.length / 2;
      const value = BigInt(v.value);
      if (size === 8) {
        expect(decodeWith(s64, fromHex(v.bytes))).toBe(value);
        expect(toHex(encodeWith(s64, value))).toBe(v.bytes);
      } else {
        const codec = small[size as 1 | 2 | 4];
        expect(decodeWith(codec, fromHex(v.bytes))).toBe(Number(value));
        expect(toHex(encodeWith(codec, Number(value)))).toBe(v.bytes);
      }
      // "Minimal size": the value does not fit the next smaller signed type.
      if (size > 1) {
        const bits = BigInt((size / 2) * 8);
        expect(value < -(1n << (bits - 1n)) || value > (1n << (bits - 1n)) - 1n).toBe(true);
      }
    });
  }

  it('rejects out-of-range signed values on encode', () => {
    expect(failure(() => encodeWith(s8, 128)).code).toBe('BAD_VALUE');
    expect(failure(() => encodeWith(s16, -32769)).code).toBe('BAD_VALUE');
    expect(failure(() => encodeWith(s64, 1n << 63n)).code).toBe('BAD_VALUE');
  });
});

describe('fixed and variable fields', () => {
  it('encodes unsigned integers big-endian and refuses out-of-range values', () => {
    expect(toHex(encodeWith(u8, 0xab))).toBe('ab');
    expect(toHex(encodeWith(u16, 0x1234))).toBe('1234');
    expect(toHex(encodeWith(u32, 0xdeadbeef))).toBe('deadbeef');
    expect(toHex(encodeWith(u64, 0x0102030405060708n))).toBe('0102030405060708');
    expect(failure(() => encodeWith(u8, 256)).code).toBe('BAD_VALUE');
    expect(failure(() => encodeWith(u16, -1)).code).toBe('BAD_VALUE');
    expect(failure(() => encodeWith(u64, 1n << 64n)).code).toBe('BAD_VALUE');
    expect(failure(() => encodeWith(u32, '1' as unknown as number)).code).toBe('BAD_VALUE');
  });

  it('encodes truncated integers minimally and rejects leading zeros and overlong values', () => {
    expect(toHex(encodeWith(tu64, 0n))).toBe('');
    expect(toHex(encodeWith(tu64, 256n))).toBe('0100');
    expect(toHex(encodeWith(tu32, 0xffffffff))).toBe('ffffffff');
    expect(toHex(encodeWith(tu16, 1))).toBe('01');
    expect(failure(() => decodeWith(tu32, fromHex('0001'))).code).toBe('NON_CANONICAL');
    expect(failure(() => decodeWith(tu16, fromHex('010000'))).code).toBe('BAD_LENGTH');
    expect(decodeWith(tu64, fromHex('ffffffffffffffff'))).toBe((1n << 64n) - 1n);
  });

  it('copies decoded byte strings out of the input buffer', () => {
    const input = fromHex('0002aabb');
    const v = decodeWith(u16Bytes, input);
    input.fill(0);
    expect(toHex(v)).toBe('aabb');
  });

  it('checks lengths of fixed byte strings and point prefixes on encode', () => {
    expect(failure(() => encodeWith(bytes(4), new Uint8Array(3))).code).toBe('BAD_VALUE');
    expect(failure(() => encodeWith(point, new Uint8Array(33))).code).toBe('BAD_POINT');
    expect(failure(() => decodeWith(point, new Uint8Array(33).fill(4))).code).toBe('BAD_POINT');
  });

  it('bounds u16 counts by the bytes actually present', () => {
    const sigs = u16Array(bytes(64));
    // 65535 signatures announced, none present: rejected before any element is read.
    const e = failure(() => decodeWith(sigs, fromHex('ffff')));
    expect(e.code).toBe('TRUNCATED');
    expect(failure(() => decodeWith(u16Bytes, fromHex('0005aabb'))).code).toBe('TRUNCATED');
  });

  it('names the failing array element', () => {
    const e = failure(() => decodeWith(u16Array(point), fromHex('0002' + '02' + '00'.repeat(32) + '05' + '00'.repeat(32))));
    expect(e.path).toEqual(['1']);
  });

  it('reads rest arrays to the end and fails on a partial element', () => {
    expect(decodeWith(restArray(short_channel_id), fromHex('00000000000000010000000000000002'))).toEqual([1n, 2n]);
    expect(failure(() => decodeWith(restArray(u32), fromHex('0000000100'))).code).toBe('TRUNCATED');
  });

  it('reads BigSize fields', () => {
    expect(decodeWith(bigsize, fromHex('fd0100'))).toBe(256n);
    expect(failure(() => decodeWith(bigsize, fromHex('fd00fc'))).code).toBe('NON_CANONICAL');
  });
});

describe('structs', () => {
  const pair = struct('pair', [
    ['a', u8],
    ['b', u16Bytes],
  ]);

  it('reads and writes fields in declaration order', () => {
    expect(toHex(encodeWith(pair, { a: 1, b: fromHex('ff') }))).toBe('010001ff');
    expect(decodeWith(pair, fromHex('010001ff'))).toEqual({ a: 1, b: fromHex('ff') });
  });

  it('rejects trailing bytes unless asked to ignore them', () => {
    expect(failure(() => decodeWith(pair, fromHex('010001ff00'))).code).toBe('BAD_LENGTH');
    expect(decodeWith(pair, fromHex('010001ff00'), { allowTrailing: true })).toEqual({ a: 1, b: fromHex('ff') });
  });

  it('reports the path of nested failures', () => {
    const outer = struct('outer', [['inner', pair]]);
    const e = failure(() => decodeWith(outer, fromHex('010005')));
    expect(e.path).toEqual(['inner', 'b']);
    expect(e.message).toBe('inner.b: unexpected end of data (need 5, have 0)');
  });

  it('only lets the last field read to the end of the input', () => {
    expect(failure(() => struct('bad', [['rest', restBytes], ['after', u8]])).code).toBe('BAD_DEFINITION');
    expect(failure(() => struct('bad', [['n', tu64], ['after', u8]])).code).toBe('BAD_DEFINITION');
    const stream = tlvStream('s', [['x', 1, u8]]);
    expect(failure(() => struct('bad', [['tlvs', stream], ['after', u8]])).code).toBe('BAD_DEFINITION');
    expect(failure(() => restArray(restBytes)).code).toBe('BAD_DEFINITION');
  });

  it('reads from a shared reader so callers can decode a prefix', () => {
    const r = new ByteReader(fromHex('0200017799'));
    expect(pair.read(r)).toEqual({ a: 2, b: fromHex('77') });
    expect(r.remaining).toBe(1);
  });
});
