import { describe, expect, it } from 'vitest';
import {
  canonicalInvstring,
  devDef,
  opt,
  optDef,
  paramBinFromHex,
  paramBool,
  paramEscapedString,
  paramFeerate,
  paramIndex,
  paramInvstring,
  paramMsat,
  paramNodeId,
  paramNumber,
  paramSecret,
  paramSha256,
  paramString,
  paramU32,
  paramU64,
  parseJson,
  parseParams,
  req,
  type Outcome,
} from '../../../src/rpc/index.js';

const HASH = 'ab'.repeat(32);

const specs = [
  req('payment_hash', paramSha256),
  opt('timeout', paramNumber),
  optDef('partid', paramU64, 0n),
  opt('groupid', paramU64),
] as const;

function run(json: string, developer = true) {
  return parseParams(specs, parseJson(json), { developer });
}

function errMsg<T>(r: Outcome<T>): string {
  if (r.ok) throw new Error('expected an error');
  expect(r.error.code).toBe(-32602);
  return r.error.message;
}

describe('param(): positional', () => {
  it('fills in order, null means absent, defaults apply', () => {
    const r = run(`["${HASH}", null, 5]`);
    expect(r).toEqual({ ok: true, value: { payment_hash: HASH, timeout: undefined, partid: 5n, groupid: undefined } });
  });

  it('too many parameters: got N, expected M (N counts every element)', () => {
    expect(errMsg(run(`["${HASH}", 1, 2, 3, 4, null]`))).toBe('too many parameters: got 6, expected 4');
  });

  it('a bad earlier value is reported before "too many"', () => {
    expect(errMsg(run(`["zz", 1, 2, 3, 4]`))).toBe("payment_hash: should be a 32 byte hex value: invalid token '\"zz\"'");
  });

  it('missing required parameter (positional null)', () => {
    expect(errMsg(run('[null, 5]'))).toBe('missing required parameter: payment_hash');
    expect(errMsg(run('[]'))).toBe('missing required parameter: payment_hash');
  });
});

describe('param(): named', () => {
  it('accepts any order', () => {
    expect(run(`{"groupid": "7", "payment_hash": "${HASH.toUpperCase()}"}`)).toEqual({
      ok: true,
      value: { payment_hash: HASH, timeout: undefined, partid: 0n, groupid: 7n },
    });
  });

  it('null is NOT absent: it goes to the parser', () => {
    expect(errMsg(run(`{"payment_hash": "${HASH}", "partid": null}`))).toBe(
      "partid: should be an unsigned 64 bit integer: invalid token 'null'",
    );
  });

  it('unknown parameter text', () => {
    expect(errMsg(run(`{"payment_hash": "${HASH}", "bogus": 1}`))).toBe(
      'unknown parameter: bogus, this may be caused by a failure to autodetect key=value-style parameters. Please try using the -k flag and explicit key=value pairs of parameters.',
    );
  });

  it('duplicate json names', () => {
    expect(errMsg(run(`{"partid": 1, "partid": 2, "payment_hash": "${HASH}"}`))).toBe('duplicate json names: partid');
  });

  it('missing required is checked only after all supplied values parsed', () => {
    expect(errMsg(run('{"timeout": "x"}'))).toBe("timeout: should be an integer: invalid token '\"x\"'");
    expect(errMsg(run('{"timeout": 3}'))).toBe('missing required parameter: payment_hash');
  });

  it('errors come in request order', () => {
    expect(errMsg(run('{"groupid": -1, "timeout": "x"}'))).toBe("groupid: should be an unsigned 64 bit integer: invalid token '-1'");
  });

  it('params must be array or object', () => {
    expect(errMsg(run('"x"'))).toBe('Expected array or object for params');
    expect(errMsg(run('5'))).toBe('Expected array or object for params');
  });

  it('non-developer mode hides the token', () => {
    expect(errMsg(run('{"timeout": "x"}', false))).toBe('timeout: should be an integer: invalid token (see logs for details)');
  });
});

