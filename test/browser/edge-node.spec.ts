import { expect, test } from '@playwright/test';

test('the in-process API runs without Node modules (memory store, WASM by URL)', async ({ page }) => {
  await page.goto('/test/browser/pages/harness.html');
  await page.waitForFunction(() => window.harnessReady === true);
  const r = (await page.evaluate(() => window.runInWorker('edge-node'))) as Record<string, unknown>;
  expect(r).toMatchObject({ network: 'regtest', paidStatus: 'complete', invoiceStatus: 'paid', hasProcess: false });
  expect(r.id).toMatch(/^0[23][0-9a-f]{64}$/);
});
