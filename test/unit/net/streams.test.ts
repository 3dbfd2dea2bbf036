// Real sockets on loopback (port 0): TCP and WebSocket listeners with the Node dialers and with
// the WHATWG-API stream (driven by the `ws` package's WebSocket class, which implements that API).
import { createServer, type AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import {
  NetError,
  dialWebSocket,
  memoryStreamPair,
  type ByteStream,
  type CloseInfo,
  type WebSocketConstructor,
} from '../../../src/net/index.js';
import { dialTcp, dialWs, listenTcp, listenWebSocket, nodeDialer, type Listener } from '../../../src/net/node.js';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

function collect(s: ByteStream): { bytes: () => Uint8Array; chunks: Uint8Array[]; closed: Promise<CloseInfo>; diags: string[] } {
  const chunks: Uint8Array[] = [];
  const diags: string[] = [];
  s.on('data', (c) => chunks.push(c.slice()));
  s.on('diagnostic', (d) => diags.push(d));
  const closed = new Promise<CloseInfo>((r) => s.on('close', r));
  return {
    chunks,
    diags,
    closed,
    bytes: () => {
      const n = chunks.reduce((a, c) => a + c.length, 0);
      const out = new Uint8Array(n);
      let o = 0;
      for (const c of chunks) {
        out.set(c, o);
        o += c.length;
      }
      return out;
    },
  };
}

async function until(f: () => boolean, ms = 5000): Promise<void> {
  const t0 = Date.now();
  while (!f()) {
    if (Date.now() - t0 > ms) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 5));
  }
}

/** An echo-less listener that records every accepted stream. */
async function listen(kind: 'tcp' | 'websocket'): Promise<{ l: Listener; accepted: ByteStream[] }> {
  const accepted: ByteStream[] = [];
  const l = await (kind === 'tcp' ? listenTcp : listenWebSocket)({ port: 0 }, (s) => accepted.push(s));
  cleanups.push(() => l.close());
  return { l, accepted };
}

const payload = (n: number, seed = 1) => Uint8Array.from({ length: n }, (_, i) => (i * 31 + seed) & 0xff);

describe.each(['tcp', 'websocket'] as const)('%s listener + Node dialer', (kind) => {
  it('binds port 0, carries bytes both ways, reports close', async () => {
    const { l, accepted } = await listen(kind);
    expect(l.port).toBeGreaterThan(0);
    const target = kind === 'tcp' ? ({ kind: 'tcp', host: '127.0.0.1', port: l.port } as const) : ({ kind: 'websocket', url: `ws://127.0.0.1:${l.port}/any/path` } as const);
    const c = await nodeDialer(target, {});
    cleanups.push(() => c.close());
    expect(c.kind).toBe(kind);
    await until(() => accepted.length === 1);
    const server = accepted[0]!;
    const sIn = collect(server);
    const cIn = collect(c);
    const big = payload(200_000);
    expect(c.write(payload(10))).toBe(true);
    c.write(big);
    server.write(payload(5, 7));
    await until(() => sIn.bytes().length === 200_010 && cIn.bytes().length === 5);
    expect(Buffer.from(sIn.bytes().subarray(10)).equals(Buffer.from(big))).toBe(true);
    expect(Array.from(cIn.bytes())).toEqual(Array.from(payload(5, 7)));
    c.close(1000, 'bye');
    const info = await sIn.closed;
    expect(info.local).toBe(false);
    if (kind === 'websocket') expect(info.code).toBe(1000);
    expect(() => c.write(payload(1))).toThrow(NetError);
  });

  it('backpressure: write() returns false above the high-water mark, then drain', async () => {
    const { l, accepted } = await listen(kind);
    const target = kind === 'tcp' ? ({ kind: 'tcp', host: '127.0.0.1', port: l.port } as const) : ({ kind: 'websocket', url: `ws://127.0.0.1:${l.port}` } as const);
    const c = await nodeDialer(target, { highWaterMark: 1024 });
    cleanups.push(() => c.close());
    await until(() => accepted.length === 1);
    let drains = 0;
    c.on('drain', () => drains++);
    let ok = true;
    for (let i = 0; i < 64 && ok; i++) ok = c.write(payload(64 * 1024));
    expect(ok).toBe(false);
    expect(c.bufferedAmount).toBeGreaterThan(1024);
    collect(accepted[0]!);
    await until(() => drains === 1);
    expect(c.bufferedAmount).toBeLessThanOrEqual(512);
  });
});

