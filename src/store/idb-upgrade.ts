// Migrations inside IndexedDB's versionchange transaction, so a schema upgrade and its data
// transforms commit or abort together. The step order is schema.ts's, the same as the other stores.
import type { IDBPDatabase, IDBPObjectStore, IDBPTransaction } from 'idb';
import { toStoreError } from './gate.js';
import { primaryKeyOf, requireKey } from './keys.js';
import { migrationError, planMigration } from './schema.js';
import { StoreError, type Migration, type MigrationTx, type StoreRecord, type TableSpec, type StoreErrorCode } from './types.js';
import { normalizeRecord } from './values.js';

export type UpgradeTx = IDBPTransaction<unknown, string[], 'versionchange'>;

const DOM_ERRORS: Record<string, StoreErrorCode> = {
  ConstraintError: 'CONSTRAINT',
  DataError: 'BAD_KEY',
  DataCloneError: 'BAD_VALUE',
  NotFoundError: 'UNKNOWN_TABLE',
  VersionError: 'SCHEMA',
  QuotaExceededError: 'IO',
};

/** Maps an IndexedDB DOMException (or anything else) to a StoreError. */
export function fromIdbError(e: unknown): StoreError {
  if (e instanceof StoreError) return e;
  if (e instanceof DOMException) return new StoreError(DOM_ERRORS[e.name] ?? 'IO', `IndexedDB ${e.name}: ${e.message}`);
  return toStoreError(e);
}

/** The tables as they exist, read from a transaction covering all of them. */
export function tablesIn(storeNames: Iterable<string>, objectStore: (name: string) => IDBObjectStore | IDBPObjectStore<unknown, string[], string, IDBTransactionMode>): TableSpec[] {
  return [...storeNames].map((name) => {
    const os = objectStore(name);
    return {
      name,
      keyPath: os.keyPath as string | string[],
      indexes: [...os.indexNames].map((i) => {
        const ix = os.index(i);
        return { name: i, keyPath: ix.keyPath as string | string[], unique: ix.unique };
      }),
    };
  });
}

function migrationTx(db: IDBPDatabase, tx: UpgradeTx): MigrationTx {
  const store = (table: string) => {
    if (!db.objectStoreNames.contains(table)) throw new StoreError('UNKNOWN_TABLE', `no table ${table}`);
    return tx.objectStore(table);
  };
  return {
    getAll: async (table) => (await store(table).getAll()) as StoreRecord[],
    put: async (table, record) => {
      const os = store(table);
      const rec = normalizeRecord(record, table);
      primaryKeyOf(rec, os.keyPath as string | string[], table);
      await os.put(rec);
    },
    delete: async (table, key) => {
      await store(table).delete(requireKey(key, `delete key for table ${table}`) as IDBValidKey);
    },
  };
}

/**
 * Runs the migration steps. Must be started from idb's `upgrade` callback; it only awaits
 * requests of `tx`, so the versionchange transaction stays active throughout (a transform that
 * awaits anything else would let it commit early — see Migration.transform).
 */
export async function runUpgrade(db: IDBPDatabase, tx: UpgradeTx, steps: readonly Migration[]): Promise<void> {
  for (const m of steps) {
    try {
      const plan = planMigration(tablesIn(db.objectStoreNames, (n) => tx.objectStore(n)), m);
      for (const t of plan.createTables) {
        const os = db.createObjectStore(t.name, { keyPath: t.keyPath });
        for (const i of t.indexes) os.createIndex(i.name, i.keyPath, { unique: i.unique === true });
      }
      if (m.transform !== undefined) await m.transform(migrationTx(db, tx));
      for (const ch of plan.indexChanges) {
        const os = tx.objectStore(ch.table);
        for (const name of ch.drop) os.deleteIndex(name);
        for (const i of ch.create) os.createIndex(i.name, i.keyPath, { unique: i.unique === true });
      }
      for (const name of plan.dropTables) db.deleteObjectStore(name);
    } catch (e) {
      throw migrationError(m.version, e instanceof DOMException ? fromIdbError(e) : e);
    }
  }
}
