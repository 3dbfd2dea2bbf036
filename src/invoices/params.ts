// Parameters of invoice, listinvoices and delinvoice with Core Lightning's parsers, reasons and
// positional order (lightningd/invoice.c).
import { failWith, ok } from '../rpc/errors.js';
import { tokenText, type JsonArrayToken, type JsonToken } from '../rpc/json-parse.js';
import { parseAmountMsat } from '../rpc/msat.js';
import { badParam, opt, optDef, req, type ParamParser, type ParamsOf } from '../rpc/params.js';
import { paramBool, paramEscapedString, paramIndex, paramInvstring, paramNumber, paramSha256, paramString, paramU32, paramU64 } from '../rpc/parsers.js';
import { paramShortChannelId, scidToken } from '../rpc/scid-text.js';
import type { Scid } from '../types.js';
import { isHex } from '../util/bytes.js';

/** A label: the decoded string, and the text as written (Core Lightning measures and quotes that). */
export interface Label {
  readonly value: string;
  readonly raw: string;
}

/**
 * param_label: a JSON string, or a number literal made of digits only, which becomes its text
 * (so label 25 and label "25" are the same invoice). We key invoices by the decoded string: JS
 * callers get back exactly the label they passed.
 */
export const paramLabel: ParamParser<Label> = (tok, name, ctx) => {
  if (tok.type === 'string') return ok({ value: tok.value, raw: tok.raw });
  if (tok.type === 'number' && /^[0-9]+$/.test(tok.full)) return ok({ value: tok.full, raw: tok.full });
  return failWith(badParam(name, 'should be a string or number', tok, ctx));
};

/** param_positive_msat_or_any: the JSON string "any", or a non-zero msat amount. */
export const paramPositiveMsatOrAny: ParamParser<bigint | 'any'> = (tok, name, ctx) => {
  if (tok.type === 'string' && tok.raw === 'any') return ok('any');
  const v = parseAmountMsat(tokenText(tok));
  return v !== undefined && v !== 0n ? ok(v) : failWith(badParam(name, "should be positive msat or 'any'", tok, ctx));
};

/** param_preimage: exactly 64 hex digits. Core Lightning names it "preimage" whatever the call. */
export const paramPreimage: ParamParser<string> = (tok, _name, ctx) => {
  const t = tokenText(tok);
  return isHex(t, 32) ? ok(t.toLowerCase()) : failWith(badParam('preimage', 'should be 64 hex digits', tok, ctx));
};

/** param_array. */
export const paramArray: ParamParser<JsonArrayToken> = (tok, name, ctx) =>
  tok.type === 'array' ? ok(tok) : failWith(badParam(name, 'should be an array', tok, ctx));

/** exposeprivatechannels as parsed: `hints` undefined = consider every channel. */
export interface ChanHints {
  readonly expose_all_private: boolean;
  readonly hints?: readonly Scid[];
}

/** param_chanhints: true/false, an array of short_channel_ids, or one short_channel_id. */
export const paramChanhints: ParamParser<ChanHints> = (tok: JsonToken, name, ctx) => {
  if (tok.type === 'boolean') return ok({ expose_all_private: tok.value });
  if (tok.type === 'array') {
    const hints: Scid[] = [];
    for (const t of tok.items) {
      const s = scidToken(t, name, ctx, 'should be a short channel id');
      if (!s.ok) return s;
      hints.push(s.value);
    }
    return ok({ expose_all_private: true, hints });
  }
  const one = paramShortChannelId(tok, name, ctx);
  return one.ok ? ok({ expose_all_private: true, hints: [one.value] }) : one;
};

/** Core Lightning's --cltv-final default, and BOLT 11's default for a missing `c` field. */
export const DEFAULT_CLTV_FINAL = 18;
/** One week, Core Lightning's default invoice expiry. */
export const DEFAULT_INVOICE_EXPIRY = 604800n;

export const INVOICE_PARAMS = [
  req('amount_msat', paramPositiveMsatOrAny),
  req('label', paramLabel),
  req('description', paramEscapedString),
  optDef('expiry', paramU64, DEFAULT_INVOICE_EXPIRY),
  opt('fallbacks', paramArray),
  opt('preimage', paramPreimage),
  opt('exposeprivatechannels', paramChanhints),
  optDef('cltv', paramNumber, DEFAULT_CLTV_FINAL),
  optDef('deschashonly', paramBool, false),
] as const;
export type InvoiceParams = ParamsOf<typeof INVOICE_PARAMS>;

export const LISTINVOICES_PARAMS = [
  opt('label', paramLabel),
  opt('invstring', paramInvstring),
  opt('payment_hash', paramSha256),
  opt('offer_id', paramSha256),
  opt('index', paramIndex),
  optDef('start', paramU64, 0n),
  opt('limit', paramU32),
] as const;
export type ListinvoicesParams = ParamsOf<typeof LISTINVOICES_PARAMS>;

export const DELINVOICE_PARAMS = [req('label', paramLabel), req('status', paramString), optDef('desconly', paramBool, false)] as const;
export type DelinvoiceParams = ParamsOf<typeof DELINVOICE_PARAMS>;
