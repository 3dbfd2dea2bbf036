// listpays (xpay's, spec §2.7): forward the filters to listsendpays, then merge the parts of each
// (payment_hash, groupid) into one entry, in first-seen order, with xpay's key order and rules.
import { JSONRPC2_INVALID_PARAMS, RpcError, failWith, type Outcome } from '../rpc/errors.js';
import { tokenFromValue } from '../rpc/json-write.js';
import { parseParams, type ParamContext } from '../rpc/params.js';
import type { JsonObjectOut } from './format.js';
import { planListsendpays, type InvstringDecoder, type ListsendpaysPlan } from './listsendpays.js';
import { LISTSENDPAYS_PARAMS, type ListpaysParams } from './params.js';
import type { PaymentRow } from './types.js';

/**
 * The listsendpays call listpays makes, checked and planned exactly as that call would be (its
 * errors are forwarded verbatim). start/limit are forwarded only together with index.
 */
export function planListpays(p: ListpaysParams, decode: InvstringDecoder, pctx?: ParamContext): Outcome<ListsendpaysPlan> {
  if (p.start !== 0n && p.index === undefined) {
    return failWith(new RpcError(JSONRPC2_INVALID_PARAMS, 'Can only specify {start} with {index}'));
  }
  if (p.limit !== undefined && p.index === undefined) {
    return failWith(new RpcError(JSONRPC2_INVALID_PARAMS, 'Can only specify {limit} with {index}'));
  }
  const forwarded: Record<string, string | bigint | number> = {};
  if (p.bolt11 !== undefined) forwarded['bolt11'] = p.bolt11;
  if (p.payment_hash !== undefined) forwarded['payment_hash'] = p.payment_hash;
  if (p.status !== undefined) forwarded['status'] = p.status;
  if (p.index !== undefined) {
    forwarded['index'] = p.index;
    forwarded['start'] = p.start;
    if (p.limit !== undefined) forwarded['limit'] = p.limit;
  }
  const parsed = parseParams(LISTSENDPAYS_PARAMS, tokenFromValue(forwarded), pctx);
  if (!parsed.ok) return parsed;
  return planListsendpays(parsed.value, decode);
}

export type ListpaysEntry = JsonObjectOut;
export type ListpaysResult = { readonly pays: ListpaysEntry[] };

type Group = {
  readonly first: PaymentRow;
  invstring?: string;
  description?: string;
  complete: boolean;
  pending: boolean;
  preimage?: string;
  nonfailed: number;
  sent: bigint;
  /** Sum of delivered amounts; undefined once a counted part has none. */
  amount?: bigint;
  completedAt?: number;
  createdIndex: bigint;
  updatedIndex: bigint;
};

/**
 * Merge listsendpays rows (in the order listsendpays returned them). `invstring` is listpays' own
 * bolt11 parameter, which xpay uses for every group whose rows carry no invoice string.
 */
export function groupListpays(rows: readonly PaymentRow[], invstring?: string): ListpaysResult {
  const groups = new Map<string, Group>();
  for (const r of rows) {
    const key = `${r.payment_hash}/${r.groupid}`;
    let g = groups.get(key);
    const inv = r.invstring ?? invstring;
    if (g === undefined) {
      g = {
        first: r,
        complete: false,
        pending: false,
        nonfailed: 0,
        sent: 0n,
        amount: 0n,
        createdIndex: r.created_index,
        updatedIndex: r.updated_index,
        ...(inv === undefined ? {} : { invstring: inv }),
        ...(r.description === undefined ? {} : { description: r.description }),
      };
      groups.set(key, g);
    } else {
      if (g.invstring === undefined && inv !== undefined) g.invstring = inv;
      if (g.description === undefined && r.description !== undefined) g.description = r.description;
      // Lowest created_index never changes; highest updated_index shows any change.
      if (r.created_index < g.createdIndex) g.createdIndex = r.created_index;
      if (r.updated_index > g.updatedIndex) g.updatedIndex = r.updated_index;
    }
    if (r.status === 'failed') continue;
    g.sent += r.amount_sent_msat;
    // A part with no known delivered amount (0 is not output) makes the sum unknown.
    if (r.amount_msat === 0n) delete g.amount;
    else if (g.amount !== undefined) g.amount += r.amount_msat;
    g.nonfailed++;
    if (r.status === 'complete') {
      g.complete = true;
      if (r.payment_preimage !== undefined) g.preimage = r.payment_preimage;
      else delete g.preimage;
      if (r.completed_at !== undefined && (g.completedAt === undefined || r.completed_at < g.completedAt)) {
        g.completedAt = r.completed_at;
      }
    } else {
      g.pending = true;
    }
  }
  return { pays: [...groups.values()].map(entry) };
}

function entry(g: Group): ListpaysEntry {
  const o: ListpaysEntry = {};
  if (g.invstring !== undefined) o[g.invstring.startsWith('lni') ? 'bolt12' : 'bolt11'] = g.invstring;
  if (g.description !== undefined) o['description'] = g.description;
  if (g.first.destination !== undefined) o['destination'] = g.first.destination;
  o['payment_hash'] = g.first.payment_hash;
  o['status'] = g.complete ? 'complete' : g.pending ? 'pending' : 'failed';
  o['created_at'] = g.first.created_at;
  if (g.completedAt !== undefined) o['completed_at'] = g.completedAt;
  if (g.first.label !== undefined) o['label'] = g.first.label;
  if (g.preimage !== undefined) o['preimage'] = g.preimage;
  if (g.amount !== undefined && g.nonfailed > 0) o['amount_msat'] = g.amount;
  o['amount_sent_msat'] = g.sent;
  if (g.nonfailed > 1) o['number_of_parts'] = BigInt(g.nonfailed);
  o['created_index'] = g.createdIndex;
  if (g.updatedIndex !== 0n) o['updated_index'] = g.updatedIndex;
  return o;
}
