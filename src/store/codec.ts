// Tagged binary encoding of StoreValues for the file store's journal. JSON cannot carry bigint,
// Uint8Array, NaN, -0 or lone surrogates; this encoding keeps every one of them exact.
// Layout: one tag byte, then a tag-specific body; lengths and counts are u32 big-endian.
import { StoreError, type StoreValue } from './types.js';
import { setMember } from './values.js';

const T_NULL = 0;
const T_FALSE = 1;
const T_TRUE = 2;
const T_F64 = 3;
const T_I32 = 4;
const T_UTF8 = 5;
const T_UTF16 = 6; // strings with lone surrogates, which UTF-8 cannot carry
const T_BIGINT = 7; // sign byte, u32 length, magnitude big-endian
const T_BYTES = 8;
const T_ARRAY = 9;
const T_OBJECT = 10; // u32 count, then (string, value) pairs

const MAX_DEPTH = 100;
const utf8Encoder = new TextEncoder();
const utf8Decoder = new TextDecoder('utf-8', { fatal: true });

/** True unless the string holds an unpaired surrogate (the fast regex rules most strings out). */
function isWellFormed(s: string): boolean {
  if (!/[\ud800-\udfff]/.test(s)) return true;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff) {
      const d = s.charCodeAt(i + 1);
      if (!(d >= 0xdc00 && d <= 0xdfff)) return false;
      i++;
    } else if (c >= 0xdc00 && c <= 0xdfff) {
      return false;
    }
  }
  return true;
}

/** A growable output buffer. */
export class Encoder {
  private buf = new Uint8Array(1024);
  private view = new DataView(this.buf.buffer);
  private len = 0;

  get length(): number {
    return this.len;
  }

  private ensure(n: number): void {
    if (this.len + n <= this.buf.length) return;
    let cap = this.buf.length * 2;
    while (cap < this.len + n) cap *= 2;
    const next = new Uint8Array(cap);
    next.set(this.buf.subarray(0, this.len));
    this.buf = next;
    this.view = new DataView(next.buffer);
  }

  u8(v: number): void {
    this.ensure(1);
    this.buf[this.len++] = v;
  }

  u32(v: number): void {
    this.ensure(4);
    this.view.setUint32(this.len, v);
    this.len += 4;
  }

  bytes(b: Uint8Array): void {
    this.ensure(b.length);
    this.buf.set(b, this.len);
    this.len += b.length;
  }

  string(s: string): void {
    if (isWellFormed(s)) {
      this.ensure(5 + s.length * 3);
      this.buf[this.len] = T_UTF8;
      const { written } = utf8Encoder.encodeInto(s, this.buf.subarray(this.len + 5));
      this.view.setUint32(this.len + 1, written);
      this.len += 5 + written;
      return;
    }
    this.u8(T_UTF16);
    this.u32(s.length);
    this.ensure(s.length * 2);
    for (let i = 0; i < s.length; i++) {
      this.view.setUint16(this.len, s.charCodeAt(i));
      this.len += 2;
    }
  }

  value(v: StoreValue, depth = 0): void {
    if (depth > MAX_DEPTH) throw new StoreError('BAD_VALUE', 'value nested too deeply to encode');
    if (v === null) return this.u8(T_NULL);
    switch (typeof v) {
      case 'boolean':
        return this.u8(v ? T_TRUE : T_FALSE);
      case 'number':
        if (Number.isInteger(v) && v >= -0x80000000 && v <= 0x7fffffff && !Object.is(v, -0)) {
          this.ensure(5);
          this.buf[this.len] = T_I32;
          this.view.setInt32(this.len + 1, v);
          this.len += 5;
        } else {
          this.ensure(9);
          this.buf[this.len] = T_F64;
          this.view.setFloat64(this.len + 1, v);
          this.len += 9;
        }
        return;
      case 'string':
        return this.string(v);
      case 'bigint': {
        const neg = v < 0n;
        let hex = (neg ? -v : v).toString(16);
        if (hex.length % 2 === 1) hex = `0${hex}`;
        this.u8(T_BIGINT);
        this.u8(neg ? 1 : 0);
        this.u32(hex.length / 2);
        this.ensure(hex.length / 2);
        for (let i = 0; i < hex.length; i += 2) this.buf[this.len++] = parseInt(hex.slice(i, i + 2), 16);
        return;
      }
      default:
        break;
    }
    if (v instanceof Uint8Array) {
      this.u8(T_BYTES);
      this.u32(v.length);
      return this.bytes(v);
    }
    if (Array.isArray(v)) {
      this.u8(T_ARRAY);
      this.u32(v.length);
      for (const x of v) this.value(x, depth + 1);
      return;
    }
    const keys = Object.keys(v).filter((k) => v[k] !== undefined);
    this.u8(T_OBJECT);
    this.u32(keys.length);
    for (const k of keys) {
      this.string(k);
      this.value(v[k]!, depth + 1);
    }
  }

