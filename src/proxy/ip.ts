// IP address parsing, canonical formatting and range classification. The proxy decides whether
// it may dial an address from these bytes alone (never from the text a resolver or a client
// gave), so the parsers are strict: dotted-quad IPv4 without leading zeros (no octal/hex/short
// forms that libc would read differently), IPv6 without zone ids.

export interface IpAddress {
  readonly version: 4 | 6;
  /** 4 or 16 bytes, network order. */
  readonly bytes: Uint8Array;
}

/** What an address is, for the dial policy. Only `public` is dialled by default. */
export type IpCategory =
  | 'public'
  | 'loopback'
  | 'private' // RFC 1918
  | 'cgnat' // 100.64.0.0/10
  | 'link-local' // 169.254/16, fe80::/10
  | 'ula' // fc00::/7 (and deprecated site-local fec0::/10)
  | 'metadata' // cloud instance metadata endpoints
  | 'multicast'
  | 'unspecified'
  | 'broadcast'
  | 'documentation'
  | 'benchmark'
  | 'ipv4-mapped' // ::ffff:a.b.c.d, refused outright: the OS would dial the embedded IPv4
  | 'reserved'; // everything else that is not globally routable unicast

const DEC_OCTET = /^(0|[1-9][0-9]{0,2})$/;
const HEX_GROUP = /^[0-9a-fA-F]{1,4}$/;

export function parseIpv4(s: string): IpAddress | null {
  const parts = s.split('.');
  if (parts.length !== 4) return null;
  const bytes = new Uint8Array(4);
  for (let i = 0; i < 4; i++) {
    const p = parts[i]!;
    if (!DEC_OCTET.test(p)) return null;
    const n = Number(p);
    if (n > 255) return null;
    bytes[i] = n;
  }
  return { version: 4, bytes };
}

function parseGroups(s: string): number[] | null {
  if (s === '') return [];
  const out: number[] = [];
  const parts = s.split(':');
  for (let i = 0; i < parts.length; i++) {
    const p = parts[i]!;
    if (i === parts.length - 1 && p.includes('.')) {
      const v4 = parseIpv4(p);
      if (!v4) return null;
      out.push((v4.bytes[0]! << 8) | v4.bytes[1]!, (v4.bytes[2]! << 8) | v4.bytes[3]!);
    } else {
      if (!HEX_GROUP.test(p)) return null;
      out.push(parseInt(p, 16));
    }
  }
  return out;
}

export function parseIpv6(s: string): IpAddress | null {
  if (s.length > 45 || s.includes('%')) return null;
  const halves = s.split('::');
  if (halves.length > 2) return null;
  let groups: number[];
  if (halves.length === 2) {
    const head = parseGroups(halves[0]!);
    const tail = parseGroups(halves[1]!);
    if (!head || !tail || head.length + tail.length > 7) return null;
    // An embedded IPv4 is only valid in the last position, i.e. in the tail.
    if (halves[0]!.includes('.')) return null;
    groups = [...head, ...new Array<number>(8 - head.length - tail.length).fill(0), ...tail];
  } else {
    const all = parseGroups(s);
    if (!all || all.length !== 8) return null;
    groups = all;
  }
  const bytes = new Uint8Array(16);
  groups.forEach((g, i) => {
    bytes[2 * i] = g >> 8;
    bytes[2 * i + 1] = g & 0xff;
  });
  return { version: 6, bytes };
}

/** Parses an IPv4 dotted quad or an IPv6 address (without brackets). */
export function parseIp(s: string): IpAddress | null {
  return s.includes(':') ? parseIpv6(s) : parseIpv4(s);
}

