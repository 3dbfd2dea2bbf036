import { describe, expect, it } from 'vitest';
import { concatBytes, fromHex, toHex } from '../../../src/util/bytes.js';
import { type Codec, struct } from '../../../src/wire/codec.js';
import { WireError } from '../../../src/wire/errors.js';
import { point, restBytes, short_channel_id, tu32, tu64, u16, u64, u8 } from '../../../src/wire/fields.js';
import { formatScid } from '../../../src/wire/scid.js';
import type { Scid } from '../../../src/types.js';
import { type TlvRecordDef, type TlvStream, readTlvRecords, tlvStream } from '../../../src/wire/tlv.js';
import { ByteReader } from '../../../src/util/bytes.js';
import { loadVector } from '../../support/shared.js';

interface FieldJson {
  type: string;
  name: string;
}
interface RecordJson {
  type: number;
  name: string;
  fields: FieldJson[];
}
interface StreamVector {
  stream: string;
  reason?: string;
  explanation?: string;
  expected?: Record<string, Record<string, string>>;
}
interface Group {
  kind: 'decoding_failure' | 'decoding_success_ignored' | 'decoding_success' | 'stream_decoding_failure';
  namespace: 'any' | 'either' | 'n1' | 'n2';
  vectors: StreamVector[];
}
const V = loadVector<{
  tlv: { namespaces: Record<'n1' | 'n2', RecordJson[]>; groups: Group[] };
}>('bolt01-encoding.json');

// The namespaces are built from the vector file's own definitions, each record a struct of its
// named fields, so decoded values can be compared field by field with `expected`.
const FIELD_TYPES: Record<string, Codec<unknown>> = { tu64, tu32, u64, u16, point, short_channel_id };

function namespace(name: string, records: RecordJson[]): TlvStream<readonly TlvRecordDef[]> {
  return tlvStream(
    name,
    records.map((r) => {
      const fields = r.fields.map((f) => {
        const codec = FIELD_TYPES[f.type];
        if (codec === undefined) throw new Error(`vector field type ${f.type} not mapped`);
        return [f.name, codec] as const;
      });
      return [r.name, r.type, struct(r.name, fields)] as const;
    }),
  );
}

const NS = { n1: namespace('n1', V.tlv.namespaces.n1), n2: namespace('n2', V.tlv.namespaces.n2) };

function decodeError(ns: TlvStream<readonly TlvRecordDef[]>, hex: string): WireError {
  try {
    ns.decode(fromHex(hex));
  } catch (e) {
    expect(e).toBeInstanceOf(WireError);
    return e as WireError;
  }
  throw new Error(`stream ${hex} decoded in ${ns.name} but should fail`);
}

/** The error class each spec reason stands for. */
function expectedCode(reason: string): string {
  if (/unknown even/.test(reason)) return 'UNKNOWN_EVEN_TLV';
  if (/not minimal|not minimally encoded/.test(reason)) return 'NON_CANONICAL';
  if (/ordering|duplicate/.test(reason)) return 'TLV_ORDER';
  if (/greater than encoding length/.test(reason)) return 'BAD_LENGTH';
  if (/not a valid point/.test(reason)) return 'BAD_POINT';
  if (/truncated|missing|less than encoding length/.test(reason)) return 'TRUNCATED';
  throw new Error(`no error class for reason: ${reason}`);
}

/** Decoded record values as the vector file writes them (decimal strings, scid text, hex). */
function display(v: unknown): string {
  if (typeof v === 'bigint' || typeof v === 'number') return String(v);
  if (v instanceof Uint8Array) return toHex(v);
  throw new Error(`unexpected value ${String(v)}`);
}

