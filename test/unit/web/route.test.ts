// Route building for an invoice: amounts and CLTVs per Core Lightning's sendpay hop semantics
// (hop i = amount delivered to node i, CLTV delta at node i; spec §1.1 and T-3), checked both by
// hand and by handing the built route to the payments service and peeling the onion it sends.
import { describe, expect, it } from 'vitest';
import { buildRoute, forwardingFee, hopsThroughHint, type BuiltRoute, type NoRoute } from '../../../web/route.js';
import type { ChannelView, InvoiceView, RouteHintHopView } from '../../../web/rpc-views.js';
import { HASH, HEIGHT, SECRET, expectOk, ids, makePayer } from '../payments/helpers.js';

const HUB = ids[5]!;
const SHOP = ids[7]!;
const OTHER = ids[8]!;

function chan(peer: string, over: Partial<ChannelView> = {}): ChannelView {
  return { peer_id: peer, peer_connected: true, state: 'CHANNELD_NORMAL', alias_local: '1x2x3', spendable_msat: 10_000_000n, ...over };
}

function hintHop(pubkey: string, scid: string, base: bigint, ppm: number, delta: number): RouteHintHopView {
  return { pubkey, short_channel_id: scid, fee_base_msat: base, fee_proportional_millionths: ppm, cltv_expiry_delta: delta };
}

function invoice(over: Partial<InvoiceView> = {}): Pick<InvoiceView, 'payee' | 'amount_msat' | 'min_final_cltv_expiry' | 'routes'> {
  return { payee: SHOP, amount_msat: 100_000n, min_final_cltv_expiry: 18, routes: [[hintHop(HUB, '105x1x0', 1000n, 10, 34)]], ...over };
}

function built(r: BuiltRoute | NoRoute): BuiltRoute {
  if (!r.ok) throw new Error(`expected a route, got: ${r.reason}`);
  return r;
}

function reason(r: BuiltRoute | NoRoute): string {
  if (r.ok) throw new Error('expected no route');
  return r.reason;
}

describe('forwardingFee (BOLT 7)', () => {
  it('is base + amount × ppm / 10^6, rounded down', () => {
    expect(forwardingFee({ fee_base_msat: 1000n, fee_proportional_millionths: 10 }, 100_000n)).toBe(1001n);
    expect(forwardingFee({ fee_base_msat: 0n, fee_proportional_millionths: 1 }, 999_999n)).toBe(0n);
    expect(forwardingFee({ fee_base_msat: 0n, fee_proportional_millionths: 1 }, 1_000_000n)).toBe(1n);
    expect(forwardingFee({ fee_base_msat: 5n, fee_proportional_millionths: 1_000_000 }, 7n)).toBe(12n);
  });
});

