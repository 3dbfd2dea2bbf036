// The driver of one peer connection: binds a ByteStream and a timer to the sans-IO PeerCore.
// Outbound: dial, then the handshake; `ready` resolves once both inits are exchanged, and the
// connection counts as established only then (a proxy may accept a socket it cannot relay).
import { LightningError } from '../errors.js';
import { Emitter } from '../net/emitter.js';
import { NetError } from '../net/errors.js';
import type { ByteStream } from '../net/byte-stream.js';
import { describeTarget, routeFor, type Dialer, type DialOptions, type RouteOptions } from '../net/dial.js';
import type { NetAddress } from '../net/address.js';
import { fromHex, type Bytes } from '../util/bytes.js';
import type { NodeId } from '../types.js';
import type { UnknownMessage, WireMessage } from '../wire/index.js';
import { systemClock, type Clock } from './clock.js';
import { PeerCore, type PeerAction, type PeerCoreConfig, type PeerCoreState } from './core.js';
import { PeerError } from './errors.js';
import type { LocalInit, RemoteInit } from './init.js';
import type { PeerTiming } from './timing.js';

export type Direction = 'out' | 'in';

/** What the runtime needs about an established connection (CLN `listpeers`: netaddr, features). */
export interface ConnectionInfo {
  remoteNodeId: NodeId;
  direction: Direction;
  /** "host:port" or the WebSocket URL we dialed; for inbound, the remote socket address. */
  netaddr: string;
  remote: RemoteInit;
  connectedAt: number;
}

export interface WarningInfo {
  channelId: Bytes;
  data: Bytes;
  /** `data` as printable text, or hex when it is not printable ASCII. */
  text: string;
}
export interface RemoteErrorInfo extends WarningInfo {
  allChannels: boolean;
}

export type PeerConnectionEvents = {
  handshake: [remoteNodeId: NodeId];
  ready: [info: ConnectionInfo];
  message: [message: WireMessage];
  warning: [warning: WarningInfo];
  /** The peer sent an `error` message (not a local failure: see `closed`). */
  remoteError: [error: RemoteErrorInfo];
  pong: [id: number, rttMs: number];
  diagnostic: [message: string];
  /** Once; null for a clean local close. */
  closed: [error: PeerError | null];
};

/** Session settings shared by inbound and outbound connections. */
export interface SessionOptions extends LocalInit {
  localSecret: Bytes;
  timing?: Partial<PeerTiming>;
  keepalivePongBytes?: number;
  clock?: Clock;
  /** Tests only. */
  ephemeralSecret?: Bytes;
}

export class PeerConnection {
  readonly direction: Direction;
  /** Resolves when both inits are exchanged; rejects with the PeerError that ended it first. */
  readonly ready: Promise<ConnectionInfo>;
  /** Resolves with the close reason (null = clean local close). Never rejects. */
  readonly closed: Promise<PeerError | null>;
  private readonly events = new Emitter<PeerConnectionEvents>();
  private readonly clock: Clock;
  private timer: unknown;
  private timerAt: number | undefined;
  private info_: ConnectionInfo | undefined;
  private readonly pingWaiters = new Map<number, { resolve: (rtt: number) => void; reject: (e: PeerError) => void }>();
  private resolveReady!: (i: ConnectionInfo) => void;
  private rejectReady!: (e: PeerError) => void;
  private resolveClosed!: (e: PeerError | null) => void;
  private finished = false;
  private readonly unsubscribe: (() => void)[] = [];
  /**
   * The peer's messages, warnings and errors that arrive before the owner subscribes to them. The
   * owner adopts the connection only after `ready` settles (a later microtask), while a message
   * glued to the peer's init in the same chunk is decoded at once: held, it is not lost.
   */
  private held: Extract<PeerAction, { type: 'event' }>[] | undefined = [];
  private releasing = false;

  private constructor(
    readonly stream: ByteStream,
    private readonly core: PeerCore,
    direction: Direction,
    clock: Clock,
  ) {
    this.direction = direction;
    this.clock = clock;
    this.ready = new Promise((res, rej) => {
      this.resolveReady = res;
      this.rejectReady = rej;
    });
    this.ready.catch(() => undefined); // observed through `closed` / events when nobody awaits it
    this.closed = new Promise((res) => (this.resolveClosed = res));
    this.unsubscribe.push(
      stream.on('data', (chunk) => this.run(this.core.receive(chunk, this.clock.now()))),
      stream.on('close', (info) => this.run(this.core.streamClosed(info.reason))),
      stream.on('diagnostic', (m) => this.events.emit('diagnostic', m)),
    );
  }

  /** Runs the initiator side over an already open stream to `remoteNodeId`. */
  static outbound(stream: ByteStream, remoteNodeId: NodeId | Bytes, opts: SessionOptions): PeerConnection {
    const c = PeerConnection.create(stream, () => ({ ...coreConfig(opts), role: 'initiator', remoteNodeId: typeof remoteNodeId === 'string' ? fromHex(remoteNodeId) : remoteNodeId }), 'out', opts.clock);
    c.run(c.core.start());
    return c;
  }

