// waitsendpay (spec §1.2, W-1…W-4): which attempt is meant, and whether it can be answered now.
import { PAY_NO_SUCH_PAYMENT, RpcError, failWith, type Outcome } from '../rpc/errors.js';
import type { PaymentObject } from './format.js';
import type { WaitsendpayParams } from './params.js';
import { replayOutcome } from './replay.js';
import type { AttemptId, PaymentRow } from './types.js';
import type { WaitsendpayWaiters } from './waiters.js';

export type WaitsendpayDecision =
  | { readonly kind: 'done'; readonly outcome: Outcome<PaymentObject> }
  /** Still pending: register a waiter for `id` (with `timeout` seconds, if given). */
  | { readonly kind: 'wait'; readonly id: AttemptId; readonly timeout?: number };

/** Default groupid: the largest stored for the hash, 0 if none (not max+1 as in sendpay). */
export function latestGroupid(rows: readonly PaymentRow[]): bigint {
  return rows.reduce((m, r) => (r.groupid > m ? r.groupid : m), 0n);
}

/** `rows`: every stored row of the payment hash. */
export function decideWaitsendpay(p: WaitsendpayParams, rows: readonly PaymentRow[]): WaitsendpayDecision {
  const groupid = p.groupid ?? latestGroupid(rows);
  const row = rows.find((r) => r.partid === p.partid && r.groupid === groupid);
  if (row === undefined) {
    return {
      kind: 'done',
      outcome: failWith(new RpcError(PAY_NO_SUCH_PAYMENT, `Never attempted payment part ${p.partid} for '${p.payment_hash}'`)),
    };
  }
  const settled = replayOutcome(row);
  if (settled !== undefined) return { kind: 'done', outcome: settled };
  const id = { payment_hash: p.payment_hash, partid: p.partid, groupid };
  return p.timeout === undefined ? { kind: 'wait', id } : { kind: 'wait', id, timeout: p.timeout };
}

/**
 * Decide and, if pending, register the waiter in the same synchronous step, so a resolution
 * cannot slip between reading `rows` and waiting (the runtime must not await in between either).
 */
export function waitsendpay(
  p: WaitsendpayParams,
  rows: readonly PaymentRow[],
  waiters: WaitsendpayWaiters,
  signal?: AbortSignal,
): Promise<Outcome<PaymentObject>> {
  const d = decideWaitsendpay(p, rows);
  if (d.kind === 'done') return Promise.resolve(d.outcome);
  return waiters.wait(d.id, d.timeout, signal);
}
