// Two of our own nodes on loopback (port 0), over TCP and over WebSocket: init, ping/pong,
// messages both ways, error handling, backpressure, reconnection.
import { createServer, type AddressInfo, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { pubkeyCreate } from '../../../src/crypto/secp256k1.js';
import { generateSecret } from '../../../src/noise/index.js';
import { listenTcp, listenWebSocket, nodeDialer, type Listener } from '../../../src/net/node.js';
import type { ByteStream } from '../../../src/net/index.js';
import { PeerError, PeerManager, connectPeer, type PeerManagerOptions } from '../../../src/peer/index.js';
import { toHex } from '../../../src/util/bytes.js';
import type { NodeId } from '../../../src/types.js';
import { chainHash, type WireMessage } from '../../../src/wire/index.js';
import { FEATURES, REGTEST } from './helpers.js';

const cleanups: (() => Promise<unknown> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

function node(extra: Partial<PeerManagerOptions> = {}) {
  const secret = generateSecret();
  const id = toHex(pubkeyCreate(secret)) as NodeId;
  const m = new PeerManager({ localSecret: secret, features: FEATURES, chains: [REGTEST], dialer: nodeDialer, ...extra });
  cleanups.push(() => m.close());
  return { id, m };
}

/** Act one's version byte and ephemeral key, as each accepted stream received them. */
const ephemerals = new WeakMap<ByteStream, string>();

async function serve(kind: 'tcp' | 'websocket', m: PeerManager, accepted: ByteStream[] = []): Promise<Listener> {
  const l = await (kind === 'tcp' ? listenTcp : listenWebSocket)({ port: 0 }, (s) => {
    accepted.push(s);
    let seen = '';
    const off = s.on('data', (c) => {
      seen += toHex(c);
      if (seen.length >= 68) {
        ephemerals.set(s, seen.slice(0, 68));
        off();
      }
    });
    m.accept(s);
  });
  cleanups.push(() => l.close());
  return l;
}

function address(kind: 'tcp' | 'websocket', id: NodeId, port: number) {
  return kind === 'tcp' ? `${id}@127.0.0.1:${port}` : { id, url: `ws://127.0.0.1:${port}` };
}

function nextEvent<T extends unknown[]>(on: (fn: (...a: T) => void) => () => void): Promise<T> {
  return new Promise((resolve) => {
    const off = on((...a) => {
      off();
      resolve(a);
    });
  });
}

describe.each(['tcp', 'websocket'] as const)('two nodes over %s', (kind) => {
  it('connect, init, listpeers, ping/pong, messages both ways', async () => {
    const a = node();
    const b = node();
    const l = await serve(kind, a.m);
    const aConnected = nextEvent<[NodeId, unknown]>((f) => a.m.on('connected', f));
    const info = await b.m.connect(address(kind, a.id, l.port));
    expect(info.remoteNodeId).toBe(a.id);
    expect(info.direction).toBe('out');
    expect(toHex(info.remote.features)).toBe(toHex(FEATURES));
    expect(info.remote.networks?.map(toHex)).toEqual([toHex(REGTEST)]);
    const [aSawId] = await aConnected;
    expect(aSawId).toBe(b.id);

    const rowB = b.m.list();
    expect(rowB).toEqual([{ id: a.id, connected: true, netaddr: [kind === 'tcp' ? `127.0.0.1:${l.port}` : `ws://127.0.0.1:${l.port}/`], features: toHex(FEATURES), direction: 'out' }]);
    const rowA = a.m.list()[0]!;
    expect(rowA).toMatchObject({ id: b.id, connected: true, direction: 'in' });
    expect(rowA.netaddr[0]).toMatch(/^127\.0\.0\.1:\d+$/);
    expect(rowA.remote_addr).toBeUndefined(); // loopback is never reported as remote_addr

    const peerB = b.m.get(a.id)!;
    const rtts = await Promise.all([peerB.ping(10), peerB.ping(0, 100), a.m.get(b.id)!.ping(65531)]);
    expect(rtts.every((r) => r >= 0)).toBe(true);

    const got: WireMessage[] = [];
    a.m.on('message', (id, m) => {
      expect(id).toBe(b.id);
      got.push(m);
    });
    const fromA = nextEvent<[NodeId, WireMessage]>((f) => b.m.on('message', f));
    await b.m.send(a.id, { type: 'update_fee', channel_id: new Uint8Array(32).fill(1), feerate_per_kw: 1000 });
    await a.m.send(b.id, { type: 'stfu', channel_id: new Uint8Array(32), initiator: 1 });
    const [, m2] = await fromA;
    expect(m2).toMatchObject({ type: 'stfu', initiator: 1 });
    await new Promise((r) => setTimeout(r, 20));
    expect(got).toMatchObject([{ type: 'update_fee', feerate_per_kw: 1000 }]);
  });

  it('a channel error is surfaced; an all-channels error disconnects the sender’s peer', async () => {
    const a = node({ reconnect: false });
    const b = node({ reconnect: false });
    const l = await serve(kind, a.m);
    await b.m.connect(address(kind, a.id, l.port));
    await new Promise((r) => setTimeout(r, 20));
    const remoteErr = nextEvent<[NodeId, { allChannels: boolean; text: string }]>((f) => a.m.on('remoteError', f));
    await b.m.send(a.id, { type: 'error', channel_id: new Uint8Array(32).fill(9), data: new TextEncoder().encode('channel broke') });
    const [, e1] = await remoteErr;
    expect(e1).toMatchObject({ allChannels: false, text: 'channel broke' });
    expect(a.m.get(b.id)!.connected).toBe(true);
    const down = nextEvent<[NodeId, PeerError | null]>((f) => a.m.on('disconnected', f));
    const downB = nextEvent<[NodeId, PeerError | null]>((f) => b.m.on('disconnected', f));
    await b.m.send(a.id, { type: 'error', channel_id: new Uint8Array(32), data: new TextEncoder().encode('bye all') });
    const [, err] = await down;
    expect(err?.code).toBe('REMOTE_ERROR');
    expect(a.m.get(b.id)).toBeUndefined(); // inbound-only peers are forgotten on disconnect
    const [, errB] = await downB;
    expect(errB?.code).toBe('CONNECTION_CLOSED');
    expect(b.m.list()[0]).toMatchObject({ connected: false, netaddr: [], features: toHex(FEATURES) });
  });

  it('reconnects with backoff after the connection drops, and reconnectNow skips the wait', async () => {
    const a = node();
    const b = node({ reconnect: { initialMs: 50, maxMs: 200 } });
    const accepted: ByteStream[] = [];
    const l = await serve(kind, a.m, accepted);
    await b.m.connect(address(kind, a.id, l.port));
    const up = nextEvent<[NodeId, unknown]>((f) => b.m.on('connected', f));
    const down = nextEvent<[NodeId, PeerError | null]>((f) => b.m.on('disconnected', f));
    accepted[0]!.close(); // the server side drops the socket
    const [, err] = await down;
    expect(err?.code).toBe('CONNECTION_CLOSED');
    await up;
    expect(accepted.length).toBe(2);
    expect(b.m.get(a.id)!.connected).toBe(true);
    // A fresh ephemeral key per attempt.
    expect(ephemerals.get(accepted[0]!)).toMatch(/^00(02|03)/);
    expect(ephemerals.get(accepted[1]!)).toMatch(/^00(02|03)/);
    expect(ephemerals.get(accepted[1]!)).not.toBe(ephemerals.get(accepted[0]!));

    // Now a slow policy: the reconnect only happens quickly because of reconnectNow().
    const slow = node({ reconnect: { initialMs: 60_000, maxMs: 60_000, jitter: 0 } });
    const acc2: ByteStream[] = [];
    const l2 = await serve(kind, a.m, acc2);
    await slow.m.connect(address(kind, a.id, l2.port));
    const failed = nextEvent<[NodeId, PeerError | null]>((f) => slow.m.on('disconnected', f));
    acc2[0]!.close();
    await failed;
    const back = nextEvent<[NodeId, unknown]>((f) => slow.m.on('connected', f));
    slow.m.reconnectAll();
    await back;
    expect(acc2.length).toBe(2);
  });

  it('send() applies backpressure and every message arrives in order', async () => {
    const a = node();
    const b = node({ highWaterMark: 16 * 1024 });
    const l = await serve(kind, a.m);
    await b.m.connect(address(kind, a.id, l.port));
    let n = 0;
    a.m.on('message', (_id, m) => {
      if (m.type === 'update_fee' && m.feerate_per_kw === n) n++;
    });
    const conn = b.m.get(a.id)!.connection!;
    let drains = 0;
    conn.stream.on('drain', () => drains++);
    let maxBuffered = 0;
    for (let i = 0; i < 150; i++) {
      await b.m.send(a.id, { type: 'update_fee', channel_id: new Uint8Array(32), feerate_per_kw: i });
      await b.m.send(a.id, { type: 'unknown', type_num: 32769, payload: new Uint8Array(60_000) });
      maxBuffered = Math.max(maxBuffered, conn.stream.bufferedAmount);
    }
    const t0 = Date.now();
    while (n < 150 && Date.now() - t0 < 10_000) await new Promise((r) => setTimeout(r, 10));
    expect(n).toBe(150);
    // Each awaited send returned only once the stream was back under its high-water mark, and
    // the writer really had to wait for 'drain' along the way.
    expect(maxBuffered).toBeLessThanOrEqual(16 * 1024);
    expect(drains).toBeGreaterThan(0);
  });
});

describe('proxy dialects end to end', () => {
  it.each([
    ['hostport', '/203.0.113.9:9735'],
    ['v1', '/v1/203_0_113_9/9735'],
  ] as const)('%s: the dialer asks the proxy for the target in its path', async (dialect, path) => {
    // A stand-in proxy: our WebSocket stream accepted by a server that records the request path
    // and, instead of relaying, hands the socket straight to node A (as a relay would connect it).
    const { WebSocketServer } = await import('ws');
    const { NodeWsStream } = await import('../../../src/net/node.js');
    const a = node();
    const paths: string[] = [];
    const wss = new WebSocketServer({ host: '127.0.0.1', port: 0, perMessageDeflate: false });
    await new Promise((r) => wss.once('listening', r));
    cleanups.push(() => new Promise<void>((r) => {
      for (const c of wss.clients) c.terminate();
      wss.close(() => r());
    }));
    wss.on('connection', (ws, req) => {
      paths.push(req.url ?? '');
      a.m.accept(new NodeWsStream(ws, 'proxy'));
    });
    const port = (wss.address() as AddressInfo).port;
    const b = node({ route: { proxy: { url: `ws://127.0.0.1:${port}`, dialect, underscoreIpv4: true } } });
    const info = await b.m.connect(`${a.id}@203.0.113.9:9735`);
    expect(paths).toEqual([path]);
    expect(info.netaddr).toBe(`ws://127.0.0.1:${port}${path}`);
  });
});

describe('connect ID after disconnect ID', () => {
  // A connection closes synchronously unless its core has already closed with actions still to
  // run, as after an all-channels error: a handler of that error calling disconnect() and then
  // connectKnown() sees the connection still attached, closing.
  const allChannels = { type: 'error' as const, channel_id: new Uint8Array(32), data: new TextEncoder().encode('bye all') };

  it('dials again instead of reporting the connection disconnect() is closing', async () => {
    const a = node();
    const b = node({ reconnect: false });
    const l = await serve('tcp', a.m);
    const first = await b.m.connect(`${a.id}@127.0.0.1:${l.port}`);
    const firstConn = b.m.get(a.id)!.connection!;
    await new Promise((r) => setTimeout(r, 20));
    const again = new Promise<unknown>((resolve) => b.m.on('remoteError', (id) => {
      b.m.disconnect(id);
      expect(b.m.get(id)!.connection).toBe(firstConn); // still closing
      resolve(b.m.connectKnown(id)!);
    }));
    await a.m.send(b.id, allChannels);
    const info = await again;
    expect(info).not.toBe(first);
    const peer = b.m.get(a.id)!;
    expect(peer.connection).not.toBe(firstConn);
    expect(peer.connection!.info).toBe(info);
    expect(peer.info().connected).toBe(true);
  });

  it('an inbound-only peer whose connection is closing has no address to dial', async () => {
    const a = node();
    const b = node({ reconnect: false });
    const l = await serve('tcp', a.m);
    const aConnected = nextEvent<[NodeId, unknown]>((f) => a.m.on('connected', f));
    await b.m.connect(`${a.id}@127.0.0.1:${l.port}`);
    await aConnected;
    await new Promise((r) => setTimeout(r, 20));
    // Wrapped: resolving with the promise itself would adopt its rejection.
    const again = new Promise<{ pending: Promise<unknown> | undefined }>((resolve) => a.m.on('remoteError', (id) => {
      a.m.disconnect(id);
      expect(a.m.get(id)!.connection).toBeDefined(); // still closing
      resolve({ pending: a.m.connectKnown(id) });
    }));
    await b.m.send(a.id, allChannels);
    const { pending } = await again;
    expect(pending).toBeDefined();
    await expect(pending).rejects.toMatchObject({ code: 'NOT_CONNECTED' });
  });

  it('a peer never seen has nothing to connect to', () => {
    const b = node();
    expect(b.m.connectKnown(toHex(pubkeyCreate(generateSecret())) as NodeId)).toBeUndefined();
  });
});

describe('connection failures', () => {
  it('an unreachable address is CONNECT_FAILED and schedules a retry', async () => {
    const s = createServer();
    await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
    const port = (s.address() as AddressInfo).port;
    await new Promise<void>((r) => s.close(() => r()));
    const b = node({ reconnect: { initialMs: 10_000 } });
    const failed = nextEvent<[NodeId, PeerError, number | undefined]>((f) => b.m.on('attemptFailed', f));
    const id = toHex(pubkeyCreate(generateSecret())) as NodeId;
    await expect(b.m.connect(`${id}@127.0.0.1:${port}`)).rejects.toMatchObject({ code: 'CONNECT_FAILED' });
    const [, err, delay] = await failed;
    expect(err.code).toBe('CONNECT_FAILED');
    expect(delay).toBeGreaterThanOrEqual(5000);
    b.m.disconnect(id);
  });

  it('a socket that opens but never answers act one is HANDSHAKE_TIMEOUT', async () => {
    const socks = new Set<Socket>();
    const s = createServer((sock) => {
      socks.add(sock);
      sock.resume();
    });
    await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
    cleanups.push(() => new Promise<void>((r) => {
      for (const x of socks) x.destroy();
      s.close(() => r());
    }));
    const port = (s.address() as AddressInfo).port;
    const secret = generateSecret();
    const remote = pubkeyCreate(generateSecret());
    const t0 = Date.now();
    const e = await connectPeer({
      localSecret: secret,
      features: FEATURES,
      chains: [REGTEST],
      remoteNodeId: toHex(remote) as NodeId,
      address: { kind: 'hostport', host: '127.0.0.1', port },
      dialer: nodeDialer,
      route: { tcp: true },
      timing: { handshakeTimeoutMs: 300 },
    }).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(PeerError);
    expect((e as PeerError).code).toBe('HANDSHAKE_TIMEOUT');
    expect(Date.now() - t0).toBeGreaterThanOrEqual(250);
  });

  it('a peer on another chain is refused on both sides', async () => {
    const a = node({ chains: [chainHash('bitcoin')] });
    const b = node({ reconnect: false });
    const l = await serve('tcp', a.m);
    const inbound = nextEvent<[PeerError, string]>((f) => a.m.on('inboundFailed', f));
    await expect(b.m.connect(`${a.id}@127.0.0.1:${l.port}`)).rejects.toMatchObject({ code: 'NO_COMMON_NETWORK' });
    const [err] = await inbound;
    expect(['NO_COMMON_NETWORK', 'CONNECTION_CLOSED']).toContain(err.code);
  });

  it('dialing the wrong node id never connects', async () => {
    const a = node();
    const b = node({ reconnect: false });
    const l = await serve('tcp', a.m);
    const wrong = toHex(pubkeyCreate(generateSecret())) as NodeId;
    await expect(b.m.connect(`${wrong}@127.0.0.1:${l.port}`)).rejects.toMatchObject({ code: 'HANDSHAKE_FAILED' });
    expect(a.m.list()).toEqual([]);
  });
});
