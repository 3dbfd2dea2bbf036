// sendpay parameter parsing: route hop naming styles, hop error order, scid leniency, and the
// plain parameters (spec §0.1, §1.1).
import { describe, expect, it } from 'vitest';
import { parseJson, parseParams, JSONRPC2_INVALID_PARAMS } from '../../../src/rpc/index.js';
import { SENDPAY_PARAMS, parseScidLenient, formatScid } from '../../../src/payments/index.js';
import { HASH, ids, expectErr, expectOk } from './helpers.js';

const A = ids[5]!;
const B = ids[6]!;

function parse(paramsJson: string) {
  return parseParams(SENDPAY_PARAMS, parseJson(paramsJson));
}
function routeErr(routeJson: string): string {
  return expectErr(parse(`{"route": ${routeJson}, "payment_hash": "${HASH}"}`), JSONRPC2_INVALID_PARAMS).message;
}

describe('route hops: both naming styles (v26.06)', () => {
  it('getroute names', () => {
    const p = expectOk(parse(`[[{"id":"${A}","channel":"103x1x0","amount_msat":1000,"delay":9}], "${HASH}"]`));
    expect(p.route).toEqual([{ scid: (103n << 40n) | (1n << 16n), node_id: A, amount_msat: 1000n, delay: 9 }]);
  });

  it('getroutes names, with the /direction suffix discarded', () => {
    const p = expectOk(
      parse(`[[{"node_id_out":"${A}","short_channel_id_dir":"103x1x0/1","amount_out_msat":"1sat","cltv_out":"9"}], "${HASH}"]`),
    );
    expect(p.route).toEqual([{ scid: (103n << 40n) | (1n << 16n), node_id: A, amount_msat: 1000n, delay: 9 }]);
  });

  it('either name accepts either scid form; mixed styles per field', () => {
    const p = expectOk(
      parse(`[[{"id":"${A}","channel":"1x2x3/0","amount_out_msat":5,"delay":1},{"node_id_out":"${B}","short_channel_id_dir":"4x5x6","amount_msat":4,"cltv_out":0}], "${HASH}"]`),
    );
    expect(p.route.map((h) => formatScid(h.scid))).toEqual(['1x2x3', '4x5x6']);
    expect(p.route[1]!.delay).toBe(0);
  });

  it('the newer name wins when both are present', () => {
    const p = expectOk(
      parse(`[[{"id":"zz","node_id_out":"${A}","channel":"bad","short_channel_id_dir":"7x8x9/1","amount_msat":"x","amount_out_msat":3,"delay":"x","cltv_out":2}], "${HASH}"]`),
    );
    expect(p.route[0]).toEqual({ scid: (7n << 40n) | (8n << 16n) | 9n, node_id: A, amount_msat: 3n, delay: 2 });
    expect(routeErr(`[{"short_channel_id_dir":"bad","channel":"1x1x1","id":"${A}","amount_msat":1,"delay":1}]`)).toBe(
      `route: bad short_channel_id: invalid token '"bad"'`,
    );
  });

  it('unknown members are ignored (direction, style "legacy", anything)', () => {
    const p = expectOk(
      parse(`[[{"id":"${A}","channel":"1x1x1","amount_msat":1,"delay":1,"direction":7,"style":"legacy","foo":{}}], "${HASH}"]`),
    );
    expect(p.route).toHaveLength(1);
  });

  it('empty route parses (payment to self)', () => {
    expect(expectOk(parse(`[[], "${HASH}"]`)).route).toEqual([]);
  });
});

