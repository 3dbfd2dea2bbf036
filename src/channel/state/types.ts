// The channel state machine's data: plain records (what the store keeps), the in-memory channel
// value built on them, and the Transition/Step contract with the runtime. Byte strings are
// Uint8Array and u64 amounts bigint in record *values*; every field that is part of a store key
// or index is a string or number (IndexedDB keys cannot be bigint).
import type { Bytes } from '../../util/bytes.js';
import type { Tx } from '../bitcoin/tx.js';
import type { ChannelType } from '../channel-type.js';
import type { ShachainStore } from '../shachain-store.js';
import type { WireMessage } from '../../wire/messages.js';
import type { ChannelSigner } from './keys.js';

export type Side = 'local' | 'remote';

/** For each side, the first commitment number of that side that includes an update (null: none yet). */
export interface CtnPair {
  readonly local: number | null;
  readonly remote: number | null;
}

export type ChannelStateName =
  /** Funder: open_channel sent, waiting for accept_channel (not persisted). */
  | 'OPEN_SENT'
  /** Funder: accept_channel validated, waiting for the runtime's funding outpoint (not persisted). */
  | 'AWAITING_FUNDING_TX'
  /** Funder: funding_created sent, waiting for funding_signed (not persisted). */
  | 'FUNDING_CREATED_SENT'
  /** Fundee: accept_channel sent, waiting for funding_created (not persisted). */
  | 'ACCEPT_SENT'
  /** Funded; waiting for the funding depth and both channel_ready. */
  | 'AWAITING_LOCKIN'
  | 'NORMAL'
  /** shutdown sent or received; HTLCs still clearing. */
  | 'SHUTDOWN'
  /** closing_signed exchange. */
  | 'NEGOTIATING'
  /** Mutual close signed by both; the closing tx was handed to the runtime. */
  | 'CLOSING_COMPLETE'
  /** Our latest commitment was handed to the runtime for broadcast. */
  | 'FORCE_CLOSED'
  /** The peer proved we lost state, or lied about it: never broadcast, wait for the peer to close. */
  | 'DATA_LOSS'
  /** The funding output was spent on chain (reported by the runtime). */
  | 'ONCHAIN'
  /** Establishment failed before anything was funded (not persisted). */
  | 'ABORTED';

/** What one side announced in open_channel/accept_channel (BOLT 2 field names). */
export interface ChannelParams {
  readonly dust_limit_satoshis: bigint;
  readonly max_htlc_value_in_flight_msat: bigint;
  /** The reserve this side requires the *other* side to keep. */
  readonly channel_reserve_satoshis: bigint;
  /** The smallest HTLC this side accepts. */
  readonly htlc_minimum_msat: bigint;
  /** The CSV delay this side imposes on the *other* side's outputs. */
  readonly to_self_delay: number;
  /** How many HTLCs this side accepts from the other. */
  readonly max_accepted_htlcs: number;
  /** Empty when none was committed to. */
  readonly upfront_shutdown_script: Bytes;
}

export interface RemoteKeys {
  readonly funding_pubkey: Bytes;
  readonly revocation_basepoint: Bytes;
  readonly payment_basepoint: Bytes;
  readonly delayed_payment_basepoint: Bytes;
  readonly htlc_basepoint: Bytes;
}

