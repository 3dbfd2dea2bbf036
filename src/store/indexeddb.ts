// The browser store: IndexedDB through `idb`. A commit is one readwrite transaction over every
// table it touches with durability 'strict' (the browser flushes to disk before `complete`), so
// it is atomic and durable when commit() resolves. One writer per database is enforced with a
// Web Lock held until close; read-only opens take no lock and read live data. When another
// context upgrades or deletes the database, this connection closes and the store fails (FAILED),
// rather than keep writing under a schema it does not know.
import type { IDBPDatabase } from 'idb';
import { StoreGate } from './gate.js';
import { checkTables, openForRead, openForWrite, type ConnectionEvents } from './idb-open.js';
import { fromIdbError } from './idb-upgrade.js';
import { checkLimit, compareKeys, keyExtractor, primaryKeyOf, requireKey, toBounds, type AnyKey, type Bounds, type KeyExtractor } from './keys.js';
import { targetVersion } from './schema.js';
import {
  StoreError,
  type Key,
  type KeyRange,
  type OpenStoreOptions,
  type QueryOptions,
  type Store,
  type StoreRecord,
  type TableSpec,
  type WriteOp,
} from './types.js';
import { normalizeRecord } from './values.js';
import { tryWebLock, writerLockName, type HeldWebLock } from './web-lock.js';

export interface IndexedDbStoreOptions extends OpenStoreOptions {
  /** How long an upgrade waits for other tabs' connections to close before failing with LOCKED (default 10 s). */
  blockedTimeoutMs?: number;
}

function idbRange(b: Bounds): IDBKeyRange | undefined {
  const lower = b.lower as IDBValidKey | undefined;
  const upper = b.upper as IDBValidKey | undefined;
  if (lower !== undefined && upper !== undefined) return IDBKeyRange.bound(lower, upper, b.lowerOpen, b.upperOpen);
  if (lower !== undefined) return IDBKeyRange.lowerBound(lower, b.lowerOpen);
  if (upper !== undefined) return IDBKeyRange.upperBound(upper, b.upperOpen);
  return undefined;
}

/**
 * Rows per getAll request. Chromium answers one getAll of much more than ~100 KB through a slow
 * path: 1000 rows of 1 KB took ~75 ms in one request and ~22 ms as ten requests of 100 in the
 * same transaction (Chromium 156 worker, 2-core machine). Payment rows are about 1 KB.
 */
const GETALL_CHUNK = 100;

interface PreparedWrite {
  table: string;
  rec?: StoreRecord;
  key?: AnyKey;
}

class IndexedDbStore implements Store {
  readonly backend = 'indexeddb' as const;
  private readonly gate: StoreGate;
  private readonly tables: Map<string, TableSpec>;

  constructor(
    private readonly db: IDBPDatabase,
    readonly readOnly: boolean,
    private readonly name: string,
    tables: TableSpec[],
    private readonly lock: HeldWebLock | undefined,
    events: ConnectionEvents,
  ) {
    this.gate = new StoreGate(`IndexedDB store ${name}`);
    this.tables = new Map(tables.map((t) => [t.name, t]));
    events.versionchange = () => {
      db.close(); // at once, so the other context's upgrade is not blocked by us
      this.gate.fail(`database ${name} was upgraded or deleted by another tab/worker; reopen it`);
    };
    events.terminated = () => this.gate.fail(`the browser closed database ${name} unexpectedly`);
    events.lockLost = (why) => {
      db.close();
      this.gate.fail(`the writer lock of database ${name} was taken by another tab/worker (${why})`);
    };
  }

  private table(name: string): TableSpec {
    const t = this.tables.get(name);
    if (t === undefined) throw new StoreError('UNKNOWN_TABLE', `no table ${String(name)}`);
    return t;
  }

  private checkIndex(t: TableSpec, index: string | undefined): void {
    if (index !== undefined && !t.indexes.some((i) => i.name === index)) {
      throw new StoreError('UNKNOWN_INDEX', `table ${t.name} has no index ${index}`);
    }
  }

