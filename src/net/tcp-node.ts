// ByteStream over node:net TCP (the Node daemon dialing peers directly, and accepted sockets).
import { connect, type Socket } from 'node:net';
import { BaseByteStream } from './byte-stream.js';
import { NetError } from './errors.js';
import { formatHostPort } from './address.js';
import type { Bytes } from '../util/bytes.js';

export interface TcpDialOptions {
  highWaterMark?: number;
  timeoutMs?: number;
  signal?: AbortSignal;
}

const DEFAULT_TIMEOUT_MS = 15_000;

export class TcpStream extends BaseByteStream {
  readonly kind = 'tcp' as const;
  readonly remote: string;

  constructor(
    private readonly socket: Socket,
    highWaterMark?: number,
  ) {
    super(highWaterMark);
    socket.setNoDelay(true);
    this.remote = formatHostPort({ host: socket.remoteAddress ?? '?', port: socket.remotePort ?? 0 });
    socket.on('data', (b: Buffer) => this.received(new Uint8Array(b.buffer, b.byteOffset, b.byteLength)));
    socket.on('drain', () => {
      if (this.bufferedAmount <= this.lowWaterMark) this.drained();
    });
    socket.on('error', (e) => this.remoteClosed({ reason: e.message, error: new NetError('CLOSED', `TCP error: ${e.message}`) }));
    socket.on('end', () => this.remoteClosed({ reason: 'remote closed the connection' }));
    socket.on('close', () => this.remoteClosed({ reason: 'connection closed' }));
  }

  /** The remote address and port as Node reports them (for `netaddr`). */
  get remoteAddress(): { host: string; port: number } | undefined {
    return this.socket.remoteAddress ? { host: this.socket.remoteAddress, port: this.socket.remotePort ?? 0 } : undefined;
  }

  get bufferedAmount(): number {
    return this.socket.writableLength;
  }

  protected send(chunk: Bytes): void {
    this.socket.write(chunk);
  }

  protected shutdown(): void {
    // end() lets queued bytes (e.g. a final warning) go out; destroy soon after regardless.
    this.socket.end();
    const t = setTimeout(() => this.socket.destroy(), 2000);
    t.unref();
    this.socket.once('close', () => clearTimeout(t));
  }

  protected watchDrain(): void {
    // The socket's own 'drain' event re-checks the level (see constructor).
  }

  protected closedError(): NetError {
    return new NetError('CLOSED', 'write on a closed TCP stream');
  }
}

export function dialTcp(host: string, port: number, opts: TcpDialOptions = {}): Promise<TcpStream> {
  if (opts.signal?.aborted) return Promise.reject(new NetError('ABORTED', 'dial aborted'));
  return new Promise((resolve, reject) => {
    const timeoutMs = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    const socket = connect({ host, port });
    let settled = false;
    const finish = (err: NetError | null) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      opts.signal?.removeEventListener('abort', onAbort);
      socket.off('connect', onConnect);
      socket.off('error', onError);
      if (err) {
        socket.destroy();
        reject(err);
      } else {
        resolve(new TcpStream(socket, opts.highWaterMark));
      }
    };
    const onConnect = () => finish(null);
    const onError = (e: Error) => finish(new NetError('CONNECT_FAILED', `TCP connect to ${formatHostPort({ host, port })} failed: ${e.message}`));
    const onAbort = () => finish(new NetError('ABORTED', 'dial aborted'));
    const timer = setTimeout(() => finish(new NetError('CONNECT_TIMEOUT', `TCP connect to ${formatHostPort({ host, port })} timed out after ${timeoutMs} ms`)), timeoutMs);
    opts.signal?.addEventListener('abort', onAbort);
    socket.once('connect', onConnect);
    socket.once('error', onError);
  });
}
