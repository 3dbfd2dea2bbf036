// One remote node as the runtime sees it: at most one live connection (BOLT 1), outbound dials
// with a reconnect policy, inbound connections adopted from the listeners. Every attempt builds a
// fresh PeerConnection, hence a fresh ephemeral key and fresh read state.
import { LightningError } from '../errors.js';
import { Emitter } from '../net/emitter.js';
import type { NetAddress } from '../net/address.js';
import type { Dialer, RouteOptions } from '../net/dial.js';
import { toHex } from '../util/bytes.js';
import type { NodeId } from '../types.js';
import type { UnknownMessage, WireMessage } from '../wire/index.js';
import { Backoff, type BackoffOptions } from './backoff.js';
import { systemClock, type Clock } from './clock.js';
import { connectPeer, type ConnectionInfo, type PeerConnection, type RemoteErrorInfo, type SessionOptions, type WarningInfo } from './connection.js';
import { PeerError } from './errors.js';
import { describeAddressDescriptor } from './address-descriptor.js';

export interface PeerOptions extends SessionOptions {
  id: NodeId;
  /** Where to dial; absent for a peer known only from inbound connections. */
  address?: NetAddress;
  dialer?: Dialer;
  route?: RouteOptions;
  dialTimeoutMs?: number;
  highWaterMark?: number;
  protocols?: string[];
  /** Reconnect policy; false disables automatic reconnection. */
  reconnect?: BackoffOptions | false;
  /** A connection that lasted this long resets the backoff (flapping ones do not). Default 30 s. */
  stableAfterMs?: number;
  random?: () => number;
}

/** Core Lightning `listpeers`-style view (the runtime adds num_channels). */
export interface PeerInfo {
  id: NodeId;
  connected: boolean;
  /** Address of the live connection (empty when disconnected). */
  netaddr: string[];
  /** The peer's init features (global | local), hex; empty when never connected. */
  features: string;
  direction?: 'out' | 'in';
  /** Our address as the peer reported it in init (remote_addr), readable form. */
  remote_addr?: string;
}

export type PeerEvents = {
  connected: [info: ConnectionInfo];
  /** An outbound attempt reached init at `address` (emitted just before `connected`). */
  dialled: [address: NetAddress];
  /** A live connection ended. `reconnectInMs` is set when another attempt is scheduled. */
  disconnected: [event: { error: PeerError | null; reconnectInMs?: number }];
  /** An outbound attempt failed before becoming ready. */
  attemptFailed: [event: { error: PeerError; attempt: number; reconnectInMs?: number }];
  message: [message: WireMessage];
  warning: [warning: WarningInfo];
  remoteError: [error: RemoteErrorInfo];
  diagnostic: [message: string];
};

function asPeerError(e: unknown): PeerError {
  if (e instanceof PeerError) return e;
  if (e instanceof LightningError) return new PeerError('CONNECT_FAILED', e.message, e);
  return new PeerError('CONNECT_FAILED', e instanceof Error ? e.message : String(e));
}

function sameAddress(x: NetAddress | undefined, y: NetAddress | undefined): boolean {
  if (x === undefined || y === undefined) return x === y;
  if (x.kind === 'url' || y.kind === 'url') return x.kind === 'url' && y.kind === 'url' && x.url === y.url;
  return x.host === y.host && x.port === y.port;
}

export class Peer {
  readonly id: NodeId;
  private address_: NetAddress | undefined;
  private conn: PeerConnection | undefined;
  /** The connection disconnect() is closing: still `conn` until it has closed, never reused. */
  private closingConn: PeerConnection | undefined;
  private lastFeatures = '';
  private readonly events = new Emitter<PeerEvents>();
  private readonly backoff: Backoff;
  private readonly reconnectEnabled: boolean;
  private wanted = false; // the owner wants this peer connected (connect() called, not disconnect())
  private attempt: AbortController | undefined;
  /** The address the attempt in flight dials. */
  private attemptTo: NetAddress | undefined;
  private retryTimer: ReturnType<typeof setTimeout> | undefined;
  private waiters: { resolve: (i: ConnectionInfo) => void; reject: (e: PeerError) => void }[] = [];
  private readonly clock: Clock;

  constructor(private readonly opts: PeerOptions) {
    this.id = opts.id;
    this.address_ = opts.address;
    this.backoff = new Backoff(opts.reconnect === false ? {} : opts.reconnect, opts.random);
    this.reconnectEnabled = opts.reconnect !== false;
    this.clock = opts.clock ?? systemClock;
  }

  get address(): NetAddress | undefined {
    return this.address_;
  }

  /** Used by the next dial (e.g. the user connected with a new address). */
  set address(a: NetAddress | undefined) {
    this.address_ = a;
  }

  get connected(): boolean {
    return this.conn !== undefined;
  }

  get connection(): PeerConnection | undefined {
    return this.conn;
  }

  /** True while an outbound attempt is in flight. */
  get connecting(): boolean {
    return this.attempt !== undefined;
  }

  on<E extends keyof PeerEvents>(event: E, fn: (...args: PeerEvents[E]) => void): () => void {
    return this.events.on(event, fn);
  }

  info(): PeerInfo {
    const i = this.conn?.info;
    const out: PeerInfo = { id: this.id, connected: i !== undefined, netaddr: i ? [i.netaddr] : [], features: i ? toHex(i.remote.features) : this.lastFeatures };
    if (i) out.direction = i.direction;
    const ra = i?.remote.remoteAddr ? describeAddressDescriptor(i.remote.remoteAddr) : undefined;
    if (ra) out.remote_addr = ra;
    return out;
  }

