// One record per HTLC we were asked to forward, as Core Lightning's `forwards` table keeps it, and
// its transitions: offered → settled | failed, or local_failed at once when we refuse the HTLC
// ourselves. created_index / updated_index are the `forwards` wait-subsystem counters; records and
// counters go to the store in the same transaction.
import type { Scid } from '../types.js';
import { scidText } from '../rpc/scid-text.js';

export type ForwardStatus = 'offered' | 'settled' | 'failed' | 'local_failed';
export const FORWARD_STATUSES: readonly ForwardStatus[] = ['offered', 'settled', 'local_failed', 'failed'];

/** A Store record: u64 values are bigint; *_key mirrors are the IndexedDB keys (see FORWARDS_TABLE). */
export type ForwardRecord = {
  readonly created_index: bigint;
  /** 0n until the first status change (listforwards then omits it). */
  readonly updated_index: bigint;
  readonly created_key: string;
  /** Absent until updated, so never-updated records stay out of the updated index. */
  readonly updated_key?: string;
  readonly in_channel: Scid;
  readonly in_htlc_id: bigint;
  /** `${in_channel}/${in_htlc_id}` as padded keys: Core Lightning's primary key of a forward. */
  readonly in_key: string;
  readonly in_channel_key: string;
  readonly in_msat: bigint;
  readonly out_channel?: Scid;
  readonly out_channel_key?: string;
  readonly out_htlc_id?: bigint;
  /** Absent for local failures: no HTLC left on the outgoing channel. */
  readonly out_msat?: bigint;
  readonly status: ForwardStatus;
  /** Our own BOLT 4 failure code (local failures; failed offers when our side failed them). */
  readonly failcode?: number;
  readonly payment_hash?: string;
  /** Unix seconds with millisecond fraction, as Core Lightning's json_add_timeabs prints them. */
  readonly received_time: number;
  readonly resolved_time?: number;
  readonly style: 'tlv';
};

/** The three `forwards` wait indexes. */
export type ForwardCounters = { readonly created: bigint; readonly updated: bigint; readonly deleted: bigint };
export const ZERO_FORWARD_COUNTERS: ForwardCounters = { created: 0n, updated: 0n, deleted: 0n };

/** One increment of a `forwards` wait index with the details Core Lightning's `wait` reports. */
export type ForwardIndexBump = {
  readonly subsystem: 'forwards';
  readonly index: 'created' | 'updated' | 'deleted';
  readonly value: bigint;
  readonly details: {
    readonly status: ForwardStatus;
    readonly in_channel: string;
    readonly in_htlc_id: bigint;
    readonly in_msat: bigint;
    readonly out_channel?: string;
  };
};

export type ForwardChange = { readonly record: ForwardRecord; readonly counters: ForwardCounters; readonly bump: ForwardIndexBump };

/** u64 → 20-digit zero-padded decimal: lexical order = numeric order, as IndexedDB keys need. */
export function u64Key(n: bigint): string {
  return n.toString().padStart(20, '0');
}

/**
 * Suggested table (structurally a store TableSpec; forwarding does not import store/). Primary key
 * = created_key (creation order). Indexes: by_in (unique: one forward per incoming HTLC, where
 * settle/fail look it up), by_updated (sparse), by_status, by_in_channel, by_out_channel (for the
 * listforwards filters, each in creation order).
 */
export const FORWARDS_TABLE = {
  name: 'forwards',
  keyPath: 'created_key',
  indexes: [
    { name: 'by_in', keyPath: 'in_key', unique: true },
    { name: 'by_updated', keyPath: 'updated_key' },
    { name: 'by_status', keyPath: ['status', 'created_key'] },
    { name: 'by_in_channel', keyPath: ['in_channel_key', 'created_key'] },
    { name: 'by_out_channel', keyPath: ['out_channel_key', 'created_key'] },
  ],
} as const;

/** The by_in key of an incoming HTLC. */
export function forwardInKey(inChannel: Scid | bigint, inHtlcId: bigint): string {
  return `${u64Key(inChannel)}/${u64Key(inHtlcId)}`;
}

export interface IncomingSide {
  readonly in_channel: Scid;
  readonly in_htlc_id: bigint;
  readonly in_msat: bigint;
  readonly payment_hash?: string;
  /** Milliseconds since the epoch when the HTLC was received (irrevocably committed). */
  readonly received_ms: number;
}

