// Store benchmark: sendpay-like rows (bench/suites/store/rows.mjs) at 10k and 100k rows, in
// IndexedDB inside a Chromium worker and in the file store on Node. Figures: fill time (batched
// commits), median ms of a lookup of all rows of one payment_hash, and of a 1000-row page by
// created_index >= start and by updated_index >= start; for the file store also the replay time
// of reopening. Targets (at 100k rows): by hash <= 5 ms, a 1000-row page <= 50 ms.
// Prints numbers; asserts nothing about time.
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { BENCH_SCHEMA, measureStore } from './store/rows.mjs';

const SIZES = (process.env.LW_BENCH_STORE_SIZES ?? '10000,100000').split(',').map(Number);
const TARGETS = { rows: 100_000, by_hash_ms: 5, page_1000_ms: 50 };

function verdict(f) {
  if (f.rows !== TARGETS.rows) return undefined;
  return {
    by_hash: f.by_hash_median_ms <= TARGETS.by_hash_ms ? 'met' : 'missed',
    page_created: f.page_created_median_ms <= TARGETS.page_1000_ms ? 'met' : 'missed',
    page_updated: f.page_updated_median_ms <= TARGETS.page_1000_ms ? 'met' : 'missed',
  };
}

async function fileStore(dist) {
  const { openFileStore } = await import(pathToFileURL(join(dist, 'store/file.js')).href);
  const out = [];
  for (const n of SIZES) {
    const dir = mkdtempSync(join(tmpdir(), `lw-bench-store-${n}-`));
    try {
      const store = await openFileStore({ name: dir, schema: BENCH_SCHEMA });
      const figures = await measureStore(store, n);
      const journal_bytes = store.stats().journalBytes;
      await store.close();
      const t0 = performance.now();
      const again = await openFileStore({ name: dir, schema: BENCH_SCHEMA, readOnly: true });
      const reopen_ms = Math.round(performance.now() - t0);
      await again.close();
      out.push({ ...figures, journal_bytes, reopen_ms, targets: verdict(figures) });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  return out;
}

async function indexedDb(ctx) {
  const figures = await ctx.runInChromiumWorker('bench-store', { sizes: SIZES });
  return figures.map((f) => ({ ...f, targets: verdict(f) }));
}

export default async function storeSuite(ctx) {
  // Timings on a shared 2-core machine swing with load: record it next to the figures.
  const result = { targets: TARGETS, loadavg_1m_before: loadavg()[0] };
  try {
    result.indexeddb = await indexedDb(ctx);
  } catch (e) {
    result.indexeddb = { error: e instanceof Error ? e.message : String(e) };
  }
  try {
    result.file = await fileStore(ctx.dist);
  } catch (e) {
    result.file = { error: e instanceof Error ? e.message : String(e) };
  }
  result.loadavg_1m_after = loadavg()[0];
  return result;
}
