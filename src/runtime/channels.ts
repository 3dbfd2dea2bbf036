// The channel manager: owns every channel's state machine, routes peer messages to them, runs
// local commands, and performs each transition's IO in the one safe order — commit the records
// (with whatever the caller must persist atomically alongside) → send the messages → act on the
// events. Each channel's transitions are serialized by a per-channel lock.
import type { Store, StoreRecord, WriteOp } from '../store/types.js';
import type { ChainSource, TxStatus } from '../chain/types.js';
import type { PeerManager, RemoteErrorInfo, ConnectionInfo } from '../peer/index.js';
import type { WireMessage } from '../wire/index.js';
import { isNegotiated } from '../wire/features.js';
import { serializeTx, txidHex } from '../channel/bitcoin/tx.js';
import { fundingOutput, syntheticFundingTx } from '../channel/funding.js';
import { sat, type NodeId } from '../types.js';
import { fromHex, toHex } from '../util/bytes.js';
import {
  acceptChannel,
  addHtlc,
  blockHeight,
  balances,
  canProposeFee,
  feeEstimateTarget,
  feeUpdateFor,
  updateFee,
  channelSummary,
  channelWriteOps,
  commit,
  failHtlc,
  failMalformedHtlc,
  forceClose,
  fulfillHtlc,
  fundingWatch,
  fundingDepth,
  fundingSpent,
  htlcViews,
  openChannel,
  peerConnected,
  peerDisconnected,
  provideFunding,
  receiveMessage,
  restoreChannel,
  shutdown,
  CHANNELS_TABLE,
  HTLCS_TABLE,
  type Channel,
  type ChannelEvent,
  type ChannelPolicy,
  type ShutdownOptions,
  type Step,
} from '../channel/state/index.js';
import { KeyedMutex } from './mutex.js';
import { Rebroadcaster } from './rebroadcast.js';
import type { Logger } from './log.js';
import type { EventHub } from './events.js';
import type { NodeSecrets } from './secrets.js';
import { FUNDINGS_TABLE, ORIGINS_TABLE, OUTBOX_TABLE, outboxKey, type FundingRecord, type OriginRecord, type OutboxRecord } from './tables.js';
import type { FirstHop, OfferRequest, OfferResult, OutgoingOrigin } from './payments-service.js';
import { u64Key } from '../payments/row.js';
import { META_TABLE } from './schema.js';
import { LightningError, errorMessage } from '../errors.js';

/** Follow-up work for outbox records; each handler deletes its record in its own commit. */
export interface ChannelFollowUps {
  handle(rec: OutboxRecord): Promise<void>;
}

export interface ChannelManagerDeps {
  store: Store;
  secrets: NodeSecrets;
  chainHash: Uint8Array;
  chain: ChainSource;
  peers: PeerManager;
  localFeatures: Uint8Array;
  policy?: Partial<ChannelPolicy>;
  /** Peers whose zero-conf channels we accept. */
  isTrusted(peerId: string): boolean;
  log: Logger;
  events: EventHub;
  /** A store write failed: the node must stop (never go on unsaved). */
  fatal(e: unknown): void;
  /** The channel can carry HTLCs again (ready, or reestablished): e.g. send our channel_update. */
  onChannelActive?(ch: Channel): Promise<void>;
  /**
   * Crash-safety tests only: called at named steps (`before_commit:<msg>`, `after_commit:<msg>`,
   * `after_send:<msg>`, `after_recv:<msg>`); the host may kill the process there.
   */
  crashPoint?(name: string): void;
}

export class ChannelCommandError extends LightningError {}

const KEY_INDEX_KEY = 'next_channel_key_index';

export interface ClosingBroadcast {
  type: 'mutual' | 'unilateral';
  tx: string;
  txid: string;
}

export interface FundResult {
  channel_id: string;
  funding_txid: string;
  funding_output_index: number;
  tx_hex: string;
}

export class ChannelManager {
  private readonly chans = new Map<string, Channel>();
  /** temporary_channel_id → channel_id once assigned. */
  private readonly aliasOfTemp = new Map<string, string>();
  private readonly lock = new KeyedMutex();
  private readonly fundWaiters = new Map<string, { resolve: (r: FundResult) => void; reject: (e: Error) => void }>();
  private followUps: ChannelFollowUps | undefined;
  /** Outbox keys whose follow-up is running now. */
  private readonly followUpsRunning = new Set<string>();
  private readonly closeWaiters = new Map<string, ((c: ClosingBroadcast) => void)[]>();
  private nextKeyIndex = 0;
  private stopped = false;
  private readonly rebroadcaster: Rebroadcaster;

  constructor(private readonly d: ChannelManagerDeps) {
    this.rebroadcaster = new Rebroadcaster({
      store: d.store,
      chain: d.chain,
      log: d.log,
      channel: (ref) => this.get(ref),
      channels: () => this.all(),
      fundingSpent: (id) => this.onFundingSpent(id),
      fatal: (e) => d.fatal(e),
    });
  }

