// The payee's checks on one incoming HTLC whose onion says "final" (BOLT 4 "Requirements" of the
// payload reader for the final node, the final-node failure requirements, and Core Lightning's
// handle_localpay + invoice_check_payment). An accepted HTLC then joins its HTLC set (mpp.ts).
import { htlcFailure, type HtlcFailure } from '../forwarding/failure.js';
import { TLV_PAYMENT_METADATA } from '../onion/payload.js';
import { equalBytes, toHex } from '../util/bytes.js';
import { checkInvoicePayment } from './check-payment.js';
import { DEFAULT_CLTV_FINAL } from './params.js';
import type { InvoiceRecord } from './record.js';

export interface FinalHtlc {
  readonly payment_hash: string;
  readonly amount_msat: bigint;
  readonly cltv_expiry: number;
}

/** The peeled final payload (onion HopPayload fields). */
export interface FinalPayload {
  readonly amt_to_forward: bigint;
  readonly outgoing_cltv_value: number;
  readonly payment_data?: { readonly payment_secret: Uint8Array; readonly total_msat: bigint };
  readonly payment_metadata?: Uint8Array;
}

export interface FinalHopInput {
  readonly htlc: FinalHtlc;
  readonly payload: FinalPayload;
  /** Our invoice with htlc.payment_hash, if any. */
  readonly invoice: InvoiceRecord | undefined;
  readonly block_height: number;
  /** Unix seconds (invoice expiry). */
  readonly now: number;
}

export type FinalHopDecision =
  | {
      readonly ok: true;
      readonly invoice: InvoiceRecord;
      /** What the HTLC set needs (mpp.ts addPart). */
      readonly payment_hash: string;
      readonly payment_secret: string | undefined;
      readonly total_msat: bigint;
    }
  | { readonly ok: false; readonly failure: HtlcFailure; readonly reason: string };

/** incorrect_or_unknown_payment_details with the HTLC's amount and our block height. */
export function unknownPaymentDetails(htlcMsat: bigint, height: number): HtlcFailure {
  return htlcFailure('incorrect_or_unknown_payment_details', { htlc_msat: htlcMsat, height });
}

export function checkFinalHop(i: FinalHopInput): FinalHopDecision {
  const { htlc, payload } = i;
  const refuse = (failure: HtlcFailure, reason: string): FinalHopDecision => ({ ok: false, failure, reason });
  const unknown = (reason: string): FinalHopDecision => refuse(unknownPaymentDetails(htlc.amount_msat, i.block_height), reason);

  // BOLT 4, final node: "MUST return an error if: incoming amount_msat < amt_to_forward" —
  // final_incorrect_htlc_amount ("The amount in the HTLC is less than the value in the onion").
  if (htlc.amount_msat < payload.amt_to_forward) {
    return refuse(htlcFailure('final_incorrect_htlc_amount', { incoming_htlc_amt: htlc.amount_msat }), `amount ${htlc.amount_msat} < ${payload.amt_to_forward}`);
  }
  // "incoming cltv_expiry < outgoing_cltv_value" — final_incorrect_cltv_expiry.
  if (htlc.cltv_expiry < payload.outgoing_cltv_value) {
    return refuse(htlcFailure('final_incorrect_cltv_expiry', { cltv_expiry: htlc.cltv_expiry }), `cltv ${htlc.cltv_expiry} < ${payload.outgoing_cltv_value}`);
  }
  // "incoming cltv_expiry < current_block_height + min_final_cltv_expiry_delta" — the expiry is
  // "unreasonably near the present": incorrect_or_unknown_payment_details. The delta is the one
  // our invoice asked for (its `c`), the default for hashes we do not know.
  const minFinal = i.invoice?.min_final_cltv_expiry ?? DEFAULT_CLTV_FINAL;
  if (htlc.cltv_expiry < i.block_height + minFinal) return unknown(`cltv ${htlc.cltv_expiry} < ${i.block_height} + ${minFinal}`);

  // "MUST treat total_msat as if it were equal to amt_to_forward if it is not present"; the
  // invoice checks use it as "the amount paid" (Basic Multi-Part Payments).
  const total = payload.payment_data?.total_msat ?? payload.amt_to_forward;
  const secret = payload.payment_data === undefined ? undefined : toHex(payload.payment_data.payment_secret);
  // Unknown hash, paid or expired, missing/wrong secret, amount < invoice or > 2× invoice: all
  // incorrect_or_unknown_payment_details, so a probing hop learns nothing.
  const check = checkInvoicePayment(htlc.payment_hash, i.invoice, total, secret, i.now);
  if (!check.ok) return unknown(check.reason);
  const invoice = check.invoice;

  if (invoice.payment_metadata !== undefined) {
    // "incorrect_or_unknown_payment_details ... or payment_metadata isn't present while it should be".
    if (payload.payment_metadata === undefined || !equalBytes(payload.payment_metadata, invoice.payment_metadata)) {
      return unknown('payment_metadata missing or different');
    }
  } else if (payload.payment_metadata !== undefined) {
    // Core Lightning refuses metadata it did not ask for as an onion payload it does not
    // understand (offset 0: it does not locate the record either).
    return refuse(htlcFailure('invalid_onion_payload', { type: TLV_PAYMENT_METADATA, offset: 0 }), 'unexpected payment_metadata');
  }
  return { ok: true, invoice, payment_hash: htlc.payment_hash, payment_secret: secret, total_msat: total };
}
