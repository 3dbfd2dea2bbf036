// How a rejection crosses Comlink. Comlink's default handler sends only name/message/stack, so
// an RpcError would arrive as a bare Error without `code` and `data`, and a stack trace from the
// Worker would leak to the page. Both sides install this handler (Comlink looks handlers up by
// name on the receiving side), so the page gets a real RpcError instance.
import * as Comlink from 'comlink';
import { LIGHTNINGD, RpcError } from '../rpc/errors.js';
import { errorMessage } from '../errors.js';

/** A thrown value as it travels between Worker and page. */
export type WireThrown =
  | { kind: 'rpc'; code: number; message: string; data?: unknown }
  | { kind: 'abort'; message: string }
  | { kind: 'value'; value: unknown };

export function isAbortError(e: unknown): boolean {
  return typeof e === 'object' && e !== null && (e as { name?: unknown }).name === 'AbortError';
}

/** `data` must survive structured clone; if it cannot, the error still arrives, without it. */
function cloneable(data: unknown): boolean {
  try {
    structuredClone(data);
    return true;
  } catch {
    return false;
  }
}

/**
 * RpcError keeps code, message and data; an abort stays an AbortError (so callers can tell "I
 * cancelled the wait" from a node error); any other Error, LightningError or not, becomes Core
 * Lightning's catch-all -1 with its message, the way lightningd reports internal failures.
 */
export function serializeThrown(value: unknown): WireThrown {
  if (value instanceof RpcError) {
    const out: WireThrown = { kind: 'rpc', code: value.code, message: value.message };
    if (value.data !== undefined && cloneable(value.data)) out.data = value.data;
    return out;
  }
  if (isAbortError(value)) return { kind: 'abort', message: errorMessage(value) };
  if (value instanceof Error) return { kind: 'rpc', code: LIGHTNINGD, message: value.message };
  return cloneable(value) ? { kind: 'value', value } : { kind: 'rpc', code: LIGHTNINGD, message: String(value) };
}

/** The value to throw on the receiving side. */
export function deserializeThrown(w: WireThrown): unknown {
  switch (w.kind) {
    case 'rpc':
      return new RpcError(w.code, w.message, w.data);
    case 'abort':
      return new DOMException(w.message, 'AbortError');
    case 'value':
      return w.value;
  }
}

// Comlink wraps every rejection as `{ value, [throwMarker]: 0 }` and does not export the marker:
// keep its own test of "is this a thrown value" and replace only the (de)serialization.
const comlinkThrow = Comlink.transferHandlers.get('throw');

/** Installs the handler in this realm (Worker or page); idempotent. */
export function installErrorTransfer(): void {
  if (comlinkThrow === undefined) throw new Error('comlink has no "throw" transfer handler to replace');
  Comlink.transferHandlers.set('throw', {
    canHandle: (v: unknown): v is unknown => comlinkThrow.canHandle(v),
    serialize: (v: unknown): [WireThrown, Transferable[]] => [serializeThrown((v as { value: unknown }).value), []],
    deserialize: (w: unknown): never => {
      throw deserializeThrown(w as WireThrown);
    },
  });
}