  setFollowUps(f: ChannelFollowUps): void {
    this.followUps = f;
  }

  // ---------------------------------------------------------------- start-up

  async load(): Promise<void> {
    const meta = await this.d.store.get<{ key: string; value: number }>(META_TABLE, KEY_INDEX_KEY);
    this.nextKeyIndex = meta?.value ?? 0;
    const records = await this.d.store.query(CHANNELS_TABLE.name);
    for (const rec of records) {
      const id = String(rec.channel_id);
      const htlcs = await this.d.store.query(HTLCS_TABLE.name, { index: 'channel_id', range: { only: id } });
      const ch = restoreChannel(this.d.secrets.channelKeys, rec, htlcs);
      this.chans.set(id, ch);
      if (ch.record.temporary_channel_id !== id) this.aliasOfTemp.set(ch.record.temporary_channel_id, id);
    }
    // Funding txs of attempts that never reached funding_signed (a crash or a stop mid-open): they
    // will never be broadcast, so their wallet inputs are handed back.
    const fundings = (await this.d.store.query(FUNDINGS_TABLE.name)) as unknown as FundingRecord[];
    for (const f of fundings) if (!this.get(f.channel_ref)?.persisted) void this.abandonFunding(f.channel_ref);
    // A crash (or a chain source that was down) may have kept a funding, commitment or closing
    // tx from the chain: offer them again, without holding up the start.
    void this.rebroadcaster.run();
  }

  /** Offers our unconfirmed funding/commitment/closing txs the chain source does not know again. */
  rebroadcast(): Promise<void> {
    return this.rebroadcaster.run();
  }

  /** Replays follow-ups left in the outbox (after a crash, or while a channel was offline). */
  async replayOutbox(filter?: (r: OutboxRecord) => boolean): Promise<void> {
    const recs = (await this.d.store.query(OUTBOX_TABLE.name)) as unknown as OutboxRecord[];
    for (const r of recs) {
      if (filter && !filter(r)) continue;
      await this.runFollowUp(r);
    }
  }

  private async runFollowUp(r: OutboxRecord): Promise<void> {
    if (!this.followUps || this.stopped) return;
    // Replays overlap (start, every reestablish, every channel_ready): a record must not run
    // again while it runs, nor after it finished since a replay listed it (its commit deleted it).
    if (this.followUpsRunning.has(r.key)) return;
    this.followUpsRunning.add(r.key);
    try {
      if (!(await this.d.store.get(OUTBOX_TABLE.name, r.key))) return;
      this.d.log.log('debug', 'follow-up', { kind: r.kind, channel_id: r.channel_id, htlc_id: r.htlc_id });
      await this.followUps.handle(r);
    } catch (e) {
      // Left in the outbox: retried when the channel reconnects or at the next start.
      this.d.log.log('warn', 'follow-up deferred', { kind: r.kind, channel_id: r.channel_id, htlc_id: r.htlc_id, error: errorMessage(e) });
    } finally {
      this.followUpsRunning.delete(r.key);
    }
  }

  // ---------------------------------------------------------------- lookups and views

  get(channelId: string): Channel | undefined {
    return this.chans.get(this.aliasOfTemp.get(channelId) ?? channelId);
  }

  all(): Channel[] {
    return [...this.chans.values()];
  }

  ofPeer(peerId: string): Channel[] {
    return this.all().filter((c) => c.record.peer_id === peerId);
  }

  /** A usable channel by its real short_channel_id or by our local alias. */
  byScid(scid: bigint): Channel | undefined {
    return this.all().find((c) => c.record.short_channel_id === scid) ?? this.all().find((c) => c.record.local_alias === scid);
  }

  firstHops(): FirstHop[] {
    return this.all()
      .filter((c) => c.persisted)
      .map((c) => {
        const b = balances(c);
        const hop: FirstHop = {
          channel_id: c.record.channel_id,
          peer_id: c.record.peer_id,
          local_alias: c.record.local_alias,
          our_msat: b.to_us_msat,
          can_add_htlc: c.record.state === 'NORMAL',
          peer_connected: c.connection === 'active',
          ...(c.record.short_channel_id !== null ? { scid: c.record.short_channel_id } : {}),
        };
        return hop;
      });
  }

  inFlightHtlcs(): number {
    return this.all().reduce((n, c) => n + c.htlcs.size, 0);
  }

  summaries() {
    return this.all().map((c) => ({ channel: c, summary: channelSummary(c), balances: balances(c), htlcs: htlcViews(c) }));
  }

  // ---------------------------------------------------------------- IO of a transition

  private keyOf(ch: Channel): string {
    return ch.record.channel_id;
  }

