// Core Lightning's `decode` RPC for bolt11 strings, as a pure function returning CLN's result
// object (doc/schemas/decode.json, "bolt11 invoice" branch). CLN parses the string as a
// parameter: an invalid invoice is a -32602 parameter error whose reason is the decoder's
// message, not a `{ valid: false }` result (that shape only exists for BOLT 12 objects). So this
// throws InvoiceError for invalid strings and the RPC layer formats
// `string: <reason>: invalid token '"…"'` (the token as written, quotes included), with
// Core Lightning's decoder text as the reason where it has its own (InvoiceError.clnReason).
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

/** Fields in the order Core Lightning writes them (common/bolt11_json.c), `type` first, `valid` last. */
export function clnDecodeBolt11(str: string, opts: DecodeOptions = {}): ClnBolt11Decode {
  const inv = decodeInvoice(stripLightningPrefix(str), opts);
  const routes = inv.route_hints.map((r) =>
    r.map((h) => ({
      pubkey: toHex(h.pubkey),
      short_channel_id: scidString(h.short_channel_id),
      fee_base_msat: BigInt(h.fee_base_msat),
      fee_proportional_millionths: h.fee_proportional_millionths,
      cltv_expiry_delta: h.cltv_expiry_delta,
    })),
  );
  return {
    type: 'bolt11 invoice',
    currency: inv.currency,
    created_at: inv.timestamp,
    expiry: inv.expiry,
    payee: toHex(inv.payee),
    ...(inv.amount_msat !== undefined ? { amount_msat: inv.amount_msat } : {}),
    ...(inv.description !== undefined ? { description: inv.description } : {}),
    ...(inv.description_hash !== undefined ? { description_hash: toHex(inv.description_hash) } : {}),
    min_final_cltv_expiry: inv.min_final_cltv_expiry_delta,
    payment_secret: toHex(inv.payment_secret),
    ...(inv.feature_bits.length > 0 ? { features: toHex(featureBytesFromBits(inv.feature_bits)) } : {}),
    ...(inv.payment_metadata !== undefined ? { payment_metadata: toHex(inv.payment_metadata) } : {}),
    ...(inv.fallbacks.length > 0 ? { fallbacks: inv.fallbacks.map((f) => ({ ...(f.type !== 'WITNESS' ? { type: f.type } : {}), addr: f.address, hex: f.script })) } : {}),
    ...(routes.length > 0 ? { routes } : {}),
    ...(inv.unknown_fields.length > 0 ? { extra: inv.unknown_fields.map((f) => ({ tag: f.tag, data: f.words.map((w) => BECH32_CHARSET[w]).join('') })) } : {}),
    payment_hash: toHex(inv.payment_hash),
    // DER cannot carry the recovery id; normalise so the DER form is the canonical low-S one.
    signature: toHex(compactToDer(normalizeS(inv.signature))),
    valid: true,
  };
}
