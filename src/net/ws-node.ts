// ByteStream over the `ws` package (Node), for outbound dials and for sockets accepted by the
// WebSocket listener. `ws` sends the canonical `Upgrade: websocket` / `Connection: Upgrade`
// header casing older Core Lightning releases require (Node's built-in undici WebSocket does
// not). Compression is off: Core Lightning and websockify never negotiate it.
import type { ClientRequest, IncomingMessage } from 'node:http';
import WebSocket from 'ws';
import { BaseByteStream } from './byte-stream.js';
import { NetError } from './errors.js';
import type { Bytes } from '../util/bytes.js';

export interface WsDialOptions {
  protocols?: string[];
  highWaterMark?: number;
  timeoutMs?: number;
  signal?: AbortSignal;
  /** Largest inbound WebSocket message accepted (bounds memory per message). */
  maxPayload?: number;
}

const DEFAULT_TIMEOUT_MS = 15_000;
export const DEFAULT_MAX_PAYLOAD = 1024 * 1024;

function toBytes(data: WebSocket.RawData): Bytes {
  if (Array.isArray(data)) return new Uint8Array(Buffer.concat(data));
  if (data instanceof ArrayBuffer) return new Uint8Array(data);
  return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
}

export class NodeWsStream extends BaseByteStream {
  readonly kind = 'websocket' as const;

  constructor(
    private readonly ws: WebSocket,
    readonly remote: string,
    highWaterMark?: number,
  ) {
    super(highWaterMark);
    ws.on('message', (data, isBinary) => {
      if (isBinary) this.received(toBytes(data));
      else this.diagnostic(`text frame ignored (${toBytes(data).length} bytes)`);
    });
    ws.on('close', (code, reason) => {
      const text = reason.toString('utf8');
      this.remoteClosed({ code, reason: text || (code === 1006 ? 'connection lost' : `closed with code ${code}`) });
    });
    ws.on('error', (e) => {
      this.diagnostic(`websocket error: ${e.message}`);
      this.remoteClosed({ code: 1006, reason: e.message, error: new NetError('CLOSED', `websocket error: ${e.message}`) });
    });
  }

  get protocol(): string {
    return this.ws.protocol;
  }

  get bufferedAmount(): number {
    return this.ws.bufferedAmount;
  }

  protected send(chunk: Bytes): void {
    // The callback runs once the frame reached the socket: the moment to re-check for drain.
    this.ws.send(chunk, { binary: true, compress: false, fin: true }, () => {
      if (this.ws.bufferedAmount <= this.lowWaterMark) this.drained();
    });
  }

  protected shutdown(code: number | undefined, reason: string): void {
    const c = code !== undefined && (code === 1000 || (code >= 3000 && code <= 4999) || code === 1011) ? code : 1000;
    if (this.ws.readyState === WebSocket.OPEN || this.ws.readyState === WebSocket.CONNECTING) {
      this.ws.close(c, reason.slice(0, 120));
      // Peers that never answer the close frame (websockify's target gone) must not keep us open.
      const t = setTimeout(() => this.ws.terminate(), 2000);
      t.unref?.();
      this.ws.once('close', () => clearTimeout(t));
    }
  }

  protected watchDrain(): void {
    // Nothing to arm: each send callback checks the level (see send()).
    if (this.ws.bufferedAmount <= this.lowWaterMark) queueMicrotask(() => this.drained());
  }

  protected closedError(): NetError {
    return new NetError('CLOSED', 'write on a closed WebSocket stream');
  }
}

/** Opens a `ws` client WebSocket; resolves once open. */
export function dialWs(url: string, opts: WsDialOptions = {}): Promise<NodeWsStream> {
  if (opts.signal?.aborted) return Promise.reject(new NetError('ABORTED', 'dial aborted'));
  return new Promise((resolve, reject) => {
    let ws: WebSocket;
    const timeoutMs = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    try {
      ws = new WebSocket(url, opts.protocols ?? [], {
        perMessageDeflate: false,
        maxPayload: opts.maxPayload ?? DEFAULT_MAX_PAYLOAD,
        handshakeTimeout: timeoutMs,
        followRedirects: false,
      });
    } catch (e) {
      reject(new NetError('BAD_ADDRESS', `cannot open WebSocket to ${url}: ${e instanceof Error ? e.message : String(e)}`));
      return;
    }
    let settled = false;
    const finish = (err: NetError | null) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      opts.signal?.removeEventListener('abort', onAbort);
      ws.off('open', onOpen);
      ws.off('error', onError);
      ws.off('unexpected-response', onResponse);
      ws.off('close', onClose);
      if (err) {
        ws.on('error', () => undefined); // late errors of an abandoned socket are expected
        ws.terminate();
        reject(err);
      } else {
        resolve(new NodeWsStream(ws, url, opts.highWaterMark));
      }
    };
    const onOpen = () => finish(null);
    const onError = (e: Error) => finish(new NetError('CONNECT_FAILED', `WebSocket to ${url} failed: ${e.message}`));
    const onResponse = (req: ClientRequest, res: IncomingMessage) => {
      // With a listener here ws leaves the response alone; drop its socket so a keep-alive agent
      // does not hold the connection open.
      res.socket.destroy();
      req.destroy();
      finish(new NetError('CONNECT_FAILED', `WebSocket upgrade to ${url} refused: HTTP ${res.statusCode ?? '?'} ${res.statusMessage ?? ''}`.trim()));
    };
    const onClose = (code: number) => finish(new NetError('CONNECT_FAILED', `WebSocket to ${url} closed before opening (code ${code})`));
    const onAbort = () => finish(new NetError('ABORTED', 'dial aborted'));
    const timer = setTimeout(() => finish(new NetError('CONNECT_TIMEOUT', `WebSocket to ${url} did not open in ${timeoutMs} ms`)), timeoutMs);
    opts.signal?.addEventListener('abort', onAbort);
    ws.on('open', onOpen);
    ws.on('error', onError);
    ws.on('unexpected-response', onResponse);
    ws.on('close', onClose);
  });
}
