// A failed commit of the payments service (self-payment row or resolution, HTLC resolution, T-5
// refusal, delpay) is fatal: the service reports it (the node stops, as for channel-layer commits),
// nothing is announced as if it were saved, and no later command writes. The memory store's fault
// injection fails the commit the way a disk error would (and the store with it).
import { describe, expect, it } from 'vitest';
import { PaymentsError, type LocalInvoice } from '../../../src/payments/index.js';
import { PAYMENTS_TABLE_NAME } from '../../../src/runtime/schema.js';
import type { WriteOp } from '../../../src/store/types.js';
import { HASH, SCID1, SECRET, expectErr, expectOk, hop, ids, makePayer, type Payer } from './helpers.js';

const PEER = ids[5]!;
const route = [hop(PEER, SCID1, 1000, 9)];
const ID1 = { payment_hash: HASH, partid: 0n, groupid: 1n };
const invoice: LocalInvoice = { status: 'unpaid', amount_msat: 1000n, payment_secret: SECRET, secret_required: true, preimage: '55'.repeat(32) };

/** Fail the next commit that puts a payments row with this status (and every commit after it). */
function failWhenRow(payer: Payer, status: 'pending' | 'complete' | 'failed'): void {
  let failed = false;
  payer.faults.failCommit = (ops: readonly WriteOp[]) => {
    failed ||= ops.some((op) => op.table === PAYMENTS_TABLE_NAME && 'put' in op && op.put['status'] === status);
    return failed;
  };
}

async function expectStopped(payer: Payer): Promise<void> {
  expect(payer.fatal).toHaveLength(1);
  expect(String(payer.fatal[0])).toContain('injected write failure');
  expect(payer.service.isStopped).toBe(true);
  // Nothing writes any more: commands answer -5, HTLC ends are refused (the node is stopping).
  expectErr(await payer.call('sendpay', { route, payment_hash: 'cd'.repeat(32) }), -5, 'node stopped: a store write failed');
  expectErr(await payer.call('sendpay', { route: [], payment_hash: 'cd'.repeat(32), amount_msat: 1 }), -5, 'node stopped: a store write failed');
  expectErr(await payer.call('delpay', [HASH, 'failed']), -5, 'node stopped: a store write failed');
  await expect(payer.fulfill(ID1, '66'.repeat(32))).rejects.toMatchObject({ code: 'STOPPED' });
  await expect(payer.orphan(ID1)).rejects.toBeInstanceOf(PaymentsError);
  expect(payer.fatal).toHaveLength(1);
}

describe('payments commit failures stop the node', () => {
  it('self-payment: the pending row’s commit fails → fatal, the call fails, nothing announced', async () => {
    const { payer } = await makePayer();
    payer.invoices.set(HASH, invoice);
    failWhenRow(payer, 'pending');
    const e = expectErr(await payer.call('sendpay', { route: [], payment_hash: HASH, amount_msat: 1000, payment_secret: SECRET }), -1);
    expect(e.message).toContain('injected write failure');
    expect(payer.bumps).toEqual([]);
    expect(payer.counters.created).toBe(0n);
    expect(payer.notifications).toEqual([]);
    await expectStopped(payer);
  });

  it('self-payment: the resolution’s commit (row complete + invoice paid) fails → fatal, no success reported', async () => {
    const { payer } = await makePayer();
    payer.invoices.set(HASH, invoice);
    failWhenRow(payer, 'complete');
    expectErr(await payer.call('sendpay', { route: [], payment_hash: HASH, amount_msat: 1000, payment_secret: SECRET }), -1);
    // The created bump was durable and announced; the completion was not.
    expect(payer.bumps.map((b) => b.index)).toEqual(['created']);
    expect(payer.counters.updated).toBe(0n);
    expect(payer.notifications).toEqual([]);
    await expectStopped(payer);
  });

  it('self-payment failure: the failed row’s commit fails → fatal', async () => {
    const { payer } = await makePayer();
    failWhenRow(payer, 'failed');
    expectErr(await payer.call('sendpay', { route: [], payment_hash: HASH, amount_msat: 1000 }), -1);
    expect(payer.notifications).toEqual([]);
    await expectStopped(payer);
  });

  it('HTLC resolution: the commit fails → fatal, the settle rejects, waiters are not told it happened', async () => {
    const { payer } = await makePayer();
    expectOk(await payer.call('sendpay', { route, payment_hash: HASH }));
    const w = await payer.waitsendpay([HASH]);
    let answered = false;
    void w.answer.then(() => (answered = true));
    failWhenRow(payer, 'complete');
    await expect(payer.fulfill(ID1, '66'.repeat(32))).rejects.toThrow('injected write failure');
    for (let i = 0; i < 5; i++) await new Promise((r) => setImmediate(r));
    expect(answered).toBe(false);
    expect(payer.notifications).toEqual([]);
    expect(payer.counters.updated).toBe(0n);
    await expectStopped(payer);
  });

  it('T-5: the commit of a refused HTLC’s failed attempt fails → fatal', async () => {
    const { payer } = await makePayer();
    payer.channels.refuse = { failcode: 4103, reason: 'Too many HTLCs' };
    failWhenRow(payer, 'pending');
    expectErr(await payer.call('sendpay', { route, payment_hash: HASH }), -1);
    expect(payer.bumps).toEqual([]);
    await expectStopped(payer);
  });

  it('delpay: the deletion’s commit fails → fatal, the rows are not reported deleted', async () => {
    const { payer } = await makePayer();
    expectOk(await payer.call('sendpay', { route, payment_hash: HASH }));
    await payer.failLocal(ID1, 4103, 'x');
    payer.faults.failCommit = (ops) => ops.some((op) => 'delete' in op);
    expectErr(await payer.call('delpay', { payment_hash: HASH, status: 'failed', partid: 0, groupid: 1 }), -1);
    expect(payer.counters.deleted).toBe(0n);
    expect(payer.bumps.map((b) => b.index)).toEqual(['created', 'updated']);
    await expectStopped(payer);
  });

  it('a duplicate settle of a final row commits only its extra records; their failure is fatal too', async () => {
    const { payer } = await makePayer();
    expectOk(await payer.call('sendpay', { route, payment_hash: HASH }));
    await payer.fulfill(ID1, '66'.repeat(32));
    payer.faults.failCommit = () => true;
    await expect(payer.service.resolveOffered(ID1, { kind: 'fulfilled', preimage: new Uint8Array(32) }, [{ table: 'meta', put: { key: 'x' } }])).rejects.toThrow(
      'injected write failure',
    );
    await expectStopped(payer);
  });
});
