// Shape checks for what an HTTP chain backend answers. The backend is outside our control (a
// misconfigured proxy, a different API version): a wrong shape becomes a BAD_RESPONSE ChainError
// naming what was expected, never a TypeError deep inside the node.
import { ChainError } from './types.js';
import { isHex } from '../util/bytes.js';

export type JsonObject = Record<string, unknown>;

function bad(what: string, expected: string): ChainError {
  return new ChainError('BAD_RESPONSE', `${what}: expected ${expected}`);
}

/** The body as text; a connection dropped mid-body is an HTTP error, not a raw TypeError. */
export async function readText(res: Response, what: string): Promise<string> {
  try {
    return await res.text();
  } catch (e) {
    throw new ChainError('HTTP', `${what}: reading the body failed: ${e instanceof Error ? e.message : String(e)}`, { httpStatus: res.status });
  }
}

/** Parses a response body as JSON. */
export async function readJson(res: Response, what: string): Promise<unknown> {
  const text = await readText(res, what);
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw bad(what, 'a JSON body');
  }
}

export function asObject(v: unknown, what: string): JsonObject {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw bad(what, 'an object');
  return v as JsonObject;
}

export function asArray(v: unknown, what: string): unknown[] {
  if (!Array.isArray(v)) throw bad(what, 'an array');
  return v;
}

export function asString(v: unknown, what: string): string {
  if (typeof v !== 'string') throw bad(what, 'a string');
  return v;
}

/** A non-negative safe integer (heights, counts, indexes, satoshi values). */
export function asCount(v: unknown, what: string): number {
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 0) throw bad(what, 'a non-negative integer');
  return v;
}

/** A signed safe integer (bitcoind's wallet reports conflicted transactions with negative confirmations). */
export function asInteger(v: unknown, what: string): number {
  if (typeof v !== 'number' || !Number.isSafeInteger(v)) throw bad(what, 'an integer');
  return v;
}

/** Hex of whole bytes, lower-cased. */
export function asHex(v: unknown, what: string): string {
  const s = asString(v, what).toLowerCase();
  if (!isHex(s)) throw bad(what, 'hex');
  return s;
}

/** A txid or block hash in display order (64 hex digits). */
export function asHash(v: unknown, what: string): string {
  const s = asString(v, what).toLowerCase();
  if (!isHex(s, 32)) throw bad(what, 'a 64-digit hex hash');
  return s;
}