  /** IndexedDB errors become StoreErrors; FAILED if the connection was closed under us meanwhile. */
  private mapError(e: unknown): StoreError {
    if (e instanceof StoreError) return e;
    try {
      this.gate.checkNotFailed();
    } catch (failed) {
      return failed as StoreError;
    }
    return fromIdbError(e);
  }

  private read<T>(fn: () => Promise<T>): Promise<T> {
    return this.gate.run(async () => {
      try {
        return await fn();
      } catch (e) {
        throw this.mapError(e);
      }
    });
  }

  get<T extends StoreRecord = StoreRecord>(table: string, key: Key): Promise<T | undefined> {
    return this.read(async () => {
      this.table(table);
      const k = requireKey(key, `key for table ${table}`) as IDBValidKey;
      return (await this.db.get(table, k)) as T | undefined;
    });
  }

  query<T extends StoreRecord = StoreRecord>(table: string, opts: QueryOptions = {}): Promise<T[]> {
    return this.read(async () => {
      const t = this.table(table);
      this.checkIndex(t, opts.index);
      const bounds = toBounds(opts.range);
      const limit = checkLimit(opts.limit);
      if (limit === 0) return []; // getAll's count 0 would mean "no limit"
      const tx = this.db.transaction(table, 'readonly');
      const source = opts.index === undefined ? tx.store : tx.store.index(opts.index);
      if (opts.direction !== 'prev') return (await this.getAllChunked(source, this.sourceKey(t, opts.index), bounds, limit)) as T[];
      const out: T[] = [];
      let cursor = await source.openCursor(idbRange(bounds), 'prev');
      while (cursor !== null && out.length < limit) {
        out.push(cursor.value as T);
        cursor = out.length < limit ? await cursor.continue() : null;
      }
      return out;
    });
  }

  private readonly extractors = new Map<string, { keyOf: KeyExtractor; unique: boolean }>();

  /** How to read the source's key off a record (primary key or index key), and whether it is unique. */
  private sourceKey(t: TableSpec, index: string | undefined): { keyOf: KeyExtractor; unique: boolean } {
    const id = `${t.name}\u0000${index ?? ''}`;
    let e = this.extractors.get(id);
    if (e === undefined) {
      const spec = index === undefined ? undefined : t.indexes.find((i) => i.name === index)!;
      e = spec === undefined ? { keyOf: keyExtractor(t.keyPath), unique: true } : { keyOf: keyExtractor(spec.keyPath), unique: spec.unique === true };
      this.extractors.set(id, e);
    }
    return e;
  }

  /**
   * getAll in requests of GETALL_CHUNK rows, each starting after the last row of the one before.
   * On a non-unique index the next request starts AT the last key (closed) and skips the rows of
   * that key already returned: rows with equal index keys come in primary-key order, so they are
   * the first ones again.
   */
  private async getAllChunked(
    source: { getAll(range?: IDBKeyRange | null, count?: number): Promise<unknown[]> },
    key: { keyOf: KeyExtractor; unique: boolean },
    bounds: Bounds,
    limit: number,
  ): Promise<unknown[]> {
    const out: unknown[] = [];
    let b = bounds;
    let skip = 0;
    while (out.length < limit) {
      const ask = skip + Math.min(GETALL_CHUNK, limit - out.length);
      const chunk = await source.getAll(idbRange(b), ask);
      for (let i = skip; i < chunk.length; i++) out.push(chunk[i]);
      if (chunk.length < ask) break;
      const last = key.keyOf(chunk[chunk.length - 1] as StoreRecord)!;
      if (key.unique) {
        // A last row at a closed upper bound ends the range (an open bound equal to it is no range).
        if (b.upper !== undefined && compareKeys(last, b.upper) >= 0) break;
        b = { ...b, lower: last, lowerOpen: true };
      } else {
        skip = 0;
        for (let i = chunk.length - 1; i >= 0 && compareKeys(key.keyOf(chunk[i] as StoreRecord)!, last) === 0; i--) skip++;
        b = { ...b, lower: last, lowerOpen: false };
      }
    }
    return out;
  }

