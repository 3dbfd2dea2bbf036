// `lightning-worker demo` (what `npm start` runs): an embedded local network on loopback — two of
// our nodes, "hub" and "shop", on a static regtest chain, with a zero-conf channel hub → shop —
// plus our WebSocket proxy, and the demo page. When a browser's Worker connects to the hub, the
// hub opens a zero-conf channel to it with a push amount, so the page can pay at once.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { readFile, stat } from 'node:fs/promises';
import { extname, join, normalize, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AddressInfo } from 'node:net';
import { createLightningNode, type LightningNodeClient } from '../node.js';
import { startProxyServer } from '../proxy/node.js';
import { parseTargetArg } from '../proxy/env-config.js';
import { jsonLineLogger } from '../runtime/log.js';
import { errorMessage } from '../errors.js';
import type { RpcObject } from '../runtime/types.js';

export const DEMO_HEIGHT = 800_000;
const HUB_TO_SHOP_SAT = 5_000_000;
const HUB_TO_PAGE_SAT = 2_000_000;
const PUSH_TO_PAGE_MSAT = 1_000_000_000n;

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.wasm': 'application/wasm',
  '.json': 'application/json',
  '.map': 'application/json',
  '.svg': 'image/svg+xml',
};

interface DemoArgs {
  host: string;
  port: number;
  open: boolean;
  webDir: string;
}

function parseArgs(argv: string[]): DemoArgs {
  const here = fileURLToPath(new URL('.', import.meta.url));
  const a: DemoArgs = { host: '127.0.0.1', port: 8080, open: true, webDir: resolve(here, '../../web') };
  for (let i = 0; i < argv.length; i++) {
    const f = argv[i]!;
    if (f === '--port') a.port = Number(argv[++i]);
    else if (f === '--host') a.host = argv[++i]!;
    else if (f === '--no-open') a.open = false;
    else if (f === '--web-dir') a.webDir = resolve(argv[++i]!);
    else throw new Error(`unknown option ${f}`);
  }
  if (!Number.isInteger(a.port) || a.port < 0 || a.port > 65535) throw new Error('--port must be 0..65535');
  return a;
}

async function readBody(req: IncomingMessage, limit = 16 * 1024): Promise<string> {
  let body = '';
  for await (const chunk of req) {
    body += String(chunk);
    if (body.length > limit) throw new Error('request too large');
  }
  return body;
}

function sendJson(res: ServerResponse, status: number, value: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' });
  res.end(JSON.stringify(value, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v)));
}