describe('TLV streams (BOLT 1 Appendix B)', () => {
  it('has all 57 streams', () => {
    expect(V.tlv.groups.reduce((n, g) => n + g.vectors.length, 0)).toBe(57);
  });

  for (const g of V.tlv.groups) {
    const targets = g.namespace === 'any' || g.namespace === 'either' ? (['n1', 'n2'] as const) : [g.namespace];
    for (const v of g.vectors) {
      for (const nsName of targets) {
        const ns = NS[nsName];
        const label = `${g.kind} ${nsName} ${v.stream || '(empty)'}: ${v.reason ?? v.explanation ?? ''}`;
        if (g.kind === 'decoding_failure' || g.kind === 'stream_decoding_failure') {
          it(`rejects ${label}`, () => {
            expect(decodeError(ns, v.stream).code).toBe(expectedCode(v.reason ?? ''));
          });
        } else {
          it(`accepts ${label}`, () => {
            const decoded = ns.decode(fromHex(v.stream)) as Record<string, unknown>;
            const { unknown, ...known } = decoded;
            if (g.kind === 'decoding_success_ignored') {
              expect(known).toEqual({});
            } else {
              const shown: Record<string, Record<string, string>> = {};
              for (const [rec, fields] of Object.entries(known)) {
                shown[rec] = Object.fromEntries(
                  Object.entries(fields as Record<string, unknown>).map(([k, fv]) => [
                    k,
                    k === 'scid' ? formatScid(fv as Scid) : display(fv),
                  ]),
                );
              }
              expect(shown).toEqual(v.expected);
            }
            // Unknown odd records are kept, so the stream re-encodes byte for byte.
            expect(toHex(ns.encode(decoded))).toBe(v.stream);
            if (unknown !== undefined) expect((unknown as unknown[]).length).toBeGreaterThan(0);
          });
        }
      }
    }
  }

  describe('stream rules', () => {
    const n1Valid = V.tlv.groups.filter((g) => g.kind === 'decoding_success' && g.namespace === 'n1').flatMap((g) => g.vectors);
    const n1Invalid = V.tlv.groups
      .filter((g) => g.kind.endsWith('failure') && (g.namespace === 'n1' || g.namespace === 'any' || g.namespace === 'either'))
      .flatMap((g) => g.vectors);

    it('an invalid stream appended to a valid one fails', () => {
      let pairs = 0;
      for (const ok of n1Valid) {
        for (const bad of n1Invalid) {
          expect(() => NS.n1.decode(fromHex(ok.stream + bad.stream)), `${ok.stream} + ${bad.stream}`).toThrow(WireError);
          pairs++;
        }
      }
      expect(pairs).toBe(n1Valid.length * n1Invalid.length);
    });

    it('a higher-numbered valid stream appended to a lower-numbered one decodes to both', () => {
      const firstType = (hex: string): bigint => readTlvRecords(new ByteReader(fromHex(hex)))[0]!.type;
      let pairs = 0;
      for (const lo of n1Valid) {
        for (const hi of n1Valid) {
          if (firstType(lo.stream) >= firstType(hi.stream)) continue;
          const both = NS.n1.decode(fromHex(lo.stream + hi.stream));
          expect(both).toEqual({ ...NS.n1.decode(fromHex(lo.stream)), ...NS.n1.decode(fromHex(hi.stream)) });
          pairs++;
        }
      }
      expect(pairs).toBeGreaterThan(20);
    });
  });

  describe('engine rules', () => {
    const ns = tlvStream('test', [
      ['small', 1, u8],
      ['blob', 4, restBytes],
      ['amount', 6, tu64],
    ]);

    it('keeps unknown odd records in type order and re-encodes them between known ones', () => {
      const stream = fromHex('0101070300040201020501ff');
      const v = ns.decode(stream);
      expect(v.small).toBe(7);
      expect(v.blob).toEqual(fromHex('0102'));
      expect(v.unknown).toEqual([
        { type: 3n, value: new Uint8Array(0) },
        { type: 5n, value: fromHex('ff') },
      ]);
      expect(toHex(ns.encode(v))).toBe(toHex(stream));
    });

    it('encodes known records sorted by type whatever the object key order', () => {
      expect(toHex(ns.encode({ amount: 256n, small: 1 }))).toBe('0101010602' + '0100');
    });

    it('refuses to encode an unknown record that collides with a known type or repeats', () => {
      expect(() => ns.encode({ small: 1, unknown: [{ type: 1n, value: new Uint8Array(0) }] })).toThrow(WireError);
      expect(() =>
        ns.encode({
          unknown: [
            { type: 9n, value: new Uint8Array(0) },
            { type: 9n, value: new Uint8Array(0) },
          ],
        }),
      ).toThrow(WireError);
    });

    it('treats an undefined stream as empty and the empty stream as no records', () => {
      expect(ns.encode(undefined as never)).toEqual(new Uint8Array(0));
      expect(ns.decode(new Uint8Array(0))).toEqual({});
    });

    it('names the record in errors', () => {
      const e = decodeError(ns as TlvStream<readonly TlvRecordDef[]>, '060100');
      expect(e.code).toBe('NON_CANONICAL');
      expect(e.path).toEqual(['amount']);
      expect(e.message).toMatch(/^amount: /);
    });

    it('rejects a length that exceeds the remaining bytes without allocating it', () => {
      const huge = concatBytes(fromHex('03'), fromHex('ffffffffffffffffff'));
      expect(decodeError(ns as TlvStream<readonly TlvRecordDef[]>, toHex(huge)).code).toBe('TRUNCATED');
    });

    it('rejects bad namespace definitions', () => {
      expect(() => tlvStream('dup', [['a', 1, u8], ['b', 1, u8]])).toThrow(WireError);
      expect(() => tlvStream('dup', [['a', 1, u8], ['a', 3, u8]])).toThrow(WireError);
      expect(() => tlvStream('reserved', [['unknown', 1, u8]])).toThrow(WireError);
    });
  });
});
