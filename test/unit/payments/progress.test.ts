// The progress scan over earlier attempts (§3.1 rows 10–20; P-4…P-10; A-2…A-4).
import { describe, expect, it } from 'vitest';
import { checkProgress, withKeys, type PaymentRow } from '../../../src/payments/index.js';
import { HASH, NOW, SCID1, SECRET, expectErr, expectOk, hop, ids, makePayer } from './helpers.js';

const PEER = ids[5]!;
const DEST = ids[7]!;
const OTHER = ids[8]!;
const route = (final: number | bigint, dest = DEST) => [hop(PEER, SCID1, 10n + BigInt(final), 15), hop(dest, '200x2x1', final, 9)];
const PREIMAGE = '44'.repeat(32);

describe('progress scan through sendpay', () => {
  it('P-4: another group in flight → 200 (also when groupid is omitted)', async () => {
    const { payer } = await makePayer();
    expectOk(await payer.call('sendpay', { route: route(1000), payment_hash: HASH }));
    const msg = 'Payment with groupid=1 still in progress, cannot retry before that completes.';
    expectErr(await payer.call('sendpay', { route: route(1000), payment_hash: HASH }), 200, msg);
    expectErr(await payer.call('sendpay', { route: route(1000), payment_hash: HASH, groupid: 9 }), 200, msg);
  });

  it('P-5: no mixing of parallel and non-parallel in a group (named after the existing row)', async () => {
    const { payer } = await makePayer();
    expectOk(await payer.call('sendpay', { route: route(1000), payment_hash: HASH, groupid: 1 }));
    expectErr(
      await payer.call('sendpay', { route: route(1000), payment_hash: HASH, groupid: 1, partid: 1, amount_msat: 3000, payment_secret: SECRET }),
      200,
      'Already have non-parallel payment in progress',
    );
    const { payer: e2 } = await makePayer();
    expectOk(await e2.call('sendpay', { route: route(1000), payment_hash: HASH, groupid: 1, partid: 1, amount_msat: 3000, payment_secret: SECRET }));
    expectErr(await e2.call('sendpay', { route: route(1000), payment_hash: HASH, groupid: 1 }), 200, 'Already have parallel payment in progress');
  });

  it('P-6: same attempt pending — amount or destination changed → 201; identical → the existing row, nothing sent', async () => {
    const { payer } = await makePayer();
    const first = expectOk(await payer.call('sendpay', { route: route(1000), payment_hash: HASH, groupid: 1 }));
    expectErr(
      await payer.call('sendpay', { route: route(2000), payment_hash: HASH, groupid: 1 }),
      201,
      'Already pending with amount 1000msat (not 2000msat)',
    );
    expectErr(await payer.call('sendpay', { route: route(1000, OTHER), payment_hash: HASH, groupid: 1 }), 201, `Already pending to ${DEST}`);
    const again = expectOk(await payer.call('sendpay', { route: route(1000), payment_hash: HASH, groupid: 1, label: 'ignored' }));
    expect(again).toEqual(first);
    expect(payer.offered).toHaveLength(1);
    expect(await payer.rows()).toHaveLength(1);
    expect(payer.counters.created).toBe(1n);
  });

  it('row 14: all parts of a group carry the same total', async () => {
    const { payer } = await makePayer();
    const part = (partid: number, total: number) => ({ route: route(1000), payment_hash: HASH, groupid: 1, partid, amount_msat: total, payment_secret: SECRET });
    expectOk(await payer.call('sendpay', part(1, 3000)));
    expectErr(await payer.call('sendpay', part(2, 4000)), -32602, 'msatoshi was previously 3000msat, now 4000msat');
  });

  it('A-3 / row 20: refused once pending parts reach the total; the last part may overshoot', async () => {
    const { payer } = await makePayer();
    const part = (partid: number, final: number) => ({ route: route(final), payment_hash: HASH, groupid: 1, partid, amount_msat: 3000, payment_secret: SECRET });
    expectOk(await payer.call('sendpay', part(1, 2000)));
    expectOk(await payer.call('sendpay', part(2, 2000))); // 2000 pending < 3000: allowed, total 4000 overshoots
    expectErr(await payer.call('sendpay', part(3, 1)), 200, 'Already have 4000msat of 3000msat payments in progress');
  });

  it('A-3: zero totals are exempt', async () => {
    const { payer } = await makePayer();
    const part = (partid: number) => ({ route: route(0), payment_hash: HASH, groupid: 1, partid, amount_msat: 0, payment_secret: SECRET });
    expectOk(await payer.call('sendpay', part(1)));
    expectOk(await payer.call('sendpay', part(2)));
  });

  it('A-4: destination is only compared within the same partid', async () => {
    const { payer } = await makePayer();
    const part = (partid: number, dest: string) => ({ route: route(1000, dest), payment_hash: HASH, groupid: 1, partid, amount_msat: 3000, payment_secret: SECRET });
    expectOk(await payer.call('sendpay', part(1, DEST)));
    expectOk(await payer.call('sendpay', part(2, OTHER)));
  });

  it('row 15: overflow of the pending sum → -1', async () => {
    const { payer } = await makePayer();
    const half = 1n << 63n;
    const part = (partid: number) => ({
      route: [hop(PEER, SCID1, half, 9)],
      payment_hash: HASH,
      groupid: 1,
      partid,
      amount_msat: 18446744073709551615n,
      payment_secret: SECRET,
    });
    expectOk(await payer.call('sendpay', part(1)));
    expectOk(await payer.call('sendpay', part(2)));
    expectErr(await payer.call('sendpay', part(3)), -1, `Internal amount overflow! ${half}msat + ${half}msat`);
  });

  it('P-8: a completed part replays idempotently (even with no peer), or refuses changed details', async () => {
    const { payer } = await makePayer();
    expectOk(await payer.call('sendpay', { route: route(1000), payment_hash: HASH }));
    await payer.fulfill({ payment_hash: HASH, partid: 0n, groupid: 1n }, PREIMAGE.toUpperCase());
    payer.channels.hops = [];
    const out = await payer.callText(
      `{"jsonrpc":"2.0","id":7,"method":"sendpay","params":[[{"id":"${PEER}","channel":"${SCID1}","amount_msat":1010,"delay":1},{"id":"${DEST}","channel":"9x9x9","amount_msat":1000,"delay":1}],"${HASH}"]}`,
    );
    expect(out).toBe(
      `{"jsonrpc":"2.0","id":7,"result":{"created_index":1,"id":1,"payment_hash":"${HASH}","groupid":1,"updated_index":1,"destination":"${DEST}","amount_msat":1000,"amount_sent_msat":1010,"created_at":${NOW},"completed_at":${NOW},"status":"complete","payment_preimage":"${PREIMAGE}"}}`,
    );
    expectErr(await payer.call('sendpay', { route: route(999), payment_hash: HASH }), 201, 'Already succeeded with amount 1000msat (not 999msat)');
    expectErr(await payer.call('sendpay', { route: route(1000, OTHER), payment_hash: HASH }), 201, `Already succeeded to ${DEST}`);
    expect(await payer.rows()).toHaveLength(1);
  });

  it('P-9: a completed other part blocks new parts ("other parts")', async () => {
    const { payer } = await makePayer();
    const part = (partid: number) => ({ route: route(1000), payment_hash: HASH, groupid: 1, partid, amount_msat: 3000, payment_secret: SECRET });
    expectOk(await payer.call('sendpay', part(1)));
    await payer.fulfill({ payment_hash: HASH, partid: 1n, groupid: 1n }, PREIMAGE);
    expectErr(await payer.call('sendpay', part(2)), 201, 'Already succeeded other parts');
  });

  it('P-7 / row 18: a failed row with the same (partid, groupid) is the unique key', async () => {
    const { payer } = await makePayer();
    expectOk(await payer.call('sendpay', { route: route(1000), payment_hash: HASH }));
    await payer.failLocal({ payment_hash: HASH, partid: 0n, groupid: 1n }, 4103, 'Too many HTLCs');
    expectErr(
      await payer.call('sendpay', { route: route(1000), payment_hash: HASH, groupid: 1 }),
      201,
      `There already is a payment with payment_hash=${HASH}, groupid=1, partid=0. Either change the partid, or wait for the payment to complete and start a new group.`,
    );
    // …while omitting groupid is the normal retry (P-10).
    expectOk(await payer.call('sendpay', { route: route(1000), payment_hash: HASH }));
  });
});

