// Forward records (transitions, counters, wait bumps) and listforwards (parameters, checks,
// selection, Core Lightning's output format).
import { describe, expect, it } from 'vitest';
import {
  FORWARDS_TABLE,
  LISTFORWARDS_PARAMS,
  ZERO_FORWARD_COUNTERS,
  formatListforwards,
  forwardFailed,
  forwardLocalFailed,
  forwardOffered,
  forwardSettled,
  forwardsStoreQuery,
  planListforwards,
  selectForwards,
  type ForwardCounters,
  type ForwardRecord,
  type IncomingSide,
} from '../../../src/forwarding/index.js';
import { FAILCODE } from '../../../src/onion/index.js';
import { parseJson, parseParams, stringifyJson, tokenFromValue, type JsonOut } from '../../../src/rpc/index.js';
import { scid } from '../../../src/types.js';
import { parseScid } from '../../../src/wire/index.js';

const IN = parseScid('116x1x1');
const OUT = parseScid('118x1x0');
const OTHER = parseScid('130x1x0');
const T0 = 1_738_000_000_123;

const incoming = (id: bigint, msat = 10_001n): IncomingSide => ({ in_channel: IN, in_htlc_id: id, in_msat: msat, received_ms: T0, payment_hash: 'aa'.repeat(32) });

function must<T extends { ok: boolean }>(r: T): Extract<T, { ok: true }> {
  if (!r.ok) throw new Error('transition refused');
  return r as Extract<T, { ok: true }>;
}

describe('forward records', () => {
  it('offered → settled: created then updated counters, resolved_time, by_in key', () => {
    const o = forwardOffered(incoming(1n), { out_channel: OUT, out_htlc_id: 4n, out_msat: 10_000n }, ZERO_FORWARD_COUNTERS);
    expect(o.record).toMatchObject({ status: 'offered', created_index: 1n, updated_index: 0n, received_time: 1_738_000_000.123, style: 'tlv' });
    expect(o.record.updated_key).toBeUndefined();
    expect(o.record.in_key).toBe('00000127543348887553/00000000000000000001'); // 116x1x1 as a u64, then the HTLC id
    expect(o.counters).toEqual({ created: 1n, updated: 0n, deleted: 0n });
    expect(o.bump).toEqual({
      subsystem: 'forwards',
      index: 'created',
      value: 1n,
      details: { status: 'offered', in_channel: '116x1x1', in_htlc_id: 1n, in_msat: 10_001n, out_channel: '118x1x0' },
    });
    const s = must(forwardSettled(o.record, T0 + 5000, o.counters));
    expect(s.record).toMatchObject({ status: 'settled', updated_index: 1n, updated_key: '00000000000000000001', resolved_time: 1_738_000_005.123 });
    expect(s.counters).toEqual({ created: 1n, updated: 1n, deleted: 0n });
    expect(s.bump.index).toBe('updated');
    expect(forwardSettled(s.record, T0, s.counters)).toEqual({ ok: false, reason: 'forward is settled, not offered' });
  });

  it('offered → failed, with our failcode only when the failure was ours', () => {
    const o = forwardOffered(incoming(2n), { out_channel: OUT, out_htlc_id: 5n, out_msat: 10_000n }, ZERO_FORWARD_COUNTERS);
    expect(must(forwardFailed(o.record, T0, o.counters)).record.failcode).toBeUndefined();
    expect(must(forwardFailed(o.record, T0, o.counters, FAILCODE.temporary_channel_failure)).record.failcode).toBe(0x1007);
  });

  it('local_failed at once: no out_msat, no resolved_time, no update; cannot be settled', () => {
    const l = forwardLocalFailed(incoming(3n), FAILCODE.fee_insufficient, OUT, ZERO_FORWARD_COUNTERS);
    expect(l.record).toMatchObject({ status: 'local_failed', failcode: 4108, out_channel: OUT, created_index: 1n, updated_index: 0n });
    expect(l.record.out_msat).toBeUndefined();
    expect(l.record.resolved_time).toBeUndefined();
    expect(forwardFailed(l.record, T0, l.counters).ok).toBe(false);
  });

  it('table definition: created_key primary key, unique incoming HTLC, sparse updated index', () => {
    expect(FORWARDS_TABLE.keyPath).toBe('created_key');
    expect(FORWARDS_TABLE.indexes.find((i) => i.name === 'by_in')).toEqual({ name: 'by_in', keyPath: 'in_key', unique: true });
    expect(FORWARDS_TABLE.indexes.map((i) => i.name)).toEqual(['by_in', 'by_updated', 'by_status', 'by_in_channel', 'by_out_channel']);
  });
});

