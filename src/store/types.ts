// The one persistence contract. Three implementations: memory (tests), IndexedDB via `idb`
// (browsers), and an append-only journal file (the Node daemon). Layers below the runtime never
// touch a Store: they are sans-IO and hand records to the runtime, which commits them.
import { LightningError } from '../errors.js';

/** Index/primary key parts: IndexedDB keys. bigint is NOT a valid key; store u64 keys as strings. */
export type KeyPart = string | number;
export type Key = KeyPart | KeyPart[];

/**
 * Values are plain structured-clone data: string, number, boolean, null, bigint, Uint8Array,
 * arrays and plain objects of those. `undefined` members are dropped.
 */
export type StoreValue =
  | string
  | number
  | boolean
  | null
  | bigint
  | Uint8Array
  | StoreValue[]
  | { [k: string]: StoreValue | undefined };
export type StoreRecord = { [k: string]: StoreValue | undefined };

export interface IndexSpec {
  name: string;
  /** A member name or a list of member names (compound key). Records whose key is missing are not indexed. */
  keyPath: string | string[];
  unique?: boolean;
}

export interface TableSpec {
  name: string;
  keyPath: string | string[];
  indexes: IndexSpec[];
}

/** Read/write access handed to a data migration (runs inside the upgrade, atomically). */
export interface MigrationTx {
  getAll(table: string): Promise<StoreRecord[]>;
  put(table: string, record: StoreRecord): Promise<void>;
  delete(table: string, key: Key): Promise<void>;
}

export interface Migration {
  /** Versions start at 1 and increase by 1. */
  version: number;
  description: string;
  /** The complete table set after this migration (tables/indexes absent here are dropped). */
  tables: TableSpec[];
  transform?: (tx: MigrationTx) => Promise<void>;
}

export interface StoreSchema {
  migrations: Migration[];
}

export type KeyRange =
  | { only: Key }
  | { lower?: Key; upper?: Key; lowerOpen?: boolean; upperOpen?: boolean };

export interface QueryOptions {
  /** Query through this index instead of the primary key. */
  index?: string;
  range?: KeyRange;
  limit?: number;
  direction?: 'next' | 'prev';
}

export type WriteOp = { table: string; put: StoreRecord } | { table: string; delete: Key };

export interface OpenStoreOptions {
  /** Database name (IndexedDB) or directory (file store). */
  name: string;
  schema: StoreSchema;
  /** Open without the writer lock; `commit` then fails with READ_ONLY. */
  readOnly?: boolean;
}

export interface Store {
  readonly backend: 'memory' | 'indexeddb' | 'file';
  readonly readOnly: boolean;
  get<T extends StoreRecord = StoreRecord>(table: string, key: Key): Promise<T | undefined>;
  /** Records in key order of the index (or primary key), filtered by range, capped by limit. */
  query<T extends StoreRecord = StoreRecord>(table: string, opts?: QueryOptions): Promise<T[]>;
  count(table: string, opts?: { index?: string; range?: KeyRange }): Promise<number>;
  /**
   * Applies every op atomically and resolves once durable. On failure it rejects with StoreError
   * and the store becomes `failed`: every later call rejects too (fail-stop, never go on unsaved).
   */
  commit(ops: WriteOp[]): Promise<void>;
  close(): Promise<void>;
}

export type StoreErrorCode =
  | 'LOCKED'
  | 'READ_ONLY'
  | 'FAILED'
  | 'CLOSED'
  | 'CONSTRAINT'
  | 'UNKNOWN_TABLE'
  | 'UNKNOWN_INDEX'
  | 'BAD_KEY'
  | 'BAD_VALUE'
  | 'SCHEMA'
  | 'IO';

export class StoreError extends LightningError {
  constructor(
    override readonly code: StoreErrorCode,
    message: string,
  ) {
    super(code, message);
  }
}