describe('developer-only parameters', () => {
  const dspecs = [req('a', paramU64), devDef('dev_x', paramBool, false)] as const;
  it('accepted in developer mode', () => {
    expect(parseParams(dspecs, parseJson('[1, true]'), { developer: true })).toEqual({ ok: true, value: { a: 1n, dev_x: true } });
  });
  it('rejected otherwise, by position and by name', () => {
    expect(errMsg(parseParams(dspecs, parseJson('[1, true]'), { developer: false }))).toBe('Parameter 1 is developer-only');
    expect(errMsg(parseParams(dspecs, parseJson('{"a":1,"dev_x":true}'), { developer: false }))).toBe(
      "Parameter 'dev_x' is developer-only",
    );
    expect(parseParams(dspecs, parseJson('[1]'), { developer: false })).toEqual({ ok: true, value: { a: 1n, dev_x: false } });
  });
});

describe('individual parsers', () => {
  const ctx = { developer: true };
  const p = <T>(parser: (t: ReturnType<typeof parseJson>, n: string, c: typeof ctx) => Outcome<T>, json: string) =>
    parser(parseJson(json), 'x', ctx);

  it('u64: digits only from number or string, overflow rejected', () => {
    expect(p(paramU64, '18446744073709551615')).toEqual({ ok: true, value: 18446744073709551615n });
    expect(p(paramU64, '"18446744073709551615"')).toEqual({ ok: true, value: 18446744073709551615n });
    expect(p(paramU64, '"007"')).toEqual({ ok: true, value: 7n });
    for (const bad of ['18446744073709551616', '-1', '1.0', '1e2', '"+1"', '" 1"', '""', '"0x10"', 'true', 'null', '[1]']) {
      expect(errMsg(p(paramU64, bad))).toBe(`x: should be an unsigned 64 bit integer: invalid token '${bad}'`);
    }
  });

  it('u32 and number (u32 with "should be an integer")', () => {
    expect(p(paramU32, '4294967295')).toEqual({ ok: true, value: 4294967295 });
    expect(errMsg(p(paramU32, '4294967296'))).toBe("x: should be an unsigned 32 bit integer: invalid token '4294967296'");
    expect(p(paramNumber, '"60"')).toEqual({ ok: true, value: 60 });
    expect(errMsg(p(paramNumber, '-5'))).toBe("x: should be an integer: invalid token '-5'");
    expect(errMsg(p(paramNumber, '1.5'))).toBe("x: should be an integer: invalid token '1.5'");
  });

  it('32-byte hex: exact length, case-insensitive, lowercase out', () => {
    expect(p(paramSha256, `"${'AB'.repeat(32)}"`)).toEqual({ ok: true, value: 'ab'.repeat(32) });
    expect(p(paramSecret, `"${'0f'.repeat(32)}"`)).toEqual({ ok: true, value: '0f'.repeat(32) });
    for (const bad of [`"${'ab'.repeat(31)}"`, `"${'ab'.repeat(33)}"`, `"${'zz'.repeat(32)}"`, '5']) {
      expect(errMsg(p(paramSha256, bad))).toBe(`x: should be a 32 byte hex value: invalid token '${bad}'`);
    }
  });

  it('node id: 33-byte hex that is a valid point', () => {
    const g = '0279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798';
    const parser = paramNodeId();
    expect(p(parser, `"${g.toUpperCase()}"`)).toEqual({ ok: true, value: g });
    const notOnCurve = '02' + 'ff'.repeat(32);
    expect(errMsg(p(parser, `"${notOnCurve}"`))).toBe(`x: should be a node id: invalid token '"${notOnCurve}"'`);
    expect(errMsg(p(parser, '"02"'))).toBe(`x: should be a node id: invalid token '"02"'`);
  });

  it('escaped string: JSON string only, escapes undone, \\u refused', () => {
    expect(p(paramEscapedString, '"a\\nb\\"c\\\\u"')).toEqual({ ok: true, value: 'a\nb"c\\u' });
    expect(errMsg(p(paramEscapedString, '"\\u0041"'))).toBe(`x: should be a string (without \\u): invalid token '"\\u0041"'`);
    expect(errMsg(p(paramEscapedString, '5'))).toBe(`x: should be a string (without \\u): invalid token '5'`);
  });

  it('string: raw token text, never fails, not unescaped', () => {
    expect(p(paramString, '"a\\"b"')).toEqual({ ok: true, value: 'a\\"b' });
    expect(p(paramString, '12')).toEqual({ ok: true, value: '12' });
  });

  it('feerate: sat/kvB by default, perkw/perkb suffixes, named targets', () => {
    expect(p(paramFeerate, '"1000"')).toEqual({ ok: true, value: { perkw: 250 } });
    expect(p(paramFeerate, '1001')).toEqual({ ok: true, value: { perkw: 250 } });
    expect(p(paramFeerate, '"1001perkb"')).toEqual({ ok: true, value: { perkw: 250 } });
    expect(p(paramFeerate, '"253perkw"')).toEqual({ ok: true, value: { perkw: 253 } });
    expect(p(paramFeerate, '"urgent"')).toEqual({ ok: true, value: { target: 2 } });
    expect(p(paramFeerate, '"normal"')).toEqual({ ok: true, value: { target: 6 } });
    expect(p(paramFeerate, '"slow"')).toEqual({ ok: true, value: { target: 100 } });
    expect(p(paramFeerate, '"minimum"')).toEqual({ ok: true, value: { target: 1008 } });
    for (const bad of ['"fast"', '"1.5perkw"', '"-1"', '"perkw"', '"10 perkw"']) {
      expect(errMsg(p(paramFeerate, bad))).toBe(`x: should be a feerate: invalid token '${bad}'`);
    }
  });

  it('invstring: strips lightning: and lowercases', () => {
    expect(p(paramInvstring, '"LIGHTNING:LNBC1XYZ"')).toEqual({ ok: true, value: 'lnbc1xyz' });
    expect(p(paramInvstring, '"lightning:lni1abc"')).toEqual({ ok: true, value: 'lni1abc' });
    expect(p(paramInvstring, '"LnBc1"')).toEqual({ ok: true, value: 'lnbc1' });
  });

  it('invstring: only "lightning:" and "LIGHTNING:" are schemes (CLN bolt11.c); other spellings stay', () => {
    expect(canonicalInvstring('lightning:LNBC1A')).toBe('lnbc1a');
    expect(canonicalInvstring('LIGHTNING:lnbc1a')).toBe('lnbc1a');
    // Mixed-case schemes are not stripped: the string is only lowercased, and then fails to decode.
    expect(canonicalInvstring('Lightning:LNBC1A')).toBe('lightning:lnbc1a');
    expect(canonicalInvstring('lIGHTNING:lnbc1a')).toBe('lightning:lnbc1a');
    // One scheme only, and only at the start.
    expect(canonicalInvstring('lightning:lightning:lnbc1a')).toBe('lightning:lnbc1a');
    expect(canonicalInvstring('LNBC1A lightning:')).toBe('lnbc1a lightning:');
    expect(canonicalInvstring('lightning:')).toBe('');
    expect(p(paramInvstring, '"Lightning:LNBC1XYZ"')).toEqual({ ok: true, value: 'lightning:lnbc1xyz' });
  });

  it('bool: JSON true/false only', () => {
    expect(p(paramBool, 'false')).toEqual({ ok: true, value: false });
    expect(errMsg(p(paramBool, '"true"'))).toBe(`x: should be 'true' or 'false': invalid token '"true"'`);
  });

  it('bin from hex: CLN never fails here; bad hex is "not given"', () => {
    expect(p(paramBinFromHex, '"0aFF"')).toEqual({ ok: true, value: new Uint8Array([10, 255]) });
    expect(p(paramBinFromHex, '"abc"')).toEqual({ ok: true, value: undefined });
    expect(p(paramBinFromHex, '"zz"')).toEqual({ ok: true, value: undefined });
  });

  it('index: created/updated/deleted strings only', () => {
    expect(p(paramIndex, '"deleted"')).toEqual({ ok: true, value: 'deleted' });
    expect(errMsg(p(paramIndex, '"Created"'))).toBe(`x: unknown index: invalid token '"Created"'`);
  });

  it('msat parser message', () => {
    expect(errMsg(p(paramMsat, '"1.5sat"'))).toBe(`x: should be a millisatoshi amount: invalid token '"1.5sat"'`);
  });
});