/** Our channel policy: what we announce, what we accept from the peer, and unannounced limits. */
export interface ChannelPolicy {
  /** What we announce. */
  readonly dust_limit_satoshis: bigint;
  readonly to_self_delay: number;
  readonly max_accepted_htlcs: number;
  readonly htlc_minimum_msat: bigint;
  /** null: the whole channel. */
  readonly max_htlc_value_in_flight_msat: bigint | null;
  /** Reserve we require from the peer, in millionths of the funding (at least both dust limits). */
  readonly reserve_ppm: number;
  /** Confirmations we require before channel_ready, unless the peer is trusted (zero-conf). */
  readonly minimum_depth: number;
  /** What we accept from the peer. */
  readonly max_to_self_delay: number;
  readonly max_minimum_depth: number;
  readonly min_funding_satoshis: bigint;
  readonly max_dust_limit_satoshis: bigint;
  readonly min_max_accepted_htlcs: number;
  /** Largest reserve the peer may require from us, in millionths of the funding. */
  readonly max_reserve_ppm: number;
  /** Whether we accept option_anchors_zero_fee_htlc_tx channels. */
  readonly allow_anchors: boolean;
  /** Cap on the sum of HTLCs trimmed to dust on either commitment (BOLT 2 dust exposure). */
  readonly max_dust_exposure_msat: bigint;
  /** Range of feerates we accept in the peer's open_channel / update_fee. */
  readonly min_feerate_per_kw: number;
  readonly max_feerate_per_kw: number;
}

export interface FeeUpdate {
  readonly feerate_per_kw: number;
  readonly at: CtnPair;
  /** Order among our own updates (retransmissions keep it); 0 for the peer's. */
  readonly seq: number;
}

export type FeeStep = { readonly unit: 'percent'; readonly value: number } | { readonly unit: 'sat'; readonly value: bigint };

export interface ClosingNegotiation {
  /** shutdown requested by our command but not sent yet (our updates must be signed first). */
  readonly shutdown_requested: boolean;
  readonly shutdown_sent: boolean;
  readonly shutdown_received: boolean;
  readonly local_script: Bytes | null;
  readonly remote_script: Bytes | null;
  /** Target feerate for the closing tx (sat/kw). */
  readonly feerate_per_kw: number | null;
  /** Our fee_range override, if the runtime gave one. */
  readonly fee_range: { readonly min_fee_satoshis: bigint; readonly max_fee_satoshis: bigint } | null;
  /** Our fee range as feerates (sat/kw), turned into fees at the closing tx's weight (close `feerange`). */
  readonly feerate_range: { readonly min_per_kw: number; readonly max_per_kw: number } | null;
  /**
   * How far each of our legacy counter-offers moves towards the peer's (close `fee_negotiation_step`):
   * a percentage of the gap, or satoshis. Set: we negotiate the legacy way (no fee_range TLV),
   * as Core Lightning does, except on anchor channels. Null: quick close, halves when legacy.
   */
  readonly fee_step: FeeStep | null;
  readonly last_sent_fee: bigint | null;
  readonly last_received_fee: bigint | null;
  /** The signed closing tx once agreed (serialized), kept so the runtime can rebroadcast. */
  readonly closing_tx: Bytes | null;
}

