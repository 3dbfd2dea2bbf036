// payer → A → B, three real daemons (`lightning-worker node`) over loopback TCP, private zero-conf
// channels on the static chain. Payments succeed end to end; failures produced at A, at B and at
// the payer's own first hop come back with Core Lightning's error code, erring hop, failure code
// and raw_message (spec/cln-payments.md §3.2, F-2, F-5, T-5); a clean restart keeps everything.
//
// Heights differ on purpose (nodes see different tips): the payer and B are at 800000, A at
// 800050, so a route whose outgoing CLTV at A is at or below 800050 is "too soon" for A while B
// would have taken it. Normal routes give B a delay of 60 (outgoing CLTV 800061).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import { Daemon, assertBuilt, killAll, removeTempRoot } from './support/daemon.js';
import {
  channels,
  connect,
  direction,
  failureOf,
  forwards,
  invoice,
  invoiceRow,
  jsonText,
  msat,
  noHtlcsLeft,
  openChannel,
  readFailureMessage,
  sendpays,
  until,
  type ChannelPair,
  type Hop,
} from './support/lightning.js';
import type { JsonObject } from './support/rpc-client.js';

const PAYER_HEIGHT = 800_000;
const A_HEIGHT = 800_050;
const B_HEIGHT = 800_000;
const A_FEE_BASE = 2000;
const A_FEE_PPM = 500;
const A_DELTA = 40;
const B_DELAY = 60;

let payer: Daemon;
let a: Daemon;
let b: Daemon;
let payerA: ChannelPair;
let ab: ChannelPair;

const fee = (amount: bigint): bigint => BigInt(A_FEE_BASE) + (amount * BigInt(A_FEE_PPM)) / 1_000_000n;

/** payer → A → B; hop i = channel into node i, what node i receives, CLTV delta at node i. */
function route(amount: bigint, o: { feeAtA?: bigint; aDelay?: number; bDelay?: number; abChannel?: string } = {}): Hop[] {
  const bDelay = o.bDelay ?? B_DELAY;
  return [
    { id: a.id, channel: payerA.aliasAt(payer), amount_msat: amount + (o.feeAtA ?? fee(amount)), delay: o.aDelay ?? bDelay + A_DELTA },
    { id: b.id, channel: o.abChannel ?? ab.aliasAt(a), amount_msat: amount, delay: bDelay },
  ];
}

async function pay(hops: Hop[], hash: string, secret: string, extra: Record<string, unknown> = {}): Promise<JsonObject> {
  return payer.call('sendpay', { route: hops, payment_hash: hash, payment_secret: secret, ...extra });
}

const randomHex = (): string => randomBytes(32).toString('hex');

beforeAll(async () => {
  assertBuilt();
  payer = await Daemon.start({ name: 'payer', height: PAYER_HEIGHT });
  a = await Daemon.start({ name: 'A', height: A_HEIGHT, zeroconfFrom: [payer.id], feeBase: A_FEE_BASE, feePpm: A_FEE_PPM, cltvDelta: A_DELTA });
  b = await Daemon.start({ name: 'B', height: B_HEIGHT, zeroconfFrom: [a.id] });
  await connect(payer, a);
  await connect(a, b);
  payerA = await openChannel(payer, a, 2_000_000);
  ab = await openChannel(a, b, 1_000_000);
});

afterAll(async () => {
  await killAll();
  removeTempRoot();
});

