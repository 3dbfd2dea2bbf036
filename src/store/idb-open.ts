// Opening an IndexedDB database at the schema's version: migrations run in the versionchange
// transaction; a database newer than the code is refused; an upgrade blocked by connections in
// other tabs that never close becomes LOCKED after a timeout instead of hanging forever.
import { openDB, type IDBPDatabase } from 'idb';
import { fromIdbError, runUpgrade, tablesIn } from './idb-upgrade.js';
import { pendingMigrations, sameTables } from './schema.js';
import { StoreError, type StoreSchema, type TableSpec } from './types.js';

/** Where connection events go once the store exists (until then they only close the connection). */
export interface ConnectionEvents {
  /** Another context wants to upgrade or delete the database: we must close and stop. */
  versionchange?: () => void;
  /** The browser closed the connection (storage cleared, disk error). */
  terminated?: () => void;
  /** Our writer Web Lock was stolen (`steal: true` elsewhere). */
  lockLost?: (why: string) => void;
}

function abortQuietly(tx: { abort(): void }): void {
  try {
    tx.abort();
  } catch (e) {
    // InvalidStateError: the transaction already finished or aborted on its own; nothing to undo.
    if (!(e instanceof DOMException && e.name === 'InvalidStateError')) throw e;
  }
}

/** Opens for writing, running pending migrations. */
export function openForWrite(name: string, schema: StoreSchema, target: number, blockedTimeoutMs: number, events: ConnectionEvents): Promise<IDBPDatabase> {
  return new Promise((resolve, reject) => {
    let failure: StoreError | undefined;
    let gaveUp = false;
    let blockedTimer: ReturnType<typeof setTimeout> | undefined;
    const opening = openDB(name, target, {
      upgrade(db, oldVersion, _newVersion, tx) {
        // The abort reason of the versionchange transaction (e.g. ConstraintError from createIndex).
        tx.done.catch((e: unknown) => {
          failure ??= fromIdbError(tx.error ?? e);
        });
        let steps;
        try {
          steps = pendingMigrations(schema, oldVersion, name);
        } catch (e) {
          failure = fromIdbError(e);
          abortQuietly(tx);
          return;
        }
        runUpgrade(db, tx, steps).catch((e: unknown) => {
          failure ??= fromIdbError(e);
          abortQuietly(tx);
        });
      },
      blocked() {
        blockedTimer ??= setTimeout(() => {
          gaveUp = true;
          reject(new StoreError('LOCKED', `database ${name} is open in another tab/worker that does not let it be upgraded (blocked for ${blockedTimeoutMs} ms)`));
        }, blockedTimeoutMs);
      },
      blocking: () => events.versionchange?.(),
      terminated: () => events.terminated?.(),
    });
    opening.then(
      (db) => {
        clearTimeout(blockedTimer);
        if (gaveUp) db.close(); // the caller has been told LOCKED already
        else resolve(db);
      },
      (e: unknown) => {
        clearTimeout(blockedTimer);
        if (!gaveUp) reject(failure ?? fromIdbError(e));
      },
    );
  });
}

/**
 * Opens read-only at whatever version is stored, never starting an upgrade: asking for a newer
 * version would fire versionchange at the writer and close it for nothing. A database that does
 * not exist is not created (the upgrade that would create it is aborted).
 */
export async function openForRead(name: string, target: number, events: ConnectionEvents): Promise<IDBPDatabase> {
  let missing = false;
  let db: IDBPDatabase;
  try {
    db = await openDB(name, undefined, {
      upgrade(_db, _old, _new, tx) {
        missing = true;
        tx.done.catch(() => undefined); // the abort below is the expected outcome
        abortQuietly(tx);
      },
      blocking: () => events.versionchange?.(),
      terminated: () => events.terminated?.(),
    });
  } catch (e) {
    if (missing) throw new StoreError('SCHEMA', `database ${name} does not exist; a read-only open cannot create it`);
    throw fromIdbError(e);
  }
  if (db.version !== target) {
    db.close();
    const why = db.version > target ? 'newer than this code' : 'older; a writer must migrate it first';
    throw new StoreError('SCHEMA', `database ${name} is at schema version ${db.version}, ${why} (this code: ${target})`);
  }
  return db;
}

/** SCHEMA unless the database holds exactly the tables the schema declares at its version. */
export function checkTables(db: IDBPDatabase, name: string, schema: StoreSchema, target: number): void {
  const names = [...db.objectStoreNames];
  let existing: TableSpec[] = [];
  if (names.length > 0) {
    const tx = db.transaction(names, 'readonly');
    existing = tablesIn(names, (n) => tx.objectStore(n));
  }
  if (!sameTables(existing, schema.migrations[target - 1]!.tables)) {
    throw new StoreError('SCHEMA', `database ${name} at version ${target} does not have the tables this code declares for it; add a migration`);
  }
}
