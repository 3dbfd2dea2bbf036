import { describe, expect, it } from 'vitest';
import { parseShopInvoice, requestShopInvoice, ShopError } from '../../../web/shop.js';

describe('the demo shop client', () => {
  it('POSTs the amount as a decimal string and reads bolt11 + payment_hash', async () => {
    let seen: { url: string; init?: RequestInit } | undefined;
    const fetchFn: typeof fetch = (url, init) => {
      seen = { url: String(url), init };
      return Promise.resolve(new Response(JSON.stringify({ bolt11: 'lnbcrt1...', payment_hash: 'ab'.repeat(32) }), { status: 200 }));
    };
    expect(await requestShopInvoice(18_446_744_073_709_551_615n, 'A coffee', fetchFn)).toEqual({ bolt11: 'lnbcrt1...', payment_hash: 'ab'.repeat(32) });
    expect(seen?.url).toBe('/api/shop/invoice');
    expect(seen?.init?.method).toBe('POST');
    expect(JSON.parse(String(seen?.init?.body))).toEqual({ amount_msat: '18446744073709551615', description: 'A coffee' });
  });

  it('reports HTTP errors with the server message', async () => {
    const fetchFn: typeof fetch = () => Promise.resolve(new Response(JSON.stringify({ error: 'amount too large' }), { status: 400 }));
    await expect(requestShopInvoice(1n, 'x', fetchFn)).rejects.toThrow('the shop answered HTTP 400: amount too large');
    const html: typeof fetch = () => Promise.resolve(new Response('<html>', { status: 502 }));
    await expect(requestShopInvoice(1n, 'x', html)).rejects.toThrow(ShopError);
    expect(() => parseShopInvoice({ bolt11: 'x' })).toThrow('the shop answer lacks bolt11 or payment_hash');
  });
});
