import { expect, test } from '@playwright/test';

test('the harness runs a module in a Chromium Worker', async ({ page }) => {
  await page.goto('/test/browser/pages/harness.html');
  await page.waitForFunction(() => window.harnessReady === true);
  const r = (await page.evaluate(() => window.runInWorker('smoke', { x: 1 }))) as Record<string, unknown>;
  expect(r).toEqual({ args: { x: 1 }, digestByte0: 3, hasIndexedDB: true, hasLocks: true });
});
