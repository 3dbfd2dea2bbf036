// listinvoices: Core Lightning's checks and selection. The runtime either looks up one invoice
// (by label or payment hash) or scans an index with invoicesStoreQuery, then runs selectInvoices
// over what it loaded and formats at `now`.
import { LightningError } from '../errors.js';
import { decodeInvoice } from '../invoice/index.js';
import { JSONRPC2_INVALID_PARAMS, fail, ok, type Outcome } from '../rpc/errors.js';
import { toHex } from '../util/bytes.js';
import { formatInvoice, type InvoiceObject } from './format.js';
import type { ListinvoicesParams } from './params.js';
import { u64Key, type InvoiceRecord } from './record.js';

export type ListinvoicesPlan =
  | { readonly kind: 'label'; readonly label: string }
  | { readonly kind: 'payment_hash'; readonly payment_hash: string }
  | {
      readonly kind: 'scan';
      /** created (also index=deleted, as Core Lightning's SQL falls back to it) or updated. */
      readonly order: 'created' | 'updated';
      readonly start: bigint;
      readonly limit?: number;
      /** Only invoices of this local offer: we issue none, so the scan returns nothing. */
      readonly offer_id?: string;
    };

const invalid = (message: string): Outcome<ListinvoicesPlan> => fail(JSONRPC2_INVALID_PARAMS, message);

/**
 * json_listinvoices' checks in its order. An invstring must decode as BOLT 11 (any network, like
 * Core Lightning's bolt11_decode without a chain); we issue no BOLT 12 invoices, so anything else
 * is "Invalid invstring".
 */
export function planListinvoices(p: ListinvoicesParams): Outcome<ListinvoicesPlan> {
  const given = [p.label, p.invstring, p.payment_hash, p.offer_id].filter((x) => x !== undefined).length;
  if (given > 1) return invalid('Can only specify one of {label}, {invstring}, {payment_hash} or {offer_id}');
  if (p.start !== 0n && p.index === undefined) return invalid('Can only specify {start} with {index}');
  if (p.limit !== undefined && p.index === undefined) return invalid('Can only specify {limit} with {index}');
  if (p.invstring !== undefined) {
    try {
      return ok({ kind: 'payment_hash', payment_hash: toHex(decodeInvoice(p.invstring).payment_hash) });
    } catch (e) {
      // Any decoder refusal: Core Lightning then tries BOLT 12, fails, and says just this.
      if (e instanceof LightningError) return invalid('Invalid invstring');
      throw e;
    }
  }
  if (p.label !== undefined) return ok({ kind: 'label', label: p.label.value });
  if (p.payment_hash !== undefined) return ok({ kind: 'payment_hash', payment_hash: p.payment_hash });
  return ok({
    kind: 'scan',
    order: p.index === 'updated' ? 'updated' : 'created',
    start: p.start,
    ...(p.limit === undefined ? {} : { limit: p.limit }),
    ...(p.offer_id === undefined ? {} : { offer_id: p.offer_id }),
  });
}

const cmp = (a: bigint, b: bigint): number => (a < b ? -1 : a > b ? 1 : 0);

/** Reference selection over loaded records (all of them, or what invoicesStoreQuery yielded). */
export function selectInvoices(plan: ListinvoicesPlan, records: readonly InvoiceRecord[]): InvoiceRecord[] {
  if (plan.kind === 'label') return records.filter((r) => r.label === plan.label).slice(0, 1);
  if (plan.kind === 'payment_hash') return records.filter((r) => r.payment_hash === plan.payment_hash).slice(0, 1);
  // Core Lightning applies the limit in SQL, then drops non-matching offers: with offer_id the
  // result is empty either way for us.
  if (plan.offer_id !== undefined) return [];
  const picked = records.filter((r) => (plan.order === 'created' ? r.created_index >= plan.start : r.updated_index > 0n && r.updated_index >= plan.start));
  picked.sort((a, b) => (plan.order === 'created' ? cmp(a.created_index, b.created_index) : cmp(a.updated_index, b.updated_index)));
  return plan.limit === undefined ? picked : picked.slice(0, plan.limit);
}

/** The index and key range over INVOICES_TABLE holding the plan's invoices, in order. */
export type InvoicesStoreQuery = {
  readonly index?: string;
  readonly lower?: string;
  readonly only?: string;
  readonly limit?: number;
};

export function invoicesStoreQuery(plan: ListinvoicesPlan): InvoicesStoreQuery {
  if (plan.kind === 'label') return { index: 'by_label', only: plan.label };
  if (plan.kind === 'payment_hash') return { index: 'by_payment_hash', only: plan.payment_hash };
  const limit = plan.limit === undefined ? {} : { limit: plan.limit };
  return plan.order === 'created' ? { lower: u64Key(plan.start), ...limit } : { index: 'by_updated', lower: u64Key(plan.start), ...limit };
}

export type ListinvoicesResult = { readonly invoices: InvoiceObject[] };

export function formatListinvoices(records: readonly InvoiceRecord[], now: number): ListinvoicesResult {
  return { invoices: records.map((r) => formatInvoice(r, now)) };
}
