// ClientSocket over a WHATWG-style server WebSocket (Deno's upgradeWebSocket, Cloudflare's
// WebSocketPair). Neither can pause reading, so client → server backpressure falls back to the
// relay's hard buffer cap; server → client uses bufferedAmount where the runtime has it
// (Deno), polled because there is no drain event. Cloudflare has no bufferedAmount: it reads as
// 0 and the runtime's own buffering applies.
import type { ClientHandlers, ClientSocket } from './types.js';

/** The part of a server-side WebSocket the relay uses. */
export interface WebSocketLike {
  readonly readyState: number;
  readonly bufferedAmount?: number;
  binaryType?: string;
  send(data: Uint8Array | string): void;
  close(code?: number, reason?: string): void;
  addEventListener(type: 'message', listener: (event: { readonly data: unknown }) => void): void;
  addEventListener(type: 'close', listener: (event: { readonly code?: number }) => void): void;
  addEventListener(type: 'open' | 'error', listener: () => void): void;
}

const CONNECTING = 0;
const OPEN = 1;
const CLOSING = 2;

/** Close codes an endpoint may put in a Close frame (1005, 1006, 1015 are never sent). */
function sendableCode(code: number | undefined): number {
  return code !== undefined && ((code >= 1000 && code <= 1003) || (code >= 1007 && code <= 1014) || (code >= 3000 && code <= 4999)) ? code : 1000;
}
const DRAIN_POLL_MS = 25;
const MAX_EARLY_MESSAGES = 64;

function toMessage(data: unknown): Uint8Array | string | null {
  if (typeof data === 'string') return data;
  if (data instanceof ArrayBuffer) return new Uint8Array(data);
  if (ArrayBuffer.isView(data)) return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  return null; // a Blob would need an async read; binaryType is set so none should arrive
}

export function webClientSocket(ws: WebSocketLike): ClientSocket {
  let handlers: ClientHandlers | undefined;
  let early: (Uint8Array | string)[] = [];
  let closed = false;
  try {
    ws.binaryType = 'arraybuffer';
  } catch (e) {
    // Cloudflare's WebSocket has no settable binaryType and always delivers ArrayBuffer.
    if (!(e instanceof TypeError)) throw e;
  }

  ws.addEventListener('message', (event) => {
    // An unexpected payload type is treated like a text frame: the relay closes with 1003.
    const msg = toMessage(event.data) ?? '';
    if (handlers) return handlers.message(msg);
    if (early.length >= MAX_EARLY_MESSAGES) return ws.close(1008, 'too many early messages');
    early.push(msg);
  });
  const onClosed = (): void => {
    if (closed) return;
    closed = true;
    handlers?.closed();
  };
  ws.addEventListener('close', (event) => {
    // Cloudflare Workers without the web_socket_auto_reply_to_close flag leave the client's Close
    // frame unanswered until the Worker closes too (the socket stays CLOSING), and until then
    // workerd did not release the relay's TCP connection either: the node kept a connected peer
    // that had gone. Answer with the client's code. Deno and browsers answer by themselves and
    // are CLOSED here.
    if (ws.readyState === CLOSING) ws.close(sendableCode(event.code));
    onClosed();
  });
  ws.addEventListener('error', onClosed);

  const buffered = (): number => (closed ? 0 : (ws.bufferedAmount ?? 0));
  return {
    send(data) {
      if (!closed && ws.readyState === OPEN) ws.send(data);
    },
    close(code, reason) {
      if (closed) return;
      // Deno's upgraded socket stays CONNECTING until the handler has returned the 101, and a
      // close() in that state is dropped: the client would see an open socket and nothing else.
      // Refusals happen right in the handler, so they wait for 'open'.
      if (ws.readyState === CONNECTING) ws.addEventListener('open', () => ws.close(code, reason));
      else ws.close(code, reason);
    },
    bufferedAmount: buffered,
    waitForDrain(bytes) {
      return new Promise((resolve) => {
        const check = (): void => {
          if (buffered() <= bytes) resolve();
          else setTimeout(check, DRAIN_POLL_MS);
        };
        check();
      });
    },
    listen(h) {
      handlers = h;
      const queued = early;
      early = [];
      for (const m of queued) h.message(m);
      if (closed) h.closed();
    },
  };
}
