// The composition root: one Lightning node wiring every layer — peers (BOLT 1/8 over TCP or
// WebSocket), channels (BOLT 2/3), the HTLC switch (BOLT 4), payments (Core Lightning's sendpay
// family), invoices and forwards — over one Store and one chain source, behind Core Lightning's
// JSON-RPC method table. Hosts (daemon, Worker, in-process API) create it with `startNode`.
import type { Store } from '../store/types.js';
import type { ChainSource, Network } from '../chain/types.js';
import { checkChainForNetwork } from '../chain/spec.js';
import type { Dialer } from '../net/dial.js';
import type { ByteStream } from '../net/byte-stream.js';
import { PeerManager, type PeerTiming, type BackoffOptions } from '../peer/index.js';
import { chainHash } from '../wire/chains.js';
import { LightningError, errorMessage } from '../errors.js';
import { LIGHTNINGD_SHUTDOWN, RpcError, failWith } from '../rpc/errors.js';
import { dispatchText, dispatchValues, methodTable, defineMethod, type MethodTable } from '../rpc/dispatch.js';
import type { JsonOut } from '../rpc/json-write.js';
import { DEFAULT_PARAM_CONTEXT, type ParamContext } from '../rpc/params.js';
import { WAIT_PARAMS, WaitIndexWaiters, decideWait, invstringDecoderFor, type IndexEvent } from '../payments/index.js';
import { DEFAULT_POLICY, type RelayPolicy } from '../forwarding/index.js';
import { DELINVOICE_PARAMS, INVOICE_PARAMS, LISTINVOICES_PARAMS } from '../invoices/index.js';
import { LISTFORWARDS_PARAMS } from '../forwarding/index.js';
import { balances, type ChannelPolicy } from '../channel/state/index.js';
import { deriveNodeSecrets } from './secrets.js';
import { EventHub } from './events.js';
import { silentLogger, type Logger } from './log.js';
import { ChannelManager } from './channels.js';
import { PaymentsService } from './payments-service.js';
import { ForwardsService } from './forwards-service.js';
import { InvoicesService } from './invoices-service.js';
import { HtlcSwitch } from './htlc-switch.js';
import { PeerUpdates } from './peer-updates.js';
import { PeerAddressBook } from './peer-addresses.js';
import { initFeatures } from './features.js';
import type { Binding, CallContext, NodeServices } from './services.js';
import type { LightningNodeApi } from './node-api.js';
import type { NodeEvent, RpcParams, RpcValue } from './types.js';
import { nodeMethods } from './methods/node-methods.js';
import { peerMethods } from './methods/peer-methods.js';
import { channelMethods } from './methods/channel-methods.js';
import { paymentMethods } from './methods/payment-methods.js';
import { onionMethods } from './methods/onion-methods.js';
import { devMethods } from './methods/dev-methods.js';
import { fromRpcJson } from './rpc-values.js';
import type { RouteHintCandidate } from '../invoices/index.js';
import { scid as asScid } from '../types.js';

export interface NodeOptions {
  network: Network;
  /** Opened with NODE_SCHEMA (see schema.ts). */
  store: Store;
  /** The node's only secret (32 bytes). */
  seed: Uint8Array;
  chain: ChainSource;
  dialer: Dialer;
  alias?: string;
  color?: string;
  /** Peers whose zero-conf channels we accept. */
  zeroconfFrom?: string[];
  channelPolicy?: Partial<ChannelPolicy>;
  relayPolicy?: Partial<RelayPolicy>;
  peerTiming?: Partial<PeerTiming>;
  reconnect?: BackoffOptions | false;
  log?: Logger;
  /** Core Lightning's developer mode (error texts quote the offending token). Default true. */
  developer?: boolean;
  lightningDir?: string;
  bindings?: () => Binding[];
  /** Called when the node stops itself (a store write failed, or the `stop` command). */
  onStop?: (reason: string) => void;
  /** Crash-safety tests only (see ChannelManagerDeps.crashPoint). */
  crashPoint?: (name: string) => void;
  /** DEV-ONLY test hooks; never set in production. garbleFailures: see HtlcSwitchDeps. */
  dev?: { garbleFailures?: boolean };
}

export class LightningNode implements LightningNodeApi, NodeServices {
  readonly id;
  readonly alias: string;
  readonly color: string;
  readonly network: Network;
  readonly chainHash: Uint8Array;
  readonly localFeatures = initFeatures();
  readonly secrets;
  readonly store: Store;
  readonly chain: ChainSource;
  readonly peers: PeerManager;
  readonly channels: ChannelManager;
  readonly payments: PaymentsService;
  readonly forwards: ForwardsService;
  readonly invoices: InvoicesService;
  readonly peerUpdates: PeerUpdates;
  readonly switch: HtlcSwitch;
  readonly events: EventHub;
  readonly log: Logger;
  readonly pctx: ParamContext;
  readonly lightningDir: string | undefined;
  readonly readOnly = false;
  readonly relay: RelayPolicy;
  private readonly table: MethodTable<CallContext>;
  private readonly waitIndexes = new WaitIndexWaiters();
  private readonly unsubscribers: (() => void)[] = [];
  private stopping: Promise<void> | undefined;
  private stopReason: string | undefined;

