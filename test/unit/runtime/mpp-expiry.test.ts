// The payee side of basic MPP in the runtime (InvoicesService): a set still incomplete 60 s after
// its first part fails back with mpp_timeout (23), whether the timer fires on time or late (a new
// part arriving after the deadline finds the set expired); a complete set is fulfilled and never
// failed, even when the clock later passes its deadline. The clock and timers are a fake the
// test drives; the store is the real memory store, the invoices the real `invoice` RPC.
import { beforeEach, describe, expect, it } from 'vitest';
import { InvoicesService, type FinalPart, type PayeeActions } from '../../../src/runtime/invoices-service.js';
import { EventHub } from '../../../src/runtime/events.js';
import { NODE_SCHEMA } from '../../../src/runtime/schema.js';
import { openMemoryStore } from '../../../src/store/memory.js';
import { DELINVOICE_PARAMS, INVOICE_PARAMS, LISTINVOICES_PARAMS } from '../../../src/invoices/index.js';
import { MPP_TIMEOUT_MS } from '../../../src/invoices/mpp.js';
import { parseParams, tokenFromValue } from '../../../src/rpc/index.js';
import type { HtlcFailure } from '../../../src/forwarding/index.js';
import type { Clock } from '../../../src/payments/clock.js';
import { fromHex, toHex } from '../../../src/util/bytes.js';
import { sha256 } from '../../../src/crypto/secp256k1.js';

const HEIGHT = 800_000;
const MPP_TIMEOUT = 23;

/** Timers that fire only when the test advances the clock. */
class FakeClock implements Clock {
  nowMs = 1_738_000_000_000;
  private timers = new Map<number, { at: number; fn: () => void }>();
  private next = 1;

  setTimeout(fn: () => void, ms: number): unknown {
    const id = this.next++;
    this.timers.set(id, { at: this.nowMs + ms, fn });
    return id;
  }

  clearTimeout(handle: unknown): void {
    this.timers.delete(handle as number);
  }

  get pending(): number {
    return this.timers.size;
  }

  /** Moves time forward; with `fire` false the timers stay due but do not run (a late timer). */
  advance(ms: number, fire = true): void {
    this.nowMs += ms;
    if (!fire) return;
    for (const [id, t] of [...this.timers]) {
      if (t.at > this.nowMs) continue;
      this.timers.delete(id);
      t.fn();
    }
  }
}

interface Settled {
  fulfilled: { id: string; preimage: string }[];
  failed: { id: string; failure: HtlcFailure }[];
}

async function setup() {
  const store = await openMemoryStore({ name: 'mpp-expiry', schema: NODE_SCHEMA });
  const clock = new FakeClock();
  const settled: Settled = { fulfilled: [], failed: [] };
  /** A fail of this HTLC waits for `release`: a channel command the invoice work awaits. */
  const hold: { id?: string; release?: Promise<void> } = {};
  const actions: PayeeActions = {
    async fulfill(part, preimage, extra) {
      // The channel commits the invoice's paid record together with the fulfill.
      if (extra.length > 0) await store.commit(extra);
      settled.fulfilled.push({ id: `${part.channel_id}/${part.htlc_id}`, preimage: toHex(preimage) });
    },
    async fail(part, failure) {
      if (hold.id === `${part.channel_id}/${part.htlc_id}`) await hold.release;
      settled.failed.push({ id: `${part.channel_id}/${part.htlc_id}`, failure });
    },
  };
  const service = new InvoicesService({
    store,
    network: 'regtest',
    nodeSecret: fromHex('33'.repeat(32)),
    now: () => Math.floor(clock.nowMs / 1000),
    nowMs: () => clock.nowMs,
    blockHeight: async () => HEIGHT,
    routeHints: () => [],
    events: new EventHub(() => undefined),
    actions,
    clock,
  });
  return { store, clock, settled, service, hold };
}

type Setup = Awaited<ReturnType<typeof setup>>;

async function newInvoice(s: Setup, label: string, amountMsat: bigint): Promise<{ payment_hash: string; payment_secret: string }> {
  const parsed = parseParams(INVOICE_PARAMS, tokenFromValue({ amount_msat: amountMsat.toString(), label, description: label }));
  if (!parsed.ok) throw parsed.error;
  const out = await s.service.invoice(parsed.value);
  if (!out.ok) throw out.error;
  return out.value as unknown as { payment_hash: string; payment_secret: string };
}

