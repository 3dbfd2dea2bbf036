import { describe, expect, it } from 'vitest';
import { invoiceSummary } from '../../../web/panels/invoice-details.js';
import type { InvoiceView } from '../../../web/rpc-views.js';

const SHOP = `03${'bb'.repeat(32)}`;
const INV: InvoiceView = {
  currency: 'bcrt',
  payee: SHOP,
  payment_hash: '11'.repeat(32),
  amount_msat: 10_000_000n,
  description: 'A cup of coffee',
  created_at: 1_700_000_000,
  expiry: 3600,
  min_final_cltv_expiry: 18,
  routes: [],
};

describe('the one-line invoice announcement', () => {
  it('says amount, payee, description and expiry in one sentence', () => {
    const names = new Map([[SHOP, 'shop']]);
    expect(invoiceSummary(INV, names, 1_700_000_000)).toBe('Invoice decoded: 10,000 sat to shop, “A cup of coffee”, expires in 1 h.');
  });

  it('names unknown payees by a short id and says when the payer chooses the amount', () => {
    const { amount_msat: _a, description: _d, ...rest } = INV;
    expect(invoiceSummary(rest, new Map(), 1_700_004_000)).toBe('Invoice decoded: any amount to node 03bbbbbb…bbbb, expired 6 min ago.');
  });
});