/** The `channels` record: everything but the HTLCs. */
export interface ChannelRecord {
  readonly v: 1;
  /** hex; the funding-derived channel_id once known, else the temporary one. Primary key. */
  readonly channel_id: string;
  readonly temporary_channel_id: string;
  /** hex node id of the peer (index). */
  readonly peer_id: string;
  readonly key_index: number;
  readonly chain_hash: Bytes;
  readonly funder: boolean;
  readonly channel_type: ChannelType;
  readonly scid_alias: boolean;
  readonly zeroconf: boolean;
  readonly announce: boolean;
  /** Whether the peer offered option_scid_alias in init (we then send our alias in channel_ready). */
  readonly peer_scid_alias: boolean;
  readonly peer_anysegwit: boolean;
  readonly state: ChannelStateName;
  readonly funding_txid: Bytes | null;
  readonly funding_output_index: number;
  readonly funding_satoshis: bigint;
  readonly push_msat: bigint;
  /** Depth the funding tx must reach before we send channel_ready (0: zero-conf). */
  readonly minimum_depth: number;
  readonly funding_depth: number;
  readonly local_params: ChannelParams;
  readonly remote_params: ChannelParams | null;
  readonly remote_keys: RemoteKeys | null;
  /** Peer's per_commitment_point of `remote_ctn`. */
  readonly remote_current_point: Bytes | null;
  /** Peer's per_commitment_point of `remote_ctn + 1` (from channel_ready, then revoke_and_ack). */
  readonly remote_next_point: Bytes | null;
  /** Our latest commitment number (we hold the peer's signature for it). */
  readonly local_ctn: number;
  /** The peer's oldest unrevoked commitment number. */
  readonly remote_ctn: number;
  /** We signed `remote_ctn + 1` and wait for its revoke_and_ack. */
  readonly awaiting_revoke: boolean;
  /**
   * Positions (in our update sequence) of the last commitment_signed and revoke_and_ack we sent: a
   * retransmission replays updates, commitment_signed and revoke_and_ack in their original order.
   */
  readonly last_commit_seq: number;
  readonly last_revoke_seq: number;
  /** The peer's signatures on our commitment `local_ctn`. */
  readonly local_commit_sig: Bytes | null;
  readonly local_htlc_sigs: Bytes[];
  /** The peer's revealed per-commitment secrets. */
  readonly remote_secrets: ShachainStore;
  /** Balances with every *resolved and folded* HTLC applied (live HTLCs still count for their offerer). */
  readonly base_local_msat: bigint;
  readonly base_remote_msat: bigint;
  /** Feerate of every commitment not covered by a newer update in `fee_updates`. */
  readonly base_feerate_per_kw: number;
  readonly fee_updates: FeeUpdate[];
  readonly next_local_htlc_id: number;
  /** Sequence number of our next update: retransmissions must keep the original order. */
  readonly next_update_seq: number;
  readonly next_remote_htlc_id: number;
  readonly local_alias: bigint;
  readonly remote_alias: bigint | null;
  readonly short_channel_id: bigint | null;
  readonly ready_sent: boolean;
  readonly ready_received: boolean;
  readonly closing: ClosingNegotiation;
  readonly policy: ChannelPolicy;
  /** Why the channel stopped (no secrets), if it did. */
  readonly failure: string | null;
}

export type FailOnCommit = 'dust_exposure' | 'shutting_down';

export type RemovalKind = 'fulfill' | 'fail' | 'fail_malformed';

export interface HtlcRemoval {
  readonly kind: RemovalKind;
  readonly preimage: Bytes | null;
  readonly reason: Bytes | null;
  readonly sha256_of_onion: Bytes | null;
  readonly failure_code: number | null;
  readonly at: CtnPair;
  /** Order among our own updates; 0 for the peer's. */
  readonly seq: number;
}

/** The `htlcs` record: one per live HTLC; key [channel_id, offerer, id]. */
export interface HtlcRecord {
  readonly v: 1;
  readonly channel_id: string;
  readonly offerer: Side;
  readonly id: number;
  readonly amount_msat: bigint;
  /** hex (indexed). */
  readonly payment_hash: string;
  readonly cltv_expiry: number;
  readonly onion: Bytes;
  readonly path_key: Bytes | null;
  readonly added: CtnPair;
  /** Order of our update_add_htlc among our updates; 0 for the peer's. */
  readonly add_seq: number;
  readonly removal: HtlcRemoval | null;
  /** For our HTLCs: the preimage once the peer revealed it (kept even if its fulfill is reversed). */
  readonly preimage: Bytes | null;
  /** The runtime was told this incoming HTLC is irrevocably committed. */
  readonly add_notified: boolean;
  /**
   * An incoming HTLC the runtime must fail (temporary_channel_failure) once it is committed instead of
   * forwarding it: over our dust-exposure cap, or added after we sent shutdown (BOLT 2).
   */
  readonly fail_on_commit: FailOnCommit | null;
}

/** Primary key of an HTLC record. */
export type HtlcKey = [channel_id: string, offerer: Side, id: number];

export type ConnectionState = 'disconnected' | 'awaiting_reestablish' | 'active';

/** A channel: its records, its signer and the (never persisted) connection state. Immutable. */
export interface Channel {
  readonly record: ChannelRecord;
  readonly htlcs: ReadonlyMap<string, HtlcRecord>;
  readonly signer: ChannelSigner;
  readonly connection: ConnectionState;
  /** Whether the records exist in the store (from funding_signed on). */
  readonly persisted: boolean;
}

