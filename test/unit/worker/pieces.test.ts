import { afterEach, describe, expect, it, vi } from 'vitest';
import { CallGate } from '../../../src/worker/call-gate.js';
import { InFlightWatch } from '../../../src/worker/in-flight-watch.js';
import { UnloadGuard, startsPayment, type UnloadTarget } from '../../../src/worker/unload-guard.js';
import { Watchdog } from '../../../src/worker/watchdog.js';

class FakeTarget implements UnloadTarget {
  readonly handlers = new Set<(ev: Event) => void>();
  addEventListener(_t: 'beforeunload', fn: (ev: Event) => void): void {
    this.handlers.add(fn);
  }
  removeEventListener(_t: 'beforeunload', fn: (ev: Event) => void): void {
    this.handlers.delete(fn);
  }
  /** Dispatches beforeunload; true when a handler asked the user to stay. */
  leave(): boolean {
    const ev = new Event('beforeunload', { cancelable: true });
    for (const h of this.handlers) h(ev);
    return ev.defaultPrevented;
  }
}

describe('UnloadGuard', () => {
  it('asks to stay only while HTLCs are in flight', () => {
    const t = new FakeTarget();
    const g = new UnloadGuard(t);
    expect(t.handlers.size).toBe(0);
    expect(t.leave()).toBe(false);
    g.setInFlight(2);
    expect(g.isArmed).toBe(true);
    expect(t.handlers.size).toBe(1);
    expect(t.leave()).toBe(true);
    g.setInFlight(1);
    expect(t.handlers.size).toBe(1); // not added twice
    g.setInFlight(0);
    expect(g.isArmed).toBe(false);
    expect(t.handlers.size).toBe(0);
    expect(t.leave()).toBe(false);
  });

  it('is armed from the moment a payment call is sent until it settles', () => {
    const t = new FakeTarget();
    const g = new UnloadGuard(t);
    const end = g.paymentCall();
    expect(t.leave()).toBe(true);
    g.setInFlight(1); // the HTLC is now counted by the Worker
    end();
    end(); // idempotent
    expect(t.leave()).toBe(true);
    g.setInFlight(0);
    expect(t.leave()).toBe(false);
  });

  it('is disarmed for good once disposed', () => {
    const t = new FakeTarget();
    const g = new UnloadGuard(t);
    g.setInFlight(3);
    g.dispose();
    expect(t.handlers.size).toBe(0);
    g.setInFlight(4);
    expect(t.leave()).toBe(false);
  });

  it('knows which methods start payments', () => {
    expect(startsPayment('sendpay')).toBe(true);
    expect(startsPayment('sendonion')).toBe(true);
    expect(startsPayment('listsendpays')).toBe(false);
    expect(startsPayment('waitsendpay')).toBe(false);
  });
});

describe('CallGate', () => {
  it('passes results and errors through while open', async () => {
    const g = new CallGate();
    await expect(g.run(async () => 5)).resolves.toBe(5);
    await expect(g.run(() => Promise.reject(new Error('no')))).rejects.toThrow('no');
    await expect(
      g.run(() => {
        throw new Error('sync');
      }),
    ).rejects.toThrow('sync');
    expect(g.size).toBe(0);
  });

  it('rejects pending and later calls once failed; the first failure wins', async () => {
    const g = new CallGate();
    const pending = g.run(() => new Promise<never>(() => undefined));
    expect(g.size).toBe(1);
    const err = new Error('worker gone');
    expect(g.fail(err)).toBe(true);
    expect(g.fail(new Error('second'))).toBe(false);
    await expect(pending).rejects.toBe(err);
    await expect(g.run(async () => 1)).rejects.toBe(err);
    expect(g.failed).toBe(err);
    expect(g.size).toBe(0);
  });
});

describe('InFlightWatch', () => {
  afterEach(() => vi.useRealTimers());

  it('pushes only changes, on check and on its timer', () => {
    vi.useFakeTimers();
    let n = 0;
    const pushed: number[] = [];
    const w = new InFlightWatch(() => n, (c) => pushed.push(c), 100);
    w.check();
    expect(pushed).toEqual([]);
    n = 2;
    w.check();
    w.check();
    expect(pushed).toEqual([2]);
    w.start();
    n = 1;
    vi.advanceTimersByTime(100);
    expect(pushed).toEqual([2, 1]);
    w.stop();
    n = 0;
    vi.advanceTimersByTime(500);
    expect(pushed).toEqual([2, 1]);
    expect(w.current).toBe(1);
  });

  it('ignores a node that throws (stopped)', () => {
    const pushed: number[] = [];
    const w = new InFlightWatch(() => {
      throw new Error('stopped');
    }, (c) => pushed.push(c));
    w.check();
    expect(pushed).toEqual([]);
  });
});

describe('Watchdog', () => {
  afterEach(() => vi.useRealTimers());

  it('declares the Worker dead when a ping goes unanswered while calls are pending', async () => {
    vi.useFakeTimers();
    const dead: string[] = [];
    let busy = false;
    let pings = 0;
    const w = new Watchdog(() => (pings++, new Promise(() => undefined)), () => busy, (why) => dead.push(why), { intervalMs: 100, timeoutMs: 1000 });
    w.start();
    await vi.advanceTimersByTimeAsync(500);
    expect(pings).toBe(0); // idle: no pings
    busy = true;
    await vi.advanceTimersByTimeAsync(100);
    expect(pings).toBe(1);
    await vi.advanceTimersByTimeAsync(900);
    expect(dead).toEqual([]);
    expect(pings).toBe(1); // no second ping while one is outstanding
    await vi.advanceTimersByTimeAsync(100);
    expect(dead).toEqual(['the Worker did not answer for 1 s']);
    w.stop();
  });

  it('stays quiet while pings are answered, and after stop', async () => {
    vi.useFakeTimers();
    const dead: string[] = [];
    let pings = 0;
    const w = new Watchdog(async () => void pings++, () => true, (why) => dead.push(why), { intervalMs: 100, timeoutMs: 150 });
    w.start();
    await vi.advanceTimersByTimeAsync(2000);
    expect(pings).toBeGreaterThan(10);
    expect(dead).toEqual([]);
    w.stop();
    const before = pings;
    await vi.advanceTimersByTimeAsync(1000);
    expect(pings).toBe(before);
  });

  it('gives a ping another period when its timer fires far too late (the page was suspended)', async () => {
    vi.useFakeTimers();
    const dead: string[] = [];
    let answer: (() => void) | undefined;
    let skew = 0;
    const now = (): number => performance.now() + skew;
    // The first ping's reply is held back (queued behind the suspension); later ones come at once.
    const ping = (): Promise<void> => (answer === undefined ? new Promise<void>((r) => (answer = r)) : Promise.resolve());
    const w = new Watchdog(ping, () => true, (why) => dead.push(why), { intervalMs: 100, timeoutMs: 1000, now });
    w.start();
    await vi.advanceTimersByTimeAsync(100);
    expect(answer).toBeDefined();
    // Suspension: the clock jumps without timers running, then the timer fires late.
    skew = 5000;
    await vi.advanceTimersByTimeAsync(1000);
    expect(dead).toEqual([]);
    answer!();
    await vi.advanceTimersByTimeAsync(2000);
    expect(dead).toEqual([]);
    w.stop();
  });
});