  count(table: string, opts: { index?: string; range?: KeyRange } = {}): Promise<number> {
    return this.read(async () => {
      const t = this.table(table);
      this.checkIndex(t, opts.index);
      const range = idbRange(toBounds(opts.range));
      const tx = this.db.transaction(table, 'readonly');
      return opts.index === undefined ? tx.store.count(range) : tx.store.index(opts.index).count(range);
    });
  }

  /** Validates and copies every op before any transaction starts (BAD_KEY, BAD_VALUE, UNKNOWN_TABLE). */
  private prepare(ops: readonly WriteOp[]): PreparedWrite[] {
    if (!Array.isArray(ops)) throw new StoreError('BAD_VALUE', 'commit takes an array of operations');
    return ops.map((op) => {
      const t = this.table(op.table);
      if ('put' in op) {
        const rec = normalizeRecord(op.put, t.name);
        primaryKeyOf(rec, t.keyPath, t.name);
        return { table: t.name, rec };
      }
      if ('delete' in op) return { table: t.name, key: requireKey(op.delete, `delete key for table ${t.name}`) };
      throw new StoreError('BAD_VALUE', 'an operation needs `put` or `delete`');
    });
  }

  commit(ops: WriteOp[]): Promise<void> {
    return this.gate.runCommit(async () => {
      try {
        await this.write(ops);
      } catch (e) {
        throw this.mapError(e);
      }
    });
  }

  /** One readwrite transaction with strict durability over every table the ops touch. */
  private async write(ops: WriteOp[]): Promise<void> {
    if (this.readOnly) throw new StoreError('READ_ONLY', 'this store was opened read-only');
    const writes = this.prepare(ops);
    if (writes.length === 0) return;
    const tx = this.db.transaction([...new Set(writes.map((w) => w.table))], 'readwrite', { durability: 'strict' });
    let firstError: unknown;
    const noteError = (e: unknown): void => {
      firstError ??= e;
    };
    try {
      for (const w of writes) {
        const os = tx.objectStore(w.table);
        const req = w.rec !== undefined ? os.put(w.rec) : os.delete(w.key as IDBValidKey);
        req.catch(noteError);
      }
    } catch (e) {
      // A request that throws synchronously leaves the earlier ones queued, and an idle
      // transaction commits: abort it so that none of this commit lands.
      tx.abort();
      tx.done.catch(noteError);
      throw fromIdbError(e);
    }
    tx.commit();
    try {
      await tx.done;
    } catch (e) {
      // The failed request says why (e.g. ConstraintError); the transaction only says "aborted".
      throw fromIdbError(firstError ?? tx.error ?? e);
    }
  }

  async close(): Promise<void> {
    if (!(await this.gate.close())) return;
    this.db.close();
    this.lock?.release();
  }
}

/** Opens (creating or migrating as needed) the IndexedDB database `opts.name`. */
export async function openIndexedDbStore(opts: IndexedDbStoreOptions): Promise<Store> {
  const { name, schema } = opts;
  const readOnly = opts.readOnly === true;
  const target = targetVersion(schema);
  if (typeof indexedDB === 'undefined') throw new StoreError('IO', 'IndexedDB is not available in this runtime');
  const events: ConnectionEvents = {};
  let lock: HeldWebLock | undefined;
  if (!readOnly) {
    lock = await tryWebLock(writerLockName(name), (why) => events.lockLost?.(why));
    if (lock === undefined) throw new StoreError('LOCKED', `database ${name} is open in another tab/worker`);
  }
  try {
    const db = readOnly ? await openForRead(name, target, events) : await openForWrite(name, schema, target, opts.blockedTimeoutMs ?? 10_000, events);
    try {
      checkTables(db, name, schema, target);
    } catch (e) {
      db.close();
      throw e;
    }
    return new IndexedDbStore(db, readOnly, name, schema.migrations[target - 1]!.tables, lock, events);
  } catch (e) {
    lock?.release();
    throw fromIdbError(e);
  }
}
