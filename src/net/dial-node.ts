// The Dialer for Node: node:net for TCP, the `ws` package for WebSocket (canonical header casing).
import type { Dialer } from './dial.js';
import { dialTcp } from './tcp-node.js';
import { dialWs } from './ws-node.js';

export const nodeDialer: Dialer = Object.assign(
  (...[target, opts]: Parameters<Dialer>) => (target.kind === 'tcp' ? dialTcp(target.host, target.port, opts) : dialWs(target.url, opts)),
  { tcp: true },
);
