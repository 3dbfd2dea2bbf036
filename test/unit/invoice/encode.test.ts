// Our writer: round trips through our reader, shortest amounts, signatures from our key, and
// Core Lightning's decode result shape.
import { describe, expect, it } from 'vitest';
import { loadVector } from '../../support/shared.js';
import { fromHex, toHex } from '../../../src/util/bytes.js';
import { pubkeyCreate } from '../../../src/crypto/secp256k1.js';
import { clnDecodeBolt11, decodeInvoice, encodeInvoice, formatHrpAmount, InvoiceError, isInvoiceExpired, parseHrpAmount } from '../../../src/invoice/index.js';
import type { Scid } from '../../../src/types.js';

const key = fromHex('e126f68f7eafcc8b74f54d269fe206be715000f94dac067d1c04a8ca3b2db734');
const hash = fromHex('0001020304050607080900010203040506070809000102030405060708090102');
const secret = fromHex('11'.repeat(32));

describe('amounts', () => {
  it('formats the shortest representation and parses it back', () => {
    expect(formatHrpAmount(250_000_000n)).toBe('2500u');
    expect(formatHrpAmount(2_000_000_000n)).toBe('20m');
    expect(formatHrpAmount(967_878_534n)).toBe('9678785340p');
    expect(formatHrpAmount(100_000_000_000n)).toBe('1');
    for (const m of [1n, 10n, 999n, 1000n, 123456789n, 2_100_000_000_000_000_000n]) expect(parseHrpAmount(formatHrpAmount(m))).toBe(m);
  });
  it('rejects sub-msat pico amounts and bad multipliers', () => {
    expect(() => parseHrpAmount('1p')).toThrow(InvoiceError);
    expect(() => parseHrpAmount('10x')).toThrow(InvoiceError);
    expect(parseHrpAmount('10p')).toBe(1n);
  });
});

describe('encodeInvoice', () => {
  it('round trips every field on each network', () => {
    for (const network of ['bitcoin', 'testnet', 'signet', 'regtest'] as const) {
      const fb = network === 'bitcoin' ? ['1RustyRX2oai4EYYDpQGWvEL62BBGqN9T', 'bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4'] : [];
      const s = encodeInvoice(
        {
          network,
          amount_msat: 123_456n,
          timestamp: 1_700_000_000,
          payment_hash: hash,
          payment_secret: secret,
          description: 'coffee ☕',
          payment_metadata: fromHex('01fafaf0'),
          expiry: 600,
          min_final_cltv_expiry_delta: 40,
          fallbacks: fb,
          route_hints: [[{ pubkey: pubkeyCreate(key), short_channel_id: 0x08fe4e000cf00001n as Scid, fee_base_msat: 1000, fee_proportional_millionths: 2500, cltv_expiry_delta: 40 }]],
        },
        key,
      );
      const inv = decodeInvoice(s);
      expect(inv.network).toBe(network);
      expect(inv.amount_msat).toBe(123_456n);
      expect(inv.description).toBe('coffee ☕');
      expect(toHex(inv.payment_metadata!)).toBe('01fafaf0');
      expect(inv.expiry).toBe(600);
      expect(inv.min_final_cltv_expiry_delta).toBe(40);
      expect(inv.fallbacks.map((f) => f.address)).toEqual(fb);
      expect(inv.route_hints[0]![0]!.short_channel_id).toBe(0x08fe4e000cf00001n);
      expect(inv.feature_bits.sort((a, b) => a - b)).toEqual([8, 14, 17, 49]);
      expect(toHex(inv.payee)).toBe(toHex(pubkeyCreate(key)));
      expect(isInvoiceExpired(inv, 1_700_000_599)).toBe(false);
      expect(isInvoiceExpired(inv, 1_700_000_600)).toBe(true);
    }
  });
  it('writes n when asked, and readers verify against it', () => {
    const s = encodeInvoice({ network: 'regtest', payment_hash: hash, payment_secret: secret, description_hash: hash, include_payee: true, timestamp: 1 }, key);
    const inv = decodeInvoice(s);
    expect(inv.payee_explicit).toBe(true);
    expect(inv.amount_msat).toBeUndefined();
    expect(s.startsWith('lnbcrt1')).toBe(true);
  });
  it('refuses invoices without payment_secret feature or with both descriptions', () => {
    expect(() => encodeInvoice({ network: 'bitcoin', payment_hash: hash, payment_secret: secret, description: 'x', feature_bits: [8] }, key)).toThrow(InvoiceError);
    expect(() => encodeInvoice({ network: 'bitcoin', payment_hash: hash, payment_secret: secret, description: 'x', description_hash: hash }, key)).toThrow(InvoiceError);
  });
});

describe('clnDecodeBolt11 (Core Lightning decode)', () => {
  const vec = loadVector<{ valid: { title: string; invoice: string }[] }>('bolt11-invoices.json').valid;
  it('gives CLN fields for the route-hint example', () => {
    const x = vec.find((e) => e.title.includes('within one week'))!;
    const r = clnDecodeBolt11(`lightning:${x.invoice}`);
    expect(r).toMatchObject({
      type: 'bolt11 invoice',
      valid: true,
      currency: 'bc',
      created_at: 1572468703,
      expiry: 604800,
      payee: '03e7156ae33b0a208d0744199163177e909e80176e55d97a2f221ede0f934dd9ad',
      amount_msat: 967878534n,
      payment_hash: '462264ede7e14047e9b249da94fefc47f41f7d02ee9b091815a5506bc8abf75f',
      min_final_cltv_expiry: 10,
      payment_secret: '11'.repeat(32),
      features: '4100',
      routes: [[{ pubkey: '03d06758583bb5154774a6eb221b1276c9e82d65bbaceca806d90e20c108f4b1c7', short_channel_id: '589390x3312x1', fee_base_msat: 1000n, fee_proportional_millionths: 2500, cltv_expiry_delta: 40 }]],
    });
    expect(r.signature.startsWith('30')).toBe(true);
  });
  it('lists fallbacks with type, addr and script hex', () => {
    const x = vec.find((e) => e.title.includes('(P2SH)'))!;
    expect(clnDecodeBolt11(x.invoice).fallbacks).toEqual([{ type: 'P2SH', addr: '3EktnHQD7RiAE6uzMj2ZifT9YgRrkSgzQX', hex: 'a9148f55563b9a19f321c211e9b9f38cdf686ea0784587' }]);
  });
  it('shows skipped fields as extra', () => {
    const x = vec.find((e) => e.title.includes('must be ignored'))!;
    const r = clnDecodeBolt11(x.invoice);
    expect(r.extra?.length).toBe(10);
    expect(r.description).toBe('coffee beans');
  });
  it('throws the reader error for invalid strings', () => {
    expect(() => clnDecodeBolt11('lnbc1invalid')).toThrow(InvoiceError);
  });
});
