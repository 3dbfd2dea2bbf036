// One relay: a client WebSocket on one side, a TCP connection to a Lightning node on the other.
// Order of events: resolve the target and wait for the client's act one (in parallel); dial an
// approved address only once both are in hand, so a client that is not speaking BOLT 8 never
// makes the proxy open a TCP connection; forward act one, wait for a whole act two, then act
// three, then relay freely until either side ends or the relay goes idle.
import { concatBytes } from '../util/bytes.js';
import { CLOSE, type CloseInfo } from './close-codes.js';
import type { ProxyConfig } from './config.js';
import { HandshakeGate } from './gate.js';
import { formatIp, type IpAddress } from './ip.js';
import { wants, type LogFields, type LogLevel } from './log.js';
import { chooseAddresses } from './policy.js';
import { formatTarget, type Target } from './target.js';
import type { ClientSocket, Dialer, Resolver, TcpStream } from './types.js';

export interface RelayOptions {
  readonly config: ProxyConfig;
  readonly resolver: Resolver;
  readonly dialer: Dialer;
  readonly socket: ClientSocket;
  readonly target: Target;
  /** Only ever logged at `debug` (see log.ts). */
  readonly clientIp: string;
  readonly now?: () => number;
}

type State = 'handshake' | 'open' | 'failing' | 'closed';
type Timer = ReturnType<typeof setTimeout>;

const MAX_DIAL_ATTEMPTS = 4;

export class Relay {
  private state: State = 'handshake';
  private readonly gate = new HandshakeGate();
  private readonly abort = new AbortController();
  private readonly now: () => number;
  private upstream: TcpStream | undefined;
  private addresses: IpAddress[] | undefined;
  private dialing = false;
  /** Client bytes that arrived before the upstream connection (at most act one). */
  private early: Uint8Array[] = [];
  /** Act two is forwarded only whole, so a client never sees a partial answer from a non-peer. */
  private actTwo: Uint8Array[] = [];
  private toUpstream = 0;
  private paused = false;
  private actTwoDeadline = 0;
  private lastActivity: number;
  private readonly startedAt: number;
  private bytesUp = 0;
  private bytesDown = 0;
  private handshakeTimer: Timer | undefined;
  private actTwoTimer: Timer | undefined;
  private idleTimer: Timer | undefined;
  private failTimer: Timer | undefined;
  private resolveDone!: () => void;
  /** Settles when the relay is over (whatever the reason). */
  readonly done = new Promise<void>((r) => (this.resolveDone = r));

  constructor(private readonly o: RelayOptions) {
    this.now = o.now ?? Date.now;
    this.lastActivity = this.startedAt = this.now();
  }

  start(): void {
    this.o.socket.listen({ message: (d) => this.onClientMessage(d), closed: () => this.finish(undefined) });
    this.handshakeTimer = setTimeout(() => this.onHandshakeTimeout(), this.o.config.handshakeTimeoutMs);
    this.idleTimer = setTimeout(() => this.checkIdle(), this.o.config.idleTimeoutMs);
    this.log('info', 'relay.start', {});
    void this.resolveTarget();
  }

  /** Ends the relay from outside (proxy shutdown). */
  stop(close: CloseInfo = CLOSE.GOING_AWAY): void {
    this.finish(close);
  }

  private get over(): boolean {
    return this.state === 'closed' || this.state === 'failing';
  }

  // ---- client → upstream ----------------------------------------------------------------

  private onClientMessage(data: Uint8Array | string): void {
    if (this.over) return;
    if (typeof data === 'string') return this.finish(CLOSE.TEXT_FRAME);
    if (data.length === 0) return;
    this.lastActivity = this.now();
    if (this.gate.fromClient(data) === 'violation') return this.finish(CLOSE.NOT_LIGHTNING);
    this.bytesUp += data.length;
    if (this.gate.complete && this.state === 'handshake') this.onHandshakeComplete();
    if (this.upstream) this.writeUpstream(data);
    else {
      this.early.push(data);
      this.maybeDial();
    }
  }

