// Framework-agnostic assertions for the store conformance checks, which run under vitest in Node
// and inside a Chromium Worker (no vitest there), so they cannot use `expect`.
import { LightningError } from '../../../src/errors.js';
import type { StoreErrorCode } from '../../../src/store/types.js';

export class CheckFailure extends Error {}

function show(v: unknown): string {
  if (typeof v === 'bigint') return `${v}n`;
  if (typeof v === 'number' && Object.is(v, -0)) return '-0';
  if (v instanceof Uint8Array) return `Uint8Array[${[...v.slice(0, 16)].join(',')}${v.length > 16 ? ',…' : ''}]`;
  if (Array.isArray(v)) return `[${v.map(show).join(', ')}]`;
  if (v !== null && typeof v === 'object') {
    return `{${Object.keys(v)
      .map((k) => `${k}: ${show((v as Record<string, unknown>)[k])}`)
      .join(', ')}}`;
  }
  return typeof v === 'string' ? JSON.stringify(v) : String(v);
}

/** Structural equality that tells bigint, -0, NaN and Uint8Array apart (Object.is for numbers). */
export function deepEqual(a: unknown, b: unknown): boolean {
  if (typeof a !== typeof b) return false;
  if (typeof a === 'number') return Object.is(a, b);
  if (a === null || b === null || typeof a !== 'object') return a === b;
  if (a instanceof Uint8Array || b instanceof Uint8Array) {
    if (!(a instanceof Uint8Array && b instanceof Uint8Array) || a.constructor !== b.constructor) return false;
    return a.length === b.length && a.every((x, i) => x === b[i]);
  }
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) {
    const y = b as unknown[];
    return a.length === y.length && a.every((x, i) => deepEqual(x, y[i]));
  }
  if (Object.getPrototypeOf(a) !== Object.getPrototypeOf(b)) return false;
  const ka = Object.keys(a).sort();
  const kb = Object.keys(b as object).sort();
  return deepEqual(ka, kb) && ka.every((k) => deepEqual((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}

export function assertEqual(actual: unknown, expected: unknown, what: string): void {
  if (!deepEqual(actual, expected)) throw new CheckFailure(`${what}: expected ${show(expected)}, got ${show(actual)}`);
}

export function assert(cond: boolean, what: string): void {
  if (!cond) throw new CheckFailure(what);
}

/** Awaits a rejection with a LightningError carrying `code`. */
export async function assertRejects(p: Promise<unknown>, code: StoreErrorCode, what: string): Promise<LightningError> {
  try {
    await p;
  } catch (e) {
    if (!(e instanceof LightningError)) throw new CheckFailure(`${what}: expected ${code}, got untyped ${String(e)}`);
    if (e.code !== code) throw new CheckFailure(`${what}: expected ${code}, got ${e.code} (${e.message})`);
    return e;
  }
  throw new CheckFailure(`${what}: expected rejection with ${code}, but it resolved`);
}
