// The byte-stream contract every transport implements (browser WebSocket, `ws`, node:net, and
// later cloudflare:sockets / Deno). BOLT 8 runs on top and needs only: ordered bytes in, whole
// chunks out (one chunk = one WebSocket binary message, never fragmented), a close with a
// reason, and backpressure (bufferedAmount against a high-water mark, then 'drain').
import { Emitter } from './emitter.js';
import type { LightningError } from '../errors.js';
import type { Bytes } from '../util/bytes.js';

export interface CloseInfo {
  /** WebSocket close code when there was one (1000, 1006, ...). */
  code?: number;
  reason: string;
  /** True when we closed it; false when the remote side or the network did. */
  local: boolean;
  /** Set when the stream failed rather than closed normally. */
  error?: LightningError;
}

export type ByteStreamEvents = {
  data: [chunk: Bytes];
  close: [info: CloseInfo];
  /** bufferedAmount fell back to or below the low-water mark after write() returned false. */
  drain: [];
  /** Things worth logging that are not stream bytes (e.g. a text frame from a proxy). */
  diagnostic: [message: string];
};

export type StreamKind = 'websocket' | 'tcp' | 'memory';

export interface ByteStream {
  readonly kind: StreamKind;
  /** Human-readable remote end: "host:port" for TCP, the URL for WebSocket. */
  readonly remote: string;
  /** Bytes accepted by write() and not yet handed to the OS/network. */
  readonly bufferedAmount: number;
  readonly highWaterMark: number;
  readonly closed: boolean;
  /**
   * Sends one chunk (one binary WebSocket message). Returns false when bufferedAmount is above
   * the high-water mark afterwards: wait for 'drain' before writing more. Throws CLOSED after close.
   */
  write(chunk: Bytes): boolean;
  /** Closes the stream; 'close' fires once (with local = true unless the remote closed first). */
  close(code?: number, reason?: string): void;
  on<E extends keyof ByteStreamEvents>(event: E, fn: (...args: ByteStreamEvents[E]) => void): () => void;
  off<E extends keyof ByteStreamEvents>(event: E, fn: (...args: ByteStreamEvents[E]) => void): void;
}

export const DEFAULT_HIGH_WATER_MARK = 256 * 1024;
/** Received bytes held for a consumer that has not subscribed yet; beyond this the stream fails. */
export const MAX_HELD_BYTES = 4 * 1024 * 1024;
const MAX_HELD_DIAGNOSTICS = 16;

/**
 * Shared plumbing: the emitter, the single 'close', and holding received data until the first
 * 'data' listener subscribes (a stream handed over by a listener or a dial may produce bytes
 * before its consumer has attached).
 */
export abstract class BaseByteStream implements ByteStream {
  abstract readonly kind: StreamKind;
  abstract readonly remote: string;
  abstract readonly bufferedAmount: number;
  readonly highWaterMark: number;
  private readonly events = new Emitter<ByteStreamEvents>();
  private held: Bytes[] = [];
  private heldDiagnostics: string[] = [];
  private heldBytes = 0;
  private closeInfo: CloseInfo | undefined;
  private closeDelivered = false;
  private waitingForDrain = false;

  constructor(highWaterMark = DEFAULT_HIGH_WATER_MARK) {
    this.highWaterMark = highWaterMark;
  }

  /** 'drain' fires at or below half the high-water mark, so writers resume with headroom. */
  get lowWaterMark(): number {
    return Math.floor(this.highWaterMark / 2);
  }

  get closed(): boolean {
    return this.closeInfo !== undefined;
  }

  on<E extends keyof ByteStreamEvents>(event: E, fn: (...args: ByteStreamEvents[E]) => void): () => void {
    const off = this.events.on(event, fn);
    if (event === 'data' && this.held.length > 0) queueMicrotask(() => this.flushHeld());
    if (event === 'diagnostic' && this.heldDiagnostics.length > 0) {
      queueMicrotask(() => {
        const pending = this.heldDiagnostics.splice(0);
        for (const d of pending) this.events.emit('diagnostic', d);
      });
    }
    if (event === 'close' && this.closeInfo && this.held.length === 0) queueMicrotask(() => this.deliverClose());
    return off;
  }

  off<E extends keyof ByteStreamEvents>(event: E, fn: (...args: ByteStreamEvents[E]) => void): void {
    this.events.off(event, fn);
  }

  write(chunk: Bytes): boolean {
    if (this.closeInfo) throw this.closedError();
    if (chunk.length > 0) this.send(chunk);
    const ok = this.bufferedAmount <= this.highWaterMark;
    if (!ok && !this.waitingForDrain) {
      this.waitingForDrain = true;
      this.watchDrain();
    }
    return ok;
  }

  close(code?: number, reason = 'closed locally'): void {
    if (this.closeInfo) return;
    this.closeInfo = { reason, local: true, ...(code !== undefined ? { code } : {}) };
    this.held = []; // we stopped reading: undelivered bytes are dropped
    this.heldBytes = 0;
    this.shutdown(code, reason);
    this.deliverClose();
  }

  /** Implementations: transmit one chunk (never fragmented). */
  protected abstract send(chunk: Bytes): void;
  /** Implementations: release the socket. Called once. */
  protected abstract shutdown(code: number | undefined, reason: string): void;
  /** Implementations: arrange for `drained()` once bufferedAmount ≤ lowWaterMark. */
  protected abstract watchDrain(): void;
  /** Implementations: the error thrown by write() after close. */
  protected abstract closedError(): LightningError;

  protected received(chunk: Bytes): void {
    if (this.closeInfo && this.closeInfo.local) return; // we are done reading
    if (this.events.listenerCount('data') === 0 || this.held.length > 0) {
      this.held.push(chunk);
      this.heldBytes += chunk.length;
      if (this.heldBytes > MAX_HELD_BYTES) this.close(1011, 'consumer is not reading');
      return;
    }
    this.events.emit('data', chunk);
  }

  protected drained(): void {
    if (!this.waitingForDrain || this.closeInfo) return;
    this.waitingForDrain = false;
    this.events.emit('drain');
  }

  protected diagnostic(message: string): void {
    if (this.events.listenerCount('diagnostic') > 0) {
      this.events.emit('diagnostic', message);
    } else if (this.heldDiagnostics.length < MAX_HELD_DIAGNOSTICS) {
      // e.g. a proxy's text frame explaining a failed dial, sent before anyone subscribed
      this.heldDiagnostics.push(message);
    }
  }

  /** The remote end or the network closed the stream. */
  protected remoteClosed(info: Omit<CloseInfo, 'local'>): void {
    if (this.closeInfo) return;
    this.closeInfo = { ...info, local: false };
    this.shutdown(undefined, info.reason);
    this.deliverClose();
  }

  private flushHeld(): void {
    while (this.held.length > 0 && this.events.listenerCount('data') > 0) {
      const chunk = this.held.shift()!;
      this.heldBytes -= chunk.length;
      this.events.emit('data', chunk);
    }
    if (this.held.length === 0) this.deliverClose();
  }

  private deliverClose(): void {
    // Held data goes first so a consumer sees every byte that arrived before the close.
    if (!this.closeInfo || this.closeDelivered || this.held.length > 0) return;
    if (this.events.listenerCount('close') === 0) return;
    this.closeDelivered = true;
    this.events.emit('close', this.closeInfo);
  }
}
