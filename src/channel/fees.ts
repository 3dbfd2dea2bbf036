// BOLT 3 fee arithmetic and dust trimming. Fees use the spec's *expected* weights rather than the
// real size of the transaction, so both peers compute the same numbers without building it.
import type { Msat, Sat } from '../types.js';
import { msatToSat } from '../types.js';
import type { ChannelType } from './channel-type.js';
import { channelTypeRules } from './channel-type.js';
import { ChannelError } from './errors.js';

export type HtlcDirection = 'offered' | 'received';

function checkFeerate(feeratePerKw: number): void {
  if (!Number.isInteger(feeratePerKw) || feeratePerKw < 0 || feeratePerKw > 0xffffffff) {
    throw new ChannelError('BAD_SPEC', 'feerate_per_kw must be a u32');
  }
}

/** feerate × weight / 1000, rounded down. */
export function feeForWeight(feeratePerKw: number, weight: number): Sat {
  checkFeerate(feeratePerKw);
  return ((BigInt(feeratePerKw) * BigInt(weight)) / 1000n) as Sat;
}

export function commitmentWeight(type: ChannelType, untrimmedHtlcs: number): number {
  const r = channelTypeRules(type);
  return r.commitmentBaseWeight + r.weightPerHtlc * untrimmedHtlcs;
}

/** The base commitment fee the funder pays. */
export function commitmentFee(type: ChannelType, feeratePerKw: number, untrimmedHtlcs: number): Sat {
  return feeForWeight(feeratePerKw, commitmentWeight(type, untrimmedHtlcs));
}

/** Fee of the HTLC-timeout tx (spends an offered HTLC); zero on anchor channels. */
export function htlcTimeoutFee(type: ChannelType, feeratePerKw: number): Sat {
  const r = channelTypeRules(type);
  return r.htlcTxPaysFee ? feeForWeight(feeratePerKw, r.htlcTimeoutWeight) : (0n as Sat);
}

/** Fee of the HTLC-success tx (spends a received HTLC); zero on anchor channels. */
export function htlcSuccessFee(type: ChannelType, feeratePerKw: number): Sat {
  const r = channelTypeRules(type);
  return r.htlcTxPaysFee ? feeForWeight(feeratePerKw, r.htlcSuccessWeight) : (0n as Sat);
}

/** Second-stage fee for an HTLC of `direction` (from the commitment holder's view). */
export function htlcTxFee(type: ChannelType, direction: HtlcDirection, feeratePerKw: number): Sat {
  return direction === 'offered' ? htlcTimeoutFee(type, feeratePerKw) : htlcSuccessFee(type, feeratePerKw);
}

/**
 * Whether an HTLC gets no output on the holder's commitment: its whole-satoshi amount minus the
 * second-stage fee is below the holder's dust limit.
 */
export function isHtlcTrimmed(
  type: ChannelType,
  direction: HtlcDirection,
  amountMsat: Msat,
  feeratePerKw: number,
  dustLimitSat: Sat,
): boolean {
  const amount = msatToSat(amountMsat);
  const fee = htlcTxFee(type, direction, feeratePerKw);
  // The second clause only matters for a dust limit of 0 (which BOLT 2 never allows): an output
  // whose HTLC tx would pay out nothing is never worth creating.
  return amount < dustLimitSat + fee || amount <= fee;
}
