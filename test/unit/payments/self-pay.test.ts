// Payment to self via an empty route (S-1…S-7), on the runtime's PaymentsService, following CLN
// PR #9517 for replays: a replayed paid self-payment is an idempotent success.
import { describe, expect, it } from 'vitest';
import { stringifyJson, type JsonOut } from '../../../src/rpc/index.js';
import { checkSelfPayInvoice, type LocalInvoice } from '../../../src/payments/index.js';
import { HASH, NOW, SECRET, expectErr, expectOk, makePayer } from './helpers.js';

const PRE = '55'.repeat(32);
const invoice = (over: Partial<LocalInvoice> = {}): LocalInvoice => ({
  status: 'unpaid',
  amount_msat: 1000n,
  payment_secret: SECRET,
  secret_required: true,
  preimage: PRE,
  ...over,
});

describe('self-payment success (S-2, S-3)', () => {
  it('inserts a row and completes it at once; the answer lacks completed_at/updated_index (quirk)', async () => {
    const { payer, own } = await makePayer();
    payer.invoices.set(HASH, invoice());
    const out = await payer.callText(
      `{"jsonrpc":"2.0","id":1,"method":"sendpay","params":{"route":[],"payment_hash":"${HASH}","amount_msat":1000,"payment_secret":"${SECRET}","label":"me"}}`,
    );
    expect(out).toBe(
      `{"jsonrpc":"2.0","id":1,"result":{"created_index":1,"id":1,"payment_hash":"${HASH}","groupid":1,"destination":"${own}","amount_msat":1000,"amount_sent_msat":1000,"created_at":${NOW},"status":"complete","payment_preimage":"${PRE}","label":"me"}}`,
    );
    // created and updated each +1; the stored row and the notification have the full picture.
    expect(payer.counters).toEqual({ created: 1n, updated: 1n, deleted: 0n });
    expect(payer.bumps.map((b) => [b.index, b.value, b.details.status])).toEqual([
      ['created', 1n, 'pending'],
      ['updated', 1n, 'complete'],
    ]);
    expect((await payer.rows())[0]).toMatchObject({ status: 'complete', completed_at: NOW, updated_index: 1n, total_msat: 1000n, amount_sent_msat: 1000n });
    expect(payer.notifications[0]).toMatchObject({ topic: 'sendpay_success', payload: { status: 'complete', updated_index: 1n, completed_at: NOW } });
    // The invoice's paid mark was committed together with the completed row.
    expect(await payer.invoices.status(HASH)).toBe('paid');
    expect(payer.offered).toEqual([]);
    const waited = expectOk(await payer.call('waitsendpay', [HASH]));
    expect(waited).toMatchObject({ status: 'complete', completed_at: NOW, updated_index: 1n, payment_preimage: PRE });
  });

  it('S-7 per PR #9517: a replay returns the stored complete row (no new row, no new bump, nothing re-checked)', async () => {
    const { payer } = await makePayer();
    payer.invoices.set(HASH, invoice());
    expectOk(await payer.call('sendpay', { route: [], payment_hash: HASH, amount_msat: 1000, payment_secret: SECRET }));
    payer.now = NOW + 60;
    const again = expectOk(await payer.call('sendpay', { route: [], payment_hash: HASH, amount_msat: 1000, payment_secret: SECRET }));
    expect(again).toMatchObject({ status: 'complete', completed_at: NOW, updated_index: 1n, groupid: 1n, payment_preimage: PRE });
    expect(stringifyJson(again)).not.toContain('"message"');
    expect(await payer.rows()).toHaveLength(1);
    expect(payer.bumps).toHaveLength(2);
    expect(payer.notifications).toHaveLength(1);
    // Also after a restart (the invoice is paid by then, which the snapshot's 203 tripped over).
    const restarted = await payer.restart();
    restarted.invoices.set(HASH, invoice({ status: 'paid' }));
    expect(expectOk(await restarted.call('sendpay', { route: [], payment_hash: HASH, amount_msat: 1000 }))).toMatchObject({ status: 'complete', created_index: 1n });
    expectErr(
      await restarted.call('sendpay', { route: [], payment_hash: HASH, amount_msat: 2000, payment_secret: SECRET }),
      201,
      'Already succeeded with amount 1000msat (not 2000msat)',
    );
    expect(await restarted.rows()).toHaveLength(1);
  });
});

