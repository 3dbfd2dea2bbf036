// The runtime-agnostic proxy: admission (limits, Origin, token, dialect, allowlist) and the set
// of live relays. A runtime adapter upgrades the HTTP request, wraps the WebSocket as a
// ClientSocket and hands it to accept(); everything after that is decided here.
import { CLOSE, type CloseInfo } from './close-codes.js';
import { resolveConfig, type ProxyConfig, type ProxyConfigInput } from './config.js';
import { ClientLimiter, type LimitVerdict } from './limits.js';
import { wants } from './log.js';
import { Relay } from './relay.js';
import { admit } from './request.js';
import type { Dialer, IncomingConnection, Resolver } from './types.js';

export interface ProxyCoreIo {
  readonly resolver: Resolver;
  readonly dialer: Dialer;
  readonly now?: () => number;
}

const LIMIT_CLOSE: Record<Exclude<LimitVerdict, 'ok'>, CloseInfo> = {
  'too-many': CLOSE.TOO_MANY_CONNECTIONS,
  rate: CLOSE.RATE_LIMITED,
  busy: CLOSE.SERVER_BUSY,
};

export class ProxyCore {
  readonly config: ProxyConfig;
  private readonly limiter: ClientLimiter;
  private readonly relays = new Set<Relay>();
  private closing = false;

  constructor(
    config: ProxyConfig | ProxyConfigInput,
    private readonly io: ProxyCoreIo,
  ) {
    this.config = resolveConfig(config);
    const c = this.config;
    this.limiter = new ClientLimiter(c.maxConnsPerIp, c.maxConnRatePerIp, c.maxConnections, io.now);
  }

  /** Number of relays in progress. */
  get active(): number {
    return this.relays.size;
  }

  /** Takes over an upgraded WebSocket: either refuses it with a close code or starts a relay. */
  accept(conn: IncomingConnection): void {
    const refuse = (close: CloseInfo): void => {
      if (wants(this.config.logger, 'info')) this.config.logger.log('info', 'refused', { code: close.code, reason: close.reason });
      conn.socket.close(close.code, close.reason);
    };
    if (this.closing) return refuse(CLOSE.GOING_AWAY);
    const verdict = this.limiter.acquire(conn.clientIp);
    if (verdict !== 'ok') return refuse(LIMIT_CLOSE[verdict]);
    const admission = admit(this.config, conn);
    if (!admission.ok) {
      this.limiter.release(conn.clientIp);
      return refuse(admission.close);
    }
    const relay = new Relay({
      config: this.config,
      resolver: this.io.resolver,
      dialer: this.io.dialer,
      socket: conn.socket,
      target: admission.target,
      clientIp: conn.clientIp,
      ...(this.io.now ? { now: this.io.now } : {}),
    });
    this.relays.add(relay);
    void relay.done.then(() => {
      this.relays.delete(relay);
      this.limiter.release(conn.clientIp);
    });
    relay.start();
  }

  /** Refuses new connections and ends every relay with 1001; resolves when all are over. */
  async shutdown(): Promise<void> {
    this.closing = true;
    const all = [...this.relays];
    for (const r of all) r.stop(CLOSE.GOING_AWAY);
    await Promise.all(all.map((r) => r.done));
  }
}
