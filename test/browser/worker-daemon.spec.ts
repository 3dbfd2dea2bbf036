// The page's Worker (real startLightningWorker, real IndexedDB) connects to our daemon directly on
// its WebSocket port, and through our proxy to its TCP port in both URL dialects; listpeers shows
// the connection on both sides.
import { expect, test, type Page } from '@playwright/test';
import { Daemon, killAll, removeTempRoot } from '../network/support/daemon.js';
import { startProxyServer, type ProxyServer } from '../../src/proxy/node.js';
import { parseTargetArg } from '../../src/proxy/env-config.js';

const PAGE = '/test/browser/pages/worker-client.html';

let daemon: Daemon;
let proxy: ProxyServer;

test.beforeAll(async () => {
  daemon = await Daemon.start({ name: 'ws-daemon', ws: true });
  const tcp = daemon.ready.bindings.find((b) => b.type === 'ipv4')!;
  proxy = await startProxyServer({ host: '127.0.0.1', port: 0, allow: [parseTargetArg('--allow', `127.0.0.1:${tcp.port}`)], allowLoopback: true });
});

test.afterAll(async () => {
  await proxy?.close();
  await killAll();
  removeTempRoot();
});

async function startWorker(page: Page, dbName: string): Promise<string> {
  await page.goto(PAGE);
  await page.waitForFunction(() => window.lwReady === true);
  const r = await page.evaluate((db) => window.lw.start({ network: 'regtest', dbName: db }), dbName);
  expect(r.ok, JSON.stringify(r)).toBe(true);
  return r.id!;
}

async function connectAndList(page: Page, url: string, workerId: string): Promise<void> {
  const c = await page.evaluate(([id, host]) => window.lw.call('connect', { id, host }), [daemon.id, url] as const);
  expect(c.ok, JSON.stringify(c)).toBe(true);
  const mine = await page.evaluate((id) => window.lw.call('listpeers', { id }), daemon.id);
  const peers = (mine.ok ? JSON.parse(mine.value).peers : []) as { id: string; connected: boolean; netaddr: string[] }[];
  expect(peers).toEqual([expect.objectContaining({ id: daemon.id, connected: true })]);
  // The URL as dialed (normalized by the URL parser: a bare origin gains its "/").
  expect(peers[0]!.netaddr.map((a) => a.replace(/\/$/, ''))).toEqual([url]);
  const theirs = await daemon.call<{ peers: { id: string; connected: boolean; netaddr?: string[] }[] }>('listpeers', { id: workerId });
  expect(theirs.peers).toEqual([expect.objectContaining({ id: workerId, connected: true })]);
  expect(theirs.peers[0]!.netaddr?.[0]).toMatch(/^127\.0\.0\.1:\d+$/);
}

test('Worker → daemon directly on its WebSocket port', async ({ page }) => {
  const ws = daemon.ready.bindings.find((b) => b.type === 'websocket')!;
  const id = await startWorker(page, `wd-direct-${Date.now()}`);
  await connectAndList(page, `ws://127.0.0.1:${ws.port}`, id);
});

test('Worker → our proxy → daemon TCP port, /<host>:<port> dialect', async ({ page }) => {
  const tcp = daemon.ready.bindings.find((b) => b.type === 'ipv4')!;
  const id = await startWorker(page, `wd-hostport-${Date.now()}`);
  await connectAndList(page, `ws://127.0.0.1:${proxy.port}/127.0.0.1:${tcp.port}`, id);
});

test('Worker → our proxy → daemon TCP port, /v1/<host>/<port> dialect', async ({ page }) => {
  const tcp = daemon.ready.bindings.find((b) => b.type === 'ipv4')!;
  const id = await startWorker(page, `wd-v1-${Date.now()}`);
  await connectAndList(page, `ws://127.0.0.1:${proxy.port}/v1/127.0.0.1/${tcp.port}`, id);
});
