// Key validity and ordering details that the conformance suite covers only through the stores.
import { describe, expect, it } from 'vitest';
import { asKey, compareKeys, extractKey, toBounds } from '../../../src/store/keys.js';

describe('store keys', () => {
  it('accepts IndexedDB keys and rejects the rest', () => {
    for (const k of [0, -1.5, Infinity, '', 'x', [], [1, ['a']], new Uint8Array(2)]) expect(asKey(k)).toBeDefined();
    for (const k of [NaN, 1n, true, null, undefined, {}, [1, {}], [NaN], new Date(0), [, 1]]) expect(asKey(k)).toBeUndefined();
    expect(Object.is(asKey(-0), 0)).toBe(true);
  });

  it('orders number < string < binary < array, binary byte-wise', () => {
    const ordered = [-Infinity, 0, 'a', new Uint8Array([]), new Uint8Array([0]), new Uint8Array([0, 0]), new Uint8Array([1]), [], [new Uint8Array([1])]];
    for (let i = 0; i < ordered.length; i++) {
      for (let j = 0; j < ordered.length; j++) {
        expect(Math.sign(compareKeys(asKey(ordered[i])!, asKey(ordered[j])!))).toBe(Math.sign(i - j));
      }
    }
  });

  it('evaluates key paths like IndexedDB, including length of strings and arrays', () => {
    expect(extractKey({ a: { b: 'x' } }, 'a.b')).toBe('x');
    expect(extractKey({ s: 'four' }, 's.length')).toBe(4);
    expect(extractKey({ l: [1, 2] }, 'l.length')).toBe(2);
    expect(extractKey({ l: [5, 6] }, 'l.1')).toBe(6);
    expect(extractKey({ a: 1 }, ['a', 'missing'])).toBeUndefined();
    expect(extractKey(Object.create({ inherited: 1 }) as Record<string, never>, 'inherited')).toBeUndefined();
  });

  it('validates ranges like IDBKeyRange', () => {
    expect(() => toBounds({ lower: 2, upper: 1 })).toThrow(/lower bound/);
    expect(() => toBounds({ lower: 1, upper: 1, lowerOpen: true })).toThrow(/lower bound/);
    expect(toBounds({ only: 'k' })).toEqual({ lower: 'k', upper: 'k', lowerOpen: false, upperOpen: false });
  });
});
