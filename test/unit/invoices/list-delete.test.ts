// listinvoices (filters, their errors, selection orders, output) and delinvoice (905/906/908,
// deletion and desconly), with statuses computed at `now`; the expiry transition.
import { describe, expect, it } from 'vitest';
import {
  DELINVOICE_PARAMS,
  LISTINVOICES_PARAMS,
  decideDelinvoice,
  expireDue,
  formatListinvoices,
  invoicesStoreQuery,
  markInvoicePaid,
  nextExpiry,
  planListinvoices,
  selectInvoices,
  type InvoiceRecord,
} from '../../../src/invoices/index.js';
import { parseParams, stringifyJson, tokenFromValue, type JsonOut } from '../../../src/rpc/index.js';
import { NOW, created, errorOf, invoice, world, type World } from './helpers.js';

/** Three invoices: a (1000 msat, paid), b ('any', expiry 10 s), c (2000 msat). */
function setup(): World {
  const w = world({ candidates: [] });
  created(invoice(w, { amount_msat: 1000, label: 'a', description: 'da' }));
  created(invoice(w, { amount_msat: 'any', label: 'b', description: 'db', expiry: 10 }));
  created(invoice(w, { amount_msat: 2000, label: 'c', description: 'dc' }));
  const paid = markInvoicePaid(w.invoices[0]!, 1100n, NOW + 5, w.counters);
  if (!paid.ok) throw new Error(paid.reason);
  w.invoices[0] = paid.record;
  w.counters = paid.counters;
  return w;
}

function list(w: World, params: unknown, now = NOW + 5) {
  const parsed = parseParams(LISTINVOICES_PARAMS, tokenFromValue(params));
  if (!parsed.ok) return parsed;
  const plan = planListinvoices(parsed.value);
  if (!plan.ok) return plan;
  return { ok: true as const, value: formatListinvoices(selectInvoices(plan.value, w.invoices), now) };
}
const labels = (o: ReturnType<typeof list>) => {
  if (!o.ok) throw new Error(o.error.message);
  return o.value.invoices.map((i) => i.label);
};

describe('listinvoices', () => {
  it('everything in creation order, or one invoice by label / payment_hash / invstring', () => {
    const w = setup();
    expect(labels(list(w, {}))).toEqual(['a', 'b', 'c']);
    expect(labels(list(w, { label: 'b' }))).toEqual(['b']);
    expect(labels(list(w, ['c']))).toEqual(['c']);
    expect(labels(list(w, { payment_hash: w.invoices[2]!.payment_hash.toUpperCase() }))).toEqual(['c']);
    expect(labels(list(w, { invstring: `LIGHTNING:${w.invoices[1]!.bolt11.toUpperCase()}` }))).toEqual(['b']);
    expect(labels(list(w, { label: 'nope' }))).toEqual([]);
    expect(labels(list(w, { payment_hash: 'aa'.repeat(32) }))).toEqual([]);
    expect(labels(list(w, { offer_id: 'aa'.repeat(32) }))).toEqual([]);
  });

  it('a number label finds the invoice created with it', () => {
    const w = world({ candidates: [] });
    created(invoice(w, [1, 25, '"']));
    expect(labels(list(w, [25]))).toEqual(['25']);
    expect(labels(list(w, ['25']))).toEqual(['25']);
  });

  it('at most one of label, invstring, payment_hash, offer_id; start/limit need index', () => {
    const w = setup();
    const msg = 'Can only specify one of {label}, {invstring}, {payment_hash} or {offer_id}';
    expect(errorOf(list(w, { label: 'a', payment_hash: 'aa'.repeat(32) }))).toEqual({ code: -32602, message: msg });
    expect(errorOf(list(w, { label: 'a', invstring: w.invoices[0]!.bolt11 }))).toEqual({ code: -32602, message: msg });
    expect(errorOf(list(w, { offer_id: 'aa'.repeat(32), payment_hash: 'aa'.repeat(32) }))).toEqual({ code: -32602, message: msg });
    expect(errorOf(list(w, { start: 1 }))).toEqual({ code: -32602, message: 'Can only specify {start} with {index}' });
    expect(errorOf(list(w, { limit: 1 }))).toEqual({ code: -32602, message: 'Can only specify {limit} with {index}' });
    expect(errorOf(list(w, { invstring: 'lnbcrt1garbage' }))).toEqual({ code: -32602, message: 'Invalid invstring' });
    expect(errorOf(list(w, { payment_hash: 'zz' })).message).toBe(`payment_hash: should be a 32 byte hex value: invalid token '"zz"'`);
    expect(errorOf(list(w, { index: 'sideways' })).message).toBe(`index: unknown index: invalid token '"sideways"'`);
  });

  it('index=created with start/limit; index=updated lists only updated invoices in update order', () => {
    const w = setup();
    expect(labels(list(w, { index: 'created', start: 2 }))).toEqual(['b', 'c']);
    expect(labels(list(w, { index: 'created', start: 1, limit: 2 }))).toEqual(['a', 'b']);
    const exp = expireDue(w.invoices, NOW + 10, w.counters);
    for (const r of exp.records) w.invoices[w.invoices.findIndex((x) => x.label === r.label)] = r;
    expect(labels(list(w, { index: 'updated' }))).toEqual(['a', 'b']);
    expect(labels(list(w, { index: 'updated', start: 2 }))).toEqual(['b']);
  });

  it('status is computed at now: unpaid turns expired at expires_at without any stored change', () => {
    const w = setup();
    const st = (now: number) => (list(w, { label: 'b' }, now) as { ok: true; value: ReturnType<typeof formatListinvoices> }).value.invoices[0]!.status;
    expect(st(NOW + 9)).toBe('unpaid');
    expect(st(NOW + 10)).toBe('expired');
    expect(w.invoices[1]!.status).toBe('unpaid');
  });

  it('Core Lightning’s fields and order: paid, any-amount unpaid, updated_index only once updated', () => {
    const w = setup();
    const o = list(w, {});
    if (!o.ok) throw new Error('list failed');
    const [a, b, c] = w.invoices as [InvoiceRecord, InvoiceRecord, InvoiceRecord];
    const text = stringifyJson(o.value as unknown as JsonOut);
    expect(text).toBe(
      `{"invoices":[` +
        `{"label":"a","bolt11":"${a.bolt11}","payment_hash":"${a.payment_hash}","amount_msat":1000,"status":"paid","pay_index":1,"amount_received_msat":1100,"paid_at":${NOW + 5},"payment_preimage":"${a.preimage}","description":"da","expires_at":${NOW + 604800},"created_index":1,"updated_index":1},` +
        `{"label":"b","bolt11":"${b.bolt11}","payment_hash":"${b.payment_hash}","status":"unpaid","description":"db","expires_at":${NOW + 10},"created_index":2},` +
        `{"label":"c","bolt11":"${c.bolt11}","payment_hash":"${c.payment_hash}","amount_msat":2000,"status":"unpaid","description":"dc","expires_at":${NOW + 604800},"created_index":3}` +
        `]}`,
    );
  });

  it('store queries', () => {
    const q = (p: unknown) => {
      const parsed = parseParams(LISTINVOICES_PARAMS, tokenFromValue(p));
      if (!parsed.ok) throw parsed.error;
      const plan = planListinvoices(parsed.value);
      if (!plan.ok) throw plan.error;
      return invoicesStoreQuery(plan.value);
    };
    expect(q({ label: 'x' })).toEqual({ index: 'by_label', only: 'x' });
    expect(q({})).toEqual({ lower: '00000000000000000000' });
    expect(q({ index: 'updated', start: 5, limit: 2 })).toEqual({ index: 'by_updated', lower: '00000000000000000005', limit: 2 });
  });
});

