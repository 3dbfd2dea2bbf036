// TLV streams (BOLT 1 "Type-Length-Value Format"). A stream is declared once as a namespace of
// records `[name, type, valueCodec]`; decoding yields `{ name?: value, ..., unknown?: [...] }`.
//
// Reader rules, all enforced here: types strictly increasing (no duplicates), type and length
// minimally encoded, a length never beyond the remaining bytes, a known record's value consumed
// exactly by its codec, unknown even types rejected, unknown odd types kept verbatim. Keeping the
// unknown records (rather than dropping them) lets a decoded message be re-encoded byte for byte,
// which matters for anything signed over its encoding.
import { ByteReader, ByteWriter } from '../util/bytes.js';
import { encodeBigSize, readBigSize } from './bigsize.js';
import type { Codec, CodecDesc, CodecValue, Simplify } from './codec.js';
import { WireError, inField } from './errors.js';

const U64_MAX = 0xffffffffffffffffn;

/** One raw record: type and undecoded value. */
export interface TlvRecord {
  type: bigint;
  value: Uint8Array;
}

/** A record of a type the namespace does not define (always odd after a successful decode). */
export type UnknownTlv = TlvRecord;

export type TlvRecordDef = readonly [name: string, type: number | bigint, codec: Codec<unknown>];

/** Decoded form of a stream declared by R: every known record optional, plus unknown odd ones. */
export type TlvValue<R extends readonly TlvRecordDef[]> = Simplify<
  { -readonly [E in R[number] as E[0]]?: CodecValue<E[2]> } & { unknown?: UnknownTlv[] }
>;

export interface TlvStream<R extends readonly TlvRecordDef[]> extends Codec<TlvValue<R>> {
  readonly name: string;
  readonly records: R;
  /** Decodes a whole byte string as this stream. */
  decode(bytes: Uint8Array): TlvValue<R>;
  encode(v: TlvValue<R>): Uint8Array;
}

/**
 * Splits a stream into raw records, enforcing the namespace-independent rules (ordering, minimal
 * BigSize, lengths within bounds). Reads until `r` is exhausted.
 */
export function readTlvRecords(r: ByteReader): TlvRecord[] {
  const out: TlvRecord[] = [];
  let last = -1n;
  while (r.remaining > 0) {
    const type = inField('type', () => readBigSize(r));
    if (type <= last) {
      throw new WireError('TLV_ORDER', `TLV type ${type} after ${last}: types must strictly increase`);
    }
    last = type;
    if (r.remaining === 0) throw new WireError('TRUNCATED', `TLV type ${type}: missing length`);
    const length = inField('length', () => readBigSize(r));
    if (length > BigInt(r.remaining)) {
      throw new WireError('TRUNCATED', `TLV type ${type}: length ${length} exceeds the ${r.remaining} bytes left`);
    }
    out.push({ type, value: r.bytes(Number(length)).slice() });
  }
  return out;
}

/** Writes raw records, which must already be in strictly increasing type order. */
export function writeTlvRecords(w: ByteWriter, records: readonly TlvRecord[]): void {
  let last = -1n;
  for (const { type, value } of records) {
    if (typeof type !== 'bigint' || type < 0n || type > U64_MAX) {
      throw new WireError('BAD_VALUE', `TLV type out of range: ${String(type)}`);
    }
    if (type <= last) throw new WireError('BAD_VALUE', `TLV type ${type} after ${last}: types must strictly increase`);
    if (!(value instanceof Uint8Array)) throw new WireError('BAD_VALUE', `TLV type ${type}: value must be a Uint8Array`);
    last = type;
    w.bytes(encodeBigSize(type)).bytes(encodeBigSize(BigInt(value.length))).bytes(value);
  }
}

interface KnownRecord {
  name: string;
  type: bigint;
  codec: Codec<unknown>;
}