function part(inv: { payment_hash: string; payment_secret: string }, htlcId: number, amount: bigint, total: bigint): FinalPart {
  return {
    channel_id: 'cc'.repeat(32),
    htlc_id: htlcId,
    amount_msat: amount,
    cltv_expiry: HEIGHT + 100,
    payment_hash: inv.payment_hash,
    payload: { amt_to_forward: amount, outgoing_cltv_value: HEIGHT + 100, payment_secret: fromHex(inv.payment_secret, 32), total_msat: total },
  };
}

/** Waits for the work a fired timer queued: a no-op through the service's FIFO mutex. */
async function settle(s: Setup): Promise<void> {
  const p = parseParams(DELINVOICE_PARAMS, tokenFromValue({ label: 'no such invoice', status: 'unpaid' }));
  if (!p.ok) throw p.error;
  expect((await s.service.delinvoice(p.value)).ok).toBe(false);
}

describe('MPP receive expiry (runtime)', () => {
  let s: Setup;
  beforeEach(async () => {
    s = await setup();
  });

  it('an incomplete set fails back with mpp_timeout (23) when its timer fires 60 s after the first part', async () => {
    const inv = await newInvoice(s, 'incomplete', 30_000_000n);
    await s.service.onFinalHtlc(part(inv, 0, 10_000_000n, 30_000_000n));
    s.clock.advance(20_000);
    await s.service.onFinalHtlc(part(inv, 1, 10_000_000n, 30_000_000n));
    expect(s.settled.failed).toEqual([]);
    expect(s.clock.pending).toBe(1);

    // Just before the deadline of the FIRST part nothing happens; at it, both parts fail.
    s.clock.advance(MPP_TIMEOUT_MS - 20_000 - 1);
    await settle(s);
    expect(s.settled.failed).toEqual([]);
    s.clock.advance(1);
    await settle(s);
    expect(s.settled.failed.map((f) => f.id).sort()).toEqual([`${'cc'.repeat(32)}/0`, `${'cc'.repeat(32)}/1`]);
    for (const f of s.settled.failed) {
      expect(f.failure.failcode).toBe(MPP_TIMEOUT);
      expect(f.failure.name).toBe('mpp_timeout');
      // The failuremsg sent back: just the 2-byte code.
      expect(toHex(f.failure.message)).toBe('0017');
    }
    expect(s.settled.fulfilled).toEqual([]);
    expect(s.clock.pending).toBe(0);
  });

  it('a timer that fires late: the next part finds the set expired and fails the old parts (not extend the set)', async () => {
    const inv = await newInvoice(s, 'late', 30_000_000n);
    await s.service.onFinalHtlc(part(inv, 0, 10_000_000n, 30_000_000n));
    await s.service.onFinalHtlc(part(inv, 1, 10_000_000n, 30_000_000n));
    // The event loop was busy: the deadline passed, the timer has not run yet.
    s.clock.advance(MPP_TIMEOUT_MS + 5_000, false);
    await s.service.onFinalHtlc(part(inv, 2, 10_000_000n, 30_000_000n));
    // The two expired parts went back with mpp_timeout; the newcomer starts a new set and waits,
    // so the three parts never add up to a paid invoice.
    expect(s.settled.failed.map((f) => [f.id, f.failure.failcode])).toEqual([
      [`${'cc'.repeat(32)}/0`, MPP_TIMEOUT],
      [`${'cc'.repeat(32)}/1`, MPP_TIMEOUT],
    ]);
    expect(s.settled.fulfilled).toEqual([]);
    // ...and the newcomer times out on its own 60 s later.
    s.clock.advance(MPP_TIMEOUT_MS);
    await settle(s);
    expect(s.settled.failed.map((f) => f.id)).toContain(`${'cc'.repeat(32)}/2`);
    expect(s.settled.failed.every((f) => f.failure.failcode === MPP_TIMEOUT)).toBe(true);
    expect(s.settled.fulfilled).toEqual([]);
  });

  it('a complete set is fulfilled and not failed, even once the clock passes its deadline', async () => {
    const inv = await newInvoice(s, 'complete', 30_000_000n);
    const other = await newInvoice(s, 'other', 20_000_000n);
    await s.service.onFinalHtlc(part(inv, 0, 10_000_000n, 30_000_000n));
    await s.service.onFinalHtlc(part(other, 10, 10_000_000n, 20_000_000n));
    s.clock.advance(30_000);
    await s.service.onFinalHtlc(part(inv, 1, 20_000_000n, 30_000_000n));
    const preimages = s.settled.fulfilled.map((f) => f.preimage);
    expect(s.settled.fulfilled.map((f) => f.id)).toEqual([`${'cc'.repeat(32)}/0`, `${'cc'.repeat(32)}/1`]);
    expect(new Set(preimages).size).toBe(1);
    expect(toHex(sha256(fromHex(preimages[0]!)))).toBe(inv.payment_hash);

    // The other invoice's lone part still times out; the paid set's parts are never failed.
    s.clock.advance(MPP_TIMEOUT_MS);
    await settle(s);
    expect(s.settled.failed.map((f) => [f.id, f.failure.failcode])).toEqual([[`${'cc'.repeat(32)}/10`, MPP_TIMEOUT]]);
    expect(s.settled.fulfilled).toHaveLength(2);
    const q = parseParams(LISTINVOICES_PARAMS, tokenFromValue({ payment_hash: inv.payment_hash }));
    if (!q.ok) throw q.error;
    const listed = await s.service.listinvoices(q.value);
    if (!listed.ok) throw listed.error;
    expect((listed.value as unknown as { invoices: { status: string }[] }).invoices[0]?.status).toBe('paid');
  });

  it('a part that leaves its set (its HTLC failed elsewhere) fails the rest at once', async () => {
    const inv = await newInvoice(s, 'left', 30_000_000n);
    await s.service.onFinalHtlc(part(inv, 0, 10_000_000n, 30_000_000n));
    await s.service.onFinalHtlc(part(inv, 1, 10_000_000n, 30_000_000n));
    await s.service.forgetPart('cc'.repeat(32), 0);
    expect(s.settled.failed.map((f) => [f.id, f.failure.failcode])).toEqual([[`${'cc'.repeat(32)}/1`, MPP_TIMEOUT]]);
    expect(s.clock.pending).toBe(0);
  });
});

