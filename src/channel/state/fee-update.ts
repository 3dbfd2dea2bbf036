// When the funder should send update_fee, and with which feerate (BOLT 2 "Updating Fees"). The
// runtime asks the chain source for an estimate (at `feeEstimateTarget`'s block target) whenever
// it may have moved: a new block, a reconnection, a changed estimate. Pure: it only reads the
// channel; the runtime then calls updateFee + commit.
//
// Rules: only the funder, only in NORMAL with the peer connected and no shutdown in sight (BOLT 2:
// no update_fee once shutdown is sent or received), one update in flight at a time, within our
// own feerate policy (which is also what we accept from peers), affordable on both commitments
// while keeping the reserve, and within our dust-exposure cap. To avoid a stream of updates for
// every wobble of the estimate, a rise needs `raise_ratio` and a cut `lower_ratio` of the current
// feerate (hysteresis: an estimate oscillating between the two thresholds changes nothing).
import type { ChannelView } from './commitments.js';
import { canAffordFeerate, dustExposureAllowsFeerate } from './limits.js';
import type { Channel } from './types.js';

/** BOLT 2 floor, and the relay floor bitcoind applies (1 sat/vbyte). */
export const FEERATE_FLOOR_PER_KW = 253;

export interface FeeUpdateRules {
  /** Raise once the target is at least this factor above the current feerate. */
  readonly raise_ratio: number;
  /** Lower once the target is at most this factor of the current feerate. */
  readonly lower_ratio: number;
}

export const DEFAULT_FEE_UPDATE_RULES: FeeUpdateRules = { raise_ratio: 1.1, lower_ratio: 0.8 };

export interface FeeEstimateTarget {
  /** Confirmation target (blocks) to ask the chain source for. */
  readonly blocks: number;
  /** Never go below this (sat/kw). */
  readonly floor_per_kw: number;
}

/**
 * Without anchors the commitment must confirm on its own fee: a short target (6 blocks, as Core
 * Lightning). With anchors it can be bumped by CPFP, so a slow target (100 blocks) will do, but
 * it must still enter mempools: at least 1250 sat/kw (5 sat/vbyte), as Core Lightning does.
 */
export function feeEstimateTarget(ch: ChannelView): FeeEstimateTarget {
  return ch.record.channel_type === 'anchors_zero_fee_htlc_tx' ? { blocks: 100, floor_per_kw: 1250 } : { blocks: 6, floor_per_kw: FEERATE_FLOOR_PER_KW };
}

/** Whether the channel is in a state where we, the funder, may propose a feerate now. */
export function canProposeFee(ch: Channel): boolean {
  const r = ch.record;
  const c = r.closing;
  return r.funder && r.state === 'NORMAL' && ch.connection === 'active' && !c.shutdown_requested && !c.shutdown_sent && !c.shutdown_received && r.fee_updates.length === 0;
}

function acceptable(ch: ChannelView, feerate: number): boolean {
  return canAffordFeerate(ch, 'local', feerate, true) && canAffordFeerate(ch, 'remote', feerate, true) && dustExposureAllowsFeerate(ch, feerate);
}

/** The highest feerate in (current, target] we can pay, or null. */
function highestAcceptable(ch: ChannelView, current: number, target: number): number | null {
  if (acceptable(ch, target)) return target;
  let lo = current;
  let hi = target;
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (acceptable(ch, mid)) lo = mid;
    else hi = mid;
  }
  return lo > current && acceptable(ch, lo) ? lo : null;
}

/**
 * The feerate to send in update_fee given the chain's estimate (sat/kw), or null when no update
 * is due. The current feerate is the base one: nothing else is in flight when we may propose.
 */
export function feeUpdateFor(ch: Channel, estimatePerKw: number, rules: FeeUpdateRules = DEFAULT_FEE_UPDATE_RULES): number | null {
  if (!canProposeFee(ch) || !Number.isFinite(estimatePerKw)) return null;
  const r = ch.record;
  const current = r.base_feerate_per_kw;
  const { floor_per_kw } = feeEstimateTarget(ch);
  const min = Math.max(FEERATE_FLOOR_PER_KW, r.policy.min_feerate_per_kw);
  const max = r.policy.max_feerate_per_kw;
  const target = Math.min(max, Math.max(min, floor_per_kw, Math.round(estimatePerKw)));
  if (target > current) {
    if (target < current * rules.raise_ratio) return null;
    const pick = highestAcceptable(ch, current, target);
    // Capped by what the funder can pay: still only worth a message past the threshold.
    return pick !== null && pick >= current * rules.raise_ratio ? pick : null;
  }
  if (target < current && target <= current * rules.lower_ratio) return acceptable(ch, target) ? target : null;
  return null;
}
