// Row construction and the storage layout the runtime should give the payments table. Keys are
// strings because IndexedDB cannot index bigint; 20-digit zero padding makes lexical order equal
// numeric order for every u64, so range queries on them behave like CLN's SQL on integers.
import type { AttemptId, PaymentRow, PaymentStatus } from './types.js';

/** u64 → 20-digit zero-padded decimal (lexical order = numeric order). */
export function u64Key(n: bigint): string {
  return n.toString().padStart(20, '0');
}

/** Unique text key of an attempt, e.g. for maps of waiters. */
export function attemptKey(a: AttemptId): string {
  return `${a.payment_hash}/${a.partid}/${a.groupid}`;
}

export type RowFields = Omit<PaymentRow, 'created_key' | 'updated_key' | 'partid_key' | 'groupid_key'>;

/** Fill the key mirrors from the bigint fields (call after every change of those fields). */
export function withKeys(r: RowFields): PaymentRow {
  return {
    ...r,
    created_key: u64Key(r.created_index),
    updated_key: u64Key(r.updated_index),
    partid_key: u64Key(r.partid),
    groupid_key: u64Key(r.groupid),
  };
}

/** A row after a status change: new status, updated_index and completed_at. */
export function withStatus(r: PaymentRow, status: PaymentStatus, updated_index: bigint, completed_at: number): PaymentRow {
  // The stale key mirrors carried in by the spread are recomputed by withKeys.
  return withKeys({ ...r, status, updated_index, completed_at });
}

/** Rows for one hash in CLN's iteration order (id = created_index ascending). */
export function byCreated(rows: readonly PaymentRow[]): PaymentRow[] {
  return [...rows].sort((a, b) => (a.created_index < b.created_index ? -1 : a.created_index > b.created_index ? 1 : 0));
}

/**
 * Suggested table layout (structurally a store TableSpec; payments does not import store/).
 * Primary key = created_key (unique, creation order). Indexes:
 *  - by_attempt (unique): the (payment_hash, partid, groupid) identity;
 *  - by_hash: rows of one hash in created order (sendpay scan, waitsendpay, listsendpays by hash);
 *  - by_updated: updated order; never-updated rows have updated_key "000…0" and sort first;
 *  - by_status_created / by_status_updated: listsendpays with a status filter;
 *  - by_invreq: rows per local invoice_request (sparse: rows without one are not indexed).
 */
export const PAYMENTS_TABLE = {
  name: 'payments',
  keyPath: 'created_key',
  indexes: [
    { name: 'by_attempt', keyPath: ['payment_hash', 'partid_key', 'groupid_key'], unique: true },
    { name: 'by_hash', keyPath: ['payment_hash', 'created_key'] },
    { name: 'by_updated', keyPath: ['updated_key', 'created_key'] },
    { name: 'by_status_created', keyPath: ['status', 'created_key'] },
    { name: 'by_status_updated', keyPath: ['status', 'updated_key', 'created_key'] },
    { name: 'by_invreq', keyPath: ['local_invreq_id', 'created_key'] },
  ],
} as const;
