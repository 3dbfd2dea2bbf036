// Byte helpers shared by every layer. Everything here is total on valid input and throws
// ByteError (typed) on malformed input, so decoders above can convert it into their own errors.
import { LightningError } from '../errors.js';

export type Bytes = Uint8Array;

export class ByteError extends LightningError {
  constructor(message: string) {
    super('BYTES', message);
  }
}

const HEX = '0123456789abcdef';
const HEX_PAIRS: string[] = Array.from({ length: 256 }, (_, i) => HEX[i >> 4]! + HEX[i & 15]!);

export function toHex(b: Uint8Array): string {
  let s = '';
  for (let i = 0; i < b.length; i++) s += HEX_PAIRS[b[i]!]!;
  return s;
}

function nibble(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  if (c >= 97 && c <= 102) return c - 87;
  if (c >= 65 && c <= 70) return c - 55;
  return -1;
}

/** Case-insensitive hex decode; `expectedLength` (bytes) is checked when given. */
export function fromHex(s: string, expectedLength?: number): Bytes {
  if (typeof s !== 'string' || s.length % 2 !== 0) throw new ByteError('hex string of odd length');
  const out = new Uint8Array(s.length / 2);
  for (let i = 0; i < out.length; i++) {
    const hi = nibble(s.charCodeAt(2 * i));
    const lo = nibble(s.charCodeAt(2 * i + 1));
    if (hi < 0 || lo < 0) throw new ByteError('invalid hex character');
    out[i] = (hi << 4) | lo;
  }
  if (expectedLength !== undefined && out.length !== expectedLength) {
    throw new ByteError(`expected ${expectedLength} bytes, got ${out.length}`);
  }
  return out;
}

export function isHex(s: unknown, byteLength?: number): s is string {
  if (typeof s !== 'string' || s.length % 2 !== 0) return false;
  if (byteLength !== undefined && s.length !== byteLength * 2) return false;
  for (let i = 0; i < s.length; i++) if (nibble(s.charCodeAt(i)) < 0) return false;
  return true;
}

export function concatBytes(...parts: Uint8Array[]): Bytes {
  let n = 0;
  for (const p of parts) n += p.length;
  const out = new Uint8Array(n);
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

export function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let d = 0;
  for (let i = 0; i < a.length; i++) d |= a[i]! ^ b[i]!;
  return d === 0;
}

/** Lexicographic comparison (BOLT ordering of keys, scripts, outputs). */
export function compareBytes(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return a.length - b.length;
}

export function xorBytes(a: Uint8Array, b: Uint8Array): Bytes {
  if (a.length !== b.length) throw new ByteError('xor of unequal lengths');
  const out = new Uint8Array(a.length);
  for (let i = 0; i < a.length; i++) out[i] = a[i]! ^ b[i]!;
  return out;
}

export function utf8(s: string): Bytes {
  return new TextEncoder().encode(s);
}

export function fromUtf8(b: Uint8Array, fatal = true): string {
  return new TextDecoder('utf-8', { fatal }).decode(b);
}

export function u16be(n: number): Bytes {
  return new Uint8Array([(n >>> 8) & 0xff, n & 0xff]);
}

export function u32be(n: number): Bytes {
  const b = new Uint8Array(4);
  new DataView(b.buffer).setUint32(0, n >>> 0);
  return b;
}

export function u64be(n: bigint): Bytes {
  if (n < 0n || n > 0xffffffffffffffffn) throw new ByteError('u64 out of range');
  const b = new Uint8Array(8);
  new DataView(b.buffer).setBigUint64(0, n);
  return b;
}

/** Bounds-checked big-endian reader over an untrusted buffer. */
export class ByteReader {
  private pos = 0;
  private readonly view: DataView;
  constructor(private readonly buf: Uint8Array) {
    this.view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  }
  get offset(): number {
    return this.pos;
  }
  get remaining(): number {
    return this.buf.length - this.pos;
  }
  private need(n: number): void {
    if (n < 0 || this.pos + n > this.buf.length) throw new ByteError(`unexpected end of data (need ${n}, have ${this.remaining})`);
  }
  u8(): number {
    this.need(1);
    return this.buf[this.pos++]!;
  }
  u16(): number {
    this.need(2);
    const v = this.view.getUint16(this.pos);
    this.pos += 2;
    return v;
  }
  u32(): number {
    this.need(4);
    const v = this.view.getUint32(this.pos);
    this.pos += 4;
    return v;
  }
  u64(): bigint {
    this.need(8);
    const v = this.view.getBigUint64(this.pos);
    this.pos += 8;
    return v;
  }
  bytes(n: number): Bytes {
    this.need(n);
    const v = this.buf.subarray(this.pos, this.pos + n);
    this.pos += n;
    return v;
  }
  rest(): Bytes {
    return this.bytes(this.remaining);
  }
}

/** Growable writer: big-endian by default (Lightning's wire format), little-endian helpers for Bitcoin's. */
export class ByteWriter {
  private buf: Uint8Array;
  private len = 0;

  constructor(initialCapacity = 64) {
    this.buf = new Uint8Array(Math.max(1, initialCapacity));
  }

  private ensure(n: number): void {
    if (this.len + n <= this.buf.length) return;
    let cap = this.buf.length * 2;
    while (cap < this.len + n) cap *= 2;
    const next = new Uint8Array(cap);
    next.set(this.buf.subarray(0, this.len));
    this.buf = next;
  }
  u8(v: number): this {
    this.ensure(1);
    this.buf[this.len++] = v & 0xff;
    return this;
  }
  u16(v: number): this {
    this.ensure(2);
    this.buf[this.len++] = (v >>> 8) & 0xff;
    this.buf[this.len++] = v & 0xff;
    return this;
  }
  u32(v: number): this {
    return this.bytes(u32be(v));
  }
  u64(v: bigint): this {
    return this.bytes(u64be(v));
  }
  u16le(v: number): this {
    this.ensure(2);
    this.buf[this.len++] = v & 0xff;
    this.buf[this.len++] = (v >>> 8) & 0xff;
    return this;
  }
  u32le(v: number): this {
    this.ensure(4);
    for (let i = 0; i < 4; i++) this.buf[this.len++] = (v >>> (8 * i)) & 0xff;
    return this;
  }
  u64le(v: bigint): this {
    if (v < 0n || v > 0xffffffffffffffffn) throw new ByteError('u64 out of range');
    return this.u32le(Number(v & 0xffffffffn)).u32le(Number(v >> 32n));
  }
  bytes(b: Uint8Array): this {
    this.ensure(b.length);
    this.buf.set(b, this.len);
    this.len += b.length;
    return this;
  }
  get length(): number {
    return this.len;
  }
  finish(): Bytes {
    return this.buf.slice(0, this.len);
  }
}
