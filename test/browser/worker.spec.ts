// The page client with the real node in a real Chromium module Worker (startLightningWorker:
// WASM crypto, IndexedDB, Web Lock): results and errors across the boundary, abortable waits,
// events, one writer per database across tabs, read-only views. Payments over WebSocket to other
// nodes are the runtime's network tests; here the node pays itself (sendpay with an empty route).
import { expect, test, type Page } from '@playwright/test';
import { WORKER_PAGE, openWorkerPage, outcomeValue, unique, warmUpWorkerPage } from './support/worker-page.js';

const open = openWorkerPage;
const value = outcomeValue;

test.beforeAll(async ({ browser }) => warmUpWorkerPage(browser));

/** An invoice of our own, paid by sendpay with an empty route; resolves with its payment_hash. */
async function selfPay(page: Page, label: string): Promise<string> {
  const inv = value(await page.evaluate((l) => window.lw.call('invoice', { amount_msat: 5000, label: l, description: 'worker test' }), label));
  const hash = String(inv.payment_hash);
  const sent = value(
    await page.evaluate((p) => window.lw.sendpay({ route: [], payment_hash: p.hash, payment_secret: p.secret, amount_msat: 5000 }), { hash, secret: String(inv.payment_secret) }),
  );
  expect(sent).toMatchObject({ payment_hash: hash, status: 'complete' });
  return hash;
}

