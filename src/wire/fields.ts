// The field types of BOLT 1 "Fundamental Types" and the composite shapes messages use, as codecs
// for the engine in codec.ts. Readers check the remaining length before every read, so malformed
// input surfaces as WireError('TRUNCATED') and never as the util layer's ByteError or a RangeError;
// writers validate ranges so a bad value fails loudly instead of being silently masked.
import type { ByteReader, ByteWriter } from '../util/bytes.js';
import type { Scid } from '../types.js';
import { readBigSize, encodeBigSize } from './bigsize.js';
import { type Codec, type CodecDesc, consumesRest } from './codec.js';
import { WireError, inField } from './errors.js';

function need(r: ByteReader, n: number): void {
  if (r.remaining < n) throw new WireError('TRUNCATED', `unexpected end of data (need ${n}, have ${r.remaining})`);
}

function checkUint(v: unknown, bits: 8 | 16 | 32): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v > 2 ** bits - 1) {
    throw new WireError('BAD_VALUE', `u${bits} out of range: ${String(v)}`);
  }
  return v;
}

function checkU64(v: unknown): bigint {
  if (typeof v !== 'bigint' || v < 0n || v > 0xffffffffffffffffn) {
    throw new WireError('BAD_VALUE', `u64 out of range: ${String(v)}`);
  }
  return v;
}

function checkBytes(v: unknown, length?: number): Uint8Array {
  if (!(v instanceof Uint8Array)) throw new WireError('BAD_VALUE', 'expected a Uint8Array');
  if (length !== undefined && v.length !== length) {
    throw new WireError('BAD_VALUE', `expected ${length} bytes, got ${v.length}`);
  }
  return v;
}

// ---- fixed-width unsigned integers -------------------------------------------------------------

export const u8: Codec<number> = {
  desc: { kind: 'uint', bytes: 1 },
  read(r) {
    need(r, 1);
    return r.u8();
  },
  write(w, v) {
    w.u8(checkUint(v, 8));
  },
};
/** BOLT's `byte`. */
export const byte = u8;

export const u16: Codec<number> = {
  desc: { kind: 'uint', bytes: 2 },
  read(r) {
    need(r, 2);
    return r.u16();
  },
  write(w, v) {
    w.u16(checkUint(v, 16));
  },
};

export const u32: Codec<number> = {
  desc: { kind: 'uint', bytes: 4 },
  read(r) {
    need(r, 4);
    return r.u32();
  },
  write(w, v) {
    w.u32(checkUint(v, 32));
  },
};

export const u64: Codec<bigint> = {
  desc: { kind: 'uint', bytes: 8 },
  read(r) {
    need(r, 8);
    return r.u64();
  },
  write(w, v) {
    w.u64(checkU64(v));
  },
};

// ---- signed integers (two's complement, big-endian) ---------------------------------------------

function signedNumber(bytes: 1 | 2 | 4): Codec<number> {
  const bits = bytes * 8;
  const min = -(2 ** (bits - 1));
  const max = 2 ** (bits - 1) - 1;
  return {
    desc: { kind: 'sint', bytes },
    read(r) {
      need(r, bytes);
      let v = 0;
      for (let i = 0; i < bytes; i++) v = v * 256 + r.u8();
      return v > max ? v - 2 ** bits : v;
    },
    write(w, v) {
      if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) {
        throw new WireError('BAD_VALUE', `s${bits} out of range: ${String(v)}`);
      }
      let x = v < 0 ? v + 2 ** bits : v;
      const out = new Uint8Array(bytes);
      for (let i = bytes - 1; i >= 0; i--) {
        out[i] = x % 256;
        x = Math.floor(x / 256);
      }
      w.bytes(out);
    },
  };
}

export const s8 = signedNumber(1);
export const s16 = signedNumber(2);
export const s32 = signedNumber(4);

export const s64: Codec<bigint> = {
  desc: { kind: 'sint', bytes: 8 },
  read(r) {
    need(r, 8);
    return BigInt.asIntN(64, r.u64());
  },
  write(w, v) {
    if (typeof v !== 'bigint' || v < -(2n ** 63n) || v > 2n ** 63n - 1n) {
      throw new WireError('BAD_VALUE', `s64 out of range: ${String(v)}`);
    }
    w.u64(BigInt.asUintN(64, v));
  },
};

// ---- truncated unsigned integers (only as the last field of a TLV record) ----------------------

function readTruncated(r: ByteReader, maxBytes: number): bigint {
  const n = r.remaining;
  if (n > maxBytes) throw new WireError('BAD_LENGTH', `tu${maxBytes * 8} longer than ${maxBytes} bytes (${n})`);
  const b = r.bytes(n);
  if (n > 0 && b[0] === 0) throw new WireError('NON_CANONICAL', `tu${maxBytes * 8} has a leading zero byte`);
  let v = 0n;
  for (const x of b) v = (v << 8n) | BigInt(x);
  return v;
}

function writeTruncated(w: ByteWriter, v: bigint): void {
  const out: number[] = [];
  for (let x = v; x > 0n; x >>= 8n) out.unshift(Number(x & 0xffn));
  w.bytes(Uint8Array.from(out));
}

export const tu16: Codec<number> = {
  desc: { kind: 'tuint', maxBytes: 2 },
  read: (r) => Number(readTruncated(r, 2)),
  write: (w, v) => writeTruncated(w, BigInt(checkUint(v, 16))),
};

export const tu32: Codec<number> = {
  desc: { kind: 'tuint', maxBytes: 4 },
  read: (r) => Number(readTruncated(r, 4)),
  write: (w, v) => writeTruncated(w, BigInt(checkUint(v, 32))),
};

