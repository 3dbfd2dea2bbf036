// The whole node (createLightningNode: peers, channel manager, HTLC switch, payments, invoices,
// the RPC table) against Electrum 4.3.4 (../shared/interop/electrum_channel_peer.py `serve`, the
// open-channel flow) over loopback TCP. Our chain is the static one at Electrum's mocked height
// 800 000: the funding tx is synthetic, and `dev-mine 3` gives it the minimum_depth 3 Electrum asks
// for (Electrum mocks its own confirmation). Payments are Core Lightning's sendpay/waitsendpay with
// a one-hop route, and Electrum paying our `invoice`; then disconnects in the middle of payments.
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { createLightningNode, type LightningNodeClient } from '../../src/node.js';
import { StaticChain } from '../../src/chain/static.js';
import { jsonLineLogger } from '../../src/runtime/log.js';
import type { RpcObject } from '../../src/runtime/types.js';
import { ELECTRUM_HEIGHT, ElectrumServe, HoldingRelay, type ElectrumInvoice } from './electrum-runtime-peer.js';
import { until } from '../support/until.js';

const CAPACITY_SAT = 1_000_000;
const PUSH_MSAT = 300_000_000n;

const electrums: ElectrumServe[] = [];
const relays: HoldingRelay[] = [];
const nodes: LightningNodeClient[] = [];

afterEach(async () => {
  for (const n of nodes.splice(0)) await n.close();
  for (const r of relays.splice(0)) await r.close();
});
afterAll(async () => {
  await Promise.all(electrums.splice(0).map((e) => e.stop()));
});

async function startElectrum(seed: string, args: string[] = []): Promise<ElectrumServe> {
  const e = await ElectrumServe.start(seed, args);
  electrums.push(e);
  return e;
}

async function startNode(name: string): Promise<{ node: LightningNodeClient; chain: StaticChain }> {
  const chain = new StaticChain({ height: ELECTRUM_HEIGHT });
  const log = jsonLineLogger((l) => {
    if (process.env.LW_TEST_LOG) process.stderr.write(`${name} ${l}`);
  }, 'debug');
  const node = await createLightningNode({ chain, log, alias: name });
  nodes.push(node);
  return { node, chain };
}

async function channelWith(node: LightningNodeClient, peer: string): Promise<RpcObject> {
  const { channels } = (await node.listpeerchannels({ id: peer })) as { channels: RpcObject[] };
  expect(channels).toHaveLength(1);
  return channels[0]!;
}

function normal(node: LightningNodeClient, peer: string, connected = true): Promise<RpcObject> {
  return until(`CHANNELD_NORMAL with ${peer.slice(0, 8)}`, async () => {
    const c = await channelWith(node, peer);
    return c.state === 'CHANNELD_NORMAL' && c.peer_connected === connected ? c : undefined;
  });
}

/**
 * connect and fundchannel (unannounced, synthetic funding broadcast to the static chain): the
 * channel waits for lock-in (Electrum asks minimum_depth 3). Returns the funding txid.
 */
async function openToElectrum(node: LightningNodeClient, e: ElectrumServe, address: string, push?: bigint): Promise<{ txid: string }> {
  const c = await node.connect(`${e.nodeId}@${address}`);
  expect(c.id).toBe(e.nodeId);
  const f = await node.fundchannel({ id: e.nodeId, amount: CAPACITY_SAT, announce: false, ...(push !== undefined ? { push_msat: push } : {}) });
  const txid = f.txid as string;
  const opening = await channelWith(node, e.nodeId);
  expect(opening.state).toBe('CHANNELD_AWAITING_LOCKIN');
  expect(opening.short_channel_id).toBeUndefined();
  return { txid };
}

async function mine3(node: LightningNodeClient, txid: string): Promise<void> {
  const mined = (await node.call('dev-mine', { blocks: 3 })) as RpcObject;
  expect(mined).toEqual({ blockheight: ELECTRUM_HEIGHT + 3, mined: [txid] });
}

