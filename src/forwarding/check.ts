// The forwarder's decision for one incoming HTLC whose onion says "forward" (BOLT 4 "Accepting
// and Forwarding a Payment" and its failure-message requirements). Pure: the runtime describes the
// outgoing channel as it sees it; we answer with the HTLC to offer or the failure to return.
//
// Order of checks: Core Lightning's forward_htlc() and send_htlc_out(), which BOLT 4 leaves to the
// implementation ("if there is more than one error: SHOULD select the first error it encounters"):
//   1. no such channel                              → unknown_next_peer
//   2. channel not usable (lock-in / shutdown)      → unknown_next_peer / permanent_channel_failure
//   3. fee too low                                  → fee_insufficient
//   4. amount outside [htlc_minimum, htlc_maximum]  → amount_below_minimum / temporary_channel_failure
//   5. cltv_expiry - outgoing_cltv_value < delta    → incorrect_cltv_expiry
//   6. outgoing_cltv_value not after the tip        → expiry_too_soon
//   7. outgoing_cltv_value beyond max locktime      → expiry_too_far
//   8. channel disabled / peer offline / no balance → channel_disabled / temporary_channel_failure
// Where we answer differently from Core Lightning the BOLT text decides, see each check.
import type { FailureFields } from '../onion/index.js';
import type { Scid } from '../types.js';
import type { Network } from '../wire/index.js';
import { buildChannelUpdate } from './channel-update.js';
import { htlcFailure, type HtlcFailure } from './failure.js';
import { DEFAULT_MAX_LOCKTIME_BLOCKS, effectiveMinimum, gracePolicy, paysFee, type ChannelPolicy, type RelayPolicy } from './policy.js';

/** The outgoing channel's lifecycle, reduced to what forwarding cares about. */
export type OutgoingState = 'awaiting_lockin' | 'normal' | 'shutting_down' | 'closed';

export type OutgoingChannel =
  | { readonly found: false }
  | {
      readonly found: true;
      readonly state: OutgoingState;
      /** False once we have disabled the channel (our channel_update has the disable bit). */
      readonly enabled: boolean;
      readonly peer_connected: boolean;
      /** What we can still send on it (balance above reserve, fees and in-flight accounted). */
      readonly spendable_msat: bigint;
      /** The peer's own htlc_minimum_msat from open/accept_channel. */
      readonly peer_htlc_minimum_msat: bigint;
      /**
       * The channel's own ceiling for one HTLC (capacity, the peer's max_htlc_value_in_flight_msat);
       * BOLT 7 requires our advertised htlc_maximum_msat not to exceed it.
       */
      readonly channel_max_htlc_msat?: bigint;
      readonly policy: ChannelPolicy;
      /** How we name the channel (real scid, else our local alias): forward records use it. */
      readonly short_channel_id: Scid;
      readonly peer_node_id: string;
      readonly announced: boolean;
      /** Timestamp of the channel_update we last sent for this state; defaults to `now`. */
      readonly update_timestamp?: number;
    };

export interface IncomingHtlc {
  readonly amount_msat: bigint;
  readonly cltv_expiry: number;
}

/** The fields of a peeled forward payload that matter here. */
export interface ForwardPayload {
  readonly amt_to_forward: bigint;
  readonly outgoing_cltv_value: number;
  readonly short_channel_id: Scid;
}

export interface ForwardContext {
  readonly block_height: number;
  /** Unix seconds: the policy grace period and the default channel_update timestamp. */
  readonly now: number;
  readonly network: Network;
  /** Signs the channel_update embedded in UPDATE-flagged failures. */
  readonly node_secret: Uint8Array;
  readonly max_locktime_blocks?: number;
}

export type ForwardDecision =
  | {
      readonly ok: true;
      /** The channel to offer on (its scid or local alias), amount and expiry of the outgoing HTLC. */
      readonly out_channel: Scid;
      readonly amount_msat: bigint;
      readonly cltv_expiry: number;
      readonly fee_msat: bigint;
    }
  | {
      readonly ok: false;
      readonly failure: HtlcFailure;
      /** For logs only. */
      readonly reason: string;
      /** For the local_failed forward record: the channel we resolved, else the one asked for. */
      readonly out_channel: Scid;
    };

