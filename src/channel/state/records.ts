// Persistence: the two tables (TableSpec-shaped plain objects, so the channel layer does not import
// the store), the write operations a transition produces, and restore(), which validates records
// read back (ours, but a corrupt record must fail loudly, not half-load) and rebuilds the channel.
import { isHex } from '../../util/bytes.js';
import { isChannelType } from '../channel-type.js';
import { parseShachainStore } from '../shachain-store.js';
import type { ChannelKeySource } from './keys.js';
import { ChannelSigner } from './keys.js';
import { htlcMapKey } from './draft.js';
import type {
  Channel,
  ChannelParams,
  ChannelPolicy,
  ChannelRecord,
  ChannelStateName,
  ChannelWrites,
  ClosingNegotiation,
  CtnPair,
  FeeUpdate,
  HtlcRecord,
  HtlcRemoval,
  RemoteKeys,
} from './types.js';
import { ChannelStateError } from './errors.js';

export const CHANNELS_TABLE = {
  name: 'channels',
  keyPath: 'channel_id',
  indexes: [{ name: 'peer_id', keyPath: 'peer_id' }],
};

export const HTLCS_TABLE = {
  name: 'htlcs',
  keyPath: ['channel_id', 'offerer', 'id'],
  indexes: [
    { name: 'channel_id', keyPath: 'channel_id' },
    { name: 'payment_hash', keyPath: 'payment_hash' },
  ],
};

/** Both tables, for the runtime's schema. */
export const CHANNEL_TABLES = [CHANNELS_TABLE, HTLCS_TABLE];

export type ChannelWriteOp =
  | { readonly table: string; readonly put: ChannelRecord | HtlcRecord }
  | { readonly table: string; readonly delete: [string, string, number] };

/** A transition's `persist` as store write operations (to commit with the runtime's own writes). */
export function channelWriteOps(w: ChannelWrites): ChannelWriteOp[] {
  const ops: ChannelWriteOp[] = [];
  if (w.channel) ops.push({ table: CHANNELS_TABLE.name, put: w.channel });
  for (const h of w.htlcs) ops.push({ table: HTLCS_TABLE.name, put: h });
  for (const k of w.deleted_htlcs) ops.push({ table: HTLCS_TABLE.name, delete: [k[0], k[1], k[2]] });
  return ops;
}

// ---- validation of records read back ----

type Obj = Record<string, unknown>;

function bad(why: string): never {
  throw new ChannelStateError('BAD_RECORD', why);
}

function obj(v: unknown, what: string): Obj {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) bad(`${what} is not an object`);
  return v as Obj;
}

function int(o: Obj, k: string, min = 0, max = Number.MAX_SAFE_INTEGER): number {
  const v = o[k];
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) bad(`${k} is not an integer in ${min}..${max}`);
  return v;
}

function intOrNull(o: Obj, k: string): number | null {
  return o[k] === null || o[k] === undefined ? null : int(o, k);
}

function big(o: Obj, k: string): bigint {
  const v = o[k];
  if (typeof v !== 'bigint' || v < 0n) bad(`${k} is not a non-negative bigint`);
  return v;
}

function bigOrNull(o: Obj, k: string): bigint | null {
  return o[k] === null || o[k] === undefined ? null : big(o, k);
}

function bool(o: Obj, k: string): boolean {
  if (typeof o[k] !== 'boolean') bad(`${k} is not a boolean`);
  return o[k] as boolean;
}

function bytes(o: Obj, k: string, len?: number): Uint8Array {
  const v = o[k];
  if (!(v instanceof Uint8Array) || (len !== undefined && v.length !== len)) bad(`${k} is not ${len ?? 'a'} byte string`);
  return v;
}

function bytesOrNull(o: Obj, k: string, len?: number): Uint8Array | null {
  return o[k] === null || o[k] === undefined ? null : bytes(o, k, len);
}

function hex(o: Obj, k: string, len: number): string {
  const v = o[k];
  if (!isHex(v, len)) bad(`${k} is not ${len}-byte hex`);
  return v.toLowerCase();
}

