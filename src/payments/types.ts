// Plain data shared by the payment decisions: the stored attempt row, the wait-index counters and
// bumps, and the inputs the runtime hands in from layers payments must not import (channels,
// decoded HTLC failures, local invoices). Everything is structured-clone data; u64 values are
// bigint, with string mirrors where IndexedDB needs keys (see row.ts).

export type PaymentStatus = 'pending' | 'complete' | 'failed';
export const PAYMENT_STATUSES: readonly PaymentStatus[] = ['pending', 'complete', 'failed'];

/** What waitsendpay replays for a failed row (CLN's payments.fail* columns). */
export type FailInfo = {
  /** RPC code of the failure as first reported: 202, 203 or 204. */
  readonly rpc_code: number;
  /** Undecodable reply onion (shown as `erroronion`, replayed as `onionreply`). */
  readonly onionreply?: Uint8Array;
  /** erring_index; absent when unknown (CLN stores -1). */
  readonly erring_index?: number;
  readonly failcode?: number;
  readonly erring_node?: string;
  readonly erring_channel?: bigint;
  readonly erring_direction?: number;
  /** The `<detail>` of "failed: NAME (<detail>)". */
  readonly detail?: string;
  /** Decrypted BOLT 4 failure message from a remote node (persisted since CLN commit 4eb80237). */
  readonly raw_message?: Uint8Array;
};

/**
 * One payment attempt: (payment_hash, partid, groupid) is unique. A `type` (not interface) so it is
 * assignable to the Store's record type; arrays are mutable for the same reason.
 */
export type PaymentRow = {
  readonly payment_hash: string;
  readonly partid: bigint;
  readonly groupid: bigint;
  /** = CLN's `id`: the sendpays `created` counter when inserted; never reused. */
  readonly created_index: bigint;
  /** sendpays `updated` counter at the last status change; 0n = never changed. */
  readonly updated_index: bigint;
  /** 20-digit zero-padded mirrors: IndexedDB cannot key on bigint; padding keeps numeric order. */
  readonly created_key: string;
  readonly updated_key: string;
  readonly partid_key: string;
  readonly groupid_key: string;
  readonly status: PaymentStatus;
  /** Final node id, when known. */
  readonly destination?: string;
  /** Amount delivered to the destination (last hop), 0n when unknown. */
  readonly amount_msat: bigint;
  /** First hop amount, fees included. */
  readonly amount_sent_msat: bigint;
  /** MPP total (`amount_msat` parameter), = amount_msat when not MPP. */
  readonly total_msat: bigint;
  /** Unix seconds. */
  readonly created_at: number;
  readonly completed_at?: number;
  readonly payment_preimage?: string;
  readonly label?: string;
  /** Canonical bolt11 or bolt12 string (`bolt12` on output iff it starts with "lni"). */
  readonly invstring?: string;
  readonly description?: string;
  /** Route as sent (node i and the channel into node i); used to attribute failures. */
  readonly route_nodes?: string[];
  readonly route_channels?: bigint[];
  /** Per-hop Sphinx shared secrets, filled in by the runtime after building the onion. */
  readonly shared_secrets?: Uint8Array[];
  readonly payment_secret?: string;
  readonly payment_metadata?: Uint8Array;
  readonly local_invreq_id?: string;
  readonly fail?: FailInfo;
};

/** (payment_hash, partid, groupid): what waiters and resolutions are keyed by. */
export type AttemptId = {
  readonly payment_hash: string;
  readonly partid: bigint;
  readonly groupid: bigint;
};

/** The three sendpays wait indexes; they start at 0 and only increase. */
export type SendpayCounters = {
  readonly created: bigint;
  readonly updated: bigint;
  readonly deleted: bigint;
};

export const ZERO_COUNTERS: SendpayCounters = { created: 0n, updated: 0n, deleted: 0n };

export type IndexName = 'created' | 'updated' | 'deleted';

/** One increment of a sendpays wait index, with the details `wait` reports. */
export type IndexBump = {
  readonly subsystem: 'sendpays';
  readonly index: IndexName;
  readonly value: bigint;
  readonly details: {
    readonly status: PaymentStatus;
    readonly partid: bigint;
    readonly groupid: bigint;
    readonly payment_hash: string;
  };
};

/** A channel the first hop could use (runtime's view of our channels). */
export type FirstHopChannel = {
  readonly peer_id: string;
  /** Real short_channel_id, once confirmed. */
  readonly scid?: bigint;
  /** Our local alias for the channel (zero-conf / private). */
  readonly local_alias?: bigint;
  /** Our spendable side. */
  readonly our_msat: bigint;
  /** Channel state allows offering HTLCs (CHANNELD_NORMAL and the like). */
  readonly can_add_htlc: boolean;
  /** The peer's connection is up; false yields "First peer not ready". */
  readonly peer_connected: boolean;
};

/** State of a `localinvreqid` (BOLT 12 invoice_request we published). */
export type InvoiceRequestState =
  | { readonly found: false }
  | {
      readonly found: true;
      readonly active: boolean;
      readonly single_use: boolean;
      /** First payment row that used this invoice_request (lowest created_index), if any. */
      readonly first_payment?: { readonly status: PaymentStatus; readonly payment_hash: string };
    };

/** How an offered HTLC ended, decoded by the onion/channel layers. */
export type HtlcOutcome =
  /** update_fulfill_htlc: the preimage (hex). */
  | { readonly kind: 'fulfilled'; readonly preimage: string }
  /** Reply onion decrypted: failure message from route position `origin_index` (0 = first hop). */
  | { readonly kind: 'remote'; readonly origin_index: number; readonly message: Uint8Array; readonly reply_onion: Uint8Array }
  /** Reply onion could not be decrypted with our shared secrets. */
  | { readonly kind: 'unparseable'; readonly reply_onion: Uint8Array }
  /** Our direct peer sent update_fail_malformed_htlc. */
  | { readonly kind: 'malformed'; readonly failure_code: number; readonly sha256_of_onion: Uint8Array }
  /**
   * Our own channel refused or dropped the HTLC after it was stored (capacity, dust, too many,
   * on-chain timeout...). `reason` is channeld's text, e.g. "Capacity exceeded - HTLC fee: 123sat".
   */
  | { readonly kind: 'local'; readonly failcode: number; readonly reason: string }
  /** Failed without any reason (e.g. found pending at startup with no HTLC): replays as 209. */
  | { readonly kind: 'unknown' };
