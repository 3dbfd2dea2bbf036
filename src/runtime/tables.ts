// Tables the runtime itself owns (the layers below declare theirs).
//
// - htlc_origins: why we offered an HTLC (a payment attempt or a forward), written in the same
//   commit as the HTLC, so its end finds its way back after any crash.
// - outbox: channel events that need follow-up work (an incoming HTLC to forward/receive, a
//   preimage, a resolved HTLC), written in the same commit as the channel step that produced them
//   and deleted in the commit that finishes the follow-up. Replayed at startup.
// - fundings: funding transactions we built, kept until funding_signed says broadcast them.
import type { TableSpec } from '../store/types.js';

export const ORIGINS_TABLE: TableSpec = {
  name: 'htlc_origins',
  keyPath: ['channel_id', 'htlc_id'],
  indexes: [{ name: 'attempt', keyPath: ['payment_hash', 'partid_key', 'groupid_key'] }],
};

export const OUTBOX_TABLE: TableSpec = { name: 'outbox', keyPath: 'key', indexes: [] };

export const FUNDINGS_TABLE: TableSpec = { name: 'fundings', keyPath: 'channel_ref', indexes: [] };

export type OriginRecord =
  | {
      channel_id: string;
      htlc_id: number;
      kind: 'payment';
      payment_hash: string;
      partid: bigint;
      groupid: bigint;
      partid_key: string;
      groupid_key: string;
    }
  | {
      channel_id: string;
      htlc_id: number;
      kind: 'forward';
      in_channel_id: string;
      in_htlc_id: number;
      /** The incoming onion's shared secret: wraps the failure we send back upstream. */
      in_shared_secret: Uint8Array;
      /** The forward record's incoming key (forwardInKey), its unique index. */
      forward_key: string;
    };

export type OutboxRecord =
  | { key: string; kind: 'incoming'; channel_id: string; htlc_id: number }
  | { key: string; kind: 'preimage'; channel_id: string; htlc_id: number; preimage: Uint8Array }
  | {
      key: string;
      kind: 'resolved';
      channel_id: string;
      htlc_id: number;
      offerer: 'local' | 'remote';
      result: 'fulfill' | 'fail' | 'fail_malformed';
      preimage?: Uint8Array;
      reason?: Uint8Array;
      sha256_of_onion?: Uint8Array;
      failure_code?: number;
    };

export function outboxKey(kind: OutboxRecord['kind'], channelId: string, offerer: 'local' | 'remote', htlcId: number): string {
  return `${kind}:${channelId}:${offerer}:${htlcId}`;
}

export interface FundingRecord {
  /** temporary_channel_id until funding_created, then still the key we look up by. */
  channel_ref: string;
  tx_hex: string;
  txid: string;
  output_index: number;
  broadcast: boolean;
}
