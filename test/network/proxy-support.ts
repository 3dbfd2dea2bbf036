// Helpers for the proxy's network tests: a `ws` client that records everything, BOLT-8-shaped
// byte strings, and dummy TCP servers with scripted behaviour.
import { createServer, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { WebSocket, type ClientOptions } from 'ws';
import { concatBytes } from '../../src/util/bytes.js';

export interface CloseEvent {
  code: number;
  reason: string;
}

export interface TestClient {
  readonly ws: WebSocket;
  /** Settles with the close code and reason (1006 when the connection dropped without a frame). */
  readonly closed: Promise<CloseEvent>;
  send(data: Uint8Array | string): void;
  /** Resolves with the first `n` bytes received so far or later (binary messages concatenated). */
  bytes(n: number): Promise<Uint8Array>;
  /** Number of binary messages received. */
  readonly messages: number;
  /** Text messages received (the proxy never sends any). */
  readonly texts: string[];
}

export function connectClient(url: string, protocols?: string[], options?: ClientOptions): Promise<TestClient> {
  const ws = new WebSocket(url, protocols ?? [], options);
  // Chunks are joined only when a caller asks, so large transfers stay linear.
  const chunks: Uint8Array[] = [];
  let length = 0;
  let messages = 0;
  const texts: string[] = [];
  let waiters: { n: number; resolve: (b: Uint8Array) => void }[] = [];
  const prefix = (n: number): Uint8Array => {
    const joined = concatBytes(...chunks);
    chunks.splice(0, chunks.length, joined);
    return joined.slice(0, n);
  };
  ws.on('message', (data: Buffer, isBinary: boolean) => {
    if (!isBinary) return void texts.push(data.toString());
    messages++;
    chunks.push(new Uint8Array(data));
    length += data.length;
    waiters = waiters.filter((w) => (length >= w.n ? (w.resolve(prefix(w.n)), false) : true));
  });
  const closed = new Promise<CloseEvent>((resolve) => ws.on('close', (code, reason) => resolve({ code, reason: reason.toString() })));
  return new Promise((resolve, reject) => {
    ws.once('error', reject);
    ws.once('open', () => {
      ws.removeListener('error', reject);
      ws.on('error', () => undefined); // a later error is always followed by 'close', which tests await
      resolve({
        ws,
        closed,
        send: (d) => ws.send(d),
        bytes: (n) => (length >= n ? Promise.resolve(prefix(n)) : new Promise((r) => waiters.push({ n, resolve: r }))),
        get messages() {
          return messages;
        },
        texts,
      });
    });
  });
}

/** 50 bytes shaped like act one / act two: version 0, point prefix, then filler. */
export function actShaped(prefix = 0x02, fill = 0x11): Uint8Array {
  const b = new Uint8Array(50).fill(fill);
  b[0] = 0;
  b[1] = prefix;
  return b;
}

/** 66 bytes shaped like act three. */
export function actThreeShaped(): Uint8Array {
  const b = new Uint8Array(66).fill(0x33);
  b[0] = 0;
  return b;
}

export type DummyBehaviour =
  /** Answers 50 act-two-shaped bytes after act one, then echoes everything after act three. */
  | 'lightning'
  /** Like 'lightning' without the echo: only counts what it receives. */
  | 'lightning-sink'
  /** Speaks first, like SSH or SMTP. */
  | 'banner'
  /** Accepts and says nothing. */
  | 'silent'
  /** Closes as soon as it receives anything. */
  | 'hangup'
  /** Answers 50 bytes with version 1. */
  | 'bad-act-two';

export interface DummyPeer {
  readonly port: number;
  /** Connections accepted so far. */
  readonly connections: number;
  /** Chunks received over all connections (the first MiB; `receivedBytes` counts all). */
  readonly received: Uint8Array[];
  readonly receivedBytes: number;
  /** The server side of the most recent connection. */
  lastSocket(): Socket | undefined;
  /** Ends every open connection from the server side. */
  endAll(): void;
  close(): Promise<void>;
}

export async function startDummyPeer(behaviour: DummyBehaviour): Promise<DummyPeer> {
  const sockets = new Set<Socket>();
  const received: Uint8Array[] = [];
  let receivedBytes = 0;
  let last: Socket | undefined;
  let connections = 0;
  const server: Server = createServer((s) => {
    connections++;
    last = s;
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
    s.on('error', () => s.destroy());
    if (behaviour === 'banner') s.write('SSH-2.0-OpenSSH_9.2p1 Debian-2\r\n');
    let seen = 0;
    s.on('data', (d: Buffer) => {
      if (receivedBytes < 1 << 20) received.push(new Uint8Array(d));
      receivedBytes += d.length;
      const before = seen;
      seen += d.length;
      if (behaviour === 'hangup') return void s.destroy();
      if (behaviour === 'lightning' || behaviour === 'lightning-sink') {
        if (before < 50 && seen >= 50) s.write(actShaped(0x03, 0x22));
        if (behaviour === 'lightning-sink') return;
        // echo everything after act one + act three
        const start = Math.max(0, 116 - before);
        if (start < d.length) s.write(d.subarray(start));
      }
      if (behaviour === 'bad-act-two' && before < 50 && seen >= 50) {
        const b = actShaped(0x02);
        b[0] = 1;
        s.write(b);
      }
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    port: (server.address() as AddressInfo).port,
    get connections() {
      return connections;
    },
    received,
    get receivedBytes() {
      return receivedBytes;
    },
    lastSocket: () => last,
    endAll: () => sockets.forEach((s) => s.end()),
    close: () =>
      new Promise<void>((r) => {
        sockets.forEach((s) => s.destroy());
        server.close(() => r());
      }),
  };
}

/** A port nothing listens on (bound, then released). */
export async function closedPort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as AddressInfo).port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}