  private writeUpstream(data: Uint8Array): void {
    const up = this.upstream!;
    const c = this.o.config;
    this.toUpstream += data.length;
    if (this.toUpstream > c.maxBufferedBytes) return this.finish(CLOSE.BUFFER_OVERFLOW);
    if (this.toUpstream > c.highWaterMark && this.o.socket.pause && !this.paused) {
      this.paused = true;
      this.o.socket.pause();
    }
    up.write(data).then(
      () => {
        this.toUpstream -= data.length;
        if (this.paused && this.toUpstream <= c.highWaterMark / 2 && this.state !== 'closed') {
          this.paused = false;
          this.o.socket.resume?.();
        }
      },
      () => this.onUpstreamEnd(),
    );
  }

  // ---- resolve and dial -----------------------------------------------------------------

  private async resolveTarget(): Promise<void> {
    const t = this.o.target;
    let resolved: string[];
    if (t.ip) resolved = [formatIp(t.ip)];
    else {
      try {
        resolved = await this.o.resolver.resolve(t.host, this.abort.signal);
      } catch {
        resolved = []; // NXDOMAIN, SERVFAIL, timeout: all reported as "host not found"
      }
    }
    if (this.over) return;
    const choice = chooseAddresses(this.o.config, resolved);
    if (!choice.ok) return this.finish(choice.close);
    this.addresses = choice.addresses;
    this.maybeDial();
  }

  private maybeDial(): void {
    if (this.dialing || this.over || !this.addresses || !this.gate.actOneDone) return;
    this.dialing = true;
    this.actTwoDeadline = this.now() + this.o.config.actTwoTimeoutMs;
    this.actTwoTimer = setTimeout(() => this.upstreamFailed('act two timeout'), this.o.config.actTwoTimeoutMs);
    void this.dial(this.addresses);
  }

  private async dial(addresses: IpAddress[]): Promise<void> {
    // Addresses in resolver order, each already approved; the next one is tried when one fails
    // (e.g. an AAAA record on a host without IPv6 routing), all within the act-two deadline.
    for (const ip of addresses.slice(0, MAX_DIAL_ATTEMPTS)) {
      let stream: TcpStream;
      try {
        stream = await this.o.dialer.connect(formatIp(ip), this.o.target.port, this.abort.signal);
      } catch (e) {
        if (this.over) return;
        this.log('debug', 'relay.dial_failed', { address: formatIp(ip), error: e instanceof Error ? e.message : String(e) });
        continue;
      }
      if (this.over) {
        stream.close();
        return;
      }
      this.upstream = stream;
      const early = concatBytes(...this.early);
      this.early = [];
      this.writeUpstream(early);
      void this.readUpstream(stream);
      return;
    }
    this.upstreamFailed('dial failed');
  }

  // ---- upstream → client ----------------------------------------------------------------

  private async readUpstream(up: TcpStream): Promise<void> {
    const c = this.o.config;
    for (;;) {
      let chunk: Uint8Array | null;
      try {
        chunk = await up.read();
      } catch {
        chunk = null; // reset or other socket error: same as the end of the stream here
      }
      if (this.over) return;
      if (chunk === null) return this.onUpstreamEnd();
      if (chunk.length === 0) continue;
      this.lastActivity = this.now();
      const hadActTwo = this.gate.actTwoDone;
      if (this.gate.fromServer(chunk) === 'violation') {
        if (!hadActTwo) return this.upstreamFailed('bad act two');
        return this.finish(CLOSE.PEER_UNAVAILABLE);
      }
      this.bytesDown += chunk.length;
      if (!hadActTwo) {
        this.actTwo.push(chunk);
        if (!this.gate.actTwoDone) continue;
        chunk = concatBytes(...this.actTwo);
        this.actTwo = [];
        this.onActTwo();
      }
      this.o.socket.send(chunk);
      if (this.o.socket.bufferedAmount() > c.highWaterMark) {
        // Stop reading TCP until the client caught up: the kernel's window then slows the peer.
        await this.o.socket.waitForDrain(c.highWaterMark / 2);
      }
    }
  }

