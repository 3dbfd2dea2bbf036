// Invoice feature bits (the `9` field): which bits this implementation understands, and the
// word <-> bit conversions. Bits are numbered from the least significant bit of the last word.

/** Features whose even (compulsory) bit we can honour in an invoice. */
export const KNOWN_INVOICE_FEATURES: ReadonlyMap<number, string> = new Map([
  [8, 'var_onion_optin'],
  [14, 'payment_secret'],
  [16, 'basic_mpp'],
  [48, 'option_payment_metadata'],
]);

export function featureBitsFromWords(words: ArrayLike<number>): number[] {
  const bits: number[] = [];
  const n = words.length;
  for (let i = 0; i < n; i++) {
    const w = words[n - 1 - i]!;
    for (let b = 0; b < 5; b++) if ((w >> b) & 1) bits.push(i * 5 + b);
  }
  return bits;
}

/** Minimal words for a set of bits (no leading zero words). */
export function featureWordsFromBits(bits: number[]): number[] {
  if (bits.length === 0) return [];
  const max = Math.max(...bits);
  const words = new Array<number>(Math.floor(max / 5) + 1).fill(0);
  for (const bit of bits) words[words.length - 1 - Math.floor(bit / 5)]! |= 1 << bit % 5;
  return words;
}

/** The bitmap as bytes (big-endian, minimal), the way Core Lightning prints `features`. */
export function featureBytesFromBits(bits: number[]): Uint8Array {
  if (bits.length === 0) return new Uint8Array(0);
  const max = Math.max(...bits);
  const out = new Uint8Array(Math.floor(max / 8) + 1);
  for (const bit of bits) out[out.length - 1 - Math.floor(bit / 8)]! |= 1 << bit % 8;
  return out;
}

/** The first even bit we do not know (readers MUST fail on it), if any. */
export function unknownRequiredFeature(bits: number[]): number | undefined {
  return bits.find((b) => b % 2 === 0 && !KNOWN_INVOICE_FEATURES.has(b));
}
