// Core Lightning's invoice_check_payment: may this amount, with this secret, pay our invoice for
// this hash? Used for incoming HTLC sets (with total_msat as "the amount paid", BOLT 4) and, through
// localInvoiceFor, by the payments layer's self-payment (sendpay with an empty route), whose
// checkSelfPayInvoice states the same rules with the same messages.
import { fmtMsat } from '../rpc/msat.js';
import type { InvoiceRecord, InvoiceStatus } from './record.js';
import { effectiveStatus } from './status.js';

/** BOLT 11 feature bit 14: payment_secret compulsory. */
const PAYMENT_SECRET_COMPULSORY = 14;
/** Bit 8: var_onion_optin compulsory; Core Lightning requires the secret when it is set. */
const VAR_ONION_COMPULSORY = 8;

export function secretRequired(r: InvoiceRecord): boolean {
  return r.feature_bits.includes(VAR_ONION_COMPULSORY) || r.feature_bits.includes(PAYMENT_SECRET_COMPULSORY);
}

export type PaymentCheck = { readonly ok: true; readonly invoice: InvoiceRecord } | { readonly ok: false; readonly reason: string };

/**
 * In Core Lightning's order: unknown or not unpaid (BOLT 4: a paid hash MAY be treated as unknown),
 * missing secret when required, wrong secret, amount below the invoice's, amount above twice it.
 * `secret` is lowercase hex or undefined.
 */
export function checkInvoicePayment(
  paymentHash: string,
  invoice: InvoiceRecord | undefined,
  amount: bigint,
  secret: string | undefined,
  now: number,
): PaymentCheck {
  if (invoice === undefined) return { ok: false, reason: `Unknown invoice ${paymentHash}` };
  if (effectiveStatus(invoice, now) !== 'unpaid') return { ok: false, reason: `Already paid or expired invoice ${paymentHash}` };
  if (secret === undefined) {
    if (secretRequired(invoice)) return { ok: false, reason: `Attempt to pay ${paymentHash} without secret` };
  } else if (secret.toLowerCase() !== invoice.payment_secret) {
    return { ok: false, reason: `Attempt to pay ${paymentHash} with wrong payment_secret` };
  }
  if (invoice.amount_msat !== 'any') {
    if (amount < invoice.amount_msat) {
      return { ok: false, reason: `Attempt to pay ${paymentHash} with amount ${fmtMsat(amount)} < ${fmtMsat(invoice.amount_msat)}` };
    }
    const twice = invoice.amount_msat * 2n;
    // BOLT 4: "if the amount paid is more than twice the amount expected: SHOULD fail the HTLC".
    if (amount > twice) return { ok: false, reason: `Attempt to pay ${paymentHash} with amount ${fmtMsat(amount)} > ${fmtMsat(twice)}` };
  }
  return { ok: true, invoice };
}

/** The shape payments/self-pay.ts's checkSelfPayInvoice takes (its LocalInvoice), at `now`. */
export type SelfPayInvoice = {
  readonly status: InvoiceStatus;
  readonly amount_msat?: bigint;
  readonly payment_secret: string;
  readonly secret_required: boolean;
  readonly preimage: string;
};

export function localInvoiceFor(r: InvoiceRecord, now: number): SelfPayInvoice {
  return {
    status: effectiveStatus(r, now),
    ...(r.amount_msat === 'any' ? {} : { amount_msat: r.amount_msat }),
    payment_secret: r.payment_secret,
    secret_required: secretRequired(r),
    preimage: r.preimage,
  };
}
