// checkForward: every BOLT 4 forwarding failure, its data, the embedded channel_update, boundaries
// and the order of checks.
import { describe, expect, it } from 'vitest';
import { DEFAULT_POLICY, checkForward, forwardFee, paysFee, verifyChannelUpdate, type ForwardDecision, type ForwardPayload, type IncomingHtlc, type OutgoingChannel } from '../../../src/forwarding/index.js';
import { FAILCODE } from '../../../src/onion/index.js';
import { decodeMessage, type ChannelUpdate } from '../../../src/wire/index.js';
import { ALIAS, CTX, HEIGHT, NOW, OUR_ID, REAL_SCID, channel, decoded } from './helpers.js';

const AMT = 1_000_000n;
const OUT_CLTV = HEIGHT + 40;
const FEE = forwardFee({ fee_base_msat: 1000, fee_proportional_millionths: 10 }, AMT); // 1000 + 10 = 1010
const payload = (over: Partial<ForwardPayload> = {}): ForwardPayload => ({ amt_to_forward: AMT, outgoing_cltv_value: OUT_CLTV, short_channel_id: REAL_SCID, ...over });
const htlc = (over: Partial<IncomingHtlc> = {}): IncomingHtlc => ({ amount_msat: AMT + FEE, cltv_expiry: OUT_CLTV + 34, ...over });

function failed(d: ForwardDecision): Extract<ForwardDecision, { ok: false }> {
  if (d.ok) throw new Error('expected a failure');
  return d;
}

/** The channel_update inside a failure, verified against our node id. */
function embeddedUpdate(d: ForwardDecision): ChannelUpdate {
  const bytes = decoded(failed(d).failure.message).fields.channel_update;
  if (!(bytes instanceof Uint8Array)) throw new Error('no channel_update');
  const v = verifyChannelUpdate(bytes, OUR_ID, 'regtest');
  if (!v.ok) throw new Error(v.reason);
  const m = decodeMessage(bytes);
  if (m.type !== 'channel_update') throw new Error('not an update');
  return m;
}

const run = (h: IncomingHtlc, p: ForwardPayload, c: OutgoingChannel = channel()) => checkForward(h, p, c, CTX);

describe('accepting', () => {
  it('forwards amt_to_forward at outgoing_cltv_value on the channel and reports the fee', () => {
    expect(run(htlc(), payload())).toEqual({ ok: true, out_channel: REAL_SCID, amount_msat: AMT, cltv_expiry: OUT_CLTV, fee_msat: FEE });
  });

  it('exactly the fee passes; one msat less fails with fee_insufficient(htlc_msat = incoming amount)', () => {
    expect(FEE).toBe(1010n);
    expect(run(htlc({ amount_msat: AMT + FEE }), payload()).ok).toBe(true);
    const d = failed(run(htlc({ amount_msat: AMT + FEE - 1n }), payload()));
    expect(d.failure.failcode).toBe(FAILCODE.fee_insufficient);
    const m = decoded(d.failure.message);
    expect(m.name).toBe('fee_insufficient');
    expect(m.fields.htlc_msat).toBe(AMT + FEE - 1n);
    expect(embeddedUpdate(d).fee_base_msat).toBe(1000);
  });

  it('the proportional fee rounds down', () => {
    const p = payload({ amt_to_forward: 199_999n }); // 10 ppm of 199999 = 1.99999 → 1
    expect(run(htlc({ amount_msat: 199_999n + 1001n }), p).ok).toBe(true);
    expect(run(htlc({ amount_msat: 199_999n + 1000n }), p).ok).toBe(false);
  });

  it('exactly cltv_expiry_delta passes; one block less fails with incorrect_cltv_expiry(cltv_expiry = incoming)', () => {
    expect(run(htlc({ cltv_expiry: OUT_CLTV + 34 }), payload()).ok).toBe(true);
    const d = failed(run(htlc({ cltv_expiry: OUT_CLTV + 33 }), payload()));
    const m = decoded(d.failure.message);
    expect(m.name).toBe('incorrect_cltv_expiry');
    expect(m.fields.cltv_expiry).toBe(OUT_CLTV + 33);
    expect(embeddedUpdate(d).cltv_expiry_delta).toBe(34);
  });

  it('a cltv_expiry not above the delta fails without underflow', () => {
    const d = failed(run(htlc({ cltv_expiry: 34 }), payload({ outgoing_cltv_value: 0 })));
    expect(d.failure.name).toBe('incorrect_cltv_expiry');
  });
});

