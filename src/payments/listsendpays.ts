// listsendpays (spec §1.3, §3.3, L-1…L-5) as a query plan: the runtime runs it against the
// store's indexes (storeQueryFor gives the index and key range), tests run it in memory.
import { JSONRPC2_INVALID_PARAMS, RpcError, failWith, ok, type Outcome } from '../rpc/errors.js';
import { formatPayment, type PaymentObject } from './format.js';
import type { ListsendpaysParams } from './params.js';
import { byCreated, u64Key } from './row.js';
import type { PaymentRow, PaymentStatus } from './types.js';

/**
 * Decodes a (canonical) invoice string to its payment hash: BOLT 11 for our chain, else BOLT 12
 * invoice. `reason` is the decoder's failure text (CLN reports the BOLT 12 attempt's).
 */
export type InvstringDecoder = (
  invstring: string,
) => { readonly ok: true; readonly payment_hash: string } | { readonly ok: false; readonly reason: string };

export type ListsendpaysPlan =
  /** All rows of one hash in created order; status/index/limit do not apply (L-1). */
  | { readonly kind: 'hash'; readonly payment_hash: string }
  | {
      readonly kind: 'scan';
      readonly status?: PaymentStatus;
      /** created (also for index=deleted) or updated order. */
      readonly order: 'created' | 'updated';
      /** Lowest created_index / updated_index to include. */
      readonly start: bigint;
      readonly limit?: number;
    };

const invalid = (message: string): Outcome<ListsendpaysPlan> => failWith(new RpcError(JSONRPC2_INVALID_PARAMS, message));

export function planListsendpays(p: ListsendpaysParams, decode: InvstringDecoder): Outcome<ListsendpaysPlan> {
  if (p.payment_hash !== undefined && p.bolt11 !== undefined) return invalid('Can only specify one of {bolt11} or {payment_hash}');
  if (p.start !== 0n && p.index === undefined) return invalid('Can only specify {start} with {index}');
  if (p.limit !== undefined && p.index === undefined) return invalid('Can only specify {limit} with {index}');
  if ((p.payment_hash !== undefined || p.bolt11 !== undefined) && p.start !== 0n) {
    return invalid('Cannot use start with bolt11 or payment_hash');
  }
  if (p.bolt11 !== undefined) {
    const d = decode(p.bolt11);
    if (!d.ok) return invalid(`Invalid invstring: ${d.reason}`);
    return ok({ kind: 'hash', payment_hash: d.payment_hash.toLowerCase() });
  }
  if (p.payment_hash !== undefined) return ok({ kind: 'hash', payment_hash: p.payment_hash });
  return ok({
    kind: 'scan',
    order: p.index === 'updated' ? 'updated' : 'created',
    start: p.start,
    ...(p.status === undefined ? {} : { status: p.status }),
    ...(p.limit === undefined ? {} : { limit: p.limit }),
  });
}

function cmpBig(a: bigint, b: bigint): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Reference execution over every stored row. */
export function runListsendpaysPlan(plan: ListsendpaysPlan, all: readonly PaymentRow[]): PaymentRow[] {
  if (plan.kind === 'hash') return byCreated(all.filter((r) => r.payment_hash === plan.payment_hash));
  const picked = all.filter(
    (r) =>
      (plan.status === undefined || r.status === plan.status) &&
      (plan.order === 'created' ? r.created_index : r.updated_index) >= plan.start,
  );
  // In updated order, never-updated rows (updated_index 0) come first, then by creation.
  picked.sort((a, b) =>
    plan.order === 'created'
      ? cmpBig(a.created_index, b.created_index)
      : cmpBig(a.updated_index, b.updated_index) || cmpBig(a.created_index, b.created_index),
  );
  return plan.limit === undefined ? picked : picked.slice(0, plan.limit);
}

/** The index and key range (over PAYMENTS_TABLE) that yields the plan's rows in order. */
export type StoreQuery = {
  /** Index name; undefined = primary key (created_key). */
  readonly index?: string;
  readonly lower: string | string[];
  readonly upper?: string | string[];
  readonly limit?: number;
};

/** Upper bound for a padded-u64 key component (sorts after every 20-digit key). */
const KEY_MAX = '~';

export function storeQueryFor(plan: ListsendpaysPlan): StoreQuery {
  if (plan.kind === 'hash') return { index: 'by_hash', lower: [plan.payment_hash, ''], upper: [plan.payment_hash, KEY_MAX] };
  const start = u64Key(plan.start);
  const limit = plan.limit === undefined ? {} : { limit: plan.limit };
  if (plan.status === undefined) {
    return plan.order === 'created'
      ? { lower: start, ...limit }
      : { index: 'by_updated', lower: [start, ''], upper: [KEY_MAX, KEY_MAX], ...limit };
  }
  return plan.order === 'created'
    ? { index: 'by_status_created', lower: [plan.status, start], upper: [plan.status, KEY_MAX], ...limit }
    : { index: 'by_status_updated', lower: [plan.status, start, ''], upper: [plan.status, KEY_MAX, KEY_MAX], ...limit };
}

export type ListsendpaysResult = { readonly payments: PaymentObject[] };

export function formatListsendpays(rows: readonly PaymentRow[]): ListsendpaysResult {
  return { payments: rows.map(formatPayment) };
}
