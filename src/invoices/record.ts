// The stored invoice (Core Lightning's `invoices` row) and its table layout. The runtime keeps the
// counters (the `invoices` wait indexes plus next pay_index) in the same store transaction as the
// records our decisions return.
import { u64Key } from '../forwarding/record.js';

export type InvoiceStatus = 'unpaid' | 'paid' | 'expired';

export type InvoiceRecord = {
  readonly label: string;
  readonly bolt11: string;
  /** Lowercase hex. */
  readonly payment_hash: string;
  readonly payment_secret: string;
  readonly preimage: string;
  readonly amount_msat: bigint | 'any';
  /** Removed by `delinvoice … desconly`. */
  readonly description?: string;
  /** Unix seconds; the invoice is expired from this second on (Core Lightning: expiry_time <= now). */
  readonly expires_at: number;
  /**
   * Stored state. An unpaid invoice past expires_at reads as expired (effectiveStatus) whether or
   * not expireDue has written 'expired' yet.
   */
  readonly status: InvoiceStatus;
  readonly created_index: bigint;
  /** 0n until the first change (listinvoices then omits it). */
  readonly updated_index: bigint;
  readonly created_key: string;
  /** Absent until updated: never-updated invoices stay out of the updated index. */
  readonly updated_key?: string;
  readonly paid_at?: number;
  readonly amount_received_msat?: bigint;
  readonly pay_index?: bigint;
  readonly pay_key?: string;
  /** The invoice's `c` field. */
  readonly min_final_cltv_expiry: number;
  readonly payment_metadata?: Uint8Array;
  /** BOLT 11 feature bits of the invoice (payment_secret is compulsory in ours). */
  readonly feature_bits: number[];
  readonly created_at: number;
};

/** The `invoices` wait indexes and the last pay_index handed out (pay_index starts at 1). */
export type InvoiceCounters = {
  readonly created: bigint;
  readonly updated: bigint;
  readonly deleted: bigint;
  readonly pay_index: bigint;
};

export const ZERO_INVOICE_COUNTERS: InvoiceCounters = { created: 0n, updated: 0n, deleted: 0n, pay_index: 0n };

/** One increment of an `invoices` wait index with the details Core Lightning's `wait` reports. */
export type InvoiceIndexBump = {
  readonly subsystem: 'invoices';
  readonly index: 'created' | 'updated' | 'deleted';
  readonly value: bigint;
  readonly details: {
    readonly status?: InvoiceStatus;
    readonly label?: string;
    readonly bolt11?: string;
    readonly description?: string;
  };
};

/**
 * Suggested table (structurally a store TableSpec; invoices does not import store/). Primary key =
 * created_key (creation order, Core Lightning's id). Indexes: by_label and by_payment_hash
 * (unique: the 900/901 errors), by_updated (sparse), by_pay_index (sparse, paid invoices in payment
 * order for waitanyinvoice).
 */
export const INVOICES_TABLE = {
  name: 'invoices',
  keyPath: 'created_key',
  indexes: [
    { name: 'by_label', keyPath: 'label', unique: true },
    { name: 'by_payment_hash', keyPath: 'payment_hash', unique: true },
    { name: 'by_updated', keyPath: 'updated_key' },
    { name: 'by_pay_index', keyPath: 'pay_key' },
  ],
} as const;

export { u64Key };

/** The record after a change: next `updated` counter value, key mirror refreshed. */
export function withUpdate(r: InvoiceRecord, changes: Partial<InvoiceRecord>, counters: InvoiceCounters): { record: InvoiceRecord; counters: InvoiceCounters } {
  const updated = counters.updated + 1n;
  return { record: { ...r, ...changes, updated_index: updated, updated_key: u64Key(updated) }, counters: { ...counters, updated } };
}