const STATES: readonly ChannelStateName[] = [
  'OPEN_SENT',
  'AWAITING_FUNDING_TX',
  'FUNDING_CREATED_SENT',
  'ACCEPT_SENT',
  'AWAITING_LOCKIN',
  'NORMAL',
  'SHUTDOWN',
  'NEGOTIATING',
  'CLOSING_COMPLETE',
  'FORCE_CLOSED',
  'DATA_LOSS',
  'ONCHAIN',
  'ABORTED',
];

function ctnPair(v: unknown, what: string): CtnPair {
  const o = obj(v, what);
  return { local: intOrNull(o, 'local'), remote: intOrNull(o, 'remote') };
}

function params(v: unknown, what: string): ChannelParams {
  const o = obj(v, what);
  return {
    dust_limit_satoshis: big(o, 'dust_limit_satoshis'),
    max_htlc_value_in_flight_msat: big(o, 'max_htlc_value_in_flight_msat'),
    channel_reserve_satoshis: big(o, 'channel_reserve_satoshis'),
    htlc_minimum_msat: big(o, 'htlc_minimum_msat'),
    to_self_delay: int(o, 'to_self_delay', 0, 0xffff),
    max_accepted_htlcs: int(o, 'max_accepted_htlcs', 0, 0xffff),
    upfront_shutdown_script: bytes(o, 'upfront_shutdown_script'),
  };
}

function remoteKeys(v: unknown): RemoteKeys {
  const o = obj(v, 'remote_keys');
  return {
    funding_pubkey: bytes(o, 'funding_pubkey', 33),
    revocation_basepoint: bytes(o, 'revocation_basepoint', 33),
    payment_basepoint: bytes(o, 'payment_basepoint', 33),
    delayed_payment_basepoint: bytes(o, 'delayed_payment_basepoint', 33),
    htlc_basepoint: bytes(o, 'htlc_basepoint', 33),
  };
}

function policy(v: unknown): ChannelPolicy {
  const o = obj(v, 'policy');
  return {
    dust_limit_satoshis: big(o, 'dust_limit_satoshis'),
    to_self_delay: int(o, 'to_self_delay'),
    max_accepted_htlcs: int(o, 'max_accepted_htlcs'),
    htlc_minimum_msat: big(o, 'htlc_minimum_msat'),
    max_htlc_value_in_flight_msat: bigOrNull(o, 'max_htlc_value_in_flight_msat'),
    reserve_ppm: int(o, 'reserve_ppm'),
    minimum_depth: int(o, 'minimum_depth'),
    max_to_self_delay: int(o, 'max_to_self_delay'),
    max_minimum_depth: int(o, 'max_minimum_depth'),
    min_funding_satoshis: big(o, 'min_funding_satoshis'),
    max_dust_limit_satoshis: big(o, 'max_dust_limit_satoshis'),
    min_max_accepted_htlcs: int(o, 'min_max_accepted_htlcs'),
    max_reserve_ppm: int(o, 'max_reserve_ppm'),
    allow_anchors: bool(o, 'allow_anchors'),
    max_dust_exposure_msat: big(o, 'max_dust_exposure_msat'),
    min_feerate_per_kw: int(o, 'min_feerate_per_kw'),
    max_feerate_per_kw: int(o, 'max_feerate_per_kw'),
  };
}

