// Core Lightning's payment commands over the Store: the sans-IO decisions of src/payments wired to
// storage, the onion builder and the channels. Every read → decide → commit runs under one mutex
// (decisions derive index values from the counters they are given), and waiters are answered only
// after the commit is durable. The attempt row is committed in the same store transaction as the
// channel update that carries its HTLC (ChannelsPort.offerHtlc), before update_add_htlc leaves.
// A commit of ours that fails stops the node (deps.fatal) and the service refuses further writes:
// never go on with memory ahead of the store.
import type { Store, WriteOp } from '../store/types.js';
import { LIGHTNINGD_SHUTDOWN, RpcError, failWith, ok, type Outcome } from '../rpc/errors.js';
import type { JsonOut } from '../rpc/json-write.js';
import { fromHex, toHex } from '../util/bytes.js';
import { sphinxBuild } from '../onion/kernel.js';
import { freshSessionKey } from '../onion/build.js';
import { OnionError } from '../onion/errors.js';
import { decodeFailurePacket } from '../onion/failure-packet.js';
import {
  decideDelpay,
  decideSendpay,
  decideWait,
  formatListsendpays,
  groupListpays,
  hopFrames,
  PaymentsError,
  planListpays,
  planListsendpays,
  resolveAttempt,
  storeQueryFor,
  checkSelfPayInvoice,
  completeSelfPay,
  waitsendpay,
  WaitIndexWaiters,
  WaitsendpayWaiters,
  ZERO_COUNTERS,
  type AttemptId,
  type Clock,
  type DelpayParams,
  type FirstHopChannel,
  type HtlcOutcome,
  type IndexBump,
  type InvstringDecoder,
  type ListpaysParams,
  type ListsendpaysParams,
  type LocalInvoice,
  type OnionPlan,
  type PaymentNotification,
  type PaymentRow,
  type Resolution,
  type SendpayCounters,
  type SendpayParams,
  type WaitParams,
  type WaitsendpayParams,
} from '../payments/index.js';
import { Mutex } from './mutex.js';
import { META_TABLE, PAYMENTS_TABLE_NAME } from './schema.js';

/** An offered HTLC's origin, stored with it so its resolution finds its way back. */
export type OutgoingOrigin =
  | { kind: 'payment'; payment_hash: string; partid: bigint; groupid: bigint }
  | { kind: 'forward'; in_channel_id: string; in_htlc_id: bigint; in_shared_secret: Uint8Array; forward_key: string };

export type FirstHop = FirstHopChannel & { readonly channel_id: string };

export interface OfferRequest {
  channel_id: string;
  amount_msat: bigint;
  payment_hash: Uint8Array;
  cltv_expiry: number;
  onion: Uint8Array;
  origin: OutgoingOrigin;
}

export type OfferResult = { ok: true } | { ok: false; failcode: number; reason: string };

/** What the payments service needs from the channel layer. */
export interface ChannelsPort {
  firstHops(): FirstHop[];
  /**
   * Adds the HTLC to the channel, commits the channel update together with `writes` in ONE store
   * transaction, then sends update_add_htlc (and commitment_signed). On a refusal nothing is
   * committed and the channel's failcode/reason come back.
   */
  offerHtlc(req: OfferRequest, writes: WriteOp[] | ((htlcId: number) => WriteOp[])): Promise<OfferResult>;
}

/** How an HTLC we offered ended, as the channel layer saw it. */
export type OfferedHtlcEnd =
  | { kind: 'fulfilled'; preimage: Uint8Array }
  | { kind: 'failed'; reason: Uint8Array; attribution_data?: Uint8Array }
  | { kind: 'malformed'; failure_code: number; sha256_of_onion: Uint8Array }
  | { kind: 'local'; failcode: number; reason: string };

export interface LocalInvoices {
  lookup(paymentHash: string): Promise<LocalInvoice | undefined>;
  /** Marks the invoice paid by a self-payment; returns writes to commit with the payment rows. */
  markPaid(paymentHash: string, amountMsat: bigint): Promise<WriteOp[]>;
}

export interface PaymentsServiceDeps {
  store: Store;
  ownNodeId: string;
  clock: Clock;
  /** Unix seconds. */
  now(): number;
  blockHeight(): Promise<number>;
  channels: ChannelsPort;
  invoices: LocalInvoices;
  decodeInvstring: InvstringDecoder;
  notify(n: PaymentNotification): void;
  onIndexBump?(b: IndexBump): void;
  /** One of our store commits failed: the node must stop (the error is also rethrown). */
  fatal(e: unknown): void;
}