type Found = Extract<OutgoingChannel, { found: true }>;

export function checkForward(htlc: IncomingHtlc, payload: ForwardPayload, channel: OutgoingChannel, ctx: ForwardContext): ForwardDecision {
  if (!channel.found) {
    // BOLT 4: "if the receiving peer specified by the onion is NOT known: return an unknown_next_peer error."
    return refuse(htlcFailure('unknown_next_peer'), `no channel ${payload.short_channel_id}`, payload.short_channel_id);
  }
  const out = channel.short_channel_id;
  const fail = (name: Parameters<typeof htlcFailure>[0], reason: string, fields?: FailureFields): ForwardDecision =>
    refuse(htlcFailure(name, fields), reason, out);
  // UPDATE-flagged failures carry our channel_update, named by the scid the onion used (BOLT 4:
  // "if it returns a channel_update: MUST set short_channel_id to the short_channel_id used by the
  // incoming onion"), so an alias is never swapped for the real scid or the other way round.
  const update = (): Uint8Array => channelUpdateFor(channel, payload.short_channel_id, ctx);

  const state = checkState(channel);
  if (state !== undefined) return fail(state.name, state.reason);

  const policy = channel.policy;
  const grace = gracePolicy(policy, ctx.now);
  const { amt_to_forward: amt, outgoing_cltv_value: outCltv } = payload;

  // BOLT 4: "incoming amount_msat - fee < amt_to_forward" fails; fee_insufficient reports "the
  // amount of the incoming HTLC". Core Lightning also honours the previous fees during the grace.
  if (!paysFee(policy, htlc.amount_msat, amt) && !(grace !== undefined && paysFee(grace, htlc.amount_msat, amt))) {
    return fail('fee_insufficient', `fee: ${htlc.amount_msat}msat in, ${amt}msat out`, { htlc_msat: htlc.amount_msat, channel_update: update() });
  }

  const range = checkRange(amt, capped(policy, channel), grace === undefined ? undefined : capped(grace, channel), channel.peer_htlc_minimum_msat);
  if (range === 'below') {
    // BOLT 4 names amount_below_minimum with "the amount of the outgoing HTLC" (Core Lightning
    // answers temporary_channel_failure for both ends of the range; we follow the BOLT here).
    return fail('amount_below_minimum', `${amt}msat below minimum`, { htlc_msat: amt, channel_update: update() });
  }
  if (range === 'above') {
    // No BOLT code names the maximum; Core Lightning's temporary_channel_failure it is.
    return fail('temporary_channel_failure', `${amt}msat above htlc_maximum_msat`, { channel_update: update() });
  }

  // BOLT 4: fail if "cltv_expiry - cltv_expiry_delta < outgoing_cltv_value". The field is the
  // incoming HTLC's cltv_expiry, as Core Lightning and LDK report it.
  const delta = policy.cltv_expiry_delta;
  if (!(delta < htlc.cltv_expiry && htlc.cltv_expiry - delta >= outCltv)) {
    return fail('incorrect_cltv_expiry', `cltv ${htlc.cltv_expiry} in, ${outCltv} out, delta ${delta}`, { cltv_expiry: htlc.cltv_expiry, channel_update: update() });
  }
  // "if the cltv_expiry is unreasonably near the present": like Core Lightning, never offer an
  // HTLC that has already expired (outgoing_cltv_value at or below the tip).
  if (ctx.block_height >= outCltv) {
    return fail('expiry_too_soon', `outgoing cltv ${outCltv} at height ${ctx.block_height}`, { channel_update: update() });
  }
  const maxLocktime = ctx.max_locktime_blocks ?? DEFAULT_MAX_LOCKTIME_BLOCKS;
  if (ctx.block_height + maxLocktime < outCltv) {
    return fail('expiry_too_far', `outgoing cltv ${outCltv} beyond ${ctx.block_height}+${maxLocktime}`);
  }

  // Availability last, as Core Lightning's send_htlc_out does after the policy checks.
  if (!channel.enabled) {
    // BOLT 4: "if the channel is disabled: report the current channel setting ... channel_disabled";
    // no disabled_flags are defined, so they are two zero bytes.
    return fail('channel_disabled', 'channel disabled', { disabled_flags: 0, channel_update: update() });
  }
  if (!channel.peer_connected) return fail('temporary_channel_failure', 'peer not connected', { channel_update: update() });
  if (channel.spendable_msat < amt) {
    return fail('temporary_channel_failure', `${amt}msat exceeds spendable ${channel.spendable_msat}msat`, { channel_update: update() });
  }
  return { ok: true, out_channel: out, amount_msat: amt, cltv_expiry: outCltv, fee_msat: htlc.amount_msat - amt };
}

