// Core Lightning's millisatoshi amount grammar (common/amount.c parse_amount_msat), emulated
// deliberately, quirks included, because users of CLN's API send these strings:
//   DIGITS                       → msat
//   DIGITS <suffix starting "msat">  → msat        ("10msats" is accepted: prefix match)
//   DIGITS <suffix starting "sat">   → ×1000       ("5satoshi" is accepted)
//   DIGITS[.DIGITS{0..11}] <suffix starting "btc"> → ×10^11, fraction scaled ("1.btc" is accepted)
// No decimals without "btc", no sign, no whitespace, case-sensitive, any u64 overflow rejected.
import { U64_MAX } from '../types.js';

function isDigit(c: string | undefined): boolean {
  return c !== undefined && c >= '0' && c <= '9';
}

/** digits × 10^tens as a u64, or undefined if empty or overflowing (checked at every step). */
function fromNumber(digits: string, tens: number): bigint | undefined {
  if (digits.length === 0) return undefined;
  let v = 0n;
  for (const d of digits) {
    v = v * 10n + BigInt(d.charCodeAt(0) - 48);
    if (v > U64_MAX) return undefined;
  }
  for (let i = 0; i < tens; i++) {
    v *= 10n;
    if (v > U64_MAX) return undefined;
  }
  return v;
}

/** Parse the raw token text of an amount; undefined when CLN would reject it. */
export function parseAmountMsat(s: string): bigint | undefined {
  // Split into whole digits, optional '.' + fraction digits, and the rest (the "suffix").
  let i = 0;
  while (isDigit(s[i])) i++;
  const whole = s.slice(0, i);
  if (i === s.length) return i === 0 ? undefined : fromNumber(whole, 0);

  let fraction: string | undefined;
  if (s[i] === '.') {
    const start = ++i;
    while (isDigit(s[i])) i++;
    fraction = s.slice(start, i);
    // "1." and "1.5" with nothing after: CLN's splitter only accepts a bare fraction if it has
    // digits, and then there is no suffix, so neither can be a btc amount: both invalid below.
    if (i === s.length) return undefined;
  }
  const suffix = s.slice(i);

  if (fraction === undefined && suffix.startsWith('msat')) return fromNumber(whole, 0);
  if (fraction === undefined && suffix.startsWith('sat')) return fromNumber(whole, 3);
  if (suffix.startsWith('btc')) {
    if (fraction === undefined || fraction.length === 0) return fromNumber(whole, 11);
    if (fraction.length > 11) return undefined;
    const a = fromNumber(whole, 11);
    const b = fromNumber(fraction, 11 - fraction.length);
    if (a === undefined || b === undefined) return undefined;
    return a + b > U64_MAX ? undefined : a + b;
  }
  return undefined;
}

/** CLN's message form of an amount: "<n>msat". */
export function fmtMsat(v: bigint): string {
  return `${v}msat`;
}
