import { describe, expect, it } from 'vitest';
import { ByteReader, fromHex, toHex } from '../../../src/util/bytes.js';
import { bigSizeLength, decodeBigSize, encodeBigSize, readBigSize } from '../../../src/wire/bigsize.js';
import { WireError } from '../../../src/wire/errors.js';
import { LightningError } from '../../../src/errors.js';
import { loadVector } from '../../support/shared.js';

interface BigSizeVector {
  name: string;
  value: string;
  bytes: string;
  exp_error?: string;
}
const V = loadVector<{ bigsize: { decoding: BigSizeVector[]; encoding: BigSizeVector[] } }>('bolt01-encoding.json');

// The vectors use lnd's error texts; these are the classes they stand for.
const ERROR_CLASS: Record<string, string> = {
  'decoded bigsize is not canonical': 'NON_CANONICAL',
  'unexpected EOF': 'TRUNCATED',
  EOF: 'EOF',
};

describe('BigSize (BOLT 1 Appendix A)', () => {
  it('has all 18 decoding and 8 encoding vectors', () => {
    expect(V.bigsize.decoding).toHaveLength(18);
    expect(V.bigsize.encoding).toHaveLength(8);
  });

  for (const v of V.bigsize.decoding) {
    it(`decodes "${v.name}"`, () => {
      const bytes = fromHex(v.bytes);
      if (v.exp_error === undefined) {
        const { value, length } = decodeBigSize(bytes);
        expect(value).toBe(BigInt(v.value));
        expect(length).toBe(bytes.length);
        expect(toHex(encodeBigSize(value))).toBe(v.bytes);
      } else {
        const code = ERROR_CLASS[v.exp_error];
        expect(code, `unmapped error text ${v.exp_error}`).toBeDefined();
        let caught: unknown;
        try {
          decodeBigSize(bytes);
        } catch (e) {
          caught = e;
        }
        expect(caught).toBeInstanceOf(WireError);
        expect(caught).toBeInstanceOf(LightningError);
        expect((caught as WireError).code).toBe(code);
      }
    });
  }

  for (const v of V.bigsize.encoding) {
    it(`encodes "${v.name}"`, () => {
      const value = BigInt(v.value);
      expect(toHex(encodeBigSize(value))).toBe(v.bytes);
      expect(bigSizeLength(value)).toBe(v.bytes.length / 2);
    });
  }

  it('reads consecutive values from one reader and leaves the rest', () => {
    const r = new ByteReader(fromHex('fcfd00fdfe00010000ff000000010000000001'));
    expect([readBigSize(r), readBigSize(r), readBigSize(r), readBigSize(r)]).toEqual([
      252n,
      253n,
      65536n,
      4294967296n,
    ]);
    expect(r.remaining).toBe(1);
  });

  it('refuses to encode values outside u64', () => {
    expect(() => encodeBigSize(-1n)).toThrow(WireError);
    expect(() => encodeBigSize(1n << 64n)).toThrow(WireError);
  });

  it('round-trips the boundaries of every width', () => {
    for (const v of [0n, 0xfcn, 0xfdn, 0xffffn, 0x10000n, 0xffffffffn, 0x100000000n, (1n << 64n) - 1n]) {
      const enc = encodeBigSize(v);
      expect(decodeBigSize(enc)).toEqual({ value: v, length: enc.length });
    }
  });
});
