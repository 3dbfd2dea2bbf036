// Types of rows.mjs for its TypeScript importer (the Chromium bench worker).
import type { Store, StoreRecord, StoreSchema } from '../../../src/store/types.js';

export declare const KEY_MAX: string;
export declare const BENCH_SCHEMA: StoreSchema;
export declare function u64Key(n: bigint): string;
export declare function hashHex(h: number): string;
export declare function partsOf(h: number): number;
export declare function hashCount(n: number): number;
export declare function makeRows(from: number, to: number): StoreRecord[];
export declare function median(xs: number[]): number;

export interface StoreFigures {
  rows: number;
  fill_ms: number;
  fill_rows_per_s: number;
  by_hash_median_ms: number;
  by_hash_mean_rows: number;
  page_created_median_ms: number;
  page_created_mean_rows: number;
  page_updated_median_ms: number;
  page_updated_mean_rows: number;
  page_created_prev_median_ms: number;
  page_created_prev_mean_rows: number;
}

export declare function measureStore(store: Store, n: number, opts?: { batch?: number; lookups?: number; pages?: number }): Promise<StoreFigures>;
