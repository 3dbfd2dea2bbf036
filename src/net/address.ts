// Peer addresses as users write them: `<node id>@<host>[:<port>]` (IPv4, [IPv6], hostnames;
// default port 9735), `<node id>@ws[s]://...`, or `{ id, url }` / `{ id, host, port }` objects.
// The node id always comes from the user: BOLT 8 authenticates the responder only against a key
// the initiator already knows, so it must never be taken from a proxy.
import { asNodeId, type NodeId } from '../types.js';
import { NetError } from './errors.js';

export const DEFAULT_LIGHTNING_PORT = 9735;

export interface HostPort {
  /** Hostname, dotted IPv4, or IPv6 without brackets. */
  host: string;
  port: number;
}

export type NetAddress = ({ kind: 'hostport' } & HostPort) | { kind: 'url'; url: string };

export interface PeerAddress {
  id: NodeId;
  address: NetAddress;
}

export type PeerAddressInput = string | { id: string; url?: string; host?: string; port?: number };

export function isIPv4(s: string): boolean {
  const parts = s.split('.');
  return parts.length === 4 && parts.every((p) => /^(0|[1-9][0-9]{0,2})$/.test(p) && Number(p) <= 255);
}

export function isIPv6(s: string): boolean {
  if (!/^[0-9a-fA-F:.]+$/.test(s) || !s.includes(':') || s.includes(':::')) return false;
  if ((s.startsWith(':') && !s.startsWith('::')) || (s.endsWith(':') && !s.endsWith('::'))) return false;
  const double = s.split('::').length - 1;
  if (double > 1) return false;
  let groups = s.split(':').filter((g) => g !== '');
  let width = 8;
  const last = groups[groups.length - 1];
  if (last !== undefined && last.includes('.')) {
    if (!isIPv4(last)) return false; // embedded IPv4 tail counts as two groups
    groups = groups.slice(0, -1);
    width = 6;
  }
  if (!groups.every((g) => /^[0-9a-fA-F]{1,4}$/.test(g))) return false;
  return double === 1 ? groups.length < width : groups.length === width;
}

function isHostname(s: string): boolean {
  return (
    s.length > 0 &&
    s.length <= 253 &&
    s.split('.').every((label) => /^[A-Za-z0-9_]([A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?$/.test(label))
  );
}

function parsePort(s: string, input: string): number {
  if (!/^[0-9]{1,5}$/.test(s)) throw new NetError('BAD_ADDRESS', `bad port in "${input}"`);
  const port = Number(s);
  if (port < 1 || port > 65535) throw new NetError('BAD_ADDRESS', `port out of range in "${input}"`);
  return port;
}

/** `host`, `host:port`, `1.2.3.4:port`, `[v6]:port`, `[v6]`, or a bare IPv6 address. */
export function parseHostPort(input: string, defaultPort = DEFAULT_LIGHTNING_PORT): HostPort {
  const s = input.trim();
  let host: string;
  let port = defaultPort;
  if (s.startsWith('[')) {
    const end = s.indexOf(']');
    if (end < 0) throw new NetError('BAD_ADDRESS', `unclosed "[" in "${input}"`);
    host = s.slice(1, end);
    const rest = s.slice(end + 1);
    if (rest !== '') {
      if (!rest.startsWith(':')) throw new NetError('BAD_ADDRESS', `unexpected text after "]" in "${input}"`);
      port = parsePort(rest.slice(1), input);
    }
    if (!isIPv6(host)) throw new NetError('BAD_ADDRESS', `bad IPv6 address in "${input}"`);
    return { host: host.toLowerCase(), port };
  }
  const colons = s.split(':').length - 1;
  if (colons > 1) {
    if (!isIPv6(s)) throw new NetError('BAD_ADDRESS', `bad address "${input}" (write IPv6 with a port as [addr]:port)`);
    return { host: s.toLowerCase(), port };
  }
  if (colons === 1) {
    const i = s.indexOf(':');
    host = s.slice(0, i);
    port = parsePort(s.slice(i + 1), input);
  } else {
    host = s;
  }
  if (!isIPv4(host) && !isHostname(host)) throw new NetError('BAD_ADDRESS', `bad host in "${input}"`);
  return { host: host.toLowerCase(), port };
}

export function parseWebSocketUrl(input: string): string {
  let u: URL;
  try {
    u = new URL(input);
  } catch {
    throw new NetError('BAD_ADDRESS', `not a URL: "${input}"`);
  }
  if (u.protocol !== 'ws:' && u.protocol !== 'wss:') throw new NetError('BAD_ADDRESS', `WebSocket URL must be ws:// or wss://, got "${input}"`);
  return u.toString();
}

function nodeId(id: unknown): NodeId {
  if (typeof id !== 'string') throw new NetError('BAD_ADDRESS', 'node id must be a string');
  try {
    return asNodeId(id);
  } catch {
    throw new NetError('BAD_ADDRESS', 'node id must be 33 bytes of hex starting with 02 or 03');
  }
}

/** Parses `id@host:port`, `id@ws://...`, `{ id, url }` or `{ id, host, port }`. */
export function parsePeerAddress(input: PeerAddressInput): PeerAddress {
  if (typeof input === 'string') {
    const at = input.indexOf('@');
    if (at < 0) throw new NetError('BAD_ADDRESS', `expected <node id>@<host>[:<port>], got "${input}"`);
    const id = nodeId(input.slice(0, at));
    const rest = input.slice(at + 1);
    if (/^wss?:\/\//i.test(rest)) return { id, address: { kind: 'url', url: parseWebSocketUrl(rest) } };
    return { id, address: { kind: 'hostport', ...parseHostPort(rest) } };
  }
  if (typeof input !== 'object' || input === null) throw new NetError('BAD_ADDRESS', 'peer address must be a string or an object');
  const id = nodeId(input.id);
  if (typeof input.url === 'string') return { id, address: { kind: 'url', url: parseWebSocketUrl(input.url) } };
  if (typeof input.host === 'string') {
    const port = input.port;
    if (port !== undefined && (!Number.isInteger(port) || port < 1 || port > 65535)) throw new NetError('BAD_ADDRESS', 'port out of range');
    const hp = parseHostPort(input.host, port ?? DEFAULT_LIGHTNING_PORT);
    if (port !== undefined && hp.port !== port) throw new NetError('BAD_ADDRESS', 'two different ports given');
    return { id, address: { kind: 'hostport', ...hp } };
  }
  throw new NetError('BAD_ADDRESS', 'peer address needs a url or a host');
}

export function formatHostPort(hp: HostPort): string {
  return hp.host.includes(':') ? `[${hp.host}]:${hp.port}` : `${hp.host}:${hp.port}`;
}

/** How Core Lightning shows an address in `netaddr`. */
export function formatNetAddress(a: NetAddress): string {
  return a.kind === 'url' ? a.url : formatHostPort(a);
}
