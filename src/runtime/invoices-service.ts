// Core Lightning's invoice / listinvoices / delinvoice over the Store, the local-invoice port the
// payments service uses for self-payments, and the payee side of incoming HTLCs (BOLT 4 final-hop
// checks, basic_mpp sets, marking invoices paid). Decisions come from src/invoices (sans-IO).
import type { Store, StoreRecord, WriteOp } from '../store/types.js';
import type { Network } from '../chain/types.js';
import { invoiceNetwork } from '../invoice/networks.js';
import { ok, type Outcome } from '../rpc/errors.js';
import type { JsonOut } from '../rpc/json-write.js';
import { randomBytes } from '../crypto/secp256k1.js';
import { fromHex } from '../util/bytes.js';
import {
  EMPTY_MPP_STATE,
  ZERO_INVOICE_COUNTERS,
  addPart,
  checkFinalHop,
  completeInvoice,
  decideDelinvoice,
  expireSets,
  failParts,
  formatListinvoices,
  invoicesStoreQuery,
  localInvoiceFor,
  markInvoicePaid,
  nextDeadline,
  planInvoice,
  planListinvoices,
  removePart,
  selectInvoices,
  type DelinvoiceParams,
  type InvoiceCounters,
  type InvoiceIndexBump,
  type InvoiceParams,
  type InvoiceRecord,
  type ListinvoicesParams,
  type MppPart,
  type MppState,
  type RouteHintCandidate,
} from '../invoices/index.js';
import type { HtlcFailure } from '../forwarding/index.js';
import type { LocalInvoice } from '../payments/index.js';
import type { Clock } from '../payments/clock.js';
import { Mutex } from './mutex.js';
import { META_TABLE } from './schema.js';
import type { EventHub } from './events.js';

export const INVOICES_TABLE_NAME = 'invoices';
const COUNTERS_KEY = 'invoices_counters';

/** An accepted final-hop HTLC waiting for the rest of its set (or settled with it). */
export interface FinalPart {
  channel_id: string;
  htlc_id: number;
  amount_msat: bigint;
  cltv_expiry: number;
  payload: { amt_to_forward: bigint; outgoing_cltv_value: number; payment_secret?: Uint8Array; total_msat?: bigint; payment_metadata?: Uint8Array };
  payment_hash: string;
}

/** How the payee's decisions reach the channels. */
export interface PayeeActions {
  fulfill(part: { channel_id: string; htlc_id: number }, preimage: Uint8Array, extra: WriteOp[]): Promise<void>;
  fail(part: { channel_id: string; htlc_id: number }, failure: HtlcFailure): Promise<void>;
}

export interface InvoicesServiceDeps {
  store: Store;
  network: Network;
  nodeSecret: Uint8Array;
  now(): number;
  nowMs(): number;
  blockHeight(): Promise<number>;
  routeHints(): RouteHintCandidate[];
  events: EventHub;
  actions: PayeeActions;
  onBump?(b: InvoiceIndexBump): void;
  /** The MPP timer's clock (default: the platform's timers); tests drive a fake one with nowMs. */
  clock?: Clock;
}

type CountersRecord = { key: string } & InvoiceCounters;

export class InvoicesService {
  private readonly mutex = new Mutex();
  private counters: InvoiceCounters = ZERO_INVOICE_COUNTERS;
  private mpp: MppState = EMPTY_MPP_STATE;
  private readonly partsById = new Map<string, FinalPart>();
  /** Final HTLCs whose onFinalHtlc section is queued or running: forgetPart must wait for them. */
  private readonly arriving = new Map<string, number>();
  private mppTimer: unknown;
  private readonly clock: Clock;

  constructor(private readonly d: InvoicesServiceDeps) {
    this.clock = d.clock ?? globalThis;
  }

  async load(): Promise<void> {
    const rec = await this.d.store.get<CountersRecord & StoreRecord>(META_TABLE, COUNTERS_KEY);
    if (rec) this.counters = { created: rec.created, updated: rec.updated, deleted: rec.deleted, pay_index: rec.pay_index };
  }

  get currentCounters(): InvoiceCounters {
    return this.counters;
  }

  private countersOp(c: InvoiceCounters): WriteOp {
    return { table: META_TABLE, put: { key: COUNTERS_KEY, ...c } };
  }

  private async byHash(hash: string): Promise<InvoiceRecord | undefined> {
    const r = await this.d.store.query(INVOICES_TABLE_NAME, { index: 'by_payment_hash', range: { only: hash } });
    return r[0] as unknown as InvoiceRecord | undefined;
  }

  private async byLabel(label: string): Promise<InvoiceRecord | undefined> {
    const r = await this.d.store.query(INVOICES_TABLE_NAME, { index: 'by_label', range: { only: label } });
    return r[0] as unknown as InvoiceRecord | undefined;
  }

