/// <reference lib="webworker" />
// `lightning-worker/node` on a runtime without Node's modules (a Chromium module Worker stands in
// for Deno / Cloudflare Workers): memory store, WASM from a URL, WebSocket-only dialer. A self-payment
// exercises invoices, sendpay and the store.
import { createLightningNode } from '../../../src/node.js';

export default async function run(): Promise<unknown> {
  const ln = await createLightningNode({ network: 'regtest', wasm: new URL('/wasm/lightning.wasm', self.location.origin) });
  const info = await ln.getinfo();
  const inv = (await ln.invoice({ amount_msat: 5000n, label: 'edge', description: 'edge runtime' })) as { payment_hash: string; payment_secret: string };
  const paid = await ln.sendpay({ route: [], payment_hash: inv.payment_hash, payment_secret: inv.payment_secret, amount_msat: 5000n });
  const { invoices } = (await ln.listinvoices({ label: 'edge' })) as { invoices: { status: string }[] };
  await ln.close();
  return { id: info.id, network: info.network, paidStatus: paid.status, invoiceStatus: invoices[0]?.status, hasProcess: typeof (globalThis as { process?: unknown }).process !== 'undefined' };
}
