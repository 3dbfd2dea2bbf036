// update_fee between two daemons (funder A → fundee B, a private zero-conf channel on the static
// chain). A follows its chain's fee estimate: `dev-chain-feerate` changes the static chain's
// estimate as a new bitcoind estimate would, A sends update_fee and both sides end on the same
// commitment feerate (listpeerchannels `feerate`); payments keep working at the new feerate; a
// small wobble of the estimate sends nothing; an estimate that moved while B was away goes out
// when they reconnect; and an update_fee outside B's range (Core Lightning's `dev-feerate`)
// gets B's error and fails the channel on both sides.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Daemon, assertBuilt, killAll, removeTempRoot } from './support/daemon.js';
import { channelById, connect, invoice, noHtlcsLeft, openChannel, until, type ChannelPair } from './support/lightning.js';
import type { JsonObject } from './support/rpc-client.js';

let a: Daemon;
let b: Daemon;
let ab: ChannelPair;

async function feerateOf(n: Daemon): Promise<number> {
  const c = await channelById(n, ab.channel_id);
  const f = c?.feerate as JsonObject | undefined;
  if (!f) throw new Error(`${n.name}: no feerate on channel ${ab.channel_id}`);
  expect(Number(f.perkb)).toBe(Number(f.perkw) * 4);
  return Number(f.perkw);
}

async function bothAt(perkw: number): Promise<void> {
  await until(`A and B at ${perkw} sat/kw`, async () => ((await feerateOf(a)) === perkw && (await feerateOf(b)) === perkw ? true : undefined));
}

/** A pays B over the channel and waits for the outcome. */
async function payB(amount: bigint, label: string): Promise<JsonObject> {
  const inv = await invoice(b, amount, label);
  await a.call('sendpay', {
    route: [{ id: b.id, channel: ab.aliasAt(a), amount_msat: amount, delay: 18 }],
    payment_hash: inv.payment_hash,
    payment_secret: inv.payment_secret,
  });
  return a.call('waitsendpay', { payment_hash: inv.payment_hash, timeout: 60 });
}

beforeAll(async () => {
  assertBuilt();
  a = await Daemon.start({ name: 'A' });
  b = await Daemon.start({ name: 'B', zeroconfFrom: [a.id] });
  await connect(a, b);
  ab = await openChannel(a, b, 1_000_000, 100_000_000n);
});

afterAll(async () => {
  await killAll();
  removeTempRoot();
});

describe('update_fee between daemons', () => {
  it('the channel starts at the chain estimate (2500 sat/kw), seen the same by both', async () => {
    expect(await feerateOf(a)).toBe(2500);
    expect(await feerateOf(b)).toBe(2500);
  });

  it("the funder follows its chain's estimate: both sides end on the new feerate, and payments still work", async () => {
    await a.call('dev-chain-feerate', { feerate: 5000 });
    await bothAt(5000);
    const done = await payB(20_000_000n, 'after-fee-rise');
    expect(done.status).toBe('complete');
    await noHtlcsLeft([a, b]);
    expect(await feerateOf(a)).toBe(5000);
    expect(await feerateOf(b)).toBe(5000);
  });

  it('a wobble under the threshold, or an estimate change at the fundee, sends no update_fee', async () => {
    await a.call('dev-chain-feerate', { feerate: 5200 });
    // The fundee never sends update_fee, whatever its own estimate.
    await b.call('dev-chain-feerate', { feerate: 20_000 });
    // A full commitment dance afterwards: an update_fee sent before it would be in it.
    const done = await payB(1_000_000n, 'after-wobble');
    expect(done.status).toBe('complete');
    await noHtlcsLeft([a, b]);
    expect(await feerateOf(a)).toBe(5000);
    expect(await feerateOf(b)).toBe(5000);
  });

  it('a lower estimate past the threshold lowers the feerate too', async () => {
    await a.call('dev-chain-feerate', { feerate: 3000 });
    await bothAt(3000);
  });

  it('an estimate that moved while the fundee was offline goes out on reconnection', async () => {
    await b.stop();
    b = await b.restart();
    await until('A sees B gone', async () => ((await channelById(a, ab.channel_id))?.peer_connected === false ? true : undefined));
    await a.call('dev-chain-feerate', { feerate: 7000 });
    expect(await feerateOf(a)).toBe(3000);
    await connect(a, b);
    await bothAt(7000);
    const done = await payB(2_000_000n, 'after-reconnect');
    expect(done.status).toBe('complete');
  });

  it("an update_fee outside the fundee's range: the fundee sends error and both sides fail the channel", async () => {
    await noHtlcsLeft([a, b]);
    // B accepts 253..100000 sat/kw (its channel policy); A can pay 200000 on this channel.
    await a.call('dev-feerate', { id: b.id, feerate: 200_000 });
    const atB = await until('B fails the channel', async () => {
      const c = await channelById(b, ab.channel_id);
      return c?.state === 'AWAITING_UNILATERAL' ? c : undefined;
    });
    expect((atB.status as string[]).join(' ')).toMatch(/update_fee 200000 outside our range 253\.\.100000/);
    const atA = await until('A learns of the error', async () => {
      const c = await channelById(a, ab.channel_id);
      return c?.state === 'AWAITING_UNILATERAL' ? c : undefined;
    });
    expect((atA.status as string[]).join(' ')).toMatch(/peer sent error: update_fee 200000 outside our range/);
    // B never took the update: its last commitment keeps the agreed feerate.
    expect(await feerateOf(b)).toBe(7000);
  });
});
