// The payee's checks on an incoming final HTLC: each BOLT 4 failure, its code and data (decoded
// with src/onion), and the boundaries.
import { describe, expect, it } from 'vitest';
import { checkFinalHop, type FinalHopDecision, type FinalHopInput, type InvoiceRecord } from '../../../src/invoices/index.js';
import { FAILCODE, decodeFailureMessage } from '../../../src/onion/index.js';
import { fromHex } from '../../../src/util/bytes.js';
import { HEIGHT, NOW, created, invoice, world } from './helpers.js';

function ourInvoice(params: unknown = [100_000, 'inv', 'd'], metadata?: Uint8Array): InvoiceRecord {
  return created(invoice(world({ candidates: [] }), params, metadata)).record;
}

function input(inv: InvoiceRecord | undefined, over: { amount?: bigint; cltv?: number; amt?: bigint; outCltv?: number; total?: bigint; secret?: string | null; metadata?: Uint8Array; now?: number; hash?: string } = {}): FinalHopInput {
  const amt = over.amt ?? 100_000n;
  const secret = over.secret === undefined ? inv?.payment_secret ?? '11'.repeat(32) : over.secret;
  return {
    htlc: { payment_hash: over.hash ?? inv?.payment_hash ?? 'ab'.repeat(32), amount_msat: over.amount ?? amt, cltv_expiry: over.cltv ?? HEIGHT + 18 },
    payload: {
      amt_to_forward: amt,
      outgoing_cltv_value: over.outCltv ?? HEIGHT + 18,
      ...(secret === null ? {} : { payment_data: { payment_secret: fromHex(secret), total_msat: over.total ?? amt } }),
      ...(over.metadata === undefined ? {} : { payment_metadata: over.metadata }),
    },
    invoice: inv,
    block_height: HEIGHT,
    now: over.now ?? NOW,
  };
}

function refusal(d: FinalHopDecision) {
  if (d.ok) throw new Error('expected a refusal');
  const m = decodeFailureMessage(d.failure.message);
  expect(m.failcode).toBe(d.failure.failcode);
  return m;
}

function unknownDetails(d: FinalHopDecision, htlcMsat: bigint) {
  const m = refusal(d);
  expect(m.failcode).toBe(FAILCODE.incorrect_or_unknown_payment_details);
  expect(m.fields).toEqual({ htlc_msat: htlcMsat, height: HEIGHT });
}

describe('accepting', () => {
  it('a single-part payment of the invoice amount, with the total for the HTLC set', () => {
    const inv = ourInvoice();
    expect(checkFinalHop(input(inv))).toEqual({ ok: true, invoice: inv, payment_hash: inv.payment_hash, payment_secret: inv.payment_secret, total_msat: 100_000n });
  });

  it('one part of a larger total: the invoice checks apply to total_msat', () => {
    const inv = ourInvoice();
    const d = checkFinalHop(input(inv, { amt: 40_000n, total: 100_000n }));
    expect(d.ok && d.total_msat).toBe(100_000n);
  });

  it('overpayment up to twice the amount; an "any" invoice takes any amount', () => {
    const inv = ourInvoice();
    expect(checkFinalHop(input(inv, { amt: 200_000n })).ok).toBe(true);
    unknownDetails(checkFinalHop(input(inv, { amt: 200_001n })), 200_001n);
    expect(checkFinalHop(input(ourInvoice(['any', 'x', 'd']), { amt: 1n })).ok).toBe(true);
  });
});

