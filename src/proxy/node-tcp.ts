// Node implementations of the relay's Dialer (node:net) and Resolver (node:dns).
import { lookup } from 'node:dns/promises';
import { connect, type Socket } from 'node:net';
import type { Dialer, Resolver, TcpStream } from './types.js';

/** Above this many unread bytes the socket is paused, so a slow client slows the peer. */
const READ_BUFFER = 64 * 1024;

class NodeTcpStream implements TcpStream {
  private readonly queue: Uint8Array[] = [];
  private queued = 0;
  private ended = false;
  private error: Error | undefined;
  private waiter: (() => void) | undefined;

  constructor(private readonly socket: Socket) {
    socket.on('data', (b: Buffer) => {
      this.queue.push(b);
      this.queued += b.length;
      if (this.queued >= READ_BUFFER) socket.pause();
      this.wake();
    });
    socket.on('end', () => {
      this.ended = true;
      this.wake();
    });
    socket.on('error', (e) => {
      this.error = e;
      this.wake();
    });
    socket.on('close', () => {
      this.ended = true;
      this.wake();
    });
  }

  private wake(): void {
    const w = this.waiter;
    this.waiter = undefined;
    w?.();
  }

  async read(): Promise<Uint8Array | null> {
    for (;;) {
      const chunk = this.queue.shift();
      if (chunk) {
        this.queued -= chunk.length;
        if (this.queued < READ_BUFFER && this.socket.isPaused()) this.socket.resume();
        return chunk;
      }
      if (this.error) throw this.error;
      if (this.ended) return null;
      await new Promise<void>((r) => (this.waiter = r));
    }
  }

  write(data: Uint8Array): Promise<void> {
    return new Promise((resolve, reject) => {
      if (this.socket.destroyed) return reject(new Error('socket closed'));
      this.socket.write(data, (err) => (err ? reject(err) : resolve()));
    });
  }

  close(): void {
    this.socket.destroy();
  }
}

export const nodeDialer: Dialer = {
  connect(ip, port, signal) {
    return new Promise((resolve, reject) => {
      if (signal.aborted) return reject(new Error('aborted'));
      const socket = connect({ host: ip, port, noDelay: true });
      const onAbort = (): void => {
        socket.destroy();
        reject(new Error('aborted'));
      };
      signal.addEventListener('abort', onAbort, { once: true });
      socket.once('connect', () => {
        signal.removeEventListener('abort', onAbort);
        socket.removeListener('error', reject);
        resolve(new NodeTcpStream(socket));
      });
      socket.once('error', reject);
    });
  },
};

/**
 * getaddrinfo through dns.lookup (what Node's own connect would use, /etc/hosts included), all
 * addresses in the resolver's order. Node cannot cancel a lookup; an abort only stops waiting.
 */
export const nodeResolver: Resolver = {
  async resolve(host, signal) {
    const aborted = new Promise<never>((_, reject) => {
      if (signal.aborted) reject(new Error('aborted'));
      signal.addEventListener('abort', () => reject(new Error('aborted')), { once: true });
    });
    aborted.catch(() => undefined); // only observed through the race below
    const found = await Promise.race([lookup(host, { all: true, verbatim: true }), aborted]);
    return found.map((a) => a.address);
  },
};
