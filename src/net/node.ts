// Node-only transports: node:net TCP, the `ws` package, and the daemon's listeners.
export { TcpStream, dialTcp, type TcpDialOptions } from './tcp-node.js';
export { NodeWsStream, dialWs, DEFAULT_MAX_PAYLOAD, type WsDialOptions } from './ws-node.js';
export { nodeDialer } from './dial-node.js';
export { listenTcp, listenWebSocket, type Listener, type ListenOptions } from './listen-node.js';
