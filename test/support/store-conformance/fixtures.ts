// Schemas and helpers shared by the conformance checks.
import type { Migration, Store, StoreRecord, StoreSchema, TableSpec } from '../../../src/store/types.js';

export const ITEMS: TableSpec = {
  name: 'items',
  keyPath: 'id',
  indexes: [
    { name: 'by_x', keyPath: 'x' },
    { name: 'by_u', keyPath: 'u', unique: true },
    { name: 'by_pair', keyPath: ['a', 'b'] },
    { name: 'by_deep', keyPath: 'meta.n' },
  ],
};
export const PAIRS: TableSpec = { name: 'pairs', keyPath: ['k1', 'k2'], indexes: [] };
export const OTHER: TableSpec = { name: 'other', keyPath: 'id', indexes: [{ name: 'by_u', keyPath: 'u', unique: true }] };

/** The schema most checks use: one migration creating three tables. */
export const BASE: StoreSchema = {
  migrations: [{ version: 1, description: 'base tables', tables: [ITEMS, PAIRS, OTHER] }],
};

export function schemaOf(...migrations: Migration[]): StoreSchema {
  return { migrations };
}

/** Primary keys of rows, in the order given. */
export function ids(rows: StoreRecord[], member = 'id'): unknown[] {
  return rows.map((r) => r[member]);
}

/** Puts rows one commit each (so a later failure cannot take them with it). */
export async function putEach(store: Store, table: string, rows: StoreRecord[]): Promise<void> {
  for (const r of rows) await store.commit([{ table, put: r }]);
}

/** Deterministic shuffle (checks must not depend on insertion order, nor be flaky). */
export function shuffled<T>(xs: readonly T[], seed = 7): T[] {
  const out = [...xs];
  let s = seed;
  for (let i = out.length - 1; i > 0; i--) {
    s = (s * 1103515245 + 12345) & 0x7fffffff;
    const j = s % (i + 1);
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}
