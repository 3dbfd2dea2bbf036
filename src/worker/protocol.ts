// What the module Worker exposes over Comlink (worker.ts hosts it, client.ts drives it). Both
// sides import these types; the page never touches the node object itself.
import type { BrowserNodeOptions } from '../runtime/node-api.js';
import type { NodeEvent, RpcParams, RpcValue } from '../runtime/types.js';

/** Why the node could not start: the runtime's error code (e.g. 'LOCKED') and its message. */
export type StartReply =
  | { ok: true; id: string; readOnly: boolean }
  | { ok: false; code: string; message: string };

/**
 * What the Worker pushes to a subscriber. Besides the node's own events it reports the in-flight
 * HTLC count whenever it changes (the page's beforeunload handler must decide synchronously, so
 * it keeps a cached copy) and, once, that the node stopped.
 */
export type HostEvent =
  | { type: 'node'; event: NodeEvent }
  | { type: 'in_flight'; count: number }
  | { type: 'stopped'; reason: string };

export type HostListener = (event: HostEvent) => void;

export interface NodeInfo {
  id: string;
  readOnly: boolean;
}

export interface WorkerApi {
  /** Creates the node; the first call of a session. A second call is refused. */
  start(opts: BrowserNodeOptions): Promise<StartReply>;
  /** One Core Lightning method. `callId` (unique per page) lets `abort(callId)` cancel its wait. */
  rpc(method: string, params?: RpcParams, callId?: number): Promise<RpcValue>;
  /** Aborts the AbortSignal of call `callId`: ends a waitsendpay/wait, never the payment itself. */
  abort(callId: number): void;
  /** `listener` is a Comlink proxy; resolves to a proxied unsubscribe function. */
  subscribe(listener: HostListener): () => void;
  inFlight(): number;
  reconnectAll(): void;
  close(): Promise<void>;
  info(): NodeInfo;
  /** Answers at once, started or not: the page's liveness check. */
  ping(): true;
}