  private constructor(private readonly opts: NodeOptions) {
    this.network = opts.network;
    this.chainHash = chainHash(opts.network);
    this.secrets = deriveNodeSecrets(opts.seed);
    this.id = this.secrets.nodeId;
    this.alias = opts.alias ?? `lightning-worker-${this.id.slice(2, 10)}`;
    this.color = opts.color ?? this.id.slice(2, 8);
    this.store = opts.store;
    this.chain = opts.chain;
    this.log = opts.log ?? silentLogger;
    this.pctx = { ...DEFAULT_PARAM_CONTEXT, developer: opts.developer ?? true };
    this.lightningDir = opts.lightningDir;
    this.relay = { ...DEFAULT_POLICY, ...opts.relayPolicy };
    this.events = new EventHub((e) => this.log.log('error', 'event listener threw', { error: errorMessage(e) }));
    const trusted = new Set((opts.zeroconfFrom ?? []).map((s) => s.toLowerCase()));

    this.peers = new PeerManager({
      localSecret: this.secrets.nodeSecret,
      features: this.localFeatures,
      chains: [this.chainHash],
      dialer: opts.dialer,
      ...(opts.peerTiming ? { timing: opts.peerTiming } : {}),
      ...(opts.reconnect !== undefined ? { reconnect: opts.reconnect } : {}),
    });
    this.channels = new ChannelManager({
      store: this.store,
      secrets: this.secrets,
      chainHash: this.chainHash,
      chain: this.chain,
      peers: this.peers,
      localFeatures: this.localFeatures,
      ...(opts.channelPolicy ? { policy: opts.channelPolicy } : {}),
      isTrusted: (id) => trusted.has(id.toLowerCase()),
      log: this.log,
      events: this.events,
      fatal: (e) => this.fatal(e),
      onChannelActive: (ch) => this.sendChannelUpdate(ch.record.channel_id),
      ...(opts.crashPoint ? { crashPoint: opts.crashPoint } : {}),
    });
    this.peerUpdates = new PeerUpdates({ store: this.store, network: this.network, nodeSecret: this.secrets.nodeSecret, relay: this.relay, now: () => this.now(), log: this.log });
    this.forwards = new ForwardsService({ store: this.store, nowMs: () => Date.now(), onBump: (b) => this.bumped(b) });
    this.payments = new PaymentsService({
      store: this.store,
      ownNodeId: this.id,
      clock: globalThis,
      now: () => this.now(),
      blockHeight: () => this.blockHeight(),
      channels: this.channels,
      invoices: { lookup: (h) => this.invoices.lookup(h), markPaid: (h, a) => this.invoices.markPaid(h, a) },
      // listsendpays/listpays bolt11: BOLT 11 for this node's chain only.
      decodeInvstring: invstringDecoderFor(this.network),
      notify: (n) => this.onPaymentNotification(n),
      onIndexBump: (b) => this.bumped(b),
      fatal: (e) => this.fatal(e),
    });
    this.switch = new HtlcSwitch({
      store: this.store,
      network: this.network,
      nodeSecret: this.secrets.nodeSecret,
      relay: this.relay,
      channels: this.channels,
      payments: this.payments,
      forwards: this.forwards,
      now: () => this.now(),
      nowMs: () => Date.now(),
      blockHeight: () => this.blockHeight(),
      log: this.log,
      ...(opts.dev?.garbleFailures ? { garbleFailures: true } : {}),
    });
    this.invoices = new InvoicesService({
      store: this.store,
      network: this.network,
      nodeSecret: this.secrets.nodeSecret,
      now: () => this.now(),
      nowMs: () => Date.now(),
      blockHeight: () => this.blockHeight(),
      routeHints: () => this.routeHints(),
      events: this.events,
      actions: this.switch.payee,
      onBump: (b) => this.bumped(b),
    });
    this.switch.setInvoices(this.invoices);
    this.channels.setFollowUps(this.switch);
    this.table = this.buildTable();
  }

  static async start(opts: NodeOptions): Promise<LightningNode> {
    // Every composition comes through here, however its chain source was made; a source the
    // store-opening factories already checked (before opening the store) passes at once.
    checkChainForNetwork(opts.chain, opts.network);
    const node = new LightningNode(opts);
    await node.load();
    return node;
  }

