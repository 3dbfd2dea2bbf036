// The one persistence contract. Three implementations: memory (tests), IndexedDB via `idb`
// (browsers), and an append-only journal file (the Node daemon). Layers below the runtime never
// touch a Store: they are sans-IO and hand records to the runtime, which commits them.
import { LightningError } from '../errors.js';

/**
 * Index/primary key parts: IndexedDB keys. bigint is NOT a valid key; store u64 keys as strings.
 * Order: number < string < binary (a Uint8Array found at an index keyPath) < array, arrays
 * element-wise. boolean, null, bigint, NaN and objects are not keys.
 */
export type KeyPart = string | number;
export type Key = KeyPart | KeyPart[];

/**
 * Values are plain structured-clone data: string, number, boolean, null, bigint, Uint8Array,
 * arrays and plain objects of those. `undefined` members are dropped; anything else (Date, Map,
 * class instances, functions, `undefined` or holes inside arrays) is BAD_VALUE.
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
  /**
   * A member name or a list of member names (compound key); a name may be a dotted path ("a.b").
   * Records whose key is missing or not a valid key are not indexed.
   */
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
  /**
   * Data migration, run inside the upgrade transaction: await only `tx` calls (IndexedDB commits
   * a transaction that is left idle). Within a step the order is: create the tables that are
   * new, run `transform`, change indexes of existing tables, drop the tables not listed. A
   * table's keyPath cannot change (SCHEMA): copy into a new table instead. A throw aborts the
   * whole open: the database stays at its previous version, untouched.
   */
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
  /** A non-negative integer; 0 returns no rows. */
  limit?: number;
  /** 'prev': descending, ties in a non-unique index by primary key descending too. */
  direction?: 'next' | 'prev';
}

export type WriteOp = { table: string; put: StoreRecord } | { table: string; delete: Key };

export interface OpenStoreOptions {
  /** Database name (IndexedDB) or directory (file store). */
  name: string;
  schema: StoreSchema;
  /**
   * Open without the writer lock; `commit` then fails with READ_ONLY. The database must exist at
   * exactly the schema's version (SCHEMA otherwise). The memory and IndexedDB stores read live
   * data; the file store reads a snapshot taken at open.
   */
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
   * READ_ONLY, CLOSED and FAILED rejections are the exception: nothing was attempted, the state
   * stays as it was. close() waits for calls already made, then later calls reject with CLOSED.
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
