// The invoice RPC: parameters and their errors, Core Lightning's checks and their order, the
// result, the stored record, and the BOLT 11 string it signs (decoded with src/invoice).
import { describe, expect, it } from 'vitest';
import { sha256 } from '../../../src/crypto/secp256k1.js';
import { decodeInvoice } from '../../../src/invoice/index.js';
import { buildChannelUpdate, verifyChannelUpdate } from '../../../src/forwarding/index.js';
import { INVOICES_TABLE, paymentHashOf, paymentSecretOf } from '../../../src/invoices/index.js';
import { stringifyJson, type JsonOut } from '../../../src/rpc/index.js';
import { scid } from '../../../src/types.js';
import { fromHex, toHex, utf8 } from '../../../src/util/bytes.js';
import { NODE_ID, NOW, PEER_ALIAS, PEER_ID, candidate, created, errorOf, invoice, world } from './helpers.js';

describe('invoice parameters', () => {
  const err = (params: unknown) => errorOf(invoice(world(), params));

  it('amount_msat: positive msat grammar or "any"', () => {
    expect(err([0, 'l', 'd'])).toEqual({ code: -32602, message: "amount_msat: should be positive msat or 'any': invalid token '0'" });
    expect(err(['0msat', 'l', 'd']).message).toBe(`amount_msat: should be positive msat or 'any': invalid token '"0msat"'`);
    expect(err(['0.00000000000btc', 'l', 'd']).message).toContain('should be positive msat');
    expect(err(['ANY', 'l', 'd']).message).toContain('should be positive msat');
    expect(created(invoice(world(), ['any', 'l', 'd'])).record.amount_msat).toBe('any');
    expect(created(invoice(world(), ['5sat', 'l', 'd'])).record.amount_msat).toBe(5000n);
  });

  it('label: string or digits-only number (25 becomes "25"); anything else refused', () => {
    expect(created(invoice(world(), [1000, 25, 'd'])).record.label).toBe('25');
    expect(err([1000, true, 'd'])).toEqual({ code: -32602, message: "label: should be a string or number: invalid token 'true'" });
    expect(err([1000, -1, 'd']).message).toBe("label: should be a string or number: invalid token '-1'");
    expect(err([1000, 1.5, 'd']).message).toBe("label: should be a string or number: invalid token '1.5'");
  });

  it('description must be a string without \\u escapes', () => {
    expect(err({ amount_msat: 1, label: 'l', description: 5 }).message).toBe("description: should be a string (without \\u): invalid token '5'");
  });

  it('expiry u64, cltv integer, preimage 64 hex digits, deschashonly boolean, fallbacks array', () => {
    expect(err({ amount_msat: 1, label: 'l', description: 'd', expiry: -1 }).message).toBe("expiry: should be an unsigned 64 bit integer: invalid token '-1'");
    expect(err({ amount_msat: 1, label: 'l', description: 'd', cltv: 'x' }).message).toBe(`cltv: should be an integer: invalid token '"x"'`);
    expect(err({ amount_msat: 1, label: 'l', description: 'd', preimage: 'ab' }).message).toBe(`preimage: should be 64 hex digits: invalid token '"ab"'`);
    expect(err({ amount_msat: 1, label: 'l', description: 'd', deschashonly: 'yes' }).message).toBe(`deschashonly: should be 'true' or 'false': invalid token '"yes"'`);
    expect(err({ amount_msat: 1, label: 'l', description: 'd', fallbacks: 'bcrt1q' }).message).toBe(`fallbacks: should be an array: invalid token '"bcrt1q"'`);
  });

  it('exposeprivatechannels: boolean, one short_channel_id, or an array of them', () => {
    expect(err({ amount_msat: 1, label: 'l', description: 'd', exposeprivatechannels: 'x' }).message).toBe(
      `exposeprivatechannels: should be a short_channel_id of form NxNxN: invalid token '"x"'`,
    );
    expect(err({ amount_msat: 1, label: 'l', description: 'd', exposeprivatechannels: ['1x1x1', 'no'] }).message).toBe(
      `exposeprivatechannels: should be a short channel id: invalid token '"no"'`,
    );
  });

  it('missing and unknown parameters use the shared param() messages', () => {
    expect(err({ amount_msat: 1, label: 'l' })).toEqual({ code: -32602, message: 'missing required parameter: description' });
    expect(err({ amount_msat: 1, label: 'l', description: 'd', msatoshi: 1 }).message).toMatch(/^unknown parameter: msatoshi/);
  });
});

