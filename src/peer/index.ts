// Peer layer: one connection's BOLT 1 session over BOLT 8, reconnecting peers, the peer set.
//
// The runtime typically does:
//   const peers = new PeerManager({ localSecret, features, chains: [chainHash('regtest')], dialer });
//   peers.on('message', (id, msg) => channels.dispatch(id, msg));
//   peers.on('connected', (id, info) => ...); peers.on('disconnected', (id, err) => ...);
//   await peers.connect('02ab…@127.0.0.1:9735');          // or { id, url }
//   await peers.send(id, msg);                              // resolves under backpressure
//   peers.list();                                           // listpeers rows
//   listenTcp({ port: 0 }, (s) => peers.accept(s));         // Node daemon (net/node.js)
//   watchWakeEvents(() => peers.reconnectAll());            // browsers
export { PeerError, type PeerErrorCode } from './errors.js';
export { PeerCore, NO_PONG_THRESHOLD, type PeerAction, type PeerCoreConfig, type PeerCoreState, type PeerEvent } from './core.js';
export { buildInit, checkRemoteInit, describeFeatures, type LocalInit, type RemoteInit, type InitVerdict } from './init.js';
export { DEFAULT_TIMING, resolveTiming, type PeerTiming } from './timing.js';
export { systemClock, type Clock } from './clock.js';
export {
  PeerConnection,
  connectPeer,
  type ConnectOptions,
  type ConnectionInfo,
  type Direction,
  type PeerConnectionEvents,
  type RemoteErrorInfo,
  type SessionOptions,
  type WarningInfo,
} from './connection.js';
export { Backoff, type BackoffOptions } from './backoff.js';
export { Peer, type PeerEvents, type PeerInfo, type PeerOptions } from './peer.js';
export { PeerManager, type PeerManagerEvents, type PeerManagerOptions } from './manager.js';
export { watchWakeEvents, type WakeSources, type WakeEventTarget, type WakeDocument } from './wake.js';
export { describeAddressDescriptor, remoteAddrDescriptor, isPrivateAddress } from './address-descriptor.js';
export { describeData } from './data-text.js';
