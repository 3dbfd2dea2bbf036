// The adapters between Core Lightning's result objects and what the page renders.
import { describe, expect, it } from 'vitest';
import { channelScid, channelViews, peerViews, errorText, invoiceView, paymentView, paymentViews, rpcErrorOf, u64, ViewError } from '../../../web/rpc-views.js';
import { RpcError } from '../../../src/rpc/errors.js';
import type { RpcObject } from '../../../src/worker/types.js';
import { HASH, SECRET, expectOk, hop, ids, makePayer } from '../payments/helpers.js';

const HUB = ids[5]!;

describe('u64', () => {
  it('accepts bigint, safe integers and digits (old "msat" strings too)', () => {
    expect([u64(5n), u64(5), u64('5'), u64('5msat'), u64('18446744073709551615')]).toEqual([5n, 5n, 5n, 5n, 18446744073709551615n]);
    expect([u64(-1n), u64(1.5), u64(2 ** 60), u64('x'), u64(null), u64('5sat')]).toEqual([undefined, undefined, undefined, undefined, undefined, undefined]);
  });
});

describe('channelViews (listpeerchannels)', () => {
  it('keeps what the page shows and skips malformed entries', () => {
    const result: RpcObject = {
      channels: [
        {
          peer_id: HUB,
          peer_connected: true,
          state: 'CHANNELD_NORMAL',
          channel_id: 'cc'.repeat(32),
          alias: { local: '1x2x3', remote: '4x5x6' },
          to_us_msat: 400_000_000n,
          total_msat: 1_000_000_000n,
          spendable_msat: 390_000_000n,
          receivable_msat: 590_000_000n,
          updates: { local: { fee_base_msat: 1000n } },
        },
        { peer_id: HUB, state: 'ONCHAIN', short_channel_id: '103x1x0', to_us_msat: 'junk' },
        { state: 'CHANNELD_NORMAL' },
        'nonsense',
      ],
    };
    const views = channelViews(result);
    expect(views).toEqual([
      {
        peer_id: HUB,
        peer_connected: true,
        state: 'CHANNELD_NORMAL',
        channel_id: 'cc'.repeat(32),
        alias_local: '1x2x3',
        alias_remote: '4x5x6',
        to_us_msat: 400_000_000n,
        total_msat: 1_000_000_000n,
        spendable_msat: 390_000_000n,
        receivable_msat: 590_000_000n,
      },
      { peer_id: HUB, peer_connected: false, state: 'ONCHAIN', short_channel_id: '103x1x0' },
    ]);
    expect(views.map(channelScid)).toEqual(['1x2x3', '103x1x0']);
    expect(() => channelViews({ peers: [] })).toThrow(ViewError);
  });
});

describe('peerViews (listpeers)', () => {
  it('reads id, connection and the first netaddr', () => {
    expect(peerViews({ peers: [{ id: HUB.toUpperCase(), connected: true, num_channels: 1, netaddr: ['ws://127.0.0.1:4001/'] }, { id: ids[6]!, connected: false }, { connected: true }] })).toEqual([
      { id: HUB, connected: true, netaddr: 'ws://127.0.0.1:4001/' },
      { id: ids[6]!, connected: false },
    ]);
  });
});

describe('invoiceView (decode)', () => {
  const decoded = {
    type: 'bolt11 invoice',
    valid: true,
    currency: 'bcrt',
    created_at: 1_700_000_000,
    expiry: 3600,
    payee: HUB.toUpperCase(),
    amount_msat: 100_000n,
    payment_hash: HASH,
    signature: '30',
    description: 'coffee',
    min_final_cltv_expiry: 18,
    payment_secret: SECRET,
    routes: [[{ pubkey: HUB, short_channel_id: '105x1x0', fee_base_msat: 1000n, fee_proportional_millionths: 10, cltv_expiry_delta: 34 }], [{ pubkey: HUB }]],
  };
  it('reads the fields and route hints, dropping a hint it cannot follow', () => {
    expect(invoiceView(decoded)).toEqual({
      currency: 'bcrt',
      payee: HUB,
      payment_hash: HASH,
      payment_secret: SECRET,
      amount_msat: 100_000n,
      description: 'coffee',
      created_at: 1_700_000_000,
      expiry: 3600,
      min_final_cltv_expiry: 18,
      routes: [[{ pubkey: HUB, short_channel_id: '105x1x0', fee_base_msat: 1000n, fee_proportional_millionths: 10, cltv_expiry_delta: 34 }]],
    });
  });
  it('refuses other decode types and incomplete invoices', () => {
    expect(() => invoiceView({ ...decoded, type: 'bolt12 offer' })).toThrow('not a BOLT 11 invoice (decode says type "bolt12 offer")');
    const { payee: _drop, ...noPayee } = decoded;
    expect(() => invoiceView(noPayee)).toThrow(ViewError);
  });
});

describe('paymentViews', () => {
  it('reads the payment objects the engine writes (sendpay and listsendpays)', async () => {
    const { payer } = await makePayer();
    const sent = expectOk(await payer.call('sendpay', { route: [hop(HUB, '103x1x0', 1000, 9)], payment_hash: HASH, label: 'tea', bolt11: 'lnbcrt1x' }));
    expect(paymentView(sent)).toMatchObject({ created_index: 1n, payment_hash: HASH, groupid: 1n, status: 'pending', destination: HUB, amount_msat: 1000n, amount_sent_msat: 1000n, label: 'tea', bolt11: 'lnbcrt1x' });
    await payer.resolve({ payment_hash: HASH, partid: 0n, groupid: 1n }, { kind: 'fulfilled', preimage: '66'.repeat(32) });
    const listed = expectOk(await payer.call('listsendpays', {}));
    const [row] = paymentViews(listed as RpcObject);
    expect(row).toMatchObject({ status: 'complete', payment_preimage: '66'.repeat(32) });
    expect(row!.completed_at).toBeTypeOf('number');
    expect(row!.partid).toBeUndefined();
  });
  it('skips rows without the required fields', () => {
    expect(paymentViews({ payments: [{ id: 1 }, null] })).toEqual([]);
  });
});

describe('errors', () => {
  it('reads RpcError and look-alikes (as Comlink may deliver them)', () => {
    expect(rpcErrorOf(new RpcError(204, 'failed', { erring_index: 0 }))).toEqual({ code: 204, message: 'failed', data: { erring_index: 0 } });
    expect(rpcErrorOf({ code: 208, message: 'Never attempted' })).toEqual({ code: 208, message: 'Never attempted' });
    expect(rpcErrorOf(new Error('x'))).toBeUndefined();
    expect(rpcErrorOf('x')).toBeUndefined();
    expect(errorText(new TypeError('boom'))).toBe('TypeError: boom');
    expect(errorText(42)).toBe('42');
  });
});