  private onUpstreamEnd(): void {
    if (this.over) return;
    if (!this.gate.actTwoDone) this.upstreamFailed('closed before act two');
    else this.finish(CLOSE.TARGET_CLOSED);
  }

  /**
   * Any failure before act two (refused, unreachable, timeout, wrong answer, early close) is
   * reported with the same code at the act-two deadline, so neither the code nor the timing
   * tells a client whether a port is closed, filtered or open to something else.
   */
  private upstreamFailed(why: string): void {
    if (this.over) return;
    this.state = 'failing';
    this.log('debug', 'relay.upstream_failed', { why });
    this.abort.abort();
    this.upstream?.close();
    this.clearTimers();
    const wait = Math.max(0, this.actTwoDeadline - this.now());
    this.failTimer = setTimeout(() => this.finish(CLOSE.PEER_UNAVAILABLE), wait);
  }

  // ---- handshake and timers -------------------------------------------------------------

  private onActTwo(): void {
    clearTimeout(this.actTwoTimer);
    // The client now owes act three; give it the handshake timeout again.
    clearTimeout(this.handshakeTimer);
    if (!this.gate.complete) this.handshakeTimer = setTimeout(() => this.onHandshakeTimeout(), this.o.config.handshakeTimeoutMs);
  }

  private onHandshakeComplete(): void {
    this.state = 'open';
    clearTimeout(this.handshakeTimer);
    this.log('info', 'relay.open', {});
  }

  private onHandshakeTimeout(): void {
    if (this.over || this.gate.complete) return;
    // Once dialling, the act-two deadline is in charge until act two arrives.
    if (this.dialing && !this.gate.actTwoDone) return;
    // Act one is in but the name never resolved (a resolver that hangs): same as no answer.
    if (this.gate.actOneDone && !this.addresses) return this.finish(CLOSE.HOST_NOT_FOUND);
    this.finish(CLOSE.HANDSHAKE_TIMEOUT);
  }

  private checkIdle(): void {
    if (this.state === 'closed') return;
    const idle = this.now() - this.lastActivity;
    const limit = this.o.config.idleTimeoutMs;
    if (idle >= limit) return this.finish(CLOSE.IDLE_TIMEOUT);
    this.idleTimer = setTimeout(() => this.checkIdle(), limit - idle);
  }

  private clearTimers(): void {
    clearTimeout(this.handshakeTimer);
    clearTimeout(this.actTwoTimer);
    clearTimeout(this.idleTimer);
    clearTimeout(this.failTimer);
  }

  /**
   * Ends the relay once. `close` undefined: the client is already gone. While 'failing', only
   * the fail timer, the client's own close and a shutdown get here (every other path checks
   * `over` first).
   */
  private finish(close: CloseInfo | undefined): void {
    if (this.state === 'closed') return;
    this.state = 'closed';
    this.clearTimers();
    this.abort.abort();
    this.upstream?.close();
    // A paused socket would not read the client's answer to our close frame.
    if (this.paused) this.o.socket.resume?.();
    if (close) this.o.socket.close(close.code, close.reason);
    this.log('info', 'relay.end', {
      code: close?.code ?? 1005,
      up: this.bytesUp,
      down: this.bytesDown,
      ms: this.now() - this.startedAt,
    });
    this.resolveDone();
  }

  private log(level: LogLevel, event: string, fields: LogFields): void {
    const logger = this.o.config.logger;
    if (!wants(logger, level)) return;
    const base: LogFields = { target: formatTarget(this.o.target) };
    // The client address only at debug level: see log.ts.
    const who: LogFields = wants(logger, 'debug') ? { client: this.o.clientIp } : {};
    logger.log(level, event, { ...base, ...who, ...fields });
  }
}