  /** Runs the responder side over an accepted stream (the daemon's listeners). */
  static inbound(stream: ByteStream, opts: SessionOptions & { remoteAddr?: Bytes }): PeerConnection {
    const cfg = (): PeerCoreConfig => ({ ...coreConfig(opts), role: 'responder', ...(opts.remoteAddr ? { remoteAddr: opts.remoteAddr } : {}) });
    const c = PeerConnection.create(stream, cfg, 'in', opts.clock);
    c.run([]);
    return c;
  }

  private static create(stream: ByteStream, cfg: () => PeerCoreConfig, direction: Direction, clock: Clock = systemClock): PeerConnection {
    let core: PeerCore;
    try {
      core = new PeerCore(cfg(), clock.now());
    } catch (e) {
      // Bad keys or node id: never leave the socket we were handed open.
      stream.close(1000, 'bad configuration');
      if (e instanceof PeerError) throw e;
      throw new PeerError('BAD_CONFIG', e instanceof Error ? e.message : String(e), e instanceof LightningError ? e : undefined);
    }
    return new PeerConnection(stream, core, direction, clock);
  }

  get state(): PeerCoreState {
    return this.core.state;
  }

  /** Known once the handshake completed. */
  get remoteNodeId(): NodeId | undefined {
    return this.core.remoteNodeId;
  }

  /** Set once ready. */
  get info(): ConnectionInfo | undefined {
    return this.info_;
  }

  on<E extends keyof PeerConnectionEvents>(event: E, fn: (...args: PeerConnectionEvents[E]) => void): () => void {
    const off = this.events.on(event, fn);
    if (event === 'message' || event === 'warning' || event === 'remoteError') this.release();
    return off;
  }

  /** Delivers the held events once the owner's subscriptions of this turn are all in place. */
  private release(): void {
    if (this.releasing) return;
    this.releasing = true;
    queueMicrotask(() => {
      const held = this.held ?? [];
      this.held = undefined;
      for (const a of held) this.dispatch(a);
    });
  }

  /**
   * Sends one message. Resolves once the stream is below its high-water mark again, so awaiting
   * each send applies backpressure. Rejects with NOT_CONNECTED before ready or after close.
   */
  send(message: WireMessage | UnknownMessage): Promise<void> {
    let actions: PeerAction[];
    try {
      actions = this.core.send(message);
    } catch (e) {
      return Promise.reject(e instanceof LightningError ? e : new PeerError('NOT_CONNECTED', String(e)));
    }
    this.run(actions);
    return this.whenWritable();
  }

  /** Sends a ping; resolves with the round trip time when its pong arrives. */
  ping(numPongBytes = 0, ignoredLength = 0): Promise<number> {
    try {
      const { id, actions } = this.core.sendPing(numPongBytes, ignoredLength, this.clock.now());
      const p = new Promise<number>((resolve, reject) => {
        if (numPongBytes < 65532) this.pingWaiters.set(id, { resolve, reject });
        else resolve(0);
      });
      this.run(actions);
      return p;
    } catch (e) {
      return Promise.reject(e);
    }
  }

  /** Closes the connection, optionally sending a `warning` with the reason first. */
  close(warning?: string): void {
    this.run(this.core.disconnect(warning));
  }

