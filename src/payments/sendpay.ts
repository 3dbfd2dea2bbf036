// The sendpay decision (spec §3.1 in evaluation order, P-3): parameters already parsed, the
// runtime supplies the rows of this payment hash and the state of our channels; the result says
// what to do. Nothing here performs IO: the runtime persists the row (with the HTLC, in one
// transaction) and sends, or answers with the error or the existing row.
import {
  JSONRPC2_INVALID_PARAMS,
  LIGHTNINGD,
  PAY_INVOICE_REQUEST_INVALID,
  RpcError,
} from '../rpc/errors.js';
import { fmtMsat } from '../rpc/msat.js';
import { PaymentsError } from './errors.js';
import { WIRE_TEMPORARY_CHANNEL_FAILURE } from './failcodes.js';
import { findFirstHopChannel, firstPeerNotReadyError, noConnectionError } from './first-hop.js';
import { formatPayment, formatPendingSendpay, type PaymentObject, type PendingSendpayResult } from './format.js';
import { cltvBase, expiryAt, onionFits, planOnion, type OnionPlan } from './onion-plan.js';
import type { SendpayParams } from './params.js';
import { checkProgress } from './progress.js';
import { byCreated, withKeys } from './row.js';
import { selfPayPrecheck } from './self-pay.js';
import type { FirstHopChannel, IndexBump, InvoiceRequestState, PaymentRow, SendpayCounters } from './types.js';

export type SendpayContext = {
  readonly own_node_id: string;
  /** Network block height (bitcoind's view, even if we lag in processing). */
  readonly block_height: number;
  /** Unix seconds. */
  readonly now: number;
  /** Every stored row with this payment_hash (any order). */
  readonly rows: readonly PaymentRow[];
  readonly counters: SendpayCounters;
  /** Our channels (all peers); the first hop is chosen among them. */
  readonly channels: readonly FirstHopChannel[];
  /** Required when `localinvreqid` was given. */
  readonly invoice_request?: InvoiceRequestState;
};

export type HtlcToOffer = {
  readonly amount_msat: bigint;
  readonly cltv_expiry: number;
  readonly payment_hash: string;
};

export type SendpayDecision =
  | { readonly kind: 'error'; readonly error: RpcError }
  /** Idempotent answer from an existing row: a completed part, or this very attempt pending. */
  | { readonly kind: 'existing'; readonly result: PaymentObject | PendingSendpayResult }
  /**
   * Offer an HTLC on `channel` carrying an onion built from `plan`, storing `row` (with the onion's
   * shared secrets set) and the counters in the same commit, and answer `result`. If our channel
   * refuses the HTLC (capacity, dust, too many…), still store `row` and answer `result`, then
   * resolve the row as a local failure with the channel's failcode and reason (spec T-5).
   */
  | {
      readonly kind: 'send';
      readonly row: PaymentRow;
      readonly counters: SendpayCounters;
      readonly bumps: IndexBump[];
      readonly plan: OnionPlan;
      readonly channel: FirstHopChannel;
      readonly htlc: HtlcToOffer;
      readonly result: PendingSendpayResult;
    }
  /** Payment to self: store `row`, check our invoice, then completeSelfPay(row, check, …). */
  | {
      readonly kind: 'self-pay';
      readonly row: PaymentRow;
      readonly counters: SendpayCounters;
      readonly bumps: IndexBump[];
      readonly check: { readonly payment_hash: string; readonly amount_msat: bigint; readonly payment_secret?: string };
    };

const error = (code: number, message: string): SendpayDecision => ({ kind: 'error', error: new RpcError(code, message) });

/** groupid default: one more than the largest stored for this hash (1 when none). */
export function nextGroupid(rows: readonly PaymentRow[]): bigint {
  return rows.reduce((m, r) => (r.groupid > m ? r.groupid : m), 0n) + 1n;
}

function createdBump(row: PaymentRow): IndexBump {
  return {
    subsystem: 'sendpays',
    index: 'created',
    value: row.created_index,
    details: { status: 'pending', partid: row.partid, groupid: row.groupid, payment_hash: row.payment_hash },
  };
}

/** Optional stored fields shared by both kinds of new row. */
function extras(p: SendpayParams) {
  return {
    ...(p.label === undefined ? {} : { label: p.label }),
    ...(p.bolt11 === undefined ? {} : { invstring: p.bolt11 }),
    ...(p.description === undefined ? {} : { description: p.description }),
    ...(p.payment_secret === undefined ? {} : { payment_secret: p.payment_secret }),
    ...(p.payment_metadata === undefined ? {} : { payment_metadata: p.payment_metadata }),
    ...(p.localinvreqid === undefined ? {} : { local_invreq_id: p.localinvreqid }),
  };
}

/** §3.1 row 21: BOLT 12 invoice_request guard. */
function checkInvoiceRequest(id: string, st: InvoiceRequestState | undefined): SendpayDecision | undefined {
  if (st === undefined) throw new PaymentsError('MISSING_CONTEXT', 'localinvreqid given but invoice_request state not supplied');
  if (!st.found) return error(PAY_INVOICE_REQUEST_INVALID, `Unknown invoice_request ${id}`);
  if (!st.active) return error(PAY_INVOICE_REQUEST_INVALID, `Inactive invoice_request ${id}`);
  if (!st.single_use || st.first_payment === undefined) return undefined;
  if (st.first_payment.status === 'complete') {
    return error(PAY_INVOICE_REQUEST_INVALID, `Single-use invoice_request already paid with ${st.first_payment.payment_hash}`);
  }
  if (st.first_payment.status === 'pending') {
    return error(PAY_INVOICE_REQUEST_INVALID, `Single-use invoice_request already in progress with ${st.first_payment.payment_hash}`);
  }
  return undefined;
}

