import { describe, expect, it } from 'vitest';
import { classifyIp, formatIp, parseIp, parseIpv4, parseIpv6, unmapIpv4, type IpCategory } from '../../../src/proxy/ip.js';

function cat(s: string): IpCategory {
  const ip = parseIp(s);
  if (!ip) throw new Error(`unparseable test address ${s}`);
  return classifyIp(ip);
}

describe('parseIpv4', () => {
  it('accepts dotted quads', () => {
    expect(formatIp(parseIpv4('1.2.3.4')!)).toBe('1.2.3.4');
    expect(formatIp(parseIpv4('255.255.255.255')!)).toBe('255.255.255.255');
    expect(formatIp(parseIpv4('0.0.0.0')!)).toBe('0.0.0.0');
  });
  it.each(['1.2.3', '1.2.3.4.5', '256.1.1.1', '01.2.3.4', '0x7f.0.0.1', '1.2.3.-4', '1..3.4', ' 1.2.3.4', '2130706433', ''])(
    'refuses %j (no libc shorthand, octal or hex forms)',
    (s) => expect(parseIpv4(s)).toBeNull(),
  );
});

describe('parseIpv6 / formatIp', () => {
  it.each([
    ['::', '::'],
    ['::1', '::1'],
    ['0:0:0:0:0:0:0:1', '::1'],
    ['2001:DB8::1', '2001:db8::1'],
    ['2001:db8:0:0:1:0:0:1', '2001:db8::1:0:0:1'],
    ['2001:0db8:0000:0000:0000:ff00:0042:8329', '2001:db8::ff00:42:8329'],
    ['::ffff:127.0.0.1', '::ffff:7f00:1'],
    ['fe80::1:2', 'fe80::1:2'],
    ['1:2:3:4:5:6:7:8', '1:2:3:4:5:6:7:8'],
    ['1:0:3:4:5:6:7:8', '1:0:3:4:5:6:7:8'],
  ])('%s → %s', (input, canonical) => {
    expect(formatIp(parseIpv6(input)!)).toBe(canonical);
  });
  it.each(['', ':', '1:2:3:4:5:6:7', '1:2:3:4:5:6:7:8:9', '1::2::3', 'fe80::1%eth0', '12345::', 'g::1', '1.2.3.4::', '::1.2.3'])(
    'refuses %j',
    (s) => expect(parseIpv6(s)).toBeNull(),
  );
});

describe('classifyIp', () => {
  it.each<[string, IpCategory]>([
    ['1.1.1.1', 'public'],
    ['8.8.8.8', 'public'],
    ['127.0.0.1', 'loopback'],
    ['127.255.1.2', 'loopback'],
    ['10.0.0.1', 'private'],
    ['172.16.0.1', 'private'],
    ['172.31.255.255', 'private'],
    ['172.32.0.1', 'public'],
    ['192.168.1.1', 'private'],
    ['100.64.0.1', 'cgnat'],
    ['100.127.255.255', 'cgnat'],
    ['100.128.0.1', 'public'],
    ['169.254.1.1', 'link-local'],
    ['169.254.169.254', 'metadata'],
    ['168.63.129.16', 'metadata'],
    ['0.0.0.0', 'unspecified'],
    ['0.1.2.3', 'unspecified'],
    ['255.255.255.255', 'broadcast'],
    ['224.0.0.1', 'multicast'],
    ['239.255.255.250', 'multicast'],
    ['240.0.0.1', 'reserved'],
    ['192.0.2.1', 'documentation'],
    ['198.51.100.7', 'documentation'],
    ['203.0.113.9', 'documentation'],
    ['198.18.0.1', 'benchmark'],
    ['198.19.255.1', 'benchmark'],
    ['192.0.0.192', 'reserved'],
    ['::', 'unspecified'],
    ['::1', 'loopback'],
    ['2a01:4f8::1', 'public'],
    ['2606:4700:4700::1111', 'public'],
    ['fc00::1', 'ula'],
    ['fd12:3456::1', 'ula'],
    ['fd00:ec2::254', 'metadata'],
    ['fe80::1', 'link-local'],
    ['febf::1', 'link-local'],
    ['fec0::1', 'ula'],
    ['ff02::1', 'multicast'],
    ['2001:db8::1', 'documentation'],
    ['3fff::1', 'documentation'],
    ['2001:2::1', 'benchmark'],
    ['2001::1', 'reserved'], // Teredo
    ['100::1', 'reserved'],
    ['::7f00:1', 'reserved'], // IPv4-compatible
    ['4000::1', 'reserved'], // outside 2000::/3
  ])('%s is %s', (s, expected) => {
    expect(cat(s)).toBe(expected);
  });

  it('refuses every IPv4-mapped IPv6 address, whatever it embeds', () => {
    expect(cat('::ffff:127.0.0.1')).toBe('ipv4-mapped');
    expect(cat('::ffff:10.0.0.1')).toBe('ipv4-mapped');
    expect(cat('::ffff:8.8.8.8')).toBe('ipv4-mapped');
    expect(cat('::ffff:a9fe:a9fe')).toBe('ipv4-mapped');
  });

  it('classifies NAT64 and 6to4 by the IPv4 address they reach', () => {
    expect(cat('64:ff9b::8.8.8.8')).toBe('public');
    expect(cat('64:ff9b::10.0.0.1')).toBe('reserved');
    expect(cat('64:ff9b::127.0.0.1')).toBe('reserved');
    expect(cat('64:ff9b::169.254.169.254')).toBe('reserved');
    expect(cat('2002:0808:0808::1')).toBe('public');
    expect(cat('2002:c0a8:0101::1')).toBe('reserved'); // 192.168.1.1
    expect(cat('64:ff9b:1::1')).toBe('reserved');
  });
});

describe('unmapIpv4', () => {
  it('turns ::ffff:a.b.c.d into a.b.c.d and leaves other addresses alone', () => {
    expect(formatIp(unmapIpv4(parseIp('::ffff:192.0.2.1')!))).toBe('192.0.2.1');
    expect(formatIp(unmapIpv4(parseIp('::1')!))).toBe('::1');
    expect(formatIp(unmapIpv4(parseIp('10.1.2.3')!))).toBe('10.1.2.3');
  });
});
