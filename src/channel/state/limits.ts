// BOLT 2 limits on adding HTLCs and changing the feerate, checked the same way for both directions:
// the HTLC is placed on the *recipient's* next commitment (where a sender's updates land first)
// with every update proposed so far, and the sender must stay within the recipient's announced
// limits and keep its reserve plus, if it is the funder, the commitment fee (and anchors).
// Refusals carry Core Lightning's channeld reason strings and the BOLT 4 failure code.
import type { Msat, Sat } from '../../types.js';
import { ANCHOR_OUTPUT_SAT, channelTypeRules } from '../channel-type.js';
import { commitmentFee, htlcTxFee, isHtlcTrimmed } from '../fees.js';
import type { HtlcDirection } from '../fees.js';
import type { ChannelView, CommitmentContents } from './commitments.js';
import { commitmentContents, funderSide, nextCtn, otherSide } from './commitments.js';
import type { ChannelParams, ChannelRecord, Side } from './types.js';

/** BOLT 4 failure codes used by local refusals. */
export const FAILURE = {
  temporary_channel_failure: 0x1007,
  amount_below_minimum: 0x100b,
  incorrect_cltv_expiry: 0x100d,
} as const;

export const MAX_CLTV_EXPIRY = 500_000_000;

export type LimitKind = 'cltv' | 'minimum' | 'count' | 'in_flight' | 'capacity' | 'dust';

export interface LimitViolation {
  readonly kind: LimitKind;
  readonly failure_code: number;
  /** Core Lightning's channeld reason string. */
  readonly reason: string;
}

function violation(kind: LimitKind, failure_code: number, reason: string): LimitViolation {
  return { kind, failure_code, reason };
}

/** The limits the `side` announced (that the other side must respect). */
export function paramsOf(r: ChannelRecord, side: Side): ChannelParams {
  if (side === 'local') return r.local_params;
  if (!r.remote_params) throw new Error('remote params missing on a funded channel');
  return r.remote_params;
}

function dustLimitOf(r: ChannelRecord, side: Side): Sat {
  return paramsOf(r, side).dust_limit_satoshis as Sat;
}

/** The feerate HTLCs are trimmed at for dust exposure: a 10% buffer so a fee rise does not surprise us. */
export function dustBufferFeerate(feerate: number): number {
  return feerate + Math.ceil(feerate / 10);
}

function direction(holder: Side, offerer: Side): HtlcDirection {
  return holder === offerer ? 'offered' : 'received';
}

function untrimmedCount(r: ChannelRecord, holder: Side, c: CommitmentContents, feerate: number): number {
  let n = 0;
  for (const h of c.htlcs) if (!isHtlcTrimmed(r.channel_type, direction(holder, h.offerer), h.amount_msat, feerate, dustLimitOf(r, holder))) n++;
  return n;
}

function dustExposure(r: ChannelRecord, holder: Side, c: CommitmentContents): bigint {
  const feerate = dustBufferFeerate(c.feerate_per_kw);
  let sum = 0n;
  for (const h of c.htlcs) if (isHtlcTrimmed(r.channel_type, direction(holder, h.offerer), h.amount_msat, feerate, dustLimitOf(r, holder))) sum += h.amount_msat;
  return sum;
}

function anchorsMsat(r: ChannelRecord): bigint {
  return channelTypeRules(r.channel_type).anchors ? 2n * ANCHOR_OUTPUT_SAT * 1000n : 0n;
}

/** The commitment (side, next) with every proposed update, plus one candidate HTLC. */
function withCandidate(v: ChannelView, holder: Side, offerer: Side, amount: bigint, cltv: number): CommitmentContents {
  const c = commitmentContents(v, holder, nextCtn(v.record, holder), true);
  const htlc = { id: -1n, offerer, amount_msat: amount as Msat, payment_hash: new Uint8Array(32), cltv_expiry: cltv };
  return {
    ...c,
    local_msat: (offerer === 'local' ? c.local_msat - amount : c.local_msat) as Msat,
    remote_msat: (offerer === 'remote' ? c.remote_msat - amount : c.remote_msat) as Msat,
    htlcs: [...c.htlcs, htlc],
  };
}

