// Every BOLT 2 limit on HTLCs, both ways: our own adds are refused with Core Lightning's channeld
// reason and the BOLT 4 failure code; the same violation coming from the peer fails the channel.
import { describe, expect, it } from 'vitest';
import { fromHex, fromUtf8 } from '../../../src/util/bytes.js';
import { sha256 } from '../../../src/crypto/secp256k1.js';
import type { UpdateAddHtlc } from '../../../src/wire/messages.js';
import { FAILURE, addHtlc, balances, receiveMessage } from '../../../src/channel/state/index.js';
import type { Channel, Step } from '../../../src/channel/state/index.js';
import { ONION, add, openLink, preimageOf } from './harness.js';
import type { Node } from './harness.js';

function tryAdd(ch: Channel, amount: bigint, cltv = 800_000, label = `l${amount}-${cltv}`) {
  return addHtlc(ch, { amount_msat: amount, payment_hash: sha256(preimageOf(label)), cltv_expiry: cltv, onion_routing_packet: ONION });
}

function refusal(ch: Channel, amount: bigint, cltv = 800_000): { failure_code: number; reason: string } {
  const r = tryAdd(ch, amount, cltv);
  if (r.ok) throw new Error(`add of ${amount} was accepted`);
  return { failure_code: r.failure_code, reason: r.reason };
}

/** An update_add_htlc as the peer of `n` would send it, with overridable fields. */
function craftedAdd(n: Node, over: Partial<UpdateAddHtlc> = {}): UpdateAddHtlc {
  const r = n.ch.record;
  return {
    type: 'update_add_htlc',
    channel_id: fromHex(r.channel_id),
    id: BigInt(r.next_remote_htlc_id),
    amount_msat: 5_000_000n,
    payment_hash: sha256(preimageOf('crafted')),
    cltv_expiry: 800_000,
    onion_routing_packet: ONION,
    tlvs: {},
    ...over,
  };
}

function expectFailed(s: Step, re: RegExp): void {
  const err = s.send.find((m) => m.type === 'error');
  expect(err && err.type === 'error' && fromUtf8(err.data)).toMatch(re);
  expect(s.channel.record.state).toBe('FORCE_CLOSED');
  const b = s.events.find((e) => e.type === 'broadcast');
  expect(b && b.type === 'broadcast' && b.kind).toBe('commitment');
}

describe('limits on our own HTLCs (refusals)', () => {
  it('cltv_expiry must be below 500000000', () => {
    const { a } = openLink();
    expect(refusal(a.ch, 5_000_000n, 500_000_000)).toEqual({ failure_code: FAILURE.incorrect_cltv_expiry, reason: 'Invalid cltv_expiry 500000000' });
  });

  it("amount at least the peer's htlc_minimum_msat, and not zero", () => {
    const { a } = openLink({ policyB: { htlc_minimum_msat: 1000n } });
    expect(refusal(a.ch, 999n)).toEqual({ failure_code: FAILURE.amount_below_minimum, reason: 'HTLC too small (1000msat minimum)' });
    expect(refusal(a.ch, 0n).reason).toBe('HTLC too small (1000msat minimum)');
    expect(tryAdd(a.ch, 1000n).ok).toBe(true);
  });

  it("at most the peer's max_accepted_htlcs", () => {
    const link = openLink({ policyB: { max_accepted_htlcs: 5 } });
    for (let i = 0; i < 5; i++) add(link, link.a, 3_000_000n, `n${i}`);
    expect(refusal(link.a.ch, 3_000_000n)).toEqual({ failure_code: FAILURE.temporary_channel_failure, reason: 'Too many HTLCs' });
  });

  it("at most the peer's max_htlc_value_in_flight_msat", () => {
    const link = openLink({ policyB: { max_htlc_value_in_flight_msat: 50_000_000n } });
    add(link, link.a, 30_000_000n, 'f1');
    expect(refusal(link.a.ch, 20_000_001n)).toEqual({ failure_code: FAILURE.temporary_channel_failure, reason: 'Maximum value exceeded' });
    expect(tryAdd(link.a.ch, 20_000_000n).ok).toBe(true);
  });

  it('the funder keeps the reserve, the fee (with one more HTLC at twice the feerate) and says what the fee is', () => {
    const { a } = openLink();
    // (724 + 172) weight at 2500 sat/kw: the commitment fee with this HTLC on it.
    expect(refusal(a.ch, 995_000_000n)).toEqual({ failure_code: FAILURE.temporary_channel_failure, reason: 'Capacity exceeded - HTLC fee: 2240sat' });
  });

  it('the fundee keeps the reserve the funder asked for', () => {
    const { b } = openLink({ push: 50_000_000n });
    // 50 000 sat, reserve 10 000 sat (1%): at most 40 000 sat.
    expect(refusal(b.ch, 40_000_001n).reason).toBe('Capacity exceeded - HTLC fee: 2240sat');
    expect(tryAdd(b.ch, 40_000_000n).ok).toBe(true);
    const { b: poor } = openLink();
    expect(refusal(poor.ch, 1_000_000n).reason).toMatch(/^Capacity exceeded - HTLC fee: \d+sat$/);
  });

  it('stays under our dust exposure cap', () => {
    const link = openLink({ policyA: { max_dust_exposure_msat: 5_000_000n } });
    add(link, link.a, 2_000_000n, 'd1');
    add(link, link.a, 2_000_000n, 'd2');
    expect(refusal(link.a.ch, 2_000_000n)).toEqual({ failure_code: FAILURE.temporary_channel_failure, reason: 'HTLC too dusty, allowed dust limit reached' });
    // A non-dust HTLC does not add to the exposure.
    expect(tryAdd(link.a.ch, 50_000_000n).ok).toBe(true);
  });

  for (const anchors of [false, true]) {
    it(`spendable and receivable are exact (${anchors ? 'anchors' : 'static_remotekey'})`, () => {
      const link = openLink({ anchors, push: 300_000_000n, policyA: { max_dust_exposure_msat: 10n ** 12n }, policyB: { max_dust_exposure_msat: 10n ** 12n } });
      add(link, link.a, 100_000_000n, 'big');
      link.commit(link.a);
      link.deliverAll();
      for (const n of [link.a, link.b]) {
        const { spendable_msat, receivable_msat } = balances(n.ch);
        expect(spendable_msat).toBeGreaterThan(0n);
        expect(tryAdd(n.ch, spendable_msat).ok).toBe(true);
        expect(tryAdd(n.ch, spendable_msat + 1n).ok).toBe(false);
        // The peer's own checks keep a fee-spike buffer ours do not demand of it.
        expect(receivable_msat).toBeGreaterThanOrEqual(balances(link.peer(n).ch).spendable_msat);
        expect(receiveMessage(n.ch, craftedAdd(n, { amount_msat: receivable_msat })).channel.record.state).toBe('NORMAL');
        expect(receiveMessage(n.ch, craftedAdd(n, { amount_msat: receivable_msat + 1n })).channel.record.state).toBe('FORCE_CLOSED');
      }
    });
  }
});

