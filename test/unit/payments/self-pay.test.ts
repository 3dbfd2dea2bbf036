// Payment to self via an empty route (S-1…S-7, following CLN PR #9517 for replays).
import { describe, expect, it } from 'vitest';
import { stringifyJson, type JsonOut } from '../../../src/rpc/index.js';
import { checkSelfPayInvoice, type LocalInvoice } from '../../../src/payments/index.js';
import { HASH, NOW, SECRET, expectErr, expectOk, makeEngine } from './helpers.js';

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
    const { engine, own } = makeEngine();
    engine.invoices.set(HASH, invoice());
    const out = await engine.callText(
      `{"jsonrpc":"2.0","id":1,"method":"sendpay","params":{"route":[],"payment_hash":"${HASH}","amount_msat":1000,"payment_secret":"${SECRET}","label":"me"}}`,
    );
    expect(out).toBe(
      `{"jsonrpc":"2.0","id":1,"result":{"created_index":1,"id":1,"payment_hash":"${HASH}","groupid":1,"destination":"${own}","amount_msat":1000,"amount_sent_msat":1000,"created_at":${NOW},"status":"complete","payment_preimage":"${PRE}","label":"me"}}`,
    );
    // created and updated each +1; the stored row and the notification have the full picture.
    expect(engine.counters).toEqual({ created: 1n, updated: 1n, deleted: 0n });
    expect(engine.bumps.map((b) => [b.index, b.value, b.details.status])).toEqual([
      ['created', 1n, 'pending'],
      ['updated', 1n, 'complete'],
    ]);
    expect(engine.rows[0]).toMatchObject({ status: 'complete', completed_at: NOW, updated_index: 1n, total_msat: 1000n, amount_sent_msat: 1000n });
    expect(engine.notifications[0]).toMatchObject({ topic: 'sendpay_success', payload: { status: 'complete', updated_index: 1n, completed_at: NOW } });
    expect(engine.invoices.get(HASH)!.status).toBe('paid');
    const waited = expectOk(await engine.call('waitsendpay', [HASH]));
    expect(waited).toMatchObject({ status: 'complete', completed_at: NOW, updated_index: 1n, payment_preimage: PRE });
  });

  it('S-7 per PR #9517: a replay returns the stored complete row (no new row, no new bump)', async () => {
    const { engine } = makeEngine();
    engine.invoices.set(HASH, invoice());
    expectOk(await engine.call('sendpay', { route: [], payment_hash: HASH, amount_msat: 1000, payment_secret: SECRET }));
    const again = expectOk(await engine.call('sendpay', { route: [], payment_hash: HASH, amount_msat: 1000, payment_secret: SECRET }));
    expect(again).toMatchObject({ status: 'complete', completed_at: NOW, updated_index: 1n, groupid: 1n });
    expect(engine.rows).toHaveLength(1);
    expect(engine.bumps).toHaveLength(2);
    expectErr(
      await engine.call('sendpay', { route: [], payment_hash: HASH, amount_msat: 2000, payment_secret: SECRET }),
      201,
      'Already succeeded with amount 1000msat (not 2000msat)',
    );
  });
});

describe('self-payment failure (S-4, S-5)', () => {
  it('203 with the bare reason, data = pending snapshot + routing failure; replay says failed: NAME (reason)', async () => {
    const { engine, own } = makeEngine();
    const out = await engine.callText(`{"jsonrpc":"2.0","id":2,"method":"sendpay","params":[[],"${HASH}",null,"5sat"]}`);
    expect(out).toBe(
      `{"jsonrpc":"2.0","id":2,"error":{"code":203,"message":"Unknown invoice ${HASH}","data":{"created_index":1,"id":1,"payment_hash":"${HASH}","groupid":1,"destination":"${own}","amount_msat":5000,"amount_sent_msat":5000,"created_at":${NOW},"status":"pending","erring_index":0,"failcode":16399,"failcodename":"WIRE_INCORRECT_OR_UNKNOWN_PAYMENT_DETAILS","erring_node":"${own}"}}}`,
    );
    expect(engine.rows[0]).toMatchObject({ status: 'failed', updated_index: 1n });
    const n = engine.notifications[0]!;
    expect(n.topic).toBe('sendpay_failure');
    expect(n.topic === 'sendpay_failure' && n.payload.message).toBe(`failed: WIRE_INCORRECT_OR_UNKNOWN_PAYMENT_DETAILS (Unknown invoice ${HASH})`);
    const r = expectErr(await engine.call('waitsendpay', [HASH]), 203, `failed: WIRE_INCORRECT_OR_UNKNOWN_PAYMENT_DETAILS (Unknown invoice ${HASH})`);
    expect(stringifyJson(r.data as JsonOut)).toContain(`"status":"failed","erring_index":0,"failcode":16399`);
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

  it('failed self-payments do not block a retry (new group) and the retry can succeed', async () => {
    const { engine } = makeEngine();
    engine.invoices.set(HASH, invoice());
    expectErr(await engine.call('sendpay', { route: [], payment_hash: HASH, amount_msat: 1 }), 203, `Attempt to pay ${HASH} without secret`);
    const ok = expectOk(await engine.call('sendpay', { route: [], payment_hash: HASH, amount_msat: 1000, payment_secret: SECRET }));
    expect(ok).toMatchObject({ groupid: 2n, created_index: 2n, status: 'complete' });
  });

  it('S-6: an explicit groupid colliding with a part-0 row → 201 instead of a fatal DB error', async () => {
    const { engine } = makeEngine();
    expectErr(await engine.call('sendpay', { route: [], payment_hash: HASH, amount_msat: 1 }), 203);
    expectErr(
      await engine.call('sendpay', { route: [], payment_hash: HASH, amount_msat: 1, groupid: 1 }),
      201,
      `There already is a payment with payment_hash=${HASH}, groupid=1, partid=0. Either change the partid, or wait for the payment to complete and start a new group.`,
    );
  });

  it('S-2: the progress scan is skipped (a pending remote attempt does not block)', async () => {
    const { engine } = makeEngine();
    engine.invoices.set(HASH, invoice({ secret_required: false }));
    expectOk(await engine.call('sendpay', { route: [{ id: engine.channels[0]!.peer_id, channel: '103x1x0', amount_msat: 1000, delay: 9 }], payment_hash: HASH }));
    expectOk(await engine.call('sendpay', { route: [], payment_hash: HASH, amount_msat: 1000 }));
  });
});
