// Our channel policy (what we announce and what we accept) and the BOLT 2 validation of the
// parameters the peer announces in open_channel / accept_channel.
import type { Bytes } from '../../util/bytes.js';
import { isValidPubkey } from '../../crypto/secp256k1.js';
import type { ChannelType } from '../channel-type.js';
import { ANCHOR_OUTPUT_SAT, channelTypeRules } from '../channel-type.js';
import { commitmentFee } from '../fees.js';
import type { ChannelParams, ChannelPolicy, RemoteKeys } from './types.js';

export type { ChannelPolicy };
import { isValidShutdownScript } from './shutdown-script.js';
import { protocolError } from './errors.js';

export const MAX_ACCEPTED_HTLCS_LIMIT = 483;
/** BOLT 2: nobody may announce a dust limit below this. */
export const MIN_DUST_LIMIT_SATOSHIS = 354n;
/** BOLT 2: funding_satoshis below 2^24 unless option_support_large_channel. */
export const MAX_FUNDING_SATOSHIS_NO_WUMBO = 1n << 24n;

export const DEFAULT_CHANNEL_POLICY: ChannelPolicy = {
  dust_limit_satoshis: 546n,
  to_self_delay: 144,
  max_accepted_htlcs: 30,
  htlc_minimum_msat: 1n,
  max_htlc_value_in_flight_msat: null,
  reserve_ppm: 10_000,
  minimum_depth: 3,
  max_to_self_delay: 2016,
  max_minimum_depth: 144,
  min_funding_satoshis: 20_000n,
  max_dust_limit_satoshis: 4_000n,
  min_max_accepted_htlcs: 5,
  max_reserve_ppm: 200_000,
  allow_anchors: true,
  max_dust_exposure_msat: 50_000_000n,
  min_feerate_per_kw: 253,
  max_feerate_per_kw: 100_000,
};

export function resolvePolicy(p: Partial<ChannelPolicy> | undefined): ChannelPolicy {
  const out: ChannelPolicy = { ...DEFAULT_CHANNEL_POLICY, ...(p ?? {}) };
  return out;
}

/** The reserve we require from the peer: the policy share of the funding, never below a dust limit. */
export function reserveFor(funding: bigint, p: ChannelPolicy, ...dustLimits: bigint[]): bigint {
  let r = (funding * BigInt(p.reserve_ppm)) / 1_000_000n;
  for (const d of dustLimits) if (r < d) r = d;
  return r;
}

export function localParams(p: ChannelPolicy, funding: bigint, reserve: bigint, dust: bigint, upfront: Bytes): ChannelParams {
  return {
    dust_limit_satoshis: dust,
    max_htlc_value_in_flight_msat: p.max_htlc_value_in_flight_msat ?? funding * 1000n,
    channel_reserve_satoshis: reserve,
    htlc_minimum_msat: p.htlc_minimum_msat,
    to_self_delay: p.to_self_delay,
    max_accepted_htlcs: p.max_accepted_htlcs,
    upfront_shutdown_script: upfront,
  };
}

/** The fields open_channel and accept_channel share. */
export interface AnnouncedParams {
  readonly dust_limit_satoshis: bigint;
  readonly max_htlc_value_in_flight_msat: bigint;
  readonly channel_reserve_satoshis: bigint;
  readonly htlc_minimum_msat: bigint;
  readonly to_self_delay: number;
  readonly max_accepted_htlcs: number;
  readonly funding_pubkey: Bytes;
  readonly revocation_basepoint: Bytes;
  readonly payment_basepoint: Bytes;
  readonly delayed_payment_basepoint: Bytes;
  readonly htlc_basepoint: Bytes;
  readonly first_per_commitment_point: Bytes;
}