/** Canonical text: dotted quad, or RFC 5952 IPv6 (lowercase, longest zero run as `::`). */
export function formatIp(ip: IpAddress): string {
  const b = ip.bytes;
  if (ip.version === 4) return `${b[0]}.${b[1]}.${b[2]}.${b[3]}`;
  const g: number[] = [];
  for (let i = 0; i < 8; i++) g.push((b[2 * i]! << 8) | b[2 * i + 1]!);
  let bestStart = -1;
  let bestLen = 0;
  for (let i = 0; i < 8; ) {
    if (g[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && g[j] === 0) j++;
    if (j - i > bestLen) {
      bestStart = i;
      bestLen = j - i;
    }
    i = j;
  }
  const hex = (xs: number[]): string => xs.map((x) => x.toString(16)).join(':');
  if (bestLen < 2) return hex(g);
  return `${hex(g.slice(0, bestStart))}::${hex(g.slice(bestStart + bestLen))}`;
}

/** Host text for URLs and `host:port` strings: IPv6 in brackets. */
export function formatIpHost(ip: IpAddress): string {
  return ip.version === 6 ? `[${formatIp(ip)}]` : formatIp(ip);
}

function inPrefix(bytes: Uint8Array, prefix: readonly number[], bits: number): boolean {
  for (let i = 0; i < bits; i += 8) {
    const take = Math.min(8, bits - i);
    const mask = (0xff << (8 - take)) & 0xff;
    if ((bytes[i / 8]! & mask) !== ((prefix[i / 8] ?? 0) & mask)) return false;
  }
  return true;
}

// Ordered: the first matching range wins, so the more specific entries come first.
const V4_RANGES: ReadonlyArray<readonly [readonly number[], number, IpCategory]> = [
  [[169, 254, 169, 254], 32, 'metadata'], // AWS, GCP, Azure, OpenStack...
  [[168, 63, 129, 16], 32, 'metadata'], // Azure WireServer: a public address, still metadata
  [[255, 255, 255, 255], 32, 'broadcast'],
  [[0], 8, 'unspecified'],
  [[10], 8, 'private'],
  [[100, 64], 10, 'cgnat'], // also holds Alibaba's metadata 100.100.100.200
  [[127], 8, 'loopback'],
  [[169, 254], 16, 'link-local'],
  [[172, 16], 12, 'private'],
  [[192, 0, 0], 24, 'reserved'], // IETF protocol assignments (and Oracle's 192.0.0.192 metadata)
  [[192, 0, 2], 24, 'documentation'],
  [[192, 88, 99], 24, 'reserved'], // deprecated 6to4 relay anycast
  [[192, 168], 16, 'private'],
  [[198, 18], 15, 'benchmark'],
  [[198, 51, 100], 24, 'documentation'],
  [[203, 0, 113], 24, 'documentation'],
  [[224], 4, 'multicast'],
  [[240], 4, 'reserved'],
];

function classifyV4(b: Uint8Array): IpCategory {
  for (const [prefix, bits, cat] of V4_RANGES) if (inPrefix(b, prefix, bits)) return cat;
  return 'public';
}

const V6_RANGES: ReadonlyArray<readonly [readonly number[], number, IpCategory]> = [
  [[0xfd, 0x00, 0x0e, 0xc2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x02, 0x54], 128, 'metadata'], // AWS fd00:ec2::254
  [[], 128, 'unspecified'], // ::
  [[0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1], 128, 'loopback'],
  [[0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff], 96, 'ipv4-mapped'],
  [[0x00, 0x64, 0xff, 0x9b, 0x00, 0x01], 48, 'reserved'], // local-use NAT64 (RFC 8215)
  [[0x01, 0x00, 0, 0, 0, 0, 0, 0], 64, 'reserved'], // discard-only
  [[0x20, 0x01, 0x0d, 0xb8], 32, 'documentation'],
  [[0x20, 0x01, 0x00, 0x02, 0x00, 0x00], 48, 'benchmark'],
  [[0x20, 0x01], 23, 'reserved'], // IETF protocol assignments, Teredo, ORCHID
  [[0x3f, 0xff], 20, 'documentation'], // RFC 9637
  [[0xfe, 0x80], 10, 'link-local'],
  [[0xfe, 0xc0], 10, 'ula'], // deprecated site-local: as private as ULA
  [[0xfc], 7, 'ula'],
  [[0xff], 8, 'multicast'],
];

function classifyV6(b: Uint8Array): IpCategory {
  // NAT64 (64:ff9b::/96) and 6to4 (2002::/16) reach the embedded IPv4 through a gateway, so
  // they are exactly as dialable as that IPv4 address (a NAT64 gateway would happily relay to
  // 64:ff9b::10.0.0.1 inside the operator's network).
  if (inPrefix(b, [0x00, 0x64, 0xff, 0x9b], 96)) return embedded(b.subarray(12, 16));
  if (inPrefix(b, [0x20, 0x02], 16)) return embedded(b.subarray(2, 6));
  for (const [prefix, bits, cat] of V6_RANGES) if (inPrefix(b, prefix, bits)) return cat;
  // Global unicast is 2000::/3; anything else left (IPv4-compatible ::a.b.c.d, unassigned
  // space) is not a place a Lightning peer lives.
  return inPrefix(b, [0x20], 3) ? 'public' : 'reserved';
}

function embedded(v4: Uint8Array): IpCategory {
  const cat = classifyV4(v4);
  return cat === 'public' ? 'public' : 'reserved';
}

export function classifyIp(ip: IpAddress): IpCategory {
  return ip.version === 4 ? classifyV4(ip.bytes) : classifyV6(ip.bytes);
}

/** Node reports IPv4 peers of a dual-stack socket as ::ffff:a.b.c.d; client IPs use the IPv4 form. */
export function unmapIpv4(ip: IpAddress): IpAddress {
  if (ip.version === 6 && inPrefix(ip.bytes, [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff], 96)) {
    return { version: 4, bytes: ip.bytes.slice(12, 16) };
  }
  return ip;
}
