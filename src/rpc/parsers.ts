// Parameter parsers with Core Lightning's acceptance rules and reason strings. Like CLN they read
// the raw token text: numbers may arrive as JSON numbers or strings, hex is decoded from the text
// between the quotes (escapes are not processed, so an escaped hex digit is simply invalid).
import { isValidPubkey } from '../crypto/secp256k1.js';
import { stripLightningPrefix } from '../invoice/cln-decode.js';
import { U64_MAX } from '../types.js';
import { fromHex, isHex } from '../util/bytes.js';
import { ok, failWith, type Outcome } from './errors.js';
import { tokenText, type JsonToken } from './json-parse.js';
import { parseAmountMsat } from './msat.js';
import { badParam, type ParamContext, type ParamParser } from './params.js';

/** Unsigned decimal from raw text: ASCII digits only (no sign, point, exponent), ≤ max. */
export function parseUnsigned(text: string, max: bigint): bigint | undefined {
  if (text.length === 0 || !/^[0-9]+$/.test(text)) return undefined;
  const v = BigInt(text);
  return v <= max ? v : undefined;
}

/** A parser that maps the raw token text, failing with `reason` when `fn` returns undefined. */
export function textParser<T>(reason: string, fn: (text: string, tok: JsonToken) => T | undefined): ParamParser<T> {
  return (tok: JsonToken, name: string, ctx: ParamContext): Outcome<T> => {
    const v = fn(tokenText(tok), tok);
    return v === undefined ? failWith(badParam(name, reason, tok, ctx)) : ok(v);
  };
}

export const paramU64: ParamParser<bigint> = textParser('should be an unsigned 64 bit integer', (t) =>
  parseUnsigned(t, U64_MAX),
);

export const paramU32: ParamParser<number> = textParser('should be an unsigned 32 bit integer', (t) => {
  const v = parseUnsigned(t, 0xffffffffn);
  return v === undefined ? undefined : Number(v);
});

/** CLN's param_number: a u32 whose reason text is "should be an integer" (waitsendpay timeout). */
export const paramNumber: ParamParser<number> = textParser('should be an integer', (t) => {
  const v = parseUnsigned(t, 0xffffffffn);
  return v === undefined ? undefined : Number(v);
});

export const paramMsat: ParamParser<bigint> = textParser('should be a millisatoshi amount', parseAmountMsat);

function hex32(t: string): string | undefined {
  return isHex(t, 32) ? t.toLowerCase() : undefined;
}

/** 32-byte hex (payment_hash, localinvreqid), returned lowercase. */
export const paramSha256: ParamParser<string> = textParser('should be a 32 byte hex value', hex32);

/** 32-byte hex secret (payment_secret), returned lowercase. */
export const paramSecret: ParamParser<string> = textParser('should be a 32 byte hex value', hex32);

export type PubkeyValidator = (compressed33: Uint8Array) => boolean;

/** Valid 33-byte compressed point as lowercase hex (the curve check is crypto's). */
export function parseNodeIdText(t: string, valid: PubkeyValidator = isValidPubkey): string | undefined {
  if (!isHex(t, 33)) return undefined;
  return valid(fromHex(t)) ? t.toLowerCase() : undefined;
}

export function paramNodeId(valid: PubkeyValidator = isValidPubkey): ParamParser<string> {
  return textParser('should be a node id', (t) => parseNodeIdText(t, valid));
}

/**
 * CLN's param_escaped_string (sendpay `label`): a JSON string whose escapes are undone, except that
 * any \u escape is refused.
 */
export const paramEscapedString: ParamParser<string> = (tok, name, ctx) => {
  if (tok.type !== 'string' || hasUnicodeEscape(tok.raw)) {
    return failWith(badParam(name, 'should be a string (without \\u)', tok, ctx));
  }
  return ok(tok.value);
};

/** True if the raw string text contains a \u escape (an escaped backslash before 'u' is not one). */
function hasUnicodeEscape(raw: string): boolean {
  for (let i = 0; i < raw.length; i++) {
    if (raw[i] !== '\\') continue;
    if (raw[i + 1] === 'u') return true;
    i++; // skip the escaped character
  }
  return false;
}

/** A feerate as fundchannel and close take it: sat/kvB by default, NNNperkw, NNNperkb, or a named target. */
export type Feerate = { perkw: number } | { target: number };

/** Named feerates → the confirmation target (blocks) we ask the chain source's estimate for. */
const NAMED_FEERATE_TARGETS: Record<string, number> = { urgent: 2, normal: 6, slow: 100, minimum: 1008 };

export const paramFeerate: ParamParser<Feerate> = textParser('should be a feerate', (t) => {
  const named = NAMED_FEERATE_TARGETS[t];
  if (named !== undefined) return { target: named };
  const m = /^(\d+)(perkw|perkb)?$/.exec(t);
  if (!m) return undefined;
  const v = Number(m[1]);
  return { perkw: m[2] === 'perkw' ? v : Math.floor(v / 4) };
});

/**
 * CLN's param_string: the raw token text, never failing and never unescaped (a description sent as
 * "a\"b" is stored and echoed with its backslash, as CLN does).
 */
export const paramString: ParamParser<string> = (tok) => ok(tokenText(tok));

/**
 * CLN's to_canonical_invstr: strip a `lightning:` or `LIGHTNING:` scheme (only those two spellings,
 * as common/bolt11.c does; `Lightning:` stays and so fails to decode), then lowercase.
 */
export function canonicalInvstring(s: string): string {
  return stripLightningPrefix(s).toLowerCase();
}

/** CLN's param_invstring: raw text, canonicalised; never fails (decoding is the caller's job). */
export const paramInvstring: ParamParser<string> = (tok) => ok(canonicalInvstring(tokenText(tok)));

export const paramBool: ParamParser<boolean> = (tok, name, ctx) =>
  tok.type === 'boolean' ? ok(tok.value) : failWith(badParam(name, "should be 'true' or 'false'", tok, ctx));

/**
 * CLN's param_bin_from_hex has a bug that makes it never fail: undecodable hex yields "not given".
 * We reproduce it (users cannot tell otherwise): invalid hex → undefined, i.e. absent.
 */
export const paramBinFromHex: ParamParser<Uint8Array | undefined> = (tok) => {
  const t = tokenText(tok);
  return ok(isHex(t) ? fromHex(t) : undefined);
};

/** A string token equal to one of `names` (CLN's json_tok_streq: must be a JSON string). */
export function paramStringEnum<const T extends string>(names: readonly T[], reason: string): ParamParser<T> {
  return (tok, name, ctx) => {
    if (tok.type === 'string') {
      const hit = names.find((n) => n === tok.raw);
      if (hit !== undefined) return ok(hit);
    }
    return failWith(badParam(name, reason, tok, ctx));
  };
}

export type WaitIndexName = 'created' | 'updated' | 'deleted';
export const WAIT_INDEX_NAMES: readonly WaitIndexName[] = ['created', 'updated', 'deleted'];

/** `index` / `indexname`: created | updated | deleted, reason "unknown index". */
export const paramIndex: ParamParser<WaitIndexName> = paramStringEnum(WAIT_INDEX_NAMES, 'unknown index');