/** The policy with htlc_maximum_msat lowered to the channel's own limit. */
function capped(p: RelayPolicy, c: Found): RelayPolicy {
  const limit = c.channel_max_htlc_msat;
  return limit !== undefined && limit < p.htlc_maximum_msat ? { ...p, htlc_maximum_msat: limit } : p;
}

function refuse(failure: HtlcFailure, reason: string, out: Scid): ForwardDecision {
  return { ok: false, failure, reason, out_channel: out };
}

function checkState(c: Found): { name: 'unknown_next_peer' | 'permanent_channel_failure'; reason: string } | undefined {
  switch (c.state) {
    case 'normal':
      return undefined;
    case 'awaiting_lockin':
      // Not usable yet: Core Lightning answers unknown_next_peer for any channel that cannot add HTLCs.
      return { name: 'unknown_next_peer', reason: 'channel not locked in' };
    case 'shutting_down':
    case 'closed':
      // BOLT 4: "permanent error ... during forwarding to its receiving peer (e.g. channel recently
      // closed)": permanent_channel_failure, so the sender stops trying this channel.
      return { name: 'permanent_channel_failure', reason: `channel ${c.state}` };
  }
}

/** Whether `amt` fits the current range, or the previous range while its grace period lasts. */
function checkRange(amt: bigint, policy: RelayPolicy, grace: RelayPolicy | undefined, peerMin: bigint): 'ok' | 'below' | 'above' {
  const fits = (p: RelayPolicy): 'ok' | 'below' | 'above' =>
    amt < effectiveMinimum(p, peerMin) ? 'below' : amt > p.htlc_maximum_msat ? 'above' : 'ok';
  const now = fits(policy);
  if (now === 'ok' || grace === undefined) return now;
  return fits(grace) === 'ok' ? 'ok' : now;
}

/** Our current channel_update for the channel, under the scid the sender used. */
export function channelUpdateFor(c: Found, scidAsAsked: Scid, ctx: Pick<ForwardContext, 'now' | 'network' | 'node_secret'>): Uint8Array {
  const p = capped(c.policy, c);
  const min = effectiveMinimum(p, c.peer_htlc_minimum_msat);
  // A peer minimum above our maximum makes the channel useless, but the update must stay valid
  // (BOLT 7: htlc_maximum_msat >= htlc_minimum_msat).
  const max = p.htlc_maximum_msat < min ? min : p.htlc_maximum_msat;
  return buildChannelUpdate(
    {
      network: ctx.network,
      short_channel_id: scidAsAsked,
      timestamp: c.update_timestamp ?? ctx.now,
      peer_node_id: c.peer_node_id,
      disabled: !c.enabled || !c.peer_connected || c.state !== 'normal',
      announced: c.announced,
      policy: {
        fee_base_msat: p.fee_base_msat,
        fee_proportional_millionths: p.fee_proportional_millionths,
        cltv_expiry_delta: p.cltv_expiry_delta,
        htlc_minimum_msat: min,
        htlc_maximum_msat: max,
      },
    },
    ctx.node_secret,
  ).bytes;
}