describe('failures with data', () => {
  it('unknown_next_peer when the channel is not found (no data, scid as asked)', () => {
    const d = failed(run(htlc(), payload({ short_channel_id: ALIAS }), { found: false }));
    expect(d.failure.message).toEqual(new Uint8Array([0x40, 0x0a]));
    expect(d.out_channel).toBe(ALIAS);
  });

  it('unknown_next_peer while awaiting lock-in; permanent_channel_failure once closing or closed', () => {
    expect(failed(run(htlc(), payload(), channel({ state: 'awaiting_lockin' }))).failure.name).toBe('unknown_next_peer');
    for (const state of ['shutting_down', 'closed'] as const) {
      const d = failed(run(htlc(), payload(), channel({ state })));
      expect(d.failure.message).toEqual(new Uint8Array([0x40, 0x08]));
      expect(d.out_channel).toBe(REAL_SCID);
    }
  });

  it('amount_below_minimum(htlc_msat = outgoing amount); the minimum is at least the peer’s', () => {
    const c = channel({ peer_htlc_minimum_msat: 5000n, policy: { ...channel().policy, htlc_minimum_msat: 1000n } });
    const ok = run(htlc({ amount_msat: 5000n + 1000n }), payload({ amt_to_forward: 5000n }), c);
    expect(ok.ok).toBe(true);
    const d = failed(run(htlc({ amount_msat: 4999n + 1000n }), payload({ amt_to_forward: 4999n }), c));
    const m = decoded(d.failure.message);
    expect(m.name).toBe('amount_below_minimum');
    expect(m.fields.htlc_msat).toBe(4999n);
    expect(embeddedUpdate(d).htlc_minimum_msat).toBe(5000n);
  });

  it('temporary_channel_failure above htlc_maximum_msat', () => {
    const d = failed(run(htlc({ amount_msat: 5_000_001n + 1060n }), payload({ amt_to_forward: 5_000_001n })));
    expect(d.failure.name).toBe('temporary_channel_failure');
    expect(embeddedUpdate(d).htlc_maximum_msat).toBe(5_000_000n);
  });

  it('the channel’s own HTLC ceiling lowers the advertised maximum', () => {
    const c = channel({ channel_max_htlc_msat: 900_000n });
    const d = failed(run(htlc(), payload(), c));
    expect(d.failure.name).toBe('temporary_channel_failure');
    expect(embeddedUpdate(d).htlc_maximum_msat).toBe(900_000n);
    expect(run(htlc({ amount_msat: 900_000n + 1009n }), payload({ amt_to_forward: 900_000n }), c).ok).toBe(true);
  });

  it('expiry_too_soon when outgoing_cltv_value is at the tip; one block later passes', () => {
    const atTip = failed(run(htlc({ cltv_expiry: HEIGHT + 34 }), payload({ outgoing_cltv_value: HEIGHT })));
    expect(atTip.failure.failcode).toBe(FAILCODE.expiry_too_soon);
    expect(decoded(atTip.failure.message).fields.channel_update).toBeInstanceOf(Uint8Array);
    expect(run(htlc({ cltv_expiry: HEIGHT + 35 }), payload({ outgoing_cltv_value: HEIGHT + 1 })).ok).toBe(true);
  });

  it('expiry_too_far beyond height + 2016 (no data); exactly 2016 passes; the limit is configurable', () => {
    const far = HEIGHT + 2016;
    expect(run(htlc({ cltv_expiry: far + 34 }), payload({ outgoing_cltv_value: far })).ok).toBe(true);
    const d = failed(run(htlc({ cltv_expiry: far + 35 }), payload({ outgoing_cltv_value: far + 1 })));
    expect(d.failure.message).toEqual(new Uint8Array([0x00, 0x15]));
    const tight = checkForward(htlc(), payload(), channel(), { ...CTX, max_locktime_blocks: 39 });
    expect(failed(tight).failure.name).toBe('expiry_too_far');
  });

  it('channel_disabled(disabled_flags 0) with an update whose disable bit is set', () => {
    const d = failed(run(htlc(), payload(), channel({ enabled: false })));
    const m = decoded(d.failure.message);
    expect(m.name).toBe('channel_disabled');
    expect(m.fields.disabled_flags).toBe(0);
    expect(embeddedUpdate(d).channel_flags & 2).toBe(2);
  });

  it('temporary_channel_failure when the peer is offline (update disabled) or the balance is short', () => {
    const off = failed(run(htlc(), payload(), channel({ peer_connected: false })));
    expect(off.failure.name).toBe('temporary_channel_failure');
    expect(embeddedUpdate(off).channel_flags & 2).toBe(2);
    const poor = failed(run(htlc(), payload(), channel({ spendable_msat: AMT - 1n })));
    expect(poor.failure.name).toBe('temporary_channel_failure');
    expect(embeddedUpdate(poor).channel_flags & 2).toBe(0);
    expect(run(htlc(), payload(), channel({ spendable_msat: AMT })).ok).toBe(true);
  });
});

