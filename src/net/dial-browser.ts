// The Dialer for browsers and workers: WebSocket only (no raw TCP in a page).
import type { Dialer } from './dial.js';
import { NetError } from './errors.js';
import { dialWebSocket, type WebSocketConstructor } from './websocket.js';

export function webSocketDialer(WebSocketImpl?: WebSocketConstructor): Dialer {
  return (target, opts) => {
    if (target.kind !== 'websocket') {
      return Promise.reject(new NetError('UNSUPPORTED', 'raw TCP is not available here: configure a WebSocket proxy or use a ws:// address'));
    }
    return dialWebSocket(target.url, { ...opts, ...(WebSocketImpl ? { WebSocket: WebSocketImpl } : {}) });
  };
}