  private whenWritable(): Promise<void> {
    if (this.finished) return Promise.reject(new PeerError('NOT_CONNECTED', 'connection closed'));
    if (this.stream.bufferedAmount <= this.stream.highWaterMark) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const offDrain = this.stream.on('drain', () => {
        offDrain();
        offClosed();
        resolve();
      });
      const offClosed = this.events.on('closed', () => {
        offDrain();
        offClosed();
        reject(new PeerError('NOT_CONNECTED', 'connection closed while waiting to send'));
      });
    });
  }

  private run(actions: PeerAction[]): void {
    for (const a of actions) {
      if (a.type === 'write') this.write(a.bytes);
      else if (a.type === 'close') this.finish(a.error);
      else this.dispatch(a);
    }
    this.schedule();
  }

  private write(bytes: Bytes): void {
    if (this.stream.closed) return;
    try {
      this.stream.write(bytes);
    } catch (e) {
      // A stream closing under us reports through its 'close' event; nothing else to do here.
      if (!(e instanceof NetError)) throw e;
    }
  }

  private dispatch(a: Extract<PeerAction, { type: 'event' }>): void {
    const ev = a.event;
    if (this.held && (ev.type === 'message' || ev.type === 'warning' || ev.type === 'error')) {
      this.held.push(a);
      return;
    }
    switch (ev.type) {
      case 'handshake':
        this.events.emit('handshake', ev.remoteNodeId);
        return;
      case 'ready':
        this.info_ = {
          remoteNodeId: this.core.remoteNodeId!,
          direction: this.direction,
          netaddr: this.stream.remote,
          remote: ev.remote,
          connectedAt: this.clock.now(),
        };
        this.resolveReady(this.info_);
        this.events.emit('ready', this.info_);
        return;
      case 'message':
        this.events.emit('message', ev.message);
        return;
      case 'warning':
        this.events.emit('warning', { channelId: ev.channelId, data: ev.data, text: ev.text });
        return;
      case 'error':
        this.events.emit('remoteError', { channelId: ev.channelId, data: ev.data, text: ev.text, allChannels: ev.allChannels });
        return;
      case 'pong': {
        const w = this.pingWaiters.get(ev.id);
        this.pingWaiters.delete(ev.id);
        w?.resolve(ev.rttMs);
        this.events.emit('pong', ev.id, ev.rttMs);
        return;
      }
      case 'diagnostic':
        this.events.emit('diagnostic', ev.message);
        return;
    }
  }

  private finish(error: PeerError | null): void {
    if (this.finished) return;
    this.finished = true;
    if (this.timer !== undefined) this.clock.clearTimeout(this.timer);
    this.timer = undefined;
    for (const off of this.unsubscribe.splice(0)) off();
    if (!this.stream.closed) this.stream.close(1000, error ? error.message : 'closed');
    const why = error ?? new PeerError('CLOSED_LOCALLY', 'connection closed locally');
    this.rejectReady(why);
    for (const w of this.pingWaiters.values()) w.reject(why);
    this.pingWaiters.clear();
    this.resolveClosed(error);
    this.events.emit('closed', error);
  }

  private schedule(): void {
    const at = this.finished ? undefined : this.core.nextDeadline();
    if (at === this.timerAt && (at === undefined || this.timer !== undefined)) return;
    if (this.timer !== undefined) this.clock.clearTimeout(this.timer);
    this.timer = undefined;
    this.timerAt = at;
    if (at === undefined) return;
    this.timer = this.clock.setTimeout(() => {
      this.timer = undefined;
      this.timerAt = undefined;
      this.run(this.core.tick(this.clock.now()));
    }, Math.max(0, at - this.clock.now()));
  }
}

function coreConfig(opts: SessionOptions): Omit<PeerCoreConfig, 'role'> {
  const cfg: Omit<PeerCoreConfig, 'role'> = { localSecret: opts.localSecret, features: opts.features, chains: opts.chains };
  if (opts.globalFeatures) cfg.globalFeatures = opts.globalFeatures;
  if (opts.knownFeatures) cfg.knownFeatures = opts.knownFeatures;
  if (opts.timing) cfg.timing = opts.timing;
  if (opts.keepalivePongBytes !== undefined) cfg.keepalivePongBytes = opts.keepalivePongBytes;
  if (opts.ephemeralSecret) cfg.ephemeralSecret = opts.ephemeralSecret;
  return cfg;
}

export interface ConnectOptions extends SessionOptions {
  remoteNodeId: NodeId;
  address: NetAddress;
  dialer: Dialer;
  route?: RouteOptions;
  /** Socket open timeout (the handshake has its own, in `timing`). */
  dialTimeoutMs?: number;
  highWaterMark?: number;
  protocols?: string[];
  signal?: AbortSignal;
}

/**
 * Dials, runs the BOLT 8 handshake and the init exchange. Resolves with a ready connection;
 * rejects with PeerError (CONNECT_FAILED wrapping the NetError, or the handshake/init failure).
 */
export async function connectPeer(opts: ConnectOptions): Promise<PeerConnection> {
  // host:port goes over TCP when the dialer can (Node) unless the route says otherwise.
  const target = routeFor(opts.address, { tcp: opts.dialer.tcp === true, ...opts.route });
  const dialOpts: DialOptions = {};
  if (opts.dialTimeoutMs !== undefined) dialOpts.timeoutMs = opts.dialTimeoutMs;
  if (opts.highWaterMark !== undefined) dialOpts.highWaterMark = opts.highWaterMark;
  if (opts.protocols) dialOpts.protocols = opts.protocols;
  if (opts.signal) dialOpts.signal = opts.signal;
  let stream: ByteStream;
  try {
    stream = await opts.dialer(target, dialOpts);
  } catch (e) {
    if (e instanceof NetError) throw new PeerError('CONNECT_FAILED', `cannot reach ${describeTarget(target)}: ${e.message}`, e);
    throw e;
  }
  const conn = PeerConnection.outbound(stream, opts.remoteNodeId, opts);
  const onAbort = () => conn.close();
  opts.signal?.addEventListener('abort', onAbort);
  try {
    await conn.ready;
  } finally {
    opts.signal?.removeEventListener('abort', onAbort);
  }
  return conn;
}