/** BOLT 2 checks common to open_channel and accept_channel; throws a protocol error. */
export function validateAnnounced(m: AnnouncedParams, funding: bigint, p: ChannelPolicy, anysegwit: boolean, upfront: Bytes | undefined): void {
  const keys: [string, Bytes][] = [
    ['funding_pubkey', m.funding_pubkey],
    ['revocation_basepoint', m.revocation_basepoint],
    ['payment_basepoint', m.payment_basepoint],
    ['delayed_payment_basepoint', m.delayed_payment_basepoint],
    ['htlc_basepoint', m.htlc_basepoint],
    ['first_per_commitment_point', m.first_per_commitment_point],
  ];
  for (const [name, k] of keys) if (!isValidPubkey(k)) throw protocolError(`${name} is not a valid public key`);
  if (m.dust_limit_satoshis < MIN_DUST_LIMIT_SATOSHIS) throw protocolError(`dust_limit_satoshis ${m.dust_limit_satoshis} is below ${MIN_DUST_LIMIT_SATOSHIS}`);
  if (m.dust_limit_satoshis > p.max_dust_limit_satoshis) throw protocolError(`dust_limit_satoshis ${m.dust_limit_satoshis} is too large`);
  if (m.max_accepted_htlcs > MAX_ACCEPTED_HTLCS_LIMIT) throw protocolError(`max_accepted_htlcs ${m.max_accepted_htlcs} is over 483`);
  if (m.max_accepted_htlcs < p.min_max_accepted_htlcs) throw protocolError(`max_accepted_htlcs ${m.max_accepted_htlcs} is too small`);
  if (m.to_self_delay > p.max_to_self_delay) throw protocolError(`to_self_delay ${m.to_self_delay} is unreasonably large`);
  if (m.htlc_minimum_msat >= funding * 1000n) throw protocolError(`htlc_minimum_msat ${m.htlc_minimum_msat} is too large`);
  // An in-flight cap below 1% of the channel (or zero) makes the channel useless.
  if (m.max_htlc_value_in_flight_msat === 0n || m.max_htlc_value_in_flight_msat < (funding * 1000n) / 100n) {
    throw protocolError(`max_htlc_value_in_flight_msat ${m.max_htlc_value_in_flight_msat} is too small`);
  }
  if (m.channel_reserve_satoshis * 1_000_000n > funding * BigInt(p.max_reserve_ppm)) {
    throw protocolError(`channel_reserve_satoshis ${m.channel_reserve_satoshis} is too large`);
  }
  if (upfront && upfront.length > 0 && !isValidShutdownScript(upfront, anysegwit)) throw protocolError('upfront_shutdown_script is not a valid shutdown script');
}

export function remoteParamsOf(m: AnnouncedParams, upfront: Bytes | undefined): ChannelParams {
  return {
    dust_limit_satoshis: m.dust_limit_satoshis,
    max_htlc_value_in_flight_msat: m.max_htlc_value_in_flight_msat,
    channel_reserve_satoshis: m.channel_reserve_satoshis,
    htlc_minimum_msat: m.htlc_minimum_msat,
    to_self_delay: m.to_self_delay,
    max_accepted_htlcs: m.max_accepted_htlcs,
    upfront_shutdown_script: upfront ? upfront.slice() : new Uint8Array(0),
  };
}

export function remoteKeysOf(m: AnnouncedParams): RemoteKeys {
  return {
    funding_pubkey: m.funding_pubkey,
    revocation_basepoint: m.revocation_basepoint,
    payment_basepoint: m.payment_basepoint,
    delayed_payment_basepoint: m.delayed_payment_basepoint,
    htlc_basepoint: m.htlc_basepoint,
  };
}

/** Fee plus anchors the funder pays on the initial commitment (no HTLCs), in msat. */
export function initialFunderCostMsat(type: ChannelType, feerate: number): bigint {
  const anchors = channelTypeRules(type).anchors ? 2n * ANCHOR_OUTPUT_SAT : 0n;
  return (commitmentFee(type, feerate, 0) + anchors) * 1000n;
}
