// Every BOLT 11 example: valid ones decode to the spec's fields, invalid ones fail for the
// spec's reason (with our typed code).
import { describe, expect, it } from 'vitest';
import { loadVector } from '../../support/shared.js';
import { toHex } from '../../../src/util/bytes.js';
import { decodeInvoice, InvoiceError, type InvoiceErrorCode } from '../../../src/invoice/index.js';

interface ValidVec {
  title: string;
  invoice: string;
  network: string;
  currency_prefix: string;
  amount_msat: string | null;
  timestamp: number;
  payment_hash: string;
  payment_secret: string;
  description: string | null;
  description_hash: string | null;
  payment_metadata: string | null;
  expiry: number | null;
  min_final_cltv_expiry_delta: number | null;
  fallbacks: { version: number; type: string; hash?: string; program?: string; address: string }[];
  route_hints: { pubkey: string; short_channel_id_hex: string; fee_base_msat: number; fee_proportional_millionths: number; cltv_expiry_delta: number }[][];
  features: { bits: number[]; hex: string } | null;
  explicit_payee_pubkey_n: string | null;
  payee_pubkey: string;
  signature: { rs: string; recovery_id: number; high_s: boolean };
  ignored_fields?: { type: string }[];
}
interface Vectors {
  valid: ValidVec[];
  invalid: { title: string; invoice: string; reason: string }[];
}

const v = loadVector<Vectors>('bolt11-invoices.json');

describe('BOLT 11 valid examples', () => {
  for (const x of v.valid) {
    it(x.title, () => {
      const inv = decodeInvoice(x.invoice);
      expect(inv.network).toBe(x.network);
      expect(inv.currency).toBe(x.currency_prefix);
      expect(inv.amount_msat).toBe(x.amount_msat === null ? undefined : BigInt(x.amount_msat));
      expect(inv.timestamp).toBe(x.timestamp);
      expect(toHex(inv.payment_hash)).toBe(x.payment_hash);
      expect(toHex(inv.payment_secret)).toBe(x.payment_secret);
      expect(inv.description).toBe(x.description ?? undefined);
      expect(inv.description_hash === undefined ? null : toHex(inv.description_hash)).toBe(x.description_hash);
      expect(inv.payment_metadata === undefined ? null : toHex(inv.payment_metadata)).toBe(x.payment_metadata);
      expect(inv.expiry).toBe(x.expiry ?? 3600);
      expect(inv.min_final_cltv_expiry_delta).toBe(x.min_final_cltv_expiry_delta ?? 18);
      expect(inv.fallbacks.map((f) => ({ version: f.version, data: toHex(f.data), address: f.address }))).toEqual(
        x.fallbacks.map((f) => ({ version: f.version, data: f.hash ?? f.program, address: f.address })),
      );
      expect(
        inv.route_hints.map((r) =>
          r.map((h) => ({
            pubkey: toHex(h.pubkey),
            scid: h.short_channel_id.toString(16).padStart(16, '0'),
            base: h.fee_base_msat,
            ppm: h.fee_proportional_millionths,
            cltv: h.cltv_expiry_delta,
          })),
        ),
      ).toEqual(x.route_hints.map((r) => r.map((h) => ({ pubkey: h.pubkey, scid: h.short_channel_id_hex, base: h.fee_base_msat, ppm: h.fee_proportional_millionths, cltv: h.cltv_expiry_delta }))));
      expect(inv.feature_bits.sort((a, b) => a - b)).toEqual(x.features?.bits ?? []);
      // For the high-S example this is the key plain recovery gives with the transmitted
      // recovery id (02d0139c…), as the vector records: a reader must accept high-S here.
      expect(toHex(inv.payee)).toBe(x.payee_pubkey);
      expect(inv.payee_explicit).toBe(x.explicit_payee_pubkey_n !== null);
      expect(toHex(inv.signature)).toBe(x.signature.rs);
      expect(inv.recovery_id).toBe(x.signature.recovery_id);
      expect(inv.unknown_fields.length).toBe(x.ignored_fields?.length ?? 0);
    });
  }

  it('upper-case invoices decode like lower-case ones', () => {
    const upper = v.valid.find((x) => x.title === 'Same, but all upper case.')!;
    expect(upper.invoice).toBe(upper.invoice.toUpperCase());
    expect(decodeInvoice(upper.invoice).paymentRequest).toBe(upper.invoice.toLowerCase());
  });
});

describe('"fields which must be ignored" vs bolts PR #1243', () => {
  const x = v.valid.find((e) => e.title === 'Same, but including fields which must be ignored.')!;
  it('default: wrong-length p/h/s/n fields are skipped and the invoice is valid', () => {
    const inv = decodeInvoice(x.invoice);
    expect(toHex(inv.payment_hash)).toBe(x.payment_hash);
    expect(inv.unknown_fields.map((f) => f.tag).sort()).toEqual(['2', 'f', 'h', 'h', 'n', 'n', 'p', 'p', 's', 's']);
  });
  it('strictFieldLengths (PR #1243 reader rule): the same invoice fails', () => {
    expect(() => decodeInvoice(x.invoice, { strictFieldLengths: true })).toThrow(InvoiceError);
    try {
      decodeInvoice(x.invoice, { strictFieldLengths: true });
    } catch (e) {
      expect((e as InvoiceError).code).toBe('BAD_FIELD');
    }
  });
});

const EXPECTED_CODES: Record<string, InvoiceErrorCode> = {
  'Same, but adding invalid unknown feature 100': 'UNKNOWN_REQUIRED_FEATURE',
  'Bech32 checksum is invalid.': 'BAD_BECH32',
  'Malformed bech32 string (no 1)': 'BAD_BECH32',
  'Malformed bech32 string (mixed case)': 'BAD_BECH32',
  'Signature is not recoverable.': 'BAD_SIGNATURE',
  'String is too short.': 'TOO_SHORT',
  'Invalid multiplier': 'BAD_AMOUNT',
  'Invalid sub-millisatoshi precision.': 'SUB_MSAT_AMOUNT',
  'Missing required s field.': 'MISSING_PAYMENT_SECRET',
  "Non canonical signature (high-S) with 'n' field defined": 'HIGH_S_SIGNATURE',
};

describe('BOLT 11 invalid examples', () => {
  it('covers every invalid example', () => {
    expect(v.invalid.map((x) => x.title).sort()).toEqual(Object.keys(EXPECTED_CODES).sort());
  });
  for (const x of v.invalid) {
    it(`${x.title} (${x.reason})`, () => {
      let err: unknown;
      try {
        decodeInvoice(x.invoice);
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(InvoiceError);
      expect((err as InvoiceError).code).toBe(EXPECTED_CODES[x.title]);
    });
  }
});
