// One peer connection as a sans-IO state machine: feed it received bytes and the current time,
// get back bytes to write, events, and when to close. The driver (./connection.ts) owns the
// socket and the timer; this file owns every BOLT 1/8 rule, so each is unit-testable.
//
//   handshake ──act two/three ok──▶ init (our init sent) ──their init ok──▶ ready ──▶ closed
//
// "Connected" is the end of the handshake (act two verified), never socket open.
import { NoiseError, NoiseSession } from '../noise/index.js';
import { LightningError } from '../errors.js';
import { toHex, type Bytes } from '../util/bytes.js';
import type { NodeId } from '../types.js';
import {
  WireError,
  decodeMessage,
  encodeMessage,
  isAllChannelsId,
  type UnknownMessage,
  type WireMessage,
} from '../wire/index.js';
import { describeData } from './data-text.js';
import { PeerError } from './errors.js';
import { buildInit, checkRemoteInit, type LocalInit, type RemoteInit } from './init.js';
import { resolveTiming, type PeerTiming } from './timing.js';

export interface PeerCoreConfig extends LocalInit {
  role: 'initiator' | 'responder';
  /** Our node secret (32 bytes). */
  localSecret: Bytes;
  /** Initiator only: the node id we dial (from the user, never from a proxy). */
  remoteNodeId?: Bytes;
  /** Tests only; otherwise a fresh random ephemeral key per connection. */
  ephemeralSecret?: Bytes;
  /** Responder: the initiator's address as a BOLT 7 descriptor, sent as init's remote_addr. */
  remoteAddr?: Bytes;
  timing?: Partial<PeerTiming>;
  /** num_pong_bytes of our keepalive pings. */
  keepalivePongBytes?: number;
}

export type PeerCoreState = 'handshake' | 'init' | 'ready' | 'closed';

export type PeerEvent =
  | { type: 'handshake'; remoteNodeId: NodeId }
  | { type: 'ready'; remote: RemoteInit }
  /** A message for the owner (channel, gossip, ...): not init/ping/pong/warning/error. */
  | { type: 'message'; message: WireMessage }
  | { type: 'warning'; channelId: Bytes; data: Bytes; text: string }
  /** `allChannels` when channel_id is all zero (then the connection also closes). */
  | { type: 'error'; channelId: Bytes; allChannels: boolean; data: Bytes; text: string }
  | { type: 'pong'; id: number; rttMs: number }
  | { type: 'diagnostic'; message: string };

export type PeerAction =
  | { type: 'write'; bytes: Bytes }
  | { type: 'event'; event: PeerEvent }
  /** Close the stream after the writes before it; `error` is null for a clean local close. */
  | { type: 'close'; error: PeerError | null };

interface OutstandingPing {
  id: number;
  numPongBytes: number;
  sentAt: number;
}

/** BOLT 1: a ping asking for this many bytes or more gets no pong. */
export const NO_PONG_THRESHOLD = 65532;
const MAX_OUTSTANDING_PINGS = 64;

export class PeerCore {
  private state_: PeerCoreState = 'handshake';
  private readonly noise: NoiseSession;
  private readonly timing: PeerTiming;
  private deadline: number;
  private lastReceived = 0;
  private readonly pings: OutstandingPing[] = [];
  private nextPingId = 1;
  private remoteId: NodeId | undefined;
  private remote: RemoteInit | undefined;
  private closeError: PeerError | null | undefined;

  constructor(
    private readonly config: PeerCoreConfig,
    now: number,
  ) {
    this.timing = resolveTiming(config.timing);
    if (config.role === 'initiator') {
      if (!config.remoteNodeId) throw new PeerError('BAD_CONFIG', 'an outbound connection needs the remote node id');
      this.noise = this.wrapConfig(() =>
        NoiseSession.initiator({
          localSecret: config.localSecret,
          remoteStatic: config.remoteNodeId!,
          ...(config.ephemeralSecret ? { ephemeralSecret: config.ephemeralSecret } : {}),
        }),
      );
    } else {
      this.noise = this.wrapConfig(() =>
        NoiseSession.responder({ localSecret: config.localSecret, ...(config.ephemeralSecret ? { ephemeralSecret: config.ephemeralSecret } : {}) }),
      );
    }
    this.deadline = now + this.timing.handshakeTimeoutMs;
  }

  get state(): PeerCoreState {
    return this.state_;
  }

  get remoteNodeId(): NodeId | undefined {
    return this.remoteId;
  }

  get remoteInit(): RemoteInit | undefined {
    return this.remote;
  }

  /** Null for a clean local close, the error otherwise; undefined while open. */
  get closeReason(): PeerError | null | undefined {
    return this.closeError;
  }

  /** When `tick` must next be called (absolute ms), or undefined when no timer is needed. */
  nextDeadline(): number | undefined {
    if (this.state_ === 'closed') return undefined;
    if (this.state_ !== 'ready') return this.deadline;
    // While a ping is out, only its pong deadline matters (no second keepalive ping).
    const head = this.pings[0];
    return head ? head.sentAt + this.timing.pongTimeoutMs : this.lastReceived + this.timing.pingIntervalMs;
  }