describe('self-payment failure (S-4, S-5)', () => {
  it('203 with the bare reason, data = pending snapshot + routing failure; replay says failed: NAME (reason)', async () => {
    const { payer, own } = await makePayer();
    const out = await payer.callText(`{"jsonrpc":"2.0","id":2,"method":"sendpay","params":[[],"${HASH}",null,"5sat"]}`);
    expect(out).toBe(
      `{"jsonrpc":"2.0","id":2,"error":{"code":203,"message":"Unknown invoice ${HASH}","data":{"created_index":1,"id":1,"payment_hash":"${HASH}","groupid":1,"destination":"${own}","amount_msat":5000,"amount_sent_msat":5000,"created_at":${NOW},"status":"pending","erring_index":0,"failcode":16399,"failcodename":"WIRE_INCORRECT_OR_UNKNOWN_PAYMENT_DETAILS","erring_node":"${own}"}}}`,
    );
    expect((await payer.rows())[0]).toMatchObject({ status: 'failed', updated_index: 1n, completed_at: NOW });
    expect(payer.counters).toEqual({ created: 1n, updated: 1n, deleted: 0n });
    const n = payer.notifications[0]!;
    expect(n.topic).toBe('sendpay_failure');
    expect(n.topic === 'sendpay_failure' && n.payload.message).toBe(`failed: WIRE_INCORRECT_OR_UNKNOWN_PAYMENT_DETAILS (Unknown invoice ${HASH})`);
    const r = expectErr(await payer.call('waitsendpay', [HASH]), 203, `failed: WIRE_INCORRECT_OR_UNKNOWN_PAYMENT_DETAILS (Unknown invoice ${HASH})`);
    expect(stringifyJson(r.data as JsonOut)).toContain(`"status":"failed","erring_index":0,"failcode":16399`);
    // The failure info is durable: a restarted service replays the same 203.
    expectErr(await (await payer.restart()).call('waitsendpay', [HASH]), 203, `failed: WIRE_INCORRECT_OR_UNKNOWN_PAYMENT_DETAILS (Unknown invoice ${HASH})`);
  });

  it('a refused self-payment leaves the invoice unpaid', async () => {
    const { payer } = await makePayer();
    payer.invoices.set(HASH, invoice());
    expectErr(await payer.call('sendpay', { route: [], payment_hash: HASH, amount_msat: 999, payment_secret: SECRET }), 203, `Attempt to pay ${HASH} with amount 999msat < 1000msat`);
    expect(await payer.invoices.status(HASH)).toBe('unpaid');
  });

  it('S-5: invoice checks in order, with CLN’s messages', () => {
    const c = (inv: LocalInvoice | undefined, amount: bigint, secret?: string) => checkSelfPayInvoice(HASH, inv, amount, secret);
    expect(c(undefined, 1n, SECRET)).toEqual({ ok: false, reason: `Unknown invoice ${HASH}` });
    expect(c(invoice({ status: 'paid' }), 1000n, SECRET)).toEqual({ ok: false, reason: `Already paid or expired invoice ${HASH}` });
    expect(c(invoice({ status: 'expired' }), 1n)).toEqual({ ok: false, reason: `Already paid or expired invoice ${HASH}` });
    expect(c(invoice(), 1n)).toEqual({ ok: false, reason: `Attempt to pay ${HASH} without secret` });
    expect(c(invoice(), 1n, '00'.repeat(32))).toEqual({ ok: false, reason: `Attempt to pay ${HASH} with wrong payment_secret` });
    expect(c(invoice(), 999n, SECRET)).toEqual({ ok: false, reason: `Attempt to pay ${HASH} with amount 999msat < 1000msat` });
    expect(c(invoice(), 2001n, SECRET)).toEqual({ ok: false, reason: `Attempt to pay ${HASH} with amount 2001msat > 2000msat` });
    expect(c(invoice(), 2000n, SECRET.toUpperCase())).toEqual({ ok: true, preimage: PRE });
    expect(c(invoice({ secret_required: false, amount_msat: undefined }), 1n)).toEqual({ ok: true, preimage: PRE });
  });

  it('S-5 through sendpay: an expired invoice is refused like a paid one', async () => {
    const { payer } = await makePayer();
    payer.invoices.set(HASH, invoice({ status: 'expired' }));
    expectErr(await payer.call('sendpay', { route: [], payment_hash: HASH, amount_msat: 1000, payment_secret: SECRET }), 203, `Already paid or expired invoice ${HASH}`);
  });

  it('failed self-payments do not block a retry (new group) and the retry can succeed', async () => {
    const { payer } = await makePayer();
    payer.invoices.set(HASH, invoice());
    expectErr(await payer.call('sendpay', { route: [], payment_hash: HASH, amount_msat: 1 }), 203, `Attempt to pay ${HASH} without secret`);
    const ok = expectOk(await payer.call('sendpay', { route: [], payment_hash: HASH, amount_msat: 1000, payment_secret: SECRET }));
    expect(ok).toMatchObject({ groupid: 2n, created_index: 2n, status: 'complete' });
    expect((await payer.rows()).map((r) => r.status)).toEqual(['failed', 'complete']);
  });

  it('S-6: an explicit groupid colliding with a part-0 row → 201 instead of a fatal DB error', async () => {
    const { payer } = await makePayer();
    expectErr(await payer.call('sendpay', { route: [], payment_hash: HASH, amount_msat: 1 }), 203);
    expectErr(
      await payer.call('sendpay', { route: [], payment_hash: HASH, amount_msat: 1, groupid: 1 }),
      201,
      `There already is a payment with payment_hash=${HASH}, groupid=1, partid=0. Either change the partid, or wait for the payment to complete and start a new group.`,
    );
    expect(payer.fatal).toEqual([]);
  });

  it('S-2: the progress scan is skipped (a pending remote attempt does not block)', async () => {
    const { payer } = await makePayer();
    payer.invoices.set(HASH, invoice({ secret_required: false }));
    expectOk(await payer.call('sendpay', { route: [{ id: payer.channels.hops[0]!.peer_id, channel: '103x1x0', amount_msat: 1000, delay: 9 }], payment_hash: HASH }));
    expectOk(await payer.call('sendpay', { route: [], payment_hash: HASH, amount_msat: 1000 }));
    expect((await payer.rows()).map((r) => [r.groupid, r.status])).toEqual([
      [1n, 'pending'],
      [2n, 'complete'],
    ]);
  });
});
