// Route hint selection and Core Lightning's capacity warnings.
import { describe, expect, it } from 'vitest';
import { chooseRouteHints, type RouteHintCandidate } from '../../../src/invoices/index.js';
import { scid } from '../../../src/types.js';
import { PEER2_ID, PEER_ALIAS, REAL_SCID, candidate, counterRandom } from './helpers.js';

const OTHER = scid((700001n << 40n) | 1n);
const pick = (cs: RouteHintCandidate[], amount: bigint | undefined, hints?: Parameters<typeof chooseRouteHints>[2]) =>
  chooseRouteHints(cs, amount, hints, counterRandom());
const scids = (r: ReturnType<typeof chooseRouteHints>) => r.routes.map((route) => route[0]!.short_channel_id);
const warnings = (r: ReturnType<typeof chooseRouteHints>) =>
  Object.entries(r)
    .filter(([k, v]) => k.startsWith('warning_') && v === true)
    .map(([k]) => k);

describe('which channels are hinted', () => {
  it('private channels only when we have no public channel at all', () => {
    expect(scids(pick([candidate()], 1000n))).toEqual([PEER_ALIAS]);
    const pub = candidate({ short_channel_id: OTHER, public: true, peer_id: PEER2_ID });
    expect(scids(pick([candidate(), pub], 1000n))).toEqual([OTHER]);
    // A public channel suppresses private hints even when it cannot be used itself.
    const unusablePub = candidate({ short_channel_id: OTHER, public: true, peer_connected: false });
    const r = pick([candidate(), unusablePub], 1000n);
    expect(scids(r)).toEqual([]);
    // The offline public channel alone would have sufficed; the private one is left unused.
    expect(warnings(r)).toEqual(['warning_offline']);
  });

  it('exposeprivatechannels=true treats private channels as public; false never hints them', () => {
    const pub = candidate({ short_channel_id: OTHER, public: true, receivable_msat: 10n });
    expect(scids(pick([candidate(), pub], 1000n, { expose_all_private: true }))).toEqual([PEER_ALIAS]);
    const r = pick([candidate()], 1000n, { expose_all_private: false });
    expect(scids(r)).toEqual([]);
    expect(warnings(r)).toEqual(['warning_private_unused']);
  });

  it('named channels (real scid or alias) are used even without capacity or as dead ends', () => {
    const c = candidate({ receivable_msat: 0n, peer_deadend: true });
    expect(scids(pick([c], 1000n, { expose_all_private: true, hints: [REAL_SCID] }))).toEqual([PEER_ALIAS]);
    expect(scids(pick([c], 1000n, { expose_all_private: true, hints: [PEER_ALIAS] }))).toEqual([PEER_ALIAS]);
    expect(pick([c], 1000n, { expose_all_private: true, hints: [OTHER] }).hints_gave_no_routes).toBe(true);
    // An empty list names nothing: no routes, but not error 902 either (Core Lightning).
    const empty = pick([c], 1000n, { expose_all_private: true, hints: [] });
    expect(empty.routes).toEqual([]);
    expect(empty.hints_gave_no_routes).toBe(false);
  });

  it('unusable channels are skipped entirely', () => {
    expect(scids(pick([candidate({ usable: false })], 1n))).toEqual([]);
  });

  it('htlc_maximum_msat caps a channel’s capacity', () => {
    const r = pick([candidate({ htlc_maximum_msat: 999n })], 1000n);
    expect(warnings(r)).toContain('warning_capacity');
  });
});

describe('warnings', () => {
  it('capacity: nothing could take the amount', () => {
    expect(warnings(pick([], 1n))).toEqual(['warning_capacity']);
    expect(warnings(pick([candidate({ receivable_msat: 999n })], 1000n))).toEqual(['warning_capacity']);
  });

  it('offline: enough only if offline peers came back', () => {
    const r = pick([candidate({ peer_connected: false })], 1000n);
    expect(scids(r)).toEqual([]);
    expect(warnings(r)).toEqual(['warning_offline']);
  });

  it('deadends: enough only through dead-end peers', () => {
    expect(warnings(pick([candidate({ peer_deadend: true })], 1000n))).toEqual(['warning_deadends']);
  });

  it('mpp: no single channel suffices, several together do (in the runtime’s order)', () => {
    const a = candidate({ receivable_msat: 600n });
    const b = candidate({ receivable_msat: 600n, short_channel_id: OTHER, peer_id: PEER2_ID });
    const r = pick([a, b], 1000n);
    expect(scids(r)).toEqual([PEER_ALIAS, OTHER]);
    expect(warnings(r)).toEqual(['warning_mpp']);
  });

  it('"any" invoices need 1 msat', () => {
    expect(scids(pick([candidate({ receivable_msat: 1n })], undefined))).toEqual([PEER_ALIAS]);
  });
});

describe('random weighted choice among sufficient public channels', () => {
  it('picks exactly one channel that can take the whole amount, and each can be picked', () => {
    const a = candidate({ public: true, receivable_msat: 500_000n, capacity_msat: 1_000_000n });
    const b = candidate({ public: true, receivable_msat: 500_000n, capacity_msat: 1_000_000n, short_channel_id: OTHER });
    const small = candidate({ public: true, receivable_msat: 10n, short_channel_id: scid(99n) });
    const seen = new Set<bigint>();
    for (let seed = 0; seed < 40; seed++) {
      const r = chooseRouteHints([small, a, b], 1000n, undefined, counterRandom(seed));
      expect(r.routes).toHaveLength(1);
      seen.add(r.routes[0]![0]!.short_channel_id);
    }
    expect([...seen].sort()).toEqual([PEER_ALIAS, OTHER].sort());
  });
});
