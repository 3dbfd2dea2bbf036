// short_channel_id text as Core Lightning's RPC reads it (sendpay route hops, param_short_channel_id):
// the raw token text goes through short_channel_id_from_str, i.e. sscanf("%ux%ux%hu") plus 24-bit
// range checks on block and transaction. That is lenient in ways clients can rely on without
// knowing: whitespace and a sign before each number, trailing junk ("1x2x3/0" reads as 1x2x3, which
// is how "BxTxO/D" direction suffixes are accepted and discarded), C's truncation of %u to 32 and
// %hu to 16 bits. wire/'s parseScid stays strict for what peers send.
import { failWith, ok, type Outcome } from './errors.js';
import { tokenText, type JsonToken } from './json-parse.js';
import { badParam, type ParamContext, type ParamParser } from './params.js';
import type { Scid } from '../types.js';

const U64 = 1n << 64n;

function isCSpace(c: string | undefined): boolean {
  return c === ' ' || c === '\t' || c === '\n' || c === '\v' || c === '\f' || c === '\r';
}

/** One `%u`-style conversion: [value truncated to `bits`, next index], or undefined if no digits. */
function scanUnsigned(s: string, from: number, bits: bigint): [bigint, number] | undefined {
  let i = from;
  while (isCSpace(s[i])) i++;
  const negative = s[i] === '-';
  if (s[i] === '+' || s[i] === '-') i++;
  const start = i;
  while (i < s.length && s[i]! >= '0' && s[i]! <= '9') i++;
  if (i === start) return undefined;
  // strtoul saturates at ULONG_MAX; a leading '-' negates modulo 2^64 unless saturated.
  let v = BigInt(s.slice(start, i));
  if (v >= U64) v = U64 - 1n;
  else if (negative) v = (U64 - v) % U64;
  return [v & ((1n << bits) - 1n), i];
}

/** short_channel_id_from_str: the u64 scid, or undefined when CLN would refuse the text. */
export function scidFromClnText(s: string): Scid | undefined {
  const block = scanUnsigned(s, 0, 32n);
  if (block === undefined || s[block[1]] !== 'x') return undefined;
  const tx = scanUnsigned(s, block[1] + 1, 32n);
  if (tx === undefined || s[tx[1]] !== 'x') return undefined;
  const out = scanUnsigned(s, tx[1] + 1, 16n);
  if (out === undefined) return undefined;
  if (block[0] > 0xffffffn || tx[0] > 0xffffffn) return undefined;
  return ((block[0] << 40n) | (tx[0] << 16n) | out[0]) as Scid;
}

/** "BLOCKxTXxOUT", as Core Lightning prints scids. */
export function scidText(s: Scid | bigint): string {
  return `${s >> 40n}x${(s >> 16n) & 0xffffffn}x${s & 0xffffn}`;
}

/** Parses one token as a short_channel_id, failing with `reason`. */
export function scidToken(tok: JsonToken, name: string, ctx: ParamContext, reason: string): Outcome<Scid> {
  const v = scidFromClnText(tokenText(tok));
  return v === undefined ? failWith(badParam(name, reason, tok, ctx)) : ok(v);
}

/** CLN's param_short_channel_id. */
export const paramShortChannelId: ParamParser<Scid> = (tok, name, ctx) => scidToken(tok, name, ctx, 'should be a short_channel_id of form NxNxN');