  private async load(): Promise<void> {
    await Promise.all([this.channels.load(), this.payments.load(), this.forwards.load(), this.invoices.load(), this.peerUpdates.load()]);
    this.wirePeers();
    // A chain source that fails mid-block (bitcoind restarting, Esplora rate limits) is retried
    // at the next block; it must not become an unhandled rejection that ends the process.
    this.unsubscribers.push(
      this.chain.onBlock((h) => {
        void this.channels.onBlock(h).catch((e: unknown) => this.log.log('warn', 'processing a new block failed', { height: h, error: errorMessage(e) }));
      }),
    );
    // Finish what a crash interrupted, then settle attempts whose HTLC never existed.
    await this.channels.replayOutbox();
    await this.reconcilePayments();
    // Dial the peers of our channels again where we last reached them (inbound ones come back on their own).
    const book = new PeerAddressBook({ store: this.store, peers: this.peers, channels: this.channels, log: this.log, fatal: (e) => this.fatal(e), nowMs: () => Date.now() });
    this.unsubscribers.push(await book.start());
  }

  private wirePeers(): void {
    const p = this.peers;
    this.unsubscribers.push(
      p.on('connected', (id, info) => {
        this.events.emit({ type: 'peer', id, connected: true });
        void this.channels.onPeerConnected(id, info).catch((e: unknown) => this.log.log('error', 'reestablish failed', { peer: id, error: errorMessage(e) }));
      }),
      p.on('disconnected', (id, err) => {
        this.events.emit({ type: 'peer', id, connected: false, ...(err ? { reason: err.message } : {}) });
        void this.channels.onPeerDisconnected(id);
      }),
      p.on('message', (id, m) => {
        if (m.type === 'channel_update') {
          void this.peerUpdates.onPeerUpdate(id, m, this.channels.ofPeer(id));
          return;
        }
        void this.channels.onMessage(id, m).catch((e: unknown) => this.log.log('error', 'channel message handling failed', { peer: id, type: m.type, error: errorMessage(e) }));
      }),
      p.on('remoteError', (id, err) => {
        this.log.log('warn', 'peer sent error', { peer: id, text: err.text });
        void this.channels.onRemoteError(id, err);
      }),
      p.on('warning', (id, w) => this.events.emit({ type: 'warning', message: `peer ${id}: ${w.text}` })),
    );
  }

  /** Pending attempts whose HTLC is known to no channel and to no outbox record can never end: 209. */
  private async reconcilePayments(): Promise<void> {
    const pending = await this.payments.pendingAttempts();
    if (pending.length === 0) return;
    const live = new Set<string>();
    for (const c of this.channels.all()) for (const h of c.htlcs.values()) if (h.offerer === 'local') live.add(`${c.record.channel_id}/${h.id}`);
    for (const row of pending) {
      const origins = await this.store.query('htlc_origins', { index: 'attempt', range: { only: [row.payment_hash, row.partid_key, row.groupid_key] } });
      const alive = origins.some((o) => live.has(`${String(o.channel_id)}/${String(o.htlc_id)}`));
      if (!alive) await this.payments.failOrphan(row);
    }
  }

  private async sendChannelUpdate(channelId: string): Promise<void> {
    const ch = this.channels.get(channelId);
    if (!ch || ch.record.announce) return;
    const upd = this.peerUpdates.ours(ch, false);
    if (upd) await this.peers.send(ch.record.peer_id as never, upd).catch(() => undefined);
  }

  /** Route-hint candidates for our invoices: every channel through which a peer can pay us. */
  private routeHints(): RouteHintCandidate[] {
    const out: RouteHintCandidate[] = [];
    for (const c of this.channels.all()) {
      const r = c.record;
      const name = r.short_channel_id ?? r.remote_alias;
      const pol = this.peerUpdates.policyFor(r.channel_id);
      if (!c.persisted || name === null || !pol) continue;
      const b = balances(c);
      out.push({
        peer_id: r.peer_id,
        short_channel_id: asScid(name),
        other_scids: [asScid(r.local_alias)],
        fee_base_msat: pol.fee_base_msat,
        fee_proportional_millionths: pol.fee_proportional_millionths,
        cltv_expiry_delta: pol.cltv_expiry_delta,
        htlc_maximum_msat: pol.htlc_maximum_msat,
        receivable_msat: b.receivable_msat,
        capacity_msat: b.total_msat - b.our_reserve_msat - b.their_reserve_msat,
        public: r.announce,
        usable: r.state === 'NORMAL',
        peer_connected: c.connection === 'active',
      });
    }
    return out;
  }

  private bumped(b: IndexEvent): void {
    this.waitIndexes.notify(b);
  }