export interface ChannelWrites {
  /** The channel record to put, if it changed. */
  readonly channel: ChannelRecord | null;
  readonly htlcs: readonly HtlcRecord[];
  readonly deleted_htlcs: readonly HtlcKey[];
}

export interface IncomingHtlc {
  readonly id: number;
  readonly amount_msat: bigint;
  readonly payment_hash: Bytes;
  readonly cltv_expiry: number;
  readonly onion_routing_packet: Bytes;
  readonly path_key: Bytes | null;
}

export type HtlcResult =
  | { readonly kind: 'fulfill'; readonly preimage: Bytes }
  | { readonly kind: 'fail'; readonly reason: Bytes }
  | { readonly kind: 'fail_malformed'; readonly sha256_of_onion: Bytes; readonly failure_code: number };

export type ChannelEvent =
  /** Funder: the runtime must produce a funding tx paying `funding_satoshis` to `script_pubkey`, then call provideFunding. */
  | { readonly type: 'funding_needed'; readonly temporary_channel_id: string; readonly funding_satoshis: bigint; readonly script_pubkey: Bytes }
  /** Messages for this channel now carry `channel_id` (route them here). */
  | { readonly type: 'channel_id_assigned'; readonly temporary_channel_id: string; readonly channel_id: string }
  /** Funder: funding_signed verified, broadcast the funding tx now. */
  | { readonly type: 'funding_signed'; readonly channel_id: string; readonly funding_txid: Bytes }
  | { readonly type: 'state_changed'; readonly channel_id: string; readonly from: ChannelStateName; readonly to: ChannelStateName }
  /** Both channel_ready exchanged: the channel can carry HTLCs. */
  | { readonly type: 'channel_ready'; readonly channel_id: string; readonly local_alias: bigint; readonly remote_alias: bigint | null; readonly short_channel_id: bigint | null }
  /** channel_reestablish completed; the channel talks again. */
  | { readonly type: 'reestablished'; readonly channel_id: string }
  /** An incoming HTLC is irrevocably committed: peel/forward/receive it, or fail it when `fail_on_commit` says so. */
  | { readonly type: 'htlc_incoming'; readonly channel_id: string; readonly htlc: IncomingHtlc; readonly fail_on_commit: FailOnCommit | null }
  /** The peer revealed the preimage of one of our HTLCs (already checked against the hash). */
  | { readonly type: 'htlc_preimage'; readonly channel_id: string; readonly id: number; readonly payment_hash: Bytes; readonly preimage: Bytes }
  /** The removal of an HTLC is irrevocably committed; for ours this is when a payment may fail. */
  | {
      readonly type: 'htlc_resolved';
      readonly channel_id: string;
      readonly offerer: Side;
      readonly id: number;
      readonly amount_msat: bigint;
      readonly payment_hash: Bytes;
      readonly result: HtlcResult;
    }
  /** A transaction the runtime should broadcast through its chain source. */
  | { readonly type: 'broadcast'; readonly channel_id: string; readonly kind: 'commitment' | 'closing'; readonly tx: Tx; readonly txid: string }
  /** The channel stopped: the peer sent `error`, broke the protocol, or we force-closed. */
  | { readonly type: 'channel_failed'; readonly channel_id: string; readonly reason: string; readonly by: 'local' | 'remote'; readonly data_loss: boolean }
  /** The peer sent a warning (informational). */
  | { readonly type: 'warning_received'; readonly channel_id: string; readonly message: string }
  /** Ask the runtime to drop the connection (after a warning, as BOLT 2 allows). */
  | { readonly type: 'disconnect'; readonly channel_id: string; readonly reason: string };

/** What a transition hands to the runtime: persist first, then send, then act on events. */
export interface Transition {
  readonly persist: ChannelWrites;
  readonly send: readonly WireMessage[];
  readonly events: readonly ChannelEvent[];
}

/** A transition plus the channel after it. */
export interface Step extends Transition {
  readonly channel: Channel;
}
