// The relay through its Node adapter: a real HTTP/WebSocket server on loopback, real `ws`
// clients, and dummy TCP peers. Each refusal is checked by its exact close code and reason.
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { CLOSE, type CloseInfo } from '../../src/proxy/close-codes.js';
import { nodeDialer } from '../../src/proxy/node-tcp.js';
import { startProxyServer, type ProxyServer, type ProxyServerOptions } from '../../src/proxy/node.js';
import { parseHostPort } from '../../src/proxy/target.js';
import type { Resolver } from '../../src/proxy/types.js';
import { concatBytes, equalBytes } from '../../src/util/bytes.js';
import { actShaped, actThreeShaped, closedPort, connectClient, startDummyPeer, type DummyPeer } from './proxy-support.js';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function peer(behaviour: Parameters<typeof startDummyPeer>[0] = 'lightning'): Promise<DummyPeer> {
  const p = await startDummyPeer(behaviour);
  cleanups.push(() => p.close());
  return p;
}

async function proxy(opts: ProxyServerOptions): Promise<{ server: ProxyServer; url: (path: string) => string }> {
  const server = await startProxyServer({ host: '127.0.0.1', port: 0, ...opts });
  cleanups.push(() => server.close());
  return { server, url: (path) => `ws://127.0.0.1:${server.port}${path}` };
}

const hp = (s: string) => parseHostPort(s)!;

async function waitFor(cond: () => boolean, ms = 5000): Promise<void> {
  const until = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > until) throw new Error('condition not reached');
    await new Promise((r) => setTimeout(r, 10));
  }
}
const plain = (c: CloseInfo) => ({ code: c.code, reason: c.reason });

async function client(url: string) {
  const c = await connectClient(url);
  cleanups.push(() => c.ws.terminate());
  return c;
}

/** Runs act one / act two / act three against a 'lightning' dummy and returns the client. */
async function handshake(url: string) {
  const c = await client(url);
  c.send(actShaped());
  const two = await c.bytes(50);
  expect(two).toEqual(actShaped(0x03, 0x22));
  c.send(actThreeShaped());
  return c;
}