  /**
   * Commits the step's records together with `extra`, then sends its messages in order, then
   * handles its events. Call with the channel's lock held.
   */
  private async apply(step: Step, extra: WriteOp[] = []): Promise<void> {
    const ch = step.channel;
    const writes: WriteOp[] = channelWriteOps(step.persist).map((op) =>
      'put' in op ? { table: op.table, put: op.put as unknown as StoreRecord } : { table: op.table, delete: op.delete },
    );
    const outbox = this.outboxFor(step.events);
    for (const o of outbox) writes.push({ table: OUTBOX_TABLE.name, put: o as unknown as StoreRecord });
    writes.push(...extra);
    const crash = this.d.crashPoint;
    if (crash) for (const m of step.send) crash(`before_commit:${m.type}`);
    if (writes.length > 0) {
      try {
        await this.d.store.commit(writes);
      } catch (e) {
        this.d.fatal(e);
        throw e;
      }
    }
    if (crash) for (const m of step.send) crash(`after_commit:${m.type}`);
    this.chans.set(this.keyOf(ch), ch);
    for (const m of step.send) {
      await this.sendTo(ch.record.peer_id, m);
      crash?.(`after_send:${m.type}`);
    }
    await this.onEvents(ch, step.events);
    // Follow-ups run outside this channel's lock: they may take other channels' locks.
    for (const o of outbox) queueMicrotask(() => void this.runFollowUp(o));
  }

  private outboxFor(events: readonly ChannelEvent[]): OutboxRecord[] {
    const out: OutboxRecord[] = [];
    for (const e of events) {
      if (e.type === 'htlc_incoming') {
        out.push({ key: outboxKey('incoming', e.channel_id, 'remote', e.htlc.id), kind: 'incoming', channel_id: e.channel_id, htlc_id: e.htlc.id });
      } else if (e.type === 'htlc_preimage') {
        out.push({ key: outboxKey('preimage', e.channel_id, 'local', e.id), kind: 'preimage', channel_id: e.channel_id, htlc_id: e.id, preimage: e.preimage });
      } else if (e.type === 'htlc_resolved') {
        const r = e.result;
        out.push({
          key: outboxKey('resolved', e.channel_id, e.offerer, e.id),
          kind: 'resolved',
          channel_id: e.channel_id,
          htlc_id: e.id,
          offerer: e.offerer,
          result: r.kind,
          ...(r.kind === 'fulfill' ? { preimage: r.preimage } : {}),
          ...(r.kind === 'fail' ? { reason: r.reason } : {}),
          ...(r.kind === 'fail_malformed' ? { sha256_of_onion: r.sha256_of_onion, failure_code: r.failure_code } : {}),
        });
      }
    }
    return out;
  }

  private async sendTo(peerId: string, m: WireMessage): Promise<void> {
    this.d.log.log('debug', 'send', { peer: peerId, type: m.type });
    try {
      await this.d.peers.send(peerId as NodeId, m);
    } catch (e) {
      // The channel retransmits what matters at reestablish; a dead socket is not an error here.
      this.d.log.log('debug', 'send to disconnected peer dropped', { peer: peerId, type: m.type, error: errorMessage(e) });
    }
  }

  private async onEvents(ch: Channel, events: readonly ChannelEvent[]): Promise<void> {
    for (const e of events) {
      this.d.log.log('debug', 'channel event', { channel_id: ch.record.channel_id, type: e.type });
      switch (e.type) {
        case 'funding_needed':
          // Built outside the lock: provideFunding re-enters the channel.
          queueMicrotask(() => void this.fund(e.temporary_channel_id, e.funding_satoshis));
          break;
        case 'channel_id_assigned':
          this.chans.delete(e.temporary_channel_id);
          this.aliasOfTemp.set(e.temporary_channel_id, e.channel_id);
          break;
        case 'funding_signed':
          await this.broadcastFunding(e.channel_id, ch.record.temporary_channel_id);
          break;
        case 'state_changed':
          this.d.events.emit({ type: 'channel', peer_id: ch.record.peer_id, channel_id: e.channel_id, state: channelSummary(ch).cln_state });
          break;
        case 'channel_ready':
          this.d.events.emit({ type: 'channel', peer_id: ch.record.peer_id, channel_id: e.channel_id, state: 'CHANNELD_NORMAL' });
          queueMicrotask(() => void this.replayOutbox((r) => r.channel_id === e.channel_id));
          if (this.d.onChannelActive) queueMicrotask(() => void this.d.onChannelActive?.(ch));
          queueMicrotask(() => void this.updateFeerates(e.channel_id));
          break;
        case 'reestablished':
          queueMicrotask(() => void this.replayOutbox());
          if (this.d.onChannelActive) queueMicrotask(() => void this.d.onChannelActive?.(ch));
          // The estimate may have moved while the peer was away (BOLT 2: update_fee only while connected).
          queueMicrotask(() => void this.updateFeerates(e.channel_id));
          break;
        case 'broadcast': {
          const raw = serializeTx(e.tx);
          await this.broadcast(raw, e.kind === 'closing' ? 'closing' : 'commitment', e.channel_id);
          const waiters = this.closeWaiters.get(e.channel_id) ?? [];
          this.closeWaiters.delete(e.channel_id);
          for (const w of waiters) w({ type: e.kind === 'closing' ? 'mutual' : 'unilateral', tx: toHex(raw), txid: e.txid });
          break;
        }
        case 'channel_failed':
          this.d.log.log('warn', 'channel failed', { channel_id: e.channel_id, by: e.by, reason: e.reason, data_loss: e.data_loss });
          this.d.events.emit({ type: 'channel', peer_id: ch.record.peer_id, channel_id: e.channel_id, state: channelSummary(ch).cln_state });
          this.rejectFunding(ch.record.temporary_channel_id, new ChannelCommandError('CHANNEL_FAILED', e.reason));
          // Failed before funding_signed (e.g. the peer refused our funding_created): never broadcast.
          if (!ch.persisted) queueMicrotask(() => void this.abandonFunding(ch.record.temporary_channel_id));
          break;
        case 'warning_received':
          this.d.events.emit({ type: 'warning', message: `peer ${ch.record.peer_id}: ${e.message}` });
          break;
        case 'disconnect':
          this.d.peers.disconnect(ch.record.peer_id as NodeId, e.reason);
          break;
        default:
          // htlc_incoming / htlc_preimage / htlc_resolved go through the outbox.
          break;
      }
    }
  }