async function paidInvoice(node: LightningNodeClient, label: string): Promise<RpcObject> {
  return until(`invoice ${label} paid`, async () => {
    const { invoices } = (await node.listinvoices({ label })) as { invoices: RpcObject[] };
    return invoices[0]?.status === 'paid' ? invoices[0] : undefined;
  });
}

function noHtlcs(node: LightningNodeClient, peer: string): Promise<RpcObject> {
  return until('no HTLC left', async () => {
    const c = await channelWith(node, peer);
    return (c.htlcs as unknown[]).length === 0 ? c : undefined;
  });
}

/** sendpay over the one channel to Electrum, waitsendpay; returns waitsendpay's result. */
async function payElectrum(node: LightningNodeClient, e: ElectrumServe, scid: string, inv: ElectrumInvoice, wait = true): Promise<RpcObject> {
  const route = [{ id: e.nodeId, channel: scid, amount_msat: inv.amount_msat, delay: inv.min_final_cltv_expiry }];
  const sent = await node.sendpay({ route, payment_hash: inv.payment_hash, payment_secret: inv.payment_secret, bolt11: inv.bolt11 });
  expect(sent.status).toBe('pending');
  if (!wait) return sent;
  return node.waitsendpay({ payment_hash: inv.payment_hash, timeout: 30 });
}

