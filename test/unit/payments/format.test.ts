// Payment object presence rules and key order (§2.1), failcode names (§6), and the row's fitness
// for the Store (a compile-time check as much as a runtime one).
import { describe, expect, it } from 'vitest';
import { stringifyJson } from '../../../src/rpc/index.js';
import type { StoreRecord } from '../../../src/store/types.js';
import { failcodeName, formatPayment, withKeys, type PaymentRow } from '../../../src/payments/index.js';
import { HASH, NOW, ids } from './helpers.js';

const base: PaymentRow = withKeys({
  payment_hash: HASH,
  partid: 0n,
  groupid: 8645223729089888574n,
  created_index: 1n,
  updated_index: 0n,
  status: 'pending',
  amount_msat: 0n,
  amount_sent_msat: 5n,
  total_msat: 0n,
  created_at: NOW,
});

describe('payment object (§2.1)', () => {
  it('minimal row: always-present keys only; zero amount_msat omitted; groupid beyond 2^53 exact', () => {
    expect(stringifyJson(formatPayment(base))).toBe(
      `{"created_index":1,"id":1,"payment_hash":"${HASH}","groupid":8645223729089888574,"amount_sent_msat":5,"created_at":${NOW},"status":"pending"}`,
    );
  });

  it('every optional key, in CLN order', () => {
    const full: PaymentRow = withKeys({
      ...base,
      partid: 2n,
      updated_index: 7n,
      destination: ids[3]!,
      amount_msat: 4n,
      completed_at: NOW + 5,
      status: 'failed',
      payment_preimage: '99'.repeat(32),
      label: 'lbl',
      invstring: 'lnbc1',
      description: 'dsc',
      fail: { rpc_code: 202, onionreply: new Uint8Array([1, 2]) },
      shared_secrets: [new Uint8Array(32)],
      route_nodes: [ids[3]!],
      route_channels: [1n],
      payment_secret: '11'.repeat(32),
    });
    expect(Object.keys(formatPayment(full))).toEqual([
      'created_index',
      'id',
      'payment_hash',
      'groupid',
      'updated_index',
      'partid',
      'destination',
      'amount_msat',
      'amount_sent_msat',
      'created_at',
      'completed_at',
      'status',
      'payment_preimage',
      'label',
      'bolt11',
      'description',
      'erroronion',
    ]);
    expect(formatPayment(full).erroronion).toBe('0102');
  });

  it('lni… strings are bolt12', () => {
    expect(formatPayment(withKeys({ ...base, invstring: 'lni1xyz' }))).toMatchObject({ bolt12: 'lni1xyz' });
  });

  it('rows are Store records (bigint values, string keys)', () => {
    const rec: StoreRecord = base;
    expect(rec['created_key']).toBe('00000000000000000001');
    expect(rec['groupid_key']).toBe('08645223729089888574');
  });
});

describe('failcode names (§6)', () => {
  it.each<[number, string]>([
    [8194, 'WIRE_TEMPORARY_NODE_FAILURE'],
    [24578, 'WIRE_PERMANENT_NODE_FAILURE'],
    [24579, 'WIRE_REQUIRED_NODE_FEATURE_MISSING'],
    [49156, 'WIRE_INVALID_ONION_VERSION'],
    [49157, 'WIRE_INVALID_ONION_HMAC'],
    [49158, 'WIRE_INVALID_ONION_KEY'],
    [4103, 'WIRE_TEMPORARY_CHANNEL_FAILURE'],
    [16392, 'WIRE_PERMANENT_CHANNEL_FAILURE'],
    [16393, 'WIRE_REQUIRED_CHANNEL_FEATURE_MISSING'],
    [16394, 'WIRE_UNKNOWN_NEXT_PEER'],
    [4107, 'WIRE_AMOUNT_BELOW_MINIMUM'],
    [4108, 'WIRE_FEE_INSUFFICIENT'],
    [4109, 'WIRE_INCORRECT_CLTV_EXPIRY'],
    [4110, 'WIRE_EXPIRY_TOO_SOON'],
    [16399, 'WIRE_INCORRECT_OR_UNKNOWN_PAYMENT_DETAILS'],
    [18, 'WIRE_FINAL_INCORRECT_CLTV_EXPIRY'],
    [19, 'WIRE_FINAL_INCORRECT_HTLC_AMOUNT'],
    [4116, 'WIRE_CHANNEL_DISABLED'],
    [21, 'WIRE_EXPIRY_TOO_FAR'],
    [16406, 'WIRE_INVALID_ONION_PAYLOAD'],
    [23, 'WIRE_MPP_TIMEOUT'],
    [49176, 'WIRE_INVALID_ONION_BLINDING'],
  ])('%i is %s', (code, name) => {
    expect(failcodeName(code)).toBe(name);
  });

  it('invalid_realm (PERM|1) is no longer known', () => {
    expect(failcodeName(16385)).toBeUndefined();
  });
});