describe('invoice checks in Core Lightning’s order', () => {
  it('label over 128 bytes (-32602, quoted as written)', () => {
    expect(errorOf(invoice(world(), [1, 'x'.repeat(129), 'd']))).toEqual({ code: -32602, message: `Label '${'x'.repeat(129)}' over 128 bytes` });
    expect(invoice(world(), [1, 'x'.repeat(128), 'd']).ok).toBe(true);
  });

  it('descriptions of 640 bytes or more need deschashonly', () => {
    expect(errorOf(invoice(world(), [1, 'l', 'é'.repeat(320)]))).toEqual({ code: -32602, message: 'Descriptions greater than 640 bytes not yet supported (description length 640)' });
    expect(invoice(world(), [1, 'l', 'd'.repeat(639)]).ok).toBe(true);
    const long = created(invoice(world(), { amount_msat: 1, label: 'l', description: 'd'.repeat(5000), deschashonly: true }));
    const b11 = decodeInvoice(long.result.bolt11);
    expect(b11.description).toBeUndefined();
    expect(b11.description_hash).toEqual(sha256(utf8('d'.repeat(5000))));
    expect(long.record.description).toBe('d'.repeat(5000));
  });

  it('fallbacks: -1 for invalid or wrong-network addresses; valid ones go into the invoice', () => {
    const p = (fallbacks: string[]) => ({ amount_msat: 1, label: 'l', description: 'd', fallbacks });
    expect(errorOf(invoice(world(), p(['nonsense'])))).toEqual({ code: -1, message: 'Fallback address not valid' });
    expect(errorOf(invoice(world(), p(['bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4'])))).toEqual({ code: -1, message: 'Fallback address does not match our network regtest' });
    const ok = created(invoice(world(), p(['bcrt1qw508d6qejxtdg4y5r3zarvary0c5xw7kygt080'])));
    expect(decodeInvoice(ok.result.bolt11).fallbacks.map((f) => f.address)).toEqual(['bcrt1qw508d6qejxtdg4y5r3zarvary0c5xw7kygt080']);
  });

  it('902 when the named channels give no route', () => {
    const w = world();
    expect(errorOf(invoice(w, { amount_msat: 1, label: 'l', description: 'd', exposeprivatechannels: '9x9x9' }))).toEqual({
      code: 902,
      message: 'None of those hints were suitable local channels',
    });
    expect(w.invoices).toHaveLength(0);
  });

  it('duplicate preimage (901) is checked before duplicate label (900)', () => {
    const w = world();
    const pre = '17b08f669513b7379728fc1abcea5eaf3448bc1eba55a68ca2cd1843409cdc04';
    created(invoice(w, { amount_msat: 123456, label: 'inv', description: '?', preimage: pre }));
    expect(errorOf(invoice(w, { amount_msat: 123456, label: 'inv', description: '?', preimage: pre }))).toEqual({ code: 901, message: 'preimage already used' });
    expect(errorOf(invoice(w, { amount_msat: 123456, label: 'inv2', description: '?', preimage: pre }))).toEqual({ code: 901, message: 'preimage already used' });
    expect(errorOf(invoice(w, [1, 'inv', 'd']))).toEqual({ code: 900, message: "Duplicate label 'inv'" });
    expect(w.invoices).toHaveLength(1);
    expect(w.counters.created).toBe(1n);
  });
});

