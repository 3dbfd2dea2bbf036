// HTLC sets (BOLT 4 "Basic Multi-Part Payments", Core Lightning's htlc_set.c) as an immutable value:
// the runtime keeps the current MppState in memory, feeds it accepted final-hop HTLCs and the
// clock, and acts on the outcome: fulfill every part together, fail parts, or wait with one timer
// (nextDeadline). After a restart it rebuilds the state by re-adding the still-pending incoming
// HTLCs with their original arrival times.
import type { HtlcFailure } from '../forwarding/failure.js';
import { htlcFailure } from '../forwarding/failure.js';
import { unknownPaymentDetails } from './final-hop.js';

/** BOLT 4: fail an incomplete set "after some reasonable timeout ... at least 60 seconds after the initial HTLC". */
export const MPP_TIMEOUT_MS = 60_000;

export interface MppPart {
  /** The runtime's identity of the incoming HTLC (e.g. channel and HTLC id). */
  readonly id: string;
  /** The HTLC's amount: what we actually receive. */
  readonly amount_msat: bigint;
  /** The onion's amount for this part: what counts toward total_msat (BOLT 4). */
  readonly amt_to_forward: bigint;
}

export interface HtlcSet {
  readonly payment_hash: string;
  readonly payment_secret: string | undefined;
  readonly total_msat: bigint;
  readonly first_at_ms: number;
  readonly parts: readonly MppPart[];
}

export type MppState = ReadonlyMap<string, HtlcSet>;

export const EMPTY_MPP_STATE: MppState = new Map();

export interface PartFailure {
  readonly id: string;
  readonly failure: HtlcFailure;
}

export type MppOutcome =
  | { readonly kind: 'pending'; readonly deadline_ms: number }
  | {
      readonly kind: 'complete';
      readonly payment_hash: string;
      readonly parts: readonly MppPart[];
      /** Sum of the HTLC amounts: the invoice's amount_received_msat. */
      readonly received_msat: bigint;
    }
  | { readonly kind: 'failed'; readonly failures: readonly PartFailure[] };

export interface AddPartInput {
  /** From checkFinalHop's accepted decision. */
  readonly payment_hash: string;
  readonly payment_secret: string | undefined;
  readonly total_msat: bigint;
  readonly part: MppPart;
  readonly block_height: number;
  readonly now_ms: number;
}

/** Sets are keyed by (payment_hash, payment_secret). */
export function setKey(paymentHash: string, paymentSecret: string | undefined): string {
  return `${paymentHash}/${paymentSecret ?? ''}`;
}

function sumBy(parts: readonly MppPart[], f: (p: MppPart) => bigint): bigint {
  return parts.reduce((s, p) => s + f(p), 0n);
}

function without(state: MppState, key: string): MppState {
  const next = new Map(state);
  next.delete(key);
  return next;
}

function failAll(parts: readonly MppPart[], failure: (p: MppPart) => HtlcFailure): MppOutcome {
  return { kind: 'failed', failures: parts.map((p) => ({ id: p.id, failure: failure(p) })) };
}

export function addPart(state: MppState, i: AddPartInput): { state: MppState; outcome: MppOutcome } {
  const key = setKey(i.payment_hash, i.payment_secret);
  const existing = state.get(key);
  const unknown = (p: MppPart): HtlcFailure => unknownPaymentDetails(p.amount_msat, i.block_height);

  if (existing !== undefined) {
    // The same HTLC again (replay after a restart): nothing changes.
    if (existing.parts.some((p) => p.id === i.part.id)) {
      return { state, outcome: { kind: 'pending', deadline_ms: existing.first_at_ms + MPP_TIMEOUT_MS } };
    }
    // "MUST require payment_secret for all HTLCs in the set": refuse this part at once.
    if (i.payment_secret === undefined) return { state, outcome: failAll([i.part], unknown) };
  }
  const set: HtlcSet = existing ?? { payment_hash: i.payment_hash, payment_secret: i.payment_secret, total_msat: i.total_msat, first_at_ms: i.now_ms, parts: [] };
  const parts = [...set.parts, i.part];

  // "SHOULD fail the entire HTLC set if total_msat is not the same for all HTLCs in the set."
  // Core Lightning uses final_incorrect_htlc_amount; each part reports its own HTLC amount.
  if (i.total_msat !== set.total_msat) {
    return { state: without(state, key), outcome: failAll(parts, (p) => htlcFailure('final_incorrect_htlc_amount', { incoming_htlc_amt: p.amount_msat })) };
  }
  // "if the total amt_to_forward of this HTLC set is equal to or greater than total_msat: SHOULD
  // fulfill all HTLCs in the HTLC set". A single-part payment (total == amount) completes here.
  if (sumBy(parts, (p) => p.amt_to_forward) >= set.total_msat) {
    return {
      state: without(state, key),
      outcome: { kind: 'complete', payment_hash: set.payment_hash, parts, received_msat: sumBy(parts, (p) => p.amount_msat) },
    };
  }
  // An incomplete set without a secret cannot be collected: fail it now (Core Lightning).
  if (i.payment_secret === undefined) return { state: without(state, key), outcome: failAll(parts, unknown) };
  const next = new Map(state);
  next.set(key, { ...set, parts });
  return { state: next, outcome: { kind: 'pending', deadline_ms: set.first_at_ms + MPP_TIMEOUT_MS } };
}

/** Fails every set still incomplete MPP_TIMEOUT_MS after its first part with mpp_timeout. */
export function expireSets(state: MppState, nowMs: number): { state: MppState; failures: PartFailure[] } {
  const next = new Map(state);
  const failures: PartFailure[] = [];
  for (const [key, set] of state) {
    if (set.first_at_ms + MPP_TIMEOUT_MS > nowMs) continue;
    next.delete(key);
    // "SHOULD use mpp_timeout for the failure message."
    for (const p of set.parts) failures.push({ id: p.id, failure: htlcFailure('mpp_timeout') });
  }
  return { state: next, failures };
}

/** When the runtime's one MPP timer should fire next (ms since the epoch), if any set is waiting. */
export function nextDeadline(state: MppState): number | undefined {
  let next: number | undefined;
  for (const set of state.values()) {
    const d = set.first_at_ms + MPP_TIMEOUT_MS;
    if (next === undefined || d < next) next = d;
  }
  return next;
}

/**
 * A part vanished before the set completed (its channel failed it, e.g. on-chain timeout): like
 * Core Lightning, fail the rest of the set with mpp_timeout, "kind of the correct failure code".
 */
export function removePart(state: MppState, id: string): { state: MppState; failures: PartFailure[] } {
  for (const [key, set] of state) {
    if (!set.parts.some((p) => p.id === id)) continue;
    const rest = set.parts.filter((p) => p.id !== id).map((p) => ({ id: p.id, failure: htlcFailure('mpp_timeout') }));
    return { state: without(state, key), failures: rest };
  }
  return { state, failures: [] };
}

/** Failures for a completed set that could not be paid after all (invoice paid or expired meanwhile). */
export function failParts(parts: readonly MppPart[], blockHeight: number): PartFailure[] {
  return parts.map((p) => ({ id: p.id, failure: unknownPaymentDetails(p.amount_msat, blockHeight) }));
}
