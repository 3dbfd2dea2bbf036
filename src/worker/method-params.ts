// The client's convenience signatures → Core Lightning's method parameters. Everything else is
// passed through untouched: the node parses params exactly like lightningd (named or positional),
// so it alone reports bad ones, with CLN's messages.
import type { ConnectTarget, RpcParams } from '../runtime/types.js';

/**
 * `connect({ id, url })` is CLN's `connect` with `host` = the WebSocket URL (the runtime accepts
 * ws(s):// URLs as hosts). A string is CLN's own `id` form: "ID", "ID@HOST:PORT" or "ID@ws://…".
 */
export function connectParams(target: ConnectTarget | string): RpcParams {
  if (typeof target === 'string') return { id: target };
  return { id: target.id, host: target.url };
}

/** `decode(string)` is `decode { string }`; an object or array is already CLN's params. */
export function decodeParams(params: RpcParams | string): RpcParams {
  return typeof params === 'string' ? { string: params } : params;
}

/** Methods with no params are called with `{}` (named, empty), as lightning-cli does. */
export function orEmpty(params: RpcParams | undefined): RpcParams {
  return params ?? {};
}
