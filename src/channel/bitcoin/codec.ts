// Little-endian reader/writer for Bitcoin's consensus encoding (the project's ByteReader/Writer are
// big-endian, as Lightning's wire format is). CompactSize ("varint") follows Bitcoin Core: the
// reader rejects non-minimal encodings so that parse → serialize round-trips byte for byte.
import { ByteWriter, type Bytes } from '../../util/bytes.js';
import { TxError } from '../errors.js';

/** Bitcoin's consensus encoding on the shared growable writer (little-endian + CompactSize). */
export class TxWriter extends ByteWriter {
  override u64le(v: bigint): this {
    if (v < 0n || v > 0xffffffffffffffffn) throw new TxError('OUT_OF_RANGE', 'u64 out of range');
    return super.u64le(v);
  }

  /** CompactSize, always the minimal form. */
  varint(n: number): this {
    if (!Number.isSafeInteger(n) || n < 0) throw new TxError('OUT_OF_RANGE', 'CompactSize out of range');
    if (n < 0xfd) return this.u8(n);
    if (n <= 0xffff) return this.u8(0xfd).u16le(n);
    if (n <= 0xffffffff) return this.u8(0xfe).u32le(n);
    return this.u8(0xff).u64le(BigInt(n));
  }

  /** Length-prefixed byte string (scripts, witness items). */
  varBytes(b: Uint8Array): this {
    return this.varint(b.length).bytes(b);
  }
}

/** Bounds-checked reader over untrusted bytes; every failure is a TxError. */
export class TxReader {
  private pos = 0;

  constructor(private readonly buf: Uint8Array) {}

  get offset(): number {
    return this.pos;
  }

  get remaining(): number {
    return this.buf.length - this.pos;
  }

  private need(n: number, what: string): void {
    if (this.pos + n > this.buf.length) {
      throw new TxError('TRUNCATED', `unexpected end of transaction reading ${what} (need ${n}, have ${this.remaining})`);
    }
  }

  peek(ahead = 0): number | undefined {
    return this.buf[this.pos + ahead];
  }

  u8(what = 'u8'): number {
    this.need(1, what);
    return this.buf[this.pos++]!;
  }

  u16le(what = 'u16'): number {
    this.need(2, what);
    const b = this.buf;
    const v = b[this.pos]! | (b[this.pos + 1]! << 8);
    this.pos += 2;
    return v;
  }

  u32le(what = 'u32'): number {
    this.need(4, what);
    const b = this.buf;
    const v = (b[this.pos]! | (b[this.pos + 1]! << 8) | (b[this.pos + 2]! << 16) | (b[this.pos + 3]! << 24)) >>> 0;
    this.pos += 4;
    return v;
  }

  u64le(what = 'u64'): bigint {
    const lo = this.u32le(what);
    const hi = this.u32le(what);
    return (BigInt(hi) << 32n) | BigInt(lo);
  }

  varint(what = 'CompactSize'): number {
    const first = this.u8(what);
    if (first < 0xfd) return first;
    if (first === 0xfd) {
      const v = this.u16le(what);
      if (v < 0xfd) throw new TxError('MALFORMED', `non-minimal CompactSize for ${what}`);
      return v;
    }
    if (first === 0xfe) {
      const v = this.u32le(what);
      if (v <= 0xffff) throw new TxError('MALFORMED', `non-minimal CompactSize for ${what}`);
      return v;
    }
    const v = this.u64le(what);
    if (v <= 0xffffffffn) throw new TxError('MALFORMED', `non-minimal CompactSize for ${what}`);
    // Nothing in a transaction can be this long or numerous; refuse before any allocation.
    throw new TxError('OUT_OF_RANGE', `${what} too large`);
  }

  bytes(n: number, what = 'bytes'): Bytes {
    this.need(n, what);
    const v = this.buf.subarray(this.pos, this.pos + n);
    this.pos += n;
    return v;
  }

  /** Length-prefixed bytes; the length is checked against what is left before slicing. */
  varBytes(what = 'script'): Bytes {
    const n = this.varint(what);
    return this.bytes(n, what);
  }

  /**
   * A count of items each at least `minItemSize` bytes long: bounded by the remaining input, so a
   * hostile count cannot make the parser loop or allocate beyond the data it was given.
   */
  count(minItemSize: number, what: string): number {
    const n = this.varint(what);
    if (n * minItemSize > this.remaining) throw new TxError('TRUNCATED', `${what} count ${n} exceeds the remaining data`);
    return n;
  }
}
