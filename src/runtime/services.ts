// What RPC method handlers may reach: the node's services, without the wiring.
import type { ChainSource, Network } from '../chain/types.js';
import type { PeerManager } from '../peer/index.js';
import type { Store } from '../store/types.js';
import type { NodeId } from '../types.js';
import type { ParamContext } from '../rpc/params.js';
import type { ChannelManager } from './channels.js';
import type { PaymentsService } from './payments-service.js';
import type { EventHub } from './events.js';
import type { Logger } from './log.js';
import type { NodeSecrets } from './secrets.js';

export interface Binding {
  type: 'ipv4' | 'ipv6' | 'websocket' | 'local socket';
  address: string;
  port?: number;
}

export interface NodeServices {
  readonly id: NodeId;
  readonly alias: string;
  readonly color: string;
  readonly network: Network;
  readonly chainHash: Uint8Array;
  readonly localFeatures: Uint8Array;
  readonly secrets: NodeSecrets;
  readonly store: Store;
  readonly chain: ChainSource;
  readonly peers: PeerManager;
  readonly channels: ChannelManager;
  readonly payments: PaymentsService;
  readonly events: EventHub;
  readonly log: Logger;
  readonly pctx: ParamContext;
  readonly lightningDir: string | undefined;
  bindings(): Binding[];
  /** Unix seconds. */
  now(): number;
  blockHeight(): Promise<number>;
  /** Stops the node (the `stop` command); resolves when everything is closed. */
  stop(): Promise<void>;
}

/** Per-call context: the JSON-RPC connection or Worker call that asked. */
export interface CallContext {
  readonly signal?: AbortSignal;
}
