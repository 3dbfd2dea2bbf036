// Core Lightning's method set bound onto an `rpc` function: the in-process API (Node, Deno,
// Cloudflare) and the page's Worker client expose the same object shape. (Channel `close` is
// reached with `call('close', …)`: `close()` on a client stops the node.)
import type { ConnectTarget, RpcObject, RpcParams, RpcValue } from './types.js';

export type RpcCall = (method: string, params?: RpcParams, opts?: { signal?: AbortSignal }) => Promise<RpcValue>;

/** `connect({ id, url })` → Core Lightning's `connect` with the WebSocket URL as `host`. */
export function connectParams(target: ConnectTarget | string): RpcParams {
  return typeof target === 'string' ? { id: target } : { id: target.id, host: target.url };
}

export function decodeParams(p: RpcParams | string): RpcParams {
  return typeof p === 'string' ? { string: p } : p;
}

export interface CoreMethods {
  getinfo(): Promise<RpcObject>;
  connect(target: ConnectTarget | string): Promise<RpcObject>;
  disconnect(params: { id: string; force?: boolean }): Promise<RpcObject>;
  listpeers(params?: { id?: string }): Promise<RpcObject>;
  listpeerchannels(params?: { id?: string }): Promise<RpcObject>;
  sendpay(params: RpcParams): Promise<RpcObject>;
  waitsendpay(params: RpcParams, options?: { signal?: AbortSignal }): Promise<RpcObject>;
  listsendpays(params?: RpcParams): Promise<RpcObject>;
  listpays(params?: RpcParams): Promise<RpcObject>;
  delpay(params: RpcParams): Promise<RpcObject>;
  wait(params: RpcParams, options?: { signal?: AbortSignal }): Promise<RpcObject>;
  decode(params: RpcParams | string): Promise<RpcObject>;
  createonion(params: RpcParams): Promise<RpcObject>;
  invoice(params: RpcParams): Promise<RpcObject>;
  listinvoices(params?: RpcParams): Promise<RpcObject>;
  fundchannel(params: RpcParams): Promise<RpcObject>;
  call(method: string, params?: RpcParams, options?: { signal?: AbortSignal }): Promise<RpcValue>;
}

export function bindCoreMethods(rpc: RpcCall): CoreMethods {
  const obj = async (method: string, params?: RpcParams, options?: { signal?: AbortSignal }) => (await rpc(method, params ?? {}, options)) as RpcObject;
  return {
    getinfo: () => obj('getinfo'),
    connect: (t) => obj('connect', connectParams(t)),
    disconnect: (p) => obj('disconnect', p),
    listpeers: (p) => obj('listpeers', p),
    listpeerchannels: (p) => obj('listpeerchannels', p),
    sendpay: (p) => obj('sendpay', p),
    waitsendpay: (p, o) => obj('waitsendpay', p, o),
    listsendpays: (p) => obj('listsendpays', p),
    listpays: (p) => obj('listpays', p),
    delpay: (p) => obj('delpay', p),
    wait: (p, o) => obj('wait', p, o),
    decode: (p) => obj('decode', decodeParams(p)),
    createonion: (p) => obj('createonion', p),
    invoice: (p) => obj('invoice', p),
    listinvoices: (p) => obj('listinvoices', p),
    fundchannel: (p) => obj('fundchannel', p),
    call: (m, p, o) => rpc(m, p ?? {}, o),
  };
}