  private broadcast(raw: Uint8Array, kind: 'funding' | 'commitment' | 'closing', channelId: string): Promise<boolean> {
    return this.rebroadcaster.broadcast(toHex(raw), kind, channelId);
  }

  // ---------------------------------------------------------------- peers

  async onPeerConnected(peerId: string, _info: ConnectionInfo): Promise<void> {
    for (const c of this.ofPeer(peerId)) {
      if (!c.persisted) continue;
      await this.lock.run(this.keyOf(c), async () => {
        const cur = this.get(c.record.channel_id);
        if (cur) await this.apply(peerConnected(cur));
      });
    }
  }

  async onPeerDisconnected(peerId: string): Promise<void> {
    for (const c of this.ofPeer(peerId)) {
      await this.lock.run(this.keyOf(c), async () => {
        const cur = this.get(c.record.channel_id);
        if (!cur) return;
        if (!cur.persisted) {
          // An unfinished open dies with the connection (BOLT 2: forget it).
          this.chans.delete(this.keyOf(cur));
          this.rejectFunding(cur.record.temporary_channel_id, new ChannelCommandError('PEER_DISCONNECTED', 'peer disconnected during channel establishment'));
          queueMicrotask(() => void this.abandonFunding(cur.record.temporary_channel_id));
          return;
        }
        await this.apply(peerDisconnected(cur));
      });
    }
  }

  async onRemoteError(peerId: string, err: RemoteErrorInfo): Promise<void> {
    const targets = err.allChannels ? this.ofPeer(peerId) : [this.get(toHex(err.channelId))].filter((c): c is Channel => c !== undefined && c.record.peer_id === peerId);
    for (const c of targets) {
      await this.dispatch(c, { type: 'error', channel_id: fromHex(c.record.channel_id), data: err.data });
    }
  }

  async onMessage(peerId: string, m: WireMessage): Promise<void> {
    if (m.type === 'open_channel') return this.onOpenChannel(peerId, m);
    const ref = 'temporary_channel_id' in m ? m.temporary_channel_id : 'channel_id' in m ? m.channel_id : undefined;
    if (!(ref instanceof Uint8Array)) return; // gossip and other non-channel messages
    const ch = this.get(toHex(ref));
    if (!ch || ch.record.peer_id !== peerId) {
      if (m.type !== 'error' && m.type !== 'warning') {
        await this.sendTo(peerId, { type: 'warning', channel_id: ref, data: new TextEncoder().encode('unknown channel') });
      }
      return;
    }
    await this.dispatch(ch, m);
  }

  private async dispatch(ch: Channel, m: WireMessage): Promise<void> {
    await this.lock.run(this.keyOf(ch), async () => {
      const cur = this.get(ch.record.channel_id) ?? this.get(ch.record.temporary_channel_id);
      if (!cur) return;
      this.d.log.log('debug', 'recv', { peer: cur.record.peer_id, type: m.type });
      const step = receiveMessage(cur, m);
      await this.apply(step);
      this.d.crashPoint?.(`after_recv:${m.type}`);
      // Sign whatever the peer's message unblocked (revoke_and_ack frees the next commitment).
      const after = this.get(step.channel.record.channel_id);
      if (after && after.persisted && after.connection === 'active') await this.apply(commit(after));
    });
  }

  private async onOpenChannel(peerId: string, m: Extract<WireMessage, { type: 'open_channel' }>): Promise<void> {
    const tmp = toHex(m.temporary_channel_id);
    if (this.get(tmp)) return;
    const info = this.d.peers.get(peerId as NodeId)?.info();
    const keyIndex = await this.allocateKeyIndex();
    await this.lock.run(tmp, async () => {
      const step = acceptChannel(
        {
          keys: this.d.secrets.channelKeys,
          key_index: keyIndex,
          peer: { node_id: peerId, local_features: this.d.localFeatures, remote_features: fromHex(info?.features ?? '') },
          chain_hash: this.d.chainHash,
          ...(this.d.policy ? { policy: this.d.policy } : {}),
          trusted: this.d.isTrusted(peerId),
        },
        m,
      );
      await this.apply(step);
    });
  }

