// What each hop's onion payload must say (spec T-3), as values for the onion layer to encode, and
// the size check that makes an over-long route fail cleanly with "Could not create onion packet"
// (CLN commit 90c60d01) instead of reaching the Sphinx builder.
import { fromHex } from '../util/bytes.js';
import type { RouteHop } from './route-param.js';

/** Sphinx routing info size (BOLT 4): payloads + per-hop HMACs must fit. */
export const ROUTING_INFO_SIZE = 1300;
const HMAC_SIZE = 32;
/** A legacy (realm 0) hop: 1 realm byte + 32 bytes of data + HMAC. */
const LEGACY_HOP_SIZE = 65;

export type HopPayload = {
  /** Node that reads this payload (route[i].node_id), i.e. the Sphinx hop's public key. */
  readonly node_id: string;
  readonly amt_to_forward: bigint;
  readonly outgoing_cltv_value: number;
  /** Non-final hops: the next channel. */
  readonly short_channel_id?: bigint;
  /** Final hop, only when a payment_secret was given. */
  readonly payment_data?: { readonly payment_secret: Uint8Array; readonly total_msat: bigint };
  /** Final hop, when given. */
  readonly payment_metadata?: Uint8Array;
  /** dev_legacy_hop: encode this (second-to-last) hop as a legacy realm-0 payload. */
  readonly legacy?: boolean;
};

export type OnionPlan = {
  readonly hops: HopPayload[];
  /** Sphinx associated data: the payment hash. */
  readonly associated_data: Uint8Array;
};

export type OnionPlanInput = {
  readonly route: readonly RouteHop[];
  readonly payment_hash: string;
  /** Network block height (bitcoind's, even if we are behind in processing). */
  readonly block_height: number;
  readonly total_msat: bigint;
  readonly payment_secret?: string;
  readonly payment_metadata?: Uint8Array;
  readonly dev_legacy_hop?: boolean;
};

/** Absolute expiry: base (height + 1, a block of margin) + delta, with C's u32 wraparound. */
export function expiryAt(base: number, delta: number): number {
  return (base + delta) >>> 0;
}

export function cltvBase(blockHeight: number): number {
  return (blockHeight + 1) >>> 0;
}

/** Per-hop payloads for a non-empty route: hop i forwards what hop i+1 must receive. */
export function planOnion(p: OnionPlanInput): OnionPlan {
  const base = cltvBase(p.block_height);
  const n = p.route.length;
  const hops: HopPayload[] = [];
  for (let i = 0; i < n - 1; i++) {
    const next = p.route[i + 1]!;
    const hop: HopPayload = {
      node_id: p.route[i]!.node_id,
      amt_to_forward: next.amount_msat,
      outgoing_cltv_value: expiryAt(base, next.delay),
      short_channel_id: next.scid,
    };
    hops.push(p.dev_legacy_hop === true && i === n - 2 ? { ...hop, legacy: true } : hop);
  }
  const last = p.route[n - 1]!;
  const final: {
    node_id: string;
    amt_to_forward: bigint;
    outgoing_cltv_value: number;
    payment_data?: { payment_secret: Uint8Array; total_msat: bigint };
    payment_metadata?: Uint8Array;
  } = { node_id: last.node_id, amt_to_forward: last.amount_msat, outgoing_cltv_value: expiryAt(base, last.delay) };
  if (p.payment_secret !== undefined) {
    final.payment_data = { payment_secret: fromHex(p.payment_secret, 32), total_msat: p.total_msat };
  }
  if (p.payment_metadata !== undefined) final.payment_metadata = p.payment_metadata;
  hops.push(final);
  return { hops, associated_data: fromHex(p.payment_hash, 32) };
}

function bigsizeLen(n: number): number {
  return n < 0xfd ? 1 : n <= 0xffff ? 3 : n <= 0xffffffff ? 5 : 9;
}

/** Bytes of a truncated integer (BOLT 1 tu64/tu32): no leading zero bytes, 0 → 0 bytes. */
function truncLen(v: bigint): number {
  let n = 0;
  while (v > 0n) {
    n++;
    v >>= 8n;
  }
  return n;
}

function tlvLen(type: number, valueLen: number): number {
  return bigsizeLen(type) + bigsizeLen(valueLen) + valueLen;
}

/** Encoded TLV payload length of one hop (without its length prefix). */
export function hopPayloadLength(h: HopPayload): number {
  let n = tlvLen(2, truncLen(h.amt_to_forward)) + tlvLen(4, truncLen(BigInt(h.outgoing_cltv_value)));
  if (h.short_channel_id !== undefined) n += tlvLen(6, 8);
  if (h.payment_data !== undefined) n += tlvLen(8, 32 + truncLen(h.payment_data.total_msat));
  if (h.payment_metadata !== undefined) n += tlvLen(16, h.payment_metadata.length);
  return n;
}

/** Space the hops take in the onion's routing info (length prefixes and HMACs included). */
export function onionPayloadsSize(plan: OnionPlan): number {
  let total = 0;
  for (const h of plan.hops) {
    if (h.legacy === true) {
      total += LEGACY_HOP_SIZE;
      continue;
    }
    const len = hopPayloadLength(h);
    total += bigsizeLen(len) + len + HMAC_SIZE;
  }
  return total;
}

export function onionFits(plan: OnionPlan): boolean {
  return onionPayloadsSize(plan) <= ROUTING_INFO_SIZE;
}