describe('WebSocket specifics', () => {
  it('sends canonical Upgrade/Connection header casing and no subprotocol or extensions', async () => {
    let request = '';
    const raw = createServer((sock) => {
      sock.on('data', (d) => {
        request += d.toString('latin1');
        if (request.includes('\r\n\r\n')) sock.destroy();
      });
    });
    await new Promise<void>((r) => raw.listen(0, '127.0.0.1', r));
    cleanups.push(() => new Promise<void>((r) => raw.close(() => r())));
    const port = (raw.address() as AddressInfo).port;
    await expect(dialWs(`ws://127.0.0.1:${port}/`, { timeoutMs: 2000 })).rejects.toBeInstanceOf(NetError);
    expect(request).toMatch(/\r\nUpgrade: websocket\r\n/);
    expect(request).toMatch(/\r\nConnection: Upgrade\r\n/);
    expect(request).not.toMatch(/Sec-WebSocket-Protocol/i);
    expect(request).not.toMatch(/Sec-WebSocket-Extensions/i);
  });

  it('the listener drops text frames (diagnostic only) and selects no subprotocol', async () => {
    const { l, accepted } = await listen('websocket');
    const ws = new WebSocket(`ws://127.0.0.1:${l.port}/whatever`, ['binary']);
    await new Promise((r, j) => {
      ws.once('open', r);
      ws.once('error', j);
    }).catch((e: unknown) => e);
    // ws (client) rejects a 101 without the offered protocol: like Core Lightning, we never pick one.
    expect(ws.protocol).toBe('');
    const plain = new WebSocket(`ws://127.0.0.1:${l.port}/`);
    await new Promise((r) => plain.once('open', r));
    cleanups.push(() => plain.terminate());
    await until(() => accepted.length >= 1);
    const s = accepted[accepted.length - 1]!;
    const got = collect(s);
    plain.send('hello text');
    plain.send(Buffer.from([1, 2, 3]));
    await until(() => got.bytes().length === 3);
    expect(Array.from(got.bytes())).toEqual([1, 2, 3]);
    expect(got.diags.some((d) => d.includes('text frame'))).toBe(true);
  });

  it('the WHATWG-API stream: arraybuffer data, text to diagnostics, one message per write', async () => {
    const { l, accepted } = await listen('websocket');
    const c = await dialWebSocket(`ws://127.0.0.1:${l.port}`, { WebSocket: WebSocket as unknown as WebSocketConstructor });
    cleanups.push(() => c.close());
    expect(c.protocol).toBe('');
    await until(() => accepted.length === 1);
    const server = accepted[0]!;
    const sIn = collect(server);
    const cIn = collect(c);
    c.write(payload(70_000));
    server.write(payload(3));
    await until(() => sIn.bytes().length === 70_000 && cIn.bytes().length === 3);
    expect(sIn.chunks).toHaveLength(1); // one write = one binary message, never fragmented
    server.close();
    const info = await cIn.closed;
    expect(info.local).toBe(false);
  });

  it('text frames from a server never reach the byte stream', async () => {
    const { WebSocketServer } = await import('ws');
    const wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
    await new Promise((r) => wss.once('listening', r));
    cleanups.push(
      () =>
        new Promise<void>((r) => {
          for (const c of wss.clients) c.terminate();
          wss.close(() => r());
        }),
    );
    wss.on('connection', (ws) => {
      ws.send('connect failed: host unreachable');
      ws.send(Buffer.from([9, 9]));
    });
    const port = (wss.address() as AddressInfo).port;
    for (const dial of [
      () => dialWebSocket(`ws://127.0.0.1:${port}`, { WebSocket: WebSocket as unknown as WebSocketConstructor }),
      () => dialWs(`ws://127.0.0.1:${port}`),
    ]) {
      const c = await dial();
      cleanups.push(() => c.close());
      const got = collect(c);
      await until(() => got.bytes().length === 2 && got.diags.length > 0);
      expect(Array.from(got.bytes())).toEqual([9, 9]);
      expect(got.diags.join()).toMatch(/text frame/);
      c.close();
    }
  });

  it('an HTTP 400 upgrade refusal is CONNECT_FAILED', async () => {
    const raw = createServer((sock) => {
      sock.resume(); // read the request, or the socket never sees the client's FIN
      sock.end('HTTP/1.1 400 Invalid protocol selected\r\nContent-Length: 0\r\n\r\n');
    });
    await new Promise<void>((r) => raw.listen(0, '127.0.0.1', r));
    cleanups.push(() => new Promise<void>((r) => raw.close(() => r())));
    const port = (raw.address() as AddressInfo).port;
    const e = await dialWs(`ws://127.0.0.1:${port}`).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(NetError);
    expect((e as NetError).code).toBe('CONNECT_FAILED');
    expect((e as NetError).message).toContain('400');
  });
});

