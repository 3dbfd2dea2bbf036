import { describe, expect, it } from 'vitest';
import { manualSendpayParams, parseRouteJson, routeToJson } from '../../../web/route-json.js';
import { HASH, SECRET, expectErr, expectOk, ids, makePayer } from '../payments/helpers.js';

const HUB = ids[5]!;
const SHOP = ids[7]!;

describe('route JSON', () => {
  it('round-trips a built route and keeps u64 amounts exact', () => {
    const text = routeToJson([
      { id: HUB, channel: '1x2x3', amount_msat: 18_446_744_073_709_551_615n, delay: 52 },
      { id: SHOP, channel: '105x1x0', amount_msat: 100_000n, delay: 18 },
    ]);
    expect(text).toBe(`[\n  { "id": "${HUB}", "channel": "1x2x3", "amount_msat": 18446744073709551615, "delay": 52 },\n  { "id": "${SHOP}", "channel": "105x1x0", "amount_msat": 100000, "delay": 18 }\n]`);
    const parsed = parseRouteJson(text);
    expect(parsed).toEqual({
      ok: true,
      route: [
        { id: HUB, channel: '1x2x3', amount_msat: 18_446_744_073_709_551_615n, delay: 52 },
        { id: SHOP, channel: '105x1x0', amount_msat: 100_000, delay: 18 },
      ],
      hops: [
        { id: HUB, channel: '1x2x3' },
        { id: SHOP, channel: '105x1x0' },
      ],
    });
  });

  it('accepts getroute output and getroutes hop names', () => {
    const r = parseRouteJson(JSON.stringify({ route: [{ node_id_out: HUB.toUpperCase(), short_channel_id_dir: '1x2x3/1', amount_out_msat: '1000msat', cltv_out: 9 }] }));
    expect(r).toMatchObject({ ok: true, hops: [{ id: HUB, channel: '1x2x3' }] });
  });

  it('reports what it cannot read', () => {
    expect(parseRouteJson('')).toMatchObject({ ok: false, reason: expect.stringMatching(/^Paste a route/) });
    expect(parseRouteJson('[{"id": }]')).toMatchObject({ ok: false, reason: expect.stringMatching(/^The route is not valid JSON: /) });
    expect(parseRouteJson('{"a": 1}')).toMatchObject({ ok: false, reason: expect.stringMatching(/must be a JSON array/) });
  });

  it('builds sendpay params that the payments engine accepts, and lets it judge the hops', async () => {
    const { payer } = await makePayer();
    const req = manualSendpayParams({
      routeText: `[{"id":"${HUB}","channel":"103x1x0","amount_msat":1000,"delay":9}]`,
      payment_hash: ` ${HASH} `,
      payment_secret: SECRET,
      amount_msat: '',
      label: '  ',
    });
    if (!req.ok) throw new Error(req.reason);
    expect(req.params).toEqual({ route: [{ id: HUB, channel: '103x1x0', amount_msat: 1000, delay: 9 }], payment_hash: HASH, payment_secret: SECRET });
    expect(expectOk(await payer.call('sendpay', req.params))).toMatchObject({ status: 'pending' });
    // A bad hop goes through unchanged, so the answer is Core Lightning's own message.
    const bad = manualSendpayParams({ routeText: '[{"id":"02zz","channel":"1x1x1","amount_msat":1,"delay":1}]', payment_hash: HASH, payment_secret: '', amount_msat: '1sat' });
    if (!bad.ok) throw new Error(bad.reason);
    expect(bad.params.amount_msat).toBe('1sat');
    expectErr(await payer.call('sendpay', bad.params), -32602, `route: bad node_id: invalid token '"02zz"'`);
  });
});
