// `createLightningNode().connect({ id, url })` over WebSocket on Node, in one process: straight to
// a node's ws listener, and through our proxy (lightning-worker proxy's server) to its TCP port in
// both URL dialects, `/<host>:<port>` and `/v1/<host>/<port>`. Each connection is seen on both
// sides; the last one carries a zero-conf channel and a payment. Then the payer, whose seed and
// journal live in a data dir, is closed and created again: it dials the WebSocket URL it last
// reached the peer at by itself, and pays again.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLightningNode, type LightningNodeClient } from '../../src/node.js';
import { startProxyServer, type ProxyServer } from '../../src/proxy/node.js';
import { parseTargetArg } from '../../src/proxy/env-config.js';
import type { RpcObject } from '../../src/runtime/types.js';
import { until } from '../support/until.js';

let dir: string;
let payer: LightningNodeClient;
let a: LightningNodeClient;
let proxy: ProxyServer;
let tcpPort: number;
let wsPort: number;

async function peers(n: LightningNodeClient): Promise<RpcObject[]> {
  return ((await n.listpeers()) as { peers: RpcObject[] }).peers;
}

/** `n` lists `id` as connected (at `netaddr` when given); resolves with the row. */
async function listedConnected(n: LightningNodeClient, id: string): Promise<RpcObject> {
  return until(`${id.slice(0, 8)} connected`, async () => (await peers(n)).find((p) => p.id === id && p.connected === true));
}

async function disconnected(n: LightningNodeClient, id: string): Promise<void> {
  await until(`${id.slice(0, 8)} gone`, async () => ((await peers(n)).some((p) => p.id === id && p.connected === true) ? undefined : true));
}

async function pay(amount: number, label: string): Promise<void> {
  const { channels } = (await payer.listpeerchannels({ id: a.id })) as { channels: RpcObject[] };
  const alias = ((channels[0]!.alias as RpcObject).local as string) ?? '';
  const inv = (await a.invoice({ amount_msat: amount, label, description: label })) as { payment_hash: string; payment_secret: string };
  await payer.sendpay({ route: [{ id: a.id, channel: alias, amount_msat: amount, delay: 18 }], payment_hash: inv.payment_hash, payment_secret: inv.payment_secret });
  const done = await payer.waitsendpay({ payment_hash: inv.payment_hash, timeout: 30 });
  expect(done.status).toBe('complete');
  const { invoices } = (await a.listinvoices({ label })) as { invoices: RpcObject[] };
  expect(invoices[0]).toMatchObject({ status: 'paid', payment_preimage: done.payment_preimage });
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'lw-inproc-ws-'));
  payer = await createLightningNode({ alias: 'payer', dataDir: join(dir, 'payer') });
  a = await createLightningNode({ alias: 'A', listen: { tcp: ['127.0.0.1:0'], ws: ['127.0.0.1:0'] }, zeroconfFrom: [payer.id] });
  tcpPort = a.bindings.find((b) => b.type === 'ipv4')!.port!;
  wsPort = a.bindings.find((b) => b.type === 'websocket')!.port!;
  proxy = await startProxyServer({ host: '127.0.0.1', port: 0, allow: [parseTargetArg('--allow', `127.0.0.1:${tcpPort}`)], allowLoopback: true });
});

afterAll(async () => {
  await payer?.close();
  await a?.close();
  await proxy?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('connect({ id, url }) over WebSocket, in-process on Node', () => {
  it("directly to the node's ws listener", async () => {
    const url = `ws://127.0.0.1:${wsPort}/`;
    const r = await payer.connect({ id: a.id, url });
    expect(r).toMatchObject({ id: a.id, direction: 'out', address: { type: 'websocket', address: url } });
    expect(await listedConnected(payer, a.id)).toMatchObject({ netaddr: [url] });
    expect(await listedConnected(a, payer.id)).toMatchObject({ netaddr: [expect.stringMatching(/^127\.0\.0\.1:\d+$/)] });
    // Disconnected, and straight on to the next test: connect must not reuse the closing connection.
    await payer.disconnect({ id: a.id });
    await disconnected(a, payer.id);
  });

  for (const dialect of ['/<host>:<port>', '/v1/<host>/<port>'] as const) {
    it(`through our proxy to the TCP port, ${dialect}`, async () => {
      const path = dialect === '/<host>:<port>' ? `/127.0.0.1:${tcpPort}` : `/v1/127.0.0.1/${tcpPort}`;
      const url = `ws://127.0.0.1:${proxy.port}${path}`;
      const r = await payer.connect({ id: a.id, url });
      expect(r).toMatchObject({ id: a.id, direction: 'out', address: { type: 'websocket', address: url } });
      expect(await listedConnected(payer, a.id)).toMatchObject({ netaddr: [url] });
      // A sees a TCP connection from the proxy.
      expect(await listedConnected(a, payer.id)).toMatchObject({ connected: true });
      if (dialect === '/<host>:<port>') {
        await payer.disconnect({ id: a.id });
        await disconnected(a, payer.id);
      }
    });
  }

  it('the proxied connection carries a zero-conf channel and a payment', async () => {
    await payer.fundchannel({ id: a.id, amount: 500_000, mindepth: 0, announce: false });
    await until('channel normal', async () => {
      const { channels } = (await payer.listpeerchannels({ id: a.id })) as { channels: RpcObject[] };
      return channels[0]?.state === 'CHANNELD_NORMAL' && channels[0].peer_connected === true ? true : undefined;
    });
    await pay(20_000_000, 'over-the-proxy');
  });

  it('created again on its data dir, the payer dials the URL it last reached A at by itself and pays', async () => {
    await payer.close();
    await disconnected(a, payer.id);
    payer = await createLightningNode({ alias: 'payer', dataDir: join(dir, 'payer') });
    // No connect call: the stored address is the /v1/ proxy URL of the last dial.
    expect(await listedConnected(payer, a.id)).toMatchObject({ netaddr: [`ws://127.0.0.1:${proxy.port}/v1/127.0.0.1/${tcpPort}`] });
    await until('channel normal again', async () => {
      const { channels } = (await payer.listpeerchannels({ id: a.id })) as { channels: RpcObject[] };
      return channels[0]?.state === 'CHANNELD_NORMAL' && channels[0].peer_connected === true ? true : undefined;
    });
    await pay(3_000_000, 'after-the-restart');
  });
});
