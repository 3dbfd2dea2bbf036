// The proxy as a Cloudflare Worker: `WebSocketPair` for the client side, `connect()` from
// cloudflare:sockets for TCP, DNS-over-HTTPS (doh.ts) so the address checks run on real
// answers and the Worker dials the approved IP, never the name. Settings come from the
// Worker's `vars` (LW_PROXY_*, see env-config.ts); LW_PROXY_DOH_URL overrides the resolver.
//
// Limits of this runtime, documented in docs/proxy.md: the per-IP caps are per isolate (a
// Worker has many), the client address is CF-Connecting-IP, a WebSocket cannot be paused and
// has no bufferedAmount (the relay's hard buffer cap applies instead), and compression is only
// negotiated if the `web_socket_compression` compatibility flag is set, which it must not be.
import { connect } from 'cloudflare:sockets';
import { ProxyCore } from './core.js';
import { DEFAULT_DOH_URL, dohResolver } from './doh.js';
import { configFromEnv } from './env-config.js';
import { ProxyError } from './errors.js';
import { formatIp, parseIp, unmapIpv4 } from './ip.js';
import type { Dialer } from './types.js';
import { webClientSocket, type WebSocketLike } from './web-socket.js';
import { streamPairToTcp } from './web-streams.js';

interface CloudflareWebSocket extends WebSocketLike {
  /** Server side of a WebSocketPair: start delivering events inside this Worker. */
  accept(): void;
}
declare const WebSocketPair: new () => { 0: CloudflareWebSocket; 1: CloudflareWebSocket };

export type CloudflareEnv = Readonly<Record<string, unknown>>;

const cloudflareDialer: Dialer = {
  async connect(ip, port, signal) {
    const socket = connect({ hostname: ip, port }, { secureTransport: 'off', allowHalfOpen: false });
    const close = (): void => void socket.close().catch(() => undefined); // closing a failed socket rejects; nothing left to release
    signal.addEventListener('abort', close, { once: true });
    try {
      await socket.opened;
    } catch (e) {
      close();
      throw e;
    }
    if (signal.aborted) throw new Error('aborted');
    return streamPairToTcp({ readable: socket.readable, writable: socket.writable, close });
  },
};

// One core per isolate, built from the first request's env (vars do not change at run time).
let core: ProxyCore | undefined;
function coreFor(env: CloudflareEnv): ProxyCore {
  if (!core) {
    const config = configFromEnv(env, (line) => console.log(line));
    const doh = typeof env.LW_PROXY_DOH_URL === 'string' ? env.LW_PROXY_DOH_URL : DEFAULT_DOH_URL;
    core = new ProxyCore(config, { resolver: dohResolver((url, init) => fetch(url, init), doh), dialer: cloudflareDialer });
  }
  return core;
}

function clientIp(req: Request): string {
  const ip = parseIp((req.headers.get('cf-connecting-ip') ?? '').trim());
  return ip ? formatIp(unmapIpv4(ip)) : 'unknown';
}

export default {
  fetch(request: Request, env: CloudflareEnv): Response {
    if ((request.headers.get('upgrade') ?? '').toLowerCase() !== 'websocket') {
      return new Response('WebSocket only\n', { status: 426, headers: { Upgrade: 'websocket', Connection: 'Upgrade' } });
    }
    let proxy: ProxyCore;
    try {
      proxy = coreFor(env);
    } catch (e) {
      if (!(e instanceof ProxyError)) throw e;
      console.error(`lightning-worker proxy: ${e.message}`); // details for the operator, not the client
      return new Response('proxy misconfigured\n', { status: 500 });
    }
    const pair = new WebSocketPair();
    const client = pair[0];
    const server = pair[1];
    server.accept();
    const url = new URL(request.url);
    proxy.accept({
      socket: webClientSocket(server),
      url: url.pathname + url.search,
      origin: request.headers.get('origin') ?? undefined,
      authorization: request.headers.get('authorization') ?? undefined,
      clientIp: clientIp(request),
    });
    const offered = (request.headers.get('sec-websocket-protocol') ?? '').split(',').map((p) => p.trim());
    const headers: Record<string, string> = offered.includes('binary') ? { 'Sec-WebSocket-Protocol': 'binary' } : {};
    // `webSocket` is Cloudflare's extension of ResponseInit for a 101 answer.
    return new Response(null, { status: 101, headers, webSocket: client } as ResponseInit & { webSocket: CloudflareWebSocket });
  },
};