function closing(v: unknown): ClosingNegotiation {
  const o = obj(v, 'closing');
  let range: ClosingNegotiation['fee_range'] = null;
  if (o.fee_range !== null && o.fee_range !== undefined) {
    const f = obj(o.fee_range, 'fee_range');
    range = { min_fee_satoshis: big(f, 'min_fee_satoshis'), max_fee_satoshis: big(f, 'max_fee_satoshis') };
  }
  // Both absent from records written before `close` took feerange / fee_negotiation_step.
  let rates: ClosingNegotiation['feerate_range'] = null;
  if (o.feerate_range !== null && o.feerate_range !== undefined) {
    const f = obj(o.feerate_range, 'feerate_range');
    rates = { min_per_kw: int(f, 'min_per_kw'), max_per_kw: int(f, 'max_per_kw') };
  }
  let step: ClosingNegotiation['fee_step'] = null;
  if (o.fee_step !== null && o.fee_step !== undefined) {
    const f = obj(o.fee_step, 'fee_step');
    if (f.unit === 'percent') step = { unit: 'percent', value: int(f, 'value', 1, 100) };
    else if (f.unit === 'sat') step = { unit: 'sat', value: big(f, 'value') };
    else bad('fee_step.unit is not percent or sat');
  }
  return {
    shutdown_requested: bool(o, 'shutdown_requested'),
    shutdown_sent: bool(o, 'shutdown_sent'),
    shutdown_received: bool(o, 'shutdown_received'),
    local_script: bytesOrNull(o, 'local_script'),
    remote_script: bytesOrNull(o, 'remote_script'),
    feerate_per_kw: intOrNull(o, 'feerate_per_kw'),
    fee_range: range,
    feerate_range: rates,
    fee_step: step,
    last_sent_fee: bigOrNull(o, 'last_sent_fee'),
    last_received_fee: bigOrNull(o, 'last_received_fee'),
    closing_tx: bytesOrNull(o, 'closing_tx'),
  };
}

export function parseChannelRecord(v: unknown): ChannelRecord {
  const o = obj(v, 'channel record');
  if (o.v !== 1) bad(`unsupported channel record version ${String(o.v)}`);
  const state = o.state as ChannelStateName;
  if (!STATES.includes(state)) bad(`unknown state ${String(o.state)}`);
  if (!isChannelType(o.channel_type)) bad('unknown channel_type');
  const sigs = o.local_htlc_sigs;
  if (!Array.isArray(sigs) || sigs.some((s) => !(s instanceof Uint8Array) || s.length !== 64)) bad('bad local_htlc_sigs');
  const fees = o.fee_updates;
  if (!Array.isArray(fees)) bad('fee_updates is not an array');
  let secrets;
  try {
    secrets = parseShachainStore(o.remote_secrets);
  } catch (e) {
    bad(`remote_secrets: ${(e as Error).message}`);
  }
  return {
    v: 1,
    channel_id: hex(o, 'channel_id', 32),
    temporary_channel_id: hex(o, 'temporary_channel_id', 32),
    peer_id: hex(o, 'peer_id', 33),
    key_index: int(o, 'key_index', 0, 0xffffffff),
    chain_hash: bytes(o, 'chain_hash', 32),
    funder: bool(o, 'funder'),
    channel_type: o.channel_type,
    scid_alias: bool(o, 'scid_alias'),
    zeroconf: bool(o, 'zeroconf'),
    announce: bool(o, 'announce'),
    peer_scid_alias: bool(o, 'peer_scid_alias'),
    peer_anysegwit: bool(o, 'peer_anysegwit'),
    state,
    funding_txid: bytesOrNull(o, 'funding_txid', 32),
    funding_output_index: int(o, 'funding_output_index', 0, 0xffff),
    funding_satoshis: big(o, 'funding_satoshis'),
    push_msat: big(o, 'push_msat'),
    minimum_depth: int(o, 'minimum_depth'),
    funding_depth: int(o, 'funding_depth'),
    local_params: params(o.local_params, 'local_params'),
    remote_params: o.remote_params === null ? null : params(o.remote_params, 'remote_params'),
    remote_keys: o.remote_keys === null ? null : remoteKeys(o.remote_keys),
    remote_current_point: bytesOrNull(o, 'remote_current_point', 33),
    remote_next_point: bytesOrNull(o, 'remote_next_point', 33),
    local_ctn: int(o, 'local_ctn'),
    remote_ctn: int(o, 'remote_ctn'),
    awaiting_revoke: bool(o, 'awaiting_revoke'),
    last_commit_seq: int(o, 'last_commit_seq'),
    last_revoke_seq: int(o, 'last_revoke_seq'),
    local_commit_sig: bytesOrNull(o, 'local_commit_sig', 64),
    local_htlc_sigs: sigs as Uint8Array[],
    remote_secrets: secrets,
    base_local_msat: big(o, 'base_local_msat'),
    base_remote_msat: big(o, 'base_remote_msat'),
    base_feerate_per_kw: int(o, 'base_feerate_per_kw', 0, 0xffffffff),
    fee_updates: fees.map((f: unknown): FeeUpdate => {
      const x = obj(f, 'fee update');
      return { feerate_per_kw: int(x, 'feerate_per_kw', 0, 0xffffffff), at: ctnPair(x.at, 'fee update at'), seq: int(x, 'seq') };
    }),
    next_local_htlc_id: int(o, 'next_local_htlc_id'),
    next_update_seq: int(o, 'next_update_seq'),
    next_remote_htlc_id: int(o, 'next_remote_htlc_id'),
    local_alias: big(o, 'local_alias'),
    remote_alias: bigOrNull(o, 'remote_alias'),
    short_channel_id: bigOrNull(o, 'short_channel_id'),
    ready_sent: bool(o, 'ready_sent'),
    ready_received: bool(o, 'ready_received'),
    closing: closing(o.closing),
    policy: policy(o.policy),
    failure: o.failure === null ? null : typeof o.failure === 'string' ? o.failure : bad('bad failure'),
  };
}

