// Core Lightning's `decode` RPC for bolt11 strings, as a pure function returning CLN's result
// object (doc/schemas/decode.json, "bolt11 invoice" branch). CLN parses the string as a
// parameter: an invalid invoice is a -32602 parameter error whose reason is the decoder's
// message, not a `{ valid: false }` result (that shape only exists for BOLT 12 objects). So this
// throws InvoiceError for invalid strings and the RPC layer formats
// `string: <message>: invalid token '…'`.
import { compactToDer, normalizeS } from '../crypto/secp256k1.js';
import { toHex } from '../util/bytes.js';
import { decodeInvoice, BECH32_CHARSET, type DecodeOptions } from './decode.js';
import { featureBytesFromBits } from './features.js';

export interface ClnBolt11Route {
  pubkey: string;
  short_channel_id: string;
  fee_base_msat: bigint;
  fee_proportional_millionths: number;
  cltv_expiry_delta: number;
}

export interface ClnBolt11Decode {
  type: 'bolt11 invoice';
  valid: true;
  currency: string;
  created_at: number;
  expiry: number;
  payee: string;
  amount_msat?: bigint;
  payment_hash: string;
  /** DER hex, as CLN prints it. */
  signature: string;
  description?: string;
  description_hash?: string;
  min_final_cltv_expiry: number;
  payment_secret: string;
  features?: string;
  payment_metadata?: string;
  fallbacks?: { type?: string; addr?: string; hex: string }[];
  routes?: ClnBolt11Route[][];
  extra?: { tag: string; data: string }[];
}

function scidString(v: bigint): string {
  return `${v >> 40n}x${(v >> 16n) & 0xffffffn}x${v & 0xffffn}`;
}

/** Strips CLN's accepted `lightning:` / `LIGHTNING:` URI prefix. */
export function stripLightningPrefix(s: string): string {
  return s.startsWith('lightning:') || s.startsWith('LIGHTNING:') ? s.slice('lightning:'.length) : s;
}

export function clnDecodeBolt11(str: string, opts: DecodeOptions = {}): ClnBolt11Decode {
  const inv = decodeInvoice(stripLightningPrefix(str), opts);
  const out: ClnBolt11Decode = {
    type: 'bolt11 invoice',
    valid: true,
    currency: inv.currency,
    created_at: inv.timestamp,
    expiry: inv.expiry,
    payee: toHex(inv.payee),
    payment_hash: toHex(inv.payment_hash),
    // DER cannot carry the recovery id; normalise so the DER form is the canonical low-S one.
    signature: toHex(compactToDer(normalizeS(inv.signature))),
    min_final_cltv_expiry: inv.min_final_cltv_expiry_delta,
    payment_secret: toHex(inv.payment_secret),
  };
  if (inv.amount_msat !== undefined) out.amount_msat = inv.amount_msat;
  if (inv.description !== undefined) out.description = inv.description;
  if (inv.description_hash !== undefined) out.description_hash = toHex(inv.description_hash);
  if (inv.feature_bits.length > 0) out.features = toHex(featureBytesFromBits(inv.feature_bits));
  if (inv.payment_metadata !== undefined) out.payment_metadata = toHex(inv.payment_metadata);
  if (inv.fallbacks.length > 0) out.fallbacks = inv.fallbacks.map((f) => ({ ...(f.type !== 'WITNESS' ? { type: f.type } : {}), addr: f.address, hex: f.script }));
  if (inv.route_hints.length > 0) {
    out.routes = inv.route_hints.map((r) =>
      r.map((h) => ({
        pubkey: toHex(h.pubkey),
        short_channel_id: scidString(h.short_channel_id),
        fee_base_msat: BigInt(h.fee_base_msat),
        fee_proportional_millionths: h.fee_proportional_millionths,
        cltv_expiry_delta: h.cltv_expiry_delta,
      })),
    );
  }
  if (inv.unknown_fields.length > 0) out.extra = inv.unknown_fields.map((f) => ({ tag: f.tag, data: f.words.map((w) => BECH32_CHARSET[w]).join('') }));
  return out;
}