describe('forgetPart and the invoices mutex', () => {
  let s: Setup;
  beforeEach(async () => {
    s = await setup();
  });

  it('a resolved HTLC that is no part of ours (a forward) does not queue behind invoice work', async () => {
    const inv = await newInvoice(s, 'busy', 30_000_000n);
    let release!: () => void;
    s.hold.id = `${'cc'.repeat(32)}/7`;
    s.hold.release = new Promise<void>((r) => (release = r));
    // Invoice work stuck on a channel command: failing an HTLC for an unknown payment hash.
    const stuck = s.service.onFinalHtlc({ ...part(inv, 7, 1000n, 1000n), payment_hash: '00'.repeat(32) });
    await s.service.forgetPart('dd'.repeat(32), 3); // would hang here behind `stuck`
    expect(s.settled.failed).toEqual([]);
    release();
    await stuck;
    expect(s.settled.failed.map((f) => f.id)).toEqual([`${'cc'.repeat(32)}/7`]);
  });

  it('a part still queued to be accepted when its HTLC leaves is forgotten after it is accepted', async () => {
    const inv = await newInvoice(s, 'queued', 30_000_000n);
    await s.service.onFinalHtlc(part(inv, 0, 10_000_000n, 30_000_000n));
    let release!: () => void;
    s.hold.id = `${'cc'.repeat(32)}/7`;
    s.hold.release = new Promise<void>((r) => (release = r));
    const stuck = s.service.onFinalHtlc({ ...part(inv, 7, 1000n, 1000n), payment_hash: '00'.repeat(32) });
    const queued = s.service.onFinalHtlc(part(inv, 1, 10_000_000n, 30_000_000n));
    const forgotten = s.service.forgetPart('cc'.repeat(32), 1);
    release();
    await Promise.all([stuck, queued, forgotten]);
    // Part 1 joined the set and left it: the set cannot complete, so part 0 fails back now.
    expect(s.settled.failed.map((f) => [f.id, f.failure.failcode])).toEqual([
      [`${'cc'.repeat(32)}/7`, expect.any(Number)],
      [`${'cc'.repeat(32)}/0`, MPP_TIMEOUT],
    ]);
    expect(s.clock.pending).toBe(0);
  });
});