describe('invoice result, record and bolt11', () => {
  it('result fields in Core Lightning’s order; counters, bump and notification', () => {
    const w = world({ candidates: [] });
    const c = created(invoice(w, [10000, 'lbl', 'Invoice description']));
    const text = stringifyJson(c.result as unknown as JsonOut);
    expect(text).toMatch(/^\{"payment_hash":"[0-9a-f]{64}","expires_at":1738604800,"bolt11":"lnbcrt100n1[a-z0-9]+","payment_secret":"[0-9a-f]{64}","created_index":1,"warning_capacity":"Insufficient incoming channel capacity to pay invoice"\}$/);
    expect(c.counters).toEqual({ created: 1n, updated: 0n, deleted: 0n, pay_index: 0n });
    expect(c.bump).toEqual({ subsystem: 'invoices', index: 'created', value: 1n, details: { status: 'unpaid', label: 'lbl', bolt11: c.result.bolt11 } });
    expect(c.notification).toEqual({ topic: 'invoice_creation', payload: { msat: 10000n, preimage: c.record.preimage, label: 'lbl' } });
    expect(created(invoice(w, ['any', 'l2', 'd'])).notification.payload).toEqual({ preimage: w.invoices[1]!.preimage, label: 'l2' });
  });

  it('payment_secret and hash derive from the preimage as Core Lightning does', () => {
    const pre = '17b08f669513b7379728fc1abcea5eaf3448bc1eba55a68ca2cd1843409cdc04';
    const c = created(invoice(world(), { amount_msat: 1, label: 'l', description: 'd', preimage: pre.toUpperCase() }));
    const flipped = fromHex(pre);
    flipped[0]! ^= 1;
    expect(c.record.preimage).toBe(pre);
    expect(c.result.payment_hash).toBe(toHex(sha256(fromHex(pre))));
    expect(c.result.payment_secret).toBe(toHex(sha256(flipped)));
    expect(toHex(paymentSecretOf(fromHex(pre)))).toBe(c.result.payment_secret);
    expect(toHex(paymentHashOf(fromHex(pre)))).toBe(c.result.payment_hash);
  });

  it('the bolt11 decodes: our signature, amount, hash, secret, description, expiry, cltv, features, route hint', () => {
    const w = world();
    const c = created(invoice(w, { amount_msat: '123sat', label: 'l', description: 'coffee', expiry: 3700, cltv: 99 }));
    const b11 = decodeInvoice(c.result.bolt11);
    expect(toHex(b11.payee)).toBe(NODE_ID);
    expect(b11.network).toBe('regtest');
    expect(b11.amount_msat).toBe(123000n);
    expect(b11.timestamp).toBe(NOW);
    expect(toHex(b11.payment_hash)).toBe(c.result.payment_hash);
    expect(toHex(b11.payment_secret)).toBe(c.result.payment_secret);
    expect(b11.description).toBe('coffee');
    expect(b11.expiry).toBe(3700);
    expect(b11.min_final_cltv_expiry_delta).toBe(99);
    expect(b11.feature_bits.sort((a, b) => a - b)).toEqual([8, 14, 17]);
    // Only private channels and no public one: the hint is the peer, the alias it knows, its fees.
    expect(b11.route_hints).toEqual([[{ pubkey: fromHex(PEER_ID), short_channel_id: PEER_ALIAS, fee_base_msat: 1, fee_proportional_millionths: 10, cltv_expiry_delta: 6 }]]);
    expect(c.result.expires_at).toBe(NOW + 3700);
    expect(c.result.warning_capacity).toBeUndefined();
  });

  it('defaults: one week, cltv 18; "any" has no amount in the HRP', () => {
    const c = created(invoice(world(), ['any', 'l', 'd']));
    const b11 = decodeInvoice(c.result.bolt11);
    expect(b11.amount_msat).toBeUndefined();
    expect(c.result.bolt11.startsWith('lnbcrt1')).toBe(true);
    expect(b11.expiry).toBe(604800);
    expect(b11.min_final_cltv_expiry_delta).toBe(18);
  });

  it('payment_metadata (runtime option) sets feature 49 and travels in the invoice', () => {
    const c = created(invoice(world(), [1000, 'l', 'd'], fromHex('c0ffee')));
    const b11 = decodeInvoice(c.result.bolt11);
    expect(b11.payment_metadata).toEqual(fromHex('c0ffee'));
    expect(b11.feature_bits).toContain(49);
    expect(c.record.feature_bits).toEqual([8, 14, 17, 49]);
  });

  it('the stored record', () => {
    const c = created(invoice(world(), [1000, 'lbl', 'desc']));
    expect(c.record).toMatchObject({
      label: 'lbl',
      amount_msat: 1000n,
      description: 'desc',
      status: 'unpaid',
      created_index: 1n,
      updated_index: 0n,
      created_key: '00000000000000000001',
      expires_at: NOW + 604800,
      min_final_cltv_expiry: 18,
      created_at: NOW,
      bolt11: c.result.bolt11,
    });
    expect(c.record.updated_key).toBeUndefined();
    expect(INVOICES_TABLE.indexes.filter((i) => 'unique' in i && i.unique).map((i) => i.keyPath)).toEqual(['label', 'payment_hash']);
  });

  it('route hint of a chosen public channel when we have one', () => {
    const w = world({ candidates: [candidate(), candidate({ peer_id: PEER_ID, short_channel_id: candidate().other_scids![0]!, public: true })] });
    const b11 = decodeInvoice(created(invoice(w, [1000, 'l', 'd'])).result.bolt11);
    expect(b11.route_hints).toHaveLength(1);
    expect(b11.route_hints[0]![0]!.short_channel_id).toBe(candidate().other_scids![0]);
  });
});