const stoppedError = (): PaymentsError => new PaymentsError('STOPPED', 'payments stopped: a store write failed');

const COUNTERS_KEY = 'sendpays_counters';

type CountersRecord = { key: string; created: bigint; updated: bigint; deleted: bigint };

export class PaymentsService {
  private readonly mutex = new Mutex();
  private counters: SendpayCounters = ZERO_COUNTERS;
  /** Set once one of our commits failed; nothing is written after that. */
  private stopped = false;
  readonly waiters: WaitsendpayWaiters;
  readonly indexWaiters = new WaitIndexWaiters();

  constructor(private readonly d: PaymentsServiceDeps) {
    this.waiters = new WaitsendpayWaiters(d.clock);
  }

  async load(): Promise<void> {
    const rec = await this.d.store.get<CountersRecord>(META_TABLE, COUNTERS_KEY);
    if (rec) this.counters = { created: rec.created, updated: rec.updated, deleted: rec.deleted };
  }

  get currentCounters(): SendpayCounters {
    return this.counters;
  }

  /** True once a commit failed: the service writes nothing more. */
  get isStopped(): boolean {
    return this.stopped;
  }

  /** Every commit of ours: a failure is fatal to the node, and rethrown to the caller. */
  private async commit(writes: WriteOp[]): Promise<void> {
    if (this.stopped) throw stoppedError();
    try {
      await this.d.store.commit(writes);
    } catch (e) {
      this.stopped = true;
      this.d.fatal(e);
      throw e;
    }
  }

  /** The answer to commands that would write after a failed commit. */
  private refusal(): Outcome<JsonOut> {
    return failWith(new RpcError(LIGHTNINGD_SHUTDOWN, 'node stopped: a store write failed'));
  }

  private countersOp(c: SendpayCounters): WriteOp {
    return { table: META_TABLE, put: { key: COUNTERS_KEY, created: c.created, updated: c.updated, deleted: c.deleted } };
  }

  private rowsOfHash(hash: string): Promise<PaymentRow[]> {
    return this.queryRows({ index: 'by_hash', lower: [hash, ''], upper: [hash, '~'] });
  }

  private async queryRows(q: ReturnType<typeof storeQueryFor>): Promise<PaymentRow[]> {
    return this.d.store.query<PaymentRow>(PAYMENTS_TABLE_NAME, {
      ...(q.index !== undefined ? { index: q.index } : {}),
      range: q.upper === undefined ? { lower: q.lower } : { lower: q.lower, upper: q.upper },
      ...(q.limit !== undefined ? { limit: q.limit } : {}),
    });
  }

  /** Applies a decision's effects once its records are durable. */
  private settle(counters: SendpayCounters, bumps: readonly IndexBump[]): void {
    this.counters = counters;
    for (const b of bumps) {
      this.indexWaiters.notify(b);
      this.d.onIndexBump?.(b);
    }
  }

  sendpay(p: SendpayParams): Promise<Outcome<JsonOut>> {
    return this.mutex.run(async () => {
      if (this.stopped) return this.refusal();
      const rows = await this.rowsOfHash(p.payment_hash);
      const block_height = await this.d.blockHeight();
      const d = decideSendpay(p, {
        own_node_id: this.d.ownNodeId,
        block_height,
        now: this.d.now(),
        rows,
        counters: this.counters,
        channels: this.d.channels.firstHops(),
        // BOLT 12 invoice_requests are not supported: any localinvreqid is unknown (212).
        ...(p.localinvreqid !== undefined ? { invoice_request: { found: false } as const } : {}),
      });
      switch (d.kind) {
        case 'error':
          return failWith(d.error);
        case 'existing':
          return ok(d.result);
        case 'self-pay':
          return this.selfPay(d.row, d.counters, d.bumps, d.check);
        case 'send':
          return this.send(d.row, d.counters, d.bumps, d.plan, d.channel as FirstHop, d.htlc, d.result);
      }
    });
  }

