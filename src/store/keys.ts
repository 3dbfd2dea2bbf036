// IndexedDB key semantics, implemented once so the memory and file stores order, validate and
// range-filter keys exactly as a browser does, and the IndexedDB store can reject bad keys with
// our typed errors before a transaction starts.
//
// Valid keys (IndexedDB "convert a value to a key", minus Date which is not a StoreValue):
//   number (not NaN; -0 is the same key as 0) < string < binary (Uint8Array) < array of keys.
// Strings compare by UTF-16 code unit (JS `<`), binary byte-wise, arrays element-wise with a
// shorter prefix first. Binary keys are not in the `Key` type, but a record can carry a
// Uint8Array at an index keyPath and IndexedDB indexes it, so the other stores must too.
import { StoreError, type KeyRange, type StoreRecord, type StoreValue } from './types.js';

/** A key as stored internally: `Key` plus binary parts and nested arrays. */
export type AnyKey = number | string | Uint8Array | AnyKey[];

const TYPE_NUMBER = 0;
const TYPE_STRING = 1;
const TYPE_BINARY = 2;
const TYPE_ARRAY = 3;

/** Returns the value as a key, or undefined when IndexedDB would not accept it as one. */
export function asKey(v: unknown): AnyKey | undefined {
  return toKey(v, 0);
}

function toKey(v: unknown, depth: number): AnyKey | undefined {
  if (typeof v === 'number') return Number.isNaN(v) ? undefined : v === 0 ? 0 : v;
  if (typeof v === 'string') return v;
  if (v instanceof Uint8Array) return v;
  if (Array.isArray(v)) {
    // IndexedDB rejects cyclic arrays; a depth bound is our cheap equivalent.
    if (depth > 32) return undefined;
    const out: AnyKey[] = [];
    for (let i = 0; i < v.length; i++) {
      if (!(i in v)) return undefined;
      const k = toKey(v[i], depth + 1);
      if (k === undefined) return undefined;
      out.push(k);
    }
    return out;
  }
  return undefined;
}

/** Like asKey but throws BAD_KEY: for keys the caller supplies (get, delete, ranges, primary keys). */
export function requireKey(v: unknown, what: string): AnyKey {
  const k = asKey(v);
  if (k === undefined) throw new StoreError('BAD_KEY', `${what} is not a valid key (${describe(v)})`);
  return k;
}

function describe(v: unknown): string {
  if (v === undefined) return 'missing';
  if (v === null) return 'null';
  if (typeof v === 'bigint') return 'bigint; store u64 keys as decimal strings';
  if (typeof v === 'number') return 'NaN';
  if (Array.isArray(v)) return 'array with an invalid member';
  return typeof v;
}

function typeRank(k: AnyKey): number {
  if (typeof k === 'number') return TYPE_NUMBER;
  if (typeof k === 'string') return TYPE_STRING;
  if (k instanceof Uint8Array) return TYPE_BINARY;
  return TYPE_ARRAY;
}

/** IndexedDB's "compare two keys": negative, zero or positive. Both must be valid keys. */
export function compareKeys(a: AnyKey, b: AnyKey): number {
  const ta = typeRank(a);
  const tb = typeRank(b);
  if (ta !== tb) return ta - tb;
  switch (ta) {
    case TYPE_NUMBER:
    case TYPE_STRING:
      return a < b ? -1 : a > b ? 1 : 0;
    case TYPE_BINARY: {
      const x = a as Uint8Array;
      const y = b as Uint8Array;
      const n = Math.min(x.length, y.length);
      for (let i = 0; i < n; i++) if (x[i] !== y[i]) return x[i]! - y[i]!;
      return x.length - y.length;
    }
    default: {
      const x = a as AnyKey[];
      const y = b as AnyKey[];
      const n = Math.min(x.length, y.length);
      for (let i = 0; i < n; i++) {
        const c = compareKeys(x[i]!, y[i]!);
        if (c !== 0) return c;
      }
      return x.length - y.length;
    }
  }
}

