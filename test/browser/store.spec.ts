// The IndexedDB store in real Chromium: the shared conformance suite in a module Worker, then
// what only a browser can show: the Web Lock between tabs, read-only views alongside a writer,
// data surviving a closed tab, migrations across code versions, versionchange and blocked upgrades.
import { expect, test, type Page } from '@playwright/test';
import { conformanceChecks, type CheckOutcome } from '../support/store-conformance.js';

const HARNESS = '/test/browser/pages/harness.html';

async function openHarness(page: Page): Promise<void> {
  await page.goto(HARNESS);
  await page.waitForFunction(() => window.harnessReady === true);
}

type Probe = { opened: boolean; code?: string; message?: string; rows?: Record<string, unknown>[]; byWords?: unknown[] };

function probe(page: Page, args: { name: string; version?: 1 | 2; readOnly?: boolean; write?: Record<string, unknown>[]; blockedTimeoutMs?: number }): Promise<Probe> {
  return page.evaluate((a) => window.runInWorker('store-probe', a), args) as Promise<Probe>;
}

/** Starts a store-holder worker on `page` and resolves once it holds the database. */
async function hold(page: Page, args: { name: string; version?: 1 | 2; readOnly?: boolean; raw?: boolean }): Promise<void> {
  await page.evaluate(async (a) => {
    const ch = new BroadcastChannel('lw-store-test');
    const held = new Promise<void>((resolve) => {
      ch.onmessage = (ev: MessageEvent<{ held?: string }>) => {
        if (ev.data.held === a.name) resolve();
      };
    });
    (window as unknown as { holder: Promise<unknown> }).holder = window.runInWorker('store-holder', a);
    await held;
    ch.close();
  }, args);
}

/** Tells the holder on `page` to let go and returns its report. */
function release(page: Page, name: string): Promise<{ held: boolean; afterwards?: string }> {
  return page.evaluate((n) => {
    const ch = new BroadcastChannel('lw-store-test');
    ch.postMessage({ release: n });
    ch.close();
    return (window as unknown as { holder: Promise<unknown> }).holder;
  }, name) as Promise<{ held: boolean; afterwards?: string }>;
}

const unique = (label: string): string => `${label}-${Date.now()}-${Math.random().toString(36).slice(2, 7)}`;

test.describe('IndexedDB store conformance (Chromium worker)', () => {
  let outcomes: CheckOutcome[] = [];
  test.beforeAll(async ({ browser }) => {
    const page = await browser.newPage();
    await openHarness(page);
    outcomes = (await page.evaluate(() => window.runInWorker('store-conformance'))) as CheckOutcome[];
    await page.close();
  });
  for (const check of conformanceChecks) {
    test(check.name, () => {
      const o = outcomes.find((x) => x.name === check.name);
      expect(o, 'the check ran').toBeDefined();
      expect(o!.error ?? '').toBe('');
      expect(o!.ok).toBe(true);
    });
  }
});

