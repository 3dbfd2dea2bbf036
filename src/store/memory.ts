// The memory store: for tests and ephemeral nodes. Without a volume each open is a fresh, private
// database. With a MemoryVolume (a stand-in for a browser profile or a disk) databases outlive
// close/reopen by name, one writer per name is enforced (LOCKED), read-only opens share the live
// data, and a migration by a later open fails the older connections like IndexedDB's
// versionchange does — so tests of restarts and second tabs behave as in production.
import { MemoryDatabase, type AppliedOp } from './memory-db.js';
import { MemoryBackedStore } from './memory-store.js';
import { pendingMigrations, sameTables, targetVersion } from './schema.js';
import { StoreError, type OpenStoreOptions, type Store, type StoreSchema, type WriteOp } from './types.js';

interface VolumeEntry {
  db: MemoryDatabase;
  /** Open stores on this database, told when a migration replaces it. */
  connections: Set<MemoryStore>;
}

export class MemoryVolume {
  private readonly entries = new Map<string, VolumeEntry>();
  private readonly writers = new Set<string>();

  /** Names of the databases on this volume. */
  names(): string[] {
    return [...this.entries.keys()];
  }

  /** Deletes a database (like indexedDB.deleteDatabase); LOCKED while a writer has it open. */
  delete(name: string): void {
    if (this.writers.has(name)) throw new StoreError('LOCKED', `database ${name} is open for writing`);
    const e = this.entries.get(name);
    if (e === undefined) return;
    for (const c of e.connections) c.invalidate('the database was deleted');
    this.entries.delete(name);
  }

  /** @internal */
  lockWriter(name: string): void {
    if (this.writers.has(name)) throw new StoreError('LOCKED', `database ${name} is open in another tab/worker`);
    this.writers.add(name);
  }

  /** @internal */
  unlockWriter(name: string): void {
    this.writers.delete(name);
  }

  /** @internal */
  entry(name: string): VolumeEntry | undefined {
    return this.entries.get(name);
  }

  /** @internal Installs a (migrated) database, failing connections to the one it replaces. */
  install(name: string, db: MemoryDatabase): VolumeEntry {
    const old = this.entries.get(name);
    if (old !== undefined && old.db !== db) {
      for (const c of old.connections) c.invalidate('the database was upgraded by another connection');
    }
    const e: VolumeEntry = old !== undefined && old.db === db ? old : { db, connections: new Set() };
    this.entries.set(name, e);
    return e;
  }
}

export function createMemoryVolume(): MemoryVolume {
  return new MemoryVolume();
}

export interface MemoryStoreOptions extends OpenStoreOptions {
  /** Where databases live across opens; omitted: a private database that vanishes on close. */
  volume?: MemoryVolume;
  /**
   * Fault injection for tests: called before each commit is applied; throwing makes the commit
   * reject (IO unless a StoreError is thrown) and the store fail, as a failed disk write would.
   */
  onCommit?: (ops: readonly WriteOp[]) => void;
}

class MemoryStore extends MemoryBackedStore {
  readonly backend = 'memory' as const;

  constructor(
    db: MemoryDatabase,
    readOnly: boolean,
    private readonly name: string,
    private readonly entry: VolumeEntry | undefined,
    private readonly volume: MemoryVolume | undefined,
    private readonly onCommit: ((ops: readonly WriteOp[]) => void) | undefined,
  ) {
    super(db, readOnly, `memory store ${name}`);
    entry?.connections.add(this);
  }

  /** @internal Another connection replaced or deleted the database under us. */
  invalidate(reason: string): void {
    this.gate.fail(reason);
  }

  protected override beforeCommit(ops: readonly WriteOp[]): void {
    if (this.onCommit === undefined) return;
    try {
      this.onCommit(ops);
    } catch (e) {
      if (e instanceof StoreError) throw e;
      throw new StoreError('IO', `write failed: ${e instanceof Error ? e.message : String(e)}`);
    }
  }

  protected async persist(_applied: AppliedOp[]): Promise<void> {
    // Memory is as durable as this store gets.
  }

  protected async release(): Promise<void> {
    this.entry?.connections.delete(this);
    if (!this.readOnly) this.volume?.unlockWriter(this.name);
  }
}

async function migrateInto(db: MemoryDatabase, schema: StoreSchema, name: string, readOnly: boolean): Promise<MemoryDatabase> {
  const target = targetVersion(schema);
  const steps = pendingMigrations(schema, db.version, name);
  if (steps.length === 0) {
    if (!sameTables(db.specs(), schema.migrations[target - 1]!.tables)) {
      throw new StoreError('SCHEMA', `database ${name} at version ${target} does not have the tables this code declares for it; add a migration`);
    }
    return db;
  }
  if (readOnly) {
    throw new StoreError('SCHEMA', `database ${name} is at version ${db.version}; a read-only open cannot migrate it to ${target}`);
  }
  // Migrate a copy so that a failing migration leaves the stored database untouched.
  const work = db.clone();
  await work.migrate(steps);
  return work;
}

export async function openMemoryStore(opts: MemoryStoreOptions): Promise<Store> {
  const { name, schema, volume } = opts;
  const readOnly = opts.readOnly === true;
  targetVersion(schema);
  if (volume === undefined) {
    const db = await migrateInto(new MemoryDatabase(), schema, name, readOnly);
    return new MemoryStore(db, readOnly, name, undefined, undefined, opts.onCommit);
  }
  if (!readOnly) volume.lockWriter(name);
  try {
    const current = volume.entry(name)?.db ?? new MemoryDatabase();
    const db = await migrateInto(current, schema, name, readOnly);
    return new MemoryStore(db, readOnly, name, volume.install(name, db), volume, opts.onCommit);
  } catch (e) {
    if (!readOnly) volume.unlockWriter(name);
    throw e;
  }
}
