// The page client against the real Worker host in a real Chromium module Worker, with the unit
// tests' stub node behind it: errors and aborts crossing the Worker boundary, events, the
// beforeunload prompt, and a Worker that dies silently. The real node is in worker.spec.ts.
import { expect, test, type Page } from '@playwright/test';
import type { Outcome } from './pages/worker-client.js';

const PAGE = '/test/browser/pages/worker-client.html';
const OPTS = { network: 'regtest', dbName: 'stub' } as const;

async function openStub(page: Page): Promise<void> {
  await page.goto(PAGE);
  await page.waitForFunction(() => window.lwReady === true);
  const r = await page.evaluate((o) => window.lw.start(o, 'stub'), OPTS);
  expect(r).toMatchObject({ ok: true, readOnly: false });
}

test.describe('Worker client over a stub node (real Worker, real Comlink)', () => {
  test('RpcErrors arrive on the page as RpcError instances with code, message and data', async ({ page }) => {
    await openStub(page);
    const bad = await page.evaluate(() => window.lw.sendpay({ route: 'x', payment_hash: '00'.repeat(32) }));
    expect(bad).toEqual({ ok: false, rpcError: true, name: 'RpcError', code: -32602, message: "route: should be an array: invalid token '\"x\"'", abortError: false });
    const failed = await page.evaluate(() => window.lw.call('stub_fail'));
    expect(failed).toMatchObject({ rpcError: true, code: 204, data: '{"erring_index":1,"amount_msat":"1000n","raw_message":"1007"}' });
    const bug = await page.evaluate(() => window.lw.call('stub_throw'));
    expect(bug).toMatchObject({ rpcError: true, code: -1, message: 'a bug in the node' });
  });

  test('an aborted waitsendpay rejects with AbortError and the node still answers', async ({ page }) => {
    await openStub(page);
    const r = await page.evaluate(() => window.lw.waitAborted('waitsendpay', { payment_hash: '11'.repeat(32), timeout: 3600 }, 200));
    expect(r).toMatchObject({ ok: false, abortError: true, rpcError: false });
    const list = (await page.evaluate(() => window.lw.listsendpays())) as Outcome;
    expect(list).toMatchObject({ ok: true });
    expect(list.ok && list.value).toContain('"amount_msat":"18446744073709551615n"');
  });

  test('node events reach subscribers', async ({ page }) => {
    await openStub(page);
    await page.evaluate(() => window.lw.call('stub_emit', { event: { type: 'channel', peer_id: '02', channel_id: 'ab', state: 'CHANNELD_NORMAL' } }));
    await expect.poll(() => page.evaluate(() => window.lw.events())).toContain('{"type":"channel","peer_id":"02","channel_id":"ab","state":"CHANNELD_NORMAL"}');
  });

  test('online, pageshow and visibilitychange to visible make the node reconnect its peers', async ({ page }) => {
    await openStub(page);
    expect(await page.evaluate(() => document.visibilityState)).toBe('visible');
    await page.evaluate(() => {
      window.dispatchEvent(new Event('online'));
      window.dispatchEvent(new Event('pageshow'));
      document.dispatchEvent(new Event('visibilitychange'));
    });
    await expect.poll(async () => page.evaluate(() => window.lw.call('stub_state'))).toEqual({ ok: true, value: '{"reconnects":3,"in_flight":0}' });
  });

  test('leaving asks for confirmation only while HTLCs are in flight', async ({ page }) => {
    await openStub(page);
    await page.click('body'); // Chromium shows beforeunload prompts only after a user gesture
    const dialogs: string[] = [];
    page.on('dialog', (d) => {
      dialogs.push(d.type());
      void d.dismiss(); // stay on the page
    });
    await page.evaluate(() => window.lw.call('stub_set_in_flight', { count: 1 }));
    expect(await page.evaluate(() => window.lw.inFlight())).toBe(1);
    await page.close({ runBeforeUnload: true });
    await expect.poll(() => dialogs).toEqual(['beforeunload']);
    expect(page.isClosed()).toBe(false);
    await page.evaluate(() => window.lw.call('stub_set_in_flight', { count: 0 }));
    expect(await page.evaluate(() => window.lw.inFlight())).toBe(0);
    const closed = page.waitForEvent('close');
    await page.close({ runBeforeUnload: true });
    await closed;
    expect(dialogs).toEqual(['beforeunload']);
  });

  test('a node that stops itself: the page hears why and later calls reject with -5', async ({ page }) => {
    await openStub(page);
    await page.evaluate(() => window.lw.call('stub_stop', { reason: 'store write failed, node stopped: QuotaExceededError' }));
    expect(await page.evaluate(() => window.lw.stopped())).toBe('store write failed, node stopped: QuotaExceededError');
    expect(await page.evaluate(() => window.lw.getinfo())).toMatchObject({
      rpcError: true,
      code: -5,
      message: 'lightning-worker stopped: store write failed, node stopped: QuotaExceededError',
    });
    expect(await page.evaluate(() => window.lw.events())).toContain(
      '{"type":"warning","message":"lightning-worker stopped: store write failed, node stopped: QuotaExceededError"}',
    );
  });

  test('a Worker that closes itself silently: a pending call rejects instead of hanging', async ({ page }) => {
    await openStub(page);
    await page.evaluate(() => window.lw.call('stub_self_close'));
    const r = await page.evaluate(() => window.lw.waitsendpay({ payment_hash: '11'.repeat(32) }));
    expect(r).toMatchObject({ rpcError: true, code: -5, message: 'lightning-worker stopped: the Worker did not answer for 1.5 s' });
  });
});