function bump(index: ForwardIndexBump['index'], value: bigint, r: ForwardRecord): ForwardIndexBump {
  return {
    subsystem: 'forwards',
    index,
    value,
    details: {
      status: r.status,
      in_channel: scidText(r.in_channel),
      in_htlc_id: r.in_htlc_id,
      in_msat: r.in_msat,
      ...(r.out_channel === undefined ? {} : { out_channel: scidText(r.out_channel) }),
    },
  };
}

function created(base: Omit<ForwardRecord, 'created_index' | 'created_key' | 'updated_index'>, counters: ForwardCounters): ForwardChange {
  const index = counters.created + 1n;
  const record: ForwardRecord = { ...base, created_index: index, created_key: u64Key(index), updated_index: 0n };
  return { record, counters: { ...counters, created: index }, bump: bump('created', index, record) };
}

function incomingFields(i: IncomingSide): Pick<ForwardRecord, 'in_channel' | 'in_htlc_id' | 'in_key' | 'in_channel_key' | 'in_msat' | 'received_time' | 'style' | 'payment_hash'> {
  return {
    in_channel: i.in_channel,
    in_htlc_id: i.in_htlc_id,
    in_key: forwardInKey(i.in_channel, i.in_htlc_id),
    in_channel_key: u64Key(i.in_channel),
    in_msat: i.in_msat,
    received_time: i.received_ms / 1000,
    style: 'tlv',
    ...(i.payment_hash === undefined ? {} : { payment_hash: i.payment_hash }),
  };
}

/** We offered the outgoing HTLC (persist together with the channel update that carries it). */
export function forwardOffered(
  i: IncomingSide,
  out: { readonly out_channel: Scid; readonly out_htlc_id: bigint; readonly out_msat: bigint },
  counters: ForwardCounters,
): ForwardChange {
  return created(
    {
      ...incomingFields(i),
      out_channel: out.out_channel,
      out_channel_key: u64Key(out.out_channel),
      out_htlc_id: out.out_htlc_id,
      out_msat: out.out_msat,
      status: 'offered',
    },
    counters,
  );
}

/**
 * We refused the HTLC ourselves (checkForward said no, or the channel refused the add). Like Core
 * Lightning: no out_msat and no resolved_time; out_channel when we knew which channel was meant.
 */
export function forwardLocalFailed(i: IncomingSide, failcode: number, outChannel: Scid | undefined, counters: ForwardCounters): ForwardChange {
  return created(
    {
      ...incomingFields(i),
      ...(outChannel === undefined ? {} : { out_channel: outChannel, out_channel_key: u64Key(outChannel) }),
      status: 'local_failed',
      failcode,
    },
    counters,
  );
}

export type ForwardTransition = ({ readonly ok: true } & ForwardChange) | { readonly ok: false; readonly reason: string };

function resolve(r: ForwardRecord, status: 'settled' | 'failed', nowMs: number, counters: ForwardCounters, failcode?: number): ForwardTransition {
  if (r.status !== 'offered') return { ok: false, reason: `forward is ${r.status}, not offered` };
  const index = counters.updated + 1n;
  const record: ForwardRecord = {
    ...r,
    status,
    updated_index: index,
    updated_key: u64Key(index),
    resolved_time: nowMs / 1000,
    ...(failcode === undefined ? {} : { failcode }),
  };
  return { ok: true, record, counters: { ...counters, updated: index }, bump: bump('updated', index, record) };
}

/** The outgoing HTLC was fulfilled (we learned the preimage): fee earned. */
export function forwardSettled(r: ForwardRecord, nowMs: number, counters: ForwardCounters): ForwardTransition {
  return resolve(r, 'settled', nowMs, counters);
}

/**
 * The outgoing HTLC failed. `failcode` only when the failure is ours (e.g. the peer vanished and
 * we failed it with temporary_channel_failure); a downstream failure onion has no code we can read.
 */
export function forwardFailed(r: ForwardRecord, nowMs: number, counters: ForwardCounters, failcode?: number): ForwardTransition {
  return resolve(r, 'failed', nowMs, counters, failcode);
}