function balanceOf(c: CommitmentContents, side: Side): bigint {
  return side === 'local' ? c.local_msat : c.remote_msat;
}

/** Commitment fee (sat) of `holder`'s commitment `c` at `feerate`. */
function feeOf(r: ChannelRecord, holder: Side, c: CommitmentContents, feerate: number): Sat {
  return commitmentFee(r.channel_type, feerate, untrimmedCount(r, holder, c, feerate));
}

/**
 * Checks an HTLC `offerer` wants to add. For our own adds (offerer local) this also keeps the
 * funder's fee buffer (fees doubling, one more HTLC) and our dust-exposure cap; for the peer's the
 * dust check is separate (`exceedsDustExposure`), because BOLT 2 fails such an HTLC instead of the channel.
 */
export function checkAdd(v: ChannelView, offerer: Side, amount: bigint, cltv: number): LimitViolation | null {
  const r = v.record;
  const recipient = otherSide(offerer);
  const limits = paramsOf(r, recipient);
  if (!Number.isInteger(cltv) || cltv < 0 || cltv >= MAX_CLTV_EXPIRY) {
    return violation('cltv', FAILURE.incorrect_cltv_expiry, `Invalid cltv_expiry ${cltv}`);
  }
  if (amount <= 0n || amount < limits.htlc_minimum_msat) {
    return violation('minimum', FAILURE.amount_below_minimum, `HTLC too small (${limits.htlc_minimum_msat}msat minimum)`);
  }
  const theirs = withCandidate(v, recipient, offerer, amount, cltv);
  const offered = theirs.htlcs.filter((h) => h.offerer === offerer);
  if (offered.length > limits.max_accepted_htlcs) return violation('count', FAILURE.temporary_channel_failure, 'Too many HTLCs');
  const inFlight = offered.reduce((s, h) => s + h.amount_msat, 0n);
  if (inFlight > limits.max_htlc_value_in_flight_msat) return violation('in_flight', FAILURE.temporary_channel_failure, 'Maximum value exceeded');

  // Reserve: the sender keeps what the recipient asked it to keep.
  const funder = funderSide(r);
  const reserve = limits.channel_reserve_satoshis * 1000n;
  let remainder = balanceOf(theirs, offerer) - reserve;
  let fee = feeOf(r, recipient, theirs, theirs.feerate_per_kw);
  const capacity = (f: Sat): LimitViolation => violation('capacity', FAILURE.temporary_channel_failure, `Capacity exceeded - HTLC fee: ${f}sat`);
  if (remainder < 0n) return capacity(fee);
  if (funder === offerer) {
    remainder -= anchorsMsat(r);
    if (remainder < BigInt(fee) * 1000n) return capacity(fee);
  }
  if (offerer === 'local') {
    const ours = withCandidate(v, offerer, offerer, amount, cltv);
    const funderLimits = paramsOf(r, otherSide(funder));
    const funderRoom = (c: CommitmentContents): bigint => balanceOf(c, funder) - funderLimits.channel_reserve_satoshis * 1000n - anchorsMsat(r);
    const feeOurs = feeOf(r, offerer, ours, ours.feerate_per_kw);
    if (feeOurs > fee) fee = feeOurs;
    // Whoever pays, the funder must still afford both commitments with this HTLC on them.
    if (funderRoom(theirs) < BigInt(fee) * 1000n || funderRoom(ours) < BigInt(fee) * 1000n) return capacity(fee);
    if (funder === 'local') {
      // Fee spike buffer (BOLT 2): the funder keeps room for fees doubling with one more HTLC.
      const spike = commitmentFee(r.channel_type, 2 * ours.feerate_per_kw, untrimmedCount(r, 'local', ours, ours.feerate_per_kw) + 1);
      if (funderRoom(ours) < BigInt(spike) * 1000n) return capacity(fee);
    }
    const max = r.policy.max_dust_exposure_msat;
    if (dustExposure(r, recipient, theirs) > max || dustExposure(r, offerer, ours) > max) {
      return violation('dust', FAILURE.temporary_channel_failure, 'HTLC too dusty, allowed dust limit reached');
    }
  }
  return null;
}

