// Read-only views for the runtime's RPCs (listpeerchannels-like): Core Lightning state names,
// balances (what we could send / receive now), and the HTLCs in flight with CLN's HTLC state names.
import { fromHex } from '../../util/bytes.js';
import { fundingOutput } from '../funding.js';
import type { ChannelView } from './commitments.js';
import { commitmentContents, isIrrevocable } from './commitments.js';
import { maxAddable } from './limits.js';
import type { ChannelStateName, HtlcRecord, IncomingHtlc } from './types.js';

/** Our state → Core Lightning's listpeerchannels `state`. */
export const CLN_STATE: Readonly<Record<ChannelStateName, string>> = {
  OPEN_SENT: 'OPENINGD',
  AWAITING_FUNDING_TX: 'OPENINGD',
  FUNDING_CREATED_SENT: 'OPENINGD',
  ACCEPT_SENT: 'OPENINGD',
  AWAITING_LOCKIN: 'CHANNELD_AWAITING_LOCKIN',
  NORMAL: 'CHANNELD_NORMAL',
  SHUTDOWN: 'CHANNELD_SHUTTING_DOWN',
  NEGOTIATING: 'CLOSINGD_SIGEXCHANGE',
  CLOSING_COMPLETE: 'CLOSINGD_COMPLETE',
  FORCE_CLOSED: 'AWAITING_UNILATERAL',
  DATA_LOSS: 'AWAITING_UNILATERAL',
  ONCHAIN: 'ONCHAIN',
  ABORTED: 'CLOSED',
};

export function clnState(v: ChannelView): string {
  return CLN_STATE[v.record.state];
}

export interface ChannelBalances {
  /** Our balance on our latest commitment (HTLCs excluded). */
  readonly to_us_msat: bigint;
  readonly total_msat: bigint;
  /** Largest HTLC we could add now (0 when the channel cannot carry one). */
  readonly spendable_msat: bigint;
  /** Largest HTLC the peer could add now. */
  readonly receivable_msat: bigint;
  /** What the peer requires us to keep, and what we require from it. */
  readonly our_reserve_msat: bigint;
  readonly their_reserve_msat: bigint;
}

export function balances(v: ChannelView): ChannelBalances {
  const r = v.record;
  const funded = r.remote_params !== null && r.funding_txid !== null;
  const usable = r.state === 'NORMAL';
  const c = funded ? commitmentContents(v, 'local', r.local_ctn) : null;
  return {
    to_us_msat: c ? c.local_msat : r.base_local_msat,
    total_msat: r.funding_satoshis * 1000n,
    spendable_msat: usable ? maxAddable(v, 'local') : 0n,
    receivable_msat: usable ? maxAddable(v, 'remote') : 0n,
    our_reserve_msat: (r.remote_params?.channel_reserve_satoshis ?? 0n) * 1000n,
    their_reserve_msat: r.local_params.channel_reserve_satoshis * 1000n,
  };
}

export interface HtlcView {
  readonly direction: 'out' | 'in';
  readonly id: number;
  readonly amount_msat: bigint;
  readonly payment_hash: string;
  readonly expiry: number;
  /** Core Lightning's htlc_state name. */
  readonly state: string;
}

/** Maps a CtnPair-tracked HTLC onto CLN's htlc_state names. */
function htlcState(v: ChannelView, h: HtlcRecord): string {
  const r = v.record;
  const inLocal = (n: number | null): boolean => n !== null && n <= r.local_ctn;
  const inRemote = (n: number | null): boolean => n !== null && n <= r.remote_ctn;
  const out = h.offerer === 'local';
  if (!h.removal) {
    if (out) {
      if (h.added.remote === null) return 'SENT_ADD_HTLC';
      if (!inRemote(h.added.remote)) return 'SENT_ADD_COMMIT';
      return inLocal(h.added.local) ? 'SENT_ADD_ACK_REVOCATION' : 'RCVD_ADD_REVOCATION';
    }
    if (h.added.local === null) return 'RCVD_ADD_HTLC';
    if (h.added.remote === null) return 'SENT_ADD_REVOCATION';
    return inRemote(h.added.remote) ? 'RCVD_ADD_ACK_REVOCATION' : 'SENT_ADD_ACK_COMMIT';
  }
  const at = h.removal.at;
  if (out) {
    if (at.local === null) return 'RCVD_REMOVE_HTLC';
    if (at.remote === null) return 'SENT_REMOVE_REVOCATION';
    return inRemote(at.remote) ? 'RCVD_REMOVE_ACK_REVOCATION' : 'SENT_REMOVE_ACK_COMMIT';
  }
  if (at.remote === null) return 'SENT_REMOVE_HTLC';
  if (!inRemote(at.remote)) return 'SENT_REMOVE_COMMIT';
  return inLocal(at.local) ? 'SENT_REMOVE_ACK_REVOCATION' : 'RCVD_REMOVE_REVOCATION';
}