describe('limits on the peer’s HTLCs (protocol errors)', () => {
  it('amount zero', () => {
    const { b } = openLink();
    expectFailed(receiveMessage(b.ch, craftedAdd(b, { amount_msat: 0n })), /HTLC too small/);
  });

  it('below our htlc_minimum_msat', () => {
    const { b } = openLink({ policyB: { htlc_minimum_msat: 1000n } });
    expectFailed(receiveMessage(b.ch, craftedAdd(b, { amount_msat: 999n })), /HTLC too small \(1000msat minimum\)/);
  });

  it('cltv_expiry of 500000000 or more', () => {
    const { b } = openLink();
    expectFailed(receiveMessage(b.ch, craftedAdd(b, { cltv_expiry: 500_000_000 })), /Invalid cltv_expiry 500000000/);
  });

  it('an id gap and a reused id', () => {
    const link = openLink();
    expectFailed(receiveMessage(link.b.ch, craftedAdd(link.b, { id: 1n })), /id 1, expected 0/);
    link.run(link.b, receiveMessage(link.b.ch, craftedAdd(link.b)));
    expectFailed(receiveMessage(link.b.ch, craftedAdd(link.b, { id: 0n })), /id 0, expected 1/);
  });

  it('more than our max_accepted_htlcs', () => {
    const link = openLink({ policyB: { max_accepted_htlcs: 5 } });
    for (let i = 0; i < 5; i++) link.run(link.b, receiveMessage(link.b.ch, craftedAdd(link.b)));
    expectFailed(receiveMessage(link.b.ch, craftedAdd(link.b)), /Too many HTLCs/);
  });

  it('more than our max_htlc_value_in_flight_msat', () => {
    const link = openLink({ policyB: { max_htlc_value_in_flight_msat: 20_000_000n } });
    link.run(link.b, receiveMessage(link.b.ch, craftedAdd(link.b, { amount_msat: 15_000_000n })));
    expectFailed(receiveMessage(link.b.ch, craftedAdd(link.b, { amount_msat: 5_000_001n })), /Maximum value exceeded/);
  });

  it('a funder that cannot afford the HTLC plus fee and reserve', () => {
    const { b } = openLink();
    expectFailed(receiveMessage(b.ch, craftedAdd(b, { amount_msat: 995_000_000n })), /Capacity exceeded/);
  });

  it('a fundee that would dip below its reserve', () => {
    const { a } = openLink({ push: 50_000_000n });
    expectFailed(receiveMessage(a.ch, craftedAdd(a, { amount_msat: 40_000_001n })), /Capacity exceeded/);
  });

  it('an HTLC over our dust exposure is accepted but flagged to be failed', () => {
    const link = openLink({ policyB: { max_dust_exposure_msat: 3_000_000n } });
    add(link, link.a, 2_000_000n, 'e1');
    add(link, link.a, 2_000_000n, 'e2');
    link.commit(link.a);
    link.deliverAll();
    const inc = link.b.take('htlc_incoming');
    expect(inc.map((e) => e.fail_on_commit)).toEqual([null, 'dust_exposure']);
    expect(link.b.ch.record.state).toBe('NORMAL');
  });
});