/** IndexedDB "evaluate a key path" for one path split into members; undefined on failure. */
function readPath(rec: StoreValue | undefined, parts: readonly string[]): unknown {
  let cur: unknown = rec;
  for (const part of parts) {
    // The spec's one special case that applies to StoreValues: "length" of a string or array.
    if (part === 'length' && (typeof cur === 'string' || Array.isArray(cur))) {
      cur = cur.length;
      continue;
    }
    if (cur === null || typeof cur !== 'object') return undefined;
    if (!Object.prototype.hasOwnProperty.call(cur, part)) return undefined;
    cur = (cur as Record<string, unknown>)[part];
  }
  return cur;
}

export type KeyExtractor = (rec: StoreRecord) => AnyKey | undefined;

/**
 * Compiles IndexedDB "extract a key from a value using a key path" (dotted paths, compound
 * lists) once per index, since it runs for every index of every row written.
 */
export function keyExtractor(keyPath: string | string[]): KeyExtractor {
  if (typeof keyPath === 'string') {
    const parts = keyPath.split('.');
    return (rec) => asKey(readPath(rec, parts));
  }
  const paths = keyPath.map((p) => p.split('.'));
  return (rec) => {
    const out: AnyKey[] = [];
    for (const parts of paths) {
      const k = asKey(readPath(rec, parts));
      if (k === undefined) return undefined;
      out.push(k);
    }
    return out;
  };
}

/** One-off key extraction (hot paths keep a keyExtractor). */
export function extractKey(rec: StoreRecord, keyPath: string | string[]): AnyKey | undefined {
  return keyExtractor(keyPath)(rec);
}

/** The primary key of a record being written; a missing or invalid one is BAD_KEY (IndexedDB: DataError). */
export function primaryKeyOf(rec: StoreRecord, keyPath: string | string[], table: string, extract?: KeyExtractor): AnyKey {
  const k = extract === undefined ? extractKey(rec, keyPath) : extract(rec);
  if (k === undefined) {
    const shown = typeof keyPath === 'string' ? keyPath : `[${keyPath.join(', ')}]`;
    throw new StoreError('BAD_KEY', `record for table ${table} has no valid primary key at ${shown}`);
  }
  return k;
}

/** A validated range: bounds are keys, a missing bound is unbounded. */
export interface Bounds {
  lower?: AnyKey;
  upper?: AnyKey;
  lowerOpen: boolean;
  upperOpen: boolean;
}

/** Validates a KeyRange like IDBKeyRange.bound would (BAD_KEY for invalid or crossed bounds). */
export function toBounds(range: KeyRange | undefined): Bounds {
  if (range === undefined) return { lowerOpen: false, upperOpen: false };
  if ('only' in range) {
    const k = requireKey(range.only, 'range.only');
    return { lower: k, upper: k, lowerOpen: false, upperOpen: false };
  }
  const b: Bounds = { lowerOpen: range.lowerOpen === true, upperOpen: range.upperOpen === true };
  if (range.lower !== undefined) b.lower = requireKey(range.lower, 'range.lower');
  if (range.upper !== undefined) b.upper = requireKey(range.upper, 'range.upper');
  if (b.lower !== undefined && b.upper !== undefined) {
    const c = compareKeys(b.lower, b.upper);
    if (c > 0 || (c === 0 && (b.lowerOpen || b.upperOpen))) {
      throw new StoreError('BAD_KEY', 'range lower bound is above its upper bound (the range is empty)');
    }
  }
  return b;
}

/** Checks a QueryOptions.limit: a non-negative integer (0 means no rows, unlike IDB's getAll). */
export function checkLimit(limit: number | undefined): number {
  if (limit === undefined) return Infinity;
  if (!Number.isInteger(limit) || limit < 0) {
    throw new StoreError('BAD_VALUE', `limit must be a non-negative integer, got ${String(limit)}`);
  }
  return limit;
}
