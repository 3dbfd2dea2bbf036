// The proxy on Deno: `Deno.serve` + `Deno.upgradeWebSocket` (no compression: Deno does not
// negotiate permessage-deflate), `Deno.resolveDns` for A and AAAA (real DNS, /etc/hosts is not
// consulted), `Deno.connect` to the approved address. Run it with
//   deno run --allow-net --allow-env dist/node/proxy/deno.js
// configured by LW_PROXY_* variables (env-config.ts) plus LW_PROXY_LISTEN=host:port, or import
// startDenoProxy() and pass options.
import type { ProxyConfigInput } from './config.js';
import { ProxyCore } from './core.js';
import { configFromEnv } from './env-config.js';
import { formatIp, parseIp, unmapIpv4 } from './ip.js';
import type { Dialer, Resolver } from './types.js';
import { webClientSocket, type WebSocketLike } from './web-socket.js';
import { streamPairToTcp } from './web-streams.js';

// Only what this file uses of the Deno namespace; the real one is a global at run time.
interface DenoConn {
  readonly readable: ReadableStream<Uint8Array>;
  readonly writable: WritableStream<Uint8Array>;
  close(): void;
}
interface DenoServeInfo {
  readonly remoteAddr: { readonly hostname: string; readonly port: number };
}
interface DenoServer {
  readonly finished: Promise<void>;
  shutdown(): Promise<void>;
}
interface DenoApi {
  serve(
    options: { hostname?: string; port?: number; signal?: AbortSignal; onListen?: (addr: { hostname: string; port: number }) => void },
    handler: (req: Request, info: DenoServeInfo) => Response | Promise<Response>,
  ): DenoServer;
  upgradeWebSocket(req: Request, options?: { protocol?: string }): { socket: WebSocketLike; response: Response };
  resolveDns(query: string, recordType: 'A' | 'AAAA', options?: { signal?: AbortSignal }): Promise<string[]>;
  connect(options: { hostname: string; port: number; transport?: 'tcp' }): Promise<DenoConn>;
  readonly env: { toObject(): Record<string, string> };
  readonly errors: { readonly BadResource: abstract new (...args: never[]) => Error };
}
declare const Deno: DenoApi;

export interface DenoProxyOptions extends ProxyConfigInput {
  readonly hostname?: string;
  readonly port?: number;
  readonly trustProxy?: boolean;
  readonly signal?: AbortSignal;
}

const denoResolver: Resolver = {
  async resolve(host, signal) {
    const [a, aaaa] = await Promise.allSettled([Deno.resolveDns(host, 'A', { signal }), Deno.resolveDns(host, 'AAAA', { signal })]);
    return [...(a.status === 'fulfilled' ? a.value : []), ...(aaaa.status === 'fulfilled' ? aaaa.value : [])];
  },
};

const denoDialer: Dialer = {
  async connect(ip, port, signal) {
    // Deno.connect takes no signal: an abort that lands mid-connect closes the socket after.
    const conn = await Deno.connect({ hostname: ip, port, transport: 'tcp' });
    let closed = false;
    const close = (): void => {
      if (closed) return;
      closed = true;
      try {
        conn.close();
      } catch (e) {
        // Cancelling conn.readable (streamPairToTcp does that first) already released the socket.
        if (!(e instanceof Deno.errors.BadResource)) throw e;
      }
    };
    if (signal.aborted) {
      close();
      throw new Error('aborted');
    }
    return streamPairToTcp({ readable: conn.readable, writable: conn.writable, close });
  },
};

function clientIp(req: Request, info: DenoServeInfo, trustProxy: boolean): string {
  const candidates = trustProxy ? [(req.headers.get('x-forwarded-for') ?? '').split(',').pop() ?? '', info.remoteAddr.hostname] : [info.remoteAddr.hostname];
  for (const c of candidates) {
    const ip = parseIp(c.trim());
    if (ip) return formatIp(unmapIpv4(ip));
  }
  return 'unknown';
}

/** Starts the proxy; resolves with the bound address once listening. */
export function startDenoProxy(opts: DenoProxyOptions): Promise<{ hostname: string; port: number; server: DenoServer; core: ProxyCore }> {
  const core = new ProxyCore(opts, { resolver: denoResolver, dialer: denoDialer });
  const handler = (req: Request, info: DenoServeInfo): Response => {
    if ((req.headers.get('upgrade') ?? '').toLowerCase() !== 'websocket') {
      return new Response('WebSocket only\n', { status: 426, headers: { Upgrade: 'websocket', Connection: 'Upgrade' } });
    }
    // Everything from the request is read before the upgrade: once upgraded, Deno closes the
    // request and reading a header throws ("Request closed").
    const url = new URL(req.url);
    const request = {
      url: url.pathname + url.search,
      origin: req.headers.get('origin') ?? undefined,
      authorization: req.headers.get('authorization') ?? undefined,
      clientIp: clientIp(req, info, opts.trustProxy === true),
    };
    // No subprotocol required; `binary` is answered when offered (anywhere in the list).
    const offered = (req.headers.get('sec-websocket-protocol') ?? '').split(',').map((p) => p.trim());
    const { socket, response } = Deno.upgradeWebSocket(req, offered.includes('binary') ? { protocol: 'binary' } : {});
    core.accept({ socket: webClientSocket(socket), ...request });
    return response;
  };
  return new Promise((resolve) => {
    // Deno calls onListen synchronously inside Deno.serve, before `server` is assigned: resolve
    // once both are known, whichever comes last. (Without onListen Deno prints its own
    // "Listening on" line on stdout, which would break the one-JSON-line contract.)
    let server: DenoServer | undefined;
    let bound: { hostname: string; port: number } | undefined;
    const settle = (): void => {
      if (server && bound) resolve({ hostname: bound.hostname, port: bound.port, server, core });
    };
    server = Deno.serve(
      {
        hostname: opts.hostname ?? '127.0.0.1',
        port: opts.port ?? 0,
        ...(opts.signal ? { signal: opts.signal } : {}),
        onListen: (addr) => {
          bound = addr;
          settle();
        },
      },
      handler,
    );
    settle();
    opts.signal?.addEventListener('abort', () => void core.shutdown(), { once: true });
  });
}

/** Entry for `deno run`: settings from LW_PROXY_* environment variables. */
export async function mainDeno(): Promise<void> {
  const env = Deno.env.toObject();
  const listen = (env.LW_PROXY_LISTEN ?? '127.0.0.1:9736').match(/^\[?([^\]]+?)\]?:([0-9]+)$/);
  const config = configFromEnv(env, (line) => console.error(line));
  const started = await startDenoProxy({ ...config, hostname: listen?.[1] ?? '127.0.0.1', port: Number(listen?.[2] ?? 9736) });
  console.log(JSON.stringify({ event: 'listening', host: started.hostname, port: started.port }));
  await started.server.finished;
}

// `import.meta.main` is Deno's "this module is the program"; elsewhere it is undefined.
if ((import.meta as ImportMeta & { main?: boolean }).main === true) void mainDeno();
