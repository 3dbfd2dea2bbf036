// The demo shop: POST /api/shop/invoice { amount_msat, description } → { bolt11, payment_hash }.
// Served by the demo server only; the page hides the button when there is no shop in the config.
import { isObject, str } from './rpc-views.js';

export interface ShopInvoice {
  bolt11: string;
  payment_hash: string;
}

export class ShopError extends Error {}

export function parseShopInvoice(v: unknown): ShopInvoice {
  if (!isObject(v)) throw new ShopError('the shop answered something other than a JSON object');
  const bolt11 = str(v.bolt11);
  const payment_hash = str(v.payment_hash);
  if (bolt11 === undefined || payment_hash === undefined) throw new ShopError('the shop answer lacks bolt11 or payment_hash');
  return { bolt11, payment_hash };
}

export async function requestShopInvoice(amountMsat: bigint, description: string, fetchFn: typeof fetch = fetch): Promise<ShopInvoice> {
  const res = await fetchFn('/api/shop/invoice', {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json' },
    body: JSON.stringify({ amount_msat: amountMsat.toString(), description }),
  });
  const text = await res.text();
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new ShopError(`the shop answered HTTP ${res.status} with non-JSON: ${text.slice(0, 200)}`);
  }
  if (!res.ok) {
    const msg = isObject(body) ? (str(body.error) ?? str(body.message)) : undefined;
    throw new ShopError(`the shop answered HTTP ${res.status}${msg === undefined ? '' : `: ${msg}`}`);
  }
  return parseShopInvoice(body);
}
