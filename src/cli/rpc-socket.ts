// The daemon's JSON-RPC unix socket with Core Lightning's framing, so `lightning-cli
// --rpc-file=DIR/lightning-rpc` and pyln-client work unchanged: requests are JSON objects on a
// stream, every response is one JSON object followed by "\n\n", requests on one connection may be
// answered out of order (each carries its id), and notifications are JSON-RPC objects without id.
import { createServer, type Server, type Socket } from 'node:net';
import { chmodSync, existsSync, unlinkSync } from 'node:fs';
import { JsonStreamSplitter } from './json-stream.js';

export interface RpcConnection {
  /** Sends a notification object (only after the client enabled them). */
  notify(obj: string): void;
  notificationsEnabled: boolean;
}

/** Handles one request text; returns the complete response text (without the trailing blank line). */
export type RpcTextHandler = (requestText: string, conn: RpcConnection) => Promise<string | null>;

export interface RpcSocketServer {
  readonly path: string;
  close(): Promise<void>;
  /** Sends a notification to every connection that enabled notifications. */
  broadcast(text: string): void;
}

export async function startRpcSocket(path: string, handler: RpcTextHandler): Promise<RpcSocketServer> {
  // A stale socket file from a killed daemon would make listen() fail with EADDRINUSE.
  if (existsSync(path)) unlinkSync(path);
  const conns = new Set<RpcConnection>();
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    const splitter = new JsonStreamSplitter();
    const conn: RpcConnection = {
      notificationsEnabled: false,
      notify(text: string) {
        if (conn.notificationsEnabled && !socket.destroyed) socket.write(`${text}\n\n`);
      },
    };
    conns.add(conn);
    socket.on('data', (chunk: Buffer) => {
      let texts: string[];
      try {
        texts = splitter.push(chunk);
      } catch (e) {
        const msg = e instanceof Error ? e.message : String(e);
        socket.end(`${JSON.stringify({ jsonrpc: '2.0', id: null, error: { code: -32700, message: `Parse error: ${msg}` } })}\n\n`);
        return;
      }
      for (const text of texts) {
        void handler(text, conn).then(
          (reply) => {
            if (reply !== null && !socket.destroyed) socket.write(`${reply}\n\n`);
          },
          (e: unknown) => {
            const msg = e instanceof Error ? e.message : String(e);
            if (!socket.destroyed) socket.write(`${JSON.stringify({ jsonrpc: '2.0', id: null, error: { code: -1, message: msg } })}\n\n`);
          },
        );
      }
    });
    socket.on('error', () => socket.destroy());
    socket.on('close', () => {
      conns.delete(conn);
      sockets.delete(socket);
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(path, () => resolve());
  });
  // Same policy as lightningd: only the owner may talk to the node.
  chmodSync(path, 0o600);
  return {
    path,
    broadcast(text) {
      for (const c of conns) c.notify(text);
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
