// Payer side: turn a route into hop payloads and an onion packet. The Sphinx construction itself
// goes through one function, `sphinxBuild` (see kernel.ts), so the WASM kernel is used in
// production and the TypeScript reference elsewhere.
import { isValidSecret, randomBytes } from '../crypto/secp256k1.js';
import type { Scid } from '../types.js';
import { OnionError } from './errors.js';
import { sphinxBuild } from './kernel.js';
import { encodeHopPayload, frameHopPayload, type HopPayload } from './payload.js';

export const DEFAULT_ROUTING_INFO_SIZE = 1300;

export interface OnionHop {
  /** 33-byte compressed node id. */
  pubkey: Uint8Array;
  /** Structured payload, or an already-encoded TLV stream (without the length prefix). */
  payload: HopPayload | Uint8Array;
}

export interface BuildOnionOptions {
  hops: OnionHop[];
  /** Committed to by every HMAC: the payment hash for payments. */
  associatedData: Uint8Array;
  /** Defaults to 32 bytes from the CSPRNG. */
  sessionKey?: Uint8Array;
  /** Size of the routing info (hop_payloads); 1300 for payments. */
  routingInfoSize?: number;
}

export interface BuiltOnion {
  /** 1 + 33 + routingInfoSize + 32 bytes (1366 for payments). */
  packet: Uint8Array;
  /** Per hop, in route order; keep them to decode failures. */
  sharedSecrets: Uint8Array[];
  sessionKey: Uint8Array;
}

/** 32 random bytes that are a valid secp256k1 secret: a new onion's session key. */
export function freshSessionKey(): Uint8Array {
  for (;;) {
    const k = randomBytes(32);
    if (isValidSecret(k)) return k;
  }
}

/** Builds an onion. Throws OnionError 'ONION_TOO_BIG' when the payloads do not fit. */
export function buildOnion(opts: BuildOnionOptions): BuiltOnion {
  const { hops, associatedData } = opts;
  if (!Array.isArray(hops) || hops.length === 0) throw new OnionError('BAD_ARGUMENT', 'an onion needs at least one hop');
  const size = opts.routingInfoSize ?? DEFAULT_ROUTING_INFO_SIZE;
  if (!Number.isInteger(size) || size < 0 || size > 65535) throw new OnionError('BAD_ARGUMENT', 'routing info size out of range');
  const sessionKey = opts.sessionKey ?? freshSessionKey();
  if (!isValidSecret(sessionKey)) throw new OnionError('BAD_ARGUMENT', 'session key is not a valid secret');
  const framed = hops.map((h) => frameHopPayload(h.payload instanceof Uint8Array ? h.payload : encodeHopPayload(h.payload)));
  const { packet, sharedSecrets } = sphinxBuild(
    sessionKey,
    hops.map((h) => h.pubkey),
    framed,
    associatedData,
    size,
  );
  return { packet, sharedSecrets, sessionKey };
}

/** A route hop as sendpay gives it: hop i is the channel into node i and what node i receives. */
export interface PaymentRouteHop {
  pubkey: Uint8Array;
  short_channel_id: Scid;
  amount_msat: bigint;
  /** CLTV delta relative to the current height (sendpay's `delay`). */
  delay: number;
}

export interface PaymentOnionOptions {
  route: PaymentRouteHop[];
  payment_hash: Uint8Array;
  /** Block height base for outgoing_cltv_value: Core Lightning uses tip height + 1. */
  base_height: number;
  payment_secret?: Uint8Array;
  /** Total of all parts (MPP); defaults to the final hop's amount. */
  total_msat?: bigint;
  payment_metadata?: Uint8Array;
  sessionKey?: Uint8Array;
}

/** Per-hop payloads exactly as Core Lightning's sendpay builds them (T-3 in cln-payments.md). */
export function routeHopPayloads(o: Omit<PaymentOnionOptions, 'payment_hash' | 'sessionKey'>): HopPayload[] {
  const { route } = o;
  if (route.length === 0) throw new OnionError('BAD_ARGUMENT', 'empty route');
  return route.map((hop, i): HopPayload => {
    const next = route[i + 1];
    if (next !== undefined) {
      return { amt_to_forward: next.amount_msat, outgoing_cltv_value: o.base_height + next.delay, short_channel_id: next.short_channel_id };
    }
    const p: HopPayload = { amt_to_forward: hop.amount_msat, outgoing_cltv_value: o.base_height + hop.delay };
    if (o.payment_secret !== undefined) p.payment_data = { payment_secret: o.payment_secret, total_msat: o.total_msat ?? hop.amount_msat };
    if (o.payment_metadata !== undefined) p.payment_metadata = o.payment_metadata;
    return p;
  });
}

/** The onion for a payment over `route`. Throws OnionError 'ONION_TOO_BIG' for routes that do not fit. */
export function buildPaymentOnion(o: PaymentOnionOptions): BuiltOnion {
  const payloads = routeHopPayloads(o);
  const opts: BuildOnionOptions = {
    hops: o.route.map((h, i) => ({ pubkey: h.pubkey, payload: payloads[i]! })),
    associatedData: o.payment_hash,
  };
  if (o.sessionKey !== undefined) opts.sessionKey = o.sessionKey;
  return buildOnion(opts);
}