describe('BOLT 4 final-node failures', () => {
  it('final_incorrect_htlc_amount(incoming_htlc_amt) when the HTLC carries less than amt_to_forward', () => {
    const m = refusal(checkFinalHop(input(ourInvoice(), { amount: 99_999n })));
    expect(m.name).toBe('final_incorrect_htlc_amount');
    expect(m.fields).toEqual({ incoming_htlc_amt: 99_999n });
  });

  it('final_incorrect_cltv_expiry(cltv_expiry) when the HTLC expires before outgoing_cltv_value', () => {
    const m = refusal(checkFinalHop(input(ourInvoice(), { cltv: HEIGHT + 30, outCltv: HEIGHT + 31 })));
    expect(m.name).toBe('final_incorrect_cltv_expiry');
    expect(m.fields).toEqual({ cltv_expiry: HEIGHT + 30 });
    expect(checkFinalHop(input(ourInvoice(), { cltv: HEIGHT + 31, outCltv: HEIGHT + 31 })).ok).toBe(true);
  });

  it('cltv_expiry below height + min_final_cltv_expiry (the invoice’s c): incorrect_or_unknown_payment_details', () => {
    const inv = ourInvoice({ amount_msat: 100_000, label: 'c', description: 'd', cltv: 40 });
    unknownDetails(checkFinalHop(input(inv, { cltv: HEIGHT + 39, outCltv: HEIGHT + 39 })), 100_000n);
    expect(checkFinalHop(input(inv, { cltv: HEIGHT + 40, outCltv: HEIGHT + 40 })).ok).toBe(true);
    // Unknown hash: the default 18 applies, and the failure is the same either way.
    unknownDetails(checkFinalHop(input(undefined, { cltv: HEIGHT + 17, outCltv: HEIGHT + 17 })), 100_000n);
  });

  it('unknown hash, paid or expired invoice: incorrect_or_unknown_payment_details(htlc_msat, height)', () => {
    unknownDetails(checkFinalHop(input(undefined)), 100_000n);
    const inv = ourInvoice();
    unknownDetails(checkFinalHop(input({ ...inv, status: 'paid' })), 100_000n);
    unknownDetails(checkFinalHop(input(inv, { now: inv.expires_at })), 100_000n);
    expect(checkFinalHop(input(inv, { now: inv.expires_at - 1 })).ok).toBe(true);
  });

  it('missing or wrong payment_secret', () => {
    const inv = ourInvoice();
    const noSecret = checkFinalHop(input(inv, { secret: null }));
    unknownDetails(noSecret, 100_000n);
    expect(!noSecret.ok && noSecret.reason).toBe(`Attempt to pay ${inv.payment_hash} without secret`);
    const wrong = checkFinalHop(input(inv, { secret: '00'.repeat(32) }));
    unknownDetails(wrong, 100_000n);
    expect(!wrong.ok && wrong.reason).toBe(`Attempt to pay ${inv.payment_hash} with wrong payment_secret`);
  });

  it('amount below the invoice (as total_msat), with the HTLC amount in the failure', () => {
    const inv = ourInvoice();
    const d = checkFinalHop(input(inv, { amount: 99_999n + 5n, amt: 99_999n }));
    unknownDetails(d, 99_999n + 5n);
    expect(!d.ok && d.reason).toBe(`Attempt to pay ${inv.payment_hash} with amount 99999msat < 100000msat`);
  });

  it('order: amount and cltv mismatches come before the invoice checks', () => {
    expect(refusal(checkFinalHop(input(undefined, { amount: 1n }))).name).toBe('final_incorrect_htlc_amount');
    expect(refusal(checkFinalHop(input(undefined, { cltv: HEIGHT, outCltv: HEIGHT + 1 }))).name).toBe('final_incorrect_cltv_expiry');
  });
});

describe('payment_metadata', () => {
  const meta = fromHex('c0ffee');

  it('an invoice with metadata needs the same metadata in every part', () => {
    const inv = ourInvoice([100_000, 'm', 'd'], meta);
    expect(checkFinalHop(input(inv, { metadata: meta })).ok).toBe(true);
    unknownDetails(checkFinalHop(input(inv)), 100_000n);
    unknownDetails(checkFinalHop(input(inv, { metadata: fromHex('c0ffef') })), 100_000n);
  });

  it('metadata we did not ask for: invalid_onion_payload(type 16, offset 0), as Core Lightning', () => {
    const m = refusal(checkFinalHop(input(ourInvoice(), { metadata: meta })));
    expect(m.name).toBe('invalid_onion_payload');
    expect(m.fields).toEqual({ type: 16n, offset: 0 });
  });
});