describe('buildRoute', () => {
  it('goes through the hub on our alias, then the hint channel to the shop', () => {
    const r = built(buildRoute({ invoice: invoice(), channels: [chan(HUB)] }));
    expect(r.route).toEqual([
      { id: HUB, channel: '1x2x3', amount_msat: 101_001n, delay: 52 },
      { id: SHOP, channel: '105x1x0', amount_msat: 100_000n, delay: 18 },
    ]);
    expect(r.fee_msat).toBe(1001n);
    expect(r.amount_msat).toBe(100_000n);
    expect(r.hint).toEqual({ index: 0, from: 0 });
    expect(r.warnings).toEqual([]);
  });

  it('prefers the real short_channel_id over the alias', () => {
    const r = built(buildRoute({ invoice: invoice(), channels: [chan(HUB, { short_channel_id: '103x1x0' })] }));
    expect(r.route[0]!.channel).toBe('103x1x0');
  });

  it('pays a direct peer on one hop with the final CLTV', () => {
    const r = built(buildRoute({ invoice: invoice({ routes: [] }), channels: [chan(HUB), chan(SHOP, { alias_local: '9x9x9' })] }));
    expect(r.route).toEqual([{ id: SHOP, channel: '9x9x9', amount_msat: 100_000n, delay: 18 }]);
    expect(r.fee_msat).toBe(0n);
    expect(r.hint).toBeUndefined();
  });

  it('computes a two-hop hint backwards from the payee', () => {
    // hub → other (over 105x1x0, hub's fee), other → shop (over 106x1x0, other's fee).
    const hint = [hintHop(HUB, '105x1x0', 1000n, 100, 40), hintHop(OTHER, '106x1x0', 2000n, 1000, 6)];
    const r = built(buildRoute({ invoice: invoice({ amount_msat: 5_000_000n, min_final_cltv_expiry: 9, routes: [hint] }), channels: [chan(HUB)] }));
    // other forwards 5,000,000: fee 2000 + 5000 = 7000 → receives 5,007,000 with delay 9 + 6.
    // hub forwards 5,007,000: fee 1000 + 500 (500.7 rounded down) → receives 5,008,500 with delay 15 + 40.
    expect(r.route).toEqual([
      { id: HUB, channel: '1x2x3', amount_msat: 5_008_500n, delay: 55 },
      { id: OTHER, channel: '105x1x0', amount_msat: 5_007_000n, delay: 15 },
      { id: SHOP, channel: '106x1x0', amount_msat: 5_000_000n, delay: 9 },
    ]);
    expect(r.fee_msat).toBe(8500n);
  });

  it('joins a hint where it meets one of our peers (the shorter, cheaper way)', () => {
    const hint = [hintHop(OTHER, '107x1x0', 5000n, 0, 10), hintHop(HUB, '105x1x0', 1000n, 0, 20)];
    const r = built(buildRoute({ invoice: invoice({ routes: [hint] }), channels: [chan(HUB)] }));
    expect(r.hint).toEqual({ index: 0, from: 1 });
    expect(r.route.map((h) => h.id)).toEqual([HUB, SHOP]);
    expect(r.route[0]).toEqual({ id: HUB, channel: '1x2x3', amount_msat: 101_000n, delay: 38 });
  });

  it('picks the cheapest of several hints and the connected peer with enough balance', () => {
    const expensive = [hintHop(HUB, '105x1x0', 9000n, 0, 10)];
    const cheap = [hintHop(OTHER, '106x1x0', 10n, 0, 10)];
    const both = [chan(HUB), chan(OTHER, { alias_local: '4x4x4' })];
    expect(built(buildRoute({ invoice: invoice({ routes: [expensive, cheap] }), channels: both })).hint).toEqual({ index: 1, from: 0 });
    const poorOther = [chan(HUB), chan(OTHER, { alias_local: '4x4x4', spendable_msat: 50n })];
    expect(built(buildRoute({ invoice: invoice({ routes: [expensive, cheap] }), channels: poorOther })).hint).toEqual({ index: 0, from: 0 });
    const offlineOther = [chan(HUB), chan(OTHER, { alias_local: '4x4x4', peer_connected: false })];
    expect(built(buildRoute({ invoice: invoice({ routes: [expensive, cheap] }), channels: offlineOther })).hint).toEqual({ index: 0, from: 0 });
  });

  it('still builds a route that exceeds the balance, but says so before sending', () => {
    const r = built(buildRoute({ invoice: invoice({ amount_msat: 50_000_000n }), channels: [chan(HUB, { spendable_msat: 9_000_000n })] }));
    expect(r.warnings).toEqual(['Channel 1x2x3 can send 9,000 sat now but this route needs 50,001.5 sat: your own node will most likely refuse it.']);
  });

  it('warns when the only peer is disconnected', () => {
    const r = built(buildRoute({ invoice: invoice(), channels: [chan(HUB, { peer_connected: false })] }));
    expect(r.warnings[0]).toMatch(/is not connected: sendpay will fail until it reconnects/);
  });

  it("takes the amount from the user for an amountless invoice; an invoice's own amount wins", () => {
    const inv = invoice();
    delete inv.amount_msat;
    expect(reason(buildRoute({ invoice: inv, channels: [chan(HUB)] }))).toBe('The invoice has no amount: enter the amount to pay.');
    expect(built(buildRoute({ invoice: inv, amount_msat: 2000n, channels: [chan(HUB)] })).route[1]!.amount_msat).toBe(2000n);
    expect(built(buildRoute({ invoice: invoice(), amount_msat: 2000n, channels: [chan(HUB)] })).route[1]!.amount_msat).toBe(100_000n);
  });

  it('explains why there is no route', () => {
    expect(reason(buildRoute({ invoice: invoice(), channels: [] }))).toMatch(/^You have no channels yet/);
    expect(reason(buildRoute({ invoice: invoice(), channels: [chan(HUB, { state: 'CHANNELD_AWAITING_LOCKIN' })] }))).toBe(
      'No channel is ready yet (CHANNELD_AWAITING_LOCKIN). Wait until one shows CHANNELD_NORMAL.',
    );
    expect(reason(buildRoute({ invoice: invoice(), channels: [chan(OTHER)] }))).toMatch(/none of the invoice's 1 route hint\(s\) passes through one of your peers/);
    expect(reason(buildRoute({ invoice: invoice({ routes: [] }), channels: [chan(HUB)] }))).toMatch(/the invoice has no route hints\.$/);
    // A channel without any scid or alias cannot be named in a route.
    expect(reason(buildRoute({ invoice: invoice(), channels: [{ peer_id: HUB, peer_connected: true, state: 'CHANNELD_NORMAL' }] }))).toMatch(/^No channel is ready yet/);
  });

  it('hopsThroughHint with no hint is the single direct hop', () => {
    expect(hopsThroughHint('5x5x5', [], SHOP, 42n, 18)).toEqual([{ id: SHOP, channel: '5x5x5', amount_msat: 42n, delay: 18 }]);
  });
});

describe('the built route, as the payments engine sends it (T-3)', () => {
  it('gives the hub exactly its hint fee and CLTV delta, and the shop the invoice amount and final CLTV', async () => {
    const { payer } = await makePayer(); // one channel to ids[5] (HUB) with scid 103x1x0
    const fee = hintHop(HUB, '105x1x0', 1000n, 10, 34);
    const r = built(buildRoute({ invoice: invoice({ routes: [[fee]] }), channels: [chan(HUB, { short_channel_id: '103x1x0' })] }));
    expectOk(await payer.call('sendpay', { route: r.route, payment_hash: HASH, payment_secret: SECRET, amount_msat: r.amount_msat }));
    const offered = payer.offered[0]!;
    // What the hub and the shop read when they peel the onion.
    const [hub, shop] = payer.peel({ payment_hash: HASH, partid: 0n, groupid: 1n }).map((l) => (l.kind === 'forward' || l.kind === 'final' ? l.payload : undefined));
    const base = HEIGHT + 1;
    // What the hub receives (the HTLC) minus what it forwards is its advertised fee and delta.
    expect(offered.req.amount_msat - hub!.amt_to_forward).toBe(forwardingFee(fee, 100_000n));
    expect(offered.req.cltv_expiry - hub!.outgoing_cltv_value).toBe(34);
    expect(hub!.short_channel_id).toBe((105n << 40n) | (1n << 16n));
    // The shop gets the invoice amount with at least min_final_cltv_expiry blocks to spare.
    expect(shop!.amt_to_forward).toBe(100_000n);
    expect(shop!.outgoing_cltv_value).toBe(base + 18);
    expect(shop!.payment_data?.total_msat).toBe(100_000n);
    expect(offered.row.amount_sent_msat).toBe(101_001n);
  });
});