/** A little history: settled (1), local_failed (2), offered (3), failed (4), settled on OTHER (5). */
function history(): ForwardRecord[] {
  let c: ForwardCounters = ZERO_FORWARD_COUNTERS;
  const out: ForwardRecord[] = [];
  const add = (r: { record: ForwardRecord; counters: ForwardCounters }) => {
    c = r.counters;
    out.push(r.record);
    return r.record;
  };
  const a = add(forwardOffered(incoming(1n), { out_channel: OUT, out_htlc_id: 1n, out_msat: 10_000n }, c));
  add(forwardLocalFailed(incoming(2n, 1002n), FAILCODE.incorrect_cltv_expiry, OUT, c));
  add(forwardOffered(incoming(3n, 4_000_082n), { out_channel: OUT, out_htlc_id: 2n, out_msat: 4_000_041n }, c));
  const d = add(forwardOffered(incoming(4n), { out_channel: OUT, out_htlc_id: 3n, out_msat: 10_000n }, c));
  const e = add(forwardOffered({ ...incoming(5n, 50_000_501n) }, { out_channel: OTHER, out_htlc_id: 1n, out_msat: 50_000_000n }, c));
  // Resolve out of creation order: e first, then d, then a.
  for (const [r, fn] of [
    [e, forwardSettled],
    [d, forwardFailed],
    [a, forwardSettled],
  ] as const) {
    const t = must(fn(r, T0 + 1000, c));
    c = t.counters;
    out[out.indexOf(r)] = t.record;
  }
  return out;
}

function params(p: unknown) {
  const r = parseParams(LISTFORWARDS_PARAMS, tokenFromValue(p));
  if (!r.ok) throw r.error;
  return r.value;
}

function list(p: unknown, records = history()) {
  const q = planListforwards(params(p));
  if (!q.ok) throw q.error;
  return selectForwards(q.value, records).map((r) => r.created_index);
}

describe('listforwards parameters', () => {
  const err = (p: unknown) => {
    const parsed = parseParams(LISTFORWARDS_PARAMS, tokenFromValue(p));
    if (!parsed.ok) return parsed.error.toJSON();
    const q = planListforwards(parsed.value);
    return q.ok ? undefined : q.error.toJSON();
  };

  it('status names, with Core Lightning’s reason for others', () => {
    expect(err({ status: 'bogus' })).toEqual({ code: -32602, message: `status: Unrecognized status: invalid token '"bogus"'` });
    expect(err({ status: 'any' })).toEqual({ code: -32602, message: `status: Unrecognized status: invalid token '"any"'` });
    expect(err(['local_failed'])).toBeUndefined();
  });

  it('channels are short_channel_ids (CLN-lenient text)', () => {
    expect(err({ in_channel: 'nope' })).toEqual({ code: -32602, message: `in_channel: should be a short_channel_id of form NxNxN: invalid token '"nope"'` });
    expect(list({ in_channel: ' 116x1x1/0' })).toEqual([1n, 2n, 3n, 4n, 5n]);
  });

  it('start/limit need index; start cannot combine with channel filters', () => {
    expect(err({ start: 1 })).toEqual({ code: -32602, message: 'Can only specify {start} with {index}' });
    expect(err({ limit: 1 })).toEqual({ code: -32602, message: 'Can only specify {limit} with {index}' });
    expect(err({ index: 'created', start: 2, out_channel: '118x1x0' })).toEqual({ code: -32602, message: 'Cannot use start with in_channel or out_channel' });
    expect(err({ index: 'created', limit: 2, out_channel: '118x1x0' })).toBeUndefined();
  });
});

