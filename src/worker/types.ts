// The page-facing contract of the Worker client (what `startLightningWorker` resolves to). Method
// and field names are Core Lightning's; errors reject with RpcError { code, message, data }.
import type { CoreMethods } from '../runtime/client.js';
import type { NodeEvent } from '../runtime/types.js';
import type { PersistenceOutcome } from '../store/persistence.js';

export type { ChainOption, ConnectTarget, NodeEvent, RpcObject, RpcParams, RpcValue, StartOptions } from '../runtime/types.js';
export type { PersistenceOutcome } from '../store/persistence.js';

/**
 * Core Lightning's methods (CoreMethods: the in-process API has the same; `signal` on waitsendpay/wait
 * aborts the wait only, never the payment), plus the page's own.
 */
export interface LightningClient extends CoreMethods {
  readonly readOnly: boolean;
  /** Subscribes to node events; returns an unsubscribe function. */
  subscribe(listener: (event: NodeEvent) => void): Promise<() => void>;
  /** HTLCs currently in flight on our channels (for unload warnings). */
  inFlight(): Promise<number>;
  /** Stops the node and the Worker. */
  close(): Promise<void>;
  /** This node's id (hex), as getinfo reports it. */
  readonly id: string;
  /**
   * The page's `navigator.storage.persist()` outcome: without persistent storage the browser may
   * evict the database (channel state!) under storage pressure. Requested at start, not awaited
   * there (some browsers ask the user).
   */
  readonly persistence: Promise<PersistenceOutcome>;
  /**
   * Resolves with the reason once the node is gone: closed by the page, or stopped on its own (a
   * store write failed, the Worker crashed or stopped answering). Subscribers also get a
   * `warning` event then, and every later call rejects with RpcError -5.
   */
  readonly stopped: Promise<string>;
  /** Dials every wanted-but-disconnected peer now (done by itself on online/visibilitychange/pageshow). */
  reconnectAll(): Promise<void>;
}