export function decideSendpay(p: SendpayParams, ctx: SendpayContext): SendpayDecision {
  const rows = byCreated(ctx.rows);
  const amount = p.amount_msat;

  if (p.partid !== 0n && amount === undefined) return error(JSONRPC2_INVALID_PARAMS, 'Must specify msatoshi with partid');
  const groupid = p.groupid ?? nextGroupid(rows);

  if (p.route.length === 0) {
    if (amount === undefined) return error(JSONRPC2_INVALID_PARAMS, 'Self-payment requires amount_msat');
    if (p.partid !== 0n) return error(JSONRPC2_INVALID_PARAMS, 'Self-payment does not allow (non-zero) partid');
    const pre = selfPayPrecheck(rows, p.payment_hash, amount, groupid, ctx.own_node_id);
    if (pre !== undefined) return pre.ok ? { kind: 'existing', result: pre.value } : { kind: 'error', error: pre.error };
    const row = withKeys({
      payment_hash: p.payment_hash,
      partid: 0n,
      groupid,
      created_index: ctx.counters.created + 1n,
      updated_index: 0n,
      status: 'pending',
      destination: ctx.own_node_id,
      amount_msat: amount,
      amount_sent_msat: amount,
      total_msat: amount,
      created_at: ctx.now,
      ...extras(p),
    });
    return {
      kind: 'self-pay',
      row,
      counters: { ...ctx.counters, created: row.created_index },
      bumps: [createdBump(row)],
      check: {
        payment_hash: p.payment_hash,
        amount_msat: amount,
        ...(p.payment_secret === undefined ? {} : { payment_secret: p.payment_secret }),
      },
    };
  }

  const first = p.route[0]!;
  const last = p.route[p.route.length - 1]!;
  const final = last.amount_msat;

  if (amount !== undefined && p.partid === 0n && amount !== final) {
    return error(
      JSONRPC2_INVALID_PARAMS,
      `Do not specify msatoshi (${fmtMsat(amount)}) without partid: if you do, it must be exactly the final amount (${fmtMsat(final)})`,
    );
  }
  // For MPP the parts must add up to exactly the promised total, so no part may exceed it.
  if (p.partid !== 0n && amount !== undefined && final > amount) {
    return error(JSONRPC2_INVALID_PARAMS, `Final amount ${fmtMsat(final)} is greater than ${fmtMsat(amount)}, despite MPP`);
  }
  if (p.partid !== 0n && p.payment_secret === undefined) return error(JSONRPC2_INVALID_PARAMS, 'partid requires payment_secret');

  const total = amount ?? final;
  const plan = planOnion({
    route: p.route,
    payment_hash: p.payment_hash,
    block_height: ctx.block_height,
    total_msat: total,
    ...(p.payment_secret === undefined ? {} : { payment_secret: p.payment_secret }),
    ...(p.payment_metadata === undefined ? {} : { payment_metadata: p.payment_metadata }),
    dev_legacy_hop: p.dev_legacy_hop,
  });
  if (!onionFits(plan)) return error(LIGHTNINGD, 'Could not create onion packet');

  const progress = checkProgress(rows, {
    payment_hash: p.payment_hash,
    partid: p.partid,
    groupid,
    final,
    total,
    destination: last.node_id,
  });
  switch (progress.kind) {
    case 'error':
      return { kind: 'error', error: progress.error };
    case 'complete':
      return { kind: 'existing', result: formatPayment(progress.row) };
    case 'pending':
      return { kind: 'existing', result: formatPendingSendpay(progress.row) };
    case 'clear':
      break;
  }

  if (p.localinvreqid !== undefined) {
    const bad = checkInvoiceRequest(p.localinvreqid, ctx.invoice_request);
    if (bad !== undefined) return bad;
  }

  const channel = findFirstHopChannel(ctx.channels, first.node_id, first.scid, final);
  if (channel === undefined) return { kind: 'error', error: noConnectionError(ctx.own_node_id) };
  if (!channel.peer_connected) {
    return { kind: 'error', error: sendImmediateFailure(ctx.own_node_id, channel, WIRE_TEMPORARY_CHANNEL_FAILURE) };
  }

  const row = withKeys({
    payment_hash: p.payment_hash,
    partid: p.partid,
    groupid,
    created_index: ctx.counters.created + 1n,
    updated_index: 0n,
    status: 'pending',
    destination: last.node_id,
    amount_msat: final,
    amount_sent_msat: first.amount_msat,
    total_msat: total,
    created_at: ctx.now,
    route_nodes: p.route.map((h) => h.node_id),
    route_channels: p.route.map((h) => h.scid),
    ...extras(p),
  });
  return {
    kind: 'send',
    row,
    counters: { ...ctx.counters, created: row.created_index },
    bumps: [createdBump(row)],
    plan,
    channel,
    htlc: {
      amount_msat: first.amount_msat,
      cltv_expiry: expiryAt(cltvBase(ctx.block_height), first.delay),
      payment_hash: p.payment_hash,
    },
    result: formatPendingSendpay(row),
  };
}

/**
 * §3.1 row 23: the chosen channel's peer is not connected (`failcode` is the one to report). No
 * row, no notification, no index bump. Refusals by the channel itself are T-5, not this.
 */
export function sendImmediateFailure(ownNodeId: string, channel: FirstHopChannel, failcode: number): RpcError {
  return firstPeerNotReadyError(ownNodeId, channel, failcode);
}
