// The chunked sorted list behind every memory index, against a plain sorted array.
import { describe, expect, it } from 'vitest';
import { SortedList } from '../../../src/store/sorted-list.js';

function rng(seed: number): () => number {
  let s = seed;
  return () => (s = (s * 48271) % 2147483647) / 2147483647;
}

describe('SortedList', () => {
  it('matches a sorted array through random inserts, removals, seeks and scans', () => {
    const rand = rng(42);
    const list = new SortedList<number>((a, b) => a - b);
    const ref: number[] = [];
    for (let step = 0; step < 20_000; step++) {
      const v = Math.floor(rand() * 5000);
      if (rand() < 0.65 || ref.length === 0) {
        list.insert(v);
        let at = ref.findIndex((x) => x > v);
        if (at < 0) at = ref.length;
        ref.splice(at, 0, v);
      } else {
        const cur = list.find(v);
        const i = ref.indexOf(v);
        expect(cur !== undefined).toBe(i >= 0);
        if (cur !== undefined) {
          list.removeAt(cur);
          ref.splice(i, 1);
        }
      }
      if (step % 500 === 0) {
        expect(list.size).toBe(ref.length);
        const lo = Math.floor(rand() * 5000);
        const hi = lo + Math.floor(rand() * 2000);
        const from = list.seek((e) => e >= lo);
        const to = list.seek((e) => e > hi);
        const want = ref.filter((e) => e >= lo && e <= hi);
        expect(list.distance(from, to)).toBe(want.length);
        const fwd: number[] = [];
        list.scan(from, to, false, (e) => (fwd.push(e), true));
        expect(fwd).toEqual(want);
        const back: number[] = [];
        list.scan(from, to, true, (e) => (back.push(e), back.length < 7));
        expect(back).toEqual([...want].reverse().slice(0, 7));
      }
    }
    const all: number[] = [];
    list.forEach((e) => all.push(e));
    expect(all).toEqual(ref);
  });

  it('handles empty lists and ranges', () => {
    const list = new SortedList<number>((a, b) => a - b);
    expect(list.distance(list.start(), list.end())).toBe(0);
    list.scan(list.start(), list.end(), true, () => {
      throw new Error('nothing to visit');
    });
    list.insert(1);
    const past = list.seek((e) => e > 5);
    expect(list.at(past)).toBeUndefined();
    expect(list.distance(past, list.start())).toBe(0);
  });
});