describe('invoice: more Core Lightning behaviours', () => {
  it('positional parameters in Core Lightning’s order, numbers as strings (expiry "3700")', () => {
    const c = created(invoice(world(), [123000, 'label', 'description', '3700', ['bcrt1qw508d6qejxtdg4y5r3zarvary0c5xw7kygt080']]));
    const b11 = decodeInvoice(c.result.bolt11);
    expect([b11.amount_msat, b11.description, b11.expiry, b11.fallbacks.length]).toEqual([123000n, 'description', 3700, 1]);
  });

  it('warning_mpp with the text Core Lightning uses when only several channels together suffice', () => {
    const w = world({ candidates: [candidate({ receivable_msat: 600n }), candidate({ receivable_msat: 600n, short_channel_id: scid(PEER_ALIAS + 1n) })] });
    const c = created(invoice(w, [1000, 'l', 'd']));
    expect(c.result.warning_mpp).toBe('The invoice is only payable by MPP-capable payers.');
    expect(decodeInvoice(c.result.bolt11).route_hints).toHaveLength(2);
  });

  it('an expiry beyond what a JS number holds never expires (expires_at clamps), the x field keeps it', () => {
    const c = created(invoice(world(), { amount_msat: 1, label: 'l', description: 'd', expiry: '9007199254740991' }));
    expect(c.result.expires_at).toBe(Number.MAX_SAFE_INTEGER);
  });

  it('the route hint carries the fees the peer announced in its own channel_update', () => {
    const peerSecret = fromHex('44'.repeat(32));
    const raw = buildChannelUpdate(
      {
        network: 'regtest',
        short_channel_id: PEER_ALIAS,
        timestamp: NOW,
        peer_node_id: NODE_ID,
        disabled: false,
        announced: false,
        policy: { fee_base_msat: 7, fee_proportional_millionths: 333, cltv_expiry_delta: 80, htlc_minimum_msat: 1n, htlc_maximum_msat: 10_000_000n },
      },
      peerSecret,
    ).bytes;
    const v = verifyChannelUpdate(raw, PEER_ID, 'regtest');
    if (!v.ok) throw new Error(v.reason);
    const { fee_base_msat, fee_proportional_millionths, cltv_expiry_delta, htlc_maximum_msat } = v.policy;
    const w = world({ candidates: [candidate({ fee_base_msat, fee_proportional_millionths, cltv_expiry_delta, htlc_maximum_msat })] });
    const hop = decodeInvoice(created(invoice(w, [5000, 'l', 'd'])).result.bolt11).route_hints[0]![0]!;
    expect(hop).toEqual({ pubkey: fromHex(PEER_ID), short_channel_id: PEER_ALIAS, fee_base_msat: 7, fee_proportional_millionths: 333, cltv_expiry_delta: 80 });
  });
});
