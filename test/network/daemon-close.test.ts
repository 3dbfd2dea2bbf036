// Core Lightning's `close` between daemons on the static chain (private zero-conf channels).
// - Refusals with Core Lightning's codes and messages for options we cannot take, before anything
//   starts (the channel stays usable).
// - Mutual close A–B with `destination` and `feerange`: `{ type: 'mutual', tx, txid }`, both sides
//   CLOSINGD_COMPLETE, the same closing tx broadcast to each side's chain (dev-mine accepts only
//   broadcast txids), our output paying the destination, the fee inside the feerange; once the
//   closing tx is mined, listpeerchannels shows ONCHAIN on both sides.
// - Unilateral close A–C: C is offline, `unilateraltimeout` passes, A broadcasts its commitment
//   (spending the funding output) and answers `{ type: 'unilateral', tx, txid }`.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Daemon, assertBuilt, killAll, removeTempRoot } from './support/daemon.js';
import { channelById, connect, invoice, noHtlcsLeft, openChannel, until, type ChannelPair } from './support/lightning.js';
import type { JsonObject } from './support/rpc-client.js';
import { RpcError } from '../../src/rpc/errors.js';
import { segwitAddress } from '../../src/channel/bitcoin/address.js';
import { parseTxHex } from '../../src/channel/bitcoin/parse.js';
import { txWeight, txidToHex } from '../../src/channel/bitcoin/tx.js';
import { toHex } from '../../src/util/bytes.js';

let a: Daemon;
let b: Daemon;
let c: Daemon;
let ab: ChannelPair;
let ac: ChannelPair;

async function refused(n: Daemon, params: Record<string, unknown>): Promise<RpcError> {
  try {
    const r = await n.call('close', params);
    throw new Error(`close succeeded: ${JSON.stringify(r)}`);
  } catch (e) {
    if (e instanceof RpcError) return e;
    throw e;
  }
}

/** Whether `txid` was broadcast to `n`'s static chain: dev-mine refuses txids it never saw. */
async function broadcastTo(n: Daemon, txid: string): Promise<boolean> {
  try {
    await n.call('dev-mine', { blocks: 1, txids: [txid] });
    return true;
  } catch (e) {
    if (e instanceof RpcError && /was never broadcast/.test(e.message)) return false;
    throw e;
  }
}

beforeAll(async () => {
  assertBuilt();
  a = await Daemon.start({ name: 'A' });
  b = await Daemon.start({ name: 'B', zeroconfFrom: [a.id] });
  c = await Daemon.start({ name: 'C', zeroconfFrom: [a.id] });
  await connect(a, b);
  await connect(a, c);
  ab = await openChannel(a, b, 1_000_000, 300_000_000n);
  ac = await openChannel(a, c, 500_000);
});

afterAll(async () => {
  await killAll();
  removeTempRoot();
});

