// The invoice object of listinvoices / delinvoice / waitinvoice (Core Lightning's
// json_add_invoice_fields): field order and presence rules, status computed at `now`.
import type { InvoiceRecord } from './record.js';
import { effectiveStatus } from './status.js';

export type InvoiceObject = {
  readonly label: string;
  readonly bolt11: string;
  readonly payment_hash: string;
  readonly amount_msat?: bigint;
  readonly status: 'unpaid' | 'paid' | 'expired';
  readonly pay_index?: bigint;
  readonly amount_received_msat?: bigint;
  readonly paid_at?: number;
  readonly payment_preimage?: string;
  readonly description?: string;
  readonly expires_at: number;
  readonly created_index: bigint;
  readonly updated_index?: bigint;
};

export function formatInvoice(r: InvoiceRecord, now: number): InvoiceObject {
  const status = effectiveStatus(r, now);
  return {
    label: r.label,
    bolt11: r.bolt11,
    payment_hash: r.payment_hash,
    ...(r.amount_msat === 'any' ? {} : { amount_msat: r.amount_msat }),
    status,
    ...(status === 'paid'
      ? {
          pay_index: r.pay_index ?? 0n,
          amount_received_msat: r.amount_received_msat ?? 0n,
          paid_at: r.paid_at ?? 0,
          payment_preimage: r.preimage,
        }
      : {}),
    ...(r.description === undefined ? {} : { description: r.description }),
    expires_at: r.expires_at,
    created_index: r.created_index,
    ...(r.updated_index > 0n ? { updated_index: r.updated_index } : {}),
  };
}