/** Declares a TLV namespace. Record names and types must be unique; checked here once. */
export function tlvStream<const R extends readonly TlvRecordDef[]>(name: string, records: R): TlvStream<R> {
  const known: KnownRecord[] = records
    .map(([recName, type, codec]) => ({ name: recName, type: BigInt(type), codec }))
    .sort((a, b) => (a.type < b.type ? -1 : a.type > b.type ? 1 : 0));
  const byType = new Map<bigint, KnownRecord>();
  for (const rec of known) {
    if (rec.type < 0n || rec.type > U64_MAX) throw new WireError('BAD_DEFINITION', `${name}.${rec.name}: type out of range`);
    if (byType.has(rec.type)) throw new WireError('BAD_DEFINITION', `${name}: type ${rec.type} declared twice`);
    if (rec.name === 'unknown' || known.filter((k) => k.name === rec.name).length > 1) {
      throw new WireError('BAD_DEFINITION', `${name}: bad or duplicate record name ${rec.name}`);
    }
    byType.set(rec.type, rec);
  }
  const desc: CodecDesc = {
    kind: 'tlv_stream',
    name,
    records: known.map((k) => ({ name: k.name, type: k.type, desc: k.codec.desc })),
  };

  function read(r: ByteReader): TlvValue<R> {
    const out: Record<string, unknown> = {};
    const unknown: UnknownTlv[] = [];
    for (const raw of readTlvRecords(r)) {
      const rec = byType.get(raw.type);
      if (rec === undefined) {
        if (raw.type % 2n === 0n) throw new WireError('UNKNOWN_EVEN_TLV', `unknown even TLV type ${raw.type}`);
        unknown.push(raw);
        continue;
      }
      out[rec.name] = inField(rec.name, () => {
        const sub = new ByteReader(raw.value);
        const v = rec.codec.read(sub);
        if (sub.remaining > 0) {
          throw new WireError('BAD_LENGTH', `value is ${raw.value.length} bytes, ${sub.remaining} more than its encoding`);
        }
        return v;
      });
    }
    if (unknown.length > 0) out['unknown'] = unknown;
    // `out` holds exactly the declared optional records plus `unknown`, i.e. TlvValue<R>.
    return out as TlvValue<R>;
  }

  function write(w: ByteWriter, v: TlvValue<R>): void {
    // A missing stream is the empty stream, so callers may leave `tlvs` out of hand-built objects.
    if (v === undefined) return;
    if (typeof v !== 'object' || v === null) throw new WireError('BAD_VALUE', `${name} must be an object`);
    const obj: Record<string, unknown> = v;
    const all: TlvRecord[] = [];
    for (const rec of known) {
      const value = obj[rec.name];
      if (value === undefined) continue;
      inField(rec.name, () => {
        const sub = new ByteWriter();
        rec.codec.write(sub, value);
        all.push({ type: rec.type, value: sub.finish() });
      });
    }
    const unknown = obj['unknown'];
    if (unknown !== undefined) {
      if (!Array.isArray(unknown)) throw new WireError('BAD_VALUE', `${name}.unknown must be an array`);
      for (const u of unknown as unknown[]) {
        const t = (u as Partial<TlvRecord> | null)?.type;
        if (typeof t === 'bigint' && byType.has(t)) {
          throw new WireError('BAD_VALUE', `${name}.unknown: type ${t} is a known record`);
        }
        all.push(u as TlvRecord);
      }
    }
    // Unknown records go between known ones by type; writeTlvRecords rejects duplicates.
    all.sort((a, b) => (a.type < b.type ? -1 : a.type > b.type ? 1 : 0));
    writeTlvRecords(w, all);
  }

  return {
    name,
    records,
    desc,
    read,
    write,
    decode(bytes: Uint8Array): TlvValue<R> {
      return read(new ByteReader(bytes));
    },
    encode(v: TlvValue<R>): Uint8Array {
      const w = new ByteWriter();
      write(w, v);
      return w.finish();
    },
  };
}

