// TipPoller under fake timers: one timer for all listeners, gone with the last one; polls never
// overlap; a throwing listener neither starves the others nor fails the poll.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { TipPoller } from '../../../src/chain/poller.js';

afterEach(() => vi.useRealTimers());

describe('TipPoller', () => {
  it('runs one timer while anyone listens and stops with the last listener', async () => {
    vi.useFakeTimers();
    let tip = 10;
    const p = new TipPoller(() => Promise.resolve(tip), 1000, () => undefined);
    const seen: number[] = [];
    const u1 = p.subscribe((h) => seen.push(h));
    const u2 = p.subscribe(() => undefined);
    expect(vi.getTimerCount()).toBe(1);
    await vi.advanceTimersByTimeAsync(1000);
    tip = 11;
    await vi.advanceTimersByTimeAsync(1000);
    await vi.advanceTimersByTimeAsync(1000);
    expect(seen).toEqual([10, 11]);
    u1();
    expect(vi.getTimerCount()).toBe(1);
    u2();
    expect(vi.getTimerCount()).toBe(0);
  });

  it('skips a tick while the previous poll is still waiting for the backend', async () => {
    vi.useFakeTimers();
    const pending: ((h: number) => void)[] = [];
    const p = new TipPoller(() => new Promise<number>((r) => pending.push(r)), 100, () => undefined);
    const seen: number[] = [];
    p.subscribe((h) => seen.push(h));
    await vi.advanceTimersByTimeAsync(350);
    expect(pending.length).toBe(1);
    pending[0]!(7);
    await vi.advanceTimersByTimeAsync(100);
    expect(seen).toEqual([7]);
    expect(pending.length).toBe(2);
    p.stop();
  });

  it('isolates a throwing listener and reports it', async () => {
    const errors: unknown[] = [];
    const p = new TipPoller(() => Promise.resolve(5), 1000, (e) => errors.push(e));
    const seen: number[] = [];
    p.subscribe(() => {
      throw new Error('listener bug');
    });
    p.subscribe((h) => seen.push(h));
    await p.poll();
    expect(seen).toEqual([5]);
    expect(errors).toEqual([new Error('listener bug')]);
    p.stop();
  });
});
