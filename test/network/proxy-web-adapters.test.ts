// The Deno / Cloudflare code path, minus the runtime's own glue: the relay core driving a
// WHATWG-style WebSocket (webClientSocket: no pause, bufferedAmount polled) and a TCP
// connection seen as a pair of web streams (streamPairToTcp), with names resolved through the
// DNS-over-HTTPS resolver. `ws` server sockets implement the WHATWG event API, and Node's
// Duplex.toWeb gives the stream pair, so this runs on Node.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { connect } from 'node:net';
import { Duplex } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocketServer } from 'ws';
import { CLOSE } from '../../src/proxy/close-codes.js';
import type { ProxyConfigInput } from '../../src/proxy/config.js';
import { ProxyCore } from '../../src/proxy/core.js';
import { dohResolver } from '../../src/proxy/doh.js';
import { parseHostPort } from '../../src/proxy/target.js';
import type { Dialer } from '../../src/proxy/types.js';
import { webClientSocket } from '../../src/proxy/web-socket.js';
import { streamPairToTcp } from '../../src/proxy/web-streams.js';
import { actShaped, actThreeShaped, connectClient, startDummyPeer } from './proxy-support.js';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

const webStreamDialer: Dialer = {
  connect: (ip, port, signal) =>
    new Promise((resolve, reject) => {
      const s = connect({ host: ip, port });
      signal.addEventListener('abort', () => s.destroy(), { once: true });
      s.once('error', reject);
      s.once('connect', () => {
        const { readable, writable } = Duplex.toWeb(s) as unknown as { readable: ReadableStream<Uint8Array>; writable: WritableStream<Uint8Array> };
        resolve(streamPairToTcp({ readable, writable, close: () => s.destroy() }));
      });
    }),
};

/** DoH answers: peer.test → 127.0.0.1, private.test → 10.0.0.7. */
const fakeDoh = dohResolver(async (url) => {
  const q = new URL(url).searchParams;
  const data = q.get('type') === 'A' ? { 'peer.test': '127.0.0.1', 'private.test': '10.0.0.7' }[q.get('name') ?? ''] : undefined;
  return { ok: true, json: async () => ({ Status: 0, Answer: data ? [{ type: 1, data }] : [] }) };
});

async function webProxy(config: ProxyConfigInput): Promise<string> {
  const core = new ProxyCore(config, { resolver: fakeDoh, dialer: webStreamDialer });
  const wss = new WebSocketServer({ noServer: true, perMessageDeflate: false });
  const http = createServer();
  http.on('upgrade', (req, socket, head) =>
    wss.handleUpgrade(req, socket, head, (ws) => core.accept({ socket: webClientSocket(ws), url: req.url ?? '/', clientIp: '127.0.0.1' })),
  );
  await new Promise<void>((r) => http.listen(0, '127.0.0.1', r));
  cleanups.push(async () => {
    await core.shutdown();
    http.closeAllConnections();
    await new Promise((r) => http.close(r));
  });
  return `ws://127.0.0.1:${(http.address() as AddressInfo).port}`;
}

describe('relay over WHATWG WebSocket and web streams (Deno / Cloudflare path)', () => {
  it('resolves through DoH, relays both ways, closes 1003 on text', async () => {
    const peer = await startDummyPeer('lightning');
    cleanups.push(() => peer.close());
    const base = await webProxy({ allow: [parseHostPort(`peer.test:${peer.port}`)!], allowLoopback: true });
    const c = await connectClient(`${base}/v1/peer.test/${peer.port}`);
    c.send(actShaped());
    expect(await c.bytes(50)).toEqual(actShaped(0x03, 0x22));
    c.send(actThreeShaped());
    const data = new Uint8Array(100_000).map((_, i) => i % 251);
    c.send(data);
    const echoed = await c.bytes(50 + data.length);
    expect(Buffer.compare(echoed.subarray(50), data)).toBe(0);
    c.send('text');
    expect(await c.closed).toEqual({ code: CLOSE.TEXT_FRAME.code, reason: CLOSE.TEXT_FRAME.reason });
  });

  it('applies the address checks to DoH answers', async () => {
    const base = await webProxy({ allowPublicLightningPorts: true, allowLoopback: true });
    const c = await connectClient(`${base}/private.test:9735`);
    expect(await c.closed).toEqual({ code: CLOSE.ADDRESS_NOT_ALLOWED.code, reason: CLOSE.ADDRESS_NOT_ALLOWED.reason });
    const d = await connectClient(`${base}/nowhere.test:9735`);
    expect(await d.closed).toEqual({ code: CLOSE.HOST_NOT_FOUND.code, reason: CLOSE.HOST_NOT_FOUND.reason });
  });

  it('without pause, a client flooding a stalled peer hits the hard buffer cap (4103)', async () => {
    const peer = await startDummyPeer('lightning-sink');
    cleanups.push(() => peer.close());
    const base = await webProxy({ allow: [parseHostPort(`127.0.0.1:${peer.port}`)!], allowLoopback: true, highWaterMark: 64 * 1024, maxBufferedBytes: 256 * 1024 });
    const c = await connectClient(`${base}/127.0.0.1:${peer.port}`);
    c.send(actShaped());
    await c.bytes(50);
    c.send(actThreeShaped());
    while (peer.receivedBytes < 116) await new Promise((r) => setTimeout(r, 10));
    peer.lastSocket()!.pause();
    const chunk = new Uint8Array(64 * 1024);
    for (let i = 0; i < 1024; i++) c.ws.send(chunk); // 64 MiB, far beyond the kernel buffers
    expect(await c.closed).toEqual({ code: CLOSE.BUFFER_OVERFLOW.code, reason: CLOSE.BUFFER_OVERFLOW.reason });
  });
});