  private put(r: InvoiceRecord): WriteOp {
    return { table: INVOICES_TABLE_NAME, put: r as unknown as StoreRecord };
  }

  invoice(p: InvoiceParams): Promise<Outcome<JsonOut>> {
    return this.mutex.run(async () => {
      const plan = planInvoice(p, { network: invoiceNetwork(this.d.network), now: this.d.now(), random: randomBytes });
      if (!plan.ok) return plan;
      const created = completeInvoice(plan.value, {
        network: invoiceNetwork(this.d.network),
        node_secret: this.d.nodeSecret,
        random: randomBytes,
        route_hints: this.d.routeHints(),
        existing_by_hash: await this.byHash(plan.value.payment_hash),
        existing_by_label: await this.byLabel(plan.value.label),
        counters: this.counters,
      });
      if (!created.ok) return created;
      await this.d.store.commit([this.put(created.value.record), this.countersOp(created.value.counters)]);
      this.counters = created.value.counters;
      this.d.onBump?.(created.value.bump);
      return ok(created.value.result as unknown as JsonOut);
    });
  }

  async listinvoices(p: ListinvoicesParams): Promise<Outcome<JsonOut>> {
    const plan = planListinvoices(p);
    if (!plan.ok) return plan;
    const q = invoicesStoreQuery(plan.value);
    const rows = (await this.d.store.query(INVOICES_TABLE_NAME, {
      ...(q.index !== undefined ? { index: q.index } : {}),
      ...(q.only !== undefined ? { range: { only: q.only } } : q.lower !== undefined ? { range: { lower: q.lower } } : {}),
      ...(q.limit !== undefined ? { limit: q.limit } : {}),
    })) as unknown as InvoiceRecord[];
    return ok(formatListinvoices(selectInvoices(plan.value, rows), this.d.now()) as unknown as JsonOut);
  }

  delinvoice(p: DelinvoiceParams): Promise<Outcome<JsonOut>> {
    return this.mutex.run(async () => {
      const rec = await this.byLabel(p.label.value);
      const d = decideDelinvoice(p, rec, this.d.now(), this.counters);
      if (!d.ok) return d;
      const change: WriteOp =
        d.value.change.kind === 'delete'
          ? { table: INVOICES_TABLE_NAME, delete: d.value.change.record.created_key }
          : this.put(d.value.change.record);
      await this.d.store.commit([change, this.countersOp(d.value.counters)]);
      this.counters = d.value.counters;
      this.d.onBump?.(d.value.bump);
      return ok(d.value.result as unknown as JsonOut);
    });
  }

  // ---------------------------------------------------------------- self-payments (payments port)

  async lookup(paymentHash: string): Promise<LocalInvoice | undefined> {
    const r = await this.byHash(paymentHash);
    return r ? localInvoiceFor(r, this.d.now()) : undefined;
  }

  /** Writes for a self-payment's invoice; the payments service commits them with its rows. */
  async markPaid(paymentHash: string, amountMsat: bigint): Promise<WriteOp[]> {
    const r = await this.byHash(paymentHash);
    if (!r) return [];
    const t = markInvoicePaid(r, amountMsat, this.d.now(), this.counters);
    if (!t.ok) return [];
    this.counters = t.counters;
    queueMicrotask(() => this.d.onBump?.(t.bump));
    this.d.events.emit({ type: 'invoice_payment', label: r.label, payment_hash: r.payment_hash, amount_msat: amountMsat, preimage: r.preimage });
    return [this.put(t.record), this.countersOp(t.counters)];
  }

  // ---------------------------------------------------------------- the payee side of HTLCs