describe('payer → A → B over daemons', () => {
  it("B's invoice names the A→B channel by A's alias, and a route built from it pays", async () => {
    const amount = 10_000_000n;
    const inv = await invoice(b, amount, 'ok-hint');
    const decoded = await payer.call<JsonObject>('decode', { string: inv.bolt11 });
    const hint = ((decoded.routes as JsonObject[][])[0] ?? [])[0]!;
    expect(hint).toMatchObject({ pubkey: a.id, short_channel_id: ab.aliasAt(a), fee_base_msat: A_FEE_BASE, fee_proportional_millionths: A_FEE_PPM, cltv_expiry_delta: A_DELTA });
    const finalDelta = Number(decoded.min_final_cltv_expiry);
    expect(finalDelta).toBe(18);

    // The route a wallet builds from the hint: the fee and delta A advertises, B's final delta
    // (plus the offset A's tip needs, see the header).
    const bDelay = finalDelta + (A_HEIGHT - PAYER_HEIGHT);
    const hops: Hop[] = [
      { id: a.id, channel: payerA.aliasAt(payer), amount_msat: amount + fee(amount), delay: bDelay + Number(hint.cltv_expiry_delta) },
      { id: b.id, channel: String(hint.short_channel_id), amount_msat: amount, delay: bDelay },
    ];
    const sent = await pay(hops, inv.payment_hash, inv.payment_secret, { bolt11: inv.bolt11 });
    expect(sent).toMatchObject({ message: 'Monitor status with listpays or waitsendpay', status: 'pending', payment_hash: inv.payment_hash, destination: b.id });
    expect(msat(sent.amount_msat)).toBe(amount);
    expect(msat(sent.amount_sent_msat)).toBe(amount + fee(amount));
    const done = await payer.call('waitsendpay', { payment_hash: inv.payment_hash, timeout: 60 });
    expect(done.status).toBe('complete');
    expect(await invoiceRow(b, 'ok-hint')).toMatchObject({ status: 'paid', payment_preimage: done.payment_preimage });
  });

  it('pays: listsendpays complete with the preimage B holds, A records the forward and its fee, B the paid invoice', async () => {
    const amount = 25_000_000n;
    const inv = await invoice(b, amount, 'ok-1');
    const sent = await pay(route(amount), inv.payment_hash, inv.payment_secret, { bolt11: inv.bolt11, label: 'first' });
    expect(sent.status).toBe('pending');
    const done = await payer.call('waitsendpay', { payment_hash: inv.payment_hash, timeout: 60 });
    expect(done).toMatchObject({ status: 'complete', payment_hash: inv.payment_hash, label: 'first', bolt11: inv.bolt11, destination: b.id });

    const paid = await invoiceRow(b, 'ok-1');
    expect(paid).toMatchObject({ status: 'paid', payment_hash: inv.payment_hash });
    expect(msat(paid.amount_received_msat)).toBe(amount);
    expect(typeof paid.payment_preimage).toBe('string');

    const rows = await sendpays(payer, inv.payment_hash);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ status: 'complete', payment_preimage: paid.payment_preimage, groupid: 1, destination: b.id });
    expect(msat(rows[0]!.amount_sent_msat)).toBe(amount + fee(amount));
    expect(rows[0]!.completed_at).toBeTypeOf('number');

    const fw = (await forwards(a)).filter((f) => f.status === 'settled' && msat(f.out_msat) === amount);
    expect(fw).toHaveLength(1);
    expect(fw[0]).toMatchObject({ in_channel: payerA.aliasAt(a), out_channel: ab.aliasAt(a), status: 'settled' });
    expect(msat(fw[0]!.in_msat)).toBe(amount + fee(amount));
    expect(msat(fw[0]!.fee_msat)).toBe(fee(amount));

    await noHtlcsLeft([payer, a, b]);
  });

  describe('failures produced at A: 204 from erring_index 1, erring_channel = the A→B hop', () => {
    /** The routing-failure object F-2 gives for an error originated by A (intermediate hop 1). */
    async function expectFailureAtA(hash: string, failcodename: string, failcode: number, erringChannel = ab.aliasAt(a)) {
      const e = await failureOf(payer, hash);
      expect(e.code, jsonText(e)).toBe(204);
      expect(e.message).toBe(`failed: ${failcodename} (reply from remote)`);
      expect(e.data).toMatchObject({
        payment_hash: hash,
        erring_index: 1,
        failcode,
        failcodename,
        erring_node: a.id,
        erring_channel: erringChannel,
        erring_direction: direction(a.id, b.id),
      });
      const data = e.data as JsonObject;
      const raw = readFailureMessage(String(data.raw_message), a.id);
      expect(raw.failcode).toBe(failcode);
      expect(raw.trailing).toBe(0);
      // A replayed waitsendpay reads the stored failure: same answer, row now failed.
      const again = await failureOf(payer, hash);
      expect(again.code).toBe(204);
      expect(again.message).toBe(e.message);
      expect(again.data).toMatchObject({ status: 'failed', erring_index: 1, failcode, erring_node: a.id, erring_channel: erringChannel, raw_message: data.raw_message });
      const rows = await sendpays(payer, hash);
      expect(rows.filter((r) => r.status === 'failed')).toHaveLength(1);
      return raw;
    }

    /** A's own channel_update, for the channel the onion asked for, with A's relay flags. */
    function expectAsUpdate(raw: ReturnType<typeof readFailureMessage>) {
      expect(raw.channel_update).toMatchObject({
        signatureValid: true,
        short_channel_id: ab.aliasAt(a),
        fee_base_msat: A_FEE_BASE,
        fee_proportional_millionths: A_FEE_PPM,
        cltv_expiry_delta: A_DELTA,
      });
      expect(raw.channel_update!.channel_flags & 1).toBe(direction(a.id, b.id));
    }

    it('fee insufficient: WIRE_FEE_INSUFFICIENT with the incoming amount; a retry with the fee then succeeds', async () => {
      const amount = 10_000_000n;
      const inv = await invoice(b, amount, 'fee-low');
      const short = route(amount, { feeAtA: fee(amount) - 1n });
      await pay(short, inv.payment_hash, inv.payment_secret);
      const raw = await expectFailureAtA(inv.payment_hash, 'WIRE_FEE_INSUFFICIENT', 4108);
      expect(raw.htlc_msat).toBe(amount + fee(amount) - 1n);
      expectAsUpdate(raw);
      expect((await invoiceRow(b, 'fee-low')).status).toBe('unpaid');

      // P-10: a failed attempt does not block a new group.
      const retry = await pay(route(amount), inv.payment_hash, inv.payment_secret);
      expect(retry).toMatchObject({ status: 'pending', groupid: 2 });
      expect((await payer.call('waitsendpay', { payment_hash: inv.payment_hash, timeout: 60 })).status).toBe('complete');
      expect((await sendpays(payer, inv.payment_hash)).map((r) => [r.groupid, r.status])).toEqual([
        [1, 'failed'],
        [2, 'complete'],
      ]);
    });

    it('CLTV delta at A below its cltv-delta: WIRE_INCORRECT_CLTV_EXPIRY with the incoming cltv_expiry', async () => {
      const amount = 10_000_000n;
      const inv = await invoice(b, amount, 'cltv-delta');
      await pay(route(amount, { aDelay: B_DELAY + A_DELTA - 1 }), inv.payment_hash, inv.payment_secret);
      const raw = await expectFailureAtA(inv.payment_hash, 'WIRE_INCORRECT_CLTV_EXPIRY', 4109);
      // sendpay's HTLC expiry: (payer's height + 1) + hop 1's delay (T-3).
      expect(raw.cltv_expiry).toBe(PAYER_HEIGHT + 1 + B_DELAY + A_DELTA - 1);
      expectAsUpdate(raw);
    });

    it("outgoing CLTV at or below A's tip: WIRE_EXPIRY_TOO_SOON", async () => {
      const amount = 10_000_000n;
      const inv = await invoice(b, amount, 'too-soon');
      // Outgoing expiry at A = 800001 + 30 = 800031 <= 800050 (B at 800000 would accept it).
      await pay(route(amount, { bDelay: 30 }), inv.payment_hash, inv.payment_secret);
      const raw = await expectFailureAtA(inv.payment_hash, 'WIRE_EXPIRY_TOO_SOON', 4110);
      expectAsUpdate(raw);
    });

    it('a bogus scid in hop 2: WIRE_UNKNOWN_NEXT_PEER (PERM, but not from the destination: 204)', async () => {
      const amount = 10_000_000n;
      const inv = await invoice(b, amount, 'no-peer');
      await pay(route(amount, { abChannel: '1x2x3' }), inv.payment_hash, inv.payment_secret);
      const raw = await expectFailureAtA(inv.payment_hash, 'WIRE_UNKNOWN_NEXT_PEER', 16394, '1x2x3');
      expect(raw.channel_update).toBeUndefined();
    });

    it("an amount above A→B's spendable: WIRE_TEMPORARY_CHANNEL_FAILURE with A's channel_update", async () => {
      const [ch] = await channels(a, b);
      const spendable = msat(ch!.spendable_msat);
      const amount = spendable + 1n;
      const inv = await invoice(b, amount, 'too-big');
      await pay(route(amount), inv.payment_hash, inv.payment_secret);
      const raw = await expectFailureAtA(inv.payment_hash, 'WIRE_TEMPORARY_CHANNEL_FAILURE', 4103);
      expectAsUpdate(raw);
    });
  });

  describe('failures at B: WIRE_INCORRECT_OR_UNKNOWN_PAYMENT_DETAILS, PERM from the destination → 203', () => {
    async function expectFailureAtB(hash: string, htlcMsat: bigint) {
      const e = await failureOf(payer, hash);
      expect(e.code, jsonText(e)).toBe(203);
      expect(e.message).toBe('failed: WIRE_INCORRECT_OR_UNKNOWN_PAYMENT_DETAILS (reply from remote)');
      expect(e.data).toMatchObject({
        payment_hash: hash,
        erring_index: 2,
        failcode: 16399,
        failcodename: 'WIRE_INCORRECT_OR_UNKNOWN_PAYMENT_DETAILS',
        erring_node: b.id,
        erring_channel: ab.aliasAt(a),
        erring_direction: direction(a.id, b.id),
      });
      const data = e.data as JsonObject;
      const raw = readFailureMessage(String(data.raw_message), b.id);
      expect(raw).toEqual({ failcode: 0x400f, htlc_msat: htlcMsat, height: B_HEIGHT, trailing: 0 });
      expect(data.raw_message).toBe(`400f${htlcMsat.toString(16).padStart(16, '0')}${B_HEIGHT.toString(16).padStart(8, '0')}`);
      const again = await failureOf(payer, hash);
      expect([again.code, again.message]).toEqual([203, e.message]);
      expect(again.data).toMatchObject({ status: 'failed', raw_message: data.raw_message, erring_index: 2 });
    }

    it('unknown payment hash', async () => {
      const hash = randomHex();
      await pay(route(10_000_000n), hash, randomHex());
      await expectFailureAtB(hash, 10_000_000n);
    });

    it('wrong payment secret', async () => {
      const inv = await invoice(b, 10_000_000n, 'bad-secret');
      await pay(route(10_000_000n), inv.payment_hash, randomHex());
      await expectFailureAtB(inv.payment_hash, 10_000_000n);
      expect((await invoiceRow(b, 'bad-secret')).status).toBe('unpaid');
    });

    it('amount below the invoice', async () => {
      const inv = await invoice(b, 10_000_000n, 'under');
      await pay(route(9_999_999n), inv.payment_hash, inv.payment_secret);
      await expectFailureAtB(inv.payment_hash, 9_999_999n);
      expect((await invoiceRow(b, 'under')).status).toBe('unpaid');
    });

    it('amount above twice the invoice', async () => {
      const inv = await invoice(b, 10_000_000n, 'over');
      await pay(route(20_000_001n), inv.payment_hash, inv.payment_secret);
      await expectFailureAtB(inv.payment_hash, 20_000_001n);
      expect((await invoiceRow(b, 'over')).status).toBe('unpaid');
    });

    it("final CLTV below B's tip + the invoice's min_final_cltv_expiry", async () => {
      const inv = await invoice(b, 10_000_000n, 'final-cltv', { cltv: 144 });
      // Expiry at B = 800001 + 60 = 800061 < 800000 + 144 (A passes it: above its tip).
      await pay(route(10_000_000n), inv.payment_hash, inv.payment_secret);
      await expectFailureAtB(inv.payment_hash, 10_000_000n);
      expect((await invoiceRow(b, 'final-cltv')).status).toBe('unpaid');
    });
  });

  it("first hop refused by the payer's own channel (T-5): sendpay pending, waitsendpay 204 from erring_index 0", async () => {
    const [ch] = await channels(payer, a);
    const amount = msat(ch!.spendable_msat) + 1n;
    const hash = randomHex();
    const hops: Hop[] = [{ id: a.id, channel: payerA.aliasAt(payer), amount_msat: amount, delay: 18 }];
    const sent = await payer.call('sendpay', { route: hops, payment_hash: hash });
    expect(sent).toMatchObject({ message: 'Monitor status with listpays or waitsendpay', status: 'pending' });
    const e = await failureOf(payer, hash);
    expect(e.code, jsonText(e)).toBe(204);
    expect(e.message).toMatch(/^failed: WIRE_TEMPORARY_CHANNEL_FAILURE \(WIRE_TEMPORARY_CHANNEL_FAILURE: Capacity exceeded - HTLC fee: \d+sat\)$/);
    expect(e.data).toMatchObject({
      erring_index: 0,
      failcode: 4103,
      failcodename: 'WIRE_TEMPORARY_CHANNEL_FAILURE',
      erring_node: payer.id,
      erring_channel: payerA.aliasAt(payer),
      erring_direction: direction(payer.id, a.id),
    });
    expect(e.data).not.toHaveProperty('raw_message');
    expect((await sendpays(payer, hash)).map((r) => r.status)).toEqual(['failed']);
    // Nothing reached A.
    expect((await channels(a, payer))[0]!.htlcs).toEqual([]);
  });

  it("A's listforwards has one row per forward attempt: settled, failed downstream, or failed locally", async () => {
    await noHtlcsLeft([payer, a, b]);
    const fw = await forwards(a);
    const by = (s: string) => fw.filter((f) => f.status === s);
    // ok-hint, ok-1 and the fee retry settled; five refusals at A; five failures at B.
    expect(by('settled')).toHaveLength(3);
    expect(by('local_failed').map((f) => f.failreason).sort()).toEqual(
      ['WIRE_EXPIRY_TOO_SOON', 'WIRE_FEE_INSUFFICIENT', 'WIRE_INCORRECT_CLTV_EXPIRY', 'WIRE_TEMPORARY_CHANNEL_FAILURE', 'WIRE_UNKNOWN_NEXT_PEER'].sort(),
    );
    expect(by('failed')).toHaveLength(5);
    expect(fw).toHaveLength(13);
  });

  describe('restart without a crash', () => {
    async function snapshot() {
      const out: Record<string, unknown> = {};
      for (const n of [payer, a, b]) {
        out[n.name] = {
          info: (await n.call<JsonObject>('getinfo')).id,
          sendpays: await n.call('listsendpays'),
          invoices: await n.call('listinvoices'),
          forwards: await n.call('listforwards'),
          // Core Lightning does not define the order of listpeerchannels (ours follows the store's
          // key order after a restart, creation order before): compare as a set.
          channels: (await channels(n)).sort((x, y) => String(x.channel_id).localeCompare(String(y.channel_id))),
        };
      }
      return out;
    }

    it('stop and start again (same data dirs) keeps channels, payments, invoices and forwards', { timeout: 120_000 }, async () => {
      await noHtlcsLeft([payer, a, b]);
      const before = await snapshot();
      const created = (await payer.call<{ payments: JsonObject[] }>('listsendpays')).payments.length;

      for (const n of [payer, a, b]) expect(await n.stop()).toEqual({ code: 0, signal: null });
      [payer, a, b] = await Promise.all([payer.restart(), a.restart(), b.restart()]);
      await connect(payer, a);
      await connect(a, b);
      for (const [n, pair] of [[payer, payerA], [a, payerA], [a, ab], [b, ab]] as const) {
        await until(`${n.name}: ${pair.channel_id} reestablished`, async () => {
          const c = (await channels(n)).find((x) => x.channel_id === pair.channel_id);
          return c?.state === 'CHANNELD_NORMAL' && c.peer_connected === true ? true : undefined;
        });
      }
      const after = await snapshot();
      expect(after).toEqual(before);

      // The channels still carry payments, and indexes continue where they were.
      const inv = await invoice(b, 5_000_000n, 'after-restart');
      const sent = await pay(route(5_000_000n), inv.payment_hash, inv.payment_secret);
      expect(msat(sent.created_index)).toBe(BigInt(created + 1));
      expect((await payer.call('waitsendpay', { payment_hash: inv.payment_hash, timeout: 60 })).status).toBe('complete');
      expect((await invoiceRow(b, 'after-restart')).status).toBe('paid');
    });
  });
});