describe('the embedded channel_update', () => {
  it('names the channel by the scid the onion used (alias stays alias), with our policy and timestamp', () => {
    const c = channel({ update_timestamp: NOW - 100 });
    const u = embeddedUpdate(run(htlc({ amount_msat: AMT }), payload({ short_channel_id: ALIAS }), c));
    expect(u.short_channel_id).toBe(ALIAS);
    expect(u.timestamp).toBe(NOW - 100);
    expect(u.message_flags).toBe(3); // must_be_one | dont_forward: the channel is unannounced
    expect([u.fee_base_msat, u.fee_proportional_millionths, u.cltv_expiry_delta]).toEqual([1000, 10, 34]);
    const announced = embeddedUpdate(run(htlc({ amount_msat: AMT }), payload(), channel({ announced: true })));
    expect(announced.message_flags).toBe(1);
    expect(announced.timestamp).toBe(NOW);
  });
});

describe('order of checks (Core Lightning forward_htlc, then send_htlc_out)', () => {
  const everythingWrong = (c: OutgoingChannel) =>
    run(htlc({ amount_msat: 1n, cltv_expiry: HEIGHT }), payload({ amt_to_forward: 10_000_000n, outgoing_cltv_value: HEIGHT + 5000 }), c);

  it('state before fee, fee before range, range before cltv, cltv before expiry, expiry before availability', () => {
    expect(failed(everythingWrong(channel({ state: 'closed', enabled: false }))).failure.name).toBe('permanent_channel_failure');
    expect(failed(everythingWrong(channel({ enabled: false }))).failure.name).toBe('fee_insufficient');
    const paid = (p: ForwardPayload, cltv: number, c = channel({ enabled: false, peer_connected: false })) =>
      failed(run(htlc({ amount_msat: p.amt_to_forward + 100_000n, cltv_expiry: cltv }), p, c)).failure.name;
    expect(paid(payload({ amt_to_forward: 6_000_000n, outgoing_cltv_value: HEIGHT }), HEIGHT)).toBe('temporary_channel_failure');
    expect(paid(payload({ outgoing_cltv_value: HEIGHT }), HEIGHT)).toBe('incorrect_cltv_expiry');
    expect(paid(payload({ outgoing_cltv_value: HEIGHT }), HEIGHT + 34)).toBe('expiry_too_soon');
    expect(paid(payload({ outgoing_cltv_value: HEIGHT + 3000 }), HEIGHT + 3034)).toBe('expiry_too_far');
    expect(paid(payload(), OUT_CLTV + 34)).toBe('channel_disabled');
    expect(paid(payload(), OUT_CLTV + 34, channel({ peer_connected: false, spendable_msat: 0n }))).toBe('temporary_channel_failure');
  });
});

describe('previous policy grace period (BOLT 7: keep accepting old parameters for 10 minutes)', () => {
  const raised = channel({
    policy: {
      ...channel().policy,
      fee_base_msat: 5000,
      htlc_minimum_msat: 2_000_000n,
      previous: { ...channel().policy, valid_until: NOW + 1 },
    },
  });

  it('old fees and old minimum are honoured until valid_until', () => {
    expect(run(htlc(), payload(), raised).ok).toBe(true);
    const later = checkForward(htlc(), payload(), raised, { ...CTX, now: NOW + 1 });
    expect(failed(later).failure.name).toBe('fee_insufficient');
    const newFee = checkForward(htlc({ amount_msat: AMT + 5010n }), payload(), raised, { ...CTX, now: NOW + 1 });
    expect(failed(newFee).failure.name).toBe('amount_below_minimum');
  });

  it('the cltv delta has no grace period', () => {
    const c = channel({ policy: { ...channel().policy, cltv_expiry_delta: 40, previous: { ...channel().policy, valid_until: NOW + 600 } } });
    expect(failed(run(htlc(), payload(), c)).failure.name).toBe('incorrect_cltv_expiry');
  });
});

describe('policy helpers', () => {
  it('Core Lightning’s defaults and the BOLT 7 fee formula', () => {
    expect(DEFAULT_POLICY).toMatchObject({ fee_base_msat: 1000, fee_proportional_millionths: 10, cltv_expiry_delta: 34, htlc_minimum_msat: 0n });
    expect(forwardFee(DEFAULT_POLICY, 10_000_000n)).toBe(1100n);
    expect(paysFee(DEFAULT_POLICY, 10_001_100n, 10_000_000n)).toBe(true);
    expect(paysFee(DEFAULT_POLICY, 10_001_099n, 10_000_000n)).toBe(false);
    expect(paysFee(DEFAULT_POLICY, 500n, 0n)).toBe(false);
  });

  it('a peer minimum above our maximum still yields a valid update (max raised to the minimum)', () => {
    const c = channel({ peer_htlc_minimum_msat: 6_000_000n });
    const d = failed(run(htlc(), payload(), c));
    expect(d.failure.name).toBe('amount_below_minimum');
    const u = embeddedUpdate(d);
    expect([u.htlc_minimum_msat, u.htlc_maximum_msat]).toEqual([6_000_000n, 6_000_000n]);
  });
});
