// The chunked sorted list behind every memory index, against a plain sorted array.
import { describe, expect, it } from 'vitest';
import { SortedList } from '../../../src/store/sorted-list.js';

function rng(seed: number): () => number {
  let s = seed;
  return () => (s = (s * 48271) % 2147483647) / 2147483647;
}

const key = (n: number): string => String(n).padStart(5, '0');

describe('SortedList', () => {
  it('matches a sorted array through random inserts, removals, seeks and scans', () => {
    const rand = rng(42);
    const list = new SortedList<{ sk: string }>();
    const ref: string[] = [];
    for (let step = 0; step < 20_000; step++) {
      const sk = key(Math.floor(rand() * 8000));
      const i = ref.indexOf(sk);
      const cur = list.find(sk);
      expect(cur !== undefined).toBe(i >= 0);
      if (rand() < 0.65 && i < 0) {
        list.insert({ sk });
        let at = ref.findIndex((x) => x > sk);
        if (at < 0) at = ref.length;
        ref.splice(at, 0, sk);
      } else if (cur !== undefined) {
        list.removeAt(cur);
        ref.splice(i, 1);
      }
      if (step % 500 === 0) {
        expect(list.size).toBe(ref.length);
        const lo = key(Math.floor(rand() * 8000));
        const hi = key(Number(lo) + Math.floor(rand() * 3000));
        const from = list.seek(lo);
        const to = list.seek(`${hi}~`); // just past hi
        const want = ref.filter((e) => e >= lo && e <= hi);
        expect(list.distance(from, to)).toBe(want.length);
        const fwd: string[] = [];
        list.scan(from, to, false, (e) => (fwd.push(e.sk), true));
        expect(fwd).toEqual(want);
        const back: string[] = [];
        list.scan(from, to, true, (e) => (back.push(e.sk), back.length < 7));
        expect(back).toEqual([...want].reverse().slice(0, 7));
      }
    }
    expect(list.size).toBeGreaterThan(1000); // several chunks were split and merged away
    const all: string[] = [];
    list.forEach((e) => all.push(e.sk));
    expect(all).toEqual(ref);
  });

  it('bulk-loads sorted entries and stays consistent for later inserts and removals', () => {
    const list = new SortedList<{ sk: string }>();
    const keys = Array.from({ length: 3000 }, (_, i) => key(i * 2));
    list.load(keys.map((sk) => ({ sk })));
    expect(list.size).toBe(3000);
    list.insert({ sk: key(1) });
    list.insert({ sk: key(5999) });
    list.removeAt(list.find(key(0))!);
    const all: string[] = [];
    list.forEach((e) => all.push(e.sk));
    expect(all).toEqual([key(1), ...keys.slice(1), key(5999)]);
    expect(list.distance(list.seek(key(100)), list.seek(key(200)))).toBe(50);
  });

  it('handles empty lists and ranges', () => {
    const list = new SortedList<{ sk: string }>();
    expect(list.distance(list.start(), list.end())).toBe(0);
    list.scan(list.start(), list.end(), true, () => {
      throw new Error('nothing to visit');
    });
    list.insert({ sk: 'a' });
    const past = list.seek('b');
    expect(list.at(past)).toBeUndefined();
    expect(list.distance(past, list.start())).toBe(0);
  });
});
