// Our BOLT 8 client inside a Chromium module Worker, over the browser's WebSocket, through
// websockify, to Electrum's responder (bolt8_peer.py, started here in the Node test process):
// handshake, init and 1100 pings, crossing BOLT 8 key rotation in both directions.
import { expect, test } from '@playwright/test';
import { chainHash } from '../../src/wire/chains.js';
import { toHex } from '../../src/util/bytes.js';
import { startBolt8Peer } from '../interop/bolt8-peer-process.js';
import { startProxyServer } from '../../src/proxy/node.js';
import { parseTargetArg } from '../../src/proxy/env-config.js';
import type { Bolt8ElectrumArgs, Bolt8ElectrumResult } from './workers/bolt8-electrum.js';

const HARNESS = '/test/browser/pages/harness.html';
const PINGS = 1100;

test('BOLT 8 in a Worker through websockify to Electrum: handshake, init, 1100 pings', async ({ page }) => {
  const peer = await startBolt8Peer({ seconds: 110, websockify: true });
  try {
    await page.goto(HARNESS);
    await page.waitForFunction(() => window.harnessReady === true);
    const args: Bolt8ElectrumArgs = { wsUrl: peer.wsUrl!, nodeId: peer.nodeId, pings: PINGS };
    const r = (await page.evaluate((x) => window.runInWorker('bolt8-electrum', x), args)) as Bolt8ElectrumResult;

    expect(r.backend).toBe('wasm');
    expect(r.remoteNodeId).toBe(peer.nodeId);
    expect(r.remoteFeatures).toBe('8000000000000000000000000020000802b263');
    expect(r.remoteNetworks).toEqual([toHex(chainHash('regtest'))]);
    expect(r.subprotocol).toBe(''); // none offered, none selected
    expect(r.pongs).toBe(PINGS);
    expect(r.chunks).toBeGreaterThan(0);
    expect(r.diagnostics).toEqual([]);

    const init = await peer.waitFor((e) => e.event === 'recv' && e['type'] === 'init');
    expect(init['features']).toBe(r.ourFeatures);
    expect(init['electrum_would_accept']).toBe(true);
    expect(init['our_chain_listed']).toBe(true);
    await peer.waitFor((e) => e.event === 'disconnect');
    const pings = peer.events.filter((e) => e.event === 'recv' && e['type'] === 'ping').length;
    const pongs = peer.events.filter((e) => e.event === 'sent' && e['type'] === 'pong').length;
    expect(pings).toBe(PINGS);
    expect(pongs).toBe(PINGS);
    expect(peer.events.filter((e) => e.event === 'error')).toEqual([]);
  } finally {
    await peer.stop();
  }
});

test('BOLT 8 in a Worker through our proxy (/v1 dialect) to Electrum: handshake, init, 1100 pings', async ({ page }) => {
  const peer = await startBolt8Peer({ seconds: 110 });
  const proxy = await startProxyServer({ host: '127.0.0.1', port: 0, allow: [parseTargetArg('--allow', `127.0.0.1:${peer.port}`)], allowLoopback: true });
  try {
    await page.goto(HARNESS);
    await page.waitForFunction(() => window.harnessReady === true);
    const args: Bolt8ElectrumArgs = { wsUrl: `ws://127.0.0.1:${proxy.port}/v1/127.0.0.1/${peer.port}`, nodeId: peer.nodeId, pings: PINGS };
    const r = (await page.evaluate((x) => window.runInWorker('bolt8-electrum', x), args)) as Bolt8ElectrumResult;
    expect(r.remoteNodeId).toBe(peer.nodeId);
    expect(r.pongs).toBe(PINGS);
    expect(r.diagnostics).toEqual([]);
    await peer.waitFor((e) => e.event === 'disconnect');
    expect(peer.events.filter((e) => e.event === 'recv' && e['type'] === 'ping').length).toBe(PINGS);
    expect(peer.events.filter((e) => e.event === 'error')).toEqual([]);
  } finally {
    await proxy.close();
    await peer.stop();
  }
});
