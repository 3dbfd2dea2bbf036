// channel_update exchange for unannounced channels (BOLT 7): after channel_ready (and on every
// reestablish) we send the peer our update for the channel, so the peer can put our fees and CLTV
// delta into the route hints of its invoices; the peer's updates are verified and kept for ours.
import type { Store, StoreRecord } from '../store/types.js';
import type { Network } from '../chain/types.js';
import type { ChannelUpdate } from '../wire/index.js';
import { encodeMessage } from '../wire/index.js';
import { buildChannelUpdate, verifyChannelUpdate, type PeerPolicy, type RelayPolicy } from '../forwarding/index.js';
import type { Channel } from '../channel/state/index.js';
import { scid as asScid } from '../types.js';
import type { TableSpec } from '../store/types.js';
import type { Logger } from './log.js';

export const PEER_UPDATES_TABLE: TableSpec = { name: 'peer_updates', keyPath: 'channel_id', indexes: [] };

export type PeerUpdateRecord = { channel_id: string; peer_id: string } & PeerPolicy;

export class PeerUpdates {
  private readonly byChannel = new Map<string, PeerUpdateRecord>();
  private lastTimestamp = 0;

  constructor(
    private readonly d: {
      store: Store;
      network: Network;
      nodeSecret: Uint8Array;
      relay: RelayPolicy;
      now(): number;
      log: Logger;
    },
  ) {}

  async load(): Promise<void> {
    for (const r of await this.d.store.query(PEER_UPDATES_TABLE.name)) {
      const rec = r as unknown as PeerUpdateRecord;
      this.byChannel.set(rec.channel_id, rec);
    }
  }

  policyFor(channelId: string): PeerUpdateRecord | undefined {
    return this.byChannel.get(channelId);
  }

  /** Our update for `ch`, named the way the peer knows the channel (real scid, else its alias). */
  ours(ch: Channel, disabled: boolean): ChannelUpdate | undefined {
    const r = ch.record;
    const name = r.short_channel_id ?? r.remote_alias;
    if (name === null) return undefined;
    // Strictly increasing per BOLT 7, even for several updates within one second.
    this.lastTimestamp = Math.max(this.d.now(), this.lastTimestamp + 1);
    return buildChannelUpdate(
      {
        network: this.d.network,
        short_channel_id: asScid(name),
        timestamp: this.lastTimestamp,
        peer_node_id: r.peer_id,
        disabled,
        announced: r.announce,
        policy: this.d.relay,
      },
      this.d.nodeSecret,
    ).message;
  }

  /** A channel_update from `peerId`: kept if it verifies and names one of our channels with it. */
  async onPeerUpdate(peerId: string, m: ChannelUpdate, channels: Channel[]): Promise<void> {
    const v = verifyChannelUpdate(encodeMessage(m), peerId, this.d.network);
    if (!v.ok) {
      this.d.log.log('debug', 'ignored channel_update', { peer: peerId, reason: v.reason });
      return;
    }
    const s = v.policy.short_channel_id;
    const ch = channels.find((c) => c.record.short_channel_id === s || c.record.local_alias === s || c.record.remote_alias === s);
    if (!ch) return;
    const prev = this.byChannel.get(ch.record.channel_id);
    if (prev && prev.timestamp >= v.policy.timestamp) return;
    const rec: PeerUpdateRecord = { channel_id: ch.record.channel_id, peer_id: peerId, ...v.policy };
    await this.d.store.commit([{ table: PEER_UPDATES_TABLE.name, put: rec as unknown as StoreRecord }]);
    this.byChannel.set(rec.channel_id, rec);
  }
}
