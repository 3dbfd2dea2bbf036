// A reference payments engine over an in-memory row list: the decision functions wired the way
// the runtime wires them over the Store (read rows → decide → commit records → notify), minus
// persistence and HTLCs. Tests drive it end to end through JSON-RPC; the runtime can read it as
// the canonical sequencing of calls. Single-threaded by construction: every handler finishes its
// read-decide-commit without awaiting, which is the serialisation the runtime must also provide.
import { failWith, ok, type Outcome } from '../rpc/errors.js';
import { defineMethod, dispatchText, dispatchValues, methodTable, type MethodTable } from '../rpc/dispatch.js';
import type { JsonOut } from '../rpc/json-write.js';
import { DEFAULT_PARAM_CONTEXT, type ParamContext } from '../rpc/params.js';
import type { Clock } from './clock.js';
import { decideDelpay } from './delpay.js';
import { PaymentsError } from './errors.js';
import { groupListpays, planListpays } from './listpays.js';
import { formatListsendpays, planListsendpays, runListsendpaysPlan, type InvstringDecoder } from './listsendpays.js';
import type { OnionPlan } from './onion-plan.js';
import {
  DELPAY_PARAMS,
  LISTPAYS_PARAMS,
  LISTSENDPAYS_PARAMS,
  SENDPAY_PARAMS,
  WAIT_PARAMS,
  WAITSENDPAY_PARAMS,
  type SendpayParams,
} from './params.js';
import { resolveAttempt, type PaymentNotification, type Resolution } from './resolve.js';
import { attemptKey } from './row.js';
import { checkSelfPayInvoice, completeSelfPay, type LocalInvoice } from './self-pay.js';
import { decideSendpay, sendImmediateFailure, type HtlcToOffer } from './sendpay.js';
import type {
  AttemptId,
  FirstHopChannel,
  HtlcOutcome,
  IndexBump,
  InvoiceRequestState,
  PaymentRow,
  SendpayCounters,
} from './types.js';
import { ZERO_COUNTERS } from './types.js';
import { decideWait, WaitIndexWaiters } from './wait.js';
import { waitsendpay } from './waitsendpay.js';
import { WaitsendpayWaiters } from './waiters.js';

export type EngineOptions = {
  readonly own_node_id: string;
  readonly clock: Clock;
  /** Unix seconds. */
  readonly now: () => number;
  readonly block_height: number;
  readonly channels?: FirstHopChannel[];
  readonly decodeInvstring?: InvstringDecoder;
  readonly param_context?: ParamContext;
};

export type OfferedHtlc = {
  readonly row: PaymentRow;
  readonly plan: OnionPlan;
  readonly channel: FirstHopChannel;
  readonly htlc: HtlcToOffer;
};

export type CallContext = { readonly signal?: AbortSignal };

const noDecoder: InvstringDecoder = () => ({ ok: false, reason: 'no invoice decoder configured' });

export class MemoryPaymentsEngine {
  rows: PaymentRow[] = [];
  counters: SendpayCounters = ZERO_COUNTERS;
  block_height: number;
  channels: FirstHopChannel[];
  /** Our invoices by payment hash (self-payments). */
  readonly invoices = new Map<string, LocalInvoice>();
  /** Our BOLT 12 invoice_requests by id. */
  readonly invoiceRequests = new Map<string, { active: boolean; single_use: boolean }>();
  /** HTLCs handed to channels, in order. */
  readonly offered: OfferedHtlc[] = [];
  readonly notifications: PaymentNotification[] = [];
  readonly bumps: IndexBump[] = [];
  readonly invreqsUsed: string[] = [];
  /** When set, channels refuse new HTLCs synchronously with this failcode. */
  refuseHtlcWith: number | undefined;
  readonly waitsendpayWaiters: WaitsendpayWaiters;
  readonly indexWaiters = new WaitIndexWaiters();
  readonly table: MethodTable<CallContext>;

  constructor(private readonly opts: EngineOptions) {
    this.block_height = opts.block_height;
    this.channels = opts.channels ?? [];
    this.waitsendpayWaiters = new WaitsendpayWaiters(opts.clock);
    this.table = this.buildTable();
  }

  private get pctx(): ParamContext {
    return this.opts.param_context ?? DEFAULT_PARAM_CONTEXT;
  }

  /** Call a method with JS values (array = positional, object = named). */
  call(method: string, params: unknown, ctx: CallContext = {}): Promise<Outcome<JsonOut>> {
    return dispatchValues(this.table, method, params, ctx, this.pctx);
  }

  /** One JSON-RPC request text in, one response text out. */
  callText(text: string, ctx: CallContext = {}): Promise<string> {
    return dispatchText(this.table, text, ctx, this.pctx);
  }

  rowsFor(hash: string): PaymentRow[] {
    return this.rows.filter((r) => r.payment_hash === hash);
  }

  find(id: AttemptId): PaymentRow | undefined {
    const k = attemptKey(id);
    return this.rows.find((r) => attemptKey(r) === k);
  }

  /** The HTLC of attempt `id` ended: resolve it as the runtime would. */
  resolve(id: AttemptId, outcome: HtlcOutcome): Resolution {
    const row = this.find(id);
    if (row === undefined) throw new PaymentsError('NO_SUCH_ATTEMPT', `no attempt ${attemptKey(id)}`);
    const r = resolveAttempt(row, outcome, {
      own_node_id: this.opts.own_node_id,
      now: this.opts.now(),
      counters: this.counters,
      siblings: this.rows.filter((s) => s.payment_hash === id.payment_hash && s.partid === id.partid),
    });
    this.commit(r.rows, r.counters, r.bumps);
    if (r.invreq_used !== undefined) this.invreqsUsed.push(r.invreq_used);
    if (r.notification !== undefined) this.notifications.push(r.notification);
    this.waitsendpayWaiters.answer(id, r.answer);
    return r;
  }

