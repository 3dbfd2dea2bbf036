// The few primitive encodings BOLT 4 needs on top of util/bytes: BigSize (BOLT 1), truncated
// integers (tu16/tu32/tu64) and a strict TLV stream reader that remembers each record's byte
// offset, because invalid_onion_payload must report the offset of the offending record.
import { ByteWriter } from '../util/bytes.js';
import { OnionError } from './errors.js';

export function bigSizeLength(v: bigint): number {
  if (v < 0xfdn) return 1;
  if (v <= 0xffffn) return 3;
  if (v <= 0xffffffffn) return 5;
  return 9;
}

export function writeBigSize(w: ByteWriter, v: bigint): ByteWriter {
  if (v < 0n || v > 0xffffffffffffffffn) throw new OnionError('BAD_ARGUMENT', 'BigSize out of range');
  if (v < 0xfdn) return w.u8(Number(v));
  if (v <= 0xffffn) return w.u8(0xfd).u16(Number(v));
  if (v <= 0xffffffffn) return w.u8(0xfe).u32(Number(v));
  return w.u8(0xff).u64(v);
}

export function encodeBigSize(v: bigint): Uint8Array {
  return writeBigSize(new ByteWriter(), v).finish();
}

/** Reads a canonical BigSize at `pos`; returns the value and the number of bytes used. */
export function readBigSize(buf: Uint8Array, pos: number): { value: bigint; size: number } {
  const first = buf[pos];
  if (first === undefined) throw new OnionError('BAD_PAYLOAD', 'BigSize: unexpected end of data');
  if (first < 0xfd) return { value: BigInt(first), size: 1 };
  const width = first === 0xfd ? 2 : first === 0xfe ? 4 : 8;
  if (pos + 1 + width > buf.length) throw new OnionError('BAD_PAYLOAD', 'BigSize: unexpected end of data');
  let v = 0n;
  for (let i = 0; i < width; i++) v = (v << 8n) | BigInt(buf[pos + 1 + i]!);
  const min = width === 2 ? 0xfdn : width === 4 ? 0x10000n : 0x100000000n;
  if (v < min) throw new OnionError('BAD_PAYLOAD', 'BigSize: not canonical');
  return { value: v, size: 1 + width };
}

/** Truncated unsigned integer: big-endian without leading zero bytes (0 is empty). */
export function encodeTu(v: bigint, maxBytes: number): Uint8Array {
  if (v < 0n || v >= 1n << BigInt(8 * maxBytes)) throw new OnionError('BAD_ARGUMENT', `tu${8 * maxBytes} out of range`);
  const out: number[] = [];
  while (v > 0n) {
    out.unshift(Number(v & 0xffn));
    v >>= 8n;
  }
  return Uint8Array.from(out);
}

/** Strict tu decode: at most `maxBytes` bytes and minimal (no leading zero byte). */
export function decodeTu(b: Uint8Array, maxBytes: number): bigint | null {
  if (b.length > maxBytes) return null;
  if (b.length > 0 && b[0] === 0) return null;
  let v = 0n;
  for (const x of b) v = (v << 8n) | BigInt(x);
  return v;
}

export interface TlvRecord {
  type: bigint;
  value: Uint8Array;
  /** Offset of the record's type field within the buffer that was parsed. */
  offset: number;
}

/** A TLV stream that failed to parse, with the record type and offset where it broke. */
export class TlvParseError extends OnionError {
  constructor(
    message: string,
    readonly tlvType: bigint,
    readonly offset: number,
  ) {
    super('BAD_PAYLOAD', message);
  }
}

/** Parses a TLV stream: canonical BigSize types/lengths, strictly increasing types, in bounds. */
export function parseTlvStream(buf: Uint8Array, baseOffset = 0): TlvRecord[] {
  const records: TlvRecord[] = [];
  let pos = 0;
  let last = -1n;
  while (pos < buf.length) {
    const start = pos;
    let type: bigint;
    try {
      const t = readBigSize(buf, pos);
      type = t.value;
      pos += t.size;
    } catch (e) {
      if (!(e instanceof OnionError)) throw e;
      throw new TlvParseError('TLV type is truncated or not canonical', 0n, baseOffset + start);
    }
    let length: bigint;
    try {
      const l = readBigSize(buf, pos);
      length = l.value;
      pos += l.size;
    } catch (e) {
      if (!(e instanceof OnionError)) throw e;
      throw new TlvParseError('TLV length is truncated or not canonical', type, baseOffset + start);
    }
    if (type <= last) throw new TlvParseError('TLV types are not strictly increasing', type, baseOffset + start);
    if (length > BigInt(buf.length - pos)) throw new TlvParseError('TLV value runs past the end', type, baseOffset + start);
    const n = Number(length);
    records.push({ type, value: buf.subarray(pos, pos + n), offset: baseOffset + start });
    pos += n;
    last = type;
  }
  return records;
}

export function writeTlvRecord(w: ByteWriter, type: bigint, value: Uint8Array): void {
  writeBigSize(w, type);
  writeBigSize(w, BigInt(value.length));
  w.bytes(value);
}
