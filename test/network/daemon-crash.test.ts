// Crash safety of the forwarder, against real daemons: payer → A → B, and A is SIGKILLed
// (LW_CRASH_AT) at one step of the commitment dance while it forwards a payment — in the add phase
// (payer→A, then A→B) and in the settle phase (B→A, then A→payer). A is started again on the same
// data dir, the payer and B dial it again, and the channels reestablish. Then every HTLC must have
// resolved exactly once:
//   - the payment ends complete, in one row, with the preimage of B's invoice (never lost);
//   - B's invoice is paid once, A records exactly one settled forward;
//   - no channel holds an HTLC, and both ends of both channels agree on balances that moved by
//     exactly the amount (and A's fee);
//   - paying the same invoice again is idempotent (CLN P-8: the complete row, nothing sent), and
//     with another amount refused (201 "Already succeeded with amount …").
//
// The payer and B live for the whole file; each crash point gets a fresh A (trusting both) with
// its own channels, so points are independent and several run at once.
//
// The payer is crashed too, at the steps of its own dance (payer → H → B, with a fresh payer per
// point and a long-lived forwarder H): the attempt row and its HTLC are committed together before
// update_add_htlc leaves (DESIGN §5), so a payer killed just before that commit has nothing to
// resume (no row, nothing reached H), and one killed at any later step ends complete after its
// restart, with the preimage, exactly once.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RpcError } from '../../src/rpc/errors.js';
import { Daemon, assertBuilt, killAll, removeTempRoot } from './support/daemon.js';
import { channelById, connect, failureOf, forwards, invoice, invoiceRow, jsonText, msat, openChannel, sendpays, until, type ChannelPair, type Hop } from './support/lightning.js';
import type { JsonObject } from './support/rpc-client.js';

/**
 * Steps of A, in the order they happen for one forwarded payment (":N" = the N-th time A reaches
 * that step since it started). Add phase: payer's update_add_htlc + commitment_signed, A's
 * revoke_and_ack + commitment_signed, payer's revoke_and_ack; A offers to B (update_add_htlc +
 * commitment_signed), B's revoke_and_ack + commitment_signed, A's revoke_and_ack. Settle phase:
 * B's update_fulfill_htlc + commitment_signed, A's revoke_and_ack + commitment_signed to B and
 * update_fulfill_htlc + commitment_signed to the payer (these two run side by side), then the
 * last revoke_and_acks. Settle-phase counts 3 and 4 may name either channel's message.
 */
const ADD_PHASE = [
  'after_recv:update_add_htlc',
  'before_commit:revoke_and_ack',
  'after_commit:revoke_and_ack',
  'after_send:revoke_and_ack',
  'after_recv:commitment_signed',
  'before_commit:commitment_signed',
  'after_commit:commitment_signed',
  'after_send:commitment_signed',
  'after_recv:revoke_and_ack',
  'before_commit:update_add_htlc',
  'after_commit:update_add_htlc',
  'after_send:update_add_htlc',
  'after_send:commitment_signed:2',
  'after_recv:revoke_and_ack:2',
  'after_recv:commitment_signed:2',
  'after_send:revoke_and_ack:2',
];
const SETTLE_PHASE = [
  'after_recv:update_fulfill_htlc',
  'before_commit:update_fulfill_htlc',
  'after_commit:update_fulfill_htlc',
  'after_send:update_fulfill_htlc',
  'after_recv:commitment_signed:3',
  'after_send:revoke_and_ack:3',
  'after_send:commitment_signed:3',
  'after_recv:revoke_and_ack:3',
  'after_send:commitment_signed:4',
  'after_recv:commitment_signed:4',
  'after_recv:revoke_and_ack:4',
  'after_send:revoke_and_ack:4',
];

/**
 * The HTLC was irrevocably ours and A had not yet committed its forward: the restarted A replays
 * that forward while loading, before any peer is back, so B is unreachable and A fails the HTLC
 * with temporary_channel_failure (what BOLT 4 and Core Lightning do for an offline next peer).
 * Everywhere else the forward is either already committed (reestablish retransmits it) or decided
 * after the payer reconnects, when B is back.
 */
const FAILS_AT_RESTART = new Set(['after_recv:revoke_and_ack', 'before_commit:update_add_htlc']);

/** Points run side by side (each with its own A); the payer and B serve them all. */
const PARALLEL = Number(process.env.LW_CRASH_PARALLEL ?? 3);
const AMOUNT = 20_000_000n;
const FEE = 1000n + (AMOUNT * 10n) / 1_000_000n; // A's default policy
const CAPACITY_SAT = 1_000_000;
const PUSH = 500_000_000n;

