// The set of peers of one node, keyed by node id: what the runtime holds. It dials peers the
// user names, adopts inbound connections from the daemon's listeners, forwards every peer's
// messages and connection events tagged with the node id, and lists peers for `listpeers`.
import { Emitter } from '../net/emitter.js';
import type { ByteStream } from '../net/byte-stream.js';
import { parseHostPort, parsePeerAddress, type NetAddress, type PeerAddress, type PeerAddressInput } from '../net/address.js';
import type { Dialer, RouteOptions } from '../net/dial.js';
import { LightningError } from '../errors.js';
import type { NodeId } from '../types.js';
import type { UnknownMessage, WireMessage } from '../wire/index.js';
import type { BackoffOptions } from './backoff.js';
import { remoteAddrDescriptor } from './address-descriptor.js';
import { PeerConnection, type ConnectionInfo, type RemoteErrorInfo, type SessionOptions, type WarningInfo } from './connection.js';
import { PeerError } from './errors.js';
import { Peer, type PeerInfo } from './peer.js';

export interface PeerManagerOptions extends SessionOptions {
  /** How to open sockets (webSocketDialer() in browsers, nodeDialer on Node). */
  dialer?: Dialer;
  route?: RouteOptions;
  reconnect?: BackoffOptions | false;
  dialTimeoutMs?: number;
  highWaterMark?: number;
  protocols?: string[];
  stableAfterMs?: number;
  /** Inbound connections still in the handshake/init phase beyond this are refused. Default 64. */
  maxPendingInbound?: number;
}

export type PeerManagerEvents = {
  connected: [id: NodeId, info: ConnectionInfo];
  /** An outbound connection to `id` at `address` completed init (just before `connected`). */
  dialled: [id: NodeId, address: NetAddress];
  disconnected: [id: NodeId, error: PeerError | null];
  attemptFailed: [id: NodeId, error: PeerError, reconnectInMs: number | undefined];
  message: [id: NodeId, message: WireMessage];
  warning: [id: NodeId, warning: WarningInfo];
  remoteError: [id: NodeId, error: RemoteErrorInfo];
  /** Inbound connections that failed before init (no node id is trusted then, or known). */
  inboundFailed: [error: PeerError, netaddr: string];
  diagnostic: [id: NodeId | undefined, message: string];
};

export class PeerManager {
  private readonly peers_ = new Map<NodeId, Peer>();
  private readonly pending = new Set<PeerConnection>();
  private readonly events = new Emitter<PeerManagerEvents>();
  private closing = false;

  constructor(private readonly opts: PeerManagerOptions) {}

  on<E extends keyof PeerManagerEvents>(event: E, fn: (...args: PeerManagerEvents[E]) => void): () => void {
    return this.events.on(event, fn);
  }

  get(id: NodeId): Peer | undefined {
    return this.peers_.get(id);
  }

  peers(): Peer[] {
    return [...this.peers_.values()];
  }

  /** `listpeers` rows (the runtime adds num_channels). */
  list(): PeerInfo[] {
    return this.peers().map((p) => p.info());
  }

  /** Parses the address, remembers it for the peer and connects; resolves once ready. */
  async connect(address: PeerAddressInput | PeerAddress): Promise<ConnectionInfo> {
    if (this.closing) throw new PeerError('NOT_CONNECTED', 'peer manager is closed');
    const a = isPeerAddress(address) ? address : parsePeerAddress(address);
    const peer = this.peerFor(a.id);
    peer.address = a.address;
    return peer.connect();
  }

  /**
   * Core Lightning's `connect ID` without an address: the live connection, or a dial to the
   * address this peer is known by (undefined when there is neither). Peer.connect() decides, so
   * a connection disconnect() is still closing is not reported as live.
   */
  connectKnown(id: NodeId): Promise<ConnectionInfo> | undefined {
    if (this.closing) return Promise.reject(new PeerError('NOT_CONNECTED', 'peer manager is closed'));
    const p = this.peers_.get(id);
    return p && (p.connection || p.address) ? p.connect() : undefined;
  }