export const tu64: Codec<bigint> = {
  desc: { kind: 'tuint', maxBytes: 8 },
  read: (r) => readTruncated(r, 8),
  write: (w, v) => writeTruncated(w, checkU64(v)),
};

// ---- BigSize ------------------------------------------------------------------------------------

export const bigsize: Codec<bigint> = {
  desc: { kind: 'bigsize' },
  read: (r) => readBigSize(r),
  write(w, v) {
    w.bytes(encodeBigSize(v));
  },
};

// ---- byte strings -------------------------------------------------------------------------------

/** `n*byte`. Decoded values are copies, so they stay valid when the input buffer is reused. */
export function bytes(n: number): Codec<Uint8Array> {
  if (!Number.isInteger(n) || n <= 0) throw new WireError('BAD_DEFINITION', `bytes(${n}): length must be positive`);
  return {
    desc: { kind: 'bytes', length: n },
    read(r) {
      need(r, n);
      return r.bytes(n).slice();
    },
    write(w, v) {
      w.bytes(checkBytes(v, n));
    },
  };
}

export const signature = bytes(64);
export const sha256 = bytes(32);
export const channel_id = bytes(32);
export const chain_hash = bytes(32);

/**
 * A 33-byte compressed point. Only the syntax (length and 02/03 prefix) is checked here; whether
 * it lies on the curve is the crypto layer's question, asked where the point is used.
 */
export const point: Codec<Uint8Array> = {
  desc: { kind: 'point' },
  read(r) {
    need(r, 33);
    const b = r.bytes(33).slice();
    if (b[0] !== 2 && b[0] !== 3) throw new WireError('BAD_POINT', `point must start with 02 or 03, not ${b[0]}`);
    return b;
  },
  write(w, v) {
    const b = checkBytes(v, 33);
    if (b[0] !== 2 && b[0] !== 3) throw new WireError('BAD_POINT', 'point must start with 02 or 03');
    w.bytes(b);
  },
};

export const short_channel_id: Codec<Scid> = {
  desc: { kind: 'scid' },
  // Any 8 bytes are a valid u64, hence a valid Scid.
  read(r) {
    need(r, 8);
    return r.u64() as Scid;
  },
  write(w, v) {
    w.u64(checkU64(v));
  },
};

/** `[u16:len][len*byte:data]`: the length is implicit in the decoded value. */
export const u16Bytes: Codec<Uint8Array> = {
  desc: { kind: 'u16_bytes' },
  read(r) {
    need(r, 2);
    const n = r.u16();
    need(r, n);
    return r.bytes(n).slice();
  },
  write(w, v) {
    const b = checkBytes(v);
    if (b.length > 0xffff) throw new WireError('BAD_VALUE', `${b.length} bytes do not fit a u16 length`);
    w.u16(b.length).bytes(b);
  },
};

/** `...*byte`: the rest of the enclosing input (a message's tail or a TLV record's value). */
export const restBytes: Codec<Uint8Array> = {
  desc: { kind: 'rest_bytes' },
  read: (r) => r.bytes(r.remaining).slice(),
  write(w, v) {
    w.bytes(checkBytes(v));
  },
};

// ---- arrays -------------------------------------------------------------------------------------

/** Smallest encoding of a value of this shape: bounds a count read from the wire before looping. */
function minSize(d: CodecDesc): number {
  switch (d.kind) {
    case 'uint':
    case 'sint':
      return d.bytes;
    case 'bytes':
      return d.length;
    case 'point':
      return 33;
    case 'scid':
      return 8;
    case 'bigsize':
      return 1;
    case 'u16_bytes':
    case 'u16_array':
      return 2;
    case 'struct':
      return d.fields.reduce((n, [, f]) => n + minSize(f), 0);
    default:
      return 0;
  }
}

function checkElement(of: Codec<unknown>, what: string): void {
  if (consumesRest(of.desc) || minSize(of.desc) === 0) {
    throw new WireError('BAD_DEFINITION', `${what}: elements must have a fixed or self-delimited, non-empty encoding`);
  }
}

/** `[u16:num][num*T:items]`, e.g. commitment_signed's num_htlcs + htlc_signature. */
export function u16Array<T>(of: Codec<T>): Codec<T[]> {
  checkElement(of, 'u16Array');
  const min = minSize(of.desc);
  return {
    desc: { kind: 'u16_array', of: of.desc },
    read(r) {
      need(r, 2);
      const n = r.u16();
      // Reject an impossible count before reading element by element.
      need(r, n * min);
      const out: T[] = [];
      for (let i = 0; i < n; i++) out.push(inField(String(i), () => of.read(r)));
      return out;
    },
    write(w, v) {
      if (!Array.isArray(v)) throw new WireError('BAD_VALUE', 'expected an array');
      if (v.length > 0xffff) throw new WireError('BAD_VALUE', `${v.length} items do not fit a u16 count`);
      w.u16(v.length);
      v.forEach((item, i) => inField(String(i), () => of.write(w, item)));
    },
  };
}

/** `...*T`: items until the enclosing input ends (e.g. init's `networks`: `...*chain_hash`). */
export function restArray<T>(of: Codec<T>): Codec<T[]> {
  checkElement(of, 'restArray');
  return {
    desc: { kind: 'rest_array', of: of.desc },
    read(r) {
      const out: T[] = [];
      while (r.remaining > 0) out.push(inField(String(out.length), () => of.read(r)));
      return out;
    },
    write(w, v) {
      if (!Array.isArray(v)) throw new WireError('BAD_VALUE', 'expected an array');
      v.forEach((item, i) => inField(String(i), () => of.write(w, item)));
    },
  };
}
