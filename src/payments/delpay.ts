// delpay (spec §1.4, §3.4, I-3): which rows go, and the `deleted` index bumps. CLN answers 208
// (not the documented 211) for a status mismatch, and bumps `deleted` only when partid+groupid
// were given (a whole-hash delete bumps nothing: a known CLN FIXME, reproduced).
import { JSONRPC2_INVALID_PARAMS, PAY_NO_SUCH_PAYMENT, RpcError, failWith, ok, type Outcome } from '../rpc/errors.js';
import { formatListsendpays, type ListsendpaysResult } from './listsendpays.js';
import type { DelpayParams } from './params.js';
import { byCreated } from './row.js';
import type { IndexBump, PaymentRow, PaymentStatus, SendpayCounters } from './types.js';

export type DelpayDecision = {
  /** Rows to delete (by primary key). */
  readonly rows: PaymentRow[];
  readonly counters: SendpayCounters;
  readonly bumps: IndexBump[];
  readonly result: ListsendpaysResult;
};

/** `rows`: every stored row of the payment hash. */
export function decideDelpay(p: DelpayParams, rows: readonly PaymentRow[], counters: SendpayCounters): Outcome<DelpayDecision> {
  if ((p.partid === undefined) !== (p.groupid === undefined)) {
    return failWith(new RpcError(JSONRPC2_INVALID_PARAMS, 'Must set both partid and groupid, or neither'));
  }
  const ordered = byCreated(rows);
  if (ordered.length === 0) {
    return failWith(new RpcError(PAY_NO_SUCH_PAYMENT, `Unknown payment with payment_hash: ${p.payment_hash}`));
  }
  const doomed: PaymentRow[] = [];
  let otherStatus: PaymentStatus | undefined;
  for (const r of ordered) {
    if (p.groupid !== undefined && r.groupid !== p.groupid) continue;
    if (p.partid !== undefined && r.partid !== p.partid) continue;
    if (r.status === p.status) doomed.push(r);
    else otherStatus = r.status;
  }
  if (doomed.length === 0) {
    return failWith(
      new RpcError(
        PAY_NO_SUCH_PAYMENT,
        otherStatus !== undefined
          ? `Payment with hash ${p.payment_hash} has ${otherStatus} status but it different from the one provided ${p.status}`
          : 'No payment for that payment_hash with that partid and groupid',
      ),
    );
  }
  const bumps: IndexBump[] = [];
  let deleted = counters.deleted;
  if (p.partid !== undefined && p.groupid !== undefined) {
    deleted += 1n;
    bumps.push({
      subsystem: 'sendpays',
      index: 'deleted',
      value: deleted,
      details: { status: p.status, partid: p.partid, groupid: p.groupid, payment_hash: p.payment_hash },
    });
  }
  return ok({ rows: doomed, counters: { ...counters, deleted }, bumps, result: formatListsendpays(doomed) });
}
