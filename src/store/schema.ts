// Schema checks and migration planning shared by the three stores, so that "open at version N"
// means the same thing everywhere. A migration step runs in this order:
//   1. create the tables it lists that do not exist yet (with their indexes);
//   2. run its `transform` (it can still read tables that are about to be dropped);
//   3. on tables that already existed: drop indexes that are gone or changed, create new ones
//      (a new unique index over duplicate data fails the open with CONSTRAINT);
//   4. drop the tables it does not list.
// A table's keyPath cannot change (IndexedDB cannot do it in place): use a new table and copy.
import { StoreError, type IndexSpec, type Migration, type StoreSchema, type TableSpec } from './types.js';

function schemaError(message: string): StoreError {
  return new StoreError('SCHEMA', message);
}

function checkKeyPath(kp: unknown, where: string): void {
  const ok = (p: unknown): boolean => typeof p === 'string' && p.length > 0 && p.split('.').every((s) => s.length > 0);
  if (typeof kp === 'string' ? ok(kp) : Array.isArray(kp) && kp.length > 0 && kp.every(ok)) return;
  throw schemaError(`${where}: keyPath must be a member name (or dotted path) or a non-empty list of them`);
}

function checkTables(m: Migration): void {
  const names = new Set<string>();
  for (const t of m.tables) {
    const where = `migration ${m.version}, table ${t.name}`;
    if (typeof t.name !== 'string' || t.name.length === 0) throw schemaError(`migration ${m.version}: a table has no name`);
    if (names.has(t.name)) throw schemaError(`${where}: listed twice`);
    names.add(t.name);
    checkKeyPath(t.keyPath, where);
    const idx = new Set<string>();
    for (const i of t.indexes) {
      if (typeof i.name !== 'string' || i.name.length === 0) throw schemaError(`${where}: an index has no name`);
      if (idx.has(i.name)) throw schemaError(`${where}: index ${i.name} listed twice`);
      idx.add(i.name);
      checkKeyPath(i.keyPath, `${where}, index ${i.name}`);
    }
  }
}

/** Validates the migration list and returns the version it leads to. */
export function targetVersion(schema: StoreSchema): number {
  const ms = schema.migrations;
  if (ms.length === 0) throw schemaError('the schema has no migrations');
  ms.forEach((m, i) => {
    if (m.version !== i + 1) throw schemaError(`migration #${i} has version ${m.version}; versions must be 1, 2, 3, …`);
    checkTables(m);
  });
  return ms.length;
}

/** The migrations to run on a database stored at `stored`; SCHEMA when the stored one is newer. */
export function pendingMigrations(schema: StoreSchema, stored: number, name: string): Migration[] {
  const target = targetVersion(schema);
  if (stored > target) {
    throw schemaError(`database ${name} is at schema version ${stored}, newer than this code's ${target}; refusing to downgrade`);
  }
  return schema.migrations.slice(stored);
}

export function sameKeyPath(a: string | string[], b: string | string[]): boolean {
  if (typeof a === 'string' || typeof b === 'string') return a === b;
  return a.length === b.length && a.every((p, i) => p === b[i]);
}

export function sameIndex(a: IndexSpec, b: IndexSpec): boolean {
  return a.name === b.name && sameKeyPath(a.keyPath, b.keyPath) && (a.unique === true) === (b.unique === true);
}

/** True when two table sets describe the same tables, keyPaths and indexes (order aside). */
export function sameTables(a: TableSpec[], b: TableSpec[]): boolean {
  if (a.length !== b.length) return false;
  for (const ta of a) {
    const tb = b.find((t) => t.name === ta.name);
    if (tb === undefined || !sameKeyPath(ta.keyPath, tb.keyPath) || ta.indexes.length !== tb.indexes.length) return false;
    for (const ia of ta.indexes) {
      const ib = tb.indexes.find((i) => i.name === ia.name);
      if (ib === undefined || !sameIndex(ia, ib)) return false;
    }
  }
  return true;
}

export interface IndexChange {
  table: string;
  drop: string[];
  create: IndexSpec[];
}

export interface MigrationPlan {
  createTables: TableSpec[];
  indexChanges: IndexChange[];
  dropTables: string[];
}

/** What one migration step changes, given the tables that exist before it. */
export function planMigration(current: TableSpec[], m: Migration): MigrationPlan {
  const plan: MigrationPlan = { createTables: [], indexChanges: [], dropTables: [] };
  for (const next of m.tables) {
    const cur = current.find((t) => t.name === next.name);
    if (cur === undefined) {
      plan.createTables.push(next);
      continue;
    }
    if (!sameKeyPath(cur.keyPath, next.keyPath)) {
      throw schemaError(`migration ${m.version}: table ${next.name} changes its keyPath; create a new table and copy the rows in transform`);
    }
    const drop = cur.indexes.filter((i) => !next.indexes.some((n) => sameIndex(i, n))).map((i) => i.name);
    const create = next.indexes.filter((n) => !cur.indexes.some((i) => sameIndex(i, n)));
    if (drop.length > 0 || create.length > 0) plan.indexChanges.push({ table: next.name, drop, create });
  }
  for (const cur of current) if (!m.tables.some((t) => t.name === cur.name)) plan.dropTables.push(cur.name);
  return plan;
}

/** Turns anything a migration threw into a StoreError (typed errors keep their code). */
export function migrationError(version: number, e: unknown): StoreError {
  if (e instanceof StoreError) return e;
  const msg = e instanceof Error ? e.message : String(e);
  return schemaError(`migration ${version} failed: ${msg}`);
}