describe('the node against Electrum 4.3.4', () => {
  it('(a) opens a channel to Electrum, mines the funding to depth 3, and pays Electrum’s invoice with sendpay', async () => {
    const e = await startElectrum('a1', ['--exit-after-payment']);
    const { node, chain } = await startNode('a');
    const { txid } = await openToElectrum(node, e, `127.0.0.1:${e.port}`);
    // Electrum accepted (minimum_depth 3) and, its depth mocked, sends funding_locked; our side
    // waits for its own 3 confirmations, which the static chain never gives by itself.
    const added = await e.waitFor((x) => x.event === 'channel_added', 10_000, 'channel_added');
    expect(added['funding_outpoint']).toBe(`${txid}:0`);
    expect(added['capacity_sat']).toBe(CAPACITY_SAT);
    expect(await chain.txStatus(txid)).toEqual({ confirmations: 0 });
    await e.waitFor((x) => x.event === 'sent' && x['type'] === 'funding_locked', 10_000, 'Electrum’s funding_locked');
    expect((await channelWith(node, e.nodeId)).state).toBe('CHANNELD_AWAITING_LOCKIN');

    await mine3(node, txid);
    const ch = await normal(node, e.nodeId);
    // The real short_channel_id: block 800001, position 1, output 0.
    expect(ch.short_channel_id).toBe(`${ELECTRUM_HEIGHT + 1}x1x0`);
    expect(ch.channel_type).toEqual({ bits: [12], names: ['static_remotekey/even'] });
    expect(ch.to_us_msat).toBe(BigInt(CAPACITY_SAT) * 1000n);

    const inv = e.invoice;
    const done = await payElectrum(node, e, ch.short_channel_id as string, inv);
    expect(done).toMatchObject({ status: 'complete', payment_hash: inv.payment_hash, payment_preimage: inv.preimage, amount_msat: BigInt(inv.amount_msat), destination: e.nodeId });
    await e.waitFor((x) => x.event === 'payment_received_and_settled', 20_000, 'Electrum settled');
    const after = await noHtlcs(node, e.nodeId);
    expect(after.to_us_msat).toBe(BigInt(CAPACITY_SAT) * 1000n - BigInt(inv.amount_msat));
    const { payments } = (await node.listsendpays({ payment_hash: inv.payment_hash })) as { payments: RpcObject[] };
    expect(payments.map((p) => p.status)).toEqual(['complete']);
    expect(e.count('force_close_requested')).toBe(0);
  }, 60_000);
  it('(b) Electrum pays our invoice over a channel opened with push_msat; after disconnect + connect it reestablishes and Electrum’s retry of the paid invoice is refused', async () => {
    const { node } = await startNode('b');
    const amount = 25_000_000n;
    const inv = await node.invoice({ amount_msat: amount, label: 'from-electrum', description: 'Electrum pays us' });
    const hash = inv.payment_hash as string;
    // serve --send-payment: once the channel is open (in every session), Electrum pays this.
    const e = await startElectrum('b2', ['--send-payment', `${hash}:${inv.payment_secret as string}:${amount}`]);
    const { txid } = await openToElectrum(node, e, `127.0.0.1:${e.port}`, PUSH_MSAT);
    expect((await channelWith(node, e.nodeId)).to_us_msat).toBe(BigInt(CAPACITY_SAT) * 1000n - PUSH_MSAT);
    await mine3(node, txid);
    await normal(node, e.nodeId);

    const offered = await e.waitFor((x) => x.event === 'htlc_offered', 20_000, 'Electrum’s HTLC');
    expect(offered).toMatchObject({ amount_msat: Number(amount), payment_hash: hash });
    const result = await e.waitFor((x) => x.event === 'payment_result', 30_000, 'Electrum’s payment_result');
    expect(result['success']).toBe(true);
    const paid = await paidInvoice(node, 'from-electrum');
    expect(paid).toMatchObject({ status: 'paid', payment_hash: hash, amount_received_msat: amount, payment_preimage: result['preimage'] });
    const settled = await noHtlcs(node, e.nodeId);
    expect(settled.to_us_msat).toBe(BigInt(CAPACITY_SAT) * 1000n - PUSH_MSAT + amount);

    // A clean disconnect and a new connection: channel_reestablish both ways, NORMAL again.
    await node.disconnect({ id: e.nodeId });
    await until('peer_connected false', async () => ((await channelWith(node, e.nodeId)).peer_connected === false ? true : undefined));
    // The harness's mock lnworker forgets a session only after its loop notices the close; a
    // new session before that would be marked disconnected by the old one's cleanup.
    await new Promise((r) => setTimeout(r, 1000));
    const mark = e.events.length;
    await node.connect(`${e.nodeId}@127.0.0.1:${e.port}`);
    await e.waitFor((x) => x.event === 'reestablished', 20_000, 'Electrum reestablished', mark);
    // The new session pays the same invoice again: already paid, so our node fails the HTLC
    // (incorrect_or_unknown_payment_details, decoded by Electrum from our failure onion).
    const failed = await e.waitFor((x) => x.event === 'htlc_failed', 20_000, 'the retry failed', mark);
    expect(failed).toMatchObject({ payment_hash: hash, erring_hop: 0, failure: 'INCORRECT_OR_UNKNOWN_PAYMENT_DETAILS' });
    const after = await noHtlcs(node, e.nodeId);
    expect(after).toMatchObject({ state: 'CHANNELD_NORMAL', peer_connected: true, to_us_msat: settled.to_us_msat });
    expect(await paidInvoice(node, 'from-electrum')).toMatchObject({ status: 'paid', amount_received_msat: amount });
    expect(e.count('force_close_requested')).toBe(0);
  }, 60_000);

  it('(c) the socket dies mid-payment; the node reconnects by itself, the payment completes after channel_reestablish, and Electrum’s payment to us completes after it', async () => {
    const { node } = await startNode('c');
    // Our invoice for Electrum's --send-payment, known up front, then deleted: the first session's
    // attempt finds no invoice and fails; the invoice is made again (same preimage, hence the same
    // hash and secret) before the reconnection, whose attempt must succeed.
    const preimage = 'c3'.repeat(32);
    const amount = 20_000_000n;
    const first = await node.invoice({ amount_msat: amount, label: 'c-in-1', description: 'Electrum pays us', preimage });
    await node.call('delinvoice', { label: 'c-in-1', status: 'unpaid' });
    const hash = first.payment_hash as string;
    const e = await startElectrum('c3', ['--send-payment', `${hash}:${first.payment_secret as string}:${amount}`]);
    const relay = new HoldingRelay(e.port);
    relays.push(relay);
    const relayAddress = `127.0.0.1:${await relay.listen()}`;
    const { txid } = await openToElectrum(node, e, relayAddress, PUSH_MSAT);
    await mine3(node, txid);
    const ch = await normal(node, e.nodeId);
    const unknown = await e.waitFor((x) => x.event === 'htlc_failed', 20_000, 'Electrum’s first attempt failed');
    expect(unknown).toMatchObject({ payment_hash: hash, erring_hop: 0, failure: 'INCORRECT_OR_UNKNOWN_PAYMENT_DETAILS' });
    await e.waitFor((x) => x.event === 'payment_result', 20_000, 'Electrum’s first payment_result');
    const again = await node.invoice({ amount_msat: amount, label: 'c-in-2', description: 'Electrum pays us', preimage });
    expect([again.payment_hash, again.payment_secret]).toEqual([hash, first.payment_secret]);

    // Our payment: update_add_htlc + commitment_signed reach Electrum, which revokes and signs;
    // its answers are held in the relay, then the link dies with them.
    relay.hold();
    const mark = e.events.length;
    const inv = e.invoice;
    await payElectrum(node, e, ch.short_channel_id as string, inv, false);
    await e.waitFor((x) => x.event === 'recv' && x['type'] === 'commitment_signed', 20_000, 'our commitment_signed at Electrum', mark);
    await e.waitFor((x) => x.event === 'sent' && x['type'] === 'commitment_signed', 20_000, 'Electrum’s commitment_signed', mark);
    expect(e.events.slice(mark).some((x) => x.event === 'sent' && x['type'] === 'revoke_and_ack')).toBe(true);
    // Its stdout can run ahead of its socket: wait for both frames in the relay (BOLT 8 adds 34
    // bytes to each): revoke_and_ack 99 bytes, commitment_signed with one HTLC signature 164.
    await until('Electrum’s answers held in the relay', async () => (relay.heldBytes >= 99 + 34 + 164 + 34 ? true : undefined));
    const mid = await channelWith(node, e.nodeId);
    expect((mid.htlcs as RpcObject[]).map((h) => [h.direction, h.payment_hash])).toEqual([['out', inv.payment_hash]]);
    expect((await node.listsendpays({ payment_hash: inv.payment_hash })).payments).toMatchObject([{ status: 'pending' }]);
    relay.cut();
    const cutAt = e.events.length;

    // No connect call: the node dials the relay again on its own (reconnect policy).
    const done = await node.waitsendpay({ payment_hash: inv.payment_hash, timeout: 40 });
    expect(done).toMatchObject({ status: 'complete', payment_preimage: inv.preimage });
    expect(relay.connections).toBe(2);
    // Electrum learned from our channel_reestablish that its revoke_and_ack was lost: sent again.
    const later = e.events.slice(cutAt);
    const resent = later.findIndex((x) => x.event === 'sent' && x['type'] === 'revoke_and_ack');
    const ours = later.findIndex((x) => x.event === 'recv' && x['type'] === 'revoke_and_ack');
    expect(later.findIndex((x) => x.event === 'recv' && x['type'] === 'channel_reestablish')).toBeLessThan(resent);
    expect(resent).toBeLessThan(ours);
    // (serve logs `reestablished` for channels that existed when a session began: the second one.)
    expect(e.count('reestablished')).toBe(1);
    await e.waitFor((x) => x.event === 'payment_received_and_settled', 20_000, 'Electrum settled');
    // The second session's attempt at our invoice, which exists again now.
    const paid = await paidInvoice(node, 'c-in-2');
    expect(paid).toMatchObject({ status: 'paid', payment_hash: hash, amount_received_msat: amount, payment_preimage: preimage });
    const end = await noHtlcs(node, e.nodeId);
    expect(end).toMatchObject({ state: 'CHANNELD_NORMAL', peer_connected: true });
    expect(end.to_us_msat).toBe(BigInt(CAPACITY_SAT) * 1000n - PUSH_MSAT - BigInt(inv.amount_msat) + amount);
    expect(e.count('force_close_requested')).toBe(0);
  }, 60_000);
});