  /** Initiator: act one. Call once, right after the socket opened. */
  start(): PeerAction[] {
    const act = this.noise.start();
    return act ? [{ type: 'write', bytes: act }] : [];
  }

  receive(chunk: Bytes, now: number): PeerAction[] {
    if (this.state_ === 'closed') return [];
    const out: PeerAction[] = [];
    try {
      this.noise.push(chunk);
      // Stop at the first message that closes the connection: later bytes are not acted on.
      while (!this.isClosed()) {
        const o = this.noise.next();
        if (!o) break;
        if (o.type === 'send') out.push({ type: 'write', bytes: o.data });
        else if (o.type === 'handshake') this.onHandshake(o.remoteStatic, now, out);
        else this.onMessage(o.data, now, out);
      }
    } catch (e) {
      if (!(e instanceof NoiseError)) throw e;
      this.fail(this.noiseFailure(e), out);
    }
    return out;
  }

  tick(now: number): PeerAction[] {
    const out: PeerAction[] = [];
    if (this.state_ === 'handshake' && now >= this.deadline) {
      this.fail(new PeerError('HANDSHAKE_TIMEOUT', `BOLT 8 handshake did not complete in ${this.timing.handshakeTimeoutMs} ms`), out);
    } else if (this.state_ === 'init' && now >= this.deadline) {
      this.fail(new PeerError('INIT_TIMEOUT', `peer sent no init in ${this.timing.initTimeoutMs} ms`), out);
    } else if (this.state_ === 'ready') {
      const head = this.pings[0];
      if (head && now >= head.sentAt + this.timing.pongTimeoutMs) {
        this.fail(new PeerError('PING_TIMEOUT', `no pong within ${this.timing.pongTimeoutMs} ms`), out);
      } else if (!head && now >= this.lastReceived + this.timing.pingIntervalMs) {
        this.ping(this.config.keepalivePongBytes ?? 0, 0, now, out);
      }
    }
    return out;
  }

  /** Encrypts a message for the peer. Only once both inits are exchanged (BOLT 1). */
  send(message: WireMessage | UnknownMessage): PeerAction[] {
    if (this.state_ !== 'ready') throw new PeerError('NOT_CONNECTED', `cannot send ${message.type}: connection is ${this.state_}`);
    return [{ type: 'write', bytes: this.noise.encrypt(encodeMessage(message)) }];
  }

  /**
   * Sends a ping; its pong is reported as a 'pong' event with this id. `ignoredLength` pads the
   * ping with zeros (traffic shaping); numPongBytes ≥ 65532 asks for no pong.
   */
  sendPing(numPongBytes: number, ignoredLength: number, now: number): { id: number; actions: PeerAction[] } {
    if (this.state_ !== 'ready') throw new PeerError('NOT_CONNECTED', `cannot ping: connection is ${this.state_}`);
    if (this.pings.length >= MAX_OUTSTANDING_PINGS) throw new PeerError('TOO_MANY_PINGS', `${this.pings.length} pings already wait for a pong`);
    const out: PeerAction[] = [];
    const id = this.ping(numPongBytes, ignoredLength, now, out);
    return { id, actions: out };
  }

  /** Closes from our side, optionally telling the peer why in a `warning` first. */
  disconnect(warning?: string): PeerAction[] {
    if (this.state_ === 'closed') return [];
    const out: PeerAction[] = [];
    if (warning !== undefined && this.state_ !== 'handshake') this.warn(warning, out);
    this.closeError = null;
    this.state_ = 'closed';
    out.push({ type: 'close', error: null });
    return out;
  }

  /** The byte stream ended under us. */
  streamClosed(reason: string): PeerAction[] {
    if (this.state_ === 'closed') return [];
    const out: PeerAction[] = [];
    try {
      this.noise.end();
      this.fail(new PeerError('CONNECTION_CLOSED', `connection closed: ${reason}`), out);
    } catch (e) {
      if (!(e instanceof NoiseError)) throw e;
      const err = this.noiseFailure(e);
      this.fail(new PeerError(err.code, `${err.message} (${reason})`, e), out);
    }
    return out;
  }

  // ---- internals --------------------------------------------------------------------------------

  private isClosed(): boolean {
    return this.state_ === 'closed';
  }

  private onHandshake(remoteStatic: Bytes, now: number, out: PeerAction[]): void {
    this.remoteId = toHex(remoteStatic) as NodeId;
    this.state_ = 'init';
    this.deadline = now + this.timing.initTimeoutMs;
    out.push({ type: 'event', event: { type: 'handshake', remoteNodeId: this.remoteId } });
    // Both sides send init straight away; BOLT 1 only forbids other messages before theirs.
    const init = buildInit(this.config, this.config.role === 'responder' ? this.config.remoteAddr : undefined);
    out.push({ type: 'write', bytes: this.noise.encrypt(encodeMessage(init)) });
  }

