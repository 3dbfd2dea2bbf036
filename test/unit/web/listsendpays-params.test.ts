import { describe, expect, it } from 'vitest';
import { listsendpaysParams, type PaymentsFilter } from '../../../web/listsendpays-params.js';

const EMPTY: PaymentsFilter = { status: '', hashOrInvoice: '', index: '', start: '', limit: '' };
const HASH = 'AB'.repeat(32);

describe('the payments filter → listsendpays params', () => {
  it('sends nothing for an empty form, and a status or key only when given', () => {
    expect(listsendpaysParams(EMPTY)).toEqual({ ok: true, params: {} });
    expect(listsendpaysParams({ ...EMPTY, status: 'failed', hashOrInvoice: `  ${HASH} ` })).toEqual({ ok: true, params: { status: 'failed', payment_hash: HASH.toLowerCase() } });
    // Anything that is not 64 hex characters is taken for an invoice; the node judges it.
    expect(listsendpaysParams({ ...EMPTY, hashOrInvoice: 'lnbcrt10u1p...' })).toEqual({ ok: true, params: { bolt11: 'lnbcrt10u1p...' } });
  });

  it('leaves Start and Limit out without an index (listsendpays refuses start without index)', () => {
    expect(listsendpaysParams({ ...EMPTY, start: '2', limit: '1' })).toEqual({ ok: true, params: {} });
    // Even text the disabled fields could not accept is not an error then: it is not sent.
    expect(listsendpaysParams({ ...EMPTY, status: 'complete', start: 'x', limit: '-1' })).toEqual({ ok: true, params: { status: 'complete' } });
  });

  it('sends index, start (u64 as bigint) and limit (u32) together', () => {
    expect(listsendpaysParams({ ...EMPTY, index: 'created', start: ' 2 ', limit: '1' })).toEqual({ ok: true, params: { index: 'created', start: 2n, limit: 1 } });
    expect(listsendpaysParams({ ...EMPTY, index: 'updated', start: '18446744073709551615' })).toEqual({ ok: true, params: { index: 'updated', start: 18446744073709551615n } });
    expect(listsendpaysParams({ ...EMPTY, index: 'updated', limit: '4294967295' })).toEqual({ ok: true, params: { index: 'updated', limit: 4294967295 } });
    expect(listsendpaysParams({ ...EMPTY, index: 'created' })).toEqual({ ok: true, params: { index: 'created' } });
  });

  it('refuses what the form cannot mean', () => {
    expect(listsendpaysParams({ ...EMPTY, status: 'paid' })).toEqual({ ok: false, reason: 'Unknown status "paid".' });
    expect(listsendpaysParams({ ...EMPTY, index: 'deleted' })).toEqual({ ok: false, reason: 'Unknown index "deleted".' });
    expect(listsendpaysParams({ ...EMPTY, index: 'created', start: '1.5' })).toMatchObject({ ok: false, reason: expect.stringMatching(/^Start must be a whole number/) });
    expect(listsendpaysParams({ ...EMPTY, index: 'created', start: '18446744073709551616' })).toMatchObject({ ok: false, reason: expect.stringMatching(/^Start must be a whole number/) });
    expect(listsendpaysParams({ ...EMPTY, index: 'created', limit: '4294967296' })).toEqual({ ok: false, reason: 'Limit must be a whole number.' });
    expect(listsendpaysParams({ ...EMPTY, index: 'created', limit: '-1' })).toEqual({ ok: false, reason: 'Limit must be a whole number.' });
  });
});