  private commit(put: readonly PaymentRow[], counters: SendpayCounters, bumps: readonly IndexBump[], del: readonly PaymentRow[] = []): void {
    const gone = new Set(del.map(attemptKey));
    const next = new Map(this.rows.filter((r) => !gone.has(attemptKey(r))).map((r) => [attemptKey(r), r]));
    for (const r of put) next.set(attemptKey(r), r);
    this.rows = [...next.values()];
    this.counters = counters;
    for (const b of bumps) {
      this.bumps.push(b);
      this.indexWaiters.notify(b);
    }
  }

  private sendpay(p: SendpayParams): Outcome<JsonOut> {
    const invreq: InvoiceRequestState | undefined =
      p.localinvreqid === undefined ? undefined : this.invoiceRequestState(p.localinvreqid);
    const d = decideSendpay(p, {
      own_node_id: this.opts.own_node_id,
      block_height: this.block_height,
      now: this.opts.now(),
      rows: this.rowsFor(p.payment_hash),
      counters: this.counters,
      channels: this.channels,
      ...(invreq === undefined ? {} : { invoice_request: invreq }),
    });
    switch (d.kind) {
      case 'error':
        return failWith(d.error);
      case 'existing':
        return ok(d.result);
      case 'send': {
        if (this.refuseHtlcWith !== undefined) {
          return failWith(sendImmediateFailure(this.opts.own_node_id, d.channel, this.refuseHtlcWith));
        }
        // Stand-in for the onion's per-hop shared secrets, stored with the row as the runtime does.
        const row: PaymentRow = { ...d.row, shared_secrets: d.plan.hops.map(() => new Uint8Array(32)) };
        this.commit([row], d.counters, d.bumps);
        this.offered.push({ row, plan: d.plan, channel: d.channel, htlc: d.htlc });
        return ok(d.result);
      }
      case 'self-pay': {
        this.commit([d.row], d.counters, d.bumps);
        const check = checkSelfPayInvoice(
          d.check.payment_hash,
          this.invoices.get(d.check.payment_hash),
          d.check.amount_msat,
          d.check.payment_secret,
        );
        const c = completeSelfPay(d.row, check, {
          own_node_id: this.opts.own_node_id,
          now: this.opts.now(),
          counters: this.counters,
          siblings: this.rows.filter((s) => s.payment_hash === d.row.payment_hash && s.partid === d.row.partid),
        });
        this.commit(c.rows, c.counters, c.bumps);
        if (c.invoice_paid !== undefined) {
          const inv = this.invoices.get(c.invoice_paid.payment_hash);
          if (inv !== undefined) this.invoices.set(c.invoice_paid.payment_hash, { ...inv, status: 'paid' });
        }
        if (c.invreq_used !== undefined) this.invreqsUsed.push(c.invreq_used);
        if (c.notification !== undefined) this.notifications.push(c.notification);
        this.waitsendpayWaiters.answer(d.row, c.answer);
        return c.response;
      }
    }
  }

  private invoiceRequestState(id: string): InvoiceRequestState {
    const ir = this.invoiceRequests.get(id);
    if (ir === undefined) return { found: false };
    const first = this.rows
      .filter((r) => r.local_invreq_id === id)
      .sort((a, b) => (a.created_index < b.created_index ? -1 : 1))[0];
    return {
      found: true,
      ...ir,
      ...(first === undefined ? {} : { first_payment: { status: first.status, payment_hash: first.payment_hash } }),
    };
  }

  private buildTable(): MethodTable<CallContext> {
    const decode = this.opts.decodeInvstring ?? noDecoder;
    return methodTable<CallContext>([
      defineMethod({ name: 'sendpay', params: SENDPAY_PARAMS, handler: (p: SendpayParams) => this.sendpay(p) }),
      defineMethod({
        name: 'waitsendpay',
        params: WAITSENDPAY_PARAMS,
        handler: (p, ctx: CallContext) => waitsendpay(p, this.rowsFor(p.payment_hash), this.waitsendpayWaiters, ctx.signal),
      }),
      defineMethod({
        name: 'listsendpays',
        params: LISTSENDPAYS_PARAMS,
        handler: (p) => {
          const plan = planListsendpays(p, decode);
          return plan.ok ? ok(formatListsendpays(runListsendpaysPlan(plan.value, this.rows))) : plan;
        },
      }),
      defineMethod({
        name: 'listpays',
        params: LISTPAYS_PARAMS,
        handler: (p) => {
          const plan = planListpays(p, decode, this.pctx);
          return plan.ok ? ok(groupListpays(runListsendpaysPlan(plan.value, this.rows), p.bolt11)) : plan;
        },
      }),
      defineMethod({
        name: 'delpay',
        params: DELPAY_PARAMS,
        handler: (p) => {
          const d = decideDelpay(p, this.rowsFor(p.payment_hash), this.counters);
          if (!d.ok) return d;
          this.commit([], d.value.counters, d.value.bumps, d.value.rows);
          return ok(d.value.result);
        },
      }),
      defineMethod({
        name: 'wait',
        params: WAIT_PARAMS,
        handler: (p, ctx: CallContext) => {
          const current = p.subsystem === 'sendpays' ? this.counters[p.indexname] : 0n;
          const d = decideWait(p, current);
          return d.kind === 'done' ? d.outcome : this.indexWaiters.wait(d.params, ctx.signal);
        },
      }),
    ]);
  }
}
