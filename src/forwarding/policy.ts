// Our forwarding policy for one channel (what our channel_update advertises and what checkForward
// enforces) and the BOLT 7 fee formula. Defaults are Core Lightning's: fee-base 1000 msat,
// fee-per-satoshi 10 ppm, cltv-delta 34, htlc-minimum-msat 0 (the effective minimum is raised to
// the peer's own htlc_minimum_msat, see effectiveMinimum).

/** The parameters a channel_update carries for one direction of a channel. */
export interface RelayPolicy {
  readonly fee_base_msat: number;
  readonly fee_proportional_millionths: number;
  readonly cltv_expiry_delta: number;
  readonly htlc_minimum_msat: bigint;
  readonly htlc_maximum_msat: bigint;
}

/**
 * Our policy for a channel. `previous` is the policy we advertised before the last change: BOLT 7
 * says a node changing its parameters "SHOULD keep accepting the previous channel parameters for
 * 10 minutes", which Core Lightning does for fees and htlc limits (not for cltv_expiry_delta).
 */
export interface ChannelPolicy extends RelayPolicy {
  readonly previous?: RelayPolicy & {
    /** Unix seconds until which the previous fees/limits are still honoured. */
    readonly valid_until: number;
  };
}

/** BOLT 7's recommendation for how long old parameters stay acceptable after a change. */
export const POLICY_GRACE_SECONDS = 600;

/** Core Lightning's `max-locktime-blocks` default: refuse outgoing CLTVs further away than this. */
export const DEFAULT_MAX_LOCKTIME_BLOCKS = 2016;

/** Core Lightning's defaults. htlc_maximum_msat must be capped by the runtime to the channel. */
export const DEFAULT_POLICY: RelayPolicy = {
  fee_base_msat: 1000,
  fee_proportional_millionths: 10,
  cltv_expiry_delta: 34,
  htlc_minimum_msat: 0n,
  htlc_maximum_msat: 0xffffffffffffffffn,
};

/** BOLT 7 "HTLC Fees": fee_base_msat + amount_to_forward * fee_proportional_millionths / 1000000 (floor). */
export function forwardFee(p: Pick<RelayPolicy, 'fee_base_msat' | 'fee_proportional_millionths'>, amtToForward: bigint): bigint {
  return BigInt(p.fee_base_msat) + (amtToForward * BigInt(p.fee_proportional_millionths)) / 1_000_000n;
}

/** True when `incoming` pays at least the policy's fee on top of `amtToForward`. */
export function paysFee(p: Pick<RelayPolicy, 'fee_base_msat' | 'fee_proportional_millionths'>, incoming: bigint, amtToForward: bigint): boolean {
  return incoming - forwardFee(p, amtToForward) >= amtToForward;
}

/**
 * The minimum we can actually forward: our advertised minimum, but never below the minimum the
 * peer accepts (BOLT 7: htlc_minimum_msat is "the minimum HTLC value that the channel peer will
 * accept"), so the channel_update we return tells the sender the limit that really applies.
 */
export function effectiveMinimum(policy: RelayPolicy, peerHtlcMinimum: bigint): bigint {
  return policy.htlc_minimum_msat > peerHtlcMinimum ? policy.htlc_minimum_msat : peerHtlcMinimum;
}

/** The previous policy if it is still inside its grace period at `now` (unix seconds). */
export function gracePolicy(policy: ChannelPolicy, now: number): RelayPolicy | undefined {
  return policy.previous !== undefined && now < policy.previous.valid_until ? policy.previous : undefined;
}
