// delinvoice: Core Lightning's checks (905, 906 with data, 908) and the two outcomes: delete the
// invoice (deleted index bumped) or only drop its description (updated index bumped).
import { fail, ok, type Outcome } from '../rpc/errors.js';
import { INVOICE_NO_DESCRIPTION, INVOICE_NOT_FOUND, INVOICE_STATUS_UNEXPECTED } from './errors.js';
import { formatInvoice, type InvoiceObject } from './format.js';
import type { DelinvoiceParams } from './params.js';
import { withUpdate, type InvoiceCounters, type InvoiceIndexBump, type InvoiceRecord } from './record.js';
import { effectiveStatus } from './status.js';

export type DelinvoiceDecision =
  | { readonly kind: 'delete'; readonly record: InvoiceRecord }
  | { readonly kind: 'update'; readonly record: InvoiceRecord };

export interface DelinvoiceOutcome {
  /** Delete this record, or put the updated one. */
  readonly change: DelinvoiceDecision;
  readonly counters: InvoiceCounters;
  readonly bump: InvoiceIndexBump;
  readonly result: InvoiceObject;
}

/** `invoice` is the record with params.label, if any; `now` decides expiry (unix seconds). */
export function decideDelinvoice(p: DelinvoiceParams, invoice: InvoiceRecord | undefined, now: number, counters: InvoiceCounters): Outcome<DelinvoiceOutcome> {
  if (invoice === undefined) return fail(INVOICE_NOT_FOUND, 'Unknown invoice');
  const actual = effectiveStatus(invoice, now);
  if (actual !== p.status) {
    return fail(INVOICE_STATUS_UNEXPECTED, `Invoice status is ${actual} not ${p.status}`, { current_status: actual, expected_status: p.status });
  }
  if (p.desconly) {
    if (invoice.description === undefined) return fail(INVOICE_NO_DESCRIPTION, 'Invoice description already removed');
    const { description, ...rest } = invoice;
    const u = withUpdate(rest, {}, counters);
    // Quirk kept: Core Lightning answers with the details read before the update, minus the
    // description, so updated_index in the answer is the previous one.
    const { description: _dropped, ...before } = formatInvoice(invoice, now);
    return ok({
      change: { kind: 'update', record: u.record },
      counters: u.counters,
      bump: { subsystem: 'invoices', index: 'updated', value: u.counters.updated, details: { label: invoice.label, description } },
      result: before,
    });
  }
  const deleted = counters.deleted + 1n;
  return ok({
    change: { kind: 'delete', record: invoice },
    counters: { ...counters, deleted },
    bump: { subsystem: 'invoices', index: 'deleted', value: deleted, details: { status: actual, label: invoice.label, bolt11: invoice.bolt11 } },
    result: formatInvoice(invoice, now),
  });
}
