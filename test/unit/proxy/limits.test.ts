import { describe, expect, it } from 'vitest';
import { ClientLimiter, clientKey } from '../../../src/proxy/limits.js';

describe('clientKey', () => {
  it('keys IPv4 by address (mapped or not) and IPv6 by /64', () => {
    expect(clientKey('192.0.2.7')).toBe('192.0.2.7');
    expect(clientKey('::ffff:192.0.2.7')).toBe('192.0.2.7');
    expect(clientKey('2001:db8:1:2:aaaa::1')).toBe('2001:db8:1:2::/64');
    expect(clientKey('2001:db8:1:2:bbbb::9')).toBe('2001:db8:1:2::/64');
    expect(clientKey('2001:db8:1:3::1')).not.toBe(clientKey('2001:db8:1:2::1'));
  });
});

describe('ClientLimiter', () => {
  it('caps concurrent connections per client and frees a slot on release', () => {
    const l = new ClientLimiter(2, { count: 100, windowMs: 60_000 }, 100);
    expect(l.acquire('1.2.3.4')).toBe('ok');
    expect(l.acquire('1.2.3.4')).toBe('ok');
    expect(l.acquire('1.2.3.4')).toBe('too-many');
    expect(l.acquire('5.6.7.8')).toBe('ok');
    l.release('1.2.3.4');
    expect(l.acquire('1.2.3.4')).toBe('ok');
  });

  it('caps the admission rate in a sliding window', () => {
    let now = 1_000_000;
    const l = new ClientLimiter(100, { count: 3, windowMs: 60_000 }, 100, () => now);
    for (let i = 0; i < 3; i++) {
      expect(l.acquire('1.2.3.4')).toBe('ok');
      l.release('1.2.3.4');
      now += 1000;
    }
    expect(l.acquire('1.2.3.4')).toBe('rate');
    expect(l.acquire('9.9.9.9')).toBe('ok');
    now += 58_000; // the first admission leaves the window
    expect(l.acquire('1.2.3.4')).toBe('ok');
  });

  it('caps the total', () => {
    const l = new ClientLimiter(10, { count: 100, windowMs: 60_000 }, 2);
    expect(l.acquire('1.1.1.1')).toBe('ok');
    expect(l.acquire('2.2.2.2')).toBe('ok');
    expect(l.acquire('3.3.3.3')).toBe('busy');
  });

  it('forgets idle clients so memory stays bounded', () => {
    let now = 0;
    const l = new ClientLimiter(10, { count: 5, windowMs: 1000 }, 1_000_000, () => now, 50);
    for (let i = 0; i < 200; i++) {
      l.acquire(`10.0.${i >> 8}.${i & 255}`);
      l.release(`10.0.${i >> 8}.${i & 255}`);
    }
    expect(l.size).toBeLessThanOrEqual(50);
    now += 5000;
    l.acquire('1.1.1.1');
    expect(l.size).toBe(1);
  });
});
