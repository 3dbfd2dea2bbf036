// The node as its hosts see it: the daemon's JSON-RPC socket, the browser Worker (through
// Comlink) and the in-process Node/Deno/Cloudflare API all drive this one interface.
import type { NodeEvent, RpcParams, RpcValue, StartOptions } from './types.js';

export interface LightningNodeApi {
  readonly id: string;
  /** Opened without the writer lock (another tab owns the database): read methods only. */
  readonly readOnly: boolean;
  /** Calls a Core Lightning method by name; rejects with RpcError { code, message, data }. */
  rpc(method: string, params?: RpcParams, opts?: { signal?: AbortSignal }): Promise<RpcValue>;
  subscribe(listener: (event: NodeEvent) => void): () => void;
  /** HTLCs in flight on our channels (a page warns before unload while > 0). */
  inFlight(): number;
  /** Dial every wanted-but-disconnected peer now (online / visibilitychange / pageshow). */
  reconnectAll(): void;
  close(): Promise<void>;
}

/** Options of the browser node (IndexedDB store, WebSocket dialer, WASM from a URL). */
export type BrowserNodeOptions = StartOptions & {
  /** Test hooks only: stop the Worker at a named step (crash-safety tests). */
  crashAt?: string;
};