/** Steps of the payer for the same payment (it only talks to its first hop). */
const PAYER_POINTS = [
  'before_commit:update_add_htlc',
  'after_commit:update_add_htlc',
  'after_send:update_add_htlc',
  'after_send:commitment_signed',
  'after_recv:revoke_and_ack',
  'after_recv:commitment_signed',
  'after_send:revoke_and_ack',
  'after_recv:update_fulfill_htlc',
  'after_recv:commitment_signed:2',
  'after_send:revoke_and_ack:2',
  'after_send:commitment_signed:2',
  'after_recv:revoke_and_ack:2',
];

let payer: Daemon;
let b: Daemon;
/** The forwarder of the payer-crash points, and its channel to B (B funded it, pushing half). */
let h: Daemon;
let bh: ChannelPair;
/** Payments B received over H–B (one per payer point that got that far). */
let paidThroughH = 0n;

beforeAll(async () => {
  assertBuilt();
  payer = await Daemon.start({ name: 'payer' });
  b = await Daemon.start({ name: 'B' });
  h = await Daemon.start({ name: 'H', zeroconfFrom: [b.id] });
  await connect(b, h);
  bh = await openChannel(b, h, CAPACITY_SAT, PUSH);
});

afterAll(async () => {
  await killAll();
  removeTempRoot();
});

/** A counting semaphore: at most PARALLEL points hold a slot. */
const slots = (() => {
  let free = PARALLEL;
  const queue: (() => void)[] = [];
  return {
    async run<T>(f: () => Promise<T>): Promise<T> {
      if (free > 0) free--;
      else await new Promise<void>((r) => queue.push(r));
      try {
        return await f();
      } finally {
        const next = queue.shift();
        if (next) next();
        else free++;
      }
    },
  };
})();

async function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let t: ReturnType<typeof setTimeout> | undefined;
  try {
    return await Promise.race([p, new Promise<never>((_, reject) => (t = setTimeout(() => reject(new Error(`${what} within ${ms} ms`)), ms)))]);
  } finally {
    clearTimeout(t);
  }
}

/** Both ends of `pair`: no HTLC, both views of to_us sum to the capacity; returns the funder's and fundee's. */
async function settledBalances(pair: ChannelPair, fundee: Daemon): Promise<{ funder: bigint; fundee: bigint }> {
  return until(`${pair.channel_id} settled on both ends`, async () => {
    const f = await channelById(pair.funder, pair.channel_id);
    const g = await channelById(fundee, pair.channel_id);
    if (!f || !g) return undefined;
    if ((f.htlcs as unknown[]).length > 0 || (g.htlcs as unknown[]).length > 0) return undefined;
    if (f.state !== 'CHANNELD_NORMAL' || g.state !== 'CHANNELD_NORMAL') return undefined;
    return { funder: msat(f.to_us_msat), fundee: msat(g.to_us_msat) };
  });
}

/** Waits until both ends of `pair` are connected and back in CHANNELD_NORMAL. */
async function reestablished(pair: ChannelPair, fundee: Daemon): Promise<void> {
  await until(`${pair.channel_id} reestablished`, async () => {
    for (const n of [pair.funder, fundee]) {
      const c = await channelById(n, pair.channel_id);
      if (c?.state !== 'CHANNELD_NORMAL' || c.peer_connected !== true) return undefined;
    }
    return true;
  });
}

