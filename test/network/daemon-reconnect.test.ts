// A restarted node dials the peers of its channels by itself, at the address it last reached
// them at (lightningd does the same at start), and what forwarding earned shows in getinfo.
//
// payer → A → B over daemons. The payer dialled A, A dialled B. The payer is SIGKILLed with its
// HTLC half-way through the commitment dance and started again on its data dir: nobody calls
// `connect`, yet it is back with A and the payment completes. Then A (which dialled B) is stopped
// and started again: B is back by itself, and getinfo's fees_collected_msat — the sum of A's
// settled forwards' fees, read from its store — survives the restart and grows with the next
// payment.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Daemon, assertBuilt, killAll, removeTempRoot } from './support/daemon.js';
import { channelById, connect, invoice, invoiceRow, msat, openChannel, sendpays, until, type ChannelPair, type Hop } from './support/lightning.js';
import type { JsonObject } from './support/rpc-client.js';

const FEE_BASE = 1500;
const FEE_PPM = 300;
const AMOUNT = 30_000_000n;
const fee = (amount: bigint): bigint => BigInt(FEE_BASE) + (amount * BigInt(FEE_PPM)) / 1_000_000n;

let payer: Daemon;
let a: Daemon;
let b: Daemon;
let payerA: ChannelPair;
let ab: ChannelPair;

const route = (amount: bigint): Hop[] => [
  { id: a.id, channel: payerA.aliasAt(payer), amount_msat: amount + fee(amount), delay: 18 + 34 },
  { id: b.id, channel: ab.aliasAt(a), amount_msat: amount, delay: 18 },
];

async function connectedTo(n: Daemon, peer: Daemon): Promise<boolean> {
  const { peers } = await n.call<{ peers: JsonObject[] }>('listpeers', { id: peer.id });
  return peers[0]?.connected === true;
}

async function feesCollected(n: Daemon): Promise<bigint> {
  return msat((await n.call<JsonObject>('getinfo')).fees_collected_msat);
}

beforeAll(async () => {
  assertBuilt();
  payer = await Daemon.start({ name: 'payer', crashAt: 'after_send:commitment_signed' });
  a = await Daemon.start({ name: 'A', zeroconfFrom: [payer.id], feeBase: FEE_BASE, feePpm: FEE_PPM });
  b = await Daemon.start({ name: 'B', zeroconfFrom: [a.id] });
  await connect(payer, a);
  await connect(a, b);
  payerA = await openChannel(payer, a, 2_000_000);
  ab = await openChannel(a, b, 1_000_000);
});

afterAll(async () => {
  await killAll();
  removeTempRoot();
});

describe('reconnecting after a restart, without connect', () => {
  it('the payer, killed mid-payment and started again, dials A itself and the pending payment completes', { timeout: 120_000 }, async () => {
    expect(await feesCollected(a)).toBe(0n);
    const inv = await invoice(b, AMOUNT, 'across-a-crash');
    const sending = payer.call('sendpay', { route: route(AMOUNT), payment_hash: inv.payment_hash, payment_secret: inv.payment_secret }).catch((e: unknown) => e);
    const exit = await payer.exited;
    expect(exit.signal).toBe('SIGKILL');
    await sending;
    // A still holds our commitment_signed: the HTLC is half-way, nothing reached B.
    expect((await invoiceRow(b, 'across-a-crash')).status).toBe('unpaid');

    payer = await payer.restart();
    const rows = await sendpays(payer, inv.payment_hash);
    expect(rows).toHaveLength(1);
    // No connect call from here on.
    await until('the payer is connected to A again', async () => ((await connectedTo(payer, a)) ? true : undefined));
    const done = await payer.call('waitsendpay', { payment_hash: inv.payment_hash, timeout: 60 });
    expect(done.status).toBe('complete');
    expect(done.payment_preimage).toBe((await invoiceRow(b, 'across-a-crash')).payment_preimage);
    await until('the channel back in CHANNELD_NORMAL with the peer', async () => {
      const c = await channelById(payer, payerA.channel_id);
      return c?.state === 'CHANNELD_NORMAL' && c.peer_connected === true ? true : undefined;
    });

    // getinfo: exactly A's fee for this forward (in_msat − out_msat of its settled forward).
    await until('A settled its forward', async () => ((await feesCollected(a)) === fee(AMOUNT) ? true : undefined));
    const { forwards } = await a.call<{ forwards: JsonObject[] }>('listforwards', { status: 'settled' });
    expect(forwards.map((f) => msat(f.fee_msat))).toEqual([fee(AMOUNT)]);
    expect(await feesCollected(payer)).toBe(0n);
    expect(await feesCollected(b)).toBe(0n);
  });

  it('A, stopped and started again, is back with B (which it dialled) by itself; its fees survive and add up', { timeout: 120_000 }, async () => {
    await a.stop();
    a = await a.restart();
    await until('A is connected to B again', async () => ((await connectedTo(a, b)) && (await connectedTo(b, a)) ? true : undefined));
    expect(await feesCollected(a)).toBe(fee(AMOUNT));

    // The payer dialled A's old port: A moved, so the payer needs its new address (A never dialled it).
    await connect(payer, a);
    const amount = 7_000_000n;
    const inv = await invoice(b, amount, 'after-a-restart');
    await payer.call('sendpay', { route: route(amount), payment_hash: inv.payment_hash, payment_secret: inv.payment_secret });
    expect((await payer.call('waitsendpay', { payment_hash: inv.payment_hash, timeout: 60 })).status).toBe('complete');
    await until('both forwards counted', async () => ((await feesCollected(a)) === fee(AMOUNT) + fee(amount) ? true : undefined));
  });
});