  private async allocateKeyIndex(): Promise<number> {
    const i = this.nextKeyIndex++;
    // Persisted before use: a key index is never handed out twice, even across crashes.
    await this.d.store.commit([{ table: META_TABLE, put: { key: KEY_INDEX_KEY, value: this.nextKeyIndex } }]);
    return i;
  }

  // ---------------------------------------------------------------- funding (funder side)

  async fundChannel(opts: {
    peerId: string;
    fundingSat: bigint;
    pushMsat?: bigint;
    feeratePerKw?: number;
    announce?: boolean;
    zeroconf?: boolean;
    anchors?: boolean;
  }): Promise<FundResult> {
    const peer = this.d.peers.get(opts.peerId as NodeId);
    const info = peer?.info();
    if (!peer || !info?.connected) throw new ChannelCommandError('PEER_NOT_CONNECTED', `Unknown peer ${opts.peerId}`);
    const keyIndex = await this.allocateKeyIndex();
    const feerate = opts.feeratePerKw ?? (await this.d.chain.feeratePerKw(6)) ?? 2500;
    const step = openChannel({
      keys: this.d.secrets.channelKeys,
      key_index: keyIndex,
      peer: { node_id: opts.peerId, local_features: this.d.localFeatures, remote_features: fromHex(info.features) },
      chain_hash: this.d.chainHash,
      ...(this.d.policy ? { policy: this.d.policy } : {}),
      trusted: true,
      funding_satoshis: opts.fundingSat,
      push_msat: opts.pushMsat ?? 0n,
      feerate_per_kw: feerate,
      // option_scid_alias is for unannounced channels only, and only with a peer that offers it
      // (BOLT 2: no channel_type feature that was not negotiated; Electrum 4.3.4 drops the bit and
      // echoes a different channel_type, which fails the open).
      channel_type: {
        anchors: opts.anchors ?? false,
        scid_alias: !(opts.announce ?? false) && isNegotiated(this.d.localFeatures, fromHex(info.features), 'option_scid_alias'),
        zeroconf: opts.zeroconf ?? false,
      },
      announce: opts.announce ?? false,
    });
    const tmp = step.channel.record.temporary_channel_id;
    const done = new Promise<FundResult>((resolve, reject) => this.fundWaiters.set(tmp, { resolve, reject }));
    await this.lock.run(tmp, () => this.apply(step));
    return done;
  }

  private rejectFunding(tmp: string, e: Error): void {
    const w = this.fundWaiters.get(tmp);
    if (!w) return;
    this.fundWaiters.delete(tmp);
    w.reject(e);
  }

  /**
   * Builds the funding tx the funder machine asked for, keeps it, and hands over the outpoint.
   * The wallet may take several bitcoind calls: the channel's lock is not held meanwhile (a close
   * or the peer's error need not wait for it), so the tx is used only if the channel is still the
   * one it was built for; otherwise it never goes out and its inputs are released.
   */
  private async fund(tmp: string, fundingSat: bigint): Promise<void> {
    const ch = await this.lock.run(tmp, () => this.get(tmp));
    if (!ch || ch.persisted || ch.record.state !== 'AWAITING_FUNDING_TX' || !ch.record.remote_keys) return;
    let rec: FundingRecord;
    try {
      rec = await this.buildFunding(ch, fundingSat);
    } catch (e) {
      this.rejectFunding(tmp, new ChannelCommandError('FUNDING_FAILED', errorMessage(e)));
      return;
    }
    await this.lock.run(tmp, async () => {
      if (this.get(tmp) !== ch || this.stopped) {
        this.d.log.log('info', 'funding tx not used: the open ended while it was built', { temporary_channel_id: tmp });
        this.rejectFunding(tmp, new ChannelCommandError('CLOSED', 'channel establishment ended while the funding tx was built'));
        queueMicrotask(() => void this.abandonFunding(tmp, rec.tx_hex));
        return;
      }
      await this.apply(provideFunding(ch, { txid: fromHex(rec.txid).reverse(), output_index: rec.output_index }), [
        { table: FUNDINGS_TABLE.name, put: rec as unknown as StoreRecord },
      ]);
    });
  }

