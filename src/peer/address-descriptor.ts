// BOLT 7 address descriptors, as carried by init's `remote_addr`: 1 = IPv4 (4 bytes + port),
// 2 = IPv6 (16 + port), 4 = Tor v3 (35 + port), 5 = DNS hostname (len + name + port).
import { isIPv4, isIPv6 } from '../net/address.js';
import { toHex, type Bytes } from '../util/bytes.js';

function port(b: Bytes, at: number): number {
  return (b[at]! << 8) | b[at + 1]!;
}

/** Human-readable form ("1.2.3.4:9735", "[::1]:9735", "host:port"), or undefined if malformed. */
export function describeAddressDescriptor(b: Bytes): string | undefined {
  if (b.length === 0) return undefined;
  switch (b[0]) {
    case 1:
      return b.length === 7 ? `${b[1]}.${b[2]}.${b[3]}.${b[4]}:${port(b, 5)}` : undefined;
    case 2: {
      if (b.length !== 19) return undefined;
      const groups: string[] = [];
      for (let i = 0; i < 8; i++) groups.push(((b[1 + 2 * i]! << 8) | b[2 + 2 * i]!).toString(16));
      return `[${groups.join(':')}]:${port(b, 17)}`;
    }
    case 4:
      return b.length === 38 ? `tor:${toHex(b.subarray(1, 36))}:${port(b, 36)}` : undefined;
    case 5: {
      const n = b[1];
      if (n === undefined || b.length !== 2 + n + 2) return undefined;
      const name = b.subarray(2, 2 + n);
      for (const c of name) if (c < 33 || c > 126) return undefined;
      return `${String.fromCharCode(...name)}:${port(b, 2 + n)}`;
    }
    default:
      return undefined;
  }
}

/** The eight 16-bit groups of an IPv6 literal (with an optional embedded IPv4 tail). */
function expandIPv6(host: string): number[] | undefined {
  if (!isIPv6(host)) return undefined;
  let s = host;
  const tail: number[] = [];
  const lastColon = s.lastIndexOf(':');
  const last = s.slice(lastColon + 1);
  if (last.includes('.')) {
    const o = last.split('.').map(Number) as [number, number, number, number];
    tail.push((o[0] << 8) | o[1], (o[2] << 8) | o[3]);
    s = s.slice(0, lastColon + 1);
    if (!s.endsWith('::')) s = s.slice(0, -1);
  }
  const need = 8 - tail.length;
  const parse = (part: string) => (part === '' ? [] : part.split(':').map((g) => parseInt(g, 16)));
  const halves = s.split('::');
  let groups: number[];
  if (halves.length === 1) {
    groups = parse(halves[0]!);
  } else {
    const l = parse(halves[0]!);
    const r = parse(halves[1]!);
    const zeros = need - l.length - r.length;
    if (zeros < 0) return undefined;
    groups = [...l, ...new Array<number>(zeros).fill(0), ...r];
  }
  groups.push(...tail);
  return groups.length === 8 ? groups : undefined;
}

/** Loopback, private, link-local, CGNAT, ULA and unspecified addresses: never advertised. */
export function isPrivateAddress(host: string): boolean {
  if (isIPv4(host)) {
    const [a, b] = host.split('.').map(Number) as [number, number];
    return a === 0 || a === 10 || a === 127 || (a === 169 && b === 254) || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168) || (a === 100 && b >= 64 && b <= 127);
  }
  if (isIPv6(host)) {
    const g = expandIPv6(host);
    if (!g) return true;
    if (g.every((x, i) => (i < 7 ? x === 0 : x <= 1))) return true; // :: and ::1
    if (g.slice(0, 5).every((x) => x === 0) && g[5] === 0xffff) return isPrivateAddress(`${g[6]! >> 8}.${g[6]! & 255}.${g[7]! >> 8}.${g[7]! & 255}`);
    return (g[0]! & 0xfe00) === 0xfc00 || (g[0]! & 0xffc0) === 0xfe80;
  }
  return true; // not an IP literal: nothing we could put in remote_addr
}

/**
 * The descriptor for an incoming connection's remote address, or undefined when BOLT 1 says not
 * to send one (private addresses) or the address is not an IP literal.
 */
export function remoteAddrDescriptor(host: string, p: number): Bytes | undefined {
  if (isPrivateAddress(host)) return undefined;
  if (isIPv4(host)) return Uint8Array.from([1, ...host.split('.').map(Number), p >> 8, p & 255]);
  const g = expandIPv6(host);
  if (!g) return undefined;
  const out = new Uint8Array(19);
  out[0] = 2;
  g.forEach((x, i) => {
    out[1 + 2 * i] = x >> 8;
    out[2 + 2 * i] = x & 255;
  });
  out[17] = p >> 8;
  out[18] = p & 255;
  return out;
}

