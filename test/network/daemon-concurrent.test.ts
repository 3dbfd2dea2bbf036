// Many HTLCs in flight at once between real daemons: every sendpay is issued without waiting,
// then every waitsendpay. All settle, and both ends of each channel agree afterwards (balances sum
// to the capacity, moved by exactly what was paid plus A's fees; no HTLC left).
//
// A accepts up to 60 HTLCs per channel (--max-concurrent-htlcs; Core Lightning's default is 30), so
// 50 can be in flight towards it at once (an MPP payment in 50 parts, which A holds until the last
// part arrives); the two-way case carries 25 each way, and the forwarded batch is 30 (B keeps the
// default).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Daemon, assertBuilt, killAll, removeTempRoot } from './support/daemon.js';
import { channelById, connect, forwards, invoice, msat, noHtlcsLeft, openChannel, type ChannelPair, type Hop } from './support/lightning.js';
import type { JsonObject } from './support/rpc-client.js';

let payer: Daemon;
let a: Daemon;
let b: Daemon;
let payerA: ChannelPair;
let ab: ChannelPair;

const fee = (amount: bigint): bigint => 1000n + (amount * 10n) / 1_000_000n; // A's defaults

beforeAll(async () => {
  assertBuilt();
  payer = await Daemon.start({ name: 'payer' });
  a = await Daemon.start({ name: 'A', zeroconfFrom: [payer.id], maxConcurrentHtlcs: 60 });
  b = await Daemon.start({ name: 'B', zeroconfFrom: [a.id] });
  await connect(payer, a);
  await connect(a, b);
  // A starts with 500k sat on its side of payer–A so it can pay the payer too.
  payerA = await openChannel(payer, a, 2_000_000, 500_000_000n);
  ab = await openChannel(a, b, 1_000_000);
});

afterAll(async () => {
  await killAll();
  removeTempRoot();
});

/** Each end's to_us_msat on a channel, after checking both views sum to the capacity. */
async function balances(pair: ChannelPair): Promise<{ funder: bigint; fundee: bigint }> {
  const f = (await channelById(pair.funder, pair.channel_id))!;
  const g = (await channelById(pair.fundee, pair.channel_id))!;
  expect(f.htlcs).toEqual([]);
  expect(g.htlcs).toEqual([]);
  expect(msat(f.total_msat)).toBe(pair.capacityMsat);
  expect(msat(g.total_msat)).toBe(pair.capacityMsat);
  const out = { funder: msat(f.to_us_msat), fundee: msat(g.to_us_msat) };
  expect(out.funder + out.fundee).toBe(pair.capacityMsat);
  return out;
}

async function allComplete(n: Daemon, hashes: string[]): Promise<JsonObject[]> {
  return Promise.all(hashes.map((h) => n.call('waitsendpay', { payment_hash: h, timeout: 120 })));
}

async function paidInvoices(n: Daemon, prefix: string): Promise<JsonObject[]> {
  const { invoices } = await n.call<{ invoices: JsonObject[] }>('listinvoices');
  return invoices.filter((i) => String(i.label).startsWith(prefix) && i.status === 'paid');
}

