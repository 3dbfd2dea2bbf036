// listsendpays at scale in a Chromium module Worker (run by bench/suites/payments.mjs): the node's
// own IndexedDB database (NODE_SCHEMA) is filled directly through the store with rows made the way
// the runtime makes them (src/payments: a pending row as sendpay stores it, then resolveAttempt to
// complete or failed), then the real browser node (createBrowserNode) opens it and its
// `listsendpays` RPC is timed: by payment_hash, and 1000-row pages by created and updated index.
// Measures only.
import { deleteDB } from 'idb';
import { openIndexedDbStore } from '../../../src/store/indexeddb.js';
import type { Store, WriteOp } from '../../../src/store/types.js';
import { createBrowserNode } from '../../../src/runtime/browser-node.js';
import { META_TABLE, NODE_SCHEMA, PAYMENTS_TABLE_NAME } from '../../../src/runtime/schema.js';
import { resolveAttempt, withKeys, type PaymentRow, type SendpayCounters } from '../../../src/payments/index.js';
import type { LightningNodeApi } from '../../../src/runtime/node-api.js';

export interface ListBenchArgs {
  sizes?: number[];
  /** Rows per store commit while filling. */
  batch?: number;
  /** Timed calls per figure. */
  reps?: number;
}

export interface ListBenchFigures {
  rows: number;
  fill_ms: number;
  node_start_ms: number;
  reps: number;
  by_hash_median_ms: number;
  by_hash_p90_ms: number;
  /** Rows a by-hash call returned (1 to 3: MPP parts). */
  by_hash_rows: number[];
  page_created_median_ms: number;
  page_created_p90_ms: number;
  page_updated_median_ms: number;
  page_updated_p90_ms: number;
  page_rows: number;
}

const NODE_A = '02' + '1'.repeat(64);
const NODE_B = '03' + '2'.repeat(64);
const HEIGHT = 800_000;

/** Deterministic bytes (xorshift): the same database for every run, no crypto needed. */
function bytes(seed: number, n: number): Uint8Array {
  const out = new Uint8Array(n);
  let x = (seed * 0x9e3779b1 + 0x7f4a7c15) | 0 || 1;
  for (let i = 0; i < n; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out[i] = x & 0xff;
  }
  return out;
}

const hex = (b: Uint8Array): string => Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');

/** Payment h has 1, 2 or 3 parts (MPP), cycling. */
const partsOf = (h: number): number => 1 + (h % 3);

/**
 * Row i (0-based) of the database: payment h, part p. A pending row with the fields sendpay stores
 * (route, shared secrets, bolt11, label), then resolved like the runtime resolves it: most complete
 * with the preimage, every 7th payment failed at B with the routing failure CLN keeps.
 */
function makeRow(h: number, part: number, parts: number, created: bigint, counters: SendpayCounters): { row: PaymentRow; counters: SendpayCounters } {
  const amount = 10_000n + BigInt((h * 7919) % 5_000_000);
  const total = amount * BigInt(parts);
  const now = 1_760_000_000 + h;
  const pending = withKeys({
    payment_hash: hex(bytes(h, 32)),
    partid: parts === 1 ? 0n : BigInt(part + 1),
    groupid: 1n,
    created_index: created,
    updated_index: 0n,
    status: 'pending',
    destination: NODE_B,
    amount_msat: amount,
    amount_sent_msat: amount + 1000n + amount / 100_000n,
    total_msat: total,
    created_at: now,
    label: `order-${h}`,
    invstring: 'lnbcrt' + hex(bytes(h + 1_000_000, 150)),
    description: `payment ${h}`,
    route_nodes: [NODE_A, NODE_B],
    route_channels: [(800_000n << 40n) | BigInt(h % 1000), (799_000n << 40n) | 1n],
    shared_secrets: [bytes(h + 2_000_000, 32), bytes(h + 3_000_000, 32)],
    payment_secret: hex(bytes(h + 4_000_000, 32)),
  });
  const failed = h % 7 === 3;
  const message = new Uint8Array([0x40, 0x0f, ...new Uint8Array(8), 0, 0x0c, 0x35, 0x00]);
  const r = resolveAttempt(
    pending,
    failed ? { kind: 'remote', origin_index: 1, message, reply_onion: bytes(h + 5_000_000, 292) } : { kind: 'fulfilled', preimage: hex(bytes(h + 6_000_000, 32)) },
    { own_node_id: '02' + '3'.repeat(64), now: now + 2, counters, siblings: [] },
  );
  return { row: r.rows[0]!, counters: r.counters };
}