  /**
   * Connects (or waits for the attempt in flight) and keeps the peer connected from now on.
   * Resolves when ready; rejects with the failure of this attempt (retries continue in the
   * background when reconnection is enabled).
   */
  connect(): Promise<ConnectionInfo> {
    this.wanted = true;
    if (this.conn?.info && this.conn !== this.closingConn) return Promise.resolve(this.conn.info);
    if (!this.address_ || !this.opts.dialer) {
      return Promise.reject(new PeerError('NOT_CONNECTED', `no address known for ${this.id}`));
    }
    const p = new Promise<ConnectionInfo>((resolve, reject) => this.waiters.push({ resolve, reject }));
    if (this.attempt && !sameAddress(this.attemptTo, this.address_)) {
      // A new address since that attempt started (the peer moved, e.g. restarted on another
      // port): dial it instead of waiting for the stale one. The waiters carry over.
      this.attempt.abort();
      this.attempt = undefined;
    }
    if (!this.attempt) this.dial();
    return p;
  }

  /** Skips the backoff wait (browser `online`, `visibilitychange`, `pageshow`). */
  reconnectNow(): void {
    if (!this.wanted || this.conn || this.attempt || !this.address_ || !this.opts.dialer) return;
    this.dial();
  }

  /** Closes the connection and stops reconnecting until connect() is called again. */
  disconnect(warning?: string): void {
    this.wanted = false;
    this.clearRetry();
    this.attempt?.abort();
    this.attempt = undefined;
    this.rejectWaiters(new PeerError('CLOSED_LOCALLY', 'disconnected by request'));
    this.closingConn = this.conn;
    this.conn?.close(warning);
  }

  send(message: WireMessage | UnknownMessage): Promise<void> {
    if (!this.conn) return Promise.reject(new PeerError('NOT_CONNECTED', `peer ${this.id} is not connected`));
    return this.conn.send(message);
  }

  ping(numPongBytes = 0, ignoredLength = 0): Promise<number> {
    if (!this.conn) return Promise.reject(new PeerError('NOT_CONNECTED', `peer ${this.id} is not connected`));
    return this.conn.ping(numPongBytes, ignoredLength);
  }

  /**
   * Takes over a ready connection to this node (an inbound one from a listener). BOLT 1 allows
   * one connection per peer: an existing one is closed, an outbound attempt abandoned.
   */
  attach(conn: PeerConnection): void {
    if (!conn.info || conn.remoteNodeId !== this.id) throw new PeerError('BAD_CONFIG', 'attach() needs a ready connection to this node');
    this.attempt?.abort();
    this.attempt = undefined;
    this.clearRetry();
    this.adopt(conn);
  }

  private dial(): void {
    this.clearRetry();
    const ac = new AbortController();
    this.attempt = ac;
    this.attemptTo = this.address_;
    const attemptNo = this.backoff.attempts + 1;
    const o = this.opts;
    connectPeer({
      ...o,
      remoteNodeId: this.id,
      address: this.address_!,
      dialer: o.dialer!,
      signal: ac.signal,
    }).then(
      (conn) => {
        if (this.attempt !== ac) {
          conn.close(); // superseded (disconnect() or an inbound connection won)
          return;
        }
        this.attempt = undefined;
        // The address proved good: the runtime remembers it for dialing again after a restart.
        if (this.attemptTo) this.events.emit('dialled', this.attemptTo);
        this.adopt(conn);
      },
      (e: unknown) => {
        if (this.attempt !== ac) return;
        this.attempt = undefined;
        const error = asPeerError(e);
        const delay = this.scheduleRetry();
        this.rejectWaiters(error);
        this.events.emit('attemptFailed', { error, attempt: attemptNo, ...(delay !== undefined ? { reconnectInMs: delay } : {}) });
      },
    );
  }

  private adopt(conn: PeerConnection): void {
    const old = this.conn;
    this.conn = conn;
    if (old) old.close('replaced by a newer connection');
    const info = conn.info!;
    this.lastFeatures = toHex(info.remote.features);
    const offs = [
      conn.on('message', (m) => this.events.emit('message', m)),
      conn.on('warning', (w) => this.events.emit('warning', w)),
      conn.on('remoteError', (e) => this.events.emit('remoteError', e)),
      conn.on('diagnostic', (d) => this.events.emit('diagnostic', d)),
    ];
    conn.on('closed', (error) => {
      for (const off of offs) off();
      if (this.closingConn === conn) this.closingConn = undefined;
      if (this.conn !== conn) return; // a replaced connection ending is not news
      this.conn = undefined;
      if (this.clock.now() - info.connectedAt >= (this.opts.stableAfterMs ?? 30_000)) this.backoff.reset();
      const delay = this.scheduleRetry();
      this.events.emit('disconnected', { error, ...(delay !== undefined ? { reconnectInMs: delay } : {}) });
    });
    const waiters = this.waiters.splice(0);
    for (const w of waiters) w.resolve(info);
    this.events.emit('connected', info);
  }

  private scheduleRetry(): number | undefined {
    if (!this.wanted || !this.reconnectEnabled || !this.address_ || !this.opts.dialer) return undefined;
    const delay = this.backoff.next();
    this.clearRetry();
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      if (this.wanted && !this.conn && !this.attempt) this.dial();
    }, delay);
    return delay;
  }

  private clearRetry(): void {
    if (this.retryTimer !== undefined) clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
  }

  private rejectWaiters(e: PeerError): void {
    for (const w of this.waiters.splice(0)) w.reject(e);
  }
}

