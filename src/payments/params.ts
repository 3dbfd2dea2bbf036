// Parameter lists of the payment methods, in Core Lightning's positional order (spec §1). The
// runtime's method table uses these with rpc/params.ts; decisions receive the typed results.
import { failWith, ok } from '../rpc/errors.js';
import { badParam, devDef, opt, optDef, req, type ParamParser, type ParamsOf } from '../rpc/params.js';
import {
  paramBinFromHex,
  paramBool,
  paramEscapedString,
  paramIndex,
  paramInvstring,
  paramMsat,
  paramNumber,
  paramSecret,
  paramSha256,
  paramString,
  paramStringEnum,
  paramU32,
  paramU64,
  type PubkeyValidator,
} from '../rpc/parsers.js';
import { paramRoute } from './route-param.js';
import { PAYMENT_STATUSES } from './types.js';

/** listsendpays/delpay `status`; "invoice status" is CLN's wording (sic). */
export const paramPaymentStatus = paramStringEnum(PAYMENT_STATUSES, 'should be an invoice status');

export function sendpayParams(valid?: PubkeyValidator) {
  return [
    req('route', paramRoute(valid)),
    req('payment_hash', paramSha256),
    opt('label', paramEscapedString),
    opt('amount_msat', paramMsat),
    opt('bolt11', paramInvstring),
    opt('payment_secret', paramSecret),
    optDef('partid', paramU64, 0n),
    opt('localinvreqid', paramSha256),
    opt('groupid', paramU64),
    opt('payment_metadata', paramBinFromHex),
    opt('description', paramString),
    devDef('dev_legacy_hop', paramBool, false),
  ] as const;
}
export const SENDPAY_PARAMS = sendpayParams();
export type SendpayParams = ParamsOf<typeof SENDPAY_PARAMS>;

export const WAITSENDPAY_PARAMS = [
  req('payment_hash', paramSha256),
  opt('timeout', paramNumber),
  optDef('partid', paramU64, 0n),
  opt('groupid', paramU64),
] as const;
export type WaitsendpayParams = ParamsOf<typeof WAITSENDPAY_PARAMS>;

export const LISTSENDPAYS_PARAMS = [
  opt('bolt11', paramInvstring),
  opt('payment_hash', paramSha256),
  opt('status', paramPaymentStatus),
  opt('index', paramIndex),
  optDef('start', paramU64, 0n),
  opt('limit', paramU32),
] as const;
export type ListsendpaysParams = ParamsOf<typeof LISTSENDPAYS_PARAMS>;

/** delpay's status: pending is refused as a parameter error. */
const paramDelpayStatus: ParamParser<'complete' | 'failed'> = (tok, name, ctx) => {
  const r = paramPaymentStatus(tok, name, ctx);
  if (!r.ok) return r;
  if (r.value === 'pending') return failWith(badParam(name, 'Cannot delete pending status', tok, ctx));
  return ok(r.value);
};

export const DELPAY_PARAMS = [
  req('payment_hash', paramSha256),
  req('status', paramDelpayStatus),
  opt('partid', paramU64),
  opt('groupid', paramU64),
] as const;
export type DelpayParams = ParamsOf<typeof DELPAY_PARAMS>;

/** xpay's listpays: status/index are plain strings here, validated by the listsendpays it calls. */
export const LISTPAYS_PARAMS = [
  opt('bolt11', paramInvstring),
  opt('payment_hash', paramSha256),
  opt('status', paramString),
  opt('index', paramString),
  optDef('start', paramU64, 0n),
  opt('limit', paramU32),
] as const;
export type ListpaysParams = ParamsOf<typeof LISTPAYS_PARAMS>;

export const WAIT_SUBSYSTEMS = ['forwards', 'sendpays', 'invoices'] as const;
export type WaitSubsystem = (typeof WAIT_SUBSYSTEMS)[number];

export const WAIT_PARAMS = [
  req('subsystem', paramStringEnum(WAIT_SUBSYSTEMS, 'unknown subsystem')),
  req('indexname', paramIndex),
  req('nextvalue', paramU64),
] as const;
export type WaitParams = ParamsOf<typeof WAIT_PARAMS>;
