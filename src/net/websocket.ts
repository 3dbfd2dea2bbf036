// ByteStream over the WHATWG WebSocket API (browsers, workers, Deno, Cloudflare, Node ≥ 22, or
// any compatible constructor such as the `ws` package's). Rules from spec/websocket-transport.md:
// binaryType 'arraybuffer'; inbound binary messages are stream bytes, text messages are
// diagnostics only; one binary message per write; no subprotocol unless configured; the browser
// API has no drain event, so bufferedAmount is polled while a writer waits.
import { BaseByteStream } from './byte-stream.js';
import { NetError } from './errors.js';
import type { Bytes } from '../util/bytes.js';

/** The subset of the WebSocket interface we use. */
export interface WebSocketLike {
  binaryType: string;
  readonly bufferedAmount: number;
  readonly readyState: number;
  readonly protocol: string;
  onopen: ((ev: unknown) => void) | null;
  onmessage: ((ev: { data: unknown }) => void) | null;
  onclose: ((ev: { code: number; reason: string; wasClean?: boolean }) => void) | null;
  onerror: ((ev: unknown) => void) | null;
  send(data: ArrayBufferView | ArrayBuffer): void;
  close(code?: number, reason?: string): void;
}
export type WebSocketConstructor = new (url: string, protocols?: string | string[]) => WebSocketLike;

export interface WebSocketDialOptions {
  /** Subprotocols to offer; none by default (websockify accepts only "binary", and only first). */
  protocols?: string[];
  highWaterMark?: number;
  /** Time allowed for the HTTP upgrade; a proxy may accept before it reached the peer. */
  timeoutMs?: number;
  signal?: AbortSignal;
  /** Defaults to globalThis.WebSocket. */
  WebSocket?: WebSocketConstructor;
  /** Poll period while waiting for bufferedAmount to fall (ms). */
  drainPollMs?: number;
}

const OPEN = 1;
const DEFAULT_TIMEOUT_MS = 15_000;

function isArrayBuffer(v: unknown): v is ArrayBuffer {
  return v instanceof ArrayBuffer || Object.prototype.toString.call(v) === '[object ArrayBuffer]';
}

function describeText(data: string): string {
  const text = data.length > 200 ? `${data.slice(0, 200)}…` : data;
  return `text frame ignored: ${JSON.stringify(text)}`;
}

/** Application close codes a browser accepts in close(). */
function validCloseCode(code: number | undefined): number {
  return code !== undefined && (code === 1000 || (code >= 3000 && code <= 4999)) ? code : 1000;
}

export class WebSocketStream extends BaseByteStream {
  readonly kind = 'websocket' as const;
  private pollTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly ws: WebSocketLike,
    readonly remote: string,
    highWaterMark: number | undefined,
    private readonly drainPollMs = 10,
  ) {
    super(highWaterMark);
    ws.onmessage = (ev) => {
      const data = ev.data;
      if (isArrayBuffer(data)) this.received(new Uint8Array(data));
      else if (ArrayBuffer.isView(data)) this.received(new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
      else if (typeof data === 'string') this.diagnostic(describeText(data));
      else this.diagnostic('non-binary message ignored');
    };
    ws.onclose = (ev) => {
      const reason = ev.reason || (ev.code === 1006 ? 'connection lost' : `closed with code ${ev.code}`);
      this.remoteClosed({ code: ev.code, reason });
    };
    ws.onerror = () => {
      // The browser tells nothing more; the close event that follows carries the code.
      this.diagnostic('websocket error');
    };
  }

  /** The negotiated subprotocol ('' when none). */
  get protocol(): string {
    return this.ws.protocol;
  }

  get bufferedAmount(): number {
    return this.ws.bufferedAmount;
  }

  protected send(chunk: Bytes): void {
    this.ws.send(chunk);
  }

  protected shutdown(code: number | undefined, reason: string): void {
    if (this.pollTimer !== undefined) clearTimeout(this.pollTimer);
    this.ws.onmessage = null;
    this.ws.onclose = null;
    this.ws.onerror = () => undefined; // late errors of a socket we closed are expected
    try {
      this.ws.close(validCloseCode(code), reason.slice(0, 120));
    } catch {
      // close() only throws for invalid codes/reasons, which validCloseCode/slice rule out;
      // there is nothing else to release.
    }
  }

  protected watchDrain(): void {
    const check = () => {
      this.pollTimer = undefined;
      if (this.closed) return;
      if (this.ws.bufferedAmount <= this.lowWaterMark) this.drained();
      else this.pollTimer = setTimeout(check, this.drainPollMs);
    };
    this.pollTimer = setTimeout(check, this.drainPollMs);
  }

  protected closedError(): NetError {
    return new NetError('CLOSED', 'write on a closed WebSocket stream');
  }
}

/** Opens a WebSocket and resolves once it is open (that is not yet "connected" to a peer). */
export function dialWebSocket(url: string, opts: WebSocketDialOptions = {}): Promise<WebSocketStream> {
  const Ctor = opts.WebSocket ?? (globalThis as { WebSocket?: WebSocketConstructor }).WebSocket;
  if (!Ctor) return Promise.reject(new NetError('UNSUPPORTED', 'no WebSocket implementation in this runtime'));
  if (opts.signal?.aborted) return Promise.reject(new NetError('ABORTED', 'dial aborted'));
  return new Promise((resolve, reject) => {
    let ws: WebSocketLike;
    try {
      ws = opts.protocols && opts.protocols.length > 0 ? new Ctor(url, opts.protocols) : new Ctor(url);
    } catch (e) {
      reject(new NetError('BAD_ADDRESS', `cannot open WebSocket to ${url}: ${e instanceof Error ? e.message : String(e)}`));
      return;
    }
    ws.binaryType = 'arraybuffer';
    let settled = false;
    const finish = (err: NetError | null) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      opts.signal?.removeEventListener('abort', onAbort);
      if (err) {
        ws.onopen = ws.onclose = ws.onmessage = null;
        // Keep an error handler: closing a CONNECTING socket reports an error (Node's `ws`
        // throws one when nobody listens).
        ws.onerror = () => undefined;
        try {
          ws.close();
        } catch {
          // Closing a socket that never opened may throw in some implementations; it is gone anyway.
        }
        reject(err);
      } else {
        ws.onopen = null;
        resolve(new WebSocketStream(ws, url, opts.highWaterMark, opts.drainPollMs));
      }
    };
    const onAbort = () => finish(new NetError('ABORTED', 'dial aborted'));
    const timer = setTimeout(
      () => finish(new NetError('CONNECT_TIMEOUT', `WebSocket to ${url} did not open in ${opts.timeoutMs ?? DEFAULT_TIMEOUT_MS} ms`)),
      opts.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    );
    opts.signal?.addEventListener('abort', onAbort);
    ws.onopen = () => (ws.readyState === OPEN ? finish(null) : undefined);
    ws.onerror = () => finish(new NetError('CONNECT_FAILED', `WebSocket to ${url} failed to open`));
    ws.onclose = (ev) => finish(new NetError('CONNECT_FAILED', `WebSocket to ${url} closed before opening (code ${ev.code}${ev.reason ? `: ${ev.reason}` : ''})`));
  });
}
