// 5-bit word helpers for BOLT 11 (bech32 data part).
export function wordsToBytes(words: ArrayLike<number>, dropTrailingBits = true): Uint8Array {
  // BOLT 11 fields are padded to a 5-bit boundary; trailing bits that do not make a byte are
  // dropped (dropTrailingBits) or, for the signing data, padded with zero bits to a full byte.
  const out: number[] = [];
  let acc = 0;
  let bits = 0;
  for (let i = 0; i < words.length; i++) {
    acc = ((acc << 5) | words[i]!) & 0xfff;
    bits += 5;
    if (bits >= 8) {
      bits -= 8;
      out.push((acc >> bits) & 0xff);
    }
  }
  if (!dropTrailingBits && bits > 0) out.push((acc << (8 - bits)) & 0xff);
  return Uint8Array.from(out);
}

export function bytesToWords(bytes: Uint8Array): number[] {
  const out: number[] = [];
  let acc = 0;
  let bits = 0;
  for (const b of bytes) {
    acc = ((acc << 8) | b) & 0xfff;
    bits += 8;
    while (bits >= 5) {
      bits -= 5;
      out.push((acc >> bits) & 31);
    }
  }
  if (bits > 0) out.push((acc << (5 - bits)) & 31);
  return out;
}

/** Big-endian integer from words (timestamps, expiry, cltv). */
export function wordsToInt(words: ArrayLike<number>): bigint {
  let v = 0n;
  for (let i = 0; i < words.length; i++) v = (v << 5n) | BigInt(words[i]!);
  return v;
}

/** Minimal big-endian words for a non-negative integer (0 → no words), or exactly `width` words. */
export function intToWords(v: bigint, width?: number): number[] {
  const out: number[] = [];
  while (v > 0n) {
    out.unshift(Number(v & 31n));
    v >>= 5n;
  }
  if (width !== undefined) {
    while (out.length < width) out.unshift(0);
    if (out.length > width) throw new RangeError('integer too wide');
  }
  return out;
}