  private async send(
    row: PaymentRow,
    counters: SendpayCounters,
    bumps: IndexBump[],
    plan: OnionPlan,
    channel: FirstHop,
    htlc: { amount_msat: bigint; cltv_expiry: number; payment_hash: string },
    result: JsonOut,
  ): Promise<Outcome<JsonOut>> {
    let onion: { packet: Uint8Array; sharedSecrets: Uint8Array[] };
    try {
      onion = sphinxBuild(
        freshSessionKey(),
        plan.hops.map((h) => fromHex(h.node_id, 33)),
        hopFrames(plan.hops),
        plan.associated_data,
      );
    } catch (e) {
      // The plan already checked sizes; this covers payloads the Sphinx builder still refuses.
      if (e instanceof OnionError) return failWith(new RpcError(-1, 'Could not create onion packet'));
      throw e;
    }
    const stored: PaymentRow = { ...row, shared_secrets: onion.sharedSecrets };
    const writes: WriteOp[] = [{ table: PAYMENTS_TABLE_NAME, put: stored }, this.countersOp(counters)];
    const offered = await this.d.channels.offerHtlc(
      {
        channel_id: channel.channel_id,
        amount_msat: htlc.amount_msat,
        payment_hash: fromHex(htlc.payment_hash, 32),
        cltv_expiry: htlc.cltv_expiry,
        onion: onion.packet,
        origin: { kind: 'payment', payment_hash: row.payment_hash, partid: row.partid, groupid: row.groupid },
      },
      writes,
    );
    if (offered.ok) {
      this.settle(counters, bumps);
      return ok(result);
    }
    // The channel refused the HTLC (capacity, dust, too many…): as in CLN, sendpay still answers
    // pending and the attempt fails at once with channeld's reason (spec T-5).
    await this.commit(writes);
    this.settle(counters, bumps);
    await this.resolveLocked(stored, { kind: 'local', failcode: offered.failcode, reason: offered.reason });
    return ok(result);
  }

  private async selfPay(
    row: PaymentRow,
    counters: SendpayCounters,
    bumps: IndexBump[],
    check: { payment_hash: string; amount_msat: bigint; payment_secret?: string },
  ): Promise<Outcome<JsonOut>> {
    await this.commit([{ table: PAYMENTS_TABLE_NAME, put: row }, this.countersOp(counters)]);
    this.settle(counters, bumps);
    const invoice = await this.d.invoices.lookup(check.payment_hash);
    const result = checkSelfPayInvoice(check.payment_hash, invoice, check.amount_msat, check.payment_secret);
    const siblings = (await this.rowsOfHash(row.payment_hash)).filter((s) => s.partid === row.partid);
    const c = completeSelfPay(row, result, { own_node_id: this.d.ownNodeId, now: this.d.now(), counters: this.counters, siblings });
    const writes: WriteOp[] = c.rows.map((r) => ({ table: PAYMENTS_TABLE_NAME, put: r }));
    writes.push(this.countersOp(c.counters));
    if (c.invoice_paid) writes.push(...(await this.d.invoices.markPaid(c.invoice_paid.payment_hash, c.invoice_paid.amount_msat)));
    await this.commit(writes);
    this.settle(c.counters, c.bumps);
    this.waiters.answer(row, c.answer);
    if (c.notification) this.d.notify(c.notification);
    return c.response;
  }

  /**
   * An HTLC this node offered for a payment ended: resolve its attempt row. `extra` (e.g. the
   * outbox record being completed) is committed with the row, or alone when the row is already
   * final (a replay after a restart, or a duplicate event).
   */
  resolveOffered(attempt: AttemptId, end: OfferedHtlcEnd, extra: WriteOp[] = []): Promise<void> {
    return this.mutex.run(async () => {
      if (this.stopped) throw stoppedError();
      const rows = await this.rowsOfHash(attempt.payment_hash);
      const row = rows.find((r) => r.partid === attempt.partid && r.groupid === attempt.groupid);
      if (!row || row.status !== 'pending') {
        if (extra.length > 0) await this.commit(extra);
        return;
      }
      await this.resolveLocked(row, outcomeOf(row, end), rows, extra);
    });
  }

  /** Startup: a pending row whose HTLC no channel knows can never resolve (CLN: 209). */
  failOrphan(attempt: AttemptId): Promise<void> {
    return this.mutex.run(async () => {
      if (this.stopped) throw stoppedError();
      const rows = await this.rowsOfHash(attempt.payment_hash);
      const row = rows.find((r) => r.partid === attempt.partid && r.groupid === attempt.groupid);
      if (row && row.status === 'pending') await this.resolveLocked(row, { kind: 'unknown' }, rows);
    });
  }

