// Resolution of a pending attempt (spec F-1, F-6…F-9): the rows to write, the `updated` index bump,
// what waitsendpay waiters on exactly this attempt receive, and the sendpay_success /
// sendpay_failure notification. Live failures carry the pre-update (pending) row in their data —
// CLN's quirk F-7 — while replays from storage (replay.ts) show the failed row.
import { PAY_DESTINATION_PERM_FAIL, PAY_UNSPECIFIED_ERROR, RpcError, failWith, ok, type Outcome } from '../rpc/errors.js';
import { classifyFailure, type Classified } from './classify.js';
import { PaymentsError } from './errors.js';
import { failureData, failureMessage, formatPayment, type JsonObjectOut, type PaymentObject } from './format.js';
import { withKeys, withStatus } from './row.js';
import type { FailInfo, HtlcOutcome, IndexBump, PaymentRow, PaymentStatus, SendpayCounters } from './types.js';

export type ResolveContext = {
  readonly own_node_id: string;
  /** Unix seconds: completed_at. */
  readonly now: number;
  readonly counters: SendpayCounters;
  /**
   * The other rows with the same payment_hash and partid (any groupid). CLN writes failure info
   * per (hash, partid), so an older failed group's replay shows the newest reason (F-9).
   */
  readonly siblings: readonly PaymentRow[];
};

export type SendpayFailurePayload = { readonly code: number; readonly message: string; readonly data: JsonObjectOut };

export type PaymentNotification =
  | { readonly topic: 'sendpay_success'; readonly payload: PaymentObject }
  | { readonly topic: 'sendpay_failure'; readonly payload: SendpayFailurePayload };

export type Resolution = {
  /** Rows to put: the resolved row first, then siblings whose failure info changed. */
  readonly rows: PaymentRow[];
  readonly counters: SendpayCounters;
  readonly bumps: IndexBump[];
  /** What every waitsendpay waiting on this exact attempt gets. */
  readonly answer: Outcome<PaymentObject>;
  readonly notification?: PaymentNotification;
  /** On success of a BOLT 12 payment: the local invoice_request to mark used. */
  readonly invreq_used?: string;
};

export function updatedBump(row: PaymentRow, status: PaymentStatus, value: bigint): IndexBump {
  return {
    subsystem: 'sendpays',
    index: 'updated',
    value,
    details: { status, partid: row.partid, groupid: row.groupid, payment_hash: row.payment_hash },
  };
}

/** Drop what is only needed while in flight (CLN clears path secrets and route on resolution). */
function settled(r: PaymentRow): PaymentRow {
  const { shared_secrets: _s, route_nodes: _n, route_channels: _c, ...rest } = r;
  return rest;
}

function requirePending(row: PaymentRow): void {
  if (row.status !== 'pending') throw new PaymentsError('NOT_PENDING', `attempt ${row.created_index} is already ${row.status}`);
}

export function resolveSuccess(row: PaymentRow, preimage: string, ctx: ResolveContext): Resolution {
  requirePending(row);
  const updated = ctx.counters.updated + 1n;
  const done = withKeys({ ...settled(withStatus(row, 'complete', updated, ctx.now)), payment_preimage: preimage.toLowerCase() });
  const obj = formatPayment(done);
  return {
    rows: [done],
    counters: { ...ctx.counters, updated },
    bumps: [updatedBump(row, 'complete', updated)],
    answer: ok(obj),
    notification: { topic: 'sendpay_success', payload: obj },
    ...(row.local_invreq_id === undefined ? {} : { invreq_used: row.local_invreq_id }),
  };
}

/** Failure info as CLN stores it: the onion only when nothing could be decoded. */
function failInfo(c: Classified): FailInfo {
  const f = c.fail;
  return {
    rpc_code: c.code,
    ...(f === undefined && c.reply_onion !== undefined ? { onionreply: c.reply_onion } : {}),
    ...(f === undefined
      ? {}
      : {
          erring_index: f.erring_index,
          failcode: f.failcode,
          ...(f.erring_node === undefined ? {} : { erring_node: f.erring_node }),
          ...(f.erring_channel === undefined ? {} : { erring_channel: f.erring_channel, erring_direction: f.erring_direction ?? 0 }),
          ...(f.raw_message === undefined ? {} : { raw_message: f.raw_message }),
        }),
    ...(c.detail === undefined ? {} : { detail: c.detail }),
  };
}

/** Resolve `row` as failed with an already classified failure (also used by self-payment). */
export function resolveClassified(row: PaymentRow, c: Classified, ctx: ResolveContext): Resolution {
  requirePending(row);
  const updated = ctx.counters.updated + 1n;
  const fail = failInfo(c);
  const failed = withKeys({ ...settled(withStatus(row, 'failed', updated, ctx.now)), fail });
  const siblings = ctx.siblings
    .filter((s) => s.payment_hash === row.payment_hash && s.partid === row.partid && s.groupid !== row.groupid)
    .map((s) => withKeys({ ...s, fail }));
  const message = failureMessage(c.code, c.fail?.failcode ?? 0, c.detail);
  const data = failureData(row, c.code, c.reply_onion, c.fail);
  return {
    rows: [failed, ...siblings],
    counters: { ...ctx.counters, updated },
    bumps: [updatedBump(row, 'failed', updated)],
    answer: failWith(new RpcError(c.code, message, data)),
    notification: { topic: 'sendpay_failure', payload: { code: c.code, message, data } },
  };
}

/** Resolve a pending attempt with the HTLC's outcome. Throws PaymentsError if not pending. */
export function resolveAttempt(row: PaymentRow, outcome: HtlcOutcome, ctx: ResolveContext): Resolution {
  switch (outcome.kind) {
    case 'fulfilled':
      return resolveSuccess(row, outcome.preimage, ctx);
    case 'unknown': {
      // Failed without any recorded reason (CLN: force-failed at startup): no failinfo, 209.
      requirePending(row);
      const updated = ctx.counters.updated + 1n;
      const failed = settled(withStatus(row, 'failed', updated, ctx.now));
      return {
        rows: [failed],
        counters: { ...ctx.counters, updated },
        bumps: [updatedBump(row, 'failed', updated)],
        answer: failWith(new RpcError(PAY_UNSPECIFIED_ERROR, 'Payment failure reason unknown')),
      };
    }
    default:
      return resolveClassified(row, classifyFailure(row, outcome, ctx.own_node_id), ctx);
  }
}

/** Self-payment rejected by our own invoice (S-4): destination-permanent, node = us, index 0. */
export function selfPayFailure(reason: string, ownNodeId: string, failcode: number): Classified {
  return { code: PAY_DESTINATION_PERM_FAIL, fail: { erring_index: 0, failcode, erring_node: ownNodeId }, detail: reason };
}
