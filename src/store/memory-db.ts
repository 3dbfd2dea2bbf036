// The in-memory database: tables, all-or-nothing commits and migrations. The memory store is this
// plus a Store facade; the file store is this plus a journal it replays into it on open.
import { requireKey, type AnyKey } from './keys.js';
import { MemoryTable } from './memory-table.js';
import { migrationError, planMigration } from './schema.js';
import { StoreError, type Key, type Migration, type MigrationTx, type StoreRecord, type TableSpec, type WriteOp } from './types.js';
import { cloneRecord, normalizeRecord } from './values.js';

/** A validated write: `rec` set for a put (a private copy), absent for a delete. */
export interface PreparedOp {
  table: MemoryTable;
  pk: AnyKey;
  rec?: StoreRecord;
}

/** What a write replaced (undefined if the key was absent), for rollback and size accounting. */
export interface AppliedOp extends PreparedOp {
  prev?: StoreRecord;
}

export class MemoryDatabase {
  version = 0;
  private readonly tables = new Map<string, MemoryTable>();

  table(name: string): MemoryTable {
    const t = this.tables.get(name);
    if (t === undefined) throw new StoreError('UNKNOWN_TABLE', `no table ${String(name)}`);
    return t;
  }

  specs(): TableSpec[] {
    return [...this.tables.values()].map((t) => t.spec);
  }

  tableNames(): string[] {
    return [...this.tables.keys()];
  }

  createTable(spec: TableSpec): void {
    const t = new MemoryTable(spec.name, spec.keyPath);
    for (const i of spec.indexes) t.addIndex(i);
    this.tables.set(spec.name, t);
  }

  dropTable(name: string): void {
    this.tables.delete(name);
  }

  /**
   * Validates every op and copies its record, changing nothing: UNKNOWN_TABLE, BAD_KEY and
   * BAD_VALUE surface here. `trusted` skips the copy for records this module decoded itself.
   */
  prepare(ops: readonly WriteOp[], trusted = false): PreparedOp[] {
    if (!Array.isArray(ops)) throw new StoreError('BAD_VALUE', 'commit takes an array of operations');
    return ops.map((op) => {
      if (op === null || typeof op !== 'object') throw new StoreError('BAD_VALUE', 'an operation must be an object');
      const table = this.table(op.table);
      if ('put' in op) {
        const rec = trusted ? op.put : normalizeRecord(op.put, table.name);
        return { table, pk: table.primaryKey(rec), rec };
      }
      if ('delete' in op) return { table, pk: requireKey(op.delete, `delete key for table ${table.name}`) };
      throw new StoreError('BAD_VALUE', 'an operation needs `put` or `delete`');
    });
  }

  /**
   * Applies prepared ops in order, all or nothing: on CONSTRAINT every earlier op is undone.
   * `checked: false` skips unique checks, for replaying commits that passed them when made.
   */
  apply(prepared: readonly PreparedOp[], checked = true): AppliedOp[] {
    const done: AppliedOp[] = [];
    try {
      for (const op of prepared) {
        let prev: StoreRecord | undefined;
        if (op.rec !== undefined) {
          if (checked) op.table.checkUnique(op.pk, op.rec);
          prev = op.table.put(op.pk, op.rec);
        } else {
          prev = op.table.delete(op.pk);
        }
        done.push(prev === undefined ? op : { ...op, prev });
      }
    } catch (e) {
      // Undo newest first: each step restores a state that was consistent before it.
      for (let i = done.length - 1; i >= 0; i--) {
        const d = done[i]!;
        if (d.prev !== undefined) d.table.put(d.pk, d.prev);
        else d.table.delete(d.pk);
      }
      throw e;
    }
    return done;
  }

  commit(ops: readonly WriteOp[]): AppliedOp[] {
    return this.apply(this.prepare(ops));
  }

  private migrationTx(): MigrationTx {
    return {
      getAll: async (table: string) => {
        const out: StoreRecord[] = [];
        this.table(table).forEachRow((_pk, rec) => out.push(cloneRecord(rec)));
        return out;
      },
      put: async (table: string, record: StoreRecord) => {
        this.commit([{ table, put: record }]);
      },
      delete: async (table: string, key: Key) => {
        this.commit([{ table, delete: key }]);
      },
    };
  }

  /**
   * Runs migration steps in place (see schema.ts for the order inside a step). Not atomic by
   * itself: callers migrate a clone, or a state they can throw away, and keep it only on success.
   */
  async migrate(steps: readonly Migration[]): Promise<void> {
    for (const m of steps) {
      try {
        const plan = planMigration(this.specs(), m);
        for (const t of plan.createTables) this.createTable(t);
        if (m.transform !== undefined) await m.transform(this.migrationTx());
        for (const ch of plan.indexChanges) {
          const t = this.table(ch.table);
          for (const name of ch.drop) t.dropIndex(name);
          for (const spec of ch.create) t.addIndex(spec);
        }
        for (const name of plan.dropTables) this.dropTable(name);
      } catch (e) {
        throw migrationError(m.version, e);
      }
      this.version = m.version;
    }
  }

  /** A copy sharing the (immutable) row objects, for migrating without touching the original. */
  clone(): MemoryDatabase {
    const out = new MemoryDatabase();
    out.version = this.version;
    for (const t of this.tables.values()) {
      out.createTable(t.spec);
      const copy = out.table(t.name);
      t.forEachRow((pk, rec) => copy.put(pk, rec));
    }
    return out;
  }
}
