import { describe, expect, it } from 'vitest';
import { fromHex, toHex } from '../../../src/util/bytes.js';
import type { Scid } from '../../../src/types.js';
import { WireError } from '../../../src/wire/errors.js';
import { decodeWith, encodeWith } from '../../../src/wire/codec.js';
import { short_channel_id } from '../../../src/wire/fields.js';
import { formatScid, parseScid, scidFromParts, scidParts } from '../../../src/wire/scid.js';
import { loadVector } from '../../support/shared.js';

const V = loadVector<{ scid_cross_references: { human_readable: string; u64_hex: string }[] }>('bolt07-scid.json');

describe('short_channel_id', () => {
  for (const ref of V.scid_cross_references) {
    it(`${ref.human_readable} <-> ${ref.u64_hex}`, () => {
      const s = parseScid(ref.human_readable);
      expect(toHex(encodeWith(short_channel_id, s))).toBe(ref.u64_hex);
      expect(formatScid(decodeWith(short_channel_id, fromHex(ref.u64_hex)))).toBe(ref.human_readable);
    });
  }

  it('splits and joins block, tx and output', () => {
    const s = scidFromParts(539268, 845, 1);
    expect(scidParts(s)).toEqual({ block: 539268, tx: 845, out: 1 });
    expect(formatScid(s)).toBe('539268x845x1');
    expect(s).toBe((539268n << 40n) | (845n << 16n) | 1n);
  });

  it('accepts the extremes of each range', () => {
    const max = parseScid('16777215x16777215x65535');
    expect(max).toBe(0xffffffffffffffffn);
    expect(parseScid('0x0x0')).toBe(0n);
  });

  it('rejects malformed or out-of-range text', () => {
    for (const bad of [
      '',
      '1x2',
      '1x2x3x4',
      '16777216x0x0',
      '0x16777216x0',
      '0x0x65536',
      '01x2x3',
      '-1x2x3',
      '+1x2x3',
      ' 1x2x3',
      '1x2x3 ',
      '1:2:3',
      '1X2X3',
      '1.0x2x3',
      '0x0x0x',
      '123456789x0x0',
    ]) {
      expect(() => parseScid(bad), bad).toThrow(WireError);
    }
    expect(() => parseScid(42 as unknown as string)).toThrow(WireError);
  });

  it('rejects out-of-range parts and values', () => {
    expect(() => scidFromParts(1 << 24, 0, 0)).toThrow(WireError);
    expect(() => scidFromParts(0, 0, 1.5)).toThrow(WireError);
    expect(() => scidParts(-1n as Scid)).toThrow(WireError);
  });
});
