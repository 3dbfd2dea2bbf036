// What a file store journal record says: either "the schema is now version V with these tables"
// (always the first record) or "this commit happened" (its puts and deletes, in order).
import { asKey, type AnyKey } from './keys.js';
import { Encoder, decodeValue } from './codec.js';
import type { AppliedOp } from './memory-db.js';
import { StoreError, type IndexSpec, type Key, type StoreRecord, type StoreValue, type TableSpec, type WriteOp } from './types.js';

export type JournalRecord = { kind: 'schema'; version: number; tables: TableSpec[] } | { kind: 'commit'; ops: WriteOp[] };

function bad(why: string): StoreError {
  return new StoreError('IO', `malformed journal record: ${why}`);
}

function tableToValue(t: TableSpec): StoreValue {
  return {
    name: t.name,
    keyPath: t.keyPath,
    indexes: t.indexes.map((i) => ({ name: i.name, keyPath: i.keyPath, unique: i.unique === true })),
  };
}

export function encodeSchemaRecord(version: number, tables: TableSpec[]): Uint8Array {
  const e = new Encoder();
  e.value(['schema', version, tables.map(tableToValue)]);
  return e.finish();
}

/** Encodes one commit from its applied ops: puts carry the record, deletes the key. */
export function encodeCommitRecord(ops: readonly AppliedOp[]): Uint8Array {
  const e = new Encoder();
  e.value(['commit', ops.map((op): StoreValue => (op.rec !== undefined ? [op.table.name, op.rec] : [op.table.name, null, op.pk]))]);
  return e.finish();
}

/** Encodes rows of one table as a commit of puts (compaction snapshots). */
export function encodePutsRecord(table: string, rows: readonly StoreRecord[]): Uint8Array {
  const e = new Encoder();
  e.value(['commit', rows.map((r): StoreValue => [table, r])]);
  return e.finish();
}

function isKeyPath(v: StoreValue): v is string | string[] {
  return typeof v === 'string' || (Array.isArray(v) && v.every((p) => typeof p === 'string'));
}

function isObject(v: StoreValue | undefined): v is { [k: string]: StoreValue | undefined } {
  return v !== null && v !== undefined && typeof v === 'object' && !Array.isArray(v) && !(v instanceof Uint8Array);
}

function decodeTable(v: StoreValue): TableSpec {
  if (!isObject(v) || typeof v.name !== 'string' || v.keyPath === undefined || !isKeyPath(v.keyPath) || !Array.isArray(v.indexes)) {
    throw bad('table spec');
  }
  const indexes = v.indexes.map((i): IndexSpec => {
    if (!isObject(i) || typeof i.name !== 'string' || i.keyPath === undefined || !isKeyPath(i.keyPath)) throw bad('index spec');
    return { name: i.name, keyPath: i.keyPath, unique: i.unique === true };
  });
  return { name: v.name, keyPath: v.keyPath, indexes };
}

function decodeOp(v: StoreValue): WriteOp {
  if (!Array.isArray(v) || typeof v[0] !== 'string') throw bad('operation');
  if (v.length === 2 && isObject(v[1])) return { table: v[0], put: v[1] };
  const key: AnyKey | undefined = v.length === 3 && v[1] === null ? asKey(v[2]) : undefined;
  if (key === undefined) throw bad('operation');
  // Binary key parts are valid IndexedDB keys but not in the public Key type.
  return { table: v[0], delete: key as Key };
}

export function decodeRecord(payload: Uint8Array): JournalRecord {
  const v = decodeValue(payload);
  if (!Array.isArray(v)) throw bad('not a list');
  if (v[0] === 'schema' && v.length === 3 && typeof v[1] === 'number' && Array.isArray(v[2])) {
    return { kind: 'schema', version: v[1], tables: v[2].map(decodeTable) };
  }
  if (v[0] === 'commit' && v.length === 2 && Array.isArray(v[1])) return { kind: 'commit', ops: v[1].map(decodeOp) };
  throw bad(`unknown kind ${String(v[0])}`);
}