  /**
   * An open that ended before funding_signed: its funding tx (`txHex`, or the kept record's) will
   * never be broadcast. The wallet's reserved inputs are released and the record dropped; if the
   * wallet cannot be reached the record stays, and the next start tries again.
   */
  private async abandonFunding(ref: string, txHex?: string): Promise<void> {
    if (this.get(ref)?.persisted) return;
    let rec: (FundingRecord & StoreRecord) | undefined;
    try {
      rec = await this.d.store.get<FundingRecord & StoreRecord>(FUNDINGS_TABLE.name, ref);
    } catch (e) {
      this.d.log.log('warn', 'abandoned funding not released: store read failed', { channel_ref: ref, error: errorMessage(e) });
      return;
    }
    const hex = txHex ?? rec?.tx_hex;
    if (hex === undefined) return;
    const release = this.d.chain.wallet?.release;
    if (release) {
      try {
        await release.call(this.d.chain.wallet, hex);
        this.d.log.log('info', 'funding inputs released', { channel_ref: ref });
      } catch (e) {
        const later = rec ? 'retried at the next start' : 'they stay locked until bitcoind restarts';
        this.d.log.log('warn', `funding inputs not released (${later})`, { channel_ref: ref, error: errorMessage(e) });
        return;
      }
    }
    if (!rec) return;
    try {
      await this.d.store.commit([{ table: FUNDINGS_TABLE.name, delete: ref }]);
    } catch (e) {
      this.d.fatal(e);
    }
  }

  private async buildFunding(ch: Channel, fundingSat: bigint): Promise<FundingRecord> {
    const remote = ch.record.remote_keys;
    if (!remote) throw new ChannelCommandError('FUNDING_FAILED', 'no remote keys yet');
    if (this.d.chain.kind === 'static') {
      // Tests and demos only (createChainSource refuses the static chain off regtest).
      const tx = syntheticFundingTx({
        funding_satoshis: sat(fundingSat),
        local_funding_pubkey: ch.signer.basepoints.funding_pubkey,
        remote_funding_pubkey: remote.funding_pubkey,
        salt: fromHex(ch.record.temporary_channel_id),
      });
      return { channel_ref: ch.record.temporary_channel_id, tx_hex: toHex(serializeTx(tx)), txid: txidHex(tx), output_index: 0, broadcast: false };
    }
    const wallet = this.d.chain.wallet;
    if (!wallet) throw new ChannelCommandError('NO_WALLET', 'this chain source cannot fund channels (use bitcoind)');
    const out = fundingOutput(ch.signer.basepoints.funding_pubkey, remote.funding_pubkey);
    const f = await wallet.createFundingTx(toHex(out.script_pubkey), fundingSat, ch.record.base_feerate_per_kw);
    return { channel_ref: ch.record.temporary_channel_id, tx_hex: f.txHex, txid: f.txid, output_index: f.outputIndex, broadcast: false };
  }

  private async broadcastFunding(channelId: string, tmp: string): Promise<void> {
    const rec = await this.d.store.get<FundingRecord & StoreRecord>(FUNDINGS_TABLE.name, tmp);
    if (!rec) return;
    // Not marked broadcast unless the source took it: the rebroadcaster retries at every block.
    if (await this.broadcast(fromHex(rec.tx_hex), 'funding', channelId)) await this.rebroadcaster.markBroadcast(rec);
    const w = this.fundWaiters.get(tmp);
    if (w) {
      this.fundWaiters.delete(tmp);
      w.resolve({ channel_id: channelId, funding_txid: rec.txid, funding_output_index: rec.output_index, tx_hex: rec.tx_hex });
    }
  }

  /**
   * Chain input: a new tip. Re-checks the depth of every funding still waiting to lock in, then
   * lets every channel check its HTLC deadlines (an HTLC of ours about to expire closes it).
   */
  async onBlock(height: number): Promise<void> {
    for (const c of this.all()) {
      if (!c.persisted) continue;
      await this.lock.run(this.keyOf(c), async () => {
        const cur = this.get(c.record.channel_id);
        if (cur) await this.apply(blockHeight(cur, height));
      });
    }
    // What the depth check learns, the rebroadcaster need not ask again in this block.
    const statuses = new Map<string, TxStatus>();
    try {
      await this.checkFundingDepths(statuses);
    } catch (e) {
      // The chain source is unreachable: the next block looks again.
      this.d.log.log('warn', 'funding depth check failed', { error: errorMessage(e) });
    }
    await this.updateFeerates();
    await this.rebroadcaster.run(statuses);
  }

  private async checkFundingDepths(statuses: Map<string, TxStatus>): Promise<void> {
    for (const c of this.all()) {
      const r = c.record;
      const watch = fundingWatch(c);
      if (r.state !== 'AWAITING_LOCKIN' || !watch || watch.minimum_depth === 0) continue;
      const txid = toHex(watch.txid.slice().reverse());
      const status = await this.d.chain.txStatus(txid, watch.output_index);
      statuses.set(txid, status);
      if (status.confirmations === null || status.confirmations === r.funding_depth) continue;
      // The funder could confirm anything: only the promised output counts (fundee's safety).
      const out = await this.d.chain.txOutput(txid, watch.output_index);
      if (!out || out.scriptPubKeyHex !== toHex(watch.script_pubkey) || out.valueSat !== watch.amount_sat) {
        this.d.log.log('warn', 'funding output does not match the channel', { channel_id: r.channel_id });
        continue;
      }
      const scid =
        status.blockHeight !== undefined && status.blockIndex !== undefined
          ? (BigInt(status.blockHeight) << 40n) | (BigInt(status.blockIndex) << 16n) | BigInt(r.funding_output_index)
          : null;
      await this.lock.run(this.keyOf(c), async () => {
        const cur = this.get(r.channel_id);
        if (cur) await this.apply(fundingDepth(cur, status.confirmations ?? 0, scid));
      });
    }
  }