async function crashAndRecover(point: string): Promise<void> {
  let a = await Daemon.start({ name: `A@${point.replace(/:/g, '-')}`, zeroconfFrom: [payer.id, b.id], crashAt: point });
  try {
    await connect(payer, a);
    await connect(b, a);
    const payerA = await openChannel(payer, a, CAPACITY_SAT);
    // B funds B–A and pushes half to A, so A has something to forward to B.
    const ba = await openChannel(b, a, CAPACITY_SAT, PUSH);
    const label = `crash-${point}`;
    const inv = await invoice(b, AMOUNT, label);
    const route: Hop[] = [
      { id: a.id, channel: payerA.aliasAt(payer), amount_msat: AMOUNT + FEE, delay: 18 + 34 },
      { id: b.id, channel: ba.aliasAt(a), amount_msat: AMOUNT, delay: 18 },
    ];
    const sent = await payer.call('sendpay', { route, payment_hash: inv.payment_hash, payment_secret: inv.payment_secret, bolt11: inv.bolt11 });
    expect(sent.status).toBe('pending');

    // A dies at the point; if it never gets there this waits in vain and says so.
    const exit = await withTimeout(a.exited, 30_000, `A did not crash at ${point}`);
    expect(exit.signal, `A's exit at ${point}`).toBe('SIGKILL');

    a = await a.restart();
    // B and the payer dial A again (its TCP port changed), as a host reconnecting its peers does;
    // B first, so that A's outgoing channel is back before the payer's HTLC can move on.
    await connect(b, a);
    await reestablished(ba, a);
    await connect(payer, a);

    const failsAtRestart = FAILS_AT_RESTART.has(point);
    if (failsAtRestart) {
      // A decided the forward while starting, with B not connected: temporary_channel_failure
      // from A (F-2), once; then the payer retries in a new group (P-10).
      const e = await failureOf(payer, inv.payment_hash);
      expect(e.code, jsonText(e)).toBe(204);
      expect(e.data).toMatchObject({ erring_index: 1, failcode: 4103, failcodename: 'WIRE_TEMPORARY_CHANNEL_FAILURE', erring_node: a.id, erring_channel: ba.aliasAt(a) });
      expect((await invoiceRow(b, label)).status).toBe('unpaid');
      const retry = await payer.call('sendpay', { route, payment_hash: inv.payment_hash, payment_secret: inv.payment_secret, bolt11: inv.bolt11 });
      expect(retry).toMatchObject({ status: 'pending', groupid: 2 });
    }
    const done = await payer.call('waitsendpay', { payment_hash: inv.payment_hash, timeout: 60 });
    expect(done.status).toBe('complete');

    // One final status per attempt, the last complete with the preimage B's invoice holds.
    const paid = await invoiceRow(b, label);
    expect(paid.status).toBe('paid');
    expect(msat(paid.amount_received_msat)).toBe(AMOUNT);
    const rows = await sendpays(payer, inv.payment_hash);
    expect(rows.map((r) => r.status)).toEqual(failsAtRestart ? ['failed', 'complete'] : ['complete']);
    expect(rows.at(-1)).toMatchObject({ status: 'complete', payment_preimage: paid.payment_preimage });

    // A forwarded it once (after a refusal, for the points that fail at restart).
    const fw = await forwards(a);
    expect(fw.map((f) => f.status), jsonText(fw)).toEqual(failsAtRestart ? ['local_failed', 'settled'] : ['settled']);
    expect(fw.at(-1)).toMatchObject({ status: 'settled', in_channel: payerA.aliasAt(a), out_channel: ba.aliasAt(a) });
    expect(msat(fw.at(-1)!.fee_msat)).toBe(FEE);

    // Both channels settled, both ends agree, and the money moved exactly once.
    const pa = await settledBalances(payerA, a);
    expect(pa.funder).toBe(payerA.capacityMsat - AMOUNT - FEE);
    expect(pa.fundee).toBe(AMOUNT + FEE);
    const bal = await settledBalances(ba, a);
    expect(bal.funder).toBe(ba.capacityMsat - PUSH + AMOUNT);
    expect(bal.fundee).toBe(PUSH - AMOUNT);

    // Paying again: idempotent success with the complete row and nothing sent (P-8) …
    const again = await payer.call('sendpay', { route, payment_hash: inv.payment_hash, payment_secret: inv.payment_secret });
    expect(again).not.toHaveProperty('message');
    expect(again).toMatchObject({ status: 'complete', payment_preimage: paid.payment_preimage, created_index: rows.at(-1)!.created_index });
    // … or refused with another amount (201).
    const other: Hop[] = [{ ...route[0]!, amount_msat: AMOUNT + 1n + FEE }, { ...route[1]!, amount_msat: AMOUNT + 1n }];
    const refused = await payer.call('sendpay', { route: other, payment_hash: inv.payment_hash, payment_secret: inv.payment_secret }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(refused).toBeInstanceOf(RpcError);
    expect(refused).toMatchObject({ code: 201, message: `Already succeeded with amount ${AMOUNT}msat (not ${AMOUNT + 1n}msat)` });
    expect(await sendpays(payer, inv.payment_hash)).toEqual(rows);
    expect(await forwards(a)).toEqual(fw);
    expect(await settledBalances(ba, a)).toEqual(bal);

    // Leave nothing behind: the payer and B stop dialing this A, and it stops.
    await payer.call('disconnect', { id: a.id, force: true });
    await b.call('disconnect', { id: a.id, force: true });
    await a.stop();
  } catch (e) {
    const msg = e instanceof Error ? e.message : String(e);
    throw new Error(`${msg}\n${a.logTail(60)}`, { cause: e });
  } finally {
    if (a.alive) await a.kill();
  }
}

async function crashPayerAndRecover(point: string): Promise<void> {
  let p = await Daemon.start({ name: `payer@${point.replace(/:/g, '-')}`, zeroconfFrom: [h.id], crashAt: point });
  try {
    await connect(p, h);
    // H funds H–payer and pushes half, so the payer can pay (and H needs no trust in it).
    const hp = await openChannel(h, p, CAPACITY_SAT, PUSH);
    const label = `payer-crash-${point}`;
    const inv = await invoice(b, AMOUNT, label);
    const route: Hop[] = [
      { id: h.id, channel: hp.aliasAt(p), amount_msat: AMOUNT + FEE, delay: 18 + 34 },
      { id: b.id, channel: bh.aliasAt(h), amount_msat: AMOUNT, delay: 18 },
    ];
    // The payer may die inside this very call (its HTLC leaves while sendpay runs).
    const sending = p.call('sendpay', { route, payment_hash: inv.payment_hash, payment_secret: inv.payment_secret }).catch((e: unknown) => e);
    const exit = await withTimeout(p.exited, 30_000, `the payer did not crash at ${point}`);
    expect(exit.signal, `the payer's exit at ${point}`).toBe('SIGKILL');
    await sending;

    p = await p.restart();
    await connect(p, h);
    await reestablished(hp, p);

    if (point === 'before_commit:update_add_htlc') {
      // Killed before the commit that carries both the row and the HTLC: neither exists, and H
      // never saw an HTLC. The payment was never attempted (208); paying now works.
      expect(await sendpays(p, inv.payment_hash)).toEqual([]);
      await expect(p.call('waitsendpay', { payment_hash: inv.payment_hash, timeout: 0 })).rejects.toMatchObject({ code: 208 });
      expect((await channelById(h, hp.channel_id))!.htlcs).toEqual([]);
      expect((await invoiceRow(b, label)).status).toBe('unpaid');
      expect((await p.call('sendpay', { route, payment_hash: inv.payment_hash, payment_secret: inv.payment_secret })).status).toBe('pending');
    }
    const done = await p.call('waitsendpay', { payment_hash: inv.payment_hash, timeout: 60 });
    expect(done.status).toBe('complete');

    const paid = await invoiceRow(b, label);
    expect(paid.status).toBe('paid');
    paidThroughH += msat(paid.amount_received_msat);
    expect(msat(paid.amount_received_msat)).toBe(AMOUNT);
    const rows = await sendpays(p, inv.payment_hash);
    expect(rows.map((r) => r.status)).toEqual(['complete']);
    expect(rows[0]).toMatchObject({ payment_preimage: paid.payment_preimage });
    const fw = (await forwards(h)).filter((f) => f.in_channel === hp.aliasAt(h));
    expect(fw.map((f) => f.status), jsonText(fw)).toEqual(['settled']);

    const bal = await settledBalances(hp, p);
    expect(bal.funder).toBe(hp.capacityMsat - PUSH + AMOUNT + FEE);
    expect(bal.fundee).toBe(PUSH - AMOUNT - FEE);

    const again = await p.call('sendpay', { route, payment_hash: inv.payment_hash, payment_secret: inv.payment_secret });
    expect(again).not.toHaveProperty('message');
    expect(again).toMatchObject({ status: 'complete', payment_preimage: paid.payment_preimage });
    expect(await sendpays(p, inv.payment_hash)).toEqual(rows);
    await p.stop();
  } catch (e) {
    const msg = e instanceof Error ? e.message : String(e);
    throw new Error(`${msg}\n${p.logTail(60)}`, { cause: e });
  } finally {
    if (p.alive) await p.kill();
  }
}

describe('SIGKILL of the payer mid-payment, then restart on the same data dir', () => {
  describe.concurrent('payer → H → B', () => {
    for (const point of PAYER_POINTS) it(point, { timeout: 240_000 }, () => slots.run(() => crashPayerAndRecover(point)));
  });
  it('afterwards H–B, shared by every payer point, holds no HTLC and moved exactly what B received', async () => {
    const bal = await settledBalances(bh, h);
    expect(bal.funder).toBe(bh.capacityMsat - PUSH + paidThroughH);
    expect(bal.fundee).toBe(PUSH - paidThroughH);
  });
});

describe('SIGKILL of the forwarder mid-payment, then restart on the same data dir', () => {
  describe.concurrent('add phase (payer → A → B)', () => {
    for (const point of ADD_PHASE) it(point, { timeout: 240_000 }, () => slots.run(() => crashAndRecover(point)));
  });
  describe.concurrent('settle phase (B → A → payer)', () => {
    for (const point of SETTLE_PHASE) it(point, { timeout: 240_000 }, () => slots.run(() => crashAndRecover(point)));
  });
});