describe('dial failures', () => {
  async function freePort(): Promise<number> {
    const s = createServer();
    await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
    const port = (s.address() as AddressInfo).port;
    await new Promise<void>((r) => s.close(() => r()));
    return port;
  }

  it('refused connections are CONNECT_FAILED (TCP, ws, WHATWG)', async () => {
    const port = await freePort();
    for (const p of [
      dialTcp('127.0.0.1', port),
      dialWs(`ws://127.0.0.1:${port}`),
      dialWebSocket(`ws://127.0.0.1:${port}`, { WebSocket: WebSocket as unknown as WebSocketConstructor }),
    ]) {
      const e = await p.catch((x: unknown) => x);
      expect(e).toBeInstanceOf(NetError);
      expect((e as NetError).code).toBe('CONNECT_FAILED');
    }
  });

  it('a server that never answers the upgrade is CONNECT_TIMEOUT; abort is ABORTED', async () => {
    const raw = createServer((sock) => sock.resume());
    await new Promise<void>((r) => raw.listen(0, '127.0.0.1', r));
    const socks = new Set<import('node:net').Socket>();
    raw.on('connection', (s) => socks.add(s));
    cleanups.push(() => new Promise<void>((r) => {
      for (const s of socks) s.destroy();
      raw.close(() => r());
    }));
    const port = (raw.address() as AddressInfo).port;
    const e1 = await dialWs(`ws://127.0.0.1:${port}`, { timeoutMs: 200 }).catch((x: unknown) => x);
    expect((e1 as NetError).code).toBe('CONNECT_TIMEOUT');
    const e2 = await dialWebSocket(`ws://127.0.0.1:${port}`, { timeoutMs: 200, WebSocket: WebSocket as unknown as WebSocketConstructor }).catch((x: unknown) => x);
    expect((e2 as NetError).code).toBe('CONNECT_TIMEOUT');
    const ac = new AbortController();
    const p = dialWs(`ws://127.0.0.1:${port}`, { signal: ac.signal });
    ac.abort();
    expect(((await p.catch((x: unknown) => x)) as NetError).code).toBe('ABORTED');
  });

  it('no WebSocket implementation is UNSUPPORTED', async () => {
    const g = globalThis as { WebSocket?: unknown };
    const saved = g.WebSocket;
    delete g.WebSocket;
    try {
      const e = await dialWebSocket('ws://127.0.0.1:1').catch((x: unknown) => x);
      expect((e as NetError).code).toBe('UNSUPPORTED');
    } finally {
      if (saved !== undefined) g.WebSocket = saved;
    }
  });
});

describe('memory streams and held data', () => {
  it('data that arrives before a listener subscribes is held, then delivered before close', async () => {
    const [a, b] = memoryStreamPair();
    a.write(payload(4));
    a.write(payload(2));
    a.close();
    await new Promise((r) => setTimeout(r, 20));
    const events: string[] = [];
    b.on('close', () => events.push('close'));
    b.on('data', (c) => events.push(`data:${c.length}`));
    await until(() => events.includes('close'));
    expect(events).toEqual(['data:4', 'data:2', 'close']);
  });
});