export async function demoCommand(argv: string[]): Promise<number> {
  if (argv.includes('--help')) {
    process.stdout.write('usage: lightning-worker demo [--port N] [--host H] [--no-open]\n');
    return 0;
  }
  const args = parseArgs(argv);
  const log = jsonLineLogger((l) => process.stderr.write(l), process.env.LW_DEMO_LOG === 'debug' ? 'debug' : 'warn');
  const chain = `static:${DEMO_HEIGHT}`;
  const hub = await createLightningNode({ alias: 'hub', chain, log, listen: { tcp: ['127.0.0.1:0'], ws: ['127.0.0.1:0'] } });
  const shop: LightningNodeClient = await createLightningNode({ alias: 'shop', chain, log, zeroconfFrom: [hub.id], listen: { tcp: ['127.0.0.1:0'] } });
  const hubTcp = hub.bindings.find((b) => b.type === 'ipv4')!;
  const hubWs = hub.bindings.find((b) => b.type === 'websocket')!;
  const shopTcp = shop.bindings[0]!;

  await hub.connect(`${shop.id}@127.0.0.1:${shopTcp.port}`);
  await hub.fundchannel({ id: shop.id, amount: HUB_TO_SHOP_SAT, mindepth: 0, announce: false });

  // Every new peer of the hub (the page's Worker) gets a zero-conf channel with funds on its side.
  const opening = new Set<string>();
  hub.subscribe((e) => {
    if (e.type !== 'peer' || !e.connected || e.id === shop.id || opening.has(e.id)) return;
    if (hub.node.channels.ofPeer(e.id).some((c) => c.record.state !== 'ONCHAIN')) return;
    opening.add(e.id);
    void hub
      .fundchannel({ id: e.id, amount: HUB_TO_PAGE_SAT, push_msat: PUSH_TO_PAGE_MSAT, mindepth: 0, announce: false })
      .catch((err: unknown) => log.log('warn', 'channel to page failed', { peer: e.id, error: errorMessage(err) }))
      .finally(() => opening.delete(e.id));
  });

  const proxy = await startProxyServer({ host: '127.0.0.1', port: 0, allow: [parseTargetArg('--allow', `127.0.0.1:${hubTcp.port}`)], allowLoopback: true });
  let invoiceCounter = 0;
  const config = {
    network: 'regtest',
    chain: { static: DEMO_HEIGHT },
    hub: { id: hub.id, ws_url: `ws://127.0.0.1:${hubWs.port}`, tcp: `127.0.0.1:${hubTcp.port}` },
    shop: { id: shop.id },
    proxy: { url: `ws://127.0.0.1:${proxy.port}` },
  };

  const server = createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? '/', 'http://localhost');
      if (url.pathname === '/demo-config.json') return sendJson(res, 200, config);
      if (url.pathname === '/api/shop/invoice' && req.method === 'POST') {
        try {
          const body = JSON.parse(await readBody(req)) as { amount_msat?: unknown; description?: unknown };
          const amount = typeof body.amount_msat === 'string' || typeof body.amount_msat === 'number' ? String(body.amount_msat) : '';
          if (!/^\d+$/.test(amount)) return sendJson(res, 400, { error: 'amount_msat must be a whole number of msat' });
          const inv = (await shop.invoice({
            amount_msat: BigInt(amount),
            label: `demo-${Date.now()}-${++invoiceCounter}`,
            description: typeof body.description === 'string' && body.description ? body.description : 'Demo purchase',
          })) as RpcObject;
          return sendJson(res, 200, { bolt11: inv.bolt11, payment_hash: inv.payment_hash });
        } catch (e) {
          return sendJson(res, 500, { error: errorMessage(e) });
        }
      }
      await serveStatic(args.webDir, url.pathname, res);
    })().catch((e: unknown) => {
      if (!res.headersSent) sendJson(res, 500, { error: errorMessage(e) });
    });
  });
  await new Promise<void>((r) => server.listen(args.port, args.host, () => r()));
  const port = (server.address() as AddressInfo).port;
  const pageUrl = `http://${args.host}:${port}/`;
  process.stdout.write(JSON.stringify({ event: 'demo-ready', url: pageUrl, hub: config.hub, shop: config.shop, proxy: config.proxy }) + '\n');
  process.stderr.write(`\n  Demo running: open ${pageUrl}\n  (Ctrl-C stops the hub, the shop, the proxy and the page server.)\n\n`);

  await new Promise<void>((r) => {
    process.once('SIGINT', r);
    process.once('SIGTERM', r);
  });
  server.close();
  await proxy.close();
  await Promise.all([hub.close(), shop.close()]);
  process.stdout.write(JSON.stringify({ event: 'stopped' }) + '\n');
  return 0;
}

async function serveStatic(root: string, pathname: string, res: ServerResponse): Promise<void> {
  const rel = normalize(decodeURIComponent(pathname)).replace(/^([/\\])+/, '');
  const path = join(root, rel === '' ? 'index.html' : rel);
  if (!path.startsWith(root)) {
    res.writeHead(403).end();
    return;
  }
  try {
    const s = await stat(path);
    const file = s.isDirectory() ? join(path, 'index.html') : path;
    const body = await readFile(file);
    res.writeHead(200, { 'content-type': MIME[extname(file)] ?? 'application/octet-stream' });
    res.end(body);
  } catch {
    res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
  }
}