  // ---------------------------------------------------------------- commitment feerate (funder)

  /**
   * As funder, sends update_fee where the chain's estimate moved far enough from the channel's
   * feerate (see feeUpdateFor). Runs at each block, on reconnection, and when the estimate is
   * known to have changed. `only`: one channel.
   */
  async updateFeerates(only?: string): Promise<void> {
    const estimates = new Map<number, number | null>();
    for (const c of this.all()) {
      if ((only !== undefined && c.record.channel_id !== only) || !c.persisted || !canProposeFee(c)) continue;
      const { blocks } = feeEstimateTarget(c);
      let estimate = estimates.get(blocks);
      if (estimate === undefined) {
        try {
          estimate = await this.d.chain.feeratePerKw(blocks);
        } catch (e) {
          this.d.log.log('warn', 'fee estimate unavailable', { blocks, error: errorMessage(e) });
          estimate = null;
        }
        estimates.set(blocks, estimate);
      }
      if (estimate === null || this.stopped) continue;
      const est = estimate;
      try {
        await this.lock.run(this.keyOf(c), async () => {
          const cur = this.get(c.record.channel_id);
          const feerate = cur ? feeUpdateFor(cur, est) : null;
          if (!cur || feerate === null) return;
          this.d.log.log('info', 'update_fee', { channel_id: cur.record.channel_id, from: cur.record.base_feerate_per_kw, to: feerate, estimate: est });
          const step = updateFee(cur, feerate);
          await this.apply(mergeSteps(step, commit(step.channel)));
        });
      } catch (e) {
        // A store failure already stopped the node (apply); anything else leaves the feerate as is.
        this.d.log.log('warn', 'update_fee not sent', { channel_id: c.record.channel_id, error: errorMessage(e) });
      }
    }
  }

  /** dev-feerate: update_fee with exactly this feerate, whatever our policy and the estimate say. */
  forceFeerate(channelId: string, feeratePerKw: number): Promise<void> {
    return this.command(channelId, (ch) => updateFee(ch, feeratePerKw), []);
  }

  // ---------------------------------------------------------------- HTLC commands

  /**
   * ChannelsPort.offerHtlc: add + sign, committed with `writes` (or the writes a function makes
   * once the HTLC id is known) and the HTLC's origin.
   */
  offerHtlc(req: OfferRequest, writes: WriteOp[] | ((htlcId: number) => WriteOp[])): Promise<OfferResult> {
    return this.lock.run(req.channel_id, async () => {
      const ch = this.get(req.channel_id);
      if (!ch) return { ok: false, failcode: 0x400a, reason: 'Unknown channel' };
      const added = addHtlc(ch, {
        amount_msat: req.amount_msat,
        payment_hash: req.payment_hash,
        cltv_expiry: req.cltv_expiry,
        onion_routing_packet: req.onion,
      });
      if (!added.ok) return { ok: false, failcode: added.failure_code, reason: added.reason };
      const signed = commit(added.step.channel);
      const extra = typeof writes === 'function' ? writes(added.id) : writes;
      await this.apply(mergeSteps(added.step, signed), [...extra, { table: ORIGINS_TABLE.name, put: originRecord(ch.record.channel_id, added.id, req.origin) }]);
      return { ok: true };
    });
  }

  /** Settles an incoming HTLC; `extra` is committed atomically with the channel update. */
  fulfill(channelId: string, htlcId: number, preimage: Uint8Array, extra: WriteOp[] = []): Promise<void> {
    return this.command(channelId, (ch) => fulfillHtlc(ch, htlcId, preimage), extra);
  }

  fail(channelId: string, htlcId: number, reason: Uint8Array, extra: WriteOp[] = []): Promise<void> {
    return this.command(channelId, (ch) => failHtlc(ch, htlcId, reason), extra);
  }

  failMalformed(channelId: string, htlcId: number, sha256OfOnion: Uint8Array, code: number, extra: WriteOp[] = []): Promise<void> {
    return this.command(channelId, (ch) => failMalformedHtlc(ch, htlcId, sha256OfOnion, code), extra);
  }

  /** Commits `writes` under the channel's lock (ordering with its transitions), no state change. */
  commitWith(channelId: string, writes: WriteOp[]): Promise<void> {
    return this.lock.run(channelId, async () => {
      try {
        await this.d.store.commit(writes);
      } catch (e) {
        this.d.fatal(e);
        throw e;
      }
    });
  }

