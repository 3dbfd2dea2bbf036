// listforwards: Core Lightning's parameters, checks, selection and output format (field order of
// json_add_forwarding_fields). The runtime loads candidates with forwardsStoreQuery and passes
// them through selectForwards, which applies every filter, the order and the limit.
import { JSONRPC2_INVALID_PARAMS, RpcError, failWith, ok, type Outcome } from '../rpc/errors.js';
import { tokenText } from '../rpc/json-parse.js';
import { badParam, opt, optDef, type ParamParser, type ParamsOf } from '../rpc/params.js';
import { paramIndex, paramU32, paramU64 } from '../rpc/parsers.js';
import type { Scid } from '../types.js';
import { failreasonOf } from './failure.js';
import { FORWARD_STATUSES, u64Key, type ForwardRecord, type ForwardStatus } from './record.js';
import { paramShortChannelId, scidText } from '../rpc/scid-text.js';

/** param_forward_status: the raw token text must name a status (FORWARD_ANY when absent). */
const paramForwardStatus: ParamParser<ForwardStatus | 'any'> = (tok, name, ctx) => {
  const hit = FORWARD_STATUSES.find((s) => s === tokenText(tok));
  return hit === undefined ? failWith(badParam(name, 'Unrecognized status', tok, ctx)) : ok(hit);
};

export const LISTFORWARDS_PARAMS = [
  optDef('status', paramForwardStatus, 'any' as ForwardStatus | 'any'),
  opt('in_channel', paramShortChannelId),
  opt('out_channel', paramShortChannelId),
  opt('index', paramIndex),
  optDef('start', paramU64, 0n),
  opt('limit', paramU32),
] as const;

export type ListforwardsParams = ParamsOf<typeof LISTFORWARDS_PARAMS>;

export interface ForwardsQuery {
  readonly status?: ForwardStatus;
  readonly in_channel?: Scid;
  readonly out_channel?: Scid;
  /** created (also for index=deleted, as Core Lightning's SQL falls back to it) or updated. */
  readonly order: 'created' | 'updated';
  readonly start: bigint;
  readonly limit?: number;
}

const invalid = (message: string): Outcome<ForwardsQuery> => failWith(new RpcError(JSONRPC2_INVALID_PARAMS, message));

/** json_listforwards' checks, in its order. */
export function planListforwards(p: ListforwardsParams): Outcome<ForwardsQuery> {
  if (p.start !== 0n && p.index === undefined) return invalid('Can only specify {start} with {index}');
  if (p.limit !== undefined && p.index === undefined) return invalid('Can only specify {limit} with {index}');
  if ((p.in_channel !== undefined || p.out_channel !== undefined) && p.start !== 0n) {
    return invalid('Cannot use start with in_channel or out_channel');
  }
  return ok({
    order: p.index === 'updated' ? 'updated' : 'created',
    start: p.start,
    ...(p.status === 'any' ? {} : { status: p.status }),
    ...(p.in_channel === undefined ? {} : { in_channel: p.in_channel }),
    ...(p.out_channel === undefined ? {} : { out_channel: p.out_channel }),
    ...(p.limit === undefined ? {} : { limit: p.limit }),
  });
}

const cmp = (a: bigint, b: bigint): number => (a < b ? -1 : a > b ? 1 : 0);

/**
 * Filters, orders and limits. In updated order only records that were updated take part (SQL's
 * `updated_index >= start` is false for NULL), ordered by updated_index.
 */
export function selectForwards(q: ForwardsQuery, records: readonly ForwardRecord[]): ForwardRecord[] {
  const picked = records.filter(
    (r) =>
      (q.status === undefined || r.status === q.status) &&
      (q.in_channel === undefined || r.in_channel === q.in_channel) &&
      (q.out_channel === undefined || r.out_channel === q.out_channel) &&
      (q.order === 'created' ? r.created_index >= q.start : r.updated_index > 0n && r.updated_index >= q.start),
  );
  picked.sort((a, b) => (q.order === 'created' ? cmp(a.created_index, b.created_index) : cmp(a.updated_index, b.updated_index)));
  return q.limit === undefined ? picked : picked.slice(0, q.limit);
}

/** An index range over FORWARDS_TABLE that contains every record selectForwards can return. */
export type ForwardsStoreQuery = {
  /** Index name; undefined = primary key (created_key). */
  readonly index?: string;
  readonly lower: string | string[];
  readonly upper?: string | string[];
};

const KEY_MAX = '~';

export function forwardsStoreQuery(q: ForwardsQuery): ForwardsStoreQuery {
  if (q.in_channel !== undefined) {
    const k = u64Key(q.in_channel);
    return { index: 'by_in_channel', lower: [k, ''], upper: [k, KEY_MAX] };
  }
  if (q.out_channel !== undefined) {
    const k = u64Key(q.out_channel);
    return { index: 'by_out_channel', lower: [k, ''], upper: [k, KEY_MAX] };
  }
  if (q.order === 'updated') return { index: 'by_updated', lower: u64Key(q.start) };
  if (q.status !== undefined) return { index: 'by_status', lower: [q.status, u64Key(q.start)], upper: [q.status, KEY_MAX] };
  return { lower: u64Key(q.start) };
}

/** One listforwards entry (also the body of a forward_event notification, with payment_hash). */
export type ForwardObject = {
  readonly created_index?: bigint;
  readonly updated_index?: bigint;
  readonly payment_hash?: string;
  readonly in_channel: string;
  readonly in_htlc_id: bigint;
  readonly out_channel?: string;
  readonly out_htlc_id?: bigint;
  readonly in_msat: bigint;
  readonly out_msat?: bigint;
  readonly fee_msat?: bigint;
  readonly status: ForwardStatus;
  readonly failcode?: number;
  readonly failreason?: string;
  readonly style: 'tlv';
  readonly received_time: number;
  readonly resolved_time?: number;
};

/** Core Lightning's field order (spreads keep insertion order); `withPaymentHash` for forward_event. */
export function formatForward(r: ForwardRecord, withPaymentHash = false): ForwardObject {
  const out = r.out_msat !== undefined && r.out_msat !== 0n ? r.out_msat : undefined;
  const failed = r.failcode !== undefined && r.failcode !== 0 ? r.failcode : undefined;
  return {
    created_index: r.created_index,
    ...(r.updated_index > 0n ? { updated_index: r.updated_index } : {}),
    ...(withPaymentHash && r.payment_hash !== undefined ? { payment_hash: r.payment_hash } : {}),
    in_channel: scidText(r.in_channel),
    in_htlc_id: r.in_htlc_id,
    ...(r.out_channel === undefined
      ? {}
      : { out_channel: scidText(r.out_channel), ...(r.out_htlc_id === undefined ? {} : { out_htlc_id: r.out_htlc_id }) }),
    in_msat: r.in_msat,
    ...(out === undefined ? {} : { out_msat: out, fee_msat: r.in_msat - out }),
    status: r.status,
    ...(failed === undefined ? {} : { failcode: failed, failreason: failreasonOf(failed) }),
    style: 'tlv',
    received_time: r.received_time,
    ...(r.resolved_time === undefined ? {} : { resolved_time: r.resolved_time }),
  };
}

export type ListforwardsResult = { readonly forwards: ForwardObject[] };

export function formatListforwards(records: readonly ForwardRecord[]): ListforwardsResult {
  return { forwards: records.map((r) => formatForward(r)) };
}
