// The paid transition (Core Lightning's invoices_resolve + notify_invoice_payment): status paid,
// the next pay_index, paid_at, amount_received_msat, a new updated_index, and the invoice_payment
// notification. Refused when the invoice is no longer unpaid at `now`: the runtime then fails the
// HTLC set with incorrect_or_unknown_payment_details (mpp.ts failParts).
import { withUpdate, u64Key, type InvoiceCounters, type InvoiceIndexBump, type InvoiceRecord } from './record.js';
import { effectiveStatus } from './status.js';

/** invoice_payment notification payload, Core Lightning's field order. */
export type InvoicePaymentNotification = { readonly msat: bigint; readonly preimage: string; readonly label: string };

export type PaidTransition =
  | {
      readonly ok: true;
      readonly record: InvoiceRecord;
      readonly counters: InvoiceCounters;
      readonly bump: InvoiceIndexBump;
      readonly notification: { readonly topic: 'invoice_payment'; readonly payload: InvoicePaymentNotification };
      /** The preimage to fulfill every HTLC of the set with. */
      readonly preimage: string;
    }
  | { readonly ok: false; readonly reason: string };

export function markInvoicePaid(r: InvoiceRecord, receivedMsat: bigint, now: number, counters: InvoiceCounters): PaidTransition {
  const status = effectiveStatus(r, now);
  if (status !== 'unpaid') return { ok: false, reason: `invoice '${r.label}' is ${status}` };
  const payIndex = counters.pay_index + 1n;
  const u = withUpdate(r, { status: 'paid', pay_index: payIndex, pay_key: u64Key(payIndex), paid_at: now, amount_received_msat: receivedMsat }, { ...counters, pay_index: payIndex });
  return {
    ok: true,
    record: u.record,
    counters: u.counters,
    bump: { subsystem: 'invoices', index: 'updated', value: u.counters.updated, details: { status: 'paid', label: r.label } },
    notification: { topic: 'invoice_payment', payload: { msat: receivedMsat, preimage: r.preimage, label: r.label } },
    preimage: r.preimage,
  };
}
