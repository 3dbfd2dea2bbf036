// The Store facade over a MemoryDatabase, shared by the memory and file stores. Subclasses
// decide how a commit becomes durable (`persist`) and whether calls must queue (`exclusive`).
import { StoreGate } from './gate.js';
import { checkLimit, requireKey, toBounds } from './keys.js';
import type { AppliedOp, MemoryDatabase } from './memory-db.js';
import { StoreError, type Key, type KeyRange, type QueryOptions, type Store, type StoreRecord, type WriteOp } from './types.js';
import { cloneRecord } from './values.js';

export abstract class MemoryBackedStore implements Store {
  abstract readonly backend: 'memory' | 'file';
  protected readonly gate: StoreGate;

  constructor(
    protected db: MemoryDatabase,
    readonly readOnly: boolean,
    what: string,
  ) {
    this.gate = new StoreGate(what);
  }

  /** Runs `fn` after the calls queued before it (default: at once; the memory store is synchronous). */
  protected exclusive<T>(fn: () => Promise<T>): Promise<T> {
    return fn();
  }

  /** Makes an applied commit durable; a throw fails the store. */
  protected abstract persist(applied: AppliedOp[], ops: readonly WriteOp[]): Promise<void>;

  /** Called before validation; a throw fails the commit (the memory store's fault injection). */
  protected beforeCommit(_ops: readonly WriteOp[]): void {}

  /** A read: queued like any call, re-checking the state when its turn comes. */
  protected read<T>(fn: () => T): Promise<T> {
    return this.gate.run(() =>
      this.exclusive(async () => {
        this.gate.checkNotFailed();
        return fn();
      }),
    );
  }

  get<T extends StoreRecord = StoreRecord>(table: string, key: Key): Promise<T | undefined> {
    return this.read(() => {
      const t = this.db.table(table);
      const rec = t.get(requireKey(key, `key for table ${table}`));
      return rec === undefined ? undefined : cloneRecord<T>(rec);
    });
  }

  query<T extends StoreRecord = StoreRecord>(table: string, opts: QueryOptions = {}): Promise<T[]> {
    return this.read(() => {
      const t = this.db.table(table);
      const rows = t.select(opts.index, toBounds(opts.range), checkLimit(opts.limit), opts.direction === 'prev');
      return rows.map((r) => cloneRecord<T>(r));
    });
  }

  count(table: string, opts: { index?: string; range?: KeyRange } = {}): Promise<number> {
    return this.read(() => this.db.table(table).count(opts.index, toBounds(opts.range)));
  }

  commit(ops: WriteOp[]): Promise<void> {
    return this.gate.runCommit(() =>
      this.exclusive(async () => {
        this.gate.checkNotFailed();
        if (this.readOnly) throw new StoreError('READ_ONLY', 'this store was opened read-only');
        this.beforeCommit(ops);
        const applied = this.db.commit(ops);
        await this.persist(applied, ops);
      }),
    );
  }

  /** Releases what the backend holds (lock, files); called once, after calls in flight settle. */
  protected abstract release(): Promise<void>;

  async close(): Promise<void> {
    if (await this.gate.close()) await this.release();
  }
}
