// Payment to ourselves: sendpay with an empty route (spec S-1…S-7). A pending row is inserted, our
// own invoice is checked synchronously, and the row resolves at once. Per CLN PR #9517 (which we
// follow, unlike the spec's snapshot), replaying an already completed self-payment is an
// idempotent success returning the stored row instead of a 203 "Already paid or expired invoice".
import { PAY_DESTINATION_PERM_FAIL, PAY_RHASH_ALREADY_USED, RpcError, failWith, ok, type Outcome } from '../rpc/errors.js';
import { fmtMsat } from '../rpc/msat.js';
import { WIRE_INCORRECT_OR_UNKNOWN_PAYMENT_DETAILS } from './failcodes.js';
import { formatPayment, type PaymentObject } from './format.js';
import { resolveClassified, resolveSuccess, selfPayFailure, type Resolution, type ResolveContext } from './resolve.js';
import type { PaymentRow } from './types.js';

/** Our invoice for the hash, as the runtime's invoice store knows it. */
export type LocalInvoice = {
  /** 'expired' when still unpaid but past its expiry. */
  readonly status: 'unpaid' | 'paid' | 'expired';
  /** Requested amount; undefined for an "any amount" invoice. */
  readonly amount_msat?: bigint;
  readonly payment_secret: string;
  /** The invoice's features make payment_secret compulsory. */
  readonly secret_required: boolean;
  readonly preimage: string;
};

export type SelfPayCheck = { readonly ok: true; readonly preimage: string } | { readonly ok: false; readonly reason: string };

/** CLN's invoice_check_payment, in its order, with its messages. */
export function checkSelfPayInvoice(
  paymentHash: string,
  invoice: LocalInvoice | undefined,
  amount: bigint,
  secret: string | undefined,
): SelfPayCheck {
  if (invoice === undefined) return { ok: false, reason: `Unknown invoice ${paymentHash}` };
  if (invoice.status !== 'unpaid') return { ok: false, reason: `Already paid or expired invoice ${paymentHash}` };
  if (secret === undefined) {
    if (invoice.secret_required) return { ok: false, reason: `Attempt to pay ${paymentHash} without secret` };
  } else if (secret.toLowerCase() !== invoice.payment_secret.toLowerCase()) {
    return { ok: false, reason: `Attempt to pay ${paymentHash} with wrong payment_secret` };
  }
  if (invoice.amount_msat !== undefined) {
    if (amount < invoice.amount_msat) {
      return { ok: false, reason: `Attempt to pay ${paymentHash} with amount ${fmtMsat(amount)} < ${fmtMsat(invoice.amount_msat)}` };
    }
    const twice = invoice.amount_msat * 2n;
    if (amount > twice) {
      return { ok: false, reason: `Attempt to pay ${paymentHash} with amount ${fmtMsat(amount)} > ${fmtMsat(twice)}` };
    }
  }
  return { ok: true, preimage: invoice.preimage };
}

export type SelfPayCompletion = Resolution & {
  /** sendpay's own answer (differs from what waiters/notifications get, see below). */
  readonly response: Outcome<PaymentObject>;
  /** On success: the invoice the runtime must mark paid with this amount. */
  readonly invoice_paid?: { readonly payment_hash: string; readonly amount_msat: bigint };
};

/** Resolve the pending self-payment row with the invoice check's result. */
export function completeSelfPay(pending: PaymentRow, check: SelfPayCheck, ctx: ResolveContext): SelfPayCompletion {
  if (check.ok) {
    const r = resolveSuccess(pending, check.preimage, ctx);
    // Quirk: sendpay echoes its in-memory row (complete, preimage) without completed_at or
    // updated_index, although the stored row and the notification have both.
    const echoed = formatPayment({ ...pending, status: 'complete', payment_preimage: check.preimage.toLowerCase() });
    return { ...r, response: ok(echoed), invoice_paid: { payment_hash: pending.payment_hash, amount_msat: pending.amount_msat } };
  }
  const r = resolveClassified(pending, selfPayFailure(check.reason, ctx.own_node_id, WIRE_INCORRECT_OR_UNKNOWN_PAYMENT_DETAILS), ctx);
  // sendpay answers with the bare reason; waiters and the notification get "failed: NAME (reason)".
  const data = r.answer.ok ? undefined : r.answer.error.data;
  return { ...r, response: failWith(new RpcError(PAY_DESTINATION_PERM_FAIL, check.reason, data)) };
}

/**
 * Before inserting: an earlier self-payment of this hash that completed is replayed (PR #9517);
 * an explicit groupid colliding with an existing part-0 row gets CLN's unique-key 201 (S-6).
 * Returns undefined when a new attempt may be inserted.
 */
export function selfPayPrecheck(
  rows: readonly PaymentRow[],
  paymentHash: string,
  amount: bigint,
  groupid: bigint,
  ownNodeId: string,
): Outcome<PaymentObject> | undefined {
  const done = rows.find((r) => r.status === 'complete' && r.partid === 0n);
  if (done !== undefined) {
    if (done.amount_msat !== amount) {
      return failWith(
        new RpcError(PAY_RHASH_ALREADY_USED, `Already succeeded with amount ${fmtMsat(done.amount_msat)} (not ${fmtMsat(amount)})`),
      );
    }
    if (done.destination !== undefined && done.destination !== ownNodeId) {
      return failWith(new RpcError(PAY_RHASH_ALREADY_USED, `Already succeeded to ${done.destination}`));
    }
    return ok(formatPayment(done));
  }
  if (rows.some((r) => r.partid === 0n && r.groupid === groupid)) {
    return failWith(
      new RpcError(
        PAY_RHASH_ALREADY_USED,
        `There already is a payment with payment_hash=${paymentHash}, groupid=${groupid}, partid=0. Either change the partid, or wait for the payment to complete and start a new group.`,
      ),
    );
  }
  return undefined;
}
