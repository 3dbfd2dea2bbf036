// From channel state to the two commitment specs. At channel level "local" is us and "remote" the
// peer (BOLT 2's usage); at commitment level "local" is the holder (BOLT 3's). Swapping one into
// the other by hand is where implementations get to_self_delay, dust limits, HTLC directions and
// the obscuring factor's opener order wrong, so the swap lives here, once.
import type { Bytes } from '../util/bytes.js';
import type { Msat, Sat } from '../types.js';
import type { ChannelType } from './channel-type.js';
import type { ChannelBasepoints } from './keys.js';
import { deriveCommitmentKeys } from './keys.js';
import type { CommitmentHtlc, CommitmentSpec } from './commitment.js';
import { obscuringFactor } from './commitment.js';

export interface ChannelPartyConfig {
  readonly basepoints: ChannelBasepoints;
  /** This party's dust_limit_satoshis: it applies to commitments this party holds. */
  readonly dust_limit_satoshis: Sat;
  /** The to_self_delay this party announced: it delays the *other* party's own outputs. */
  readonly to_self_delay: number;
}

/** What is fixed once the channel is funded (plain data, persisted with the channel). */
export interface ChannelConfig {
  readonly channel_type: ChannelType;
  /** Internal byte order, as in funding_created. */
  readonly funding_txid: Bytes;
  readonly funding_output_index: number;
  readonly funding_satoshis: Sat;
  /** Whether we sent open_channel (and so pay commitment fees and anchors). */
  readonly local_is_funder: boolean;
  readonly local: ChannelPartyConfig;
  readonly remote: ChannelPartyConfig;
}

/** An HTLC in channel terms: who offered it, not how it looks on a given commitment. */
export interface ChannelHtlc {
  readonly id: bigint;
  readonly offerer: 'local' | 'remote';
  readonly amount_msat: Msat;
  readonly payment_hash: Bytes;
  readonly cltv_expiry: number;
}

/** The balances and HTLCs one commitment includes (ours and the peer's may differ mid-update). */
export interface CommitmentState {
  readonly commitment_number: bigint;
  readonly feerate_per_kw: number;
  readonly local_msat: Msat;
  readonly remote_msat: Msat;
  readonly htlcs: readonly ChannelHtlc[];
}

/** The obscuring factor of this channel (opener's payment_basepoint first). */
export function channelObscuringFactor(cfg: ChannelConfig): bigint {
  const opener = cfg.local_is_funder ? cfg.local : cfg.remote;
  const accepter = cfg.local_is_funder ? cfg.remote : cfg.local;
  return obscuringFactor(opener.basepoints.payment_basepoint, accepter.basepoints.payment_basepoint);
}

function specFor(cfg: ChannelConfig, state: CommitmentState, holder: 'local' | 'remote', perCommitmentPoint: Bytes): CommitmentSpec {
  const h = holder === 'local' ? cfg.local : cfg.remote;
  const other = holder === 'local' ? cfg.remote : cfg.local;
  const htlcs: CommitmentHtlc[] = state.htlcs.map((x) => ({
    id: x.id,
    direction: x.offerer === holder ? 'offered' : 'received',
    amount_msat: x.amount_msat,
    payment_hash: x.payment_hash,
    cltv_expiry: x.cltv_expiry,
  }));
  return {
    channel_type: cfg.channel_type,
    commitment_number: state.commitment_number,
    obscuring_factor: channelObscuringFactor(cfg),
    local_is_funder: holder === 'local' ? cfg.local_is_funder : !cfg.local_is_funder,
    to_local_msat: holder === 'local' ? state.local_msat : state.remote_msat,
    to_remote_msat: holder === 'local' ? state.remote_msat : state.local_msat,
    htlcs,
    feerate_per_kw: state.feerate_per_kw,
    dust_limit_satoshis: h.dust_limit_satoshis,
    to_self_delay: other.to_self_delay,
    funding: {
      txid: cfg.funding_txid,
      output_index: cfg.funding_output_index,
      amount_sat: cfg.funding_satoshis,
      local_funding_pubkey: h.basepoints.funding_pubkey,
      remote_funding_pubkey: other.basepoints.funding_pubkey,
    },
    keys: deriveCommitmentKeys(h.basepoints, other.basepoints, perCommitmentPoint),
  };
}

/** Our commitment, for our per_commitment_point of `state.commitment_number`. */
export function localCommitmentSpec(cfg: ChannelConfig, state: CommitmentState, localPerCommitmentPoint: Bytes): CommitmentSpec {
  return specFor(cfg, state, 'local', localPerCommitmentPoint);
}

/** The peer's commitment (what we sign in commitment_signed), for the peer's per_commitment_point. */
export function remoteCommitmentSpec(cfg: ChannelConfig, state: CommitmentState, remotePerCommitmentPoint: Bytes): CommitmentSpec {
  return specFor(cfg, state, 'remote', remotePerCommitmentPoint);
}

/** The same channel seen from the peer's side (for tests and simulations of both ends). */
export function mirrorChannelConfig(cfg: ChannelConfig): ChannelConfig {
  return { ...cfg, local_is_funder: !cfg.local_is_funder, local: cfg.remote, remote: cfg.local };
}

export function mirrorCommitmentState(state: CommitmentState): CommitmentState {
  return {
    ...state,
    local_msat: state.remote_msat,
    remote_msat: state.local_msat,
    htlcs: state.htlcs.map((h) => ({ ...h, offerer: h.offerer === 'local' ? 'remote' : 'local' })),
  };
}
