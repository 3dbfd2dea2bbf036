// The payments rule tests run against the shipping PaymentsService (src/runtime/payments-service.ts)
// over the memory store, through the runtime's own method table. Only what cannot run here is a
// double: the channel layer (FakeChannels records each offered HTLC, commits its writes as the real
// one does, and can refuse), our invoices (FakeInvoices keeps the paid mark in the store, so it is
// only paid if the commit was) and time (FakeClock for timers, `now`/`height` fields). Route nodes
// have known secrets, so tests peel the real onion and build real failure onions.
import { expect } from 'vitest';
import { pubkeyCreate } from '../../../src/crypto/secp256k1.js';
import { fromHex, toHex } from '../../../src/util/bytes.js';
import { peelOnion, type PeelResult } from '../../../src/onion/peel.js';
import { buildFailurePacket, wrapFailurePacket } from '../../../src/onion/failure-packet.js';
import { openMemoryStore } from '../../../src/store/memory.js';
import type { Store, WriteOp } from '../../../src/store/types.js';
import { PaymentsService, type ChannelsPort, type FirstHop, type LocalInvoices, type OfferedHtlcEnd, type OfferRequest, type OfferResult } from '../../../src/runtime/payments-service.js';
import { paymentMethods } from '../../../src/runtime/methods/payment-methods.js';
import { META_TABLE, NODE_SCHEMA, PAYMENTS_TABLE_NAME } from '../../../src/runtime/schema.js';
import type { CallContext } from '../../../src/runtime/services.js';
import {
  WAIT_PARAMS,
  decideWait,
  type AttemptId,
  type Clock,
  type HtlcOutcome,
  type IndexBump,
  type InvstringDecoder,
  type LocalInvoice,
  type PaymentNotification,
  type PaymentRow,
  type SendpayCounters,
} from '../../../src/payments/index.js';
import { defineMethod, dispatchText, dispatchValues, methodTable, type MethodTable } from '../../../src/rpc/dispatch.js';
import { DEFAULT_PARAM_CONTEXT, type ParamContext } from '../../../src/rpc/params.js';
import type { JsonOut, Outcome, RpcError } from '../../../src/rpc/index.js';

export class FakeClock implements Clock {
  now = 0;
  private seq = 0;
  private timers = new Map<number, { at: number; fn: () => void }>();
  setTimeout(fn: () => void, ms: number): unknown {
    const id = ++this.seq;
    this.maxDelay = Math.max(this.maxDelay, ms);
    this.timers.set(id, { at: this.now + ms, fn });
    return id;
  }
  clearTimeout(handle: unknown): void {
    this.timers.delete(handle as number);
  }
  get pending(): number {
    return this.timers.size;
  }
  /** Largest delay ever requested (must stay within setTimeout's limit). */
  maxDelay = 0;
  /** Advance time, firing due timers in order (timers armed while firing run if due). */
  advance(ms: number): void {
    const target = this.now + ms;
    for (;;) {
      let next: [number, { at: number; fn: () => void }] | undefined;
      for (const e of this.timers) if (e[1].at <= target && (next === undefined || e[1].at < next[1].at)) next = e;
      if (next === undefined) break;
      this.timers.delete(next[0]);
      this.now = next[1].at;
      next[1].fn();
    }
    this.now = target;
  }
}

function sk(i: number): Uint8Array {
  const s = new Uint8Array(32);
  s[31] = i;
  return s;
}

const SECRETS = new Map<string, Uint8Array>(Array.from({ length: 10 }, (_, i) => [toHex(pubkeyCreate(sk(i + 1))), sk(i + 1)] as const));

/** Ten valid node ids sorted ascending: ids[0] < ids[1] < … (lexicographic hex order). */
export const ids: string[] = [...SECRETS.keys()].sort();

/** The node secret behind one of `ids` (route nodes peel our onions with it). */
export function secretOf(id: string): Uint8Array {
  const s = SECRETS.get(id);
  if (s === undefined) throw new Error(`no secret for ${id}`);
  return s;
}

export const HASH = 'aa'.repeat(32);
export const HASH2 = 'bb'.repeat(32);
export const SECRET = '11'.repeat(32);
export const PREIMAGE = '22'.repeat(32);

export const NOW = 1_700_000_000;
export const HEIGHT = 800_000;

export function hop(node: string, scid: string, amount: number | bigint | string, delay: number) {
  return { id: node, channel: scid, amount_msat: typeof amount === 'number' ? BigInt(amount) : amount, delay };
}

let channelSeq = 0;

