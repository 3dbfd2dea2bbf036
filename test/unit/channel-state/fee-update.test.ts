// The funder's update_fee trigger (feeUpdateFor): when an estimate is worth an update_fee, and
// with which feerate. BOLT 2: only the funder, only in NORMAL and connected, never once shutdown
// is under way, affordable for the funder; plus our policy range, the anchors floor, one update in
// flight, and hysteresis so a wobbling estimate does not flood the peer.
import { describe, expect, it } from 'vitest';
import { feeEstimateTarget, feeUpdateFor, shutdown, updateFee } from '../../../src/channel/state/index.js';
import { add, assertConsistent, openLink } from './harness.js';

describe('feeUpdateFor (funder update_fee trigger)', () => {
  it('raises past +10% and lowers past −20% of the current feerate, nothing in between', () => {
    const { a } = openLink({ feerate: 2500 });
    expect(a.ch.record.base_feerate_per_kw).toBe(2500);
    expect(feeUpdateFor(a.ch, 2500)).toBeNull();
    expect(feeUpdateFor(a.ch, 2749)).toBeNull();
    expect(feeUpdateFor(a.ch, 2750)).toBe(2750);
    expect(feeUpdateFor(a.ch, 10_000)).toBe(10_000);
    expect(feeUpdateFor(a.ch, 2001)).toBeNull();
    expect(feeUpdateFor(a.ch, 2000)).toBe(2000);
    expect(feeUpdateFor(a.ch, 300)).toBe(300);
  });

  it('only the funder proposes', () => {
    const { b } = openLink();
    expect(b.ch.record.funder).toBe(false);
    expect(feeUpdateFor(b.ch, 10_000)).toBeNull();
  });

  it('not while disconnected, before NORMAL, or once shutdown is requested, sent or received', () => {
    const offline = openLink();
    offline.disconnect();
    expect(feeUpdateFor(offline.a.ch, 10_000)).toBeNull();

    const locking = openLink({ depth: 0 });
    expect(locking.a.ch.record.state).toBe('AWAITING_LOCKIN');
    expect(feeUpdateFor(locking.a.ch, 10_000)).toBeNull();

    const ours = openLink();
    ours.run(ours.a, shutdown(ours.a.ch));
    expect(ours.a.ch.record.closing.shutdown_requested).toBe(true);
    expect(feeUpdateFor(ours.a.ch, 10_000)).toBeNull();

    const theirs = openLink();
    theirs.run(theirs.b, shutdown(theirs.b.ch));
    theirs.deliverOne(theirs.a);
    expect(theirs.a.ch.record.closing.shutdown_received).toBe(true);
    expect(feeUpdateFor(theirs.a.ch, 10_000)).toBeNull();
  });

  it('one update in flight at a time; the next once the first is irrevocably committed', () => {
    const link = openLink();
    link.run(link.a, updateFee(link.a.ch, 5000));
    expect(feeUpdateFor(link.a.ch, 10_000)).toBeNull();
    link.commit(link.a);
    link.deliverAll();
    expect(link.a.ch.record.fee_updates).toEqual([]);
    expect(link.a.ch.record.base_feerate_per_kw).toBe(5000);
    expect(link.b.ch.record.base_feerate_per_kw).toBe(5000);
    assertConsistent(link);
    expect(feeUpdateFor(link.a.ch, 5000)).toBeNull();
    expect(feeUpdateFor(link.a.ch, 10_000)).toBe(10_000);
  });

  it('stays inside our policy range (what we would accept from a peer) and the 253 floor', () => {
    const { a } = openLink({ policyA: { max_feerate_per_kw: 20_000, min_feerate_per_kw: 1000 } });
    expect(feeUpdateFor(a.ch, 1_000_000)).toBe(20_000);
    expect(feeUpdateFor(a.ch, 1)).toBe(1000);
    const floor = openLink();
    expect(feeUpdateFor(floor.a.ch, 1)).toBe(253);
  });

  it('anchors: a slow target with a 1250 sat/kw floor; without anchors a 6-block target', () => {
    const anchors = openLink({ anchors: true, feerate: 2500 });
    expect(feeEstimateTarget(anchors.a.ch)).toEqual({ blocks: 100, floor_per_kw: 1250 });
    expect(feeUpdateFor(anchors.a.ch, 300)).toBe(1250);
    const plain = openLink({ feerate: 2500 });
    expect(feeEstimateTarget(plain.a.ch)).toEqual({ blocks: 6, floor_per_kw: 253 });
  });

  it('a rise the funder cannot fully afford is capped at what it can pay (keeping the reserve)', () => {
    // 100 000 sat channel, the funder kept little after the push.
    const link = openLink({ funding: 100_000n, push: 95_000_000n, policyA: { max_feerate_per_kw: 1_000_000 }, policyB: { max_feerate_per_kw: 1_000_000 } });
    const want = 500_000;
    const got = feeUpdateFor(link.a.ch, want);
    expect(got).not.toBeNull();
    expect(got!).toBeLessThan(want);
    expect(got!).toBeGreaterThan(2500);
    // Exactly the highest affordable: one more sat/kw is refused by the machine itself.
    link.run(link.a, updateFee(link.a.ch, got!));
    expect(() => updateFee(openLink({ funding: 100_000n, push: 95_000_000n }).a.ch, got! + 1)).toThrow(/cannot afford/);
    link.commit(link.a);
    link.deliverAll();
    expect(link.b.ch.record.state).toBe('NORMAL');
    expect(link.b.ch.record.base_feerate_per_kw).toBe(got);
    assertConsistent(link);
  });

  it('with HTLCs in flight the fee counts their outputs too', () => {
    const link = openLink();
    for (let i = 0; i < 5; i++) add(link, link.a, 50_000_000n, `h${i}`);
    link.commit(link.a);
    link.deliverAll();
    const f = feeUpdateFor(link.a.ch, 20_000);
    expect(f).toBe(20_000);
    link.run(link.a, updateFee(link.a.ch, f!));
    link.commit(link.a);
    link.deliverAll();
    expect(link.b.ch.record.state).toBe('NORMAL');
    assertConsistent(link);
  });
});
