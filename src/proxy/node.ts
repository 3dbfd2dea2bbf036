// The proxy on Node: an HTTP server whose upgrade requests become relays. `ws` does the
// WebSocket protocol with compression off and no subprotocol required; node:net dials and
// node:dns resolves.
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import type { ProxyConfigInput } from './config.js';
import { ProxyCore } from './core.js';
import { formatIp, parseIp, unmapIpv4 } from './ip.js';
import { nodeDialer, nodeResolver } from './node-tcp.js';
import { wsClientSocket } from './node-ws.js';
import type { Dialer, Resolver } from './types.js';

export interface ProxyServerOptions extends ProxyConfigInput {
  /** Listen address (default 127.0.0.1). */
  readonly host?: string;
  /** Listen port (default 0: the OS picks; the chosen one is returned). */
  readonly port?: number;
  /** Take the client address from the last X-Forwarded-For entry (only behind your own reverse proxy). */
  readonly trustProxy?: boolean;
  /** Largest WebSocket message accepted from a client; BOLT 8 packets are at most 65 569 bytes. */
  readonly maxMessageBytes?: number;
  /** Test seams; default node:dns and node:net. */
  readonly resolver?: Resolver;
  readonly dialer?: Dialer;
}

export interface ProxyServer {
  readonly host: string;
  readonly port: number;
  /** Relays in progress (for monitoring and tests). */
  readonly active: number;
  /** Stops accepting, ends every relay with 1001 and closes the listener. */
  close(): Promise<void>;
}

const DEFAULT_MAX_MESSAGE = 256 * 1024;
/** After a shutdown's close frames, clients get this long to answer before their sockets are cut. */
const CLOSE_GRACE_MS = 1000;

function canonicalIp(text: string | undefined): string | undefined {
  const ip = text === undefined ? null : parseIp(text.trim());
  return ip ? formatIp(unmapIpv4(ip)) : undefined;
}

function clientAddress(req: IncomingMessage, trustProxy: boolean): string {
  if (trustProxy) {
    const xff = req.headers['x-forwarded-for'];
    const list = (Array.isArray(xff) ? xff.join(',') : (xff ?? '')).split(',');
    // The last entry is the one our own reverse proxy appended; earlier ones are client-supplied.
    const last = canonicalIp(list[list.length - 1]);
    if (last) return last;
  }
  return canonicalIp(req.socket.remoteAddress) ?? 'unknown';
}

function header(req: IncomingMessage, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

/** Resolves when every socket closed, or after `ms`. */
function allClosed(sockets: Set<WebSocket>, ms: number): Promise<void> {
  if (sockets.size === 0) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    let left = sockets.size;
    for (const ws of sockets) {
      ws.once('close', () => {
        if (--left === 0) {
          clearTimeout(timer);
          resolve();
        }
      });
    }
  });
}

export async function startProxyServer(opts: ProxyServerOptions): Promise<ProxyServer> {
  const core = new ProxyCore(opts, { resolver: opts.resolver ?? nodeResolver, dialer: opts.dialer ?? nodeDialer });
  const sockets = new Set<WebSocket>();
  const wss = new WebSocketServer({
    noServer: true,
    perMessageDeflate: false,
    clientTracking: false,
    maxPayload: opts.maxMessageBytes ?? DEFAULT_MAX_MESSAGE,
    // No subprotocol is required. If the client offers some, answer `binary` when it is among
    // them (wherever it is in the list, unlike websockify), otherwise answer none.
    handleProtocols: (protocols: Set<string>) => (protocols.has('binary') ? 'binary' : false),
  });

  const http = createServer((_req, res) => {
    res.writeHead(426, { 'Content-Type': 'text/plain', Connection: 'Upgrade', Upgrade: 'websocket' });
    res.end('WebSocket only\n');
  });
  // Slow or half-sent requests must not hold sockets open.
  http.headersTimeout = 10_000;
  http.requestTimeout = 15_000;
  http.on('clientError', (_err, socket) => socket.destroy());
  http.on('upgrade', (req, socket, head) => {
    wss.handleUpgrade(req, socket, head, (ws) => {
      sockets.add(ws);
      ws.once('close', () => sockets.delete(ws));
      core.accept({
        socket: wsClientSocket(ws),
        url: req.url ?? '/',
        origin: header(req, 'origin'),
        authorization: header(req, 'authorization'),
        clientIp: clientAddress(req, opts.trustProxy === true),
      });
    });
  });

  await new Promise<void>((resolve, reject) => {
    http.once('error', reject);
    http.listen(opts.port ?? 0, opts.host ?? '127.0.0.1', () => {
      http.removeListener('error', reject);
      resolve();
    });
  });
  const addr = http.address() as AddressInfo;

  let closing: Promise<void> | undefined;
  const close = (): Promise<void> => {
    closing ??= (async () => {
      const stopped = new Promise<void>((r) => http.close(() => r()));
      await core.shutdown();
      http.closeAllConnections();
      await allClosed(sockets, CLOSE_GRACE_MS);
      for (const ws of sockets) ws.terminate();
      await stopped;
    })();
    return closing;
  };
  return {
    host: addr.address,
    port: addr.port,
    get active() {
      return core.active;
    },
    close,
  };
}