function removal(v: unknown): HtlcRemoval | null {
  if (v === null || v === undefined) return null;
  const o = obj(v, 'removal');
  const kind = o.kind;
  if (kind !== 'fulfill' && kind !== 'fail' && kind !== 'fail_malformed') bad('bad removal kind');
  const r: HtlcRemoval = {
    kind,
    preimage: bytesOrNull(o, 'preimage', 32),
    reason: bytesOrNull(o, 'reason'),
    sha256_of_onion: bytesOrNull(o, 'sha256_of_onion', 32),
    failure_code: intOrNull(o, 'failure_code'),
    at: ctnPair(o.at, 'removal at'),
    seq: int(o, 'seq'),
  };
  if ((kind === 'fulfill' && !r.preimage) || (kind === 'fail' && !r.reason) || (kind === 'fail_malformed' && (!r.sha256_of_onion || r.failure_code === null))) {
    bad(`removal ${kind} misses its data`);
  }
  return r;
}

function failOnCommit(v: unknown): HtlcRecord['fail_on_commit'] {
  if (v === null || v === undefined) return null;
  if (v === 'dust_exposure' || v === 'shutting_down') return v;
  return bad('bad fail_on_commit');
}

export function parseHtlcRecord(v: unknown): HtlcRecord {
  const o = obj(v, 'htlc record');
  if (o.v !== 1) bad(`unsupported htlc record version ${String(o.v)}`);
  if (o.offerer !== 'local' && o.offerer !== 'remote') bad('bad offerer');
  return {
    v: 1,
    channel_id: hex(o, 'channel_id', 32),
    offerer: o.offerer,
    id: int(o, 'id'),
    amount_msat: big(o, 'amount_msat'),
    payment_hash: hex(o, 'payment_hash', 32),
    cltv_expiry: int(o, 'cltv_expiry', 0, 0xffffffff),
    onion: bytes(o, 'onion'),
    path_key: bytesOrNull(o, 'path_key', 33),
    added: ctnPair(o.added, 'added'),
    add_seq: int(o, 'add_seq'),
    removal: removal(o.removal),
    preimage: bytesOrNull(o, 'preimage', 32),
    add_notified: bool(o, 'add_notified'),
    fail_on_commit: failOnCommit(o.fail_on_commit),
  };
}

/**
 * Rebuilds a channel from its records. The connection starts `disconnected`: call peerConnected
 * once the peer is back. Throws ChannelStateError BAD_RECORD on malformed records.
 */
export function restoreChannel(keys: ChannelKeySource, channelRecord: unknown, htlcRecords: readonly unknown[]): Channel {
  const record = parseChannelRecord(channelRecord);
  const htlcs = new Map<string, HtlcRecord>();
  for (const raw of htlcRecords) {
    const h = parseHtlcRecord(raw);
    if (h.channel_id !== record.channel_id) bad(`HTLC record of channel ${h.channel_id} given for ${record.channel_id}`);
    const k = htlcMapKey(h.offerer, h.id);
    if (htlcs.has(k)) bad(`duplicate HTLC record ${k}`);
    htlcs.set(k, h);
  }
  return { record, htlcs, signer: new ChannelSigner(keys(record.key_index)), connection: 'disconnected', persisted: true };
}
