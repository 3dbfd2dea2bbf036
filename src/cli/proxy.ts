// `lightning-worker proxy`: runs the WebSocket→TCP relay (src/proxy) on Node. Prints one JSON
// line when listening, logs (if asked) as JSON lines on stderr, stops on SIGINT/SIGTERM.
import { parseArgs } from 'node:util';
import { jsonLineLogger, parsePositiveInt, parseRate, parseTargetArg } from '../proxy/env-config.js';
import { ProxyError } from '../proxy/errors.js';
import { parseHost, parsePort } from '../proxy/target.js';
import { startProxyServer, type ProxyServerOptions } from '../proxy/node.js';
import { errorMessage } from '../errors.js';

export const PROXY_USAGE = `usage: lightning-worker proxy [options]

WebSocket → TCP relay for BOLT 8 (Lightning) connections only.
URL dialects: ws://PROXY/<host>:<port>, ws://PROXY/v1/<host>/<port>, or any path with --target.

  --listen HOST:PORT             listen address (default 127.0.0.1:9736; port 0 picks one)
  --allow HOST:PORT              allow this destination (repeatable)
  --allow-public-lightning-ports allow any host on port 9735 (and --lightning-port ones)
  --lightning-port PORT          extra port for --allow-public-lightning-ports (repeatable)
  --allow-loopback               allow destinations that resolve to loopback addresses
  --allow-private                allow RFC 1918, CGNAT, link-local and ULA destinations
  --target HOST:PORT             fixed target for every connection (like websockify)
  --token T                      require ?token=T, a /T/ path prefix or "Authorization: Bearer T"
                                 (or set LW_PROXY_TOKEN, which keeps it out of the process list)
  --origin ORIGIN                allowed Origin header (repeatable; default any)
  --max-conns-per-ip N           concurrent relays per client address (default 16)
  --max-conn-rate-per-ip N[/UNIT] new connections per client address, UNIT = s, min or h
                                 (default 60/min)
  --idle-timeout SECONDS         close relays silent this long (default 120)
  --trust-proxy                  take the client address from X-Forwarded-For (last entry)
  --log-level LEVEL              quiet (default), error, warn, info, debug (debug logs client addresses)
  --help                         this text

Prints {"event":"listening","host":...,"port":...} on stdout when ready.`;

export interface ProxyCommandIo {
  /** One line of stdout (without newline). Default: process.stdout. */
  readonly out?: (line: string) => void;
  /** One line of stderr. Default: process.stderr. */
  readonly err?: (line: string) => void;
  /** Stops the proxy like SIGTERM does (for embedding and tests). */
  readonly signal?: AbortSignal;
  readonly env?: Readonly<Record<string, string | undefined>>;
}

const bad = (msg: string): ProxyError => new ProxyError('BAD_ARGUMENT', msg);

function listenAddress(s: string): { host: string; port: number } {
  const colon = s.lastIndexOf(':');
  const hostText = colon > 0 ? s.slice(0, colon) : '';
  const portText = s.slice(colon + 1);
  const host = parseHost(hostText);
  const port = portText === '0' ? 0 : parsePort(portText);
  if (colon <= 0 || !host || port === null || (hostText.includes(':') && !hostText.startsWith('['))) {
    throw bad(`--listen: expected HOST:PORT, got ${JSON.stringify(s)}`);
  }
  return { host: host.host, port };
}

function rate(s: string): ReturnType<typeof parseRate> {
  try {
    return parseRate(s);
  } catch (e) {
    throw bad(`--max-conn-rate-per-ip: ${errorMessage(e)}`);
  }
}

