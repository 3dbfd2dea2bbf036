// delpay (§1.4, §3.4, I-3), listpays grouping (§2.7) and `wait` (§2.6, I-1, I-2).
import { describe, expect, it } from 'vitest';
import type { JsonOut } from '../../../src/rpc/index.js';
import { groupListpays, withKeys, type PaymentRow } from '../../../src/payments/index.js';
import { HASH, HASH2, NOW, SCID1, SECRET, expectErr, expectOk, hop, ids, makePayer } from './helpers.js';

const PEER = ids[5]!;
const DEST = ids[7]!;
const route = (final = 1000) => [hop(PEER, SCID1, final + 10, 15), hop(DEST, '200x2x1', final, 9)];
const PRE = '88'.repeat(32);

async function withFailedAndPending() {
  const made = await makePayer();
  expectOk(await made.payer.call('sendpay', { route: route(), payment_hash: HASH }));
  await made.payer.failLocal({ payment_hash: HASH, partid: 0n, groupid: 1n }, 4103, 'x');
  expectOk(await made.payer.call('sendpay', { route: route(), payment_hash: HASH }));
  return made;
}

describe('delpay', () => {
  it('parameter rules', async () => {
    const { payer } = await makePayer();
    expectErr(await payer.call('delpay', [HASH, 'pending']), -32602, `status: Cannot delete pending status: invalid token '"pending"'`);
    expectErr(await payer.call('delpay', [HASH, 'done']), -32602, `status: should be an invoice status: invalid token '"done"'`);
    expectErr(await payer.call('delpay', [HASH, 'failed', 0]), -32602, 'Must set both partid and groupid, or neither');
    expectErr(await payer.call('delpay', { payment_hash: HASH, status: 'failed', groupid: 1 }), -32602, 'Must set both partid and groupid, or neither');
    expectErr(await payer.call('delpay', [HASH]), -32602, 'missing required parameter: status');
  });

  it('208 messages (code 208, not the documented 211)', async () => {
    const { payer } = await withFailedAndPending();
    expectErr(await payer.call('delpay', [HASH2, 'failed']), 208, `Unknown payment with payment_hash: ${HASH2}`);
    expectErr(
      await payer.call('delpay', [HASH, 'complete']),
      208,
      `Payment with hash ${HASH} has pending status but it different from the one provided complete`,
    );
    expectErr(await payer.call('delpay', [HASH, 'failed', 0, 7]), 208, 'No payment for that payment_hash with that partid and groupid');
  });

  it('whole-hash delete removes only rows of that status and bumps no index (CLN FIXME)', async () => {
    const { payer } = await withFailedAndPending();
    const r = expectOk(await payer.call('delpay', [HASH, 'failed'])) as { payments: Array<Record<string, JsonOut>> };
    expect(r.payments.map((p) => [p['created_index'], p['status']])).toEqual([[1n, 'failed']]);
    expect((await payer.rows()).map((x) => x.created_index)).toEqual([2n]);
    expect(payer.counters.deleted).toBe(0n);
  });

  it('delete by partid+groupid bumps `deleted` and wakes `wait`; created_index is never reused', async () => {
    const { payer } = await withFailedAndPending();
    const waiting = await payer.wait(['sendpays', 'deleted', 1]);
    expectOk(await payer.call('delpay', { payment_hash: HASH, status: 'failed', partid: 0, groupid: 1 }));
    expect(payer.counters.deleted).toBe(1n);
    expect(payer.bumps.at(-1)).toMatchObject({ index: 'deleted', value: 1n });
    expect(expectOk(await waiting.answer)).toEqual({
      subsystem: 'sendpays',
      deleted: 1n,
      sendpays: { status: 'failed', partid: 0n, groupid: 1n, payment_hash: HASH },
    });
    await payer.failLocal({ payment_hash: HASH, partid: 0n, groupid: 2n }, 4103, 'x');
    expectOk(await payer.call('delpay', [HASH, 'failed']));
    const next = expectOk(await payer.call('sendpay', { route: route(), payment_hash: HASH }));
    expect(next).toMatchObject({ created_index: 3n, groupid: 1n });
    // The counters were committed with the deletions: a restart continues from them.
    const restarted = await payer.restart();
    expect(restarted.counters).toEqual({ created: 3n, updated: 2n, deleted: 1n });
  });

  it('deleted rows are gone from the store; a complete row is deleted by status complete', async () => {
    const { payer } = await makePayer();
    expectOk(await payer.call('sendpay', { route: route(), payment_hash: HASH }));
    expectErr(await payer.call('delpay', [HASH, 'complete']), 208, `Payment with hash ${HASH} has pending status but it different from the one provided complete`);
    await payer.fulfill({ payment_hash: HASH, partid: 0n, groupid: 1n }, PRE);
    const r = expectOk(await payer.call('delpay', { payment_hash: HASH, status: 'complete' })) as { payments: Array<Record<string, JsonOut>> };
    expect(r.payments).toMatchObject([{ status: 'complete', payment_preimage: PRE, created_index: 1n }]);
    expect(await payer.rows()).toEqual([]);
    expect(await (await payer.restart()).rows()).toEqual([]);
    expectErr(await payer.call('waitsendpay', [HASH]), 208, `Never attempted payment part 0 for '${HASH}'`);
    // With the completed row gone, the hash can be paid again (a new group 1).
    expect(expectOk(await payer.call('sendpay', { route: route(), payment_hash: HASH }))).toMatchObject({ groupid: 1n, created_index: 2n, status: 'pending' });
  });

  it('a pending row is never deleted, even when another row of the hash matches', async () => {
    const { payer } = await withFailedAndPending();
    expectErr(await payer.call('delpay', [HASH, 'failed', 0, 2]), 208, `Payment with hash ${HASH} has pending status but it different from the one provided failed`);
    expect((await payer.rows()).map((x) => x.status)).toEqual(['failed', 'pending']);
  });
});

