// The decoded form of a BOLT 11 invoice, with BOLT field names.
import type { Scid } from '../types.js';
import type { Fallback } from './fallback.js';
import type { Network } from './networks.js';

export interface RouteHintHop {
  pubkey: Uint8Array;
  short_channel_id: Scid;
  fee_base_msat: number;
  fee_proportional_millionths: number;
  cltv_expiry_delta: number;
}

export interface UnknownField {
  /** bech32 character of the tag. */
  tag: string;
  /** The field's data words. */
  words: number[];
}

export interface Invoice {
  /** Canonical lower-case string. */
  paymentRequest: string;
  network: Network;
  /** Currency prefix after "ln" (bc, tb, tbs, bcrt, sb). */
  currency: string;
  /** Undefined for "any amount" invoices. */
  amount_msat?: bigint;
  timestamp: number;
  payment_hash: Uint8Array;
  payment_secret: Uint8Array;
  description?: string;
  description_hash?: Uint8Array;
  payment_metadata?: Uint8Array;
  /** Seconds after timestamp; 3600 when the x field is absent. */
  expiry: number;
  /** 18 when the c field is absent. */
  min_final_cltv_expiry_delta: number;
  fallbacks: Fallback[];
  route_hints: RouteHintHop[][];
  feature_bits: number[];
  /** The payee: the n field when present, else the recovered key. */
  payee: Uint8Array;
  /** True when the payee came from an n field. */
  payee_explicit: boolean;
  /** 64-byte r || s as in the invoice (may be high-S when recovered). */
  signature: Uint8Array;
  recovery_id: number;
  /** Fields the reader skipped: unknown tags, unknown fallback versions, wrong-length fields. */
  unknown_fields: UnknownField[];
}

export const DEFAULT_EXPIRY = 3600;
export const DEFAULT_MIN_FINAL_CLTV_EXPIRY_DELTA = 18;