/** Parses the command line into server options; throws ProxyError('BAD_ARGUMENT'). */
export function parseProxyArgs(argv: string[], env: Readonly<Record<string, string | undefined>> = {}, err: (line: string) => void = () => undefined): ProxyServerOptions | 'help' {
  let v;
  try {
    v = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: {
        listen: { type: 'string' },
        allow: { type: 'string', multiple: true },
        'allow-public-lightning-ports': { type: 'boolean' },
        'lightning-port': { type: 'string', multiple: true },
        'allow-loopback': { type: 'boolean' },
        'allow-private': { type: 'boolean' },
        target: { type: 'string' },
        token: { type: 'string' },
        origin: { type: 'string', multiple: true },
        'max-conns-per-ip': { type: 'string' },
        'max-conn-rate-per-ip': { type: 'string' },
        'idle-timeout': { type: 'string' },
        'trust-proxy': { type: 'boolean' },
        'log-level': { type: 'string' },
        help: { type: 'boolean' },
      },
    }).values;
  } catch (e) {
    throw bad(errorMessage(e)); // unknown flag, missing value...
  }
  if (v.help) return 'help';
  const listen = listenAddress(v.listen ?? '127.0.0.1:9736');
  const lightningPorts = [9735, ...(v['lightning-port'] ?? []).map((p) => parsePort(p) ?? badPort(p))];
  const token = v.token ?? env.LW_PROXY_TOKEN;
  const logger = jsonLineLogger(v['log-level'] ?? 'quiet', err);
  return {
    host: listen.host,
    port: listen.port,
    allow: (v.allow ?? []).map((a) => parseTargetArg('--allow', a)),
    allowPublicLightningPorts: v['allow-public-lightning-ports'] === true,
    lightningPorts: [...new Set(lightningPorts)],
    allowLoopback: v['allow-loopback'] === true,
    allowPrivate: v['allow-private'] === true,
    ...(v.target !== undefined ? { target: parseTargetArg('--target', v.target) } : {}),
    ...(token !== undefined && token !== '' ? { token } : {}),
    origins: v.origin ?? [],
    ...(v['max-conns-per-ip'] !== undefined ? { maxConnsPerIp: parsePositiveInt('--max-conns-per-ip', v['max-conns-per-ip']) } : {}),
    ...(v['max-conn-rate-per-ip'] !== undefined ? { maxConnRatePerIp: rate(v['max-conn-rate-per-ip']) } : {}),
    ...(v['idle-timeout'] !== undefined ? { idleTimeoutMs: parsePositiveInt('--idle-timeout', v['idle-timeout']) * 1000 } : {}),
    trustProxy: v['trust-proxy'] === true,
    ...(logger ? { logger } : {}),
  };
}

function badPort(p: string): never {
  throw bad(`--lightning-port: expected a port number, got ${JSON.stringify(p)}`);
}

/** Exit status: 0 after a clean stop, 2 for a usage error, 1 when the server cannot start. */
export async function proxyCommand(argv: string[], io: ProxyCommandIo = {}): Promise<number> {
  const out = io.out ?? ((l: string) => void process.stdout.write(`${l}\n`));
  const err = io.err ?? ((l: string) => void process.stderr.write(`${l}\n`));
  let opts: ProxyServerOptions | 'help';
  try {
    opts = parseProxyArgs(argv, io.env ?? process.env, err);
  } catch (e) {
    if (!(e instanceof ProxyError)) throw e;
    err(`lightning-worker proxy: ${e.message}`);
    err('try: lightning-worker proxy --help');
    return 2;
  }
  if (opts === 'help') {
    out(PROXY_USAGE);
    return 0;
  }

  let server;
  try {
    server = await startProxyServer(opts);
  } catch (e) {
    err(`lightning-worker proxy: ${errorMessage(e)}`);
    return e instanceof ProxyError ? 2 : 1;
  }
  out(JSON.stringify({ event: 'listening', host: server.host, port: server.port }));

  await new Promise<void>((resolve) => {
    const stop = (): void => {
      process.removeListener('SIGINT', stop);
      process.removeListener('SIGTERM', stop);
      io.signal?.removeEventListener('abort', stop);
      resolve();
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
    if (io.signal?.aborted) stop();
    else io.signal?.addEventListener('abort', stop, { once: true });
  });
  await server.close();
  out(JSON.stringify({ event: 'stopped' }));
  return 0;
}
