// short_channel_id text as sendpay reads it. Core Lightning parses route hop channels with
// sscanf("%ux%ux%hu") followed by 24/24-bit range checks, which is lenient in ways users can rely
// on without knowing: leading whitespace before each number, a '+' sign, trailing junk (which is
// also how "BxTxO/D" direction suffixes are accepted and discarded), and C's modular truncation of
// %u to 32 bits and %hu to 16 bits. wire/'s parser is strict (it validates what peers send); this
// one reproduces CLN's RPC leniency on purpose.

const U64 = 1n << 64n;

function isSpace(c: string | undefined): boolean {
  return c === ' ' || c === '\t' || c === '\n' || c === '\v' || c === '\f' || c === '\r';
}

/** One glibc `%u` conversion at `pos`: [value mod 2^bits, next position] or undefined (no match). */
function scanUnsigned(s: string, pos: number, bits: bigint): [bigint, number] | undefined {
  let i = pos;
  while (isSpace(s[i])) i++;
  let negative = false;
  if (s[i] === '+' || s[i] === '-') {
    negative = s[i] === '-';
    i++;
  }
  const start = i;
  while (i < s.length && s[i]! >= '0' && s[i]! <= '9') i++;
  if (i === start) return undefined;
  // strtoul: magnitude saturates at ULONG_MAX (64-bit); a '-' negates modulo 2^64 unless saturated.
  let v = BigInt(s.slice(start, i));
  if (v >= U64) v = U64 - 1n;
  else if (negative) v = (U64 - v) % U64;
  return [v & ((1n << bits) - 1n), i];
}

/** Parse like CLN's short_channel_id_from_str; returns the u64 scid or undefined. */
export function parseScidLenient(s: string): bigint | undefined {
  const block = scanUnsigned(s, 0, 32n);
  if (block === undefined || s[block[1]] !== 'x') return undefined;
  const tx = scanUnsigned(s, block[1] + 1, 32n);
  if (tx === undefined || s[tx[1]] !== 'x') return undefined;
  const out = scanUnsigned(s, tx[1] + 1, 16n);
  if (out === undefined) return undefined;
  if (block[0] > 0xffffffn || tx[0] > 0xffffffn) return undefined;
  return (block[0] << 40n) | (tx[0] << 16n) | out[0];
}

/** "BLOCKxTXxOUT", as CLN prints scids. */
export function formatScid(scid: bigint): string {
  return `${scid >> 40n}x${(scid >> 16n) & 0xffffffn}x${scid & 0xffffn}`;
}
