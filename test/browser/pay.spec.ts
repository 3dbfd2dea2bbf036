// Payments from a page: the real node in a Chromium module Worker (startLightningWorker, IndexedDB,
// WebSocket) pays through our daemons on loopback (support/pay-network.ts: Worker → A → B,
// Worker → C → B, A → G whose failure onions are garbled). Core Lightning's sendpay / waitsendpay /
// listsendpays as spec/cln-payments.md describes them: success with the preimage, failures from
// each hop (204 / 203 / 202) with the routing-failure object, multi-part payments and every MPP
// rule observable through sendpay, idempotent repeats, and the read-only second tab.
import { expect, test, type BrowserContext } from '@playwright/test';
import type { Daemon } from '../network/support/daemon.js';
import {
  bi,
  direction,
  fundWorker,
  fundedWorker,
  forwardsFrom,
  htlcsOf,
  invoice,
  invoiceRow,
  route,
  startPayNetwork,
  stopPayNetwork,
  unique,
  until,
  WorkerPage,
  type PayNetwork,
} from './support/pay-network.js';

const MONITOR = 'Monitor status with listpays or waitsendpay';
const PUSH = 1_000_000_000n;

let net: PayNetwork;

// The first real start makes Vite's dev server discover the Worker's dependencies and reload the
// page (a dev-server artifact): let that happen before any test, as worker.spec.ts does.
async function warmUp(context: BrowserContext): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      const w = await WorkerPage.open(context, unique('warm-up'), []);
      await w.page.close();
      return;
    } catch (e) {
      if (attempt >= 3 || !String(e).includes('Execution context was destroyed')) throw e;
    }
  }
}

test.beforeAll(async ({ browser }) => {
  test.setTimeout(120_000);
  net = await startPayNetwork({ c: true, g: true });
  const context = await browser.newContext();
  await warmUp(context);
  await context.close();
});

test.afterAll(async () => {
  await stopPayNetwork();
});

const viaAB = () => ({ dest: net.b, channel: net.ab.aliasAt(net.a) });

/** B's invoice preimage, and how it was paid. */
async function paidInvoice(label: string): Promise<{ preimage: string; received: bigint; status: string }> {
  const inv = await invoiceRow(net.b, label);
  return { preimage: String(inv.payment_preimage ?? ''), received: inv.amount_received_msat === undefined ? 0n : bi(inv.amount_received_msat), status: String(inv.status) };
}

test.describe('payments from the Worker over WebSocket', () => {
  test('Worker → A → B: sendpay pending, waitsendpay complete with the preimage of B, listsendpays and sendpay_success', async ({ context }) => {
    const { w, ch } = await fundedWorker(context, 'success', [net.a]);
    const amount = 10_000_000n;
    const label = unique('success');
    const inv = await invoice(net.b, amount, label);
    const hops = route(ch, viaAB(), amount);
    const sent = await w.ok('sendpay', { route: hops, payment_hash: inv.payment_hash, payment_secret: inv.payment_secret, bolt11: inv.bolt11, label: 'page-label' });
    expect(sent).toMatchObject({
      message: MONITOR,
      created_index: 1n,
      id: 1n,
      payment_hash: inv.payment_hash,
      groupid: 1n,
      destination: net.b.id,
      amount_msat: amount,
      amount_sent_msat: hops[0]!.amount_msat,
      status: 'pending',
      label: 'page-label',
      bolt11: inv.bolt11,
    });
    expect(sent).not.toHaveProperty('partid');

    const done = await w.ok('waitsendpay', { payment_hash: inv.payment_hash, timeout: 60 });
    const paid = await paidInvoice(label);
    expect(paid).toMatchObject({ status: 'paid', received: amount });
    expect(done).toMatchObject({ payment_hash: inv.payment_hash, status: 'complete', payment_preimage: paid.preimage, updated_index: 1n, amount_msat: amount });
    expect(done.completed_at).toEqual(expect.any(Number));

    const rows = await w.payments({ payment_hash: inv.payment_hash });
    expect(rows).toEqual([{ ...done }]);
    expect(await w.payments({ bolt11: inv.bolt11 })).toEqual(rows);
    expect(await w.payments({ status: 'complete' })).toEqual(rows);

    await expect.poll(async () => (await w.events()).filter((e) => (e as { type: string }).type === 'sendpay_success')).toEqual([
      { type: 'sendpay_success', payment: expect.objectContaining({ payment_hash: inv.payment_hash, status: 'complete', payment_preimage: paid.preimage }) },
    ]);
    // A forwarded it once; the Worker's balance moved by what it sent.
    expect(await forwardsFrom(ch)).toMatchObject([{ status: 'settled', in_msat: Number(hops[0]!.amount_msat), out_msat: Number(amount) }]);
    await w.noHtlcs();
    const [wch] = await w.channels(net.a);
    expect(wch!.to_us_msat).toBe(PUSH - hops[0]!.amount_msat);
  });
});
