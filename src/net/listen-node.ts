// Node listeners for the daemon: raw TCP (the usual 9735) and WebSocket, the latter behaving like
// Core Lightning's `bind-addr=ws:`: any path, no subprotocol, no compression, binary frames
// appended to the stream, other frames dropped. Both hand each accepted connection over as a
// ByteStream; bind to port 0 to let the OS choose, and read the bound port back.
import { createServer, type Server, type Socket } from 'node:net';
import { WebSocketServer } from 'ws';
import { formatHostPort } from './address.js';
import type { ByteStream } from './byte-stream.js';
import { NetError } from './errors.js';
import { TcpStream } from './tcp-node.js';
import { DEFAULT_MAX_PAYLOAD, NodeWsStream } from './ws-node.js';

export interface ListenOptions {
  /** Default 127.0.0.1. */
  host?: string;
  /** Default 0: any free port (see `Listener.port`). */
  port?: number;
  highWaterMark?: number;
  /** WebSocket only: largest inbound message. */
  maxPayload?: number;
}

export interface Listener {
  readonly kind: 'tcp' | 'websocket';
  readonly host: string;
  /** The port actually bound. */
  readonly port: number;
  /** Stops accepting and closes the connections this listener accepted that are still open. */
  close(): Promise<void>;
}

function boundPort(server: Server): number {
  const a = server.address();
  if (a === null || typeof a === 'string') throw new NetError('LISTEN_FAILED', 'listener has no TCP address');
  return a.port;
}

export function listenTcp(opts: ListenOptions, onStream: (s: ByteStream) => void): Promise<Listener> {
  const host = opts.host ?? '127.0.0.1';
  const open = new Set<TcpStream>();
  const server = createServer((socket: Socket) => {
    const s = new TcpStream(socket, opts.highWaterMark);
    open.add(s);
    s.on('close', () => open.delete(s));
    onStream(s);
  });
  return new Promise((resolve, reject) => {
    server.once('error', (e) => reject(new NetError('LISTEN_FAILED', `cannot listen on ${formatHostPort({ host, port: opts.port ?? 0 })}: ${e.message}`)));
    server.listen(opts.port ?? 0, host, () => {
      const port = boundPort(server);
      resolve({
        kind: 'tcp',
        host,
        port,
        close: () =>
          new Promise<void>((done) => {
            for (const s of open) s.close();
            server.close(() => done());
          }),
      });
    });
  });
}

export function listenWebSocket(opts: ListenOptions, onStream: (s: ByteStream) => void): Promise<Listener> {
  const host = opts.host ?? '127.0.0.1';
  const open = new Set<NodeWsStream>();
  return new Promise((resolve, reject) => {
    const wss = new WebSocketServer({
      host,
      port: opts.port ?? 0,
      perMessageDeflate: false,
      maxPayload: opts.maxPayload ?? DEFAULT_MAX_PAYLOAD,
      // Like Core Lightning: never select a subprotocol, whatever the client offers.
      handleProtocols: () => false,
      clientTracking: false,
    });
    wss.once('error', (e) => reject(new NetError('LISTEN_FAILED', `cannot listen on ${formatHostPort({ host, port: opts.port ?? 0 })}: ${e.message}`)));
    wss.on('connection', (ws, req) => {
      const remote = formatHostPort({ host: req.socket.remoteAddress ?? '?', port: req.socket.remotePort ?? 0 });
      const s = new NodeWsStream(ws, remote, opts.highWaterMark);
      open.add(s);
      s.on('close', () => open.delete(s));
      onStream(s);
    });
    wss.once('listening', () => {
      const a = wss.address();
      const port = a === null || typeof a === 'string' ? 0 : a.port;
      resolve({
        kind: 'websocket',
        host,
        port,
        close: () =>
          new Promise<void>((done) => {
            for (const s of open) s.close(1001, 'server shutting down');
            wss.close(() => done());
          }),
      });
    });
  });
}