describe('route hop errors (all -32602, param name "route")', () => {
  const hopText = `{"id":"${A}","amount_msat":1,"delay":1}`;
  it('non-array', () => {
    expect(routeErr('"x"')).toBe(`route: must be an array: invalid token '"x"'`);
    expect(routeErr('{}')).toBe(`route: must be an array: invalid token '{}'`);
  });

  it('missing members name the hop token', () => {
    expect(routeErr(`[${hopText}]`)).toBe(`route: must have either short_channel_id_dir or channel: invalid token '${hopText}'`);
    const noNode = '{"channel":"1x1x1","amount_msat":1,"delay":1}';
    expect(routeErr(`[${noNode}]`)).toBe(`route: must have either node_id_out or id: invalid token '${noNode}'`);
    const noAmt = `{"channel":"1x1x1","id":"${A}","delay":1}`;
    expect(routeErr(`[${noAmt}]`)).toBe(`route: must have either amount_out_msat or amount_msat: invalid token '${noAmt}'`);
    const noCltv = `{"channel":"1x1x1","id":"${A}","amount_msat":1}`;
    expect(routeErr(`[${noCltv}]`)).toBe(`route: must have either cltv_out or delay: invalid token '${noCltv}'`);
    expect(routeErr('[5]')).toBe(`route: must have either short_channel_id_dir or channel: invalid token '5'`);
  });

  it('bad values name the member token', () => {
    expect(routeErr(`[{"channel":"1x1","id":"${A}","amount_msat":1,"delay":1}]`)).toBe(`route: bad short_channel_id: invalid token '"1x1"'`);
    expect(routeErr(`[{"channel":"1x1x1","id":"02${'ff'.repeat(32)}","amount_msat":1,"delay":1}]`)).toBe(
      `route: bad node_id: invalid token '"02${'ff'.repeat(32)}"'`,
    );
    expect(routeErr(`[{"channel":"1x1x1","id":"${A}","amount_msat":"1.5sat","delay":1}]`)).toBe(`route: bad amount: invalid token '"1.5sat"'`);
    expect(routeErr(`[{"channel":"1x1x1","id":"${A}","amount_msat":1,"delay":-1}]`)).toBe(`route: bad cltv_out/delay: invalid token '-1'`);
    expect(routeErr(`[{"channel":"1x1x1","id":"${A}","amount_msat":1,"cltv_out":4294967296}]`)).toBe(
      `route: bad cltv_out/delay: invalid token '4294967296'`,
    );
  });

  it('within a hop: channel → node → amount → cltv', () => {
    expect(routeErr('[{"channel":"x","id":"y","amount_msat":"z","delay":"w"}]')).toBe(`route: bad short_channel_id: invalid token '"x"'`);
    expect(routeErr('[{"channel":"1x1x1","id":"y","amount_msat":"z","delay":"w"}]')).toBe(`route: bad node_id: invalid token '"y"'`);
    expect(routeErr(`[{"channel":"1x1x1","id":"${A}","amount_msat":"z","delay":"w"}]`)).toBe(`route: bad amount: invalid token '"z"'`);
    const noNodeBadAmt = '{"channel":"1x1x1","amount_msat":"z","delay":1}';
    expect(routeErr(`[${noNodeBadAmt}]`)).toBe(`route: must have either node_id_out or id: invalid token '${noNodeBadAmt}'`);
  });

  it('hop by hop: an earlier hop’s last field beats a later hop’s first', () => {
    expect(
      routeErr(`[{"channel":"1x1x1","id":"${A}","amount_msat":1,"delay":"w"},{"channel":"bad","id":"${B}","amount_msat":1,"delay":1}]`),
    ).toBe(`route: bad cltv_out/delay: invalid token '"w"'`);
  });
});

describe('scid text: CLN-lenient %ux%ux%hu with 24/24-bit checks', () => {
  const v = (b: bigint, t: bigint, o: bigint) => (b << 40n) | (t << 16n) | o;
  it.each<[string, bigint]>([
    ['103x1x0', v(103n, 1n, 0n)],
    ['16777215x16777215x65535', v(0xffffffn, 0xffffffn, 0xffffn)],
    ['103x1x0/1', v(103n, 1n, 0n)],
    ['103x1x0/7', v(103n, 1n, 0n)],
    ['103x1x0junk', v(103n, 1n, 0n)],
    [' 103x 1x\t0', v(103n, 1n, 0n)],
    ['+103x+1x+0', v(103n, 1n, 0n)],
    ['103x1x65536', v(103n, 1n, 0n)], // %hu truncates modulo 2^16
    ['103x1x-1', v(103n, 1n, 0xffffn)], // C negation modulo 2^64, then truncation
    ['4294967399x1x0', v(103n, 1n, 0n)], // %u truncates modulo 2^32
    ['-0x1x0', v(0n, 1n, 0n)],
    ['0x0x0', 0n],
  ])('accepts %j', (text, want) => {
    expect(parseScidLenient(text)).toBe(want);
  });

  it.each(['', 'x', '103x1', '103x1x', '103X1X0', '103 x1x0', '16777216x1x0', '1x16777216x0', '-1x1x0', '103:1:0', 'ax1x0', '99999999999999999999999x1x0'])(
    'rejects %j',
    (text) => {
      expect(parseScidLenient(text)).toBeUndefined();
    },
  );

  it('formats BxTxO', () => {
    expect(formatScid(v(539268n, 845n, 1n))).toBe('539268x845x1');
  });
});

