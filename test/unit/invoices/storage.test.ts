// The records and table definitions really work as Store data: put them through the memory store
// (same contract as IndexedDB), look them up by their unique indexes, and check that the store
// queries we suggest return what the reference selections return.
import { describe, expect, it } from 'vitest';
import {
  FORWARDS_TABLE,
  ZERO_FORWARD_COUNTERS,
  forwardLocalFailed,
  forwardOffered,
  forwardSettled,
  forwardsStoreQuery,
  selectForwards,
  type ForwardRecord,
} from '../../../src/forwarding/index.js';
import { INVOICES_TABLE, invoicesStoreQuery, markInvoicePaid, selectInvoices, type InvoiceRecord, type ListinvoicesPlan } from '../../../src/invoices/index.js';
import { openMemoryStore } from '../../../src/store/memory.js';
import type { KeyRange, Store, StoreRecord, TableSpec } from '../../../src/store/types.js';
import { scid } from '../../../src/types.js';
import { NOW, created, invoice, world } from './helpers.js';

/** The plain-object tables as a store TableSpec (the runtime's schema does the same copy). */
function spec(t: { name: string; keyPath: string | readonly string[]; indexes: readonly { name: string; keyPath: string | readonly string[]; unique?: boolean }[] }): TableSpec {
  return {
    name: t.name,
    keyPath: typeof t.keyPath === 'string' ? t.keyPath : [...t.keyPath],
    indexes: t.indexes.map((i) => ({ name: i.name, keyPath: typeof i.keyPath === 'string' ? i.keyPath : [...i.keyPath], ...(i.unique ? { unique: true } : {}) })),
  };
}

async function open(): Promise<Store> {
  return openMemoryStore({ name: 'n', schema: { migrations: [{ version: 1, description: 'invoices, forwards', tables: [spec(INVOICES_TABLE), spec(FORWARDS_TABLE)] }] } });
}

function range(q: { lower?: string | string[]; upper?: string | string[]; only?: string }): KeyRange | undefined {
  if (q.only !== undefined) return { only: q.only };
  if (q.lower === undefined) return undefined;
  return q.upper === undefined ? { lower: q.lower } : { lower: q.lower, upper: q.upper };
}

describe('invoices in a Store', () => {
  it('records are Store records; by_label and by_payment_hash are unique; queries match the selection', async () => {
    const w = world({ candidates: [] });
    for (const l of ['a', 'b', 'c']) created(invoice(w, [1000, l, 'd']));
    const paid = markInvoicePaid(w.invoices[2]!, 1000n, NOW, w.counters);
    if (!paid.ok) throw new Error(paid.reason);
    w.invoices[2] = paid.record;
    const asRecords: StoreRecord[] = w.invoices;
    const store = await open();
    await store.commit(asRecords.map((put) => ({ table: 'invoices', put })));

    const byLabel = await store.query<InvoiceRecord>('invoices', { index: 'by_label', range: { only: 'b' } });
    expect(byLabel.map((r) => r.label)).toEqual(['b']);
    expect(byLabel[0]!.amount_msat).toBe(1000n);
    const dupLabel = { ...w.invoices[0]!, created_key: '00000000000000000009', payment_hash: 'ff'.repeat(32) };
    await expect(store.commit([{ table: 'invoices', put: dupLabel }])).rejects.toMatchObject({ code: 'CONSTRAINT' });
  });

  it('the listinvoices store queries return the reference selection', async () => {
    const w = world({ candidates: [] });
    for (const l of ['a', 'b', 'c', 'd']) created(invoice(w, [1000, l, 'd']));
    const paid = markInvoicePaid(w.invoices[1]!, 1000n, NOW, w.counters);
    if (!paid.ok) throw new Error(paid.reason);
    w.invoices[1] = paid.record;
    const store = await open();
    await store.commit(w.invoices.map((put) => ({ table: 'invoices', put })));
    const plans: ListinvoicesPlan[] = [
      { kind: 'label', label: 'c' },
      { kind: 'payment_hash', payment_hash: w.invoices[3]!.payment_hash },
      { kind: 'scan', order: 'created', start: 2n, limit: 2 },
      { kind: 'scan', order: 'updated', start: 0n },
    ];
    for (const plan of plans) {
      const q = invoicesStoreQuery(plan);
      const r = range(q);
      const got = await store.query<InvoiceRecord>('invoices', { ...(q.index ? { index: q.index } : {}), ...(r ? { range: r } : {}), ...(q.limit !== undefined ? { limit: q.limit } : {}) });
      expect(got.map((x) => x.label)).toEqual(selectInvoices(plan, w.invoices).map((x) => x.label));
    }
  });
});

describe('forwards in a Store', () => {
  it('the listforwards store queries cover the selection; one record per incoming HTLC', async () => {
    const IN = scid((116n << 40n) | (1n << 16n) | 1n);
    const OUT = scid((118n << 40n) | 1n);
    const inc = (id: bigint) => ({ in_channel: IN, in_htlc_id: id, in_msat: 2000n, received_ms: NOW * 1000 });
    let c = ZERO_FORWARD_COUNTERS;
    const recs: ForwardRecord[] = [];
    const a = forwardOffered(inc(1n), { out_channel: OUT, out_htlc_id: 0n, out_msat: 1000n }, c);
    c = a.counters;
    const b = forwardLocalFailed(inc(2n), 4108, OUT, c);
    c = b.counters;
    const s = forwardSettled(a.record, NOW * 1000 + 1, c);
    if (!s.ok) throw new Error(s.reason);
    recs.push(s.record, b.record);
    const store = await open();
    await store.commit(recs.map((put) => ({ table: 'forwards', put })));

    for (const q of [
      { order: 'created' as const, start: 0n },
      { order: 'updated' as const, start: 0n },
      { order: 'created' as const, start: 0n, status: 'local_failed' as const },
      { order: 'created' as const, start: 0n, out_channel: OUT },
    ]) {
      const sq = forwardsStoreQuery(q);
      const r = range(sq);
      const loaded = await store.query<ForwardRecord>('forwards', { ...(sq.index ? { index: sq.index } : {}), ...(r ? { range: r } : {}) });
      expect(selectForwards(q, loaded).map((x) => x.created_index)).toEqual(selectForwards(q, recs).map((x) => x.created_index));
    }
    // Last: a refused commit stops the store (fail-stop).
    const again = forwardLocalFailed(inc(1n), 4108, OUT, s.counters).record;
    await expect(store.commit([{ table: 'forwards', put: again }])).rejects.toMatchObject({ code: 'CONSTRAINT' });
  });
});