describe('listforwards selection', () => {
  it('all in created order; status and channel filters', () => {
    expect(list({})).toEqual([1n, 2n, 3n, 4n, 5n]);
    expect(list({ status: 'settled' })).toEqual([1n, 5n]);
    expect(list({ status: 'offered' })).toEqual([3n]);
    expect(list({ out_channel: '130x1x0' })).toEqual([5n]);
    expect(list({ in_channel: '116x1x1', out_channel: '118x1x0', status: 'failed' })).toEqual([4n]);
  });

  it('index=created with start/limit; index=updated lists only updated records in update order', () => {
    expect(list({ index: 'created', start: 2, limit: 2 })).toEqual([2n, 3n]);
    expect(list({ index: 'updated' })).toEqual([5n, 4n, 1n]);
    expect(list({ index: 'updated', start: 2, limit: 1 })).toEqual([4n]);
  });

  it('store queries cover the selection', () => {
    const q = (p: unknown) => {
      const r = planListforwards(params(p));
      if (!r.ok) throw r.error;
      return forwardsStoreQuery(r.value);
    };
    expect(q({})).toEqual({ lower: '00000000000000000000' });
    expect(q({ index: 'updated', start: 3 })).toEqual({ index: 'by_updated', lower: '00000000000000000003' });
    expect(q({ status: 'failed' })).toEqual({ index: 'by_status', lower: ['failed', '00000000000000000000'], upper: ['failed', '~'] });
    expect(q({ out_channel: '118x1x0', status: 'settled' }).index).toBe('by_out_channel');
  });
});

describe('listforwards output', () => {
  it('Core Lightning’s fields and order for settled, local_failed, offered and failed forwards', () => {
    const text = stringifyJson(formatListforwards(history()) as unknown as JsonOut);
    const forwards = parseJson(text);
    expect(forwards.type).toBe('object');
    expect(text).toContain(
      '{"created_index":1,"updated_index":3,"in_channel":"116x1x1","in_htlc_id":1,"out_channel":"118x1x0","out_htlc_id":1,"in_msat":10001,"out_msat":10000,"fee_msat":1,"status":"settled","style":"tlv","received_time":1738000000.123,"resolved_time":1738000001.123}',
    );
    expect(text).toContain(
      '{"created_index":2,"in_channel":"116x1x1","in_htlc_id":2,"out_channel":"118x1x0","in_msat":1002,"status":"local_failed","failcode":4109,"failreason":"WIRE_INCORRECT_CLTV_EXPIRY","style":"tlv","received_time":1738000000.123}',
    );
    expect(text).toContain(
      '{"created_index":3,"in_channel":"116x1x1","in_htlc_id":3,"out_channel":"118x1x0","out_htlc_id":2,"in_msat":4000082,"out_msat":4000041,"fee_msat":41,"status":"offered","style":"tlv","received_time":1738000000.123}',
    );
    expect(text).toContain('"created_index":4,"updated_index":2,');
    expect(text).toContain('"status":"failed","style":"tlv"');
  });

  it('a local failure before any channel was resolved has no out_channel', () => {
    const l = forwardLocalFailed(incoming(9n), FAILCODE.unknown_next_peer, undefined, ZERO_FORWARD_COUNTERS);
    expect(formatListforwards([l.record]).forwards[0]).toEqual({
      created_index: 1n,
      in_channel: '116x1x1',
      in_htlc_id: 9n,
      in_msat: 10_001n,
      status: 'local_failed',
      failcode: 16394,
      failreason: 'WIRE_UNKNOWN_NEXT_PEER',
      style: 'tlv',
      received_time: 1_738_000_000.123,
    });
    expect(scid(l.record.in_channel)).toBe(IN);
  });
});