  private onMessage(bytes: Bytes, now: number, out: PeerAction[]): void {
    this.lastReceived = now;
    let m: WireMessage | UnknownMessage;
    try {
      m = decodeMessage(bytes);
    } catch (e) {
      if (!(e instanceof WireError)) throw e;
      const typeNum = bytes.length >= 2 ? (bytes[0]! << 8) | bytes[1]! : -1;
      this.failWithWarning(new PeerError('MALFORMED_MESSAGE', `malformed message type ${typeNum}: ${e.message}`, e), out);
      return;
    }
    if (this.state_ === 'init') {
      if (m.type !== 'init') {
        const what = m.type === 'unknown' ? `type ${m.type_num}` : m.type;
        this.failWithWarning(new PeerError('UNEXPECTED_MESSAGE', `expected init as the first message, got ${what}`), out);
        return;
      }
      const verdict = checkRemoteInit(m, this.config);
      if (!verdict.ok) {
        this.failWithWarning(verdict.error, out);
        return;
      }
      this.remote = verdict.remote;
      this.state_ = 'ready';
      out.push({ type: 'event', event: { type: 'ready', remote: verdict.remote } });
      return;
    }
    switch (m.type) {
      case 'init':
        this.failWithWarning(new PeerError('UNEXPECTED_MESSAGE', 'second init on one connection'), out);
        return;
      case 'ping':
        if (m.num_pong_bytes < NO_PONG_THRESHOLD) {
          out.push({ type: 'write', bytes: this.noise.encrypt(encodeMessage({ type: 'pong', ignored: new Uint8Array(m.num_pong_bytes) })) });
        }
        return;
      case 'pong':
        this.onPong(m.ignored.length, now, out);
        return;
      case 'warning':
        out.push({ type: 'event', event: { type: 'warning', channelId: m.channel_id, data: m.data, text: describeData(m.data) } });
        return;
      case 'error': {
        const all = isAllChannelsId(m.channel_id);
        const text = describeData(m.data);
        out.push({ type: 'event', event: { type: 'error', channelId: m.channel_id, allChannels: all, data: m.data, text } });
        // All channels failed: nothing useful is left on this connection (BOLT 1). A
        // channel-specific error is the owner's to act on (fail that channel, or ignore it).
        if (all) this.fail(new PeerError('REMOTE_ERROR', `peer sent error: ${text}`), out);
        return;
      }
      case 'unknown':
        if (m.type_num % 2 === 1) {
          out.push({ type: 'event', event: { type: 'diagnostic', message: `ignored unknown odd message type ${m.type_num}` } });
        } else {
          this.failWithWarning(new PeerError('UNKNOWN_EVEN_MESSAGE', `unknown even message type ${m.type_num}`), out);
        }
        return;
      default:
        out.push({ type: 'event', event: { type: 'message', message: m } });
    }
  }

  private onPong(length: number, now: number, out: PeerAction[]): void {
    const head = this.pings[0];
    if (!head || head.numPongBytes !== length) {
      // BOLT 1 allows closing here; a stray pong is harmless, so only note it.
      out.push({ type: 'event', event: { type: 'diagnostic', message: `unsolicited pong of ${length} bytes` } });
      return;
    }
    this.pings.shift();
    out.push({ type: 'event', event: { type: 'pong', id: head.id, rttMs: now - head.sentAt } });
  }

  private ping(numPongBytes: number, ignoredLength: number, now: number, out: PeerAction[]): number {
    const id = this.nextPingId++;
    const msg = { type: 'ping' as const, num_pong_bytes: numPongBytes, ignored: new Uint8Array(ignoredLength) };
    out.push({ type: 'write', bytes: this.noise.encrypt(encodeMessage(msg)) });
    if (numPongBytes < NO_PONG_THRESHOLD) this.pings.push({ id, numPongBytes, sentAt: now });
    else this.lastReceived = now; // nothing will come back; do not re-ping at once
    return id;
  }

  private warn(text: string, out: PeerAction[]): void {
    const data = new TextEncoder().encode(text.slice(0, 1000));
    const warning = { type: 'warning' as const, channel_id: new Uint8Array(32), data };
    try {
      out.push({ type: 'write', bytes: this.noise.encrypt(encodeMessage(warning)) });
    } catch (e) {
      // The transport may already be unusable (that is often why we are closing).
      if (!(e instanceof LightningError)) throw e;
    }
  }

  /** Tell the peer why (when the transport still works), then close. */
  private failWithWarning(error: PeerError, out: PeerAction[]): void {
    this.warn(error.message, out);
    this.fail(error, out);
  }

  private fail(error: PeerError, out: PeerAction[]): void {
    if (this.state_ === 'closed') return;
    this.state_ = 'closed';
    this.closeError = error;
    out.push({ type: 'close', error });
  }

  private noiseFailure(e: NoiseError): PeerError {
    const handshake = this.state_ === 'handshake';
    return new PeerError(handshake ? 'HANDSHAKE_FAILED' : 'TRANSPORT_FAILED', `${handshake ? 'BOLT 8 handshake' : 'transport'} failed: ${e.message}`, e);
  }

  private wrapConfig<T>(f: () => T): T {
    try {
      return f();
    } catch (e) {
      if (e instanceof NoiseError) throw new PeerError('BAD_CONFIG', e.message, e);
      throw e;
    }
  }
}
