// JSON output for results, bigint-safe: u64 values (`*_msat`, groupid, partid, indexes) are bigint
// in our objects and must leave as bare JSON integers, exactly as Core Lightning prints them, even
// above 2^53. Object key order is insertion order; the formatters build objects in CLN's order.
import { LightningError } from '../errors.js';
import { toHex } from '../util/bytes.js';
import { parseJson, type JsonToken } from './json-parse.js';

/** Pre-serialized JSON text inserted verbatim (e.g. a request id echoed exactly as received). */
export class RawJson {
  constructor(readonly text: string) {}
}

export type JsonOut =
  | null
  | boolean
  | number
  | bigint
  | string
  | RawJson
  | readonly JsonOut[]
  | { readonly [key: string]: JsonOut | undefined };

export class JsonValueError extends LightningError {
  constructor(message: string) {
    super('JSON_VALUE', message);
  }
}

/** Serialize without whitespace. `undefined` object members are omitted, like JSON.stringify. */
export function stringifyJson(v: JsonOut): string {
  return write(v, 0);
}

/** Same, for values typed `unknown` (e.g. RpcError.data); throws JsonValueError if unsupported. */
export function stringifyUnknown(v: unknown): string {
  return write(v, 0);
}

function write(v: unknown, depth: number): string {
  if (depth > 512) throw new JsonValueError('value nested too deeply');
  if (v === null) return 'null';
  switch (typeof v) {
    case 'boolean':
      return v ? 'true' : 'false';
    case 'bigint':
      return v.toString();
    case 'number':
      if (!Number.isFinite(v)) throw new JsonValueError('non-finite number has no JSON form');
      return String(v);
    case 'string':
      return JSON.stringify(v);
    case 'object':
      break;
    default:
      throw new JsonValueError(`cannot serialize a ${typeof v}`);
  }
  if (v instanceof RawJson) return v.text;
  // Page callers may hand bytes over Comlink; CLN's API speaks hex.
  if (v instanceof Uint8Array) return JSON.stringify(toHex(v));
  if (Array.isArray(v)) {
    return `[${v.map((x: unknown) => (x === undefined ? 'null' : write(x, depth + 1))).join(',')}]`;
  }
  const proto: unknown = Object.getPrototypeOf(v);
  if (proto !== Object.prototype && proto !== null) throw new JsonValueError('only plain objects serialize to JSON');
  const parts: string[] = [];
  for (const [k, x] of Object.entries(v as Record<string, unknown>)) {
    if (x === undefined) continue;
    parts.push(`${JSON.stringify(k)}:${write(x, depth + 1)}`);
  }
  return `{${parts.join(',')}}`;
}

/**
 * Token tree for a value handed over by a JS caller (Comlink, in-process API): exactly what CLN
 * would see had the caller serialized the value into a JSON request. bigint → JSON integer,
 * Uint8Array → hex string, undefined members dropped (positional undefined → null = absent).
 */
export function tokenFromValue(v: unknown): JsonToken {
  return parseJson(write(v === undefined ? null : v, 0));
}

/** Plain value of a token: integers become bigint when beyond the safe range, strings decoded. */
export type PlainJson = null | boolean | number | bigint | string | PlainJson[] | { [key: string]: PlainJson };

export function tokenToValue(tok: JsonToken): PlainJson {
  switch (tok.type) {
    case 'null':
      return null;
    case 'boolean':
    case 'string':
      return tok.value;
    case 'number': {
      if (/^-?\d+$/.test(tok.full)) {
        const b = BigInt(tok.full);
        return b >= BigInt(Number.MIN_SAFE_INTEGER) && b <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(b) : b;
      }
      return Number(tok.full);
    }
    case 'array':
      return tok.items.map(tokenToValue);
    case 'object': {
      const out: { [key: string]: PlainJson } = {};
      for (const m of tok.members) {
        // Last duplicate wins, as in JSON.parse; defineProperty keeps "__proto__" an ordinary key.
        Object.defineProperty(out, m.name, { value: tokenToValue(m.value), enumerable: true, writable: true, configurable: true });
      }
      return out;
    }
  }
}
