// Small pure pieces of the peer layer: backoff, wake signals, address descriptors, data text.
import { describe, expect, it } from 'vitest';
import { Backoff, describeAddressDescriptor, describeData, isPrivateAddress, remoteAddrDescriptor, watchWakeEvents, type WakeDocument, type WakeEventTarget } from '../../../src/peer/index.js';
import { toHex } from '../../../src/util/bytes.js';

describe('Backoff', () => {
  it('grows exponentially to the cap, jitter within [d(1-j), d], reset starts over', () => {
    const b = new Backoff({ initialMs: 100, maxMs: 1000, factor: 2, jitter: 0 });
    expect([b.next(), b.next(), b.next(), b.next(), b.next(), b.next()]).toEqual([100, 200, 400, 800, 1000, 1000]);
    expect(b.attempts).toBe(6);
    b.reset();
    expect(b.next()).toBe(100);
    const lo = new Backoff({ initialMs: 1000, jitter: 0.5 }, () => 1);
    const hi = new Backoff({ initialMs: 1000, jitter: 0.5 }, () => 0);
    expect(lo.next()).toBe(500);
    expect(hi.next()).toBe(1000);
    const r = new Backoff({ initialMs: 1000, maxMs: 8000 });
    for (let i = 0; i < 100; i++) {
      const d = r.next();
      expect(d).toBeGreaterThanOrEqual(Math.min(8000, 1000 * 2 ** i) / 2 - 1);
      expect(d).toBeLessThanOrEqual(8000);
    }
  });
});

class FakeTarget implements WakeDocument {
  visibilityState = 'hidden';
  readonly listeners = new Map<string, Set<() => void>>();
  addEventListener(type: string, fn: () => void): void {
    if (!this.listeners.has(type)) this.listeners.set(type, new Set());
    this.listeners.get(type)!.add(fn);
  }
  removeEventListener(type: string, fn: () => void): void {
    this.listeners.get(type)?.delete(fn);
  }
  fire(type: string): void {
    for (const f of this.listeners.get(type) ?? []) f();
  }
}

describe('watchWakeEvents', () => {
  it('online, pageshow and visibilitychange-to-visible wake; stop() unsubscribes', () => {
    const g = new FakeTarget();
    const d = new FakeTarget();
    let n = 0;
    const stop = watchWakeEvents(() => n++, { global: g as WakeEventTarget, document: d });
    g.fire('online');
    g.fire('pageshow');
    d.fire('visibilitychange'); // still hidden
    d.visibilityState = 'visible';
    d.fire('visibilitychange');
    expect(n).toBe(3);
    stop();
    g.fire('online');
    d.fire('visibilitychange');
    expect(n).toBe(3);
  });
});

describe('address descriptors (remote_addr)', () => {
  it('encodes public IPv4/IPv6 and refuses private ones', () => {
    expect(toHex(remoteAddrDescriptor('203.0.113.5', 9735)!)).toBe('01cb0071052607');
    expect(describeAddressDescriptor(remoteAddrDescriptor('203.0.113.5', 9735)!)).toBe('203.0.113.5:9735');
    const v6 = remoteAddrDescriptor('2001:db8::7', 9736)!;
    expect(toHex(v6)).toBe('0220010db8000000000000000000000007' + '2608');
    expect(describeAddressDescriptor(v6)).toBe('[2001:db8:0:0:0:0:0:7]:9736');
    expect(toHex(remoteAddrDescriptor('::ffff:203.0.113.5', 1)!)).toBe('0200000000000000000000ffffcb0071050001');
    for (const p of ['127.0.0.1', '10.1.2.3', '192.168.0.1', '172.16.0.1', '169.254.1.1', '100.64.0.1', '0.0.0.0', '::1', '::', 'fe80::1', 'fd00::1', '::ffff:127.0.0.1', 'example.com']) {
      expect(isPrivateAddress(p)).toBe(true);
      expect(remoteAddrDescriptor(p, 9735)).toBeUndefined();
    }
    expect(isPrivateAddress('8.8.8.8')).toBe(false);
    expect(isPrivateAddress('172.32.0.1')).toBe(false);
  });

  it('describes DNS and Tor descriptors, rejects malformed ones', () => {
    const dns = Uint8Array.from([5, 4, ...new TextEncoder().encode('node'), 0x26, 0x07]);
    expect(describeAddressDescriptor(dns)).toBe('node:9735');
    expect(describeAddressDescriptor(Uint8Array.from([4, ...new Array<number>(35).fill(0xab), 0, 1]))).toMatch(/^tor:abab.*:1$/);
    for (const bad of [[], [1, 1, 2], [2, 0], [5, 10, 1], [9, 1, 2, 3], [5, 1, 0x0a, 0, 1]]) {
      expect(describeAddressDescriptor(Uint8Array.from(bad))).toBeUndefined();
    }
  });
});

describe('describeData (BOLT 1 printing rule)', () => {
  it('printable ASCII verbatim, anything else hex, long data cut', () => {
    expect(describeData(new TextEncoder().encode('internal error'))).toBe('internal error');
    expect(describeData(Uint8Array.from([0x41, 0x0a]))).toBe('0x410a');
    expect(describeData(new Uint8Array(600).fill(0x61))).toMatch(/^a{512}… \(600 bytes\)$/);
  });
});