/** A usable channel with `peer` (scid 103x1x0 unless overridden), with a unique channel_id. */
export function channel(peer: string, over: Partial<FirstHop> = {}): FirstHop {
  const channel_id = (++channelSeq).toString(16).padStart(64, '0');
  return { channel_id, peer_id: peer, scid: (103n << 40n) | (1n << 16n) | 0n, our_msat: 1_000_000_000n, can_add_htlc: true, peer_connected: true, ...over };
}

/** scid 103x1x0 as used by `channel()`. */
export const SCID1 = '103x1x0';

/** An HTLC handed to the channel layer, with the attempt row committed alongside it. */
export type Offered = { readonly req: OfferRequest; readonly channel: FirstHop; readonly row: PaymentRow };

/** The channel layer as PaymentsService sees it. */
export class FakeChannels implements ChannelsPort {
  readonly offered: Offered[] = [];
  /** When set, the channel refuses new HTLCs (capacity, dust, too many…) with this failcode/reason. */
  refuse: { failcode: number; reason: string } | undefined;

  constructor(
    private readonly store: Store,
    public hops: FirstHop[],
  ) {}

  firstHops(): FirstHop[] {
    return this.hops;
  }

  async offerHtlc(req: OfferRequest, writes: WriteOp[] | ((htlcId: number) => WriteOp[])): Promise<OfferResult> {
    const ch = this.hops.find((c) => c.channel_id === req.channel_id);
    if (ch === undefined) throw new Error(`offer on channel ${req.channel_id}, which firstHops() never listed`);
    if (this.refuse !== undefined) return { ok: false, ...this.refuse };
    // As ChannelManager does: the attempt's writes go in the same commit as the channel update.
    const ops = typeof writes === 'function' ? writes(this.offered.length) : writes;
    const put = ops.find((op) => op.table === PAYMENTS_TABLE_NAME && 'put' in op);
    if (put === undefined || !('put' in put)) throw new Error('an offered HTLC must be committed with its attempt row');
    await this.store.commit(ops);
    this.offered.push({ req, channel: ch, row: put.put as PaymentRow });
    return { ok: true };
  }
}

const paidKey = (hash: string) => `test_invoice_paid:${hash}`;

/** Our own invoices (self-payments); the paid mark lives in the store and is written by markPaid's ops. */
export class FakeInvoices implements LocalInvoices {
  private readonly byHash = new Map<string, LocalInvoice>();
  constructor(private readonly store: Store) {}

  set(hash: string, inv: LocalInvoice): void {
    this.byHash.set(hash, inv);
  }

  async lookup(hash: string): Promise<LocalInvoice | undefined> {
    const inv = this.byHash.get(hash);
    if (inv === undefined) return undefined;
    return (await this.store.get(META_TABLE, paidKey(hash))) ? { ...inv, status: 'paid' } : inv;
  }

  markPaid(hash: string, amountMsat: bigint): Promise<WriteOp[]> {
    return Promise.resolve([{ table: META_TABLE, put: { key: paidKey(hash), amount_msat: amountMsat } }]);
  }

  async status(hash: string): Promise<LocalInvoice['status'] | undefined> {
    return (await this.lookup(hash))?.status;
  }
}

export type Faults = {
  /** Return true to make this commit fail (and the store with it: fail-stop, as a real disk error). */
  failCommit: ((ops: readonly WriteOp[]) => boolean) | undefined;
};

export type PayerOptions = {
  ownIndex?: number;
  channels?: FirstHop[];
  decodeInvstring?: InvstringDecoder;
  param_context?: ParamContext;
};

const noDecoder: InvstringDecoder = () => ({ ok: false, reason: 'no invoice decoder configured' });

/** Waits (macrotask by macrotask: the memory store settles in microtasks) until `done()` or `p` settled. */
async function until(p: Promise<unknown>, done: () => boolean): Promise<void> {
  let settled = false;
  void p.then(
    () => (settled = true),
    () => (settled = true),
  );
  for (let i = 0; i < 1000; i++) {
    if (settled || done()) return;
    await new Promise((r) => setImmediate(r));
  }
  throw new Error('the call neither registered nor answered');
}

export type Pending = { readonly answer: Promise<Outcome<JsonOut>> };

/** Our node's payments: PaymentsService over the memory store, behind the runtime's method table. */
export class Payer {
  readonly clock = new FakeClock();
  /** Unix seconds the service sees. */
  now = NOW;
  /** Network block height the service sees. */
  height = HEIGHT;
  readonly notifications: PaymentNotification[] = [];
  readonly bumps: IndexBump[] = [];
  /** Errors the service reported as fatal (the node would stop). */
  readonly fatal: unknown[] = [];
  readonly channels: FakeChannels;
  readonly invoices: FakeInvoices;
  readonly service: PaymentsService;
  private readonly table: MethodTable<CallContext>;
  private readonly pctx: ParamContext;

