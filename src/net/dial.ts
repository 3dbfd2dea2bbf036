// Choosing how to reach a peer, independent of runtime: a DialTarget says "TCP to host:port" or
// "WebSocket to this URL"; a Dialer (browser or Node flavour) turns it into a ByteStream.
import type { ByteStream } from './byte-stream.js';
import { formatHostPort, type NetAddress } from './address.js';
import { proxyUrl, type ProxyConfig } from './proxy-url.js';

export type DialTarget = { kind: 'tcp'; host: string; port: number } | { kind: 'websocket'; url: string };

export interface DialOptions {
  timeoutMs?: number;
  highWaterMark?: number;
  signal?: AbortSignal;
  /** WebSocket subprotocols to offer (none by default). */
  protocols?: string[];
}

/** Opens a stream to a target. `tcp` says whether raw TCP targets are supported at all. */
export type Dialer = ((target: DialTarget, opts: DialOptions) => Promise<ByteStream>) & { readonly tcp?: boolean };

export interface RouteOptions {
  /** Reach host:port peers through this WebSocket proxy. */
  proxy?: ProxyConfig;
  /** The runtime can open raw TCP (Node, Deno, Cloudflare); browsers cannot. */
  tcp?: boolean;
}

/**
 * Where to dial for an address: a URL is used as is; host:port goes through the proxy when one
 * is configured, else over TCP when the runtime has it, else straight to ws://host:port (a peer
 * with its own WebSocket listener, like Core Lightning's bind-addr=ws:).
 */
export function routeFor(address: NetAddress, opts: RouteOptions = {}): DialTarget {
  if (address.kind === 'url') return { kind: 'websocket', url: address.url };
  if (opts.proxy) return { kind: 'websocket', url: proxyUrl(opts.proxy, address) };
  if (opts.tcp) return { kind: 'tcp', host: address.host, port: address.port };
  return { kind: 'websocket', url: `ws://${formatHostPort(address)}` };
}

export function describeTarget(t: DialTarget): string {
  return t.kind === 'tcp' ? formatHostPort(t) : t.url;
}