async function fill(store: Store, n: number, batch: number): Promise<{ hashes: string[] }> {
  let counters: SendpayCounters = { created: 0n, updated: 0n, deleted: 0n };
  const hashes: string[] = [];
  let ops: WriteOp[] = [];
  let h = 0;
  while (Number(counters.created) < n) {
    const parts = partsOf(h);
    for (let p = 0; p < parts && Number(counters.created) < n; p++) {
      counters = { ...counters, created: counters.created + 1n };
      const made = makeRow(h, p, parts, counters.created, counters);
      counters = made.counters;
      ops.push({ table: PAYMENTS_TABLE_NAME, put: made.row });
      if (p === 0) hashes.push(made.row.payment_hash);
      if (ops.length >= batch) {
        await store.commit(ops);
        ops = [];
      }
    }
    h++;
  }
  ops.push({ table: META_TABLE, put: { key: 'sendpays_counters', created: counters.created, updated: counters.updated, deleted: 0n } });
  await store.commit(ops);
  return { hashes };
}

const median = (xs: number[]): number => quantile(xs, 0.5);
function quantile(xs: number[], q: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return Number(s[Math.min(s.length - 1, Math.floor(q * s.length))]!.toFixed(3));
}

async function timed(node: LightningNodeApi, params: Record<string, unknown>): Promise<{ ms: number; rows: number }> {
  const t0 = performance.now();
  const r = (await node.rpc('listsendpays', params)) as { payments: unknown[] };
  return { ms: performance.now() - t0, rows: r.payments.length };
}

export default async function payBenchList(raw: unknown, log: (m: string) => void): Promise<ListBenchFigures[]> {
  const args = (raw ?? {}) as ListBenchArgs;
  const reps = args.reps ?? 30;
  const out: ListBenchFigures[] = [];
  for (const n of args.sizes ?? [10_000, 100_000]) {
    const dbName = `lw-bench-listsendpays-${n}-${Date.now()}`;
    try {
      const t0 = performance.now();
      const store = await openIndexedDbStore({ name: dbName, schema: NODE_SCHEMA });
      const { hashes } = await fill(store, n, args.batch ?? 1000);
      await store.close();
      const fill_ms = Math.round(performance.now() - t0);
      log(`${n} rows filled in ${fill_ms} ms`);

      const t1 = performance.now();
      const node = await createBrowserNode({ network: 'regtest', dbName, chain: { static: HEIGHT } });
      const node_start_ms = Math.round(performance.now() - t1);
      try {
        // One untimed call of each kind first (IndexedDB and JIT warm-up).
        await timed(node, { payment_hash: hashes[0]! });
        await timed(node, { index: 'created', start: 1, limit: 1000 });
        const byHash: number[] = [];
        const byHashRows = new Set<number>();
        const created: number[] = [];
        const updated: number[] = [];
        let pageRows = 0;
        for (let i = 0; i < reps; i++) {
          const h = await timed(node, { payment_hash: hashes[Math.floor(((i + 0.5) * hashes.length) / reps)]! });
          byHash.push(h.ms);
          byHashRows.add(h.rows);
          // Pages spread over the whole table (start ≥ 1; the last page may be short).
          const start = 1 + Math.floor((i * Math.max(1, n - 1000)) / reps);
          const c = await timed(node, { index: 'created', start, limit: 1000 });
          created.push(c.ms);
          pageRows = Math.max(pageRows, c.rows);
          updated.push((await timed(node, { index: 'updated', start, limit: 1000 })).ms);
        }
        const f: ListBenchFigures = {
          rows: n,
          fill_ms,
          node_start_ms,
          reps,
          by_hash_median_ms: median(byHash),
          by_hash_p90_ms: quantile(byHash, 0.9),
          by_hash_rows: [...byHashRows].sort(),
          page_created_median_ms: median(created),
          page_created_p90_ms: quantile(created, 0.9),
          page_updated_median_ms: median(updated),
          page_updated_p90_ms: quantile(updated, 0.9),
          page_rows: pageRows,
        };
        log(`${n} rows: ${JSON.stringify(f)}`);
        out.push(f);
      } finally {
        await node.close();
      }
    } finally {
      await deleteDB(dbName);
    }
  }
  return out;
}
