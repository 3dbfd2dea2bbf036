// The order-preserving key encoding must agree with compareKeys on every pair of keys.
import { describe, expect, it } from 'vitest';
import { encodeKey } from '../../../src/store/key-encoding.js';
import { compareKeys, type AnyKey } from '../../../src/store/keys.js';

function rng(seed: number): () => number {
  let s = seed;
  return () => (s = (s * 48271) % 2147483647) / 2147483647;
}

const NUMBERS = [-Infinity, -1e300, -2, -1, -0.5, -Number.MIN_VALUE, 0, Number.MIN_VALUE, 0.5, 1, 2, 2 ** 53, 1e300, Infinity];
const STRINGS = ['', '\u0000', '\u0000\u0000', '\u0001', '\u0001\u0000', '\u0002', 'a', 'a\u0000', 'a\u0001', 'ab', 'b', '\u00ff', '\u0100', '\ud800', '\uffff', '\uffff\uffff'];

function randomKey(rand: () => number, depth = 0): AnyKey {
  const r = rand();
  if (r < 0.3) return NUMBERS[Math.floor(rand() * NUMBERS.length)]!;
  if (r < 0.6) return STRINGS[Math.floor(rand() * STRINGS.length)]!;
  if (r < 0.8 || depth > 2) return Uint8Array.from({ length: Math.floor(rand() * 3) }, () => [0, 1, 2, 255][Math.floor(rand() * 4)]!);
  return Array.from({ length: Math.floor(rand() * 3) }, () => randomKey(rand, depth + 1));
}

const sign = (n: number): number => (n < 0 ? -1 : n > 0 ? 1 : 0);
const strCmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

describe('key encoding', () => {
  it('orders like compareKeys on random pairs of keys', () => {
    const rand = rng(9);
    for (let i = 0; i < 20_000; i++) {
      const a = randomKey(rand);
      const b = randomKey(rand);
      expect(strCmp(encodeKey(a), encodeKey(b)), `${JSON.stringify(a)} vs ${JSON.stringify(b)}`).toBe(sign(compareKeys(a, b)));
    }
  });

  it('is prefix-free, so index key + primary key sorts by index key first', () => {
    const rand = rng(3);
    for (let i = 0; i < 5000; i++) {
      const [k1, k2, p1, p2] = [randomKey(rand), randomKey(rand), randomKey(rand), randomKey(rand)];
      const c = compareKeys(k1, k2) || compareKeys(p1, p2);
      expect(strCmp(encodeKey(k1) + encodeKey(p1), encodeKey(k2) + encodeKey(p2))).toBe(sign(c));
    }
  });
});
