// The relay's settings, with defaults chosen for a public deployment: nothing is dialled unless
// the operator allows it, private ranges are closed, caps are on.
import { ProxyError } from './errors.js';
import type { ProxyLogger } from './log.js';
import type { Target } from './target.js';

export interface RateLimit {
  /** Connections admitted per client key within `windowMs`. */
  readonly count: number;
  readonly windowMs: number;
}

export interface ProxyConfig {
  /** Explicit destinations (exact host and port; names compared after normalization). */
  readonly allow: readonly Target[];
  /** Allow any host on a Lightning port (`lightningPorts`); address checks still apply. */
  readonly allowPublicLightningPorts: boolean;
  readonly lightningPorts: readonly number[];
  /** Let resolved loopback addresses through (tests, a node on the same machine). */
  readonly allowLoopback: boolean;
  /** Let RFC 1918, CGNAT, link-local and ULA addresses through (a private deployment). */
  readonly allowPrivate: boolean;
  /** Fixed-target mode (like websockify): every path goes here; the allowlist is not consulted. */
  readonly target?: Target;
  /** Bearer token: `?token=`, a first path segment, or `Authorization: Bearer`. */
  readonly token?: string;
  /** Allowed `Origin` values (empty: any). Requests without Origin (non-browsers) pass. */
  readonly origins: readonly string[];
  readonly maxConnsPerIp: number;
  readonly maxConnRatePerIp: RateLimit;
  /** Cap on all relays at once, whatever their source. */
  readonly maxConnections: number;
  /** No byte in either direction for this long ends the relay. */
  readonly idleTimeoutMs: number;
  /** The client must send act one, and later act three, within this time. */
  readonly handshakeTimeoutMs: number;
  /** From act one in hand to act two relayed: covers the dial too. Upstream failures are reported at this deadline. */
  readonly actTwoTimeoutMs: number;
  /** Backpressure threshold for each direction (bytes queued towards one side). */
  readonly highWaterMark: number;
  /** Hard cap for runtimes that cannot pause the client: above it the relay closes. */
  readonly maxBufferedBytes: number;
  readonly logger?: ProxyLogger;
}

export const DEFAULT_LIGHTNING_PORTS: readonly number[] = [9735];

export const DEFAULTS = {
  allow: [],
  allowPublicLightningPorts: false,
  lightningPorts: DEFAULT_LIGHTNING_PORTS,
  allowLoopback: false,
  allowPrivate: false,
  origins: [],
  maxConnsPerIp: 16,
  maxConnRatePerIp: { count: 60, windowMs: 60_000 },
  maxConnections: 1024,
  // Clients ping every 30–50 s (spec §4); two missed pings end the relay.
  idleTimeoutMs: 120_000,
  handshakeTimeoutMs: 15_000,
  actTwoTimeoutMs: 8_000,
  // A BOLT 8 packet is at most 65 569 bytes: room for a few in flight each way.
  highWaterMark: 256 * 1024,
  maxBufferedBytes: 1024 * 1024,
} as const satisfies Omit<ProxyConfig, 'target' | 'token' | 'logger'>;

export type ProxyConfigInput = Partial<ProxyConfig>;

function positive(name: string, v: number): void {
  if (!Number.isFinite(v) || v <= 0) throw new ProxyError('BAD_CONFIG', `${name} must be a positive number`);
}

/** Fills defaults and rejects settings that could never admit a connection or make no sense. */
export function resolveConfig(input: ProxyConfigInput): ProxyConfig {
  const c: ProxyConfig = { ...DEFAULTS, ...stripUndefined(input) };
  if (!c.target && c.allow.length === 0 && !c.allowPublicLightningPorts) {
    throw new ProxyError('BAD_CONFIG', 'no destination allowed: give an allowlist, public Lightning ports or a fixed target');
  }
  positive('maxConnsPerIp', c.maxConnsPerIp);
  positive('maxConnRatePerIp.count', c.maxConnRatePerIp.count);
  positive('maxConnRatePerIp.windowMs', c.maxConnRatePerIp.windowMs);
  positive('maxConnections', c.maxConnections);
  positive('idleTimeoutMs', c.idleTimeoutMs);
  positive('handshakeTimeoutMs', c.handshakeTimeoutMs);
  positive('actTwoTimeoutMs', c.actTwoTimeoutMs);
  positive('highWaterMark', c.highWaterMark);
  if (c.maxBufferedBytes < c.highWaterMark) {
    throw new ProxyError('BAD_CONFIG', 'maxBufferedBytes must be at least highWaterMark');
  }
  if (c.token !== undefined && c.token.length === 0) throw new ProxyError('BAD_CONFIG', 'token must not be empty');
  for (const p of c.lightningPorts) {
    if (!Number.isInteger(p) || p < 1 || p > 65535) throw new ProxyError('BAD_CONFIG', `bad Lightning port ${p}`);
  }
  return c;
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  const out: Partial<T> = {};
  for (const k of Object.keys(o) as (keyof T)[]) if (o[k] !== undefined) out[k] = o[k];
  return out;
}