/** Whether the peer's HTLC pushes our dust exposure (either commitment) over our cap. */
export function exceedsDustExposure(v: ChannelView, amount: bigint, cltv: number): boolean {
  const r = v.record;
  const max = r.policy.max_dust_exposure_msat;
  return dustExposure(r, 'local', withCandidate(v, 'local', 'remote', amount, cltv)) > max ||
    dustExposure(r, 'remote', withCandidate(v, 'remote', 'remote', amount, cltv)) > max;
}

/**
 * Whether the funder can pay `feerate` on `holder`'s next commitment (all proposed updates
 * included). `withReserve`: also keep the reserve (our own update_fee); the peer's is checked
 * without it so that a legitimate fee rise on a young channel is not treated as a violation.
 */
export function canAffordFeerate(v: ChannelView, holder: Side, feerate: number, withReserve: boolean): boolean {
  const r = v.record;
  const c = commitmentContents(v, holder, nextCtn(r, holder), true);
  const funder = funderSide(r);
  const reserve = withReserve ? paramsOf(r, otherSide(funder)).channel_reserve_satoshis * 1000n : 0n;
  const fee = BigInt(feeOf(r, holder, c, feerate)) * 1000n;
  return balanceOf(c, funder) - reserve - anchorsMsat(r) >= fee;
}

/**
 * Whether our dust exposure stays under our cap on both next commitments if the feerate became
 * `feerate` (BOLT 2: a fee rise trims more HTLCs, which then count as dust).
 */
export function dustExposureAllowsFeerate(v: ChannelView, feerate: number): boolean {
  const r = v.record;
  for (const holder of ['local', 'remote'] as const) {
    const c = commitmentContents(v, holder, nextCtn(r, holder), true);
    if (dustExposure(r, holder, { ...c, feerate_per_kw: feerate }) > r.policy.max_dust_exposure_msat) return false;
  }
  return true;
}

/** Amounts (msat) where trimming, at the real or the dust-buffer feerate, flips on either commitment. */
function trimThresholds(v: ChannelView, offerer: Side): bigint[] {
  const r = v.record;
  const out = new Set<bigint>();
  for (const holder of ['local', 'remote'] as const) {
    const feerate = commitmentContents(v, holder, nextCtn(r, holder), true).feerate_per_kw;
    for (const f of [feerate, dustBufferFeerate(feerate)]) {
      // An HTLC is trimmed below dust limit + its second-stage fee (whole satoshis).
      out.add((dustLimitOf(r, holder) + htlcTxFee(r.channel_type, direction(holder, offerer), f)) * 1000n);
    }
  }
  return [...out].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

/**
 * The largest HTLC `offerer` could add right now (0 if none): our spendable amount for `local`,
 * what the peer could send us for `remote`. Checks are monotonic between trimming thresholds, so
 * a binary search per interval finds the exact maximum.
 */
export function maxAddable(v: ChannelView, offerer: Side): bigint {
  const r = v.record;
  if (!r.remote_params) return 0n;
  const start = c0(v, offerer);
  if (start <= 0n) return 0n;
  const edges = [1n, ...trimThresholds(v, offerer).filter((t) => t > 1n && t <= start), start + 1n];
  let best = 0n;
  for (let i = 0; i + 1 < edges.length; i++) {
    let lo = edges[i]!;
    let hi = edges[i + 1]! - 1n;
    if (lo > hi) continue;
    if (checkAdd(v, offerer, lo, 0) !== null) continue;
    while (lo < hi) {
      const mid = (lo + hi + 1n) / 2n;
      if (checkAdd(v, offerer, mid, 0) === null) lo = mid;
      else hi = mid - 1n;
    }
    if (lo > best) best = lo;
  }
  return best;
}

/** Upper bound for maxAddable: the offerer's balance on the recipient's next commitment. */
function c0(v: ChannelView, offerer: Side): bigint {
  const c = commitmentContents(v, otherSide(offerer), nextCtn(v.record, otherSide(offerer)), true);
  return balanceOf(c, offerer);
}

