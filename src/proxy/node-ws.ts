// ClientSocket over a `ws` WebSocket. `ws` can pause a socket (real TCP backpressure towards the
// client), and its send callback tells when a message has been handed to the kernel, which
// gives an exact drain signal.
import type { RawData, WebSocket } from 'ws';
import type { ClientHandlers, ClientSocket } from './types.js';

function toBytes(data: RawData): Uint8Array {
  if (Array.isArray(data)) return Buffer.concat(data);
  if (data instanceof ArrayBuffer) return new Uint8Array(data);
  return data;
}

/** Messages queued before the relay installs its handlers; more than this closes the socket. */
const MAX_EARLY_MESSAGES = 64;

export function wsClientSocket(ws: WebSocket): ClientSocket {
  let handlers: ClientHandlers | undefined;
  let early: (Uint8Array | string)[] = [];
  let closed = false;
  let unsent = 0;
  let drainWaiters: { bytes: number; resolve: () => void }[] = [];

  const settleDrains = (): void => {
    const still: typeof drainWaiters = [];
    for (const w of drainWaiters) (closed || unsent <= w.bytes ? w.resolve() : still.push(w));
    drainWaiters = still;
  };

  ws.on('message', (data: RawData, isBinary: boolean) => {
    const msg = isBinary ? toBytes(data) : data.toString();
    if (handlers) return handlers.message(msg);
    if (early.length >= MAX_EARLY_MESSAGES) return ws.terminate();
    early.push(msg);
  });
  ws.on('close', () => {
    closed = true;
    settleDrains();
    handlers?.closed();
  });
  // 'error' is always followed by 'close'; without a listener it would crash the process.
  ws.on('error', () => ws.terminate());

  return {
    send(data) {
      if (closed || ws.readyState !== ws.OPEN) return;
      unsent += data.length;
      ws.send(data, { binary: true }, () => {
        unsent -= data.length;
        settleDrains();
      });
    },
    close(code, reason) {
      if (closed) return;
      if (ws.readyState === ws.OPEN) ws.close(code, reason);
      else ws.terminate();
    },
    bufferedAmount: () => unsent,
    waitForDrain(bytes) {
      if (closed || unsent <= bytes) return Promise.resolve();
      return new Promise((resolve) => drainWaiters.push({ bytes, resolve }));
    },
    pause: () => ws.pause(),
    resume: () => ws.resume(),
    listen(h) {
      handlers = h;
      const queued = early;
      early = [];
      for (const m of queued) h.message(m);
      if (closed) h.closed();
    },
  };
}