describe('close', () => {
  it('refuses what it cannot honour, with Core Lightning errors, and leaves the channel usable', async () => {
    const id = ab.channel_id;
    const cases: [Record<string, unknown>, number, RegExp][] = [
      [{ destination: 'not-an-address' }, -1, /^Could not parse destination address, destination should be a valid address$/],
      [{ destination: segwitAddress('bitcoin', 0, new Uint8Array(20).fill(3)) }, -1, /^Destination address is not on network regtest$/],
      [{ fee_negotiation_step: '0' }, -32602, /^Wrong value given for fee_negotiation_step: "0", must be positive$/],
      [{ fee_negotiation_step: '101%' }, -32602, /the percentage should be between 1 and 100$/],
      [{ fee_negotiation_step: '5x' }, -32602, /should be an integer or an integer followed by %$/],
      [{ wrong_funding: `${'ab'.repeat(32)}:0` }, -32602, /^wrong_funding feature not negotiated/],
      [{ wrong_funding: 'nope' }, -32602, /^wrong_funding: should be a txid:outnum/],
      [{ feerange: '1000perkw' }, -32602, /^feerange: should be an array of 2 entries/],
      [{ feerange: ['5000perkw', '1000perkw'] }, -32602, /^feerange: minimum 5000perkw is above maximum 1000perkw$/],
    ];
    for (const [extra, code, message] of cases) {
      const e = await refused(a, { id, ...extra });
      expect([e.code, e.message], JSON.stringify(extra)).toEqual([code, expect.stringMatching(message)]);
    }
    const unknownChannel = await refused(a, { id: 'cd'.repeat(32) });
    expect([unknownChannel.code, unknownChannel.message]).toEqual([-1, `Channel ID not found: '${'cd'.repeat(32)}'`]);
    expect((await channelById(a, id))?.state).toBe('CHANNELD_NORMAL');
    expect((await channelById(b, id))?.state).toBe('CHANNELD_NORMAL');
    // Still carries payments.
    const inv = await invoice(b, 5_000_000n, 'before-close');
    await a.call('sendpay', { route: [{ id: b.id, channel: ab.aliasAt(a), amount_msat: 5_000_000n, delay: 18 }], payment_hash: inv.payment_hash, payment_secret: inv.payment_secret });
    expect((await a.call<JsonObject>('waitsendpay', { payment_hash: inv.payment_hash, timeout: 60 })).status).toBe('complete');
    await noHtlcsLeft([a, b]);
  });

  it('mutual close with destination and feerange: same closing tx on both chains, our output at the destination', async () => {
    const program = new Uint8Array(20).fill(0x42);
    const destination = segwitAddress('regtest', 0, program);
    const before = await channelById(a, ab.channel_id);
    const ourMsat = BigInt(before!.to_us_msat as string | number | bigint);
    const r = await a.call<JsonObject>('close', { id: ab.channel_id, destination, feerange: ['1000perkw', '5000perkw'] });
    expect(r.type).toBe('mutual');
    const tx = parseTxHex(r.tx as string);
    expect(txidToHex(tx.inputs[0]!.prevout.txid)).toBe((before!.funding_txid as string).toLowerCase());

    for (const n of [a, b]) {
      const ch = await until(`${n.name} CLOSINGD_COMPLETE`, async () => {
        const x = await channelById(n, ab.channel_id);
        return x?.state === 'CLOSINGD_COMPLETE' ? x : undefined;
      });
      expect(ch.state).toBe('CLOSINGD_COMPLETE');
    }

    // Our output pays the destination: the funder's balance minus the fee.
    const ours = tx.outputs.find((o) => toHex(o.scriptPubKey) === `0014${toHex(program)}`);
    expect(ours).toBeDefined();
    const fee = 1_000_000n - tx.outputs.reduce((s, o) => s + o.value, 0n);
    expect(ours!.value).toBe(ourMsat / 1000n - fee);
    // The fee is inside the feerange at the tx's weight (a few weight units of DER slack).
    const w = BigInt(txWeight(tx));
    expect(fee).toBeGreaterThanOrEqual((1000n * (w - 8n)) / 1000n);
    expect(fee).toBeLessThanOrEqual((5000n * (w + 8n)) / 1000n);

    // Closing again: the channel is no longer closeable, by channel id or by peer.
    const again = await refused(a, { id: ab.channel_id });
    expect([again.code, again.message]).toEqual([-32602, expect.stringMatching(/^id: Channel in state CLOSINGD_COMPLETE/)]);
    const byPeer = await refused(a, { id: b.id });
    expect([byPeer.code, byPeer.message]).toEqual([-1, 'Peer has no active channel']);

    // Each side broadcast the same closing tx; once it is in a block the channel is ONCHAIN.
    for (const n of [a, b]) {
      expect(await until(`${n.name} broadcast ${r.txid as string}`, async () => ((await broadcastTo(n, r.txid as string)) ? true : undefined))).toBe(true);
      await until(`${n.name} ONCHAIN`, async () => ((await channelById(n, ab.channel_id))?.state === 'ONCHAIN' ? true : undefined));
    }
  });

  it('unilateral close: the peer is offline, unilateraltimeout passes, our commitment goes on chain', async () => {
    const funding = (await channelById(a, ac.channel_id))!.funding_txid as string;
    await c.kill();
    await until('A sees C gone', async () => ((await channelById(a, ac.channel_id))?.peer_connected === false ? true : undefined));
    const r = await a.call<JsonObject>('close', { id: c.id, unilateraltimeout: 1 });
    expect(r.type).toBe('unilateral');
    const tx = parseTxHex(r.tx as string);
    expect(txidToHex(tx.inputs[0]!.prevout.txid)).toBe(funding.toLowerCase());
    expect((await channelById(a, ac.channel_id))?.state).toBe('AWAITING_UNILATERAL');
    expect(await broadcastTo(a, r.txid as string)).toBe(true);
  });
});
