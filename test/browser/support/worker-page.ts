// The worker-client test page (pages/worker-client.html): open it with a started node, warm up
// Vite's dev server once per spec, and read call outcomes. Shared by the specs that drive the
// page client against the real node in a Chromium module Worker.
import { expect, type Browser, type BrowserContext, type Page } from '@playwright/test';
import type { Outcome } from '../pages/worker-client.js';

export const WORKER_PAGE = '/test/browser/pages/worker-client.html';

export const unique = (label: string): string => `${label}-${Date.now()}-${Math.random().toString(36).slice(2, 7)}`;

export type Started = Outcome & { readOnly?: boolean; id?: string; startError?: boolean };

/** A new page of `context` whose node was started on database `dbName` (regtest, static chain at 110). */
export async function openWorkerPage(context: BrowserContext, dbName: string, extra: { readOnlyIfLocked?: boolean } = {}): Promise<{ page: Page; started: Started }> {
  const page = await context.newPage();
  await page.goto(WORKER_PAGE);
  await page.waitForFunction(() => window.lwReady === true);
  const started = await page.evaluate((o) => window.lw.start(o), { network: 'regtest' as const, dbName, chain: { static: 110 }, ...extra });
  return { page, started };
}

/**
 * The first real start makes Vite's dev server discover the Worker's dependencies, optimize them
 * and reload the page (a dev-server artifact): let that happen once, before any test runs.
 */
export async function warmUpWorkerPage(browser: Browser): Promise<void> {
  const context = await browser.newContext();
  for (let attempt = 1; ; attempt++) {
    try {
      const { started } = await openWorkerPage(context, unique('warm-up'));
      expect(started).toMatchObject({ ok: true });
      break;
    } catch (e) {
      if (attempt >= 3 || !String(e).includes('Execution context was destroyed')) throw e;
    }
  }
  await context.close();
}

/** The value of a successful call (its JSON text parsed); throws with the outcome otherwise. */
export function outcomeValue(o: Outcome): Record<string, unknown> {
  if (!o.ok) throw new Error(`call failed: ${JSON.stringify(o)}`);
  return JSON.parse(o.value) as Record<string, unknown>;
}