  private onPaymentNotification(n: { topic: string; payload: unknown }): void {
    const payload = fromRpcJson(n.payload as JsonOut);
    if (n.topic === 'sendpay_success') this.events.emit({ type: 'sendpay_success', payment: payload as never });
    else if (n.topic === 'sendpay_failure') this.events.emit({ type: 'sendpay_failure', error: payload as never });
  }

  private buildTable(): MethodTable<CallContext> {
    const inv = this.invoices;
    return methodTable<CallContext>([
      ...nodeMethods(this),
      ...peerMethods(this),
      ...channelMethods(this, this.relay),
      ...paymentMethods(this),
      ...onionMethods(),
      ...devMethods(this),
      defineMethod({ name: 'invoice', params: INVOICE_PARAMS, handler: (p) => inv.invoice(p) }),
      defineMethod({ name: 'listinvoices', params: LISTINVOICES_PARAMS, handler: (p) => inv.listinvoices(p) }),
      defineMethod({ name: 'delinvoice', params: DELINVOICE_PARAMS, handler: (p) => inv.delinvoice(p) }),
      defineMethod({ name: 'listforwards', params: LISTFORWARDS_PARAMS, handler: (p) => this.forwards.listforwards(p) }),
      defineMethod({
        name: 'wait',
        params: WAIT_PARAMS,
        handler: (p, ctx: CallContext) => {
          const counters =
            p.subsystem === 'sendpays' ? this.payments.currentCounters : p.subsystem === 'invoices' ? this.invoices.currentCounters : this.forwards.currentCounters;
          const d = decideWait(p, counters[p.indexname]);
          if (d.kind === 'done') return d.outcome;
          // Sendpays bumps reach the payments service's own waiters; the others come here.
          return p.subsystem === 'sendpays' ? this.payments.wait(p, ctx.signal) : this.waitIndexes.wait(d.params, ctx.signal);
        },
      }),
    ]);
  }

  // ---------------------------------------------------------------- NodeServices

  bindings(): Binding[] {
    return this.opts.bindings?.() ?? [];
  }

  now(): number {
    return Math.floor(Date.now() / 1000);
  }

  blockHeight(): Promise<number> {
    return this.chain.tipHeight();
  }

  // ---------------------------------------------------------------- LightningNodeApi

  /** Calls a method with JS values; resolves with plain values (u64 as bigint) or rejects with RpcError. */
  async rpc(method: string, params?: RpcParams, opts: { signal?: AbortSignal } = {}): Promise<RpcValue> {
    if (this.stopReason !== undefined) throw this.stoppedError(this.stopReason);
    const out = await dispatchValues(this.table, method, params ?? {}, opts.signal ? { signal: opts.signal } : {}, this.pctx);
    if (!out.ok) throw out.error;
    return fromRpcJson(out.value);
  }

  /** One JSON-RPC request text in, one response text out (the daemon's socket). */
  rpcText(text: string, ctx: CallContext = {}): Promise<string> {
    return dispatchText(this.table, text, ctx, this.pctx);
  }

  subscribe(listener: (event: NodeEvent) => void): () => void {
    return this.events.subscribe(listener);
  }

  inFlight(): number {
    return this.channels.inFlightHtlcs();
  }

  reconnectAll(): void {
    this.peers.reconnectAll();
  }

  /** An inbound connection accepted by a listener. */
  accept(stream: ByteStream): void {
    this.peers.accept(stream);
  }

  private fatal(e: unknown): void {
    const reason = `store write failed, node stopped: ${errorMessage(e)}`;
    this.log.log('error', reason);
    this.events.emit({ type: 'warning', message: reason });
    void this.stop(reason);
  }

  /** What a call gets once the node stops (the Worker client says the same for its calls). */
  private stoppedError(reason: string): RpcError {
    return new RpcError(LIGHTNINGD_SHUTDOWN, `lightning-worker stopped: ${reason}`);
  }

  stop(reason = 'stop command'): Promise<void> {
    this.stopping ??= (async () => {
      this.stopReason = reason;
      // Blocked waitsendpay/wait calls would otherwise never return; their payments stay as they are.
      const stopped = failWith(this.stoppedError(reason));
      this.payments.waiters.answerAll(stopped);
      this.payments.indexWaiters.answerAll(stopped);
      this.waitIndexes.answerAll(stopped);
      this.channels.stop();
      this.invoices.stop();
      for (const u of this.unsubscribers) u();
      await this.peers.close();
      this.chain.close();
      this.opts.onStop?.(reason);
    })();
    return this.stopping;
  }

  async close(): Promise<void> {
    await this.stop('closed');
    await this.store.close();
  }
}

export { LightningError, RpcError };