  private constructor(
    readonly store: Store,
    readonly own: string,
    /** Shared by every service opened on this store (restart keeps them). */
    readonly faults: Faults,
    private readonly opts: PayerOptions,
  ) {
    this.channels = new FakeChannels(store, opts.channels ?? [channel(ids[5]!)]);
    this.invoices = new FakeInvoices(store);
    this.pctx = opts.param_context ?? DEFAULT_PARAM_CONTEXT;
    this.service = new PaymentsService({
      store,
      ownNodeId: own,
      clock: this.clock,
      now: () => this.now,
      blockHeight: () => Promise.resolve(this.height),
      channels: this.channels,
      invoices: this.invoices,
      decodeInvstring: opts.decodeInvstring ?? noDecoder,
      notify: (n) => this.notifications.push(n),
      onIndexBump: (b) => {
        if (b.subsystem === 'sendpays') this.bumps.push(b);
      },
      fatal: (e) => this.fatal.push(e),
    });
    const payments = this.service;
    this.table = methodTable<CallContext>([
      ...paymentMethods({ payments, pctx: this.pctx }),
      // As LightningNode routes `wait`: sendpays to the payments service; other subsystems have no
      // events here, so they answer from a zero index.
      defineMethod({
        name: 'wait',
        params: WAIT_PARAMS,
        handler: (p, ctx: CallContext) => (p.subsystem === 'sendpays' ? payments.wait(p, ctx.signal) : decideWaitAtZero(p)),
      }),
    ]);
  }

  static async create(opts: PayerOptions = {}): Promise<Payer> {
    const faults: Faults = { failCommit: undefined };
    const store = await openMemoryStore({
      name: 'payments-test',
      schema: NODE_SCHEMA,
      onCommit: (ops) => {
        if (faults.failCommit?.(ops) === true) throw new Error('injected write failure');
      },
    });
    const payer = new Payer(store, ids[opts.ownIndex ?? 0]!, faults, opts);
    await payer.service.load();
    return payer;
  }

  /**
   * A fresh service on the same store, as after a restart: only what was committed survives (the
   * channels keep their current list; our invoices are re-registered by the caller if needed).
   */
  async restart(): Promise<Payer> {
    const next = new Payer(this.store, this.own, this.faults, { ...this.opts, channels: this.channels.hops });
    await next.service.load();
    return next;
  }

  /** Call a method with JS values (array = positional, object = named). */
  call(method: string, params: unknown, ctx: CallContext = {}): Promise<Outcome<JsonOut>> {
    return dispatchValues(this.table, method, params, ctx, this.pctx);
  }

  /** One JSON-RPC request text in, one response text out. */
  callText(text: string, ctx: CallContext = {}): Promise<string> {
    return dispatchText(this.table, text, ctx, this.pctx);
  }

  /** Starts a waitsendpay and returns once it waits (or has already answered). */
  async waitsendpay(params: unknown, ctx: CallContext = {}): Promise<Pending> {
    const before = this.service.waiters.size;
    const answer = this.call('waitsendpay', params, ctx);
    await until(answer, () => this.service.waiters.size > before);
    return { answer };
  }

  /** Starts a `wait` and returns once it blocks (or has already answered). */
  async wait(params: unknown, ctx: CallContext = {}): Promise<Pending> {
    const before = this.service.indexWaiters.size;
    const answer = this.call('wait', params, ctx);
    await until(answer, () => this.service.indexWaiters.size > before);
    return { answer };
  }

  get counters(): SendpayCounters {
    return this.service.currentCounters;
  }

  /** Every stored row, in created order. */
  rows(): Promise<PaymentRow[]> {
    return this.store.query<PaymentRow>(PAYMENTS_TABLE_NAME);
  }

  get offered(): Offered[] {
    return this.channels.offered;
  }

  /** The HTLC offered for an attempt. */
  offeredFor(id: AttemptId): Offered {
    const o = this.channels.offered.find(
      (x) => x.req.origin.kind === 'payment' && x.req.origin.payment_hash === id.payment_hash && x.req.origin.partid === id.partid && x.req.origin.groupid === id.groupid,
    );
    if (o === undefined) throw new Error(`no HTLC offered for ${id.payment_hash}/${id.partid}/${id.groupid}`);
    return o;
  }

  /** Each route node peels the attempt's onion in turn, as the network would. */
  peel(id: AttemptId): PeelResult[] {
    const o = this.offeredFor(id);
    const route = o.row.route_nodes ?? [];
    const out: PeelResult[] = [];
    let packet = o.req.onion;
    for (const node of route) {
      const r = peelOnion(packet, secretOf(node), o.req.payment_hash);
      out.push(r);
      if (r.kind !== 'forward') break;
      packet = r.nextPacket;
    }
    return out;
  }