  /** An incoming HTLC whose onion said "final": check it, add it to its set, settle or fail. */
  onFinalHtlc(part: FinalPart): Promise<void> {
    const key = `${part.channel_id}/${part.htlc_id}`;
    this.arriving.set(key, (this.arriving.get(key) ?? 0) + 1);
    const done = (): void => {
      const left = (this.arriving.get(key) ?? 1) - 1;
      if (left > 0) this.arriving.set(key, left);
      else this.arriving.delete(key);
    };
    return this.mutex.run(async () => {
      const height = await this.d.blockHeight();
      const invoice = await this.byHash(part.payment_hash);
      const check = checkFinalHop({
        htlc: { payment_hash: part.payment_hash, amount_msat: part.amount_msat, cltv_expiry: part.cltv_expiry },
        payload: {
          amt_to_forward: part.payload.amt_to_forward,
          outgoing_cltv_value: part.payload.outgoing_cltv_value,
          ...(part.payload.payment_secret !== undefined && part.payload.total_msat !== undefined
            ? { payment_data: { payment_secret: part.payload.payment_secret, total_msat: part.payload.total_msat } }
            : {}),
          ...(part.payload.payment_metadata !== undefined ? { payment_metadata: part.payload.payment_metadata } : {}),
        },
        invoice,
        block_height: height,
        now: this.d.now(),
      });
      if (!check.ok) {
        await this.d.actions.fail(part, check.failure);
        return;
      }
      const id = `${part.channel_id}/${part.htlc_id}`;
      // The timer may fire late (a busy event loop, a suspended tab): sets past their deadline are
      // failed now, before this part could extend one of them; their HTLCs must not hang.
      const expired = await this.expireNow();
      // This very HTLC, replayed, was part of an expired set: it has just been failed.
      if (expired.includes(id)) return;
      this.partsById.set(id, part);
      const mppPart: MppPart = { id, amount_msat: part.amount_msat, amt_to_forward: part.payload.amt_to_forward };
      const r = addPart(this.mpp, {
        payment_hash: check.payment_hash,
        payment_secret: check.payment_secret,
        total_msat: check.total_msat,
        part: mppPart,
        block_height: height,
        now_ms: this.d.nowMs(),
      });
      this.mpp = r.state;
      const o = r.outcome;
      if (o.kind === 'pending') {
        this.armMppTimer();
        return;
      }
      if (o.kind === 'failed') {
        for (const f of o.failures) await this.failPart(f.id, f.failure);
        return;
      }
      const paid = markInvoicePaid(check.invoice, o.received_msat, this.d.now(), this.counters);
      if (!paid.ok) {
        for (const f of failParts(o.parts, height)) await this.failPart(f.id, f.failure);
        return;
      }
      const preimage = fromHex(paid.preimage, 32);
      // The invoice is marked paid in the same commit as the first fulfill; the others follow.
      let first = true;
      for (const p of o.parts) {
        const fp = this.partsById.get(p.id);
        this.partsById.delete(p.id);
        if (!fp) continue;
        await this.d.actions.fulfill(fp, preimage, first ? [this.put(paid.record), this.countersOp(paid.counters)] : []);
        first = false;
      }
      this.counters = paid.counters;
      this.d.onBump?.(paid.bump);
      this.d.events.emit({ type: 'invoice_payment', label: check.invoice.label, payment_hash: check.payment_hash, amount_msat: o.received_msat, preimage: paid.preimage });
    }).finally(done);
  }

  /**
   * A part's HTLC left (failed by its channel): its set can no longer complete, so the other parts
   * fail back now (mpp_timeout, as Core Lightning does) instead of waiting for the timer.
   */
  forgetPart(channelId: string, htlcId: number): Promise<void> {
    const id = `${channelId}/${htlcId}`;
    // Every incoming HTLC that resolves comes here, forwards included: only our parts (held, or
    // still being accepted) wait behind invoice work, which may be waiting on channel commands.
    if (!this.partsById.has(id) && !this.arriving.has(id)) return Promise.resolve();
    return this.mutex.run(async () => {
      if (!this.partsById.delete(id)) return;
      const r = removePart(this.mpp, id);
      this.mpp = r.state;
      for (const f of r.failures) await this.failPart(f.id, f.failure);
      this.armMppTimer();
    });
  }

  private async failPart(id: string, failure: HtlcFailure): Promise<void> {
    const fp = this.partsById.get(id);
    this.partsById.delete(id);
    if (fp) await this.d.actions.fail(fp, failure);
  }

  private armMppTimer(): void {
    if (this.mppTimer !== undefined) this.clock.clearTimeout(this.mppTimer);
    this.mppTimer = undefined;
    const at = nextDeadline(this.mpp);
    if (at === undefined) return;
    const t = this.clock.setTimeout(() => void this.onMppTimer(), Math.max(0, at - this.d.nowMs()));
    (t as { unref?: () => void } | null)?.unref?.();
    this.mppTimer = t;
  }

  /** Fails every set past its deadline (mpp_timeout); returns the ids of the parts failed. */
  private async expireNow(): Promise<string[]> {
    const r = expireSets(this.mpp, this.d.nowMs());
    this.mpp = r.state;
    for (const f of r.failures) await this.failPart(f.id, f.failure);
    return r.failures.map((f) => f.id);
  }

  private onMppTimer(): Promise<void> {
    return this.mutex.run(async () => {
      this.mppTimer = undefined;
      await this.expireNow();
      this.armMppTimer();
    });
  }

  stop(): void {
    if (this.mppTimer !== undefined) this.clock.clearTimeout(this.mppTimer);
    this.mppTimer = undefined;
  }
}

