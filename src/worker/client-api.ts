// LightningClient over a WorkerSession: each method is Core Lightning's method of the same name
// (connect and decode also take a shorter form). The node parses and judges params; results are
// what the node returned, cloned across the Worker boundary.
import { LIGHTNINGD, RpcError } from '../rpc/errors.js';
import type { RpcObject, RpcParams, RpcValue } from '../runtime/types.js';
import type { PersistenceOutcome } from '../store/persistence.js';
import { connectParams, decodeParams, orEmpty } from './method-params.js';
import type { WorkerSession } from './session.js';
import type { LightningClient } from './types.js';

function asObject(method: string, v: RpcValue): RpcObject {
  if (typeof v === 'object' && v !== null && !Array.isArray(v)) return v;
  throw new RpcError(LIGHTNINGD, `${method} returned ${v === null ? 'null' : typeof v}, not an object`);
}

export function clientOf(s: WorkerSession, persistence: Promise<PersistenceOutcome>): LightningClient {
  const obj = async (method: string, params?: RpcParams, signal?: AbortSignal): Promise<RpcObject> =>
    asObject(method, await s.call(method, orEmpty(params), signal));
  return {
    id: s.id,
    readOnly: s.readOnly,
    persistence,
    stopped: s.stopped,
    getinfo: () => obj('getinfo'),
    connect: (target) => obj('connect', connectParams(target)),
    disconnect: (params) => obj('disconnect', params),
    listpeers: (params) => obj('listpeers', params),
    listpeerchannels: (params) => obj('listpeerchannels', params),
    sendpay: (params) => obj('sendpay', params),
    waitsendpay: (params, options) => obj('waitsendpay', params, options?.signal),
    listsendpays: (params) => obj('listsendpays', params),
    listpays: (params) => obj('listpays', params),
    delpay: (params) => obj('delpay', params),
    wait: (params, options) => obj('wait', params, options?.signal),
    decode: (params) => obj('decode', decodeParams(params)),
    createonion: (params) => obj('createonion', params),
    invoice: (params) => obj('invoice', params),
    listinvoices: (params) => obj('listinvoices', params),
    call: (method, params, options) => s.call(method, orEmpty(params), options?.signal),
    subscribe: async (listener) => s.subscribe(listener),
    inFlight: () => s.inFlight(),
    reconnectAll: () => s.reconnectAll(),
    close: () => s.close(),
  };
}