  private command(channelId: string, f: (ch: Channel) => Step, extra: WriteOp[]): Promise<void> {
    return this.lock.run(channelId, async () => {
      const ch = this.get(channelId);
      if (!ch) throw new ChannelCommandError('UNKNOWN_CHANNEL', `unknown channel ${channelId}`);
      const step = f(ch);
      await this.apply(mergeSteps(step, commit(step.channel)), extra);
    });
  }

  /** Starts a mutual (or, with `force`, unilateral) close; resolves with the broadcast closing tx. */
  async close(channelId: string, opts: ShutdownOptions & { force?: boolean }): Promise<ClosingBroadcast> {
    const done = new Promise<ClosingBroadcast>((resolve) => {
      const list = this.closeWaiters.get(channelId) ?? [];
      list.push(resolve);
      this.closeWaiters.set(channelId, list);
    });
    await this.lock.run(channelId, async () => {
      const ch = this.get(channelId);
      if (!ch) throw new ChannelCommandError('UNKNOWN_CHANNEL', `unknown channel ${channelId}`);
      await this.apply(opts.force ? forceClose(ch) : shutdown(ch, opts));
    });
    return done;
  }

  /** The funding output of a closed channel is spent for good (rebroadcaster): ONCHAIN. */
  private async onFundingSpent(channelId: string): Promise<void> {
    await this.lock.run(channelId, async () => {
      const cur = this.get(channelId);
      if (!cur || (cur.record.state !== 'FORCE_CLOSED' && cur.record.state !== 'CLOSING_COMPLETE')) return;
      this.d.log.log('info', 'channel funding output spent: on chain', { channel_id: channelId });
      await this.apply(fundingSpent(cur));
    });
  }

  /**
   * `close` on a channel still being opened (nothing persisted yet): forget it, tell the peer with
   * an error (BOLT 1: the channel is failed), fail the fundchannel waiting on it, and release the
   * funding tx's inputs if one was built. Under the channel's locks — the temporary id's (the
   * funding step's) and, once funding_created went out, the final id's (the peer's messages') —
   * so no transition in flight puts the channel back.
   */
  async discardUnopened(peerId: string, reason: string): Promise<void> {
    for (const c of this.ofPeer(peerId)) {
      if (c.persisted) continue;
      const tmp = c.record.temporary_channel_id;
      await this.lock.run(tmp, async () => {
        const id = this.get(tmp)?.record.channel_id;
        if (id === undefined) return;
        const discard = async (): Promise<void> => {
          const cur = this.get(tmp);
          if (!cur || cur.persisted) return;
          this.chans.delete(this.keyOf(cur));
          this.aliasOfTemp.delete(tmp);
          this.rejectFunding(tmp, new ChannelCommandError('CLOSED', reason));
          // The peer knows the channel by its final id once funding_created went out.
          await this.sendTo(peerId, { type: 'error', channel_id: fromHex(cur.record.channel_id), data: new TextEncoder().encode(reason) });
          queueMicrotask(() => void this.abandonFunding(tmp));
        };
        await (id === tmp ? discard() : this.lock.run(id, discard));
      });
    }
  }

  stop(): void {
    this.stopped = true;
    for (const [tmp] of this.fundWaiters) this.rejectFunding(tmp, new ChannelCommandError('SHUTDOWN', 'node is shutting down'));
  }
}

function originRecord(channelId: string, htlcId: number, o: OutgoingOrigin): StoreRecord {
  const rec: OriginRecord =
    o.kind === 'payment'
      ? {
          channel_id: channelId,
          htlc_id: htlcId,
          kind: 'payment',
          payment_hash: o.payment_hash,
          partid: o.partid,
          groupid: o.groupid,
          partid_key: u64Key(o.partid),
          groupid_key: u64Key(o.groupid),
        }
      : {
          channel_id: channelId,
          htlc_id: htlcId,
          kind: 'forward',
          in_channel_id: o.in_channel_id,
          in_htlc_id: Number(o.in_htlc_id),
          in_shared_secret: o.in_shared_secret,
          forward_key: o.forward_key,
        };
  return rec as unknown as StoreRecord;
}

/** Two consecutive steps of one channel as one: later records win, messages and events concatenate. */
export function mergeSteps(a: Step, b: Step): Step {
  const htlcs = new Map<string, (typeof a.persist.htlcs)[number]>();
  for (const h of [...a.persist.htlcs, ...b.persist.htlcs]) htlcs.set(`${h.channel_id}/${h.offerer}/${h.id}`, h);
  const deleted = [...a.persist.deleted_htlcs, ...b.persist.deleted_htlcs];
  for (const k of deleted) htlcs.delete(`${k[0]}/${k[1]}/${k[2]}`);
  return {
    channel: b.channel,
    persist: { channel: b.persist.channel ?? a.persist.channel, htlcs: [...htlcs.values()], deleted_htlcs: deleted },
    send: [...a.send, ...b.send],
    events: [...a.events, ...b.events],
  };
}
