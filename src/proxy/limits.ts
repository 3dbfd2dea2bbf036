// Per-client caps: concurrent relays and admission rate, keyed by client address. IPv6 clients
// are keyed by their /64: one subscriber usually holds a whole /64 and could otherwise rotate
// addresses to escape every cap. Memory is bounded: idle keys are dropped, and the table has a
// hard size after which the oldest rate entries are evicted.
import { formatIp, parseIp, unmapIpv4 } from './ip.js';
import type { RateLimit } from './config.js';

export type LimitVerdict = 'ok' | 'too-many' | 'rate' | 'busy';

interface Entry {
  active: number;
  /** Admission times within the current window, oldest first (at most `rate.count`). */
  recent: number[];
}

/** Key for a client address: the IPv4 address, or the IPv6 /64 prefix. Unparseable text is its own key. */
export function clientKey(address: string): string {
  const ip = parseIp(address);
  if (!ip) return address;
  const u = unmapIpv4(ip);
  if (u.version === 4) return formatIp(u);
  const b = u.bytes.slice();
  b.fill(0, 8);
  return `${formatIp({ version: 6, bytes: b })}/64`;
}

export class ClientLimiter {
  private readonly entries = new Map<string, Entry>();
  private total = 0;
  private lastSweep = 0;

  constructor(
    private readonly perIp: number,
    private readonly rate: RateLimit,
    private readonly maxTotal: number,
    private readonly now: () => number = Date.now,
    private readonly maxKeys = 100_000,
  ) {}

  /** Admits one connection (counts it against the caps) or says which cap refused it. */
  acquire(address: string): LimitVerdict {
    const key = clientKey(address);
    const t = this.now();
    if (t - this.lastSweep >= this.rate.windowMs) {
      this.sweep();
      this.lastSweep = t;
    }
    const e = this.entries.get(key) ?? { active: 0, recent: [] };
    while (e.recent.length > 0 && t - e.recent[0]! >= this.rate.windowMs) e.recent.shift();
    // Attempts refused by the other caps count towards the rate too: a client retrying in a
    // tight loop against a full concurrency cap gets rate-limited as well.
    let verdict: LimitVerdict = 'ok';
    if (e.recent.length >= this.rate.count) verdict = 'rate';
    else if (e.active >= this.perIp) verdict = 'too-many';
    else if (this.total >= this.maxTotal) verdict = 'busy';
    if (e.recent.length < this.rate.count) e.recent.push(t);
    if (verdict === 'ok') {
      e.active++;
      this.total++;
    }
    this.store(key, e);
    return verdict;
  }

  release(address: string): void {
    const key = clientKey(address);
    const e = this.entries.get(key);
    if (!e || e.active === 0) return;
    e.active--;
    this.total--;
  }

  /** Number of keys tracked (for tests of the memory bound). */
  get size(): number {
    return this.entries.size;
  }

  private store(key: string, e: Entry): void {
    // Re-inserting moves the key to the end of the Map's order, making the first key the
    // least recently seen: that is the one evicted when the table is full.
    this.entries.delete(key);
    this.entries.set(key, e);
    if (this.entries.size <= this.maxKeys) return;
    for (const [k, v] of this.entries) {
      if (this.entries.size <= this.maxKeys) break;
      if (v.active === 0) this.entries.delete(k);
    }
  }

  /** Drops keys with no live relay and no admission inside the window. */
  sweep(): void {
    const t = this.now();
    for (const [k, v] of this.entries) {
      if (v.active === 0 && (v.recent.length === 0 || t - v.recent[v.recent.length - 1]! >= this.rate.windowMs)) {
        this.entries.delete(k);
      }
    }
  }
}
