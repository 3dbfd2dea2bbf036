// Sendpay-like rows for the store benchmarks, shared by the Node suite (bench/suites/store.mjs)
// and the Chromium worker (test/browser/workers/bench-store.ts). The table layout mirrors the one
// src/payments/row.ts suggests for the payments table (u64 keys as 20-digit strings).

export const KEY_MAX = '99999999999999999999';

export const BENCH_SCHEMA = {
  migrations: [
    {
      version: 1,
      description: 'payments table (bench)',
      tables: [
        {
          name: 'payments',
          keyPath: 'created_key',
          indexes: [
            { name: 'by_attempt', keyPath: ['payment_hash', 'partid_key', 'groupid_key'], unique: true },
            { name: 'by_hash', keyPath: ['payment_hash', 'created_key'] },
            { name: 'by_updated', keyPath: ['updated_key', 'created_key'] },
            { name: 'by_status_created', keyPath: ['status', 'created_key'] },
            { name: 'by_status_updated', keyPath: ['status', 'updated_key', 'created_key'] },
          ],
        },
      ],
    },
  ],
};

export function u64Key(n) {
  return n.toString().padStart(20, '0');
}

/** Deterministic 32-byte hex for hash number h (xorshift; no crypto needed for a benchmark). */
export function hashHex(h) {
  let x = (h + 1) * 0x9e3779b1;
  let out = '';
  for (let i = 0; i < 8; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out += (x >>> 0).toString(16).padStart(8, '0');
  }
  return out;
}

/** Parts per payment hash: 1, 2 or 3 (MPP), cycling. */
export function partsOf(h) {
  return 1 + (h % 3);
}

/** Number of distinct hashes among the first n rows. */
export function hashCount(n) {
  let rows = 0;
  let h = 0;
  while (rows < n) rows += partsOf(h++);
  return h;
}

/**
 * Rows [from, to) of the sequence (created_index = position + 1). Every 4th row is still
 * pending (updated_index 0), the others were updated in a later, shuffled order.
 */
export function makeRows(from, to) {
  const rows = [];
  let h = 0;
  let pos = 0;
  while (pos < to) {
    const parts = partsOf(h);
    for (let p = 0; p < parts && pos < to; p++, pos++) {
      if (pos < from) continue;
      const created = BigInt(pos + 1);
      const status = pos % 4 === 0 ? 'pending' : pos % 7 === 0 ? 'failed' : 'complete';
      const updated = status === 'pending' ? 0n : BigInt(((pos * 7919) % 1_000_003) + 1);
      const route = new Uint8Array(300);
      for (let i = 0; i < route.length; i++) route[i] = (pos * 31 + i) & 255;
      const amount = BigInt(1000 + (pos % 5000)) * 1000n;
      rows.push({
        created_index: created,
        updated_index: updated,
        created_key: u64Key(created),
        updated_key: u64Key(updated),
        payment_hash: hashHex(h),
        partid: BigInt(p),
        partid_key: u64Key(BigInt(p)),
        groupid: 1n,
        groupid_key: u64Key(1n),
        status,
        amount_msat: amount,
        amount_sent_msat: amount + 1000n,
        destination: `02${hashHex(h + 7)}`.slice(0, 66),
        created_at: 1_700_000_000 + pos,
        label: `bench payment ${h}`,
        route,
      });
    }
    h++;
  }
  return rows;
}

export function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s.length === 0 ? NaN : s[Math.floor(s.length / 2)];
}

/**
 * The measurements, on any Store: fill (batched commits), lookups by payment_hash, 1000-row
 * pages by created_index and by updated_index from random starts. Returns figures in ms.
 */
export async function measureStore(store, n, opts = {}) {
  const batch = opts.batch ?? 2000;
  const lookups = opts.lookups ?? 50;
  const pages = opts.pages ?? 20;
  const now = () => performance.now();
  let fill_ms = 0; // commit time only: generating the rows is not the store's cost
  for (let from = 0; from < n; from += batch) {
    const ops = makeRows(from, Math.min(n, from + batch)).map((put) => ({ table: 'payments', put }));
    const t = now();
    await store.commit(ops);
    fill_ms += now() - t;
  }
  const hashes = hashCount(n);
  const byHash = [];
  let found = 0;
  for (let i = 0; i < lookups; i++) {
    const h = hashHex((i * 7727) % hashes);
    const t = now();
    const rows = await store.query('payments', { index: 'by_hash', range: { lower: [h, ''], upper: [h, KEY_MAX] } });
    byHash.push(now() - t);
    found += rows.length;
  }
  const pageBy = async (index, lowerOf, direction = 'next') => {
    const times = [];
    let rows = 0;
    for (let i = 0; i < pages; i++) {
      const start = 1 + ((i * 104729) % Math.max(1, n - 1000));
      const bound = lowerOf(u64Key(BigInt(start)));
      const range = direction === 'next' ? { lower: bound } : { upper: bound };
      const t = now();
      const page = await store.query('payments', { index, range, limit: 1000, direction });
      times.push(now() - t);
      rows += page.length;
    }
    return { median_ms: median(times), mean_rows: rows / pages };
  };
  const created = await pageBy(undefined, (k) => k);
  const updated = await pageBy('by_updated', (k) => [k, '']);
  // Newest first (direction 'prev': a cursor walk in IndexedDB rather than getAll).
  const createdPrev = await pageBy(undefined, (k) => k, 'prev');
  return {
    rows: n,
    fill_ms: Math.round(fill_ms),
    fill_rows_per_s: Math.round(n / (fill_ms / 1000)),
    by_hash_median_ms: median(byHash),
    by_hash_mean_rows: found / lookups,
    page_created_median_ms: created.median_ms,
    page_created_mean_rows: created.mean_rows,
    page_updated_median_ms: updated.median_ms,
    page_updated_mean_rows: updated.mean_rows,
    page_created_prev_median_ms: createdPrev.median_ms,
    page_created_prev_mean_rows: createdPrev.mean_rows,
  };
}