  finish(): Uint8Array {
    return this.buf.slice(0, this.len);
  }
}

function corrupt(why: string): StoreError {
  return new StoreError('IO', `undecodable journal data: ${why}`);
}

/** Bounds-checked reader; every failure is a StoreError (IO), never a RangeError. */
export class Decoder {
  private pos = 0;
  private readonly view: DataView;

  constructor(private readonly buf: Uint8Array) {
    this.view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  }

  get done(): boolean {
    return this.pos === this.buf.length;
  }

  private need(n: number): void {
    if (this.pos + n > this.buf.length) throw corrupt(`needs ${n} bytes at offset ${this.pos}, has ${this.buf.length - this.pos}`);
  }

  private u8(): number {
    this.need(1);
    return this.buf[this.pos++]!;
  }

  private u32(): number {
    this.need(4);
    const v = this.view.getUint32(this.pos);
    this.pos += 4;
    return v;
  }

  private string(tag: number): string {
    const n = this.u32();
    if (tag === T_UTF8) {
      this.need(n);
      const s = utf8Decoder.decode(this.buf.subarray(this.pos, this.pos + n));
      this.pos += n;
      return s;
    }
    this.need(n * 2);
    let s = '';
    for (let i = 0; i < n; i++) s += String.fromCharCode(this.view.getUint16(this.pos + 2 * i));
    this.pos += 2 * n;
    return s;
  }

  value(depth = 0): StoreValue {
    if (depth > MAX_DEPTH) throw corrupt('nested too deeply');
    const tag = this.u8();
    switch (tag) {
      case T_NULL:
        return null;
      case T_FALSE:
        return false;
      case T_TRUE:
        return true;
      case T_I32: {
        this.need(4);
        const v = this.view.getInt32(this.pos);
        this.pos += 4;
        return v;
      }
      case T_F64: {
        this.need(8);
        const v = this.view.getFloat64(this.pos);
        this.pos += 8;
        return v;
      }
      case T_UTF8:
      case T_UTF16:
        return this.string(tag);
      case T_BIGINT: {
        const neg = this.u8() === 1;
        const n = this.u32();
        this.need(n);
        let v = 0n;
        for (let i = 0; i < n; i++) v = (v << 8n) | BigInt(this.buf[this.pos + i]!);
        this.pos += n;
        return neg ? -v : v;
      }
      case T_BYTES: {
        const n = this.u32();
        this.need(n);
        // A copy, as a plain Uint8Array even when reading from a Node Buffer.
        const b = new Uint8Array(this.buf.subarray(this.pos, this.pos + n));
        this.pos += n;
        return b;
      }
      case T_ARRAY: {
        const n = this.u32();
        this.need(n); // each element takes at least one byte: bounds the allocation
        const out: StoreValue[] = [];
        for (let i = 0; i < n; i++) out.push(this.value(depth + 1));
        return out;
      }
      case T_OBJECT: {
        const n = this.u32();
        this.need(n * 2);
        const out: Record<string, StoreValue> = {};
        for (let i = 0; i < n; i++) {
          const kt = this.u8();
          if (kt !== T_UTF8 && kt !== T_UTF16) throw corrupt(`object key with tag ${kt}`);
          setMember(out, this.string(kt), this.value(depth + 1));
        }
        return out;
      }
      default:
        throw corrupt(`unknown tag ${tag} at offset ${this.pos - 1}`);
    }
  }
}

export function encodeValue(v: StoreValue): Uint8Array {
  const e = new Encoder();
  e.value(v);
  return e.finish();
}

/** Decodes exactly one value filling `buf`. */
export function decodeValue(buf: Uint8Array): StoreValue {
  const d = new Decoder(buf);
  const v = d.value();
  if (!d.done) throw corrupt('trailing bytes after the value');
  return v;
}

/** A rough encoded size, for deciding when the journal is worth compacting (no allocation). */
export function approxSize(v: StoreValue | undefined): number {
  if (v === null || v === undefined || typeof v === 'boolean') return 1;
  if (typeof v === 'number') return 9;
  if (typeof v === 'string') return 5 + v.length;
  if (typeof v === 'bigint') return 14;
  if (v instanceof Uint8Array) return 5 + v.length;
  let n = 5;
  if (Array.isArray(v)) {
    for (const x of v) n += approxSize(x);
    return n;
  }
  for (const k of Object.keys(v)) n += 5 + k.length + approxSize(v[k]);
  return n;
}