  /** The HTLC ended: the service resolves the attempt. */
  settle(id: AttemptId, end: OfferedHtlcEnd): Promise<void> {
    return this.service.resolveOffered(id, end);
  }

  fulfill(id: AttemptId, preimageHex: string): Promise<void> {
    return this.settle(id, { kind: 'fulfilled', preimage: fromHex(preimageHex, 32) });
  }

  /** Our own channel dropped the HTLC after it was stored (channeld's failcode and reason). */
  failLocal(id: AttemptId, failcode: number, reason: string): Promise<void> {
    return this.settle(id, { kind: 'local', failcode, reason });
  }

  /**
   * The reply onion (update_fail_htlc's reason) as it reaches us when route node `k` (0 = first
   * hop) fails the attempt's HTLC with `message`: built with the shared secret that node derives
   * from our onion, then wrapped by every node back to us.
   */
  failureOnion(id: AttemptId, k: number, message: Uint8Array): Uint8Array {
    const layers = this.peel(id);
    const secrets = layers.map((l) => {
      if (l.kind === 'malformed') throw new Error(`route node could not peel: ${l.reason}`);
      return l.sharedSecret;
    });
    if (k >= secrets.length) throw new Error(`route node ${k} never saw the onion`);
    let packet = buildFailurePacket(secrets[k]!, message);
    for (let i = k - 1; i >= 0; i--) packet = wrapFailurePacket(secrets[i]!, packet);
    return packet.reason;
  }

  /** Route node `k` fails the HTLC with `message` (see failureOnion); returns the reply onion. */
  async failRemote(id: AttemptId, k: number, message: Uint8Array): Promise<Uint8Array> {
    const reason = this.failureOnion(id, k, message);
    await this.settle(id, { kind: 'failed', reason });
    return reason;
  }

  /** A reply onion no shared secret opens. */
  failGarbled(id: AttemptId, reason: Uint8Array): Promise<void> {
    return this.settle(id, { kind: 'failed', reason });
  }

  /** Our direct peer answered update_fail_malformed_htlc. */
  failMalformed(id: AttemptId, failure_code: number, sha256_of_onion: Uint8Array): Promise<void> {
    return this.settle(id, { kind: 'malformed', failure_code, sha256_of_onion });
  }

  /** Start-up found the attempt pending with no HTLC anywhere. */
  orphan(id: AttemptId): Promise<void> {
    return this.service.failOrphan(id);
  }

  /**
   * Ends the attempt the way `outcome` describes it, through the real path for that outcome (a
   * remote failure is a real failure onion from route node `origin_index`; its `reply_onion` is
   * not used, the onion built is).
   */
  async resolve(id: AttemptId, outcome: HtlcOutcome): Promise<void> {
    switch (outcome.kind) {
      case 'fulfilled':
        return this.fulfill(id, outcome.preimage);
      case 'remote':
        await this.failRemote(id, outcome.origin_index, outcome.message);
        return;
      case 'unparseable':
        return this.failGarbled(id, outcome.reply_onion);
      case 'malformed':
        return this.failMalformed(id, outcome.failure_code, outcome.sha256_of_onion);
      case 'local':
        return this.failLocal(id, outcome.failcode, outcome.reason);
      case 'unknown':
        return this.orphan(id);
    }
  }
}

function decideWaitAtZero(p: Parameters<typeof decideWait>[0]): Outcome<JsonOut> {
  const d = decideWait(p, 0n);
  if (d.kind === 'done') return d.outcome;
  throw new Error('this harness has no events for subsystem ' + p.subsystem);
}

/** A payer with a channel to ids[5] (scid 103x1x0); `own` is ids[ownIndex ?? 0]. */
export async function makePayer(opts: PayerOptions = {}): Promise<{ payer: Payer; clock: FakeClock; own: string }> {
  const payer = await Payer.create(opts);
  return { payer, clock: payer.clock, own: payer.own };
}

export function expectOk<T>(r: Outcome<T>): T {
  if (!r.ok) throw new Error(`expected success, got ${r.error.code} ${r.error.message}`);
  return r.value;
}

export function expectErr<T>(r: Outcome<T>, code?: number, message?: string): RpcError {
  if (r.ok) throw new Error(`expected an error, got ${JSON.stringify(r.value, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v))}`);
  if (code !== undefined) expect(r.error.code).toBe(code);
  if (message !== undefined) expect(r.error.message).toBe(message);
  return r.error;
}