describe('expiry transition', () => {
  it('expireDue marks past-expiry unpaid invoices expired with an updated index; nextExpiry', () => {
    const w = setup();
    expect(nextExpiry(w.invoices)).toBe(NOW + 10);
    expect(expireDue(w.invoices, NOW + 9, w.counters).records).toEqual([]);
    const e = expireDue(w.invoices, NOW + 10, w.counters);
    expect(e.records.map((r) => [r.label, r.status, r.updated_index])).toEqual([['b', 'expired', 2n]]);
    expect(e.bumps).toEqual([{ subsystem: 'invoices', index: 'updated', value: 2n, details: { status: 'expired' } }]);
    expect(e.counters.updated).toBe(2n);
    w.invoices[1] = e.records[0]!;
    expect(nextExpiry(w.invoices)).toBe(NOW + 604800);
  });
});

function del(w: World, params: unknown, now = NOW + 5) {
  const parsed = parseParams(DELINVOICE_PARAMS, tokenFromValue(params));
  if (!parsed.ok) return parsed;
  return decideDelinvoice(parsed.value, w.invoices.find((r) => r.label === parsed.value.label.value), now, w.counters);
}

describe('delinvoice', () => {
  it('905 unknown label; 906 with current/expected status data', () => {
    const w = setup();
    expect(errorOf(del(w, ['nope', 'unpaid']))).toEqual({ code: 905, message: 'Unknown invoice' });
    expect(errorOf(del(w, ['b', 'unpaid'], NOW + 20))).toEqual({
      code: 906,
      message: 'Invoice status is expired not unpaid',
      data: { current_status: 'expired', expected_status: 'unpaid' },
    });
    expect(errorOf(del(w, ['b', 'paid'], NOW + 20)).message).toBe('Invoice status is expired not paid');
    expect(errorOf(del(w, ['a', 'bogus'])).message).toBe('Invoice status is paid not bogus');
    expect(errorOf(del(w, { label: 'a' }))).toEqual({ code: -32602, message: 'missing required parameter: status' });
  });

  it('deletes with the matching status: answer is the invoice, deleted index bumped', () => {
    const w = setup();
    const d = del(w, ['b', 'expired'], NOW + 20);
    if (!d.ok) throw d.error;
    expect(d.value.change).toEqual({ kind: 'delete', record: w.invoices[1] });
    expect(d.value.result).toMatchObject({ label: 'b', status: 'expired', created_index: 2n });
    expect(d.value.counters).toEqual({ ...w.counters, deleted: 1n });
    expect(d.value.bump).toEqual({ subsystem: 'invoices', index: 'deleted', value: 1n, details: { status: 'expired', label: 'b', bolt11: w.invoices[1]!.bolt11 } });
  });

  it('desconly removes only the description (updated index bumped; the answer shows the old updated_index); 908 the second time', () => {
    const w = setup();
    const d = del(w, { label: 'a', status: 'paid', desconly: true });
    if (!d.ok) throw d.error;
    expect(d.value.change.kind).toBe('update');
    expect(d.value.change.record.description).toBeUndefined();
    expect(d.value.change.record.updated_index).toBe(2n);
    expect(d.value.result.description).toBeUndefined();
    expect(d.value.result.updated_index).toBe(1n);
    expect(d.value.bump).toEqual({ subsystem: 'invoices', index: 'updated', value: 2n, details: { label: 'a', description: 'da' } });
    w.invoices[0] = d.value.change.record;
    w.counters = d.value.counters;
    expect(errorOf(del(w, { label: 'a', status: 'paid', desconly: true }))).toEqual({ code: 908, message: 'Invoice description already removed' });
  });
});
