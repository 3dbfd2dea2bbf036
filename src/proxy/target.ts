// Destinations: parsing `host:port` strings and the URL dialects clients use to name them
// (spec/websocket-transport.md §3):
//   /<host>:<port>        lnsocket / lnmessage style, IPv6 in brackets
//   /v1/<host>/<port>     Mutiny style; IPv4 dots may be written as underscores (127_0_0_1)
// Host names are checked here only for shape; whether they may be dialled is decided after
// resolution (policy.ts), on the resolved addresses.
import { formatIp, formatIpHost, parseIp, parseIpv4, type IpAddress } from './ip.js';

export interface Target {
  /** Lowercase host name without trailing dot, or the canonical text of an IP literal. */
  readonly host: string;
  readonly port: number;
  /** Set when the host is an IP literal: it is dialled as is, without a lookup. */
  readonly ip?: IpAddress;
}

const LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;
// A last label made only of digits (or 0x...) is read as an IPv4 number by URL parsers and libc
// (`2130706433`, `0x7f.1`): refuse rather than guess what it would resolve to.
const NUMERIC_LABEL = /^(?:[0-9]+|0x[0-9a-f]*)$/;

export function parsePort(s: string): number | null {
  if (!/^[0-9]{1,5}$/.test(s)) return null;
  const n = Number(s);
  return n >= 1 && n <= 65535 ? n : null;
}

/** Host name or IP literal (IPv6 with or without brackets) → normalized target host. */
export function parseHost(raw: string): { host: string; ip?: IpAddress } | null {
  let s = raw;
  if (s.startsWith('[') && s.endsWith(']')) {
    const ip6 = parseIp(s.slice(1, -1));
    return ip6 && ip6.version === 6 ? { host: formatIp(ip6), ip: ip6 } : null;
  }
  const ip = parseIp(s);
  if (ip) return { host: formatIp(ip), ip };
  if (s.includes(':')) return null;
  s = s.toLowerCase();
  if (s.endsWith('.')) s = s.slice(0, -1);
  if (s.length === 0 || s.length > 253) return null;
  const labels = s.split('.');
  if (!labels.every((l) => LABEL.test(l))) return null;
  if (NUMERIC_LABEL.test(labels[labels.length - 1]!)) return null;
  return { host: s };
}

function target(host: { host: string; ip?: IpAddress }, port: number): Target {
  return host.ip ? { host: host.host, port, ip: host.ip } : { host: host.host, port };
}

/** `host:port`, `[v6]:port`. An unbracketed IPv6 address is ambiguous and refused. */
export function parseHostPort(s: string): Target | null {
  const colon = s.lastIndexOf(':');
  if (colon <= 0) return null;
  const hostText = s.slice(0, colon);
  if (hostText.includes(':') && !hostText.startsWith('[')) return null;
  const host = parseHost(hostText);
  const port = parsePort(s.slice(colon + 1));
  return host && port !== null ? target(host, port) : null;
}

/** The Mutiny dialect's host segment: `127_0_0_1` means 127.0.0.1. */
function parseV1Host(s: string): { host: string; ip?: IpAddress } | null {
  if (/^[0-9]+(?:_[0-9]+){3}$/.test(s)) {
    const ip = parseIpv4(s.replace(/_/g, '.'));
    return ip ? { host: formatIp(ip), ip } : null;
  }
  return parseHost(s);
}

/**
 * The target named by already split, percent-decoded path segments (empty segments removed).
 * Returns null when the path matches no dialect.
 */
export function parseTargetSegments(segments: readonly string[]): Target | null {
  if (segments.length === 1) return parseHostPort(segments[0]!);
  if (segments.length === 3 && segments[0] === 'v1') {
    const host = parseV1Host(segments[1]!);
    const port = parsePort(segments[2]!);
    return host && port !== null ? target(host, port) : null;
  }
  return null;
}

/** Splits a URL path into percent-decoded, non-empty segments; null on bad escapes. */
export function pathSegments(pathname: string): string[] | null {
  const out: string[] = [];
  for (const raw of pathname.split('/')) {
    if (raw === '') continue;
    try {
      out.push(decodeURIComponent(raw));
    } catch {
      return null; // malformed %-escape: the caller reports a bad target
    }
  }
  return out;
}

export function formatTarget(t: Target): string {
  return `${t.ip ? formatIpHost(t.ip) : t.host}:${t.port}`;
}

export function sameTarget(a: Target, b: Target): boolean {
  return a.host === b.host && a.port === b.port;
}