describe('checkProgress: the first matching row wins', () => {
  const row = (over: Partial<PaymentRow>): PaymentRow =>
    withKeys({
      payment_hash: HASH,
      partid: 0n,
      groupid: 1n,
      created_index: 1n,
      updated_index: 0n,
      status: 'pending',
      destination: DEST,
      amount_msat: 1000n,
      amount_sent_msat: 1010n,
      total_msat: 1000n,
      created_at: NOW,
      ...over,
    });
  const input = { payment_hash: HASH, partid: 0n, groupid: 2n, final: 1000n, total: 1000n, destination: DEST };

  it('order of rows decides between conflicting conditions', () => {
    const pendingOther = row({ groupid: 1n, created_index: 1n });
    const complete = row({ groupid: 3n, created_index: 2n, status: 'complete', payment_preimage: PREIMAGE });
    expect(checkProgress([pendingOther, complete], input)).toMatchObject({ kind: 'error', error: { code: 200 } });
    expect(checkProgress([complete, pendingOther], input)).toMatchObject({ kind: 'complete', row: complete });
  });

  it('complete rows with another partid are skipped entirely (no unique-key check)', () => {
    const c = row({ partid: 5n, groupid: 2n, status: 'complete' });
    expect(checkProgress([c], { ...input, partid: 5n, final: 1n })).toMatchObject({ kind: 'error', error: { code: 201 } });
    const r = checkProgress([c], input);
    expect(r).toMatchObject({ kind: 'error', error: { message: 'Already succeeded other parts' } });
  });

  it('unknown destinations are not compared', () => {
    const c = row({ status: 'complete', destination: undefined });
    expect(checkProgress([c], { ...input, destination: OTHER }).kind).toBe('complete');
  });

  it('nothing stored → clear', () => {
    expect(checkProgress([], input)).toEqual({ kind: 'clear' });
  });
});
