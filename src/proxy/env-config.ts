// Proxy settings from string variables, for runtimes configured by environment (Deno's env,
// Cloudflare's `vars`). Same vocabulary as the command-line flags, prefixed LW_PROXY_:
//   LW_PROXY_ALLOW=host:port,host:port      LW_PROXY_ALLOW_PUBLIC_LIGHTNING_PORTS=1
//   LW_PROXY_LIGHTNING_PORTS=9735,19735     LW_PROXY_ALLOW_LOOPBACK=1  LW_PROXY_ALLOW_PRIVATE=1
//   LW_PROXY_TARGET=host:port               LW_PROXY_TOKEN=...         LW_PROXY_ORIGINS=a,b
//   LW_PROXY_MAX_CONNS_PER_IP=16            LW_PROXY_MAX_CONN_RATE_PER_IP=60/min
//   LW_PROXY_IDLE_TIMEOUT=120 (seconds)     LW_PROXY_LOG_LEVEL=quiet|error|warn|info|debug
import type { ProxyConfigInput, RateLimit } from './config.js';
import { ProxyError } from './errors.js';
import { isLogLevel, type ProxyLogger } from './log.js';
import { parseHostPort, parsePort, type Target } from './target.js';

export type StringEnv = Readonly<Record<string, unknown>>;

const bad = (msg: string): ProxyError => new ProxyError('BAD_ARGUMENT', msg);

const UNIT_MS: Readonly<Record<string, number>> = { s: 1000, sec: 1000, m: 60_000, min: 60_000, h: 3_600_000, hour: 3_600_000 };

/** `N`, `N/min`, `N/s`, `N/h` (also `N/5min`): N connections per window; a bare N is per minute. */
export function parseRate(s: string): RateLimit {
  const m = /^([1-9][0-9]{0,8})(?:\/([1-9][0-9]{0,5})?(s|sec|m|min|h|hour))?$/.exec(s);
  if (!m) throw bad(`expected N or N/UNIT (UNIT s, min, h), got ${JSON.stringify(s)}`);
  return { count: Number(m[1]), windowMs: Number(m[2] ?? 1) * UNIT_MS[m[3] ?? 'min']! };
}

export function parseTargetArg(what: string, s: string): Target {
  const t = parseHostPort(s.trim());
  if (!t) throw bad(`${what}: expected HOST:PORT (IPv6 in brackets), got ${JSON.stringify(s)}`);
  return t;
}

export function parsePositiveInt(what: string, s: string): number {
  if (!/^[1-9][0-9]{0,8}$/.test(s)) throw bad(`${what}: expected a positive integer, got ${JSON.stringify(s)}`);
  return Number(s);
}

/** A logger writing one JSON line per event; undefined for `quiet`. */
export function jsonLineLogger(level: string, write: (line: string) => void): ProxyLogger | undefined {
  if (!isLogLevel(level)) throw bad(`log level: expected quiet, error, warn, info or debug, got ${JSON.stringify(level)}`);
  if (level === 'quiet') return undefined;
  return { level, log: (lvl, event, fields) => write(JSON.stringify({ t: new Date().toISOString(), level: lvl, event, ...fields })) };
}

function str(env: StringEnv, name: string): string | undefined {
  const v = env[`LW_PROXY_${name}`];
  return typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined;
}

function list(env: StringEnv, name: string): string[] {
  return (str(env, name) ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
}

function flag(env: StringEnv, name: string): boolean {
  const v = str(env, name)?.toLowerCase();
  return v === '1' || v === 'true' || v === 'yes';
}

/** Reads LW_PROXY_* variables; throws ProxyError('BAD_ARGUMENT') on malformed values. */
export function configFromEnv(env: StringEnv, logSink: (line: string) => void = () => undefined): ProxyConfigInput & { trustProxy: boolean } {
  const target = str(env, 'TARGET');
  const token = str(env, 'TOKEN');
  const conns = str(env, 'MAX_CONNS_PER_IP');
  const rate = str(env, 'MAX_CONN_RATE_PER_IP');
  const idle = str(env, 'IDLE_TIMEOUT');
  const logger = jsonLineLogger(str(env, 'LOG_LEVEL') ?? 'quiet', logSink);
  const ports = list(env, 'LIGHTNING_PORTS').map((p) => {
    const n = parsePort(p);
    if (n === null) throw bad(`LW_PROXY_LIGHTNING_PORTS: bad port ${JSON.stringify(p)}`);
    return n;
  });
  return {
    allow: list(env, 'ALLOW').map((a) => parseTargetArg('LW_PROXY_ALLOW', a)),
    allowPublicLightningPorts: flag(env, 'ALLOW_PUBLIC_LIGHTNING_PORTS'),
    ...(ports.length > 0 ? { lightningPorts: ports } : {}),
    allowLoopback: flag(env, 'ALLOW_LOOPBACK'),
    allowPrivate: flag(env, 'ALLOW_PRIVATE'),
    ...(target ? { target: parseTargetArg('LW_PROXY_TARGET', target) } : {}),
    ...(token ? { token } : {}),
    origins: list(env, 'ORIGINS'),
    ...(conns ? { maxConnsPerIp: parsePositiveInt('LW_PROXY_MAX_CONNS_PER_IP', conns) } : {}),
    ...(rate ? { maxConnRatePerIp: parseRate(rate) } : {}),
    ...(idle ? { idleTimeoutMs: parsePositiveInt('LW_PROXY_IDLE_TIMEOUT', idle) * 1000 } : {}),
    ...(logger ? { logger } : {}),
    trustProxy: flag(env, 'TRUST_PROXY'),
  };
}
