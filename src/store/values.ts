// Value rules shared by every store: what a record may contain (StoreValue), and the copies made
// on the way in and out so callers can never mutate stored state through a reference they hold.
import { StoreError, type StoreRecord, type StoreValue } from './types.js';

const MAX_DEPTH = 64;

function isPlainObject(v: object): boolean {
  const proto = Object.getPrototypeOf(v) as unknown;
  return proto === Object.prototype || proto === null;
}

/** Sets a member without going through the `__proto__` setter (a record may own such a member). */
export function setMember(out: Record<string, unknown>, k: string, v: unknown): void {
  if (k === '__proto__') Object.defineProperty(out, k, { value: v, writable: true, enumerable: true, configurable: true });
  else out[k] = v;
}

function bad(path: string, why: string): StoreError {
  return new StoreError('BAD_VALUE', `${path || 'record'}: ${why}`);
}

/**
 * Validates a value against StoreValue and deep-copies it: `undefined` object members are
 * dropped, typed-array subclasses (Node's Buffer) become plain Uint8Array, anything else that
 * is not structured-clone data of the allowed kinds (functions, symbols, Date, Map, class
 * instances, holes or `undefined` in arrays, cycles) is BAD_VALUE.
 */
export function normalizeValue(v: unknown, path = '', depth = 0): StoreValue {
  if (v === null || typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint') {
    return v;
  }
  if (depth > MAX_DEPTH) throw bad(path, `nested deeper than ${MAX_DEPTH} levels (or cyclic)`);
  if (v instanceof Uint8Array) return new Uint8Array(v);
  if (Array.isArray(v)) {
    const out: StoreValue[] = new Array<StoreValue>(v.length);
    for (let i = 0; i < v.length; i++) {
      if (!(i in v) || v[i] === undefined) throw bad(`${path}[${i}]`, 'arrays may not hold undefined or holes');
      out[i] = normalizeValue(v[i], `${path}[${i}]`, depth + 1);
    }
    return out;
  }
  if (typeof v === 'object' && isPlainObject(v)) {
    const out: Record<string, StoreValue> = {};
    for (const k of Object.keys(v)) {
      const m = (v as Record<string, unknown>)[k];
      if (m === undefined) continue;
      setMember(out, k, normalizeValue(m, path ? `${path}.${k}` : k, depth + 1));
    }
    return out;
  }
  const kind = typeof v === 'object' ? ((v as object).constructor?.name ?? 'object') : typeof v;
  throw bad(path, `${kind} is not a storable value`);
}

/** normalizeValue for a whole record (the top level must be a plain object). */
export function normalizeRecord(rec: unknown, table: string): StoreRecord {
  if (rec === null || typeof rec !== 'object' || Array.isArray(rec) || rec instanceof Uint8Array || !isPlainObject(rec)) {
    throw new StoreError('BAD_VALUE', `record for table ${table} must be a plain object`);
  }
  return normalizeValue(rec) as StoreRecord;
}

/** Deep copy of already-normalized data (no checks): what reads hand out. */
export function cloneValue<T extends StoreValue>(v: T): T {
  if (v === null || typeof v !== 'object') return v;
  if (v instanceof Uint8Array) return new Uint8Array(v) as T;
  if (Array.isArray(v)) return v.map((x) => cloneValue(x)) as T;
  const out: Record<string, StoreValue> = {};
  for (const k of Object.keys(v)) {
    const m = v[k];
    if (m !== undefined) setMember(out, k, cloneValue(m));
  }
  return out as T;
}

export function cloneRecord<T extends StoreRecord>(rec: StoreRecord): T {
  return cloneValue(rec as StoreValue) as T;
}