test.describe('IndexedDB store across tabs and workers', () => {
  test('a second tab gets LOCKED while the first holds the database, a read-only view works, and it can open after close', async ({ context }) => {
    const name = unique('lock');
    const a = await context.newPage();
    const b = await context.newPage();
    await openHarness(a);
    await openHarness(b);
    await probe(a, { name, write: [{ id: 1, text: 'first tab' }] });
    await hold(a, { name });
    const second = await probe(b, { name });
    expect(second).toMatchObject({ opened: false, code: 'LOCKED' });
    expect(second.message).toContain(`database ${name} is open in another tab/worker`);
    const sameTab = await probe(a, { name });
    expect(sameTab).toMatchObject({ opened: false, code: 'LOCKED' });
    const reader = await probe(b, { name, readOnly: true });
    expect(reader).toMatchObject({ opened: true, rows: [{ id: 1, text: 'first tab' }] });
    expect(await release(a, name)).toEqual({ held: true, afterwards: 'count 1' });
    const after = await probe(b, { name, write: [{ id: 2, text: 'second tab' }] });
    expect(after).toMatchObject({ opened: true, rows: [{ id: 1 }, { id: 2 }] });
  });

  test('closing a tab that holds the database releases its lock', async ({ context }) => {
    const name = unique('tabclose');
    const a = await context.newPage();
    await openHarness(a);
    await hold(a, { name });
    const b = await context.newPage();
    await openHarness(b);
    expect(await probe(b, { name })).toMatchObject({ opened: false, code: 'LOCKED' });
    await a.close();
    await expect.poll(async () => (await probe(b, { name })).opened, { timeout: 10_000 }).toBe(true);
  });

  test('data survives closing the page and reading it back from a new one', async ({ context }) => {
    const name = unique('reload');
    const first = await context.newPage();
    await openHarness(first);
    const rows = [
      { id: 1, text: 'persisted', amount: 2n ** 64n - 1n, bytes: new Uint8Array([1, 2, 3]) },
      { id: 2, text: 'also persisted', nested: { list: [1, 'x', null] } },
    ];
    // bigint and Uint8Array do not cross page.evaluate; build them inside the page.
    await first.evaluate(
      (n) =>
        window.runInWorker('store-probe', {
          name: n,
          write: [
            { id: 1, text: 'persisted', amount: 2n ** 64n - 1n, bytes: new Uint8Array([1, 2, 3]) },
            { id: 2, text: 'also persisted', nested: { list: [1, 'x', null] } },
          ],
        }),
      name,
    );
    await first.close();
    const second = await context.newPage();
    await openHarness(second);
    const back = await second.evaluate(async (n) => {
      const r = (await window.runInWorker('store-probe', { name: n, readOnly: true })) as { rows: Record<string, unknown>[] };
      const one = r.rows[0]!;
      return {
        ids: r.rows.map((x) => x.id),
        amount: typeof one.amount === 'bigint' ? one.amount.toString() : 'not a bigint',
        bytes: one.bytes instanceof Uint8Array ? [...one.bytes] : 'not bytes',
        nested: r.rows[1]!.nested,
      };
    }, name);
    expect(back).toEqual({ ids: [1, 2], amount: (2n ** 64n - 1n).toString(), bytes: [1, 2, 3], nested: rows[1]!.nested });
  });

  test('a newer code version migrates data written by an older one, and the older one is then refused', async ({ context }) => {
    const name = unique('migrate');
    const old = await context.newPage();
    await openHarness(old);
    await probe(old, { name, version: 1, write: [{ id: 'a', text: 'one two three' }, { id: 'b', text: 'four' }] });
    await old.close();
    const next = await context.newPage();
    await openHarness(next);
    const migrated = await probe(next, { name, version: 2 });
    expect(migrated).toMatchObject({ opened: true, rows: [{ id: 'a', words: 3 }, { id: 'b', words: 1 }], byWords: ['b', 'a'] });
    expect(await probe(next, { name, version: 1 })).toMatchObject({ opened: false, code: 'SCHEMA' });
    expect(await probe(next, { name, version: 1, readOnly: true })).toMatchObject({ opened: false, code: 'SCHEMA' });
  });

  test('an upgrade elsewhere closes an open read-only store, which then fails cleanly', async ({ context }) => {
    const name = unique('versionchange');
    const a = await context.newPage();
    await openHarness(a);
    await probe(a, { name, version: 1, write: [{ id: 1, text: 'x y' }] });
    await hold(a, { name, version: 1, readOnly: true });
    const b = await context.newPage();
    await openHarness(b);
    expect(await probe(b, { name, version: 2, blockedTimeoutMs: 5000 })).toMatchObject({ opened: true, byWords: [1] });
    expect(await release(a, name)).toEqual({ held: true, afterwards: 'FAILED' });
  });

  test('an upgrade blocked by a connection that never closes fails with LOCKED after the timeout', async ({ context }) => {
    const name = unique('blocked');
    const a = await context.newPage();
    await openHarness(a);
    await probe(a, { name, version: 1 });
    await hold(a, { name, raw: true });
    const b = await context.newPage();
    await openHarness(b);
    const blocked = await probe(b, { name, version: 2, blockedTimeoutMs: 300 });
    expect(blocked).toMatchObject({ opened: false, code: 'LOCKED' });
    await release(a, name);
    expect(await probe(b, { name, version: 2 })).toMatchObject({ opened: true });
  });
});

test.describe('persistent storage request', () => {
  test('in a worker it reports unsupported; on a page it reports the browser decision', async ({ page }) => {
    await openHarness(page);
    const inWorker = (await page.evaluate(() => window.runInWorker('store-persist'))) as { status: string; reason?: string };
    expect(inWorker.status).toBe('unsupported');
    expect(inWorker.reason).toContain('only available on a page');
    const onPage = (await page.evaluate(async () => {
      const url = '/src/store/persistence.ts'; // served (and transpiled) by the Vite dev server
      const m = (await import(/* @vite-ignore */ url)) as typeof import('../../src/store/persistence.js');
      return m.requestPersistentStorage();
    })) as { status: string; quota?: number };
    expect(['persisted', 'denied']).toContain(onPage.status);
    expect(onPage.quota).toBeGreaterThan(0);
  });
});
