// BigSize (BOLT 1 Appendix A): Bitcoin's CompactSize but big-endian, and strictly minimal. The
// minimality check matters: TLV streams are signed and compared byte for byte, so a value must
// have exactly one encoding.
import { ByteReader } from '../util/bytes.js';
import { WireError } from './errors.js';

const U64_MAX = 0xffffffffffffffffn;

/** Number of bytes `encodeBigSize(v)` produces (1, 3, 5 or 9). */
export function bigSizeLength(v: bigint): number {
  if (v < 0xfdn) return 1;
  if (v <= 0xffffn) return 3;
  if (v <= 0xffffffffn) return 5;
  return 9;
}

export function encodeBigSize(v: bigint): Uint8Array {
  if (typeof v !== 'bigint' || v < 0n || v > U64_MAX) {
    throw new WireError('BAD_VALUE', `bigsize out of range: ${String(v)}`);
  }
  const len = bigSizeLength(v);
  const out = new Uint8Array(len);
  if (len === 1) {
    out[0] = Number(v);
    return out;
  }
  out[0] = len === 3 ? 0xfd : len === 5 ? 0xfe : 0xff;
  let x = v;
  for (let i = len - 1; i >= 1; i--) {
    out[i] = Number(x & 0xffn);
    x >>= 8n;
  }
  return out;
}

/**
 * Reads one BigSize. Throws WireError 'EOF' when nothing is left, 'TRUNCATED' when the input ends
 * after the prefix byte, 'NON_CANONICAL' when a shorter encoding existed.
 */
export function readBigSize(r: ByteReader): bigint {
  if (r.remaining === 0) throw new WireError('EOF', 'EOF: no bytes left for a bigsize');
  const prefix = r.u8();
  if (prefix < 0xfd) return BigInt(prefix);
  const width = prefix === 0xfd ? 2 : prefix === 0xfe ? 4 : 8;
  if (r.remaining < width) {
    throw new WireError('TRUNCATED', `unexpected EOF: bigsize needs ${width} more bytes, have ${r.remaining}`);
  }
  let v: bigint;
  let min: bigint;
  if (width === 2) {
    v = BigInt(r.u16());
    min = 0xfdn;
  } else if (width === 4) {
    v = BigInt(r.u32());
    min = 0x10000n;
  } else {
    v = r.u64();
    min = 0x100000000n;
  }
  if (v < min) throw new WireError('NON_CANONICAL', `decoded bigsize is not canonical: ${v} in ${width + 1} bytes`);
  return v;
}

/** Decodes the BigSize at the start of `b`; `length` is how many bytes it took (the rest is ignored). */
export function decodeBigSize(b: Uint8Array): { value: bigint; length: number } {
  const r = new ByteReader(b);
  const value = readBigSize(r);
  return { value, length: r.offset };
}