test.describe('Worker client with the real node', () => {
  test('getinfo answers with the node id; storage persistence is requested from the page', async ({ context }) => {
    const { page, started } = await open(context, unique('info'));
    expect(started).toMatchObject({ ok: true, readOnly: false });
    expect(started.id).toMatch(/^0[23][0-9a-f]{64}$/);
    const info = value(await page.evaluate(() => window.lw.getinfo()));
    expect(info).toMatchObject({ id: started.id, network: 'regtest', blockheight: 110 });
    const persistence = (await page.evaluate(() => window.lw.persistence())) as { status: string };
    expect(['persisted', 'denied']).toContain(persistence.status);
  });

  test('RpcErrors from the node arrive as RpcError instances with code, message and data', async ({ context }) => {
    const { page } = await open(context, unique('errors'));
    const bad = await page.evaluate(() => window.lw.sendpay({ route: [], payment_hash: 'nothex', amount_msat: 1000 }));
    expect(bad).toMatchObject({ ok: false, rpcError: true, name: 'RpcError', code: -32602, message: "payment_hash: should be a 32 byte hex value: invalid token '\"nothex\"'" });
    const hash = 'ab'.repeat(32);
    const unknown = await page.evaluate((h) => window.lw.waitsendpay({ payment_hash: h }), hash);
    expect(unknown).toMatchObject({ rpcError: true, code: 208, message: `Never attempted payment part 0 for '${hash}'` });
    const inv = value(await page.evaluate(() => window.lw.call('invoice', { amount_msat: 5000, label: 'short', description: 'd' })));
    const short = await page.evaluate(
      (p) => window.lw.sendpay({ route: [], payment_hash: p.hash, payment_secret: p.secret, amount_msat: 4000 }),
      { hash: String(inv.payment_hash), secret: String(inv.payment_secret) },
    );
    expect(short).toMatchObject({ rpcError: true, code: 203 });
    const data = JSON.parse((short as { data: string }).data) as Record<string, unknown>;
    expect(data).toMatchObject({ payment_hash: inv.payment_hash, amount_msat: '4000n' }); // u64 data stays bigint
  });

  test('an aborted wait rejects with AbortError after the abort, and the node keeps answering', async ({ context }) => {
    const { page } = await open(context, unique('abort'));
    const hash = await selfPay(page, 'before-abort');
    const aborted = await page.evaluate(() =>
      window.lw.waitAborted('wait', { subsystem: 'sendpays', indexname: 'created', nextvalue: 1000 }, 200),
    );
    expect(aborted).toMatchObject({ ok: false, abortError: true, rpcError: false });
    expect(aborted.afterMs).toBeGreaterThanOrEqual(200);
    const list = value(await page.evaluate((h) => window.lw.listsendpays({ payment_hash: h }), hash));
    expect(list.payments).toMatchObject([{ payment_hash: hash, status: 'complete' }]);
    const done = value(await page.evaluate((h) => window.lw.waitsendpay({ payment_hash: h, timeout: 3600 }), hash));
    expect(done).toMatchObject({ payment_hash: hash, status: 'complete' });
  });

  test('node events reach subscribers', async ({ context }) => {
    const { page } = await open(context, unique('events'));
    const hash = await selfPay(page, 'evented');
    await expect.poll(async () => (await page.evaluate(() => window.lw.events())).map((e) => JSON.parse(e) as { type: string; payment_hash?: string }))
      .toContainEqual(expect.objectContaining({ type: 'invoice_payment', label: 'evented', payment_hash: hash, amount_msat: '5000n' }));
  });

  test('one writer per database: a second tab gets LOCKED, or a read-only view; after the first tab closes a new one runs the node', async ({ context }) => {
    const db = unique('tabs');
    const first = await open(context, db);
    expect(first.started).toMatchObject({ ok: true, readOnly: false });
    const hash = await selfPay(first.page, 'from-first-tab');

    const second = await open(context, db);
    expect(second.started).toMatchObject({ ok: false, startError: true, code: 'LOCKED', name: 'WorkerStartError' });
    expect(second.started.ok === false && second.started.message).toBe(
      `database ${db} is open in another tab/worker; only one tab can run a node on a database (pass readOnlyIfLocked: true for a read-only view here)`,
    );

    const reader = await open(context, db, { readOnlyIfLocked: true });
    expect(reader.started).toMatchObject({ ok: true, readOnly: true, id: first.started.id });
    const list = value(await reader.page.evaluate(() => window.lw.listsendpays()));
    expect(list.payments).toMatchObject([{ payment_hash: hash, status: 'complete' }]);
    const refused = await reader.page.evaluate((h) => window.lw.sendpay({ route: [], payment_hash: h, amount_msat: 5000 }), hash);
    expect(refused).toMatchObject({ ok: false, rpcError: true, code: -1 });
    expect(refused.ok === false && refused.message).toContain(`database ${db} is open in another tab`);

    await first.page.close();
    await expect
      .poll(async () => {
        const next = await open(context, db);
        const r = next.started;
        if (!r.ok) await next.page.close();
        return r.ok ? { readOnly: r.readOnly, id: r.id } : r.code;
      }, { timeout: 15_000 })
      .toEqual({ readOnly: false, id: first.started.id });
  });

  test('close() releases the database for the next client in the same tab; the closed one refuses calls', async ({ context }) => {
    const db = unique('close');
    const { page, started } = await open(context, db);
    expect(await page.evaluate(() => window.lw.close())).toMatchObject({ ok: true });
    expect(await page.evaluate(() => window.lw.stopped())).toBe('closed by the page');
    expect(await page.evaluate(() => window.lw.getinfo())).toMatchObject({ rpcError: true, code: -5, message: 'lightning-worker is closed' });
    const again = await page.evaluate((d) => window.lw.start({ network: 'regtest', dbName: d, chain: { static: 110 } }), db);
    expect(again).toMatchObject({ ok: true, readOnly: false, id: started.id });
  });

  test('the database deleted under a running node: writes reject with a clear RpcError instead of hanging', async ({ context }) => {
    const db = unique('deleted');
    const { page } = await open(context, db);
    const other = await context.newPage();
    await other.goto(WORKER_PAGE);
    const deleted = await other.evaluate(
      (d) =>
        new Promise<string>((resolve) => {
          const req = indexedDB.deleteDatabase(d);
          req.onsuccess = () => resolve('deleted');
          req.onerror = () => resolve(`error: ${String(req.error)}`);
          req.onblocked = () => resolve('blocked');
        }),
      db,
    );
    expect(deleted).toBe('deleted'); // the node's store closes its connection at once on versionchange
    const write = await page.evaluate(() => window.lw.call('invoice', { amount_msat: 5000, label: 'after-delete', description: 'd' }));
    expect(write).toMatchObject({ ok: false, rpcError: true });
    expect(write.ok === false && write.message).toContain(`database ${db} was upgraded or deleted by another tab/worker`);
  });

  test('leaving the page does not ask for confirmation while nothing is in flight', async ({ context }) => {
    const { page } = await open(context, unique('unload'));
    await page.click('body');
    await selfPay(page, 'settled'); // a self-payment never puts an HTLC in flight
    expect(await page.evaluate(() => window.lw.inFlight())).toBe(0);
    let dialogs = 0;
    page.on('dialog', (d) => {
      dialogs++;
      void d.dismiss();
    });
    const closed = page.waitForEvent('close');
    await page.close({ runBeforeUnload: true });
    await closed;
    expect(dialogs).toBe(0);
  });
});
