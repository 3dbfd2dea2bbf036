// Runtime-neutral byte-stream API. Node-only pieces live in ./node.ts so browser bundles never
// pull in node:net or `ws`.
export { NetError, type NetErrorCode } from './errors.js';
export { Emitter, type Listener as EventListenerFn, type EventMap } from './emitter.js';
export {
  BaseByteStream,
  DEFAULT_HIGH_WATER_MARK,
  MAX_HELD_BYTES,
  type ByteStream,
  type ByteStreamEvents,
  type CloseInfo,
  type StreamKind,
} from './byte-stream.js';
export {
  DEFAULT_LIGHTNING_PORT,
  parsePeerAddress,
  parseHostPort,
  parseWebSocketUrl,
  formatHostPort,
  formatNetAddress,
  isIPv4,
  isIPv6,
  type HostPort,
  type NetAddress,
  type PeerAddress,
  type PeerAddressInput,
} from './address.js';
export { proxyUrl, parseProxyPath, type ProxyConfig, type ProxyDialect } from './proxy-url.js';
export { routeFor, describeTarget, type DialTarget, type DialOptions, type Dialer, type RouteOptions } from './dial.js';
export { webSocketDialer } from './dial-browser.js';
export { WebSocketStream, dialWebSocket, type WebSocketConstructor, type WebSocketLike, type WebSocketDialOptions } from './websocket.js';
export { MemoryStream, memoryStreamPair } from './memory.js';