describe('proxy relay (Node)', () => {
  it('relays a BOLT-8-shaped exchange both ways, then reports the target closing', async () => {
    const p = await peer();
    const { url } = await proxy({ allow: [hp(`127.0.0.1:${p.port}`)], allowLoopback: true });
    const c = await handshake(url(`/127.0.0.1:${p.port}`));
    // after the handshake, bytes flow freely: 300 KB echoed in several messages
    const payload = new Uint8Array(300_000).map((_, i) => (i * 7) & 0xff);
    for (let o = 0; o < payload.length; o += 60_000) c.send(payload.subarray(o, o + 60_000));
    const all = await c.bytes(50 + payload.length);
    expect(equalBytes(all.subarray(50), payload)).toBe(true);
    expect(concatBytes(...p.received).subarray(0, 50)).toEqual(actShaped());
    p.endAll();
    expect(await c.closed).toEqual(plain(CLOSE.TARGET_CLOSED));
    expect(c.texts).toEqual([]);
  });

  it('server → client backpressure: a client that stops reading stops the peer, nothing is lost', async () => {
    const p = await peer('lightning-sink');
    const { url } = await proxy({ allow: [hp(`127.0.0.1:${p.port}`)], allowLoopback: true });
    const c = await handshake(url(`/127.0.0.1:${p.port}`));
    await waitFor(() => p.receivedBytes >= 116);
    c.ws.pause(); // the client stops reading its TCP socket
    const total = 64 << 20;
    const chunk = new Uint8Array(64 * 1024).map((_, i) => i & 0xff);
    let written = 0;
    const s = p.lastSocket()!;
    const pump = async (): Promise<void> => {
      while (written < total) {
        written += chunk.length;
        if (!s.write(chunk)) await new Promise((r) => s.once('drain', r));
      }
    };
    const done = pump();
    await new Promise((r) => setTimeout(r, 1500));
    // Loopback kernel buffers hold a few MiB on each hop; without backpressure the proxy would
    // have read all 64 MiB into memory by now.
    expect(written).toBeLessThan(40 << 20);
    c.ws.resume();
    await done;
    const got = await c.bytes(50 + total);
    expect(got.length).toBe(50 + total);
    for (let o = 50; o < got.length; o += 1 << 20) expect(got[o]).toBe((o - 50) & 0xff);
  });

  it('client → server backpressure: a peer that stops reading stops the client, nothing is lost', async () => {
    const p = await peer('lightning-sink');
    const { url } = await proxy({ allow: [hp(`127.0.0.1:${p.port}`)], allowLoopback: true });
    const c = await handshake(url(`/127.0.0.1:${p.port}`));
    await waitFor(() => p.receivedBytes >= 116);
    const s = p.lastSocket()!;
    s.pause();
    const total = 64 << 20;
    const chunk = new Uint8Array(64 * 1024).fill(0x5a);
    for (let sent = 0; sent < total; sent += chunk.length) c.ws.send(chunk);
    await new Promise((r) => setTimeout(r, 1500));
    // The proxy paused its WebSocket, so most of the data is still queued in the client.
    expect(c.ws.bufferedAmount).toBeGreaterThan(total - (40 << 20));
    expect(c.ws.readyState).toBe(WebSocket.OPEN);
    s.resume();
    await waitFor(() => p.receivedBytes >= 116 + total, 20_000);
    expect(p.receivedBytes).toBe(116 + total);
  });

  it('serves the Mutiny dialect (underscored IPv4) and fixed-target mode', async () => {
    const p = await peer();
    const { url } = await proxy({ allow: [hp(`127.0.0.1:${p.port}`)], allowLoopback: true });
    const c1 = await handshake(url(`/v1/127_0_0_1/${p.port}`));
    c1.send(new Uint8Array([1, 2, 3]));
    expect((await c1.bytes(53)).subarray(50)).toEqual(new Uint8Array([1, 2, 3]));

    const fixed = await proxy({ target: hp(`127.0.0.1:${p.port}`), allowLoopback: true });
    const c2 = await handshake(fixed.url('/any/path/at/all'));
    c2.send(new Uint8Array([9]));
    expect((await c2.bytes(51))[50]).toBe(9);
  });

  it('negotiates no compression and answers the binary subprotocol only when offered', async () => {
    const p = await peer();
    const { url } = await proxy({ allow: [hp(`127.0.0.1:${p.port}`)], allowLoopback: true });
    const c1 = await connectClient(url(`/127.0.0.1:${p.port}`), [], { perMessageDeflate: true });
    cleanups.push(() => c1.ws.terminate());
    expect(c1.ws.extensions).toBe('');
    expect(c1.ws.protocol).toBe('');
    const c2 = await client(url(`/127.0.0.1:${p.port}`)); // no subprotocol offered
    expect(c2.ws.protocol).toBe('');
    const c3 = await connectClient(url(`/127.0.0.1:${p.port}`), ['x', 'binary']);
    cleanups.push(() => c3.ws.terminate());
    expect(c3.ws.protocol).toBe('binary');
  });

  it('answers plain HTTP with 426', async () => {
    const { server } = await proxy({ allowPublicLightningPorts: true });
    const res = await fetch(`http://127.0.0.1:${server.port}/`);
    expect(res.status).toBe(426);
  });

  it('refuses a destination that is not allowlisted (4003), without dialling', async () => {
    const p = await peer();
    const other = await peer();
    const { url } = await proxy({ allow: [hp(`127.0.0.1:${p.port}`)], allowLoopback: true });
    const c = await client(url(`/127.0.0.1:${other.port}`));
    expect(await c.closed).toEqual(plain(CLOSE.DESTINATION_NOT_ALLOWED));
    expect(other.connections).toBe(0);
    const bad = await client(url('/not-a-target'));
    expect(await bad.closed).toEqual(plain(CLOSE.BAD_TARGET));
  });

  it('refuses loopback without --allow-loopback, and private addresses (4004)', async () => {
    const p = await peer();
    const { url } = await proxy({
      allow: [hp(`127.0.0.1:${p.port}`), hp(`localhost:${p.port}`), hp('10.1.2.3:9735'), hp('[::ffff:127.0.0.1]:9735')],
      allowPublicLightningPorts: true,
    });
    for (const path of [`/127.0.0.1:${p.port}`, `/localhost:${p.port}`, '/10.1.2.3:9735', '/v1/10_1_2_3/9735', '/[::ffff:127.0.0.1]:9735', '/169.254.169.254:9735', '/192.168.0.1:9735']) {
      const c = await client(url(path));
      c.send(actShaped());
      expect(await c.closed, path).toEqual(plain(CLOSE.ADDRESS_NOT_ALLOWED));
    }
    expect(p.connections).toBe(0);
  });

  it('reports a name that does not resolve as 4005', async () => {
    const { url } = await proxy({ allowPublicLightningPorts: true });
    const c = await client(url('/does-not-exist.invalid:9735'));
    expect(await c.closed).toEqual(plain(CLOSE.HOST_NOT_FOUND));
  });

  it('resolves once and dials the approved address (no DNS rebinding)', async () => {
    const p = await peer();
    const lookups: string[] = [];
    const answers = [['10.9.9.9', '127.0.0.1'], ['127.0.0.2']];
    const resolver: Resolver = {
      resolve: async (host) => {
        lookups.push(host);
        return answers[lookups.length - 1] ?? [];
      },
    };
    const dialled: string[] = [];
    const { url } = await proxy({
      allow: [hp(`rebind.test:${p.port}`)],
      allowLoopback: true,
      resolver,
      dialer: { connect: (ip, port, signal) => (dialled.push(ip), nodeDialer.connect(ip, port, signal)) },
    });
    const c = await handshake(url(`/rebind.test:${p.port}`));
    c.send(new Uint8Array([5]));
    expect((await c.bytes(51))[50]).toBe(5);
    expect(lookups).toEqual(['rebind.test']);
    expect(dialled).toEqual(['127.0.0.1']); // 10.9.9.9 skipped: private
  });

  it('gives up on a resolver that never answers (4005 at the handshake timeout)', async () => {
    const { url } = await proxy({
      allowPublicLightningPorts: true,
      handshakeTimeoutMs: 300,
      resolver: { resolve: () => new Promise<string[]>(() => undefined) },
    });
    const c = await client(url('/hangs.test:9735'));
    c.send(actShaped());
    expect(await c.closed).toEqual(plain(CLOSE.HOST_NOT_FOUND));
  });

  it('closes on non-BOLT-8 first bytes (4100) before any TCP connection is made', async () => {
    const p = await peer();
    const { url } = await proxy({ allow: [hp(`127.0.0.1:${p.port}`)], allowLoopback: true });
    const c = await client(url(`/127.0.0.1:${p.port}`));
    c.send(new TextEncoder().encode('GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n'));
    expect(await c.closed).toEqual(plain(CLOSE.NOT_LIGHTNING));
    const c2 = await client(url(`/127.0.0.1:${p.port}`));
    c2.send(concatBytes(actShaped(), new Uint8Array([0]))); // beyond act one before act two
    expect(await c2.closed).toEqual(plain(CLOSE.NOT_LIGHTNING));
    expect(p.connections).toBe(0);
  });

  it('closes with 1003 on a text frame', async () => {
    const p = await peer();
    const { url } = await proxy({ allow: [hp(`127.0.0.1:${p.port}`)], allowLoopback: true });
    const c = await client(url(`/127.0.0.1:${p.port}`));
    c.send('hello');
    expect(await c.closed).toEqual(plain(CLOSE.TEXT_FRAME));
    const c2 = await handshake(url(`/127.0.0.1:${p.port}`));
    c2.send('after the handshake too');
    expect(await c2.closed).toEqual(plain(CLOSE.TEXT_FRAME));
  });

  it.each(['banner', 'silent', 'hangup', 'bad-act-two', 'refused'] as const)(
    'upstream %s: one generic close (4200) at the act-two deadline, no bytes forwarded',
    async (behaviour) => {
      const port = behaviour === 'refused' ? await closedPort() : (await peer(behaviour)).port;
      const actTwoTimeoutMs = 400;
      const { url } = await proxy({ allow: [hp(`127.0.0.1:${port}`)], allowLoopback: true, actTwoTimeoutMs });
      const c = await client(url(`/127.0.0.1:${port}`));
      const sent = Date.now();
      c.send(actShaped());
      expect(await c.closed).toEqual(plain(CLOSE.PEER_UNAVAILABLE));
      // Not a timing measurement: the refusal is deliberately held until the deadline, so a
      // fast "connection refused" cannot be told apart from a filtered port.
      expect(Date.now() - sent).toBeGreaterThanOrEqual(actTwoTimeoutMs - 50);
      expect(c.messages).toBe(0);
    },
  );

  it('caps concurrent connections per client IP (the N+1th gets 4006)', async () => {
    const p = await peer();
    const { server, url } = await proxy({ allow: [hp(`127.0.0.1:${p.port}`)], allowLoopback: true, maxConnsPerIp: 2 });
    const a = await handshake(url(`/127.0.0.1:${p.port}`));
    const b = await handshake(url(`/127.0.0.1:${p.port}`));
    const c = await client(url(`/127.0.0.1:${p.port}`));
    expect(await c.closed).toEqual(plain(CLOSE.TOO_MANY_CONNECTIONS));
    a.ws.close();
    await a.closed;
    await waitFor(() => server.active === 1); // the server side saw the close
    const d = await handshake(url(`/127.0.0.1:${p.port}`));
    d.send(new Uint8Array([7]));
    expect((await d.bytes(51))[50]).toBe(7);
    b.ws.close();
  });

  it('caps the connection rate per client IP (4007)', async () => {
    const p = await peer();
    const { url } = await proxy({ allow: [hp(`127.0.0.1:${p.port}`)], allowLoopback: true, maxConnRatePerIp: { count: 3, windowMs: 60_000 } });
    for (let i = 0; i < 3; i++) {
      const c = await client(url(`/127.0.0.1:${p.port}`));
      c.ws.close();
      await c.closed;
    }
    const over = await client(url(`/127.0.0.1:${p.port}`));
    expect(await over.closed).toEqual(plain(CLOSE.RATE_LIMITED));
  });

  it('caps all relays at once (4008)', async () => {
    const p = await peer();
    const { url } = await proxy({ allow: [hp(`127.0.0.1:${p.port}`)], allowLoopback: true, maxConnections: 1 });
    await client(url(`/127.0.0.1:${p.port}`));
    const c = await client(url(`/127.0.0.1:${p.port}`));
    expect(await c.closed).toEqual(plain(CLOSE.SERVER_BUSY));
  });

  it('ends an idle relay (4102) and a stalled handshake (4101)', async () => {
    const p = await peer();
    const idler = await proxy({ allow: [hp(`127.0.0.1:${p.port}`)], allowLoopback: true, idleTimeoutMs: 300 });
    const idle = await handshake(idler.url(`/127.0.0.1:${p.port}`));
    expect(await idle.closed).toEqual(plain(CLOSE.IDLE_TIMEOUT));
    const { url } = await proxy({ allow: [hp(`127.0.0.1:${p.port}`)], allowLoopback: true, handshakeTimeoutMs: 500 });
    const mute = await client(url(`/127.0.0.1:${p.port}`));
    expect(await mute.closed).toEqual(plain(CLOSE.HANDSHAKE_TIMEOUT));
    const noActThree = await client(url(`/127.0.0.1:${p.port}`));
    noActThree.send(actShaped());
    await noActThree.bytes(50);
    expect(await noActThree.closed).toEqual(plain(CLOSE.HANDSHAKE_TIMEOUT));
  });

  it('keeps a relay with traffic alive past the idle timeout', async () => {
    const p = await peer();
    const { url } = await proxy({ allow: [hp(`127.0.0.1:${p.port}`)], allowLoopback: true, idleTimeoutMs: 1000 });
    const c = await handshake(url(`/127.0.0.1:${p.port}`));
    for (let i = 1; i <= 6; i++) {
      await new Promise((r) => setTimeout(r, 250));
      c.send(new Uint8Array([i]));
      expect((await c.bytes(50 + i))[49 + i]).toBe(i);
    }
    expect(c.ws.readyState).toBe(WebSocket.OPEN);
  });

  it('requires the token when one is configured (4001)', async () => {
    const p = await peer();
    const { url } = await proxy({ allow: [hp(`127.0.0.1:${p.port}`)], allowLoopback: true, token: 'hunter2' });
    const no = await client(url(`/127.0.0.1:${p.port}`));
    expect(await no.closed).toEqual(plain(CLOSE.UNAUTHORIZED));
    const wrong = await client(url(`/127.0.0.1:${p.port}?token=hunter3`));
    expect(await wrong.closed).toEqual(plain(CLOSE.UNAUTHORIZED));
    const q = await handshake(url(`/127.0.0.1:${p.port}?token=hunter2`));
    const seg = await handshake(url(`/hunter2/127.0.0.1:${p.port}`));
    q.send(new Uint8Array([1]));
    seg.send(new Uint8Array([2]));
    expect((await q.bytes(51))[50]).toBe(1);
    expect((await seg.bytes(51))[50]).toBe(2);
  });

  it('refuses an Origin outside the allowlist (4002)', async () => {
    const p = await peer();
    const { url } = await proxy({ allow: [hp(`127.0.0.1:${p.port}`)], allowLoopback: true, origins: ['https://wallet.example'] });
    const bad = await connectClient(url(`/127.0.0.1:${p.port}`), [], { origin: 'https://evil.example' });
    cleanups.push(() => bad.ws.terminate());
    expect(await bad.closed).toEqual(plain(CLOSE.ORIGIN_NOT_ALLOWED));
    const good = await connectClient(url(`/127.0.0.1:${p.port}`), [], { origin: 'https://wallet.example' });
    cleanups.push(() => good.ws.terminate());
    good.send(actShaped());
    expect((await good.bytes(50))[1]).toBe(0x03);
  });

  it('takes the client address from X-Forwarded-For only with trustProxy', async () => {
    const p = await peer();
    const base = { allow: [hp(`127.0.0.1:${p.port}`)], allowLoopback: true, maxConnsPerIp: 1 };
    const trusting = await proxy({ ...base, trustProxy: true });
    const opts = (ip: string) => ({ headers: { 'X-Forwarded-For': `6.6.6.6, ${ip}` } });
    const a = await connectClient(trusting.url(`/127.0.0.1:${p.port}`), [], opts('203.0.113.1'));
    const b = await connectClient(trusting.url(`/127.0.0.1:${p.port}`), [], opts('203.0.113.2'));
    const a2 = await connectClient(trusting.url(`/127.0.0.1:${p.port}`), [], opts('203.0.113.1'));
    cleanups.push(() => [a, b, a2].forEach((c) => c.ws.terminate()));
    expect(await a2.closed).toEqual(plain(CLOSE.TOO_MANY_CONNECTIONS));
    expect(b.ws.readyState).toBe(WebSocket.OPEN);

    const strict = await proxy(base);
    const c = await connectClient(strict.url(`/127.0.0.1:${p.port}`), [], opts('203.0.113.1'));
    const d = await connectClient(strict.url(`/127.0.0.1:${p.port}`), [], opts('203.0.113.2'));
    cleanups.push(() => [c, d].forEach((x) => x.ws.terminate()));
    expect(await d.closed).toEqual(plain(CLOSE.TOO_MANY_CONNECTIONS)); // both are 127.0.0.1
  });

  it('close() ends live relays with 1001 and stops listening', async () => {
    const p = await peer();
    const server = await startProxyServer({ host: '127.0.0.1', port: 0, allow: [hp(`127.0.0.1:${p.port}`)], allowLoopback: true });
    const c = await connectClient(`ws://127.0.0.1:${server.port}/127.0.0.1:${p.port}`);
    c.send(actShaped());
    await c.bytes(50);
    await server.close();
    expect(await c.closed).toEqual(plain(CLOSE.GOING_AWAY));
    await expect(connectClient(`ws://127.0.0.1:${server.port}/127.0.0.1:${p.port}`)).rejects.toThrow();
  });

  it('logs nothing by default and no client address at info level', async () => {
    const p = await peer();
    const lines: string[] = [];
    const { url } = await proxy({
      allow: [hp(`127.0.0.1:${p.port}`)],
      allowLoopback: true,
      logger: { level: 'info', log: (level, event, fields) => lines.push(JSON.stringify({ level, event, ...fields })) },
    });
    const c = await handshake(url(`/127.0.0.1:${p.port}`));
    c.ws.close();
    await c.closed;
    await waitFor(() => lines.some((l) => l.includes('relay.end')));
    expect(lines.some((l) => l.includes('relay.open'))).toBe(true);
    expect(lines.every((l) => !l.includes('"client"'))).toBe(true);
  });
});
