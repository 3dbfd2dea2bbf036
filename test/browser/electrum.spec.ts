// The node in a Chromium module Worker (startLightningWorker: WASM crypto, IndexedDB, static chain
// at Electrum's mocked height 800 000) pays Electrum 4.3.4 over a direct channel, through
// websockify in front of `electrum_channel_peer.py serve` (started here, in Playwright's Node
// process): connect to Electrum's node id at ws://127.0.0.1:PORT, fundchannel from the Worker,
// `dev-mine 3` for Electrum's minimum_depth 3, then sendpay/waitsendpay on the harness's invoice.
import { expect, test, type Page } from '@playwright/test';
import { ELECTRUM_HEIGHT, ElectrumServe, freePort } from '../interop/electrum-runtime-peer.js';
import type { Outcome } from './pages/electrum-client.js';

const PAGE = '/test/browser/pages/electrum-client.html';

function value(o: Outcome): Record<string, unknown> {
  if (!o.ok) throw new Error(`call failed: ${JSON.stringify(o)}`);
  return JSON.parse(o.value) as Record<string, unknown>;
}

function call(page: Page, method: string, params: Record<string, unknown> = {}): Promise<Record<string, unknown>> {
  return page.evaluate((a) => window.lwe.call(a.method, a.params), { method, params }).then(value);
}

/** Opens the page and starts the Worker node; retried once if Vite reloads the page to optimize deps. */
async function startWorker(page: Page): Promise<string> {
  for (let attempt = 1; ; attempt++) {
    try {
      await page.goto(PAGE);
      await page.waitForFunction(() => window.lweReady === true);
      const dbName = `electrum-${Date.now()}-${Math.random().toString(36).slice(2, 7)}`;
      const started = await page.evaluate((o) => window.lwe.start(o), { network: 'regtest' as const, dbName, chain: { static: ELECTRUM_HEIGHT } });
      return value(started).id as string;
    } catch (e) {
      if (attempt >= 2 || !String(e).includes('Execution context was destroyed')) throw e;
    }
  }
}

test('the Worker opens a channel to Electrum through websockify, mines it to depth 3 and pays Electrum’s invoice', async ({ page }) => {
  const electrum = await ElectrumServe.start('e5', ['--websockify', String(await freePort()), '--exit-after-payment']);
  try {
    const ourId = await startWorker(page);
    const peer = electrum.nodeId;
    const connected = await call(page, 'connect', { id: peer, host: electrum.wsUrl });
    expect(connected).toMatchObject({ id: peer, direction: 'out', address: { type: 'websocket', address: `${electrum.wsUrl}/` } });
    const handshake = await electrum.waitFor((x) => x.event === 'handshake', 10_000, 'handshake');
    expect(handshake['remote_node_id']).toBe(ourId);

    const funded = await call(page, 'fundchannel', { id: peer, amount: 1_000_000, announce: false });
    const txid = funded.txid as string;
    expect(funded.channel_type).toEqual({ bits: [12], names: ['static_remotekey/even'] });
    const added = await electrum.waitFor((x) => x.event === 'channel_added', 10_000, 'channel_added');
    expect(added['funding_outpoint']).toBe(`${txid}:0`);

    expect(await call(page, 'dev-mine', { blocks: 3 })).toEqual({ blockheight: ELECTRUM_HEIGHT + 3, mined: [txid] });
    const ch = value(await page.evaluate((p) => window.lwe.waitNormal(p, 20_000), peer));
    expect(ch.short_channel_id).toBe(`${ELECTRUM_HEIGHT + 1}x1x0`);

    const inv = electrum.invoice;
    const route = [{ id: peer, channel: ch.short_channel_id, amount_msat: inv.amount_msat, delay: inv.min_final_cltv_expiry }];
    const sent = await call(page, 'sendpay', { route, payment_hash: inv.payment_hash, payment_secret: inv.payment_secret, bolt11: inv.bolt11 });
    expect(sent).toMatchObject({ payment_hash: inv.payment_hash, status: 'pending' });
    const done = await call(page, 'waitsendpay', { payment_hash: inv.payment_hash, timeout: 30 });
    expect(done).toMatchObject({ status: 'complete', payment_preimage: inv.preimage, amount_msat: `${inv.amount_msat}n`, destination: peer });
    await electrum.waitFor((x) => x.event === 'payment_received_and_settled', 20_000, 'Electrum settled');
    const { payments } = (await call(page, 'listsendpays', { payment_hash: inv.payment_hash })) as { payments: { status: string }[] };
    expect(payments.map((p) => p.status)).toEqual(['complete']);
    expect(electrum.count('force_close_requested')).toBe(0);
    await page.evaluate(() => window.lwe.close());
  } finally {
    await electrum.stop();
  }
});
