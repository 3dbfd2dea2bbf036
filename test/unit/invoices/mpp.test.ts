// HTLC sets (basic_mpp): aggregation, mismatched totals, the 60 s timeout, overshoot, replays,
// then the paid transition and its notification; and the self-payment projection used by
// payments/self-pay.ts.
import { describe, expect, it } from 'vitest';
import {
  EMPTY_MPP_STATE,
  MPP_TIMEOUT_MS,
  addPart,
  checkFinalHop,
  expireSets,
  failParts,
  localInvoiceFor,
  markInvoicePaid,
  nextDeadline,
  removePart,
  type AddPartInput,
  type InvoiceRecord,
  type MppOutcome,
  type MppState,
} from '../../../src/invoices/index.js';
import { checkSelfPayInvoice } from '../../../src/payments/index.js';
import { decodeFailureMessage } from '../../../src/onion/index.js';
import { fromHex } from '../../../src/util/bytes.js';
import { HEIGHT, NOW, created, invoice, world } from './helpers.js';

const T = NOW * 1000;

function ourInvoice(amount: number | 'any' = 100_000): InvoiceRecord {
  return created(invoice(world({ candidates: [] }), [amount, 'inv', 'd'])).record;
}

/** checkFinalHop, then addPart: the runtime's sequence for one incoming final HTLC. */
function receive(state: MppState, inv: InvoiceRecord, id: string, amt: bigint, total: bigint, nowMs: number, htlcAmount = amt): { state: MppState; outcome: MppOutcome } {
  const d = checkFinalHop({
    htlc: { payment_hash: inv.payment_hash, amount_msat: htlcAmount, cltv_expiry: HEIGHT + 50 },
    payload: { amt_to_forward: amt, outgoing_cltv_value: HEIGHT + 50, payment_data: { payment_secret: fromHex(inv.payment_secret), total_msat: total } },
    invoice: inv,
    block_height: HEIGHT,
    now: Math.floor(nowMs / 1000),
  });
  if (!d.ok) throw new Error(d.reason);
  return addPart(state, { payment_hash: d.payment_hash, payment_secret: d.payment_secret, total_msat: d.total_msat, part: { id, amount_msat: htlcAmount, amt_to_forward: amt }, block_height: HEIGHT, now_ms: nowMs });
}

const names = (o: MppOutcome) => (o.kind === 'failed' ? o.failures.map((f) => [f.id, decodeFailureMessage(f.failure.message)] as const) : []);