describe('other sendpay parameters', () => {
  const base = `"route": [], "payment_hash": "${HASH}"`;
  it('positional order and defaults', () => {
    const p = expectOk(parse(`[[], "${HASH}", "lbl", "1000", "LIGHTNING:LNBC1X", "${'AB'.repeat(32)}", 3, null, 7, "0a0b", "d"]`));
    expect(p).toEqual({
      route: [],
      payment_hash: HASH,
      label: 'lbl',
      amount_msat: 1000n,
      bolt11: 'lnbc1x',
      payment_secret: 'ab'.repeat(32),
      partid: 3n,
      localinvreqid: undefined,
      groupid: 7n,
      payment_metadata: new Uint8Array([10, 11]),
      description: 'd',
      dev_legacy_hop: false,
    });
    const d = expectOk(parse(`[[], "${HASH}"]`));
    expect(d.partid).toBe(0n);
    expect(d.groupid).toBeUndefined();
  });

  it('too many parameters (dev_legacy_hop counts in developer mode)', () => {
    expect(expectErr(parse(`[[], "${HASH}", null, null, null, null, null, null, null, null, null, false, 1]`)).message).toBe(
      'too many parameters: got 13, expected 12',
    );
  });

  it('label must be a JSON string without \\u', () => {
    expect(expectErr(parse(`{${base}, "label": 5}`)).message).toBe("label: should be a string (without \\u): invalid token '5'");
    expect(expectErr(parse(`{${base}, "label": "\\u00e9"}`)).message).toBe(`label: should be a string (without \\u): invalid token '"\\u00e9"'`);
    expect(expectOk(parse(`{${base}, "label": "a\\tb"}`)).label).toBe('a\tb');
  });

  it('named null is not absent', () => {
    expect(expectErr(parse(`{${base}, "amount_msat": null}`)).message).toBe("amount_msat: should be a millisatoshi amount: invalid token 'null'");
    expect(expectErr(parse(`{${base}, "groupid": null}`)).message).toBe("groupid: should be an unsigned 64 bit integer: invalid token 'null'");
    // payment_metadata's CLN parser never fails: null is as good as absent.
    expect(expectOk(parse(`{${base}, "payment_metadata": null}`)).payment_metadata).toBeUndefined();
  });

  it('hash and secret need exactly 32 bytes of hex', () => {
    expect(expectErr(parse(`[[], "abcd"]`)).message).toBe(`payment_hash: should be a 32 byte hex value: invalid token '"abcd"'`);
    expect(expectErr(parse(`{${base}, "payment_secret": "00"}`)).message).toBe(
      `payment_secret: should be a 32 byte hex value: invalid token '"00"'`,
    );
    expect(expectErr(parse(`{${base}, "localinvreqid": 1}`)).message).toBe(`localinvreqid: should be a 32 byte hex value: invalid token '1'`);
  });

  it('bolt11 is any token, canonicalised; description is raw text', () => {
    expect(expectOk(parse(`{${base}, "bolt11": "lightning:LNI1QQ"}`)).bolt11).toBe('lni1qq');
    expect(expectOk(parse(`{${base}, "bolt11": 12}`)).bolt11).toBe('12');
    expect(expectOk(parse(`{${base}, "description": "say \\"hi\\""}`)).description).toBe('say \\"hi\\"');
  });

  it('missing required parameters after the others parse', () => {
    expect(expectErr(parse(`{"payment_hash": "${HASH}"}`)).message).toBe('missing required parameter: route');
    expect(expectErr(parse('{"route": []}')).message).toBe('missing required parameter: payment_hash');
    expect(expectErr(parse('{"route": [], "partid": "x"}')).message).toBe(
      "partid: should be an unsigned 64 bit integer: invalid token '\"x\"'",
    );
  });

  it('dev_legacy_hop is developer-only', () => {
    expect(expectErr(parseParams(SENDPAY_PARAMS, parseJson(`{${base}, "dev_legacy_hop": true}`), { developer: false })).message).toBe(
      "Parameter 'dev_legacy_hop' is developer-only",
    );
    expect(expectOk(parse(`{${base}, "dev_legacy_hop": true}`)).dev_legacy_hop).toBe(true);
  });
});

describe('untrusted parameters never throw', () => {
  let seed = 0x1234567;
  const rnd = (n: number): number => {
    seed ^= seed << 13;
    seed ^= seed >>> 17;
    seed ^= seed << 5;
    return (seed >>> 0) % n;
  };
  const leaves = ['null', 'true', '0', '-1', '1.5', '18446744073709551616', '""', '"x"', `"${HASH}"`, `"${A}"`, '"1x2x3"', '"10sat"', '{}', '[]'];
  const keys = ['route', 'payment_hash', 'label', 'amount_msat', 'partid', 'groupid', 'id', 'channel', 'delay', 'amount_msat', 'cltv_out', 'zz'];
  const gen = (depth: number): string => {
    const k = rnd(depth > 3 ? 1 : 3);
    if (k === 0) return leaves[rnd(leaves.length)]!;
    if (k === 1) return `[${Array.from({ length: rnd(4) }, () => gen(depth + 1)).join(',')}]`;
    return `{${Array.from({ length: rnd(4) }, () => `"${keys[rnd(keys.length)]}":${gen(depth + 1)}`).join(',')}}`;
  };

  it('random params yield an Outcome, never an exception', () => {
    for (let i = 0; i < 3000; i++) {
      const r = parse(gen(0));
      if (!r.ok) expect(typeof r.error.message).toBe('string');
    }
  });
});
