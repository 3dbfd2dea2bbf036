// From the update log to commitment transactions. Each update carries, per side, the number of the
// first commitment of that side that includes it (CtnPair); the contents of commitment (side, n)
// follow from that alone, so our commitments, the peer's, and the "next" ones used for limit
// checks all come from one function.
import type { Bytes } from '../../util/bytes.js';
import type { Msat, Sat } from '../../types.js';
import type { ChannelConfig, ChannelHtlc, CommitmentState } from '../commitment-views.js';
import { localCommitmentSpec, remoteCommitmentSpec } from '../commitment-views.js';
import type { CommitmentTx } from '../commitment.js';
import { buildCommitmentTx } from '../commitment.js';
import type { ChannelSigner } from './keys.js';
import type { ChannelRecord, CtnPair, HtlcRecord, Side } from './types.js';
import { badState } from './errors.js';
import { fromHex } from '../../util/bytes.js';

/** What read-only helpers need: a Channel or a Draft. */
export interface ChannelView {
  readonly record: ChannelRecord;
  readonly htlcs: ReadonlyMap<string, HtlcRecord>;
  readonly signer: ChannelSigner;
}

export function otherSide(s: Side): Side {
  return s === 'local' ? 'remote' : 'local';
}

export function funderSide(r: ChannelRecord): Side {
  return r.funder ? 'local' : 'remote';
}

/**
 * Whether an update proposed by `proposer` is in commitment (side, n). With `pending`, updates not
 * yet assigned to that side count as included when they would be in its *next* commitment: a
 * party's updates first land in the other party's commitment.
 */
export function includes(at: CtnPair, proposer: Side, side: Side, n: number, pending: boolean): boolean {
  const c = at[side];
  if (c !== null) return c <= n;
  return pending && proposer !== side;
}

export function isIrrevocable(at: CtnPair, r: ChannelRecord): boolean {
  return at.local !== null && at.remote !== null && at.local <= r.local_ctn && at.remote <= r.remote_ctn;
}

/** Number of the next commitment of `side` (the one the next commitment_signed for it will carry). */
export function nextCtn(r: ChannelRecord, side: Side): number {
  return side === 'local' ? r.local_ctn + 1 : r.remote_ctn + (r.awaiting_revoke ? 2 : 1);
}

export interface CommitmentContents extends CommitmentState {
  /** The live HTLC records on this commitment, index-aligned with `htlcs`. */
  readonly records: readonly HtlcRecord[];
}

/** Balances, HTLCs and feerate of commitment (side, n). */
export function commitmentContents(v: ChannelView, side: Side, n: number, pending = false): CommitmentContents {
  const r = v.record;
  let local = r.base_local_msat;
  let remote = r.base_remote_msat;
  const htlcs: ChannelHtlc[] = [];
  const records: HtlcRecord[] = [];
  for (const h of v.htlcs.values()) {
    if (!includes(h.added, h.offerer, side, n, pending)) continue;
    const removed = h.removal !== null && includes(h.removal.at, otherSide(h.offerer), side, n, pending);
    if (removed && h.removal?.kind !== 'fulfill') continue;
    if (h.offerer === 'local') local -= h.amount_msat;
    else remote -= h.amount_msat;
    if (removed) {
      if (h.offerer === 'local') remote += h.amount_msat;
      else local += h.amount_msat;
      continue;
    }
    htlcs.push({
      id: BigInt(h.id),
      offerer: h.offerer,
      amount_msat: h.amount_msat as Msat,
      payment_hash: fromHex(h.payment_hash),
      cltv_expiry: h.cltv_expiry,
    });
    records.push(h);
  }
  return {
    commitment_number: BigInt(n),
    feerate_per_kw: feerateAt(r, side, n, pending),
    local_msat: local as Msat,
    remote_msat: remote as Msat,
    htlcs,
    records,
  };
}

export function feerateAt(r: ChannelRecord, side: Side, n: number, pending: boolean): number {
  let feerate = r.base_feerate_per_kw;
  const proposer = funderSide(r);
  for (const f of r.fee_updates) if (includes(f.at, proposer, side, n, pending)) feerate = f.feerate_per_kw;
  return feerate;
}

export function channelConfig(v: ChannelView): ChannelConfig {
  const r = v.record;
  if (!r.funding_txid || !r.remote_params || !r.remote_keys) throw badState('channel is not funded yet');
  return {
    channel_type: r.channel_type,
    funding_txid: r.funding_txid,
    funding_output_index: r.funding_output_index,
    funding_satoshis: r.funding_satoshis as Sat,
    local_is_funder: r.funder,
    local: { basepoints: v.signer.basepoints, dust_limit_satoshis: r.local_params.dust_limit_satoshis as Sat, to_self_delay: r.local_params.to_self_delay },
    remote: { basepoints: r.remote_keys, dust_limit_satoshis: r.remote_params.dust_limit_satoshis as Sat, to_self_delay: r.remote_params.to_self_delay },
  };
}

/** The peer's per_commitment_point for its commitment `n` (we only know the current and next). */
export function remotePoint(r: ChannelRecord, n: number): Bytes {
  const p = n === r.remote_ctn ? r.remote_current_point : n === r.remote_ctn + 1 ? r.remote_next_point : null;
  if (!p) throw badState(`no per-commitment point of the peer for commitment ${n}`);
  return p;
}

/** Builds commitment (side, n) as a transaction. */
export function buildCommitment(v: ChannelView, side: Side, n: number, pending = false): { tx: CommitmentTx; contents: CommitmentContents } {
  const cfg = channelConfig(v);
  const contents = commitmentContents(v, side, n, pending);
  const spec =
    side === 'local' ? localCommitmentSpec(cfg, contents, v.signer.point(n)) : remoteCommitmentSpec(cfg, contents, remotePoint(v.record, n));
  return { tx: buildCommitmentTx(spec), contents };
}