describe('HTLC sets', () => {
  it('two parts complete together; the invoice is then paid with their sum', () => {
    const inv = ourInvoice();
    const a = receive(EMPTY_MPP_STATE, inv, 'a', 60_000n, 100_000n, T);
    expect(a.outcome).toEqual({ kind: 'pending', deadline_ms: T + 60_000 });
    expect(nextDeadline(a.state)).toBe(T + 60_000);
    const b = receive(a.state, inv, 'b', 40_000n, 100_000n, T + 5000, 40_002n);
    expect(b.outcome).toEqual({
      kind: 'complete',
      payment_hash: inv.payment_hash,
      parts: [
        { id: 'a', amount_msat: 60_000n, amt_to_forward: 60_000n },
        { id: 'b', amount_msat: 40_002n, amt_to_forward: 40_000n },
      ],
      received_msat: 100_002n,
    });
    expect(b.state.size).toBe(0);
    expect(nextDeadline(b.state)).toBeUndefined();

    const paid = markInvoicePaid(inv, 100_002n, NOW + 5, { created: 1n, updated: 0n, deleted: 0n, pay_index: 0n });
    expect(paid.ok).toBe(true);
    if (!paid.ok) return;
    expect(paid.record).toMatchObject({ status: 'paid', pay_index: 1n, pay_key: '00000000000000000001', paid_at: NOW + 5, amount_received_msat: 100_002n, updated_index: 1n, updated_key: '00000000000000000001' });
    expect(paid.counters).toEqual({ created: 1n, updated: 1n, deleted: 0n, pay_index: 1n });
    expect(paid.bump).toEqual({ subsystem: 'invoices', index: 'updated', value: 1n, details: { status: 'paid', label: 'inv' } });
    expect(paid.notification).toEqual({ topic: 'invoice_payment', payload: { msat: 100_002n, preimage: inv.preimage, label: 'inv' } });
    expect(paid.preimage).toBe(inv.preimage);
    expect(markInvoicePaid(paid.record, 1n, NOW + 6, paid.counters)).toEqual({ ok: false, reason: "invoice 'inv' is paid" });
  });

  it('a single-part payment (total == amount) completes at once', () => {
    const inv = ourInvoice();
    const r = receive(EMPTY_MPP_STATE, inv, 'only', 100_000n, 100_000n, T);
    expect(r.outcome.kind).toBe('complete');
    expect(r.state.size).toBe(0);
  });

  it('parts that disagree on total_msat fail the whole set with final_incorrect_htlc_amount', () => {
    const inv = ourInvoice();
    const a = receive(EMPTY_MPP_STATE, inv, 'a', 50_000n, 100_000n, T);
    const b = receive(a.state, inv, 'b', 50_000n, 120_000n, T + 1);
    expect(names(b.outcome).map(([id, m]) => [id, m.name, m.fields])).toEqual([
      ['a', 'final_incorrect_htlc_amount', { incoming_htlc_amt: 50_000n }],
      ['b', 'final_incorrect_htlc_amount', { incoming_htlc_amt: 50_000n }],
    ]);
    expect(b.state.size).toBe(0);
  });

  it('a set not complete 60 s after its first part fails every part with mpp_timeout', () => {
    const inv = ourInvoice();
    const a = receive(EMPTY_MPP_STATE, inv, 'a', 30_000n, 100_000n, T);
    const b = receive(a.state, inv, 'b', 30_000n, 100_000n, T + 30_000);
    expect(b.outcome).toEqual({ kind: 'pending', deadline_ms: T + MPP_TIMEOUT_MS });
    expect(expireSets(b.state, T + 59_999).failures).toEqual([]);
    const e = expireSets(b.state, T + 60_000);
    expect(e.state.size).toBe(0);
    expect(e.failures.map((f) => [f.id, f.failure.name, f.failure.message])).toEqual([
      ['a', 'mpp_timeout', new Uint8Array([0x00, 0x17])],
      ['b', 'mpp_timeout', new Uint8Array([0x00, 0x17])],
    ]);
  });

  it('overshoot within 2×: total 150000 for a 100000 invoice completes once parts reach it', () => {
    const inv = ourInvoice();
    const a = receive(EMPTY_MPP_STATE, inv, 'a', 100_000n, 150_000n, T);
    expect(a.outcome.kind).toBe('pending');
    const b = receive(a.state, inv, 'b', 60_000n, 150_000n, T + 1);
    expect(b.outcome.kind === 'complete' && b.outcome.received_msat).toBe(160_000n);
    // A total above twice the invoice never gets into a set.
    expect(() => receive(EMPTY_MPP_STATE, inv, 'c', 100_000n, 200_001n, T)).toThrow(/> 200000msat/);
  });

  it('sets are per (payment_hash, payment_secret); a replayed part changes nothing', () => {
    const x = ourInvoice();
    const y = created(invoice(world({ candidates: [], random: (n) => new Uint8Array(n).fill(9) }), [100_000, 'y', 'd'])).record;
    let s = receive(EMPTY_MPP_STATE, x, 'x1', 50_000n, 100_000n, T).state;
    s = receive(s, y, 'y1', 50_000n, 100_000n, T + 10).state;
    expect(s.size).toBe(2);
    const again = receive(s, x, 'x1', 50_000n, 100_000n, T + 20);
    expect(again.state).toBe(s);
    expect(again.outcome).toEqual({ kind: 'pending', deadline_ms: T + 60_000 });
    expect(nextDeadline(s)).toBe(T + 60_000);
  });

  it('parts without a payment_secret: refused when joining a set; an incomplete secretless set fails', () => {
    const base = (id: string, secret: string | undefined, amt: bigint): AddPartInput => ({
      payment_hash: 'ab'.repeat(32),
      payment_secret: secret,
      total_msat: 100_000n,
      part: { id, amount_msat: amt, amt_to_forward: amt },
      block_height: HEIGHT,
      now_ms: T,
    });
    const alone = addPart(EMPTY_MPP_STATE, base('n', undefined, 50_000n));
    expect(names(alone.outcome).map(([id, m]) => [id, m.name, m.fields])).toEqual([['n', 'incorrect_or_unknown_payment_details', { htlc_msat: 50_000n, height: HEIGHT }]]);
    expect(alone.state.size).toBe(0);
    expect(addPart(EMPTY_MPP_STATE, base('whole', undefined, 100_000n)).outcome.kind).toBe('complete');
  });

  it('a vanished part fails the rest with mpp_timeout; failParts for a set that cannot be paid', () => {
    const inv = ourInvoice();
    let s = receive(EMPTY_MPP_STATE, inv, 'a', 30_000n, 100_000n, T).state;
    s = receive(s, inv, 'b', 30_000n, 100_000n, T).state;
    const r = removePart(s, 'a');
    expect(r.failures.map((f) => [f.id, f.failure.name])).toEqual([['b', 'mpp_timeout']]);
    expect(r.state.size).toBe(0);
    expect(removePart(r.state, 'zz')).toEqual({ state: r.state, failures: [] });
    const f = failParts([{ id: 'p', amount_msat: 7n, amt_to_forward: 7n }], HEIGHT);
    expect(decodeFailureMessage(f[0]!.failure.message).fields).toEqual({ htlc_msat: 7n, height: HEIGHT });
  });

  it('the paid transition is refused once the invoice expired (the set is then failed)', () => {
    const inv = ourInvoice();
    expect(markInvoicePaid(inv, 100_000n, inv.expires_at, { created: 1n, updated: 0n, deleted: 0n, pay_index: 0n })).toEqual({ ok: false, reason: "invoice 'inv' is expired" });
  });
});

describe('self-payment (sendpay with an empty route)', () => {
  it('localInvoiceFor gives payments/self-pay.ts exactly what its check needs', () => {
    const inv = ourInvoice();
    const local = localInvoiceFor(inv, NOW);
    expect(local).toEqual({ status: 'unpaid', amount_msat: 100_000n, payment_secret: inv.payment_secret, secret_required: true, preimage: inv.preimage });
    expect(checkSelfPayInvoice(inv.payment_hash, local, 100_000n, inv.payment_secret)).toEqual({ ok: true, preimage: inv.preimage });
    expect(checkSelfPayInvoice(inv.payment_hash, local, 100_000n, undefined)).toEqual({ ok: false, reason: `Attempt to pay ${inv.payment_hash} without secret` });
    expect(checkSelfPayInvoice(inv.payment_hash, localInvoiceFor(inv, inv.expires_at), 100_000n, inv.payment_secret)).toEqual({
      ok: false,
      reason: `Already paid or expired invoice ${inv.payment_hash}`,
    });
    const any = localInvoiceFor(ourInvoice('any'), NOW);
    expect(any.amount_msat).toBeUndefined();
  });
});
