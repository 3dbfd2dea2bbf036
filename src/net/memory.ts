// An in-memory pair of connected ByteStreams for tests and in-process wiring. Chunks are
// delivered asynchronously (like a socket) and one write arrives as one chunk.
import { BaseByteStream } from './byte-stream.js';
import { NetError } from './errors.js';
import type { Bytes } from '../util/bytes.js';

export class MemoryStream extends BaseByteStream {
  readonly kind = 'memory' as const;
  peer: MemoryStream | undefined;
  private inFlight = 0;

  constructor(
    readonly remote: string,
    highWaterMark?: number,
  ) {
    super(highWaterMark);
  }

  get bufferedAmount(): number {
    return this.inFlight;
  }

  protected send(chunk: Bytes): void {
    const copy = chunk.slice();
    const peer = this.peer; // bytes already written still arrive after a local close
    this.inFlight += copy.length;
    setTimeout(() => {
      this.inFlight -= copy.length;
      peer?.deliver(copy);
      if (this.inFlight <= this.lowWaterMark) this.drained();
    }, 0);
  }

  protected shutdown(code: number | undefined, reason: string): void {
    const peer = this.peer;
    this.peer = undefined;
    // Let in-flight chunks land first, as a socket would.
    if (peer) setTimeout(() => peer.remoteEnd(code, reason), 0);
  }

  protected watchDrain(): void {
    // send()'s timers check the level.
  }

  protected closedError(): NetError {
    return new NetError('CLOSED', 'write on a closed memory stream');
  }

  private deliver(chunk: Bytes): void {
    this.received(chunk);
  }

  private remoteEnd(code: number | undefined, reason: string): void {
    this.remoteClosed({ reason, ...(code !== undefined ? { code } : {}) });
  }
}

export function memoryStreamPair(highWaterMark?: number): [MemoryStream, MemoryStream] {
  const a = new MemoryStream('memory:b', highWaterMark);
  const b = new MemoryStream('memory:a', highWaterMark);
  a.peer = b;
  b.peer = a;
  return [a, b];
}
