import { describe, expect, it } from 'vitest';
import { JsonStreamError, JsonStreamSplitter } from '../../../src/cli/json-stream.js';

const enc = (s: string) => new TextEncoder().encode(s);

describe('JsonStreamSplitter', () => {
  it('splits back-to-back requests and reassembles split ones', () => {
    const s = new JsonStreamSplitter();
    expect(s.push(enc('{"a":1}{"b":"}{"}\n[1,'))).toEqual(['{"a":1}', '{"b":"}{"}']);
    expect(s.push(enc('2]  {"c":"x\\"}'))).toEqual(['[1,2]']);
    expect(s.push(enc('"}'))).toEqual(['{"c":"x\\"}"}']);
  });
  it('handles multi-byte characters split across chunks', () => {
    const s = new JsonStreamSplitter();
    const b = enc('{"l":"€"}');
    expect(s.push(b.subarray(0, 7))).toEqual([]);
    expect(s.push(b.subarray(7))).toEqual(['{"l":"€"}']);
  });
  it('rejects garbage and oversize input', () => {
    expect(() => new JsonStreamSplitter().push(enc('hello'))).toThrow(JsonStreamError);
    expect(() => new JsonStreamSplitter(10).push(enc('{"aaaaaaaaaaaaaa'))).toThrow(/larger than/);
  });
});
