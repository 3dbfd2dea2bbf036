// The demo's page server: the built page from --web-dir, /demo-config.json, the shop's invoice
// button and the hub's channel status for the page. Every answer carries a Content-Security-Policy
// the page satisfies (the Worker's WASM needs 'wasm-unsafe-eval'; peers are any ws:/wss: URL,
// since the Connect form dials peers of the person's choosing).
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { readFile, stat } from 'node:fs/promises';
import { extname, join, normalize, sep } from 'node:path';
import type { AddressInfo } from 'node:net';
import { LightningError, errorMessage } from '../errors.js';
import type { PageChannelStatus } from './demo-hub.js';

export const DEMO_CSP = [
  "default-src 'none'",
  "script-src 'self' 'wasm-unsafe-eval'",
  "worker-src 'self'",
  "connect-src 'self' ws: wss:",
  "style-src 'self'",
  "img-src 'self' data:",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
  "object-src 'none'",
].join('; ');

const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'content-security-policy': DEMO_CSP,
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
};

const MIME: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.wasm': 'application/wasm',
  '.json': 'application/json',
  '.map': 'application/json',
  '.svg': 'image/svg+xml',
};

const NODE_ID = /^0[23][0-9a-f]{64}$/;

/** What the server answers from once the local network runs. */
export interface DemoNetwork {
  config: unknown;
  shopInvoice(amountMsat: bigint, description: string): Promise<{ bolt11: unknown; payment_hash: unknown }>;
  pageChannel(peer: string): PageChannelStatus;
}

export interface DemoHttpServer {
  readonly server: Server;
  /** Until set, every request gets 503 (the network is still starting). */
  setNetwork(n: DemoNetwork): void;
  close(): Promise<void>;
}

export class DemoListenError extends LightningError {}

async function readBody(req: IncomingMessage, limit = 16 * 1024): Promise<string> {
  let body = '';
  for await (const chunk of req) {
    body += String(chunk);
    if (body.length > limit) throw new Error('request too large');
  }
  return body;
}

function sendJson(res: ServerResponse, status: number, value: unknown): void {
  res.writeHead(status, { ...SECURITY_HEADERS, 'content-type': 'application/json', 'cache-control': 'no-store' });
  res.end(JSON.stringify(value, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v)));
}

function sendText(res: ServerResponse, status: number, text: string): void {
  res.writeHead(status, { ...SECURITY_HEADERS, 'content-type': 'text/plain; charset=utf-8' });
  res.end(text);
}

async function shopInvoice(n: DemoNetwork, req: IncomingMessage, res: ServerResponse): Promise<void> {
  let body: { amount_msat?: unknown; description?: unknown };
  try {
    body = JSON.parse(await readBody(req)) as typeof body;
  } catch (e) {
    return sendJson(res, 400, { error: `the request is not JSON: ${errorMessage(e)}` });
  }
  const amount = typeof body.amount_msat === 'string' || typeof body.amount_msat === 'number' ? String(body.amount_msat) : '';
  if (!/^\d{1,20}$/.test(amount)) return sendJson(res, 400, { error: 'amount_msat must be a whole number of msat' });
  const description = typeof body.description === 'string' && body.description !== '' ? body.description.slice(0, 640) : 'Demo purchase';
  try {
    const inv = await n.shopInvoice(BigInt(amount), description);
    return sendJson(res, 200, { bolt11: inv.bolt11, payment_hash: inv.payment_hash });
  } catch (e) {
    return sendJson(res, 500, { error: errorMessage(e) });
  }
}

async function serveStatic(root: string, pathname: string, res: ServerResponse): Promise<void> {
  let decoded: string;
  try {
    decoded = decodeURIComponent(pathname);
  } catch {
    return sendText(res, 400, 'bad path');
  }
  const rel = normalize(`/${decoded}`).replace(/^([/\\])+/, '');
  const path = join(root, rel === '' ? 'index.html' : rel);
  if (path !== root && !path.startsWith(root.endsWith(sep) ? root : root + sep)) return sendText(res, 403, 'forbidden');
  let file = path;
  let body: Buffer;
  try {
    if ((await stat(path)).isDirectory()) file = join(path, 'index.html');
    body = await readFile(file);
  } catch {
    return sendText(res, 404, 'not found');
  }
  res.writeHead(200, { ...SECURITY_HEADERS, 'content-type': MIME[extname(file)] ?? 'application/octet-stream' });
  res.end(body);
}

export function createDemoHttpServer(webDir: string): DemoHttpServer {
  let network: DemoNetwork | undefined;
  const server = createServer((req, res) => {
    const n = network;
    const url = new URL(req.url ?? '/', 'http://localhost');
    const answer = async (): Promise<void> => {
      if (n === undefined) return sendText(res, 503, 'The demo network is still starting: reload in a few seconds.');
      if (url.pathname === '/demo-config.json') return sendJson(res, 200, n.config);
      if (url.pathname === '/api/shop/invoice') {
        if (req.method !== 'POST') return sendJson(res, 405, { error: 'POST only' });
        return shopInvoice(n, req, res);
      }
      if (url.pathname === '/api/hub/channel') {
        const peer = (url.searchParams.get('peer') ?? '').toLowerCase();
        if (!NODE_ID.test(peer)) return sendJson(res, 400, { error: 'peer must be a node id (66 hex characters)' });
        return sendJson(res, 200, { peer, ...n.pageChannel(peer) });
      }
      return serveStatic(webDir, url.pathname, res);
    };
    answer().catch((e: unknown) => {
      if (!res.headersSent) sendJson(res, 500, { error: errorMessage(e) });
      else res.destroy();
    });
  });
  let closing: Promise<void> | undefined;
  return {
    server,
    setNetwork: (x) => {
      network = x;
    },
    close: () => {
      closing ??= new Promise<void>((resolve) => {
        if (!server.listening) return resolve();
        server.close(() => resolve());
        // The page keeps connections alive: end them, or close() waits for the browser.
        server.closeAllConnections();
      });
      return closing;
    },
  };
}

/** Listens; rejects with a DemoListenError a person can act on (port in use, not permitted). */
export function listenDemo(server: Server, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const onError = (e: NodeJS.ErrnoException): void => {
      server.removeListener('listening', onListening);
      const where = `${host.includes(':') ? `[${host}]` : host}:${port}`;
      if (e.code === 'EADDRINUSE') reject(new DemoListenError('EADDRINUSE', `port ${port} is in use on ${host}; try \`npm start -- --port 0\` (any free port) or stop what uses it`));
      else if (e.code === 'EACCES') reject(new DemoListenError('EACCES', `not allowed to listen on ${where}; try \`npm start -- --port 0\``));
      else if (e.code === 'EADDRNOTAVAIL' || e.code === 'ENOTFOUND') reject(new DemoListenError(e.code, `cannot listen on ${where}: no such local address (try --host 127.0.0.1)`));
      else reject(new DemoListenError(e.code ?? 'LISTEN', `cannot listen on ${where}: ${e.message}`));
    };
    const onListening = (): void => {
      server.removeListener('error', onError);
      resolve((server.address() as AddressInfo).port);
    };
    server.once('error', onError);
    server.once('listening', onListening);
    server.listen(port, host);
  });
}
