// Payments from a page: the real node in a Chromium module Worker (startLightningWorker, IndexedDB,
// WebSocket) pays through our daemons on loopback (support/pay-network.ts: Worker → A → B,
// Worker → C → B, A → G whose failure onions are garbled). Core Lightning's sendpay / waitsendpay /
// listsendpays as spec/cln-payments.md describes them: success with the preimage, failures from
// each hop (204 / 203 / 202) with the routing-failure object, multi-part payments and every MPP
// rule observable through sendpay, idempotent repeats, and the read-only second tab.
import { expect, test, type BrowserContext } from '@playwright/test';
import { readFailureMessage } from '../network/support/lightning.js';
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
  whileFrozen,
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
const randomHash = (): string => [...crypto.getRandomValues(new Uint8Array(32))].map((x) => x.toString(16).padStart(2, '0')).join('');
const hex8 = (n: bigint | number, bytes: number): string => BigInt(n).toString(16).padStart(bytes * 2, '0');

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

  test('failures from each hop: 204 from A (fee, unknown channel) with erring_index 1, 203 from B (unknown hash, wrong amount) with erring_index 2', async ({ context }) => {
    const { w, ch } = await fundedWorker(context, 'failures', [net.a]);
    const amount = 5_000_000n;
    const abName = net.ab.aliasAt(net.a);
    const ab = { erring_channel: abName, erring_direction: direction(net.a.id, net.b.id) };

    // A's fee is 1000 + 10 ppm: offering 1 msat less than that is WIRE_FEE_INSUFFICIENT from A.
    const lowFee = await invoice(net.b, amount, unique('fee'));
    const lowHops = route(ch, viaAB(), amount, { fee: 1049n });
    expect(await w.ok('sendpay', { route: lowHops, payment_hash: lowFee.payment_hash, payment_secret: lowFee.payment_secret })).toMatchObject({ status: 'pending' });
    const fee = await w.err('waitsendpay', { payment_hash: lowFee.payment_hash, timeout: 60 });
    expect(fee).toMatchObject({ rpcError: true, code: 204, message: 'failed: WIRE_FEE_INSUFFICIENT (reply from remote)' });
    // The row, then the routing failure. (The row shows pending when the wait was answered live,
    // F-7, or failed when the failure was back before waitsendpay was called.)
    expect(['pending', 'failed']).toContain(fee.data!.status);
    expect(fee.data).toMatchObject({ payment_hash: lowFee.payment_hash, amount_sent_msat: lowHops[0]!.amount_msat, erring_index: 1, failcode: 4108, failcodename: 'WIRE_FEE_INSUFFICIENT', erring_node: net.a.id, ...ab });
    const feeMsg = readFailureMessage(String(fee.data!.raw_message), net.a.id);
    expect(feeMsg).toMatchObject({ failcode: 0x100c, htlc_msat: lowHops[0]!.amount_msat, channel_update: { signatureValid: true, fee_base_msat: 1000, fee_proportional_millionths: 10 }, trailing: 0 });

    // A channel A does not have: WIRE_UNKNOWN_NEXT_PEER from A, blamed on that channel.
    const nowhere = await invoice(net.b, amount, unique('nowhere'));
    await w.ok('sendpay', { route: route(ch, { dest: net.b, channel: '1x2x3' }, amount), payment_hash: nowhere.payment_hash, payment_secret: nowhere.payment_secret });
    const next = await w.err('waitsendpay', { payment_hash: nowhere.payment_hash, timeout: 60 });
    expect(next).toMatchObject({ code: 204, message: 'failed: WIRE_UNKNOWN_NEXT_PEER (reply from remote)' });
    expect(next.data).toMatchObject({ erring_index: 1, failcode: 16394, failcodename: 'WIRE_UNKNOWN_NEXT_PEER', erring_node: net.a.id, erring_channel: '1x2x3', raw_message: '400a' });

    // B does not know this hash: WIRE_INCORRECT_OR_UNKNOWN_PAYMENT_DETAILS from the destination, 203.
    const unknown = randomHash();
    const secret = (await invoice(net.b, amount, unique('secret'))).payment_secret;
    await w.ok('sendpay', { route: route(ch, viaAB(), amount), payment_hash: unknown, payment_secret: secret });
    const perm = await w.err('waitsendpay', { payment_hash: unknown, timeout: 60 });
    expect(perm).toMatchObject({ code: 203, message: 'failed: WIRE_INCORRECT_OR_UNKNOWN_PAYMENT_DETAILS (reply from remote)' });
    expect(perm.data).toMatchObject({
      payment_hash: unknown,
      erring_index: 2,
      failcode: 16399,
      failcodename: 'WIRE_INCORRECT_OR_UNKNOWN_PAYMENT_DETAILS',
      erring_node: net.b.id,
      ...ab,
      raw_message: `400f${hex8(amount, 8)}${hex8(800_000, 4)}`,
    });

    // B's invoice paid with less than it asks: the same failure, for the amount B received.
    const shortLabel = unique('short');
    const short = await invoice(net.b, amount, shortLabel);
    await w.ok('sendpay', { route: route(ch, viaAB(), amount - 1000n), payment_hash: short.payment_hash, payment_secret: short.payment_secret });
    const low = await w.err('waitsendpay', { payment_hash: short.payment_hash, timeout: 60 });
    expect(low).toMatchObject({ code: 203, data: { erring_index: 2, failcode: 16399, erring_node: net.b.id, raw_message: `400f${hex8(amount - 1000n, 8)}${hex8(800_000, 4)}` } });

    // Replays come from storage: same code and message, the row now failed (F-7), raw_message kept.
    const replay = await w.err('waitsendpay', { payment_hash: lowFee.payment_hash });
    expect(replay).toMatchObject({ code: 204, message: fee.message, data: { status: 'failed', erring_index: 1, failcode: 4108, erring_node: net.a.id, raw_message: fee.data!.raw_message } });
    expect(replay.data!.completed_at).toEqual(expect.any(Number));
    const failed = await w.payments({ status: 'failed' });
    expect(failed.map((r) => r.payment_hash)).toEqual([lowFee.payment_hash, nowhere.payment_hash, unknown, short.payment_hash]);
    for (const r of failed) expect(r).toMatchObject({ status: 'failed', completed_at: expect.any(Number) });
    expect(failed.some((r) => 'erroronion' in r || 'payment_preimage' in r)).toBe(false);

    // Each failure reached the page as a sendpay_failure event carrying the waitsendpay error.
    await expect
      .poll(async () => (await w.events()).filter((e) => (e as { type: string }).type === 'sendpay_failure').map((e) => (e as { error: { code: number; data: { payment_hash: string } } }).error))
      .toEqual([
        expect.objectContaining({ code: 204, message: fee.message, data: expect.objectContaining({ payment_hash: lowFee.payment_hash, erring_index: 1 }) }),
        expect.objectContaining({ code: 204, data: expect.objectContaining({ payment_hash: nowhere.payment_hash }) }),
        expect.objectContaining({ code: 203, data: expect.objectContaining({ payment_hash: unknown, erring_index: 2 }) }),
        expect.objectContaining({ code: 203, data: expect.objectContaining({ payment_hash: short.payment_hash }) }),
      ]);
    // Nothing was paid: the Worker's balance is what A pushed, no HTLC is left anywhere.
    await w.noHtlcs();
    expect((await w.channels(net.a))[0]!.to_us_msat).toBe(PUSH);
    expect((await invoiceRow(net.b, shortLabel)).status).toBe('unpaid');
  });

  test('202 from a reply onion that does not decode (G garbles its failures): "Malformed error reply" with onionreply; erroronion in listsendpays', async ({ context }) => {
    const { w, ch } = await fundedWorker(context, 'malformed', [net.a]);
    const amount = 3_000_000n;
    const hash = randomHash();
    await w.ok('sendpay', { route: route(ch, { dest: net.g!, channel: net.ag!.aliasAt(net.a) }, amount), payment_hash: hash, payment_secret: randomHash() });
    const e = await w.err('waitsendpay', { payment_hash: hash, timeout: 60 });
    expect(e).toMatchObject({ rpcError: true, code: 202, message: 'Malformed error reply' });
    const reply = String(e.data!.onionreply);
    expect(reply).toMatch(/^[0-9a-f]+$/);
    expect(reply.length).toBeGreaterThanOrEqual(2 * (32 + 2 + 2 + 256));
    expect(e.data).toMatchObject({ payment_hash: hash, destination: net.g!.id, amount_msat: amount });
    for (const k of ['erring_index', 'failcode', 'failcodename', 'erring_node', 'raw_message']) expect(e.data).not.toHaveProperty(k);

    const [row] = await w.payments({ payment_hash: hash });
    expect(row).toMatchObject({ status: 'failed', erroronion: reply, completed_at: expect.any(Number) });
    const replay = await w.err('waitsendpay', { payment_hash: hash });
    expect(replay).toMatchObject({ code: 202, message: 'Malformed error reply', data: { status: 'failed', onionreply: reply } });
    await w.noHtlcs();
    expect((await w.channels(net.a))[0]!.to_us_msat).toBe(PUSH);
  });

  test('MPP over two routes (Worker → A → B and Worker → C → B): both parts complete, B paid once; the MPP rules of sendpay and waitsendpay', async ({ context }) => {
    const { w, ch: viaA } = await fundedWorker(context, 'mpp', [net.a, net.c!]);
    const viaC = await fundWorker(net.c!, w, 2_000_000, PUSH);
    const total = 20_000_000n;
    const label = unique('mpp');
    const inv = await invoice(net.b, total, label);
    const h = inv.payment_hash;
    const r1 = route(viaA, viaAB(), 12_000_000n);
    const r2 = route(viaC, { dest: net.b, channel: net.cb!.aliasAt(net.c!) }, 8_000_000n);
    // Parts name their group: without groupid, sendpay opens a new group (P-1).
    const part = (r: typeof r1, partid: number, extra: Record<string, unknown> = {}) => ({ route: r, payment_hash: h, payment_secret: inv.payment_secret, partid, groupid: 1, amount_msat: total, ...extra });

    // Parameter rules, before anything is sent (P-2, A-1, A-2).
    expect(await w.err('sendpay', { route: r1, payment_hash: h, payment_secret: inv.payment_secret, partid: 1 })).toMatchObject({ code: -32602, message: 'Must specify msatoshi with partid' });
    expect(await w.err('sendpay', { route: r1, payment_hash: h, partid: 1, amount_msat: total })).toMatchObject({ code: -32602, message: 'partid requires payment_secret' });
    expect(await w.err('sendpay', part(r1, 1, { amount_msat: 10_000_000n }))).toMatchObject({ code: -32602, message: 'Final amount 12000000msat is greater than 10000000msat, despite MPP' });
    expect(await w.err('sendpay', { route: r1, payment_hash: h, payment_secret: inv.payment_secret, amount_msat: total })).toMatchObject({
      code: -32602,
      message: 'Do not specify msatoshi (20000000msat) without partid: if you do, it must be exactly the final amount (12000000msat)',
    });
    expect(await w.payments({ payment_hash: h })).toEqual([]);

    // B frozen: the parts stay pending at the Worker while the progress rules are checked.
    const pending = await whileFrozen(net.b, async () => {
      const p1 = await w.ok('sendpay', part(r1, 1));
      expect(p1).toMatchObject({ message: MONITOR, created_index: 1n, payment_hash: h, groupid: 1n, partid: 1n, destination: net.b.id, amount_msat: 12_000_000n, status: 'pending' });
      // Same part again: the existing row and the monitor message, no new row (P-6).
      expect(await w.ok('sendpay', part(r1, 1))).toEqual(p1);
      expect(await w.err('sendpay', part(route(viaA, viaAB(), 11_000_000n), 1))).toMatchObject({ code: 201, message: 'Already pending with amount 12000000msat (not 11000000msat)' });
      // Every part of a group carries the same total.
      expect(await w.err('sendpay', part(r2, 2, { amount_msat: 25_000_000n }))).toMatchObject({ code: -32602, message: 'msatoshi was previously 20000000msat, now 25000000msat' });
      // A non-MPP attempt in the same group, or a new group (also a part without groupid), while parts are pending (P-5, P-4).
      const { groupid: _g, ...noGroup } = part(r2, 2);
      expect(await w.err('sendpay', noGroup)).toMatchObject({ code: 200, message: 'Payment with groupid=1 still in progress, cannot retry before that completes.' });
      expect(await w.err('sendpay', { route: r1, payment_hash: h, payment_secret: inv.payment_secret, groupid: 1 })).toMatchObject({ code: 200, message: 'Already have parallel payment in progress' });
      expect(await w.err('sendpay', { route: r1, payment_hash: h, payment_secret: inv.payment_secret })).toMatchObject({ code: 200, message: 'Payment with groupid=1 still in progress, cannot retry before that completes.' });
      // waitsendpay defaults to partid 0 (W-1); partid 1 is pending (W-3, timeout 0 polls).
      expect(await w.err('waitsendpay', { payment_hash: h })).toMatchObject({ code: 208, message: `Never attempted payment part 0 for '${h}'` });
      expect(await w.err('waitsendpay', { payment_hash: h, partid: 1, timeout: 0 })).toMatchObject({ code: 200, message: 'Timed out while waiting' });
      expect(await w.err('waitsendpay', { payment_hash: h, partid: 2, timeout: 0 })).toMatchObject({ code: 208, message: `Never attempted payment part 2 for '${h}'` });

      const p2 = await w.ok('sendpay', part(r2, 2));
      expect(p2).toMatchObject({ message: MONITOR, created_index: 2n, groupid: 1n, partid: 2n, amount_msat: 8_000_000n, amount_sent_msat: r2[0]!.amount_msat, status: 'pending' });
      // The pending parts cover the total: a third part is refused.
      expect(await w.err('sendpay', part(route(viaA, viaAB(), 1_000_000n), 3))).toMatchObject({ code: 200, message: 'Already have 20000000msat of 20000000msat payments in progress' });
      return (await w.payments({ payment_hash: h })).map((r) => [r.partid, r.status]);
    });
    expect(pending).toEqual([
      [1n, 'pending'],
      [2n, 'pending'],
    ]);

    const done1 = await w.ok('waitsendpay', { payment_hash: h, partid: 1, timeout: 60 });
    const done2 = await w.ok('waitsendpay', { payment_hash: h, partid: 2, groupid: 1, timeout: 60 });
    const paid = await paidInvoice(label);
    expect(paid).toMatchObject({ status: 'paid', received: total });
    expect(done1).toMatchObject({ partid: 1n, groupid: 1n, status: 'complete', payment_preimage: paid.preimage });
    expect(done2).toMatchObject({ partid: 2n, groupid: 1n, status: 'complete', payment_preimage: paid.preimage });
    const rows = await w.payments({ payment_hash: h });
    expect(rows.map((r) => [r.created_index, r.partid, r.status, r.amount_msat])).toEqual([
      [1n, 1n, 'complete', 12_000_000n],
      [2n, 2n, 'complete', 8_000_000n],
    ]);
    const pays = (await w.ok('listpays', { payment_hash: h })).pays as Record<string, unknown>[];
    expect(pays).toMatchObject([{ payment_hash: h, status: 'complete', number_of_parts: 2n, amount_msat: total, preimage: paid.preimage }]);

    // After success: a part again is the stored row (P-8); a new part, or another amount, is refused (P-9, 201).
    const again = await w.ok('sendpay', part(r1, 1));
    expect(again).toEqual(rows[0]);
    expect(again).not.toHaveProperty('message');
    expect(await w.err('sendpay', part(route(viaA, viaAB(), 1_000_000n), 3))).toMatchObject({ code: 201, message: 'Already succeeded other parts' });
    expect(await w.err('sendpay', part(route(viaC, { dest: net.b, channel: net.cb!.aliasAt(net.c!) }, 7_000_000n), 2))).toMatchObject({
      code: 201,
      message: 'Already succeeded with amount 8000000msat (not 7000000msat)',
    });
    expect(await w.payments({ payment_hash: h })).toEqual(rows);
    // One forward per route, each channel paid exactly its part.
    expect(await forwardsFrom(viaA)).toMatchObject([{ status: 'settled', out_msat: 12_000_000 }]);
    expect(await forwardsFrom(viaC)).toMatchObject([{ status: 'settled', out_msat: 8_000_000 }]);
    await w.noHtlcs();
    const balances = Object.fromEntries((await w.channels()).map((c) => [c.channel_id as string, c.to_us_msat]));
    expect(balances).toEqual({ [viaA.channel_id]: PUSH - r1[0]!.amount_msat, [viaC.channel_id]: PUSH - r2[0]!.amount_msat });
  });

  test('repeats: while pending the existing row with the monitor message (P-6), once complete the stored row and no new HTLC (P-8); failed groups do not block a retry', async ({ context }) => {
    const { w, ch } = await fundedWorker(context, 'repeat', [net.a]);
    const amount = 7_000_000n;
    const label = unique('repeat');
    const inv = await invoice(net.b, amount, label);
    const h = inv.payment_hash;
    const good = route(ch, viaAB(), amount);
    const params = { route: good, payment_hash: h, payment_secret: inv.payment_secret };

    // Group 1 fails at A (fee too low).
    await w.ok('sendpay', { ...params, route: route(ch, viaAB(), amount, { fee: 0n }) });
    expect(await w.err('waitsendpay', { payment_hash: h, timeout: 60 })).toMatchObject({ code: 204, data: { erring_index: 1, failcodename: 'WIRE_FEE_INSUFFICIENT' } });

    const seen = await whileFrozen(net.b, async () => {
      // A retry without groupid opens group 2 (P-1, P-10).
      const first = await w.ok('sendpay', params);
      expect(first).toMatchObject({ message: MONITOR, created_index: 2n, groupid: 2n, status: 'pending' });
      const repeat = await w.ok('sendpay', { ...params, groupid: 2 });
      const noGroup = await w.err('sendpay', params);
      const failedGroup = await w.err('sendpay', { ...params, groupid: 1 });
      return { first, repeat, noGroup, failedGroup, rows: await w.payments({ payment_hash: h }) };
    });
    expect(seen.repeat).toEqual(seen.first);
    expect(seen.noGroup).toMatchObject({ code: 200, message: 'Payment with groupid=2 still in progress, cannot retry before that completes.' });
    expect(seen.failedGroup).toMatchObject({
      code: 201,
      message: `There already is a payment with payment_hash=${h}, groupid=1, partid=0. Either change the partid, or wait for the payment to complete and start a new group.`,
    });
    expect(seen.rows.map((r) => [r.groupid, r.status])).toEqual([
      [1n, 'failed'],
      [2n, 'pending'],
    ]);

    const done = await w.ok('waitsendpay', { payment_hash: h, timeout: 60 });
    const paid = await paidInvoice(label);
    expect(done).toMatchObject({ groupid: 2n, status: 'complete', payment_preimage: paid.preimage });
    await w.noHtlcs();
    const balance = (await w.channels(net.a))[0]!.to_us_msat;
    expect(balance).toBe(PUSH - good[0]!.amount_msat);

    // Repeated once complete: the stored row, nothing sent, no new row (also without a route to B).
    const stored = (await w.payments({ payment_hash: h }))[1]!;
    expect(stored).toMatchObject({ status: 'complete', payment_preimage: paid.preimage, updated_index: expect.any(BigInt), completed_at: expect.any(Number) });
    expect(await w.ok('sendpay', params)).toEqual(stored);
    expect(await w.ok('sendpay', { ...params, route: route(ch, { dest: net.b, channel: '1x2x3' }, amount) })).toEqual(stored);
    expect(await w.err('sendpay', { ...params, route: route(ch, viaAB(), amount + 1n) })).toMatchObject({ code: 201, message: `Already succeeded with amount ${amount}msat (not ${amount + 1n}msat)` });
    expect(await w.payments({ payment_hash: h })).toHaveLength(2);
    expect((await forwardsFrom(ch)).map((f) => f.status)).toEqual(['local_failed', 'settled']);
    expect((await w.channels(net.a))[0]!.to_us_msat).toBe(balance);
    expect((await paidInvoice(label)).received).toBe(amount);
    // The failed group still replays its failure.
    expect(await w.err('waitsendpay', { payment_hash: h, groupid: 1 })).toMatchObject({ code: 204, data: { status: 'failed', groupid: 1n } });
  });

  test('a second tab opened read-only sees the first tab\'s payments in listsendpays', async ({ context }) => {
    const { w, ch } = await fundedWorker(context, 'tabs', [net.a]);
    const amount = 4_000_000n;
    const inv = await invoice(net.b, amount, unique('tabs'));
    await w.ok('sendpay', { route: route(ch, viaAB(), amount), payment_hash: inv.payment_hash, payment_secret: inv.payment_secret });
    await w.ok('waitsendpay', { payment_hash: inv.payment_hash, timeout: 60 });
    const rows = await w.payments();

    const reader = await WorkerPage.load(context);
    const started = await reader.evaluate((o) => window.pay.start(o), { ...WorkerPage.startOptions(w.dbName, [net.a]), readOnlyIfLocked: true });
    expect(started).toEqual({ ok: true, id: w.id, readOnly: true });
    const seen = await reader.evaluate((h) => window.pay.listsendpays({ payment_hash: h }), inv.payment_hash);
    expect(seen).toEqual({ ok: true, value: { payments: rows } });
    expect(rows).toMatchObject([{ payment_hash: inv.payment_hash, status: 'complete' }]);
    expect(await reader.evaluate(() => window.pay.listsendpays({ status: 'complete' }))).toEqual({ ok: true, value: { payments: rows } });
    const refused = await reader.evaluate((h) => window.pay.sendpay({ route: [], payment_hash: h, amount_msat: 1000 }), inv.payment_hash);
    expect(refused).toMatchObject({ ok: false, rpcError: true, code: -1, message: `read-only: database ${w.dbName} is open in another tab` });
  });
});
