// Output objects in Core Lightning's exact key order and presence rules (spec §2.1, §2.5). JSON key
// order is visible to users (logs, diffs, naive parsers), so objects are built key by key in CLN's
// order and absent keys are never set (not even to undefined).
import type { JsonOut } from '../rpc/json-write.js';
import { toHex } from '../util/bytes.js';
import { PAY_UNPARSEABLE_ONION } from '../rpc/errors.js';
import { failcodeDisplay, failcodeName } from './failcodes.js';
import { formatScid } from './scid-text.js';
import type { PaymentRow, PaymentStatus } from './types.js';

export type PaymentObject = {
  readonly created_index: bigint;
  readonly id: bigint;
  readonly payment_hash: string;
  readonly groupid: bigint;
  readonly updated_index?: bigint;
  readonly partid?: bigint;
  readonly destination?: string;
  readonly amount_msat?: bigint;
  readonly amount_sent_msat: bigint;
  readonly created_at: number;
  readonly completed_at?: number;
  readonly status: PaymentStatus;
  readonly payment_preimage?: string;
  readonly label?: string;
  readonly bolt11?: string;
  readonly bolt12?: string;
  readonly description?: string;
  readonly erroronion?: string;
};

/** sendpay's pending answer: the monitor message first, then the payment object. */
export type PendingSendpayResult = { readonly message: string } & PaymentObject;

export const MONITOR_MESSAGE = 'Monitor status with listpays or waitsendpay';

/** An ordered JSON object under construction. */
export type JsonObjectOut = { [key: string]: JsonOut };

/** The payment object, in CLN's json_add_payment_fields order. */
export function formatPayment(r: PaymentRow): PaymentObject {
  const o: JsonObjectOut = {};
  o['created_index'] = r.created_index;
  o['id'] = r.created_index;
  o['payment_hash'] = r.payment_hash;
  o['groupid'] = r.groupid;
  if (r.updated_index !== 0n) o['updated_index'] = r.updated_index;
  if (r.partid !== 0n) o['partid'] = r.partid;
  if (r.destination !== undefined) o['destination'] = r.destination;
  // A zero delivered amount means "unknown" (e.g. an externally built onion): omitted.
  if (r.amount_msat > 0n) o['amount_msat'] = r.amount_msat;
  o['amount_sent_msat'] = r.amount_sent_msat;
  o['created_at'] = r.created_at;
  if (r.completed_at !== undefined) o['completed_at'] = r.completed_at;
  o['status'] = r.status;
  if (r.payment_preimage !== undefined) o['payment_preimage'] = r.payment_preimage;
  if (r.label !== undefined) o['label'] = r.label;
  if (r.invstring !== undefined) o[r.invstring.startsWith('lni') ? 'bolt12' : 'bolt11'] = r.invstring;
  if (r.description !== undefined) o['description'] = r.description;
  if (r.fail?.onionreply !== undefined) o['erroronion'] = toHex(r.fail.onionreply);
  // Built key by key above in the order of the PaymentObject type.
  return o as PaymentObject;
}

export function formatPendingSendpay(r: PaymentRow): PendingSendpayResult {
  return { message: MONITOR_MESSAGE, ...formatPayment(r) };
}

/** CLN's struct routing_failure. */
export type RoutingFailure = {
  readonly erring_index: number;
  readonly failcode: number;
  readonly erring_node?: string;
  readonly erring_channel?: bigint;
  /** Only meaningful with erring_channel. */
  readonly erring_direction?: number;
  readonly raw_message?: Uint8Array;
};

/** Routing-failure keys in CLN's json_add_routefail_info order, appended to `o`. */
export function addRoutingFailure(o: JsonObjectOut, f: RoutingFailure): void {
  o['erring_index'] = f.erring_index;
  o['failcode'] = f.failcode;
  const name = failcodeName(f.failcode);
  if (name !== undefined) o['failcodename'] = name;
  if (f.erring_node !== undefined) o['erring_node'] = f.erring_node;
  if (f.erring_channel !== undefined) {
    o['erring_channel'] = formatScid(f.erring_channel);
    o['erring_direction'] = f.erring_direction ?? 0;
  }
  if (f.raw_message !== undefined) o['raw_message'] = toHex(f.raw_message);
}

/**
 * `error.data` of a payment failure: the payment object (absent for immediate first-hop
 * failures), then `onionreply` for a 202 that has a reply onion, else the routing failure.
 */
export function failureData(
  row: PaymentRow | undefined,
  code: number,
  onionreply: Uint8Array | undefined,
  fail: RoutingFailure | undefined,
): JsonObjectOut {
  const o: JsonObjectOut = row === undefined ? {} : { ...formatPayment(row) };
  if (code === PAY_UNPARSEABLE_ONION && onionreply !== undefined) o['onionreply'] = toHex(onionreply);
  else if (fail !== undefined) addRoutingFailure(o, fail);
  return o;
}

/** "Malformed error reply" for 202, else "failed: NAME (detail)". */
export function failureMessage(code: number, failcode: number, detail: string | undefined): string {
  if (code === PAY_UNPARSEABLE_ONION) return 'Malformed error reply';
  // CLN formats a missing detail with printf's "%s" of NULL, which glibc renders as "(null)".
  return `failed: ${failcodeDisplay(failcode)} (${detail ?? '(null)'})`;
}

/** erring_direction / channel direction: 0 if `from` is the lexicographically smaller node id. */
export function nodeIdDirection(from: string, to: string): number {
  return from < to ? 0 : 1;
}
