// WebSocket→TCP proxy URL dialects (spec/websocket-transport.md §3):
//   direct     ws(s)://host:port                    (Core Lightning bind-addr=ws:, websockify)
//   'hostport' ws(s)://proxy/<host>:<port>          (lnsocket-style proxies; lnmessage)
//   'v1'       ws(s)://proxy/v1/<host>/<port>       (Mutiny; IPv4 dots optionally as underscores)
// A proxy base may carry its own path prefix and query (e.g. a bearer token); both are kept.
import { NetError } from './errors.js';
import { formatHostPort, isIPv4, isIPv6, parseHostPort, parseWebSocketUrl, type HostPort } from './address.js';

export type ProxyDialect = 'hostport' | 'v1';

export interface ProxyConfig {
  /** Base URL of the proxy, ws:// or wss://. */
  url: string;
  dialect: ProxyDialect;
  /** 'v1' only: write 127.0.0.1 as 127_0_0_1, as Mutiny's client does. */
  underscoreIpv4?: boolean;
}

export function proxyUrl(proxy: ProxyConfig, target: HostPort): string {
  const base = new URL(parseWebSocketUrl(proxy.url));
  const prefix = base.pathname.replace(/\/+$/, '');
  let path: string;
  if (proxy.dialect === 'hostport') {
    path = `${prefix}/${formatHostPort(target)}`;
  } else if (proxy.dialect === 'v1') {
    let host = target.host.includes(':') ? `[${target.host}]` : target.host;
    if (proxy.underscoreIpv4 && isIPv4(target.host)) host = target.host.replace(/\./g, '_');
    path = `${prefix}/v1/${host}/${target.port}`;
  } else {
    throw new NetError('BAD_ADDRESS', `unknown proxy dialect ${String(proxy.dialect)}`);
  }
  base.pathname = path;
  return base.toString();
}

/**
 * The server side: which host:port a request path asks for, in either dialect (the project's
 * own proxy accepts both, and underscores in IPv4). Null when the path fits neither.
 */
export function parseProxyPath(pathname: string): HostPort | null {
  let p: string;
  try {
    p = decodeURIComponent(pathname);
  } catch {
    return null;
  }
  const v1 = /^\/v1\/([^/]+)\/([0-9]{1,5})\/?$/.exec(p);
  try {
    if (v1) {
      let host = v1[1]!;
      if (/^[0-9]{1,3}(_[0-9]{1,3}){3}$/.test(host)) host = host.replace(/_/g, '.');
      if (host.startsWith('[') && host.endsWith(']')) host = host.slice(1, -1);
      const hp = parseHostPort(isIPv6(host) ? `[${host}]:${v1[2]!}` : `${host}:${v1[2]!}`);
      return hp;
    }
    const hostport = /^\/([^/]+:[0-9]{1,5})\/?$/.exec(p);
    if (hostport) {
      const s = hostport[1]!;
      // Require an explicit port: the path form always carries one.
      const hp = parseHostPort(s, 0);
      return hp.port === 0 ? null : hp;
    }
  } catch (e) {
    if (e instanceof NetError) return null;
    throw e;
  }
  return null;
}
