// A mutable working copy of a channel for the duration of one transition. Handlers change it
// freely; `finish` turns the changes into a new immutable Channel plus exactly the records that
// changed. If a handler throws, the draft is simply dropped and the original channel is intact.
import type { WireMessage } from '../../wire/messages.js';
import type { Channel, ChannelEvent, ChannelRecord, ChannelStateName, ConnectionState, HtlcKey, HtlcRecord, Side, Step } from './types.js';
import type { ChannelSigner } from './keys.js';

export function htlcMapKey(offerer: Side, id: number): string {
  return `${offerer}:${id}`;
}

export class Draft {
  record: ChannelRecord;
  readonly htlcs: Map<string, HtlcRecord>;
  readonly signer: ChannelSigner;
  connection: ConnectionState;
  persisted: boolean;
  readonly send: WireMessage[] = [];
  readonly events: ChannelEvent[] = [];
  private recordDirty = false;
  private readonly putKeys = new Set<string>();
  private readonly deleted = new Map<string, HtlcKey>();

  constructor(ch: Channel) {
    this.record = ch.record;
    this.htlcs = new Map(ch.htlcs);
    this.signer = ch.signer;
    this.connection = ch.connection;
    this.persisted = ch.persisted;
  }

  get channelId(): string {
    return this.record.channel_id;
  }

  update(patch: Partial<ChannelRecord>): void {
    this.record = { ...this.record, ...patch };
    this.recordDirty = true;
  }

  setState(to: ChannelStateName): void {
    const from = this.record.state;
    if (from === to) return;
    this.update({ state: to });
    this.events.push({ type: 'state_changed', channel_id: this.channelId, from, to });
  }

  htlc(offerer: Side, id: number): HtlcRecord | undefined {
    return this.htlcs.get(htlcMapKey(offerer, id));
  }

  putHtlc(h: HtlcRecord): void {
    const k = htlcMapKey(h.offerer, h.id);
    this.htlcs.set(k, h);
    this.putKeys.add(k);
    this.deleted.delete(k);
  }

  deleteHtlc(h: HtlcRecord): void {
    const k = htlcMapKey(h.offerer, h.id);
    this.htlcs.delete(k);
    this.putKeys.delete(k);
    this.deleted.set(k, [h.channel_id, h.offerer, h.id]);
  }

  /** Numbers our outgoing updates and commitment messages in the order they are made. */
  nextSeq(): number {
    const seq = this.record.next_update_seq;
    this.update({ next_update_seq: seq + 1 });
    return seq;
  }

  emit(e: ChannelEvent): void {
    this.events.push(e);
  }

  out(m: WireMessage): void {
    this.send.push(m);
  }

  /** Marks the whole channel for writing (first persist, or a change of primary key). */
  markAllDirty(): void {
    this.recordDirty = true;
    for (const k of this.htlcs.keys()) this.putKeys.add(k);
  }

  finish(): Step {
    const channel: Channel = {
      record: this.record,
      htlcs: this.htlcs,
      signer: this.signer,
      connection: this.connection,
      persisted: this.persisted,
    };
    if (!this.persisted) return { channel, persist: { channel: null, htlcs: [], deleted_htlcs: [] }, send: this.send, events: this.events };
    const htlcs: HtlcRecord[] = [];
    for (const k of this.putKeys) {
      const h = this.htlcs.get(k);
      if (h) htlcs.push(h);
    }
    return {
      channel,
      persist: { channel: this.recordDirty ? this.record : null, htlcs, deleted_htlcs: [...this.deleted.values()] },
      send: this.send,
      events: this.events,
    };
  }
}