  private async resolveLocked(row: PaymentRow, outcome: HtlcOutcome, rowsOfHash?: PaymentRow[], extra: WriteOp[] = []): Promise<Resolution> {
    const rows = rowsOfHash ?? (await this.rowsOfHash(row.payment_hash));
    const siblings = rows.filter((s) => s.partid === row.partid);
    const r = resolveAttempt(row, outcome, { own_node_id: this.d.ownNodeId, now: this.d.now(), counters: this.counters, siblings });
    const writes: WriteOp[] = r.rows.map((x) => ({ table: PAYMENTS_TABLE_NAME, put: x }));
    writes.push(this.countersOp(r.counters), ...extra);
    await this.commit(writes);
    this.settle(r.counters, r.bumps);
    this.waiters.answer(row, r.answer);
    if (r.notification) this.d.notify(r.notification);
    return r;
  }

  async pendingAttempts(): Promise<PaymentRow[]> {
    return this.queryRows({ index: 'by_status_created', lower: ['pending', ''], upper: ['pending', '~'] });
  }

  async waitsendpay(p: WaitsendpayParams, signal?: AbortSignal): Promise<Outcome<JsonOut>> {
    // Read and register under the mutex so a resolution cannot slip between the two, but wait
    // outside it (waiters are answered by resolutions, which need the mutex).
    const registered = await this.mutex.run(async () => ({ outcome: waitsendpay(p, await this.rowsOfHash(p.payment_hash), this.waiters, signal) }));
    return registered.outcome;
  }

  async listsendpays(p: ListsendpaysParams): Promise<Outcome<JsonOut>> {
    const plan = planListsendpays(p, this.d.decodeInvstring);
    if (!plan.ok) return plan;
    return ok(formatListsendpays(await this.queryRows(storeQueryFor(plan.value))));
  }

  async listpays(p: ListpaysParams, pctx: Parameters<typeof planListpays>[2]): Promise<Outcome<JsonOut>> {
    const plan = planListpays(p, this.d.decodeInvstring, pctx);
    if (!plan.ok) return plan;
    return ok(groupListpays(await this.queryRows(storeQueryFor(plan.value)), p.bolt11));
  }

  delpay(p: DelpayParams): Promise<Outcome<JsonOut>> {
    return this.mutex.run(async () => {
      if (this.stopped) return this.refusal();
      const d = decideDelpay(p, await this.rowsOfHash(p.payment_hash), this.counters);
      if (!d.ok) return d;
      const writes: WriteOp[] = d.value.rows.map((r) => ({ table: PAYMENTS_TABLE_NAME, delete: r.created_key }));
      writes.push(this.countersOp(d.value.counters));
      await this.commit(writes);
      this.settle(d.value.counters, d.value.bumps);
      return ok(d.value.result);
    });
  }

  /** `wait` for the sendpays subsystem (the runtime routes other subsystems elsewhere). */
  wait(p: WaitParams, signal?: AbortSignal): Promise<Outcome<JsonOut>> | Outcome<JsonOut> {
    const d = decideWait(p, this.counters[p.indexname]);
    return d.kind === 'done' ? d.outcome : this.indexWaiters.wait(d.params, signal);
  }
}

/** Turns what the channel saw into the payments layer's outcome, decrypting reply onions. */
function outcomeOf(row: PaymentRow, end: OfferedHtlcEnd): HtlcOutcome {
  switch (end.kind) {
    case 'fulfilled':
      return { kind: 'fulfilled', preimage: toHex(end.preimage) };
    case 'malformed':
      return { kind: 'malformed', failure_code: end.failure_code, sha256_of_onion: end.sha256_of_onion };
    case 'local':
      return { kind: 'local', failcode: end.failcode, reason: end.reason };
    case 'failed': {
      const secrets = row.shared_secrets ?? [];
      const decoded = decodeFailurePacket(secrets, {
        reason: end.reason,
        ...(end.attribution_data ? { attribution_data: end.attribution_data } : {}),
      });
      if (!decoded.ok) return { kind: 'unparseable', reply_onion: end.reason };
      return { kind: 'remote', origin_index: decoded.erring_index, message: decoded.raw_message, reply_onion: end.reason };
    }
  }
}
