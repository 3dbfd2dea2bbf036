// The close command's negotiation options in the machine: a fee_negotiation_step (percent or
// satoshis) means the legacy exchange without fee_range, as Core Lightning does, each of our
// counter-offers moving exactly that far towards the peer's; a peer that answers without
// fee_range gets legacy answers; a feerange (feerates) becomes the fee_range TLV at the closing
// tx's weight; anchor channels keep the quick close; the options survive a restart.
import { describe, expect, it } from 'vitest';
import type { WireMessage } from '../../../src/wire/messages.js';
import { shutdown } from '../../../src/channel/state/index.js';
import { openLink, type Link, type Node } from './harness.js';

type ClosingSigned = Extract<WireMessage, { type: 'closing_signed' }>;

/** Delivers everything, recording each closing_signed with its sender. */
function negotiate(link: Link): { from: 'a' | 'b'; m: ClosingSigned }[] {
  const seen: { from: 'a' | 'b'; m: ClosingSigned }[] = [];
  for (let i = 0; i < 500 && (link.toA.length > 0 || link.toB.length > 0); i++) {
    const to: Node = link.toA.length > 0 ? link.a : link.b;
    const head = link.queueTo(to)[0]!;
    if (head.type === 'closing_signed') seen.push({ from: to === link.a ? 'b' : 'a', m: head });
    link.deliverOne(to);
  }
  return seen;
}

describe('close options: fee_negotiation_step and feerange', () => {
  it('a satoshi step: legacy negotiation, every counter-offer of ours moves exactly the step', () => {
    const link = openLink({ push: 200_000_000n, feerate: 253 });
    const { a, b } = link;
    // The funder wants 10 000..30 000 sat, the fundee 100..200: far apart, so offers go back and forth.
    link.run(a, shutdown(a.ch, { feerate_per_kw: 20_000, fee_range: { min_fee_satoshis: 10_000n, max_fee_satoshis: 30_000n }, fee_step: { unit: 'sat', value: 700n } }));
    link.run(b, shutdown(b.ch, { fee_range: { min_fee_satoshis: 100n, max_fee_satoshis: 200n } }));
    const seen = negotiate(link);
    expect(a.ch.record.state).toBe('CLOSING_COMPLETE');
    expect(b.ch.record.state).toBe('CLOSING_COMPLETE');
    // Nobody sent fee_range: the funder chose legacy, the fundee answered in kind.
    expect(seen.every((s) => s.m.tlvs.fee_range === undefined)).toBe(true);
    const ours = seen.filter((s) => s.from === 'a').map((s) => s.m.fee_satoshis);
    const theirs = seen.filter((s) => s.from === 'b').map((s) => s.m.fee_satoshis);
    expect(ours.length).toBeGreaterThan(3);
    // After the first offer each of A's offers is 700 sat nearer B's, until the last (agreement).
    for (let i = 1; i < ours.length - 1; i++) expect(ours[i - 1]! - ours[i]!).toBe(700n);
    expect(ours.at(-1)).toBe(theirs.at(-1));
  });

  it('a percentage step of 100% takes the peer’s counter-offer at once', () => {
    const link = openLink({ push: 200_000_000n, feerate: 253 });
    const { a, b } = link;
    link.run(a, shutdown(a.ch, { feerate_per_kw: 20_000, fee_range: { min_fee_satoshis: 10_000n, max_fee_satoshis: 30_000n }, fee_step: { unit: 'percent', value: 100 } }));
    link.run(b, shutdown(b.ch, { fee_range: { min_fee_satoshis: 100n, max_fee_satoshis: 200n } }));
    const seen = negotiate(link);
    expect(a.ch.record.state).toBe('CLOSING_COMPLETE');
    // A's offer, B's counter (halfway, legacy), A agrees with B's fee.
    expect(seen.map((s) => s.from)).toEqual(['a', 'b', 'a']);
    expect(seen[2]!.m.fee_satoshis).toBe(seen[1]!.m.fee_satoshis);
  });

  it('anchor channels quick-close even with a step (Core Lightning)', () => {
    const link = openLink({ push: 200_000_000n, anchors: true });
    link.run(link.a, shutdown(link.a.ch, { fee_step: { unit: 'percent', value: 10 } }));
    const seen = negotiate(link);
    expect(seen[0]!.m.tlvs.fee_range).toBeDefined();
    expect(link.a.ch.record.state).toBe('CLOSING_COMPLETE');
  });

  it('feerange: the fee_range TLV is the two feerates at the closing tx weight', () => {
    const link = openLink({ push: 200_000_000n });
    link.run(link.a, shutdown(link.a.ch, { feerate_range: { min_per_kw: 1000, max_per_kw: 4000 } }));
    const seen = negotiate(link);
    const range = seen[0]!.m.tlvs.fee_range!;
    // fee = feerate × weight / 1000, one weight W for all: min = W at 1000 sat/kw, max = 4 W.
    const w = range.min_fee_satoshis;
    expect(range.max_fee_satoshis).toBe(4n * w);
    // A plausible closing tx weight (two P2WPKH outputs, 2-of-2 witness).
    expect(w).toBeGreaterThan(600n);
    expect(w).toBeLessThan(800n);
    // The preferred fee stays at the commitment feerate (2500), inside the range.
    expect(seen[0]!.m.fee_satoshis).toBe((2500n * w) / 1000n);
    expect(link.a.ch.record.state).toBe('CLOSING_COMPLETE');
  });

  it('rejects a bad step or range, and keeps both in the record across a restart', () => {
    const link = openLink();
    expect(() => shutdown(link.a.ch, { fee_step: { unit: 'percent', value: 0 } })).toThrow(/fee_step/);
    expect(() => shutdown(link.a.ch, { fee_step: { unit: 'percent', value: 101 } })).toThrow(/fee_step/);
    expect(() => shutdown(link.a.ch, { fee_step: { unit: 'sat', value: 0n } })).toThrow(/fee_step/);
    expect(() => shutdown(link.a.ch, { feerate_range: { min_per_kw: 5000, max_per_kw: 1000 } })).toThrow(/feerate_range/);
    link.run(link.a, shutdown(link.a.ch, { fee_step: { unit: 'sat', value: 42n }, feerate_range: { min_per_kw: 300, max_per_kw: 9000 } }));
    link.a.crash();
    expect(link.a.ch.record.closing.fee_step).toEqual({ unit: 'sat', value: 42n });
    expect(link.a.ch.record.closing.feerate_range).toEqual({ min_per_kw: 300, max_per_kw: 9000 });
  });
});
