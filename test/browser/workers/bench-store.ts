// Store benchmark in a Chromium module Worker (run by bench/suites/store.mjs): fills IndexedDB
// with sendpay-like rows and times lookups by payment_hash and 1000-row pages. Measures only.
import { deleteDB } from 'idb';
import { openIndexedDbStore } from '../../../src/store/indexeddb.js';
import { BENCH_SCHEMA, measureStore, type StoreFigures } from '../../../bench/suites/store/rows.mjs';

interface BenchArgs {
  sizes?: number[];
  batch?: number;
}

export default async function benchStore(raw: unknown, log: (m: string) => void): Promise<StoreFigures[]> {
  const args = (raw ?? {}) as BenchArgs;
  const out: StoreFigures[] = [];
  for (const n of args.sizes ?? [10_000, 100_000]) {
    const name = `lw-bench-${n}-${Date.now()}`;
    const store = await openIndexedDbStore({ name, schema: BENCH_SCHEMA });
    try {
      const figures = await measureStore(store, n, { batch: args.batch });
      log(`${n} rows: ${JSON.stringify(figures)}`);
      out.push(figures);
    } finally {
      await store.close();
      await deleteDB(name);
    }
  }
  return out;
}