describe('listpays', () => {
  it('merges parts per (hash, groupid) in first-seen order, with xpay’s keys and order', async () => {
    const { payer } = await makePayer();
    // group 1 of HASH: a failed single attempt
    expectOk(await payer.call('sendpay', { route: route(), payment_hash: HASH, label: 'first', bolt11: 'lnbcrt1xyz' }));
    await payer.failLocal({ payment_hash: HASH, partid: 0n, groupid: 1n }, 4103, 'x');
    // group 2 of HASH: three MPP parts, one fails, two complete
    const part = (partid: number, final: number) => ({
      route: route(final),
      payment_hash: HASH,
      groupid: 2,
      partid,
      amount_msat: 3000,
      payment_secret: SECRET,
      description: 'desc',
    });
    expectOk(await payer.call('sendpay', part(1, 1000)));
    expectOk(await payer.call('sendpay', part(2, 1000)));
    await payer.failLocal({ payment_hash: HASH, partid: 2n, groupid: 2n }, 4103, 'x');
    expectOk(await payer.call('sendpay', part(3, 2000)));
    await payer.fulfill({ payment_hash: HASH, partid: 1n, groupid: 2n }, PRE);
    await payer.fulfill({ payment_hash: HASH, partid: 3n, groupid: 2n }, PRE);
    // HASH2: pending, bolt12
    expectOk(await payer.call('sendpay', { route: route(), payment_hash: HASH2, bolt11: 'lni1qqq' }));

    const out = await payer.callText('{"jsonrpc":"2.0","id":1,"method":"listpays","params":{}}');
    expect(out).toBe(
      '{"jsonrpc":"2.0","id":1,"result":{"pays":[' +
        `{"bolt11":"lnbcrt1xyz","destination":"${DEST}","payment_hash":"${HASH}","status":"failed","created_at":${NOW},"label":"first","amount_sent_msat":0,"created_index":1,"updated_index":1},` +
        `{"description":"desc","destination":"${DEST}","payment_hash":"${HASH}","status":"complete","created_at":${NOW},"completed_at":${NOW},"preimage":"${PRE}","amount_msat":3000,"amount_sent_msat":3020,"number_of_parts":2,"created_index":2,"updated_index":4},` +
        `{"bolt12":"lni1qqq","destination":"${DEST}","payment_hash":"${HASH2}","status":"pending","created_at":${NOW},"amount_msat":1000,"amount_sent_msat":1010,"created_index":5}` +
        ']}}',
    );
  });

  it('filters are forwarded to listsendpays (its errors verbatim); start/limit need index', async () => {
    const { payer } = await withFailedAndPending();
    expectErr(await payer.call('listpays', { start: 1 }), -32602, 'Can only specify {start} with {index}');
    expectErr(await payer.call('listpays', { limit: 1 }), -32602, 'Can only specify {limit} with {index}');
    expectErr(await payer.call('listpays', { status: 'bogus' }), -32602, `status: should be an invoice status: invalid token '"bogus"'`);
    expectErr(await payer.call('listpays', { index: 'bogus' }), -32602, `index: unknown index: invalid token '"bogus"'`);
    const r = expectOk(await payer.call('listpays', { status: 'pending' })) as { pays: Array<Record<string, JsonOut>> };
    expect(r.pays.map((p) => p['created_index'])).toEqual([2n]);
    const byIndex = expectOk(await payer.call('listpays', { index: 'created', start: 2, limit: 5 })) as { pays: unknown[] };
    expect(byIndex.pays).toHaveLength(1);
  });

  it('amount_msat is dropped when a counted part has no known amount; status pending beats failed', () => {
    const row = (over: Partial<PaymentRow>): PaymentRow =>
      withKeys({
        payment_hash: HASH,
        partid: 1n,
        groupid: 1n,
        created_index: 1n,
        updated_index: 0n,
        status: 'pending',
        amount_msat: 1000n,
        amount_sent_msat: 1001n,
        total_msat: 2000n,
        created_at: NOW,
        ...over,
      });
    const r = groupListpays([row({}), row({ partid: 2n, created_index: 2n, amount_msat: 0n }), row({ partid: 3n, created_index: 3n, status: 'failed', updated_index: 9n })], 'lnbc1given');
    expect(r.pays).toEqual([
      {
        bolt11: 'lnbc1given',
        payment_hash: HASH,
        status: 'pending',
        created_at: NOW,
        amount_sent_msat: 2002n,
        number_of_parts: 2n,
        created_index: 1n,
        updated_index: 9n,
      },
    ]);
  });
});

