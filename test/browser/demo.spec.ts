// The demo page, driven like a newcomer would: open it (it connects to the hub by itself), wait
// for the channel, get an invoice from the shop, pay it, read the preimage and the payments table;
// then two payments that fail (a tampered payment_hash, an amount above the channel balance) and
// how the page explains them, and the payments table's filters and paging. Runs against
// `lightning-worker demo` (a hub, a shop and a proxy on loopback, the built page from dist/web
// under the server's Content-Security-Policy), started here on port 0; set LW_DEMO_URL to use a
// demo server that is already running. Needs `npx tsc -p tsconfig.build.json && npx vite build
// --mode demo` first.
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { expect, test, type Page } from '@playwright/test';
import { loadVector } from '../support/shared.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const READY_TIMEOUT_MS = 90_000;

let demo: ChildProcess | undefined;
let demoUrl = process.env.LW_DEMO_URL ?? '';
const demoLog: string[] = [];

/** Starts the demo command and resolves with the URL from its `{"event":"demo-ready","url":…}` line. */
function startDemo(): Promise<string> {
  const child = spawn(process.execPath, ['dist/node/cli/main.js', 'demo', '--port', '0'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  demo = child;
  child.stderr?.on('data', (b: Buffer) => demoLog.push(b.toString()));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no demo-ready line within ${READY_TIMEOUT_MS} ms; output:\n${demoLog.join('')}`)), READY_TIMEOUT_MS);
    child.once('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    // 'close' (not 'exit'): by then stdout/stderr are drained, so the log below is complete.
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`the demo command exited (${code ?? signal}) before it was ready; output:\n${demoLog.join('')}`));
    });
    const lines = createInterface({ input: child.stdout! });
    lines.on('line', (line) => {
      demoLog.push(`${line}\n`);
      let msg: unknown;
      try {
        msg = JSON.parse(line);
      } catch {
        return; // not every line has to be JSON
      }
      if (typeof msg === 'object' && msg !== null && (msg as { event?: unknown }).event === 'demo-ready') {
        const url = (msg as { url?: unknown }).url;
        clearTimeout(timer);
        if (typeof url === 'string') resolve(url);
        else reject(new Error(`demo-ready line without a url: ${line}`));
      }
    });
  });
}

async function stopDemo(): Promise<void> {
  const child = demo;
  if (child === undefined || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(timer);
}

test.beforeAll(async () => {
  test.setTimeout(READY_TIMEOUT_MS + 10_000);
  if (demoUrl === '') demoUrl = await startDemo();
});

test.afterAll(async () => {
  await stopDemo();
});

/** Asks the shop for an invoice through the page's button; returns the shop's payment_hash. */
async function getShopInvoice(page: Page, amount: string): Promise<string> {
  await page.getByLabel('Amount', { exact: true }).fill(amount);
  const answer = page.waitForResponse((r) => r.url().endsWith('/api/shop/invoice') && r.request().method() === 'POST');
  await page.getByRole('button', { name: 'Get an invoice from the shop' }).click();
  const body = (await (await answer).json()) as { payment_hash: string; bolt11: string };
  await expect(page.getByRole('textbox', { name: 'BOLT 11 invoice' })).toHaveValue(body.bolt11);
  await expect(page.locator('#invoice-details')).toContainText('A cup of coffee');
  await expect(page.locator('#route-preview')).toContainText('You send');
  return body.payment_hash;
}

test('a newcomer pays an invoice in under a minute, and sees why bad payments fail', async ({ page }) => {
  test.setTimeout(180_000);
  const status = page.locator('#pay-status');
  const outcome = page.locator('#pay-outcome');
  const payments = page.locator('#payments-body');

  // Anything the page's Content-Security-Policy blocks (init scripts are not subject to it).
  await page.addInitScript(() => {
    const seen: string[] = [];
    (window as unknown as { cspViolations: string[] }).cspViolations = seen;
    document.addEventListener('securitypolicyviolation', (e) => seen.push(`${e.violatedDirective} ${e.blockedURI}`));
  });
  const cspConsole: string[] = [];
  page.on('console', (m) => {
    if (/Content Security Policy/i.test(m.text())) cspConsole.push(m.text());
  });

  // While it waits for the hub's channel the page asks the demo server how the hub's open goes.
  const hubAsked = page.waitForRequest((r) => /\/api\/hub\/channel\?peer=0[23][0-9a-f]{64}$/.test(r.url()), { timeout: 60_000 });

  await test.step('open the page: the node starts and connects to the hub by itself', async () => {
    const response = await page.goto(demoUrl);
    if (process.env.LW_DEMO_URL === undefined) expect(response?.headers()['content-security-policy']).toContain("default-src 'none'");
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Pay a Lightning invoice from this page');
    await expect(page.locator('#pay-idle')).toBeVisible();
    await expect(page.locator('#node-status')).toHaveText('Running.', { timeout: 60_000 });
    await expect(page.locator('#connect-auto')).toBeVisible();
    await expect(page.locator('#peer-list li[data-state="connected"]')).toHaveCount(1, { timeout: 30_000 });
    await expect(page.locator('#peer-list')).toContainText('hub');
  });

  await test.step('the Connect form stays for other peers, with the keyboard', async () => {
    const address = page.getByLabel('Peer address');
    await expect(address).toHaveValue(/^0[23][0-9a-f]{64}@wss?:\/\//);
    await expect(page.getByRole('radio', { name: /Direct WebSocket/ })).toBeChecked();
    await expect(page.locator('#dial-preview')).toContainText('Will dial ws');
    const hubAddress = await address.inputValue();
    await address.fill('not-a-node@127.0.0.1:9735');
    await page.keyboard.press('Enter');
    await expect(page.locator('#connect-error')).toBeVisible();
    await expect(address).toBeFocused();
    await address.fill(hubAddress);
    await page.keyboard.press('Enter');
    await expect(page.locator('#connect-error')).toBeHidden({ timeout: 30_000 });
    await expect(page.locator('#peer-list li[data-state="connected"]')).toHaveCount(1, { timeout: 30_000 });
  });

  await test.step('the hub opens a channel: wait until it is ready', async () => {
    const channels = page.getByRole('table', { name: 'Your channels (listpeerchannels)' });
    await expect(channels.locator('tr[data-state="CHANNELD_NORMAL"]')).toHaveCount(1, { timeout: 60_000 });
    await expect(channels).toContainText('ready');
    await expect(channels.locator('td[data-label="Your balance"]').first()).toHaveText(/^[\d,.]+ sat$/);
    expect((await (await hubAsked).response())?.status()).toBe(200);
    await expect(page.locator('#channels-hub')).toBeHidden();
  });

  let paidHash = '';
  await test.step('get an invoice from the shop and pay it', async () => {
    paidHash = await getShopInvoice(page, '10000sat');
    // One sentence for screen readers, not the whole definition list.
    await expect(page.locator('#announcer')).toHaveText(/^Invoice decoded: 10,000 sat to shop, “A cup of coffee”, expires in /);
    await expect(page.locator('#route-preview table')).toContainText('hub');
    await expect(page.locator('#route-preview table')).toContainText('shop');
    await page.getByRole('button', { name: 'Pay', exact: true }).click();
    await expect(status).toContainText('complete', { timeout: 60_000 });
    await expect(page.locator('#pay-preimage')).toHaveText(/^[0-9a-f]{64}$/);
    await expect(page.locator('#pay-result-h')).toBeFocused();
    const row = payments.locator(`tr[data-payment-hash="${paidHash}"]`);
    await expect(row).toHaveAttribute('data-status', 'complete', { timeout: 30_000 });
    await expect(row.locator('td[data-label="Amount"]')).toHaveText('10,000 sat');
    await expect(row.locator('td[data-label="Completed"]')).not.toHaveText('—');
    await page.screenshot({ path: 'test-results/demo-paid.png', fullPage: true });
  });

  await test.step('a tampered payment_hash: the shop does not recognise the payment', async () => {
    const hash = await getShopInvoice(page, '2000sat');
    await page.getByRole('button', { name: 'Edit as JSON route' }).click();
    await expect(page.getByLabel('Route', { exact: true })).toBeFocused();
    const tampered = `${hash[0] === '0' ? '1' : '0'}${hash.slice(1)}`;
    await page.getByLabel('payment_hash', { exact: true }).fill(tampered);
    await page.getByRole('button', { name: 'Pay', exact: true }).click();
    await expect(status).toContainText('failed', { timeout: 60_000 });
    await expect(status).toContainText('203');
    await expect(outcome).toContainText('The recipient does not recognise this payment (wrong hash, secret or amount)');
    await expect(outcome).toContainText('The destination (erring_index 2).');
    await expect(outcome).toContainText('WIRE_INCORRECT_OR_UNKNOWN_PAYMENT_DETAILS');
    await page.getByText('Raw error data (Core Lightning JSON)').click();
    await expect(outcome.locator('pre')).toContainText('"erring_index": 2');
    await expect(payments.locator(`tr[data-payment-hash="${tampered}"]`)).toHaveAttribute('data-status', 'failed', { timeout: 30_000 });
    await page.screenshot({ path: 'test-results/demo-failed-hash.png', fullPage: true });
  });

  await test.step('an amount above the channel balance: our own node refuses it', async () => {
    await page.getByRole('radio', { name: 'A BOLT 11 invoice' }).check();
    await getShopInvoice(page, '50000000sat');
    await expect(page.locator('#route-preview .warnings')).toContainText('your own node will most likely refuse it');
    await page.getByRole('button', { name: 'Pay', exact: true }).click();
    await expect(status).toContainText('failed', { timeout: 60_000 });
    await expect(outcome).toContainText('Your own node, before the payment left it (erring_index 0).');
    await expect(outcome).toContainText('204');
  });

  await test.step('an invoice for another chain: decoded, but the page will not route it', async () => {
    // The first valid example of BOLT 11: a mainnet (lnbc) invoice; the demo runs on regtest.
    const mainnet = loadVector<{ valid: { invoice: string }[] }>('bolt11-invoices.json').valid[0]!.invoice;
    await page.getByRole('textbox', { name: 'BOLT 11 invoice' }).fill(mainnet);
    await expect(page.locator('#invoice-details')).toContainText('This invoice is for another chain (lnbc); your node runs on regtest (lnbcrt).');
    await expect(page.locator('#route-preview')).toBeEmpty();
  });

  await test.step('the payments table: replay a failure, filter (listsendpays)', async () => {
    await payments.getByRole('button', { name: /^Why did attempt \d+ fail\?$/ }).first().click();
    await expect(page.locator('#payments-why-h')).toBeFocused();
    await expect(page.locator('#payments-why')).toContainText('The recipient does not recognise this payment');
    await page.getByLabel('Status', { exact: true }).selectOption('failed');
    await page.getByRole('button', { name: 'Show payments' }).click();
    await expect(payments.locator('tr[data-status="complete"]')).toHaveCount(0);
    await expect(payments.locator('tr[data-status="failed"]')).toHaveCount(2);
    await page.getByLabel('Status', { exact: true }).selectOption('');
    await page.getByLabel('payment_hash or bolt11').fill(paidHash);
    await page.getByRole('button', { name: 'Show payments' }).click();
    await expect(payments.locator('tr')).toHaveCount(1);
    await expect(payments.locator('tr').first()).toHaveAttribute('data-status', 'complete');
    await expect(page.locator('#announcer')).toHaveText('1 payment attempt.');
  });

  await test.step('page through the created index (index, start, limit)', async () => {
    await page.getByLabel('payment_hash or bolt11').fill('');
    const start = page.getByLabel('Start', { exact: true });
    const limit = page.getByLabel('Limit', { exact: true });
    await expect(start).toBeDisabled();
    await expect(page.locator('#filter-paging-help')).toBeVisible();
    await page.getByLabel('Order by index').selectOption('created');
    await expect(start).toBeEnabled();
    await start.fill('2');
    await limit.fill('1');
    await page.getByRole('button', { name: 'Show payments' }).click();
    await expect(payments.locator('tr')).toHaveCount(1);
    await expect(payments.locator('tr td[data-label="#"]')).toHaveText('2');
    await start.fill('1');
    await limit.fill('2');
    await page.getByRole('button', { name: 'Show payments' }).click();
    await expect(payments.locator('tr td[data-label="#"]')).toHaveText(['1', '2']);
    // Back to no index: the disabled fields still hold 1 and 2, but they are not sent.
    await page.getByLabel('Order by index').selectOption('');
    await expect(start).toBeDisabled();
    await page.getByRole('button', { name: 'Show payments' }).click();
    await expect(payments.locator('tr')).toHaveCount(3);
    await expect(page.locator('#payments-error')).toBeHidden();
  });

  await test.step('a rebuilt payments table keeps the focused "Why?" button focused', async () => {
    const why = payments.locator('tr[data-status="failed"]').first().getByRole('button', { name: /^Why did attempt \d+ fail\?$/ });
    const hash = await payments.locator('tr[data-status="failed"]').first().getAttribute('data-payment-hash');
    await why.focus();
    // What a payment event does: the table is fetched and rebuilt while focus is inside it.
    await page.evaluate(() => {
      (window as unknown as { oldWhy: Element | null }).oldWhy = document.activeElement;
      document.querySelector<HTMLFormElement>('#payments-filter')!.requestSubmit();
    });
    await expect.poll(() => page.evaluate(() => (window as unknown as { oldWhy: Element }).oldWhy.isConnected)).toBe(false);
    expect(await page.evaluate(() => document.activeElement?.closest('tr')?.getAttribute('data-payment-hash') ?? null)).toBe(hash);
    expect(await page.evaluate(() => document.activeElement?.tagName)).toBe('BUTTON');
  });

  await test.step('every control has a name', async () => {
    const unnamed = await page.evaluate(() =>
      [...document.querySelectorAll<HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement>('input, select, textarea')]
        .filter((e) => e.labels === null || (e.labels.length === 0 && e.getAttribute('aria-label') === null))
        .map((e) => e.id || e.outerHTML.slice(0, 60)),
    );
    expect(unnamed).toEqual([]);
    const blankButtons = await page.evaluate(() => [...document.querySelectorAll('button')].filter((b) => (b.textContent ?? '').trim() === '' && b.getAttribute('aria-label') === null).length);
    expect(blankButtons).toBe(0);
  });

  await test.step('on a phone-sized screen', async () => {
    await page.setViewportSize({ width: 360, height: 780 });
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await page.screenshot({ path: 'test-results/demo-360.png', fullPage: true });
    // The card layout's display rules must not show a table the page hid.
    await page.getByLabel('payment_hash or bolt11').fill('00'.repeat(32));
    await page.getByRole('button', { name: 'Show payments' }).click();
    await expect(page.locator('#payments-status')).toHaveText('No payments match.');
    await expect(page.locator('#payments-table')).toBeHidden();
  });

  await test.step('nothing was blocked by the Content-Security-Policy', async () => {
    expect(await page.evaluate(() => (window as unknown as { cspViolations: string[] }).cspViolations)).toEqual([]);
    expect(cspConsole).toEqual([]);
  });
});
