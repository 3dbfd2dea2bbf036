// Where we last reached each peer, so a restarted node (a reloaded Worker, a daemon started
// again) dials the peers of its channels by itself, as lightningd does at start with the address
// it keeps per peer. Only addresses an outbound connection proved good are kept (an inbound
// connection's source port is not a place to dial); peers that reached us come back on their own.
import type { Store, StoreRecord, TableSpec } from '../store/types.js';
import type { NetAddress } from '../net/address.js';
import type { PeerManager } from '../peer/index.js';
import type { NodeId } from '../types.js';
import { errorMessage } from '../errors.js';
import type { ChannelManager } from './channels.js';
import type { Logger } from './log.js';

export const PEER_ADDRESSES_TABLE: TableSpec = { name: 'peer_addresses', keyPath: 'peer_id', indexes: [] };

type PeerAddressRecord =
  | { peer_id: string; kind: 'hostport'; host: string; port: number; dialled_at: number }
  | { peer_id: string; kind: 'url'; url: string; dialled_at: number };

/** Channel states after which the peer is no longer needed (the channel is closed or closing on chain). */
const CLOSED_STATES = new Set(['CLOSING_COMPLETE', 'FORCE_CLOSED', 'ONCHAIN', 'ABORTED']);

export interface PeerAddressDeps {
  store: Store;
  peers: PeerManager;
  channels: ChannelManager;
  log: Logger;
  /** A failed store write stops the node (DESIGN §5). */
  fatal(e: unknown): void;
  nowMs(): number;
}

function toAddress(r: StoreRecord): NetAddress | undefined {
  if (r.kind === 'url' && typeof r.url === 'string') return { kind: 'url', url: r.url };
  if (r.kind === 'hostport' && typeof r.host === 'string' && typeof r.port === 'number') return { kind: 'hostport', host: r.host, port: r.port };
  return undefined;
}

function sameAddress(a: NetAddress, b: NetAddress): boolean {
  if (a.kind === 'url' || b.kind === 'url') return a.kind === 'url' && b.kind === 'url' && a.url === b.url;
  return a.host === b.host && a.port === b.port;
}

export class PeerAddressBook {
  private readonly known = new Map<string, NetAddress>();

  constructor(private readonly d: PeerAddressDeps) {}

  /**
   * Loads the stored addresses, keeps them current from now on, and dials every peer with a
   * channel that is not closed (the peer layer's backoff retries those that do not answer).
   * Returns the unsubscriber.
   */
  async start(): Promise<() => void> {
    for (const r of await this.d.store.query(PEER_ADDRESSES_TABLE.name)) {
      const a = toAddress(r);
      if (a && typeof r.peer_id === 'string') this.known.set(r.peer_id, a);
      else this.d.log.log('warn', 'ignoring an unreadable peer address record', { peer: String(r.peer_id) });
    }
    const off = this.d.peers.on('dialled', (id, address) => this.remember(id, address));
    for (const id of this.channelPeers()) {
      const address = this.known.get(id);
      if (!address) continue;
      this.d.log.log('info', 'reconnecting to channel peer', { peer: id });
      this.d.peers.connect({ id: id as NodeId, address }).catch((e: unknown) => {
        // Retries go on with backoff; this is only the first attempt's outcome.
        this.d.log.log('info', 'reconnect attempt failed', { peer: id, error: errorMessage(e) });
      });
    }
    return off;
  }

  private channelPeers(): Set<string> {
    const ids = new Set<string>();
    for (const c of this.d.channels.all()) if (c.persisted && !CLOSED_STATES.has(c.record.state)) ids.add(c.record.peer_id);
    return ids;
  }

  private remember(id: string, address: NetAddress): void {
    const before = this.known.get(id);
    if (before && sameAddress(before, address)) return;
    this.known.set(id, address);
    const base = { peer_id: id, dialled_at: this.d.nowMs() };
    const rec: PeerAddressRecord = address.kind === 'url' ? { ...base, kind: 'url', url: address.url } : { ...base, kind: 'hostport', host: address.host, port: address.port };
    this.d.store.commit([{ table: PEER_ADDRESSES_TABLE.name, put: rec }]).catch((e: unknown) => this.d.fatal(e));
  }
}