describe('wait (sendpays)', () => {
  it('answers at once when the index already reached nextvalue (no details)', async () => {
    const { payer } = await withFailedAndPending();
    expect(expectOk(await payer.call('wait', ['sendpays', 'created', 2]))).toEqual({ subsystem: 'sendpays', created: 2n });
    expect(expectOk(await payer.call('wait', { subsystem: 'sendpays', indexname: 'updated', nextvalue: 0 }))).toEqual({
      subsystem: 'sendpays',
      updated: 1n,
    });
    const out = await payer.callText('{"jsonrpc":"2.0","id":1,"method":"wait","params":["sendpays","created",1]}');
    expect(out).toBe('{"jsonrpc":"2.0","id":1,"result":{"subsystem":"sendpays","created":2}}');
  });

  it('blocks until an event reaches nextvalue, then reports that event', async () => {
    const { payer } = await makePayer();
    const created = (await payer.wait(['sendpays', 'created', 1])).answer;
    const updated = (await payer.wait(['sendpays', 'updated', 1])).answer;
    const later = (await payer.wait(['sendpays', 'created', 2])).answer;
    expect(payer.service.indexWaiters.size).toBe(3);
    expectOk(await payer.call('sendpay', { route: route(), payment_hash: HASH }));
    expect(expectOk(await created)).toEqual({
      subsystem: 'sendpays',
      created: 1n,
      sendpays: { status: 'pending', partid: 0n, groupid: 1n, payment_hash: HASH },
    });
    expect(payer.service.indexWaiters.size).toBe(2);
    await payer.fulfill({ payment_hash: HASH, partid: 0n, groupid: 1n }, PRE);
    expect(expectOk(await updated)).toEqual({
      subsystem: 'sendpays',
      updated: 1n,
      sendpays: { status: 'complete', partid: 0n, groupid: 1n, payment_hash: HASH },
    });
    expect(payer.service.indexWaiters.size).toBe(1);
    expectOk(await payer.call('sendpay', { route: route(), payment_hash: HASH2 }));
    const out = expectOk(await later);
    expect(out).toMatchObject({ created: 2n, sendpays: { payment_hash: HASH2 } });
  });

  it('parameters', async () => {
    const { payer } = await makePayer();
    expectErr(await payer.call('wait', ['payments', 'created', 1]), -32602, `subsystem: unknown subsystem: invalid token '"payments"'`);
    expectErr(await payer.call('wait', ['sendpays', 'newest', 1]), -32602, `indexname: unknown index: invalid token '"newest"'`);
    expectErr(await payer.call('wait', ['sendpays', 'created']), -32602, 'missing required parameter: nextvalue');
    expect(expectOk(await payer.call('wait', ['forwards', 'created', 0]))).toEqual({ subsystem: 'forwards', created: 0n });
  });

  it('a blocked wait can be abandoned without side effects', async () => {
    const { payer } = await makePayer();
    const ac = new AbortController();
    const w = await payer.wait(['sendpays', 'created', 5], { signal: ac.signal });
    expect(payer.service.indexWaiters.size).toBe(1);
    ac.abort(new Error('closed'));
    expectErr(await w.answer, -1, 'closed');
    expect(payer.service.indexWaiters.size).toBe(0);
  });
});