  /** Runs the responder over a stream a listener accepted; the peer appears once init is done. */
  accept(stream: ByteStream): void {
    if (this.closing || this.pending.size >= (this.opts.maxPendingInbound ?? 64)) {
      stream.close(1013, 'busy');
      return;
    }
    const conn = PeerConnection.inbound(stream, { ...this.opts, ...remoteAddrOption(stream) });
    this.pending.add(conn);
    conn.ready.then(
      () => {
        this.pending.delete(conn);
        if (this.closing) {
          conn.close();
          return;
        }
        this.peerFor(conn.remoteNodeId!).attach(conn);
      },
      (e: unknown) => {
        this.pending.delete(conn);
        const err = e instanceof PeerError ? e : new PeerError('CONNECTION_CLOSED', e instanceof LightningError ? e.message : String(e));
        this.events.emit('inboundFailed', err, stream.remote);
      },
    );
  }

  send(id: NodeId, message: WireMessage | UnknownMessage): Promise<void> {
    const p = this.peers_.get(id);
    if (!p) return Promise.reject(new PeerError('NOT_CONNECTED', `unknown peer ${id}`));
    return p.send(message);
  }

  disconnect(id: NodeId, warning?: string): void {
    this.peers_.get(id)?.disconnect(warning);
  }

  /** Forgets a disconnected peer (e.g. no channels left). */
  remove(id: NodeId): void {
    const p = this.peers_.get(id);
    if (!p) return;
    p.disconnect();
    this.peers_.delete(id);
  }

  /** Every wanted-but-disconnected peer dials now (wire to watchWakeEvents). */
  reconnectAll(): void {
    for (const p of this.peers_.values()) p.reconnectNow();
  }

  async close(): Promise<void> {
    this.closing = true;
    const closing: Promise<unknown>[] = [];
    for (const c of this.pending) {
      closing.push(c.closed);
      c.close();
    }
    for (const p of this.peers_.values()) {
      const c = p.connection;
      if (c) closing.push(c.closed);
      p.disconnect();
    }
    await Promise.all(closing);
  }

  private peerFor(id: NodeId): Peer {
    const known = this.peers_.get(id);
    if (known) return known;
    const p = new Peer({ ...this.opts, id });
    this.peers_.set(id, p);
    p.on('dialled', (address) => this.events.emit('dialled', id, address));
    p.on('connected', (info) => this.events.emit('connected', id, info));
    p.on('disconnected', ({ error }) => {
      // Peers known only from inbound connections are forgotten when they leave, so strangers
      // completing handshakes with throwaway keys cannot grow this map without bound.
      if (!p.address && !p.connected && this.peers_.get(id) === p) this.peers_.delete(id);
      this.events.emit('disconnected', id, error);
    });
    p.on('attemptFailed', ({ error, reconnectInMs }) => this.events.emit('attemptFailed', id, error, reconnectInMs));
    p.on('message', (m) => this.events.emit('message', id, m));
    p.on('warning', (w) => this.events.emit('warning', id, w));
    p.on('remoteError', (e) => this.events.emit('remoteError', id, e));
    p.on('diagnostic', (d) => this.events.emit('diagnostic', id, d));
    return p;
  }
}

function isPeerAddress(a: PeerAddressInput | PeerAddress): a is PeerAddress {
  return typeof a === 'object' && a !== null && 'address' in a && typeof (a as PeerAddress).address === 'object';
}

/** BOLT 1: tell an inbound peer its public IP address (never a private one). */
function remoteAddrOption(stream: ByteStream): { remoteAddr?: Uint8Array } {
  if (stream.kind === 'memory') return {};
  try {
    const hp = parseHostPort(stream.remote, 0);
    const d = hp.port > 0 ? remoteAddrDescriptor(hp.host, hp.port) : undefined;
    return d ? { remoteAddr: d } : {};
  } catch (e) {
    if (e instanceof LightningError) return {}; // a URL or an unparsable address: nothing to report
    throw e;
  }
}
