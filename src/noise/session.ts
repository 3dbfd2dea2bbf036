// A BOLT 8 connection as a sans-IO state machine: feed it received chunks, pull outputs (bytes to
// write during the handshake, "authenticated", decrypted messages), and encrypt outgoing
// messages. No sockets or timers: the peer layer owns those. Every session makes its own
// ephemeral key and read state, so a reconnect never reuses either.
import { ByteQueue } from './byte-queue.js';
import { NoiseError } from './errors.js';
import {
  ACT_ONE_LENGTH,
  ACT_THREE_LENGTH,
  ACT_TWO_LENGTH,
  InitiatorHandshake,
  ResponderHandshake,
  type HandshakeResult,
  type InitiatorOptions,
  type ResponderOptions,
} from './handshake.js';
import { DEFAULT_MAX_BUFFERED, FrameReader, MessageEncryptor, type FrameReaderOptions } from './transport.js';
import type { Bytes } from '../util/bytes.js';

export type NoiseOutput =
  /** Handshake bytes to write to the stream (act two for a responder, act three for an initiator). */
  | { type: 'send'; data: Bytes }
  /** The handshake completed and the peer proved its static key. */
  | { type: 'handshake'; remoteStatic: Bytes }
  /** One decrypted Lightning message. */
  | { type: 'message'; data: Bytes };

export type NoiseState = 'start' | 'act1' | 'act2' | 'act3' | 'transport' | 'failed';

export class NoiseSession {
  private state_: NoiseState;
  private readonly pending: NoiseOutput[] = [];
  private readonly queue = new ByteQueue();
  private readonly maxBuffered: number;
  private encryptor: MessageEncryptor | undefined;
  private reader: FrameReader | undefined;
  private remote: Bytes | undefined;
  private failure: NoiseError | undefined;

  private constructor(
    readonly role: 'initiator' | 'responder',
    private readonly initiator: InitiatorHandshake | undefined,
    private readonly responder: ResponderHandshake | undefined,
    private readonly readerOptions: FrameReaderOptions,
  ) {
    this.state_ = role === 'initiator' ? 'start' : 'act1';
    this.maxBuffered = readerOptions.maxBuffered ?? DEFAULT_MAX_BUFFERED;
  }

  static initiator(opts: InitiatorOptions & FrameReaderOptions): NoiseSession {
    return new NoiseSession('initiator', new InitiatorHandshake(opts), undefined, opts);
  }

  static responder(opts: ResponderOptions & FrameReaderOptions): NoiseSession {
    return new NoiseSession('responder', undefined, new ResponderHandshake(opts), opts);
  }

  get state(): NoiseState {
    return this.state_;
  }

  /** The peer's static key once the handshake has completed. */
  get remoteStatic(): Bytes | undefined {
    return this.remote;
  }

  /** Initiator: act one, to be written first. Responder: nothing to send yet (null). */
  start(): Bytes | null {
    if (this.role === 'responder') return null;
    if (this.state_ !== 'start' || !this.initiator) throw new NoiseError('BAD_STATE', 'session already started');
    const act = this.guard(() => this.initiator!.actOne());
    this.state_ = 'act2';
    return act;
  }

  /** Adds received bytes; call `next()` afterwards until it returns null. */
  push(chunk: Bytes): void {
    if (this.failure) throw this.failure;
    if (this.reader) {
      this.guard(() => this.reader!.push(chunk));
      return;
    }
    if (this.queue.length + chunk.length > this.maxBuffered) {
      throw this.fail(new NoiseError('BUFFER_OVERFLOW', 'too many bytes received during the handshake'));
    }
    this.queue.push(chunk);
  }

  next(): NoiseOutput | null {
    if (this.failure) throw this.failure;
    const queued = this.pending.shift();
    if (queued) return queued;
    return this.guard(() => this.step());
  }

  /** Encrypts one outgoing message into a frame; only after the handshake. */
  encrypt(message: Bytes): Bytes {
    if (this.failure) throw this.failure;
    if (!this.encryptor) throw new NoiseError('BAD_STATE', 'cannot send messages before the handshake completes');
    // MESSAGE_TOO_LONG is the caller's mistake and leaves the session usable.
    return this.encryptor.encrypt(message);
  }

  /** The stream ended. Throws the spec's READ_FAILED for a cut-off act, TRUNCATED mid-frame. */
  end(): void {
    if (this.failure) throw this.failure;
    switch (this.state_) {
      case 'act1':
        throw this.fail(new NoiseError('ACT1_READ_FAILED', `stream ended after ${this.queue.length} of ${ACT_ONE_LENGTH} act one bytes`));
      case 'act2':
        throw this.fail(new NoiseError('ACT2_READ_FAILED', `stream ended after ${this.queue.length} of ${ACT_TWO_LENGTH} act two bytes`));
      case 'act3':
        throw this.fail(new NoiseError('ACT3_READ_FAILED', `stream ended after ${this.queue.length} of ${ACT_THREE_LENGTH} act three bytes`));
      case 'transport':
        this.guard(() => this.reader!.end());
        return;
      default:
        return;
    }
  }

  private step(): NoiseOutput | null {
    switch (this.state_) {
      case 'act1': {
        const act = this.queue.take(ACT_ONE_LENGTH);
        if (!act) return null;
        const actTwo = this.responder!.actOne(act);
        this.state_ = 'act3';
        return { type: 'send', data: actTwo };
      }
      case 'act2': {
        const act = this.queue.take(ACT_TWO_LENGTH);
        if (!act) return null;
        const { actThree, result } = this.initiator!.actTwo(act);
        this.established(result);
        this.pending.push({ type: 'handshake', remoteStatic: result.remoteStatic });
        return { type: 'send', data: actThree };
      }
      case 'act3': {
        const act = this.queue.take(ACT_THREE_LENGTH);
        if (!act) return null;
        const result = this.responder!.actThree(act);
        this.established(result);
        return { type: 'handshake', remoteStatic: result.remoteStatic };
      }
      case 'transport': {
        const m = this.reader!.next();
        return m ? { type: 'message', data: m } : null;
      }
      default:
        return null;
    }
  }

  private established(r: HandshakeResult): void {
    this.remote = r.remoteStatic;
    this.encryptor = new MessageEncryptor(r.sk, r.ck);
    this.reader = new FrameReader(r.rk, r.ck, this.readerOptions);
    this.state_ = 'transport';
    // Bytes that arrived right behind the last act already belong to the transport.
    this.reader.push(this.queue.takeAll());
  }

  private guard<T>(f: () => T): T {
    try {
      return f();
    } catch (e) {
      if (e instanceof NoiseError) throw this.fail(e);
      throw e;
    }
  }

  private fail(e: NoiseError): NoiseError {
    this.failure = e;
    this.state_ = 'failed';
    this.queue.clear();
    return e;
  }
}
