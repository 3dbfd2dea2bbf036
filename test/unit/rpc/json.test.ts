import { describe, expect, it } from 'vitest';
import {
  JsonParseError,
  MAX_JSON_DEPTH,
  RawJson,
  getMember,
  parseJson,
  stringifyJson,
  tokenFromValue,
  tokenText,
  tokenToValue,
} from '../../../src/rpc/index.js';
import { LightningError } from '../../../src/errors.js';

describe('JSON codec keeps raw token text', () => {
  it('round-trips u64 max exactly, in and out', () => {
    const tok = parseJson('{"groupid":18446744073709551615}');
    const g = getMember(tok, 'groupid')!;
    expect(g.type).toBe('number');
    expect(tokenText(g)).toBe('18446744073709551615');
    expect(tokenToValue(tok)).toEqual({ groupid: 18446744073709551615n });
    expect(stringifyJson({ groupid: 18446744073709551615n })).toBe('{"groupid":18446744073709551615}');
  });

  it('keeps string raw text (escapes untouched) next to the decoded value', () => {
    const tok = parseJson('"a\\"b\\u0041"');
    expect(tok).toEqual({ type: 'string', full: '"a\\"b\\u0041"', raw: 'a\\"b\\u0041', value: 'a"bA' });
    expect(tokenText(tok)).toBe('a\\"b\\u0041');
  });

  it('keeps number text as written (no float rounding, no normalisation)', () => {
    for (const n of ['0', '-1', '1.50', '1e3', '12345678901234567890123']) {
      expect(parseJson(n)).toEqual({ type: 'number', full: n });
    }
  });

  it('keeps object members in order with duplicates and raw keys', () => {
    const tok = parseJson('{"a":1,"b":2,"a":3,"c\\u0064":4}');
    if (tok.type !== 'object') throw new Error('object expected');
    expect(tok.members.map((m) => [m.key, m.name])).toEqual([
      ['a', 'a'],
      ['b', 'b'],
      ['a', 'a'],
      ['c\\u0064', 'cd'],
    ]);
    expect(tokenText(getMember(tok, 'a')!)).toBe('1');
    expect(tok.full).toBe('{"a":1,"b":2,"a":3,"c\\u0064":4}');
  });

  it('parses whitespace, nesting, literals', () => {
    const tok = parseJson(' \n{ "x" : [ true , false , null , { } , [ ] ] }\t');
    expect(tokenToValue(tok)).toEqual({ x: [true, false, null, {}, []] });
  });

  it.each([
    ['', 'empty'],
    ['{', 'unterminated object'],
    ['[1,]', 'trailing comma'],
    ['{"a" 1}', 'missing colon'],
    ['01', 'leading zero'],
    ['1.', 'bare point'],
    ['-', 'lone minus'],
    ['1e', 'bare exponent'],
    ['tru', 'bad literal'],
    ['"\u0001"', 'raw control character'],
    ['"\\x"', 'bad escape'],
    ['"\\u12"', 'short unicode escape'],
    ['{} {}', 'two values'],
    ["'a'", 'single quotes'],
    ['NaN', 'NaN'],
  ])('rejects %j (%s) with a typed error', (text) => {
    let err: unknown;
    try {
      parseJson(text);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(JsonParseError);
    expect(err).toBeInstanceOf(LightningError);
  });

  it('bounds nesting depth', () => {
    const ok = '['.repeat(MAX_JSON_DEPTH) + ']'.repeat(MAX_JSON_DEPTH);
    expect(() => parseJson(ok)).not.toThrow();
    const deep = '['.repeat(100_000) + ']'.repeat(100_000);
    expect(() => parseJson(deep)).toThrow(JsonParseError);
  });
});

describe('JSON output', () => {
  it('writes bigint as bare integers, omits undefined members, keeps insertion order', () => {
    expect(stringifyJson({ b: 1n, a: undefined, c: 'x', d: [1, null, 2n], e: new RawJson('1.50') })).toBe(
      '{"b":1,"c":"x","d":[1,null,2],"e":1.50}',
    );
  });

  it('escapes strings as JSON', () => {
    expect(stringifyJson('a"b\\c\n\u0001')).toBe('"a\\"b\\\\c\\n\\u0001"');
  });

  it('refuses non-finite numbers', () => {
    expect(() => stringifyJson(Number.NaN)).toThrow(LightningError);
  });

  it('tokenFromValue is what CLN would see from a serialized JS request', () => {
    const tok = tokenFromValue({ amount_msat: 10_000n, payment_hash: 'AB', bytes: new Uint8Array([1, 255]), skip: undefined });
    expect(tok.full).toBe('{"amount_msat":10000,"payment_hash":"AB","bytes":"01ff"}');
    expect(tokenFromValue([1n, undefined, 'x']).full).toBe('[1,null,"x"]');
    expect(() => tokenFromValue({ f: () => 1 })).toThrow(LightningError);
    expect(() => tokenFromValue(new Date())).toThrow(LightningError);
  });

  it('tokenToValue returns numbers when safe, bigint beyond 2^53', () => {
    expect(tokenToValue(parseJson('[9007199254740991, 9007199254740992, -5, 1.5]'))).toEqual([
      9007199254740991,
      9007199254740992n,
      -5,
      1.5,
    ]);
  });
});

describe('untrusted input', () => {
  // Deterministic xorshift so failures reproduce.
  let seed = 0x2545f491;
  const rnd = (n: number): number => {
    seed ^= seed << 13;
    seed ^= seed >>> 17;
    seed ^= seed << 5;
    return (seed >>> 0) % n;
  };
  const alphabet = '{}[]",:\\ -+.0123456789eEtrufalsnu\u0000\u00e9\ud800abcdef';

  it('random text either parses or fails with JsonParseError, never anything else', () => {
    for (let i = 0; i < 5000; i++) {
      let s = '';
      const len = rnd(24);
      for (let j = 0; j < len; j++) s += alphabet[rnd(alphabet.length)];
      try {
        const tok = parseJson(s);
        // Whatever parsed must re-serialize to the same token text.
        expect(tok.full).toBe(s.trim());
      } catch (e) {
        expect(e).toBeInstanceOf(JsonParseError);
      }
    }
  });
});
