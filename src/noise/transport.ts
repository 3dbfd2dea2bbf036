// The established BOLT 8 transport: message framing on the sending side and a frame reader on
// the receiving side. A frame is: encrypted 2-byte big-endian length (18 bytes with its tag),
// then the encrypted body (length + 16 bytes). Both directions rotate keys independently.
import { ByteQueue } from './byte-queue.js';
import { CipherState } from './cipher-state.js';
import { NoiseError } from './errors.js';
import type { Bytes } from '../util/bytes.js';

export const MAX_MESSAGE_LENGTH = 65535;
export const TAG_LENGTH = 16;
export const HEADER_LENGTH = 2 + TAG_LENGTH;
/** The largest complete frame on the wire. */
export const MAX_FRAME_LENGTH = HEADER_LENGTH + MAX_MESSAGE_LENGTH + TAG_LENGTH;
/** Default cap on bytes held by a reader between pulls: a frame in progress plus a large chunk. */
export const DEFAULT_MAX_BUFFERED = 2 * 1024 * 1024;

export class MessageEncryptor {
  private readonly cs: CipherState;
  constructor(sk: Bytes, ck: Bytes) {
    this.cs = new CipherState(sk, ck);
  }

  /** Encrypts one Lightning message (≤ 65535 bytes) into one wire frame. */
  encrypt(message: Bytes): Bytes {
    if (message.length > MAX_MESSAGE_LENGTH) {
      throw new NoiseError('MESSAGE_TOO_LONG', `message of ${message.length} bytes exceeds ${MAX_MESSAGE_LENGTH}`);
    }
    const len = new Uint8Array([message.length >>> 8, message.length & 0xff]);
    const lc = this.cs.encrypt(len);
    const c = this.cs.encrypt(message);
    const frame = new Uint8Array(lc.length + c.length);
    frame.set(lc, 0);
    frame.set(c, lc.length);
    return frame;
  }
}

export interface FrameReaderOptions {
  /** Upper bound on buffered, not yet decrypted bytes; exceeding it is BUFFER_OVERFLOW. */
  maxBuffered?: number;
}

/**
 * Reassembles and decrypts frames from arbitrary chunks. Push chunks, then pull messages with
 * `next()` until it returns null. Any authentication failure is fatal: the reader stays failed
 * and rethrows the same error, because the nonces on both sides can no longer agree.
 */
export class FrameReader {
  private readonly cs: CipherState;
  private readonly queue = new ByteQueue();
  private readonly maxBuffered: number;
  private bodyLength = -1; // -1 while waiting for a header
  private failure: NoiseError | undefined;

  constructor(rk: Bytes, ck: Bytes, opts: FrameReaderOptions = {}) {
    this.cs = new CipherState(rk, ck);
    this.maxBuffered = Math.max(opts.maxBuffered ?? DEFAULT_MAX_BUFFERED, MAX_FRAME_LENGTH);
  }

  /** Bytes received but not yet returned as messages. */
  get buffered(): number {
    return this.queue.length;
  }

  /** True when no partial frame is pending (a clean place for the stream to end). */
  get atBoundary(): boolean {
    return this.bodyLength < 0 && this.queue.length === 0;
  }

  push(chunk: Bytes): void {
    if (this.failure) throw this.failure;
    if (this.queue.length + chunk.length > this.maxBuffered) {
      this.failure = new NoiseError('BUFFER_OVERFLOW', `more than ${this.maxBuffered} undelivered bytes buffered`);
      this.queue.clear();
      throw this.failure;
    }
    this.queue.push(chunk);
  }

  /** The next complete message, or null when more bytes are needed. */
  next(): Bytes | null {
    if (this.failure) throw this.failure;
    if (this.bodyLength < 0) {
      const header = this.queue.take(HEADER_LENGTH);
      if (header === null) return null;
      const len = this.cs.decrypt(header);
      if (len === null) throw this.fatal('BAD_MAC', 'bad MAC on a message length header');
      this.bodyLength = (len[0]! << 8) | len[1]!;
    }
    const body = this.queue.take(this.bodyLength + TAG_LENGTH);
    if (body === null) return null;
    this.bodyLength = -1;
    const message = this.cs.decrypt(body);
    if (message === null) throw this.fatal('BAD_MAC', 'bad MAC on a message body');
    return message;
  }

  /** The stream ended: fails with TRUNCATED if a frame was cut off. */
  end(): void {
    if (this.failure) throw this.failure;
    if (!this.atBoundary) throw this.fatal('TRUNCATED', 'stream ended inside a frame');
  }

  private fatal(code: 'BAD_MAC' | 'TRUNCATED', message: string): NoiseError {
    this.failure = new NoiseError(code, message);
    this.queue.clear();
    return this.failure;
  }
}