describe('HTLCs in flight at once', () => {
  it('50 parts of one MPP payment from the payer to A: A holds all 50 in flight until the last arrives, then settles them', { timeout: 180_000 }, async () => {
    const before = await balances(payerA);
    // Parts above the dust limit, so dust exposure does not cap them first.
    const part = 5_000_000n;
    const total = 50n * part;
    const inv = await invoice(a, total, 'fifty-parts');
    const [viaPayer, viaA] = [await channelById(payer, payerA.channel_id), await channelById(a, payerA.channel_id)];
    expect(viaA!.max_accepted_htlcs).toBe(60);
    expect(viaPayer!.max_accepted_htlcs).toBe(30);
    const hop: Hop = { id: a.id, channel: payerA.aliasAt(payer), amount_msat: part, delay: 18 };
    // A receives a part only into its MPP set and fulfills none before the set reaches total_msat,
    // so the 50th part is added while the other 49 are still in flight on the channel.
    const sends = Array.from({ length: 50 }, (_, i) =>
      payer.call('sendpay', { route: [hop], payment_hash: inv.payment_hash, payment_secret: inv.payment_secret, amount_msat: total, partid: i + 1, groupid: 1 }),
    );
    for (const s of await Promise.all(sends)) expect(s.status).toBe('pending');
    const done = await Promise.all(Array.from({ length: 50 }, (_, i) => payer.call('waitsendpay', { payment_hash: inv.payment_hash, partid: i + 1, groupid: 1, timeout: 120 })));
    expect(done.map((d) => d.status)).toEqual(Array(50).fill('complete'));
    const row = (await paidInvoices(a, 'fifty-parts'))[0]!;
    expect(msat(row.amount_received_msat)).toBe(total);
    // The payer has the preimage before the removals are irrevocably committed on both sides.
    await noHtlcsLeft([payer, a]);
    const after = await balances(payerA);
    expect(before.funder - after.funder).toBe(total);
    expect(after.fundee - before.fundee).toBe(total);
  });

  it('50 over the payer–A channel, 25 each way, all settle and both ends agree', { timeout: 180_000 }, async () => {
    const before = await balances(payerA);
    const toA = 5_000_000n;
    const toPayer = 4_000_000n;
    const aInvoices = await Promise.all(Array.from({ length: 25 }, (_, i) => invoice(a, toA, `to-a-${i}`)));
    const pInvoices = await Promise.all(Array.from({ length: 25 }, (_, i) => invoice(payer, toPayer, `to-payer-${i}`)));
    const hopToA: Hop = { id: a.id, channel: payerA.aliasAt(payer), amount_msat: toA, delay: 18 };
    const hopToPayer: Hop = { id: payer.id, channel: payerA.aliasAt(a), amount_msat: toPayer, delay: 18 };

    // 50 sendpays without waiting, interleaved so both sides add HTLCs while the other does too.
    const sends: Promise<JsonObject>[] = [];
    for (let i = 0; i < 25; i++) {
      sends.push(payer.call('sendpay', { route: [hopToA], payment_hash: aInvoices[i]!.payment_hash, payment_secret: aInvoices[i]!.payment_secret }));
      sends.push(a.call('sendpay', { route: [hopToPayer], payment_hash: pInvoices[i]!.payment_hash, payment_secret: pInvoices[i]!.payment_secret }));
    }
    for (const s of await Promise.all(sends)) expect(s.status).toBe('pending');

    const [fromPayer, fromA] = await Promise.all([
      allComplete(payer, aInvoices.map((x) => x.payment_hash)),
      allComplete(a, pInvoices.map((x) => x.payment_hash)),
    ]);
    expect(fromPayer.map((r) => r.status)).toEqual(Array(25).fill('complete'));
    expect(fromA.map((r) => r.status)).toEqual(Array(25).fill('complete'));
    expect(await paidInvoices(a, 'to-a-')).toHaveLength(25);
    expect(await paidInvoices(payer, 'to-payer-')).toHaveLength(25);

    await noHtlcsLeft([payer, a]);
    const after = await balances(payerA);
    const moved = 25n * toA - 25n * toPayer;
    expect(after.funder).toBe(before.funder - moved);
    expect(after.fundee).toBe(before.fundee + moved);
  });

  it('30 forwarded through A at once (the max_accepted_htlcs both ends announce), all settle with A’s fees', { timeout: 180_000 }, async () => {
    const pa0 = await balances(payerA);
    const ab0 = await balances(ab);
    const amount = 3_000_000n;
    const invs = await Promise.all(Array.from({ length: 30 }, (_, i) => invoice(b, amount, `fw-${i}`)));
    const route: Hop[] = [
      { id: a.id, channel: payerA.aliasAt(payer), amount_msat: amount + fee(amount), delay: 18 + 34 },
      { id: b.id, channel: ab.aliasAt(a), amount_msat: amount, delay: 18 },
    ];
    const sent = await Promise.all(invs.map((inv) => payer.call('sendpay', { route, payment_hash: inv.payment_hash, payment_secret: inv.payment_secret })));
    expect(sent.every((s) => s.status === 'pending')).toBe(true);
    const done = await allComplete(payer, invs.map((x) => x.payment_hash));
    expect(done.map((r) => r.status)).toEqual(Array(30).fill('complete'));
    expect(await paidInvoices(b, 'fw-')).toHaveLength(30);

    const settled = (await forwards(a)).filter((f) => f.status === 'settled');
    expect(settled).toHaveLength(30);
    for (const f of settled) {
      expect(msat(f.in_msat)).toBe(amount + fee(amount));
      expect(msat(f.fee_msat)).toBe(fee(amount));
    }

    await noHtlcsLeft([payer, a, b]);
    const pa1 = await balances(payerA);
    const ab1 = await balances(ab);
    expect(pa1.funder).toBe(pa0.funder - 30n * (amount + fee(amount)));
    expect(pa1.fundee).toBe(pa0.fundee + 30n * (amount + fee(amount)));
    expect(ab1.funder).toBe(ab0.funder - 30n * amount);
    expect(ab1.fundee).toBe(ab0.fundee + 30n * amount);
  });
});
