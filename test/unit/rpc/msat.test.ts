// Every row of spec §5's amount table.
import { describe, expect, it } from 'vitest';
import { fmtMsat, paramMsat, parseAmountMsat, parseJson, DEFAULT_PARAM_CONTEXT } from '../../../src/rpc/index.js';

const U64_MAX = 18446744073709551615n;

describe('msat grammar (spec §5)', () => {
  it.each<[string, bigint]>([
    ['0', 0n],
    ['0msat', 0n],
    ['0sat', 0n],
    ['0.00000000btc', 0n],
    ['0.00000000000btc', 0n],
    ['1', 1n],
    ['1msat', 1n],
    ['1sat', 1000n],
    ['0.00000001btc', 1000n],
    ['0.00000000001btc', 1n],
    ['1.2btc', 120000000000n],
    ['1.23456789012btc', 123456789012n],
    ['1.234567890btc', 123456789000n],
    ['2100000000000000000', 2100000000000000000n],
    ['2100000000000000sat', 2100000000000000000n],
    ['21000000btc', 2100000000000000000n],
    ['18446744073709551615', U64_MAX],
    ['18446744073709551615msat', U64_MAX],
    ['1.btc', 100000000000n],
    ['1btc', 100000000000n],
    // suffix prefix-match quirk, emulated deliberately
    ['10msats', 10n],
    ['5satoshi', 5000n],
    ['1btcXYZ', 100000000000n],
    ['007', 7n],
  ])('accepts %j as %s', (text, want) => {
    expect(parseAmountMsat(text)).toBe(want);
  });

  it.each([
    'x',
    'x100',
    '',
    '-1',
    '-1msat',
    '-1sat',
    '-1.23456789btc',
    '0.0',
    '1.5',
    '0.00000000',
    '0.00000000msat',
    '1.5sat',
    '0.001sat',
    '1.000sat',
    '1.000000000000btc',
    '.5btc',
    '1MSAT',
    '1Sat',
    '1BTC',
    '100 msat',
    '1,000',
    '1e3',
    '1000.0',
    '18446744073709551616',
    '18446744073709552sat',
    '21000000000000000000000000.00000000btc',
    '184467440.73709551616btc',
    'msat',
    '1.',
    '1.msat',
    ' 1',
  ])('rejects %j', (text) => {
    expect(parseAmountMsat(text)).toBeUndefined();
  });

  it('reads JSON numbers and strings alike; true and null are invalid', () => {
    const p = (json: string) => paramMsat(parseJson(json), 'amount_msat', DEFAULT_PARAM_CONTEXT);
    expect(p('1000')).toEqual({ ok: true, value: 1000n });
    expect(p('"1000sat"')).toEqual({ ok: true, value: 1000000n });
    for (const bad of ['true', 'null', '1.5', '"1.5"', '{}', '[]']) {
      const r = p(bad);
      expect(r.ok).toBe(false);
      if (!r.ok) {
        expect(r.error.code).toBe(-32602);
        expect(r.error.message).toBe(`amount_msat: should be a millisatoshi amount: invalid token '${bad}'`);
      }
    }
  });

  it('formats amounts in messages as <n>msat', () => {
    expect(fmtMsat(0n)).toBe('0msat');
    expect(fmtMsat(U64_MAX)).toBe('18446744073709551615msat');
  });
});
