// Values and events the node exposes to its users (the daemon's JSON-RPC, the Worker client, the
// in-process Node/edge API). Method and field names are Core Lightning's; results are plain
// structured-clone data with u64 values as bigint.
import type { Network } from '../chain/types.js';

/** A JSON-like value as results carry it: u64 fields are bigint. */
export type RpcValue = null | boolean | number | bigint | string | RpcValue[] | { [key: string]: RpcValue };
export type RpcObject = { [key: string]: RpcValue };
/** Named params (object) or positional params (array), as Core Lightning accepts them. */
export type RpcParams = Record<string, unknown> | unknown[];

export type ChainOption = { esplora: string; pollIntervalMs?: number } | { static: number | true; feeratePerKw?: number };

export interface StartOptions {
  network: Network;
  /** IndexedDB database name; one live node per name (a Web Lock guards it). */
  dbName?: string;
  chain?: ChainOption;
  /** Node ids whose zero-conf channels we accept (trusted peers). */
  zeroconfFrom?: string[];
  /** URL of wasm/lightning.wasm; defaults to the copy bundled next to the worker. */
  wasmUrl?: string;
  /** Open read-only when another tab holds the database: only read methods work. */
  readOnlyIfLocked?: boolean;
  /** Reconnect to peers on online/visibilitychange/pageshow (default true). */
  pageLifecycle?: boolean;
  /** Ask the page to confirm leaving while HTLCs are in flight (default true). */
  warnOnUnload?: boolean;
  alias?: string;
}

export interface ConnectTarget {
  /** The peer's node id: BOLT 8 authenticates the peer against it (never trust a proxy for it). */
  id: string;
  /** ws(s)://host:port (direct) or a proxy URL: wss://proxy/<host>:<port> or wss://proxy/v1/<host>/<port>. */
  url: string;
}

export type NodeEvent =
  | { type: 'sendpay_success'; payment: RpcObject }
  | { type: 'sendpay_failure'; error: { code: number; message: string; data: RpcObject } }
  | { type: 'peer'; id: string; connected: boolean; reason?: string }
  | { type: 'channel'; peer_id: string; channel_id: string; state: string }
  | { type: 'invoice_payment'; label: string; payment_hash: string; amount_msat: bigint; preimage: string }
  | { type: 'warning'; message: string };
