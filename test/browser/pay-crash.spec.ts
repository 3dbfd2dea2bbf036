// The crash matrix of the Payments issue: the page's Worker node stops dead at each step of a
// payment (crashAt: the Worker spins at the named point, the client's watchdog ends it), the tab
// reloads and starts the node again on the same IndexedDB database, which reconnects to A by
// itself (no connect call: it dials the address it last reached A at), and then:
//  - every attempt reaches exactly one final status (complete with B's preimage, or failed);
//  - the preimage is never lost (a fulfill that arrived before the crash completes the payment
//    at start-up, before any peer is back);
//  - nothing is paid twice (B's invoice paid once, one forward at A, the Worker's balance moved
//    by exactly what was paid, no HTLC left on any channel);
//  - a repeated sendpay returns the stored row (no new HTLC);
//  - a crash before the attempt row was written leaves no attempt: a fresh sendpay pays once.
// Success cases reload the tab; failure cases start a new Worker in the same tab.
import { expect, test } from '@playwright/test';
import type { CrashRun } from './pages/pay-client.js';
import {
  bi,
  forwardsFrom,
  fundedWorker,
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

const PUSH = 1_000_000_000n;
const AMOUNT = 6_000_000n;

let net: PayNetwork;

test.beforeAll(async ({ browser }) => {
  test.setTimeout(120_000);
  net = await startPayNetwork();
  // Vite's dev server optimizes the Worker's dependencies on the first start and reloads the page.
  const context = await browser.newContext();
  for (let attempt = 1; ; attempt++) {
    try {
      const w = await WorkerPage.open(context, unique('warm-up'), [], { crashAt: 'never' });
      await w.page.close();
      break;
    } catch (e) {
      if (attempt >= 3 || !String(e).includes('Execution context was destroyed')) throw e;
    }
  }
  await context.close();
});

test.afterAll(async () => {
  await stopPayNetwork();
});

type Outcome = 'complete' | 'failed';

interface Case {
  point: string;
  outcome: Outcome;
  /** The crash comes inside sendpay (it never answers) rather than while waiting. */
  inSendpay: boolean;
  /** The attempt's row right after the restart, before reconnecting to A. */
  afterRestart: 'none' | 'pending' | 'complete' | 'failed';
  /** A forwarded the HTLC to B (it was irrevocably committed) before the Worker came back. */
  forwardedWhileDown: boolean;
}

const CASES: Case[] = [
  // Before the row (and the HTLC with it) is committed: the attempt never existed.
  { point: 'before_commit:update_add_htlc', outcome: 'complete', inSendpay: true, afterRestart: 'none', forwardedWhileDown: false },
  // Committed, nothing sent yet.
  { point: 'after_commit:update_add_htlc', outcome: 'complete', inSendpay: true, afterRestart: 'pending', forwardedWhileDown: false },
  // update_add_htlc sent, not signed: A forgets it on disconnect, the Worker proposes it again.
  { point: 'after_send:update_add_htlc', outcome: 'complete', inSendpay: true, afterRestart: 'pending', forwardedWhileDown: false },
  { point: 'after_send:update_add_htlc', outcome: 'failed', inSendpay: true, afterRestart: 'pending', forwardedWhileDown: false },
  // Signed: A holds our commitment_signed; the revocation dance resumes at reestablish.
  { point: 'after_send:commitment_signed', outcome: 'complete', inSendpay: true, afterRestart: 'pending', forwardedWhileDown: false },
  { point: 'after_send:commitment_signed', outcome: 'failed', inSendpay: true, afterRestart: 'pending', forwardedWhileDown: false },
  // The HTLC irrevocably committed: A forwards it while the Worker is down.
  { point: 'after_send:revoke_and_ack', outcome: 'complete', inSendpay: false, afterRestart: 'pending', forwardedWhileDown: true },
  { point: 'after_send:revoke_and_ack', outcome: 'failed', inSendpay: false, afterRestart: 'pending', forwardedWhileDown: true },
  // The fulfill arrived (its preimage is kept at once); the fail arrived (not committed yet).
  { point: 'after_recv:update_fulfill_htlc', outcome: 'complete', inSendpay: false, afterRestart: 'complete', forwardedWhileDown: true },
  { point: 'after_recv:update_fail_htlc', outcome: 'failed', inSendpay: false, afterRestart: 'pending', forwardedWhileDown: true },
  // Settling the fail: our revoke_and_ack sent (the removal not irrevocable yet), then A's final
  // revoke_and_ack received (the removal irrevocable, the attempt not yet marked failed).
  { point: 'after_send:revoke_and_ack:2', outcome: 'failed', inSendpay: false, afterRestart: 'pending', forwardedWhileDown: true },
  { point: 'after_recv:revoke_and_ack:2', outcome: 'failed', inSendpay: false, afterRestart: 'failed', forwardedWhileDown: true },
];

const randomHex = (): string => [...crypto.getRandomValues(new Uint8Array(32))].map((x) => x.toString(16).padStart(2, '0')).join('');

test.describe('a payment survives the Worker dying at each step', () => {
  for (const c of CASES) {
    test(`${c.point}: ${c.outcome === 'complete' ? 'a payment B accepts ends complete once after a reload' : 'a payment B refuses ends failed once in a new Worker'}`, async ({ context }) => {
      const { w, ch } = await fundedWorker(context, `crash-${c.outcome}`, [net.a], { crashAt: c.point, pushMsat: PUSH });
      const label = unique('crash');
      // B refuses a hash it has no invoice for (203, WIRE_INCORRECT_OR_UNKNOWN_PAYMENT_DETAILS).
      const inv = await invoice(net.b, AMOUNT, label);
      const hash = c.outcome === 'complete' ? inv.payment_hash : randomHex();
      const hops = route(ch, { dest: net.b, channel: net.ab.aliasAt(net.a) }, AMOUNT);
      const params = { route: hops, payment_hash: hash, payment_secret: inv.payment_secret };

      const run: CrashRun = await w.page.evaluate(([p]) => window.pay.crashRun(p, 60_000), [params] as const);
      expect(run.crashPoints).toEqual([c.point.replace(/:\d+$/, '')]);
      expect(run.stopped).toMatch(/^the Worker did not answer for \d+ s$/);
      const ended = { ok: false, rpcError: true, code: -5, message: `lightning-worker stopped: ${run.stopped}` };
      if (c.inSendpay) {
        expect(run.sendpay).toMatchObject(ended);
        expect(run.waitsendpay).toBeUndefined();
      } else {
        expect(run.sendpay).toMatchObject({ ok: true, value: { payment_hash: hash, status: 'pending', created_index: 1n } });
        expect(run.waitsendpay).toMatchObject(ended);
      }

      // What A did meanwhile: it forwards only an HTLC the Worker irrevocably committed to.
      if (c.forwardedWhileDown) {
        await until('A forwarded and settled with B', async () => {
          const f = await forwardsFrom(ch);
          return f.length === 1 && f[0]!.status === (c.outcome === 'complete' ? 'settled' : 'failed') ? true : undefined;
        });
        expect((await invoiceRow(net.b, label)).status).toBe(c.outcome === 'complete' ? 'paid' : 'unpaid');
      } else {
        expect(await forwardsFrom(ch)).toEqual([]);
        expect((await invoiceRow(net.b, label)).status).toBe('unpaid');
      }

      // The node starts again on its database (the tab reloads, or a new Worker starts in it),
      // before any peer is back: A is frozen meanwhile, so the restarted node's own dial to it
      // (see below) waits and what the store kept is read first.
      await whileFrozen(net.a, async () => {
        await w.restart([net.a], c.outcome === 'complete' ? 'reload' : 'new-worker');
        const restarted = await w.payments({ payment_hash: hash });
        if (c.afterRestart === 'none') expect(restarted).toEqual([]);
        else expect(restarted).toMatchObject([{ payment_hash: hash, status: c.afterRestart, created_index: 1n }]);
        if (c.afterRestart === 'complete') {
          // The preimage was kept with the fulfill: the payment is complete without A, and a repeat
          // returns the stored row even with the peer away (P-8).
          expect(restarted[0]!.payment_preimage).toBe(String((await invoiceRow(net.b, label)).payment_preimage));
          expect(await w.ok('sendpay', params)).toEqual(restarted[0]);
        }
        if (c.afterRestart === 'failed') {
          // The failure was kept with the removal: failed without A, replayed from storage.
          expect(await w.err('waitsendpay', { payment_hash: hash })).toMatchObject({ code: 203, data: { status: 'failed', erring_index: 2, erring_node: net.b.id } });
        }
        if (c.afterRestart === 'pending') {
          // Repeated while pending (same group): the existing row with the monitor message, no new attempt (P-6).
          expect(await w.ok('sendpay', { ...params, groupid: 1 })).toEqual({ message: 'Monitor status with listpays or waitsendpay', ...restarted[0] });
        }
      });

      // No connect call: the restarted node dials A by itself, where it last reached it.
      await until('the restarted Worker is connected to A by itself', async () => {
        const peers = (await w.ok('listpeers', { id: net.a.id })).peers as { id: string; connected: boolean }[];
        return peers[0]?.connected === true ? true : undefined;
      });
      await w.normalChannel(ch.channel_id);
      if (c.afterRestart === 'none') {
        // The attempt never existed: pay now, once.
        expect(await w.ok('sendpay', params)).toMatchObject({ status: 'pending', created_index: 1n, groupid: 1n });
      }
      const waited = await w.call('waitsendpay', { payment_hash: hash, timeout: 60 });
      const rows = await w.payments({ payment_hash: hash });
      expect(rows).toHaveLength(1);
      const row = rows[0]!;
      expect(row).not.toHaveProperty('partid');
      expect(row).toMatchObject({ payment_hash: hash, groupid: 1n, created_index: 1n, status: c.outcome, amount_sent_msat: hops[0]!.amount_msat });
      expect(row.completed_at).toEqual(expect.any(Number));

      const b = await invoiceRow(net.b, label);
      if (c.outcome === 'complete') {
        expect(waited).toEqual({ ok: true, value: row });
        expect(row.payment_preimage).toBe(b.payment_preimage);
        expect(b).toMatchObject({ status: 'paid', amount_received_msat: Number(AMOUNT) });
      } else {
        expect(waited).toMatchObject({ ok: false, code: 203, message: 'failed: WIRE_INCORRECT_OR_UNKNOWN_PAYMENT_DETAILS (reply from remote)' });
        const data = waited.ok === false ? waited.data : undefined;
        expect(data).toMatchObject({ erring_index: 2, failcode: 16399, erring_node: net.b.id });
        // Answered live, the data shows the row as it was (pending, F-7); answered from storage
        // (the failure came back before the call), the failed row.
        expect(c.afterRestart === 'failed' ? ['failed'] : ['pending', 'failed']).toContain(data!.status);
        expect(row).not.toHaveProperty('payment_preimage');
        expect(b.status).toBe('unpaid');
      }

      // Nothing stuck, nothing twice: no HTLC on A's channels (to B and to the Worker) nor on the
      // Worker's; one forward at A for this channel; the balance moved by what was paid.
      await until('no HTLCs at A', async () => ((await htlcsOf(net.a)).length === 0 ? true : undefined));
      await w.noHtlcs();
      expect((await forwardsFrom(ch)).map((f) => f.status)).toEqual([c.outcome === 'complete' ? 'settled' : 'failed']);
      const paid = c.outcome === 'complete' ? hops[0]!.amount_msat : 0n;
      expect((await w.channels(net.a))[0]!.to_us_msat).toBe(PUSH - paid);
      const aSide = (await net.a.call<{ channels: { channel_id: string; to_us_msat: number }[] }>('listpeerchannels', { id: w.id })).channels;
      expect(aSide.map((x) => [x.channel_id, bi(x.to_us_msat)])).toEqual([[ch.channel_id, 2_000_000_000n - PUSH + paid]]);

      // A repeated sendpay returns the stored row and sends nothing.
      if (c.outcome === 'complete') {
        expect(await w.ok('sendpay', params)).toEqual(row);
      } else {
        expect(await w.err('sendpay', { ...params, groupid: 1 })).toMatchObject({ code: 201, message: expect.stringMatching(/^There already is a payment with payment_hash=/) });
      }
      expect(await w.payments({ payment_hash: hash })).toEqual(rows);
      expect(await forwardsFrom(ch)).toHaveLength(1);
      expect((await w.channels(net.a))[0]!.to_us_msat).toBe(PUSH - paid);
    });
  }
});