export function htlcViews(v: ChannelView): HtlcView[] {
  const out: HtlcView[] = [];
  for (const h of v.htlcs.values()) {
    out.push({
      direction: h.offerer === 'local' ? 'out' : 'in',
      id: h.id,
      amount_msat: h.amount_msat,
      payment_hash: h.payment_hash,
      expiry: h.cltv_expiry,
      state: htlcState(v, h),
    });
  }
  return out.sort((a, b) => (a.direction === b.direction ? a.id - b.id : a.direction === 'out' ? -1 : 1));
}

/**
 * Incoming HTLCs irrevocably committed and not yet settled: after a restart the runtime settles
 * these again (their `htlc_incoming` event may have been acted on only partly).
 */
export function pendingIncoming(v: ChannelView): IncomingHtlc[] {
  const out: IncomingHtlc[] = [];
  for (const h of v.htlcs.values()) {
    if (h.offerer !== 'remote' || h.removal || !isIrrevocable(h.added, v.record)) continue;
    out.push({
      id: h.id,
      amount_msat: h.amount_msat,
      payment_hash: fromHex(h.payment_hash),
      cltv_expiry: h.cltv_expiry,
      onion_routing_packet: h.onion,
      path_key: h.path_key,
    });
  }
  return out.sort((a, b) => a.id - b.id);
}

/** The funding output the runtime's chain source must watch (depth, and spends once open). */
export interface FundingWatch {
  /** Internal byte order (as in funding_created); the explorer form is txidToHex(txid). */
  readonly txid: Uint8Array;
  readonly output_index: number;
  readonly amount_sat: bigint;
  readonly script_pubkey: Uint8Array;
  /** Depth at which channel_ready goes out (0: zero-conf). */
  readonly minimum_depth: number;
}

/** Null before the funding outpoint is known. */
export function fundingWatch(v: ChannelView): FundingWatch | null {
  const r = v.record;
  if (!r.funding_txid || !r.remote_keys) return null;
  return {
    txid: r.funding_txid,
    output_index: r.funding_output_index,
    amount_sat: r.funding_satoshis,
    script_pubkey: fundingOutput(v.signer.basepoints.funding_pubkey, r.remote_keys.funding_pubkey).script_pubkey,
    minimum_depth: r.minimum_depth,
  };
}

export interface ChannelSummary {
  readonly channel_id: string;
  readonly peer_id: string;
  readonly state: ChannelStateName;
  readonly cln_state: string;
  readonly funder: boolean;
  readonly channel_type: string;
  readonly short_channel_id: bigint | null;
  readonly local_alias: bigint;
  readonly remote_alias: bigint | null;
  readonly funding_txid: Uint8Array | null;
  readonly funding_output_index: number;
  readonly feerate_per_kw: number;
  readonly connected: boolean;
  readonly balances: ChannelBalances;
  readonly htlcs: HtlcView[];
  readonly failure: string | null;
}

export function channelSummary(v: ChannelView & { readonly connection: string }): ChannelSummary {
  const r = v.record;
  return {
    channel_id: r.channel_id,
    peer_id: r.peer_id,
    state: r.state,
    cln_state: CLN_STATE[r.state],
    funder: r.funder,
    channel_type: r.channel_type,
    short_channel_id: r.short_channel_id,
    local_alias: r.local_alias,
    remote_alias: r.remote_alias,
    funding_txid: r.funding_txid,
    funding_output_index: r.funding_output_index,
    feerate_per_kw: r.funding_txid && r.remote_params ? commitmentContents(v, 'local', r.local_ctn).feerate_per_kw : r.base_feerate_per_kw,
    connected: v.connection === 'active',
    balances: balances(v),
    htlcs: htlcViews(v),
    failure: r.failure,
  };
}
