// The planned hops as the bytes each takes in the Sphinx routing info: a BigSize-framed TLV payload,
// or — only for sendpay's developer option `dev_legacy_hop` — the pre-TLV realm-0 frame that CLN
// still builds so tests can check that peers refuse it (BOLT 4 dropped it; our own peel does).
import type { HopPayload as OnionHopPayload } from '../onion/payload.js';
import { encodeHopPayload, frameHopPayload } from '../onion/payload.js';
import { PaymentsError } from './errors.js';
import type { HopPayload } from './onion-plan.js';
import { scid as asScid } from '../types.js';

/** Realm byte 0 + short_channel_id (8) + amt_to_forward (8) + outgoing_cltv_value (4) + 12 zero bytes. */
export const LEGACY_FRAME_SIZE = 33;

/** The onion layer's TLV payload for a planned hop. */
export function onionPayload(h: HopPayload): OnionHopPayload {
  const p: OnionHopPayload = { amt_to_forward: h.amt_to_forward, outgoing_cltv_value: h.outgoing_cltv_value };
  if (h.short_channel_id !== undefined) p.short_channel_id = asScid(h.short_channel_id);
  if (h.payment_data !== undefined) p.payment_data = { payment_secret: h.payment_data.payment_secret, total_msat: h.payment_data.total_msat };
  if (h.payment_metadata !== undefined) p.payment_metadata = h.payment_metadata;
  return p;
}

/** The legacy (realm 0) per-hop frame of a forwarding hop. */
export function legacyHopFrame(h: HopPayload): Uint8Array {
  // A final hop has no next channel, and the legacy frame has no room for payment_data: CLN only
  // ever marks the second-to-last hop, which always forwards.
  if (h.short_channel_id === undefined) throw new PaymentsError('MISSING_CONTEXT', 'a legacy hop needs the next short_channel_id');
  const out = new Uint8Array(LEGACY_FRAME_SIZE);
  const v = new DataView(out.buffer);
  out[0] = 0;
  v.setBigUint64(1, h.short_channel_id);
  v.setBigUint64(9, h.amt_to_forward);
  v.setUint32(17, h.outgoing_cltv_value);
  return out;
}

/** Every hop's bytes for the routing info, in route order. */
export function hopFrames(hops: readonly HopPayload[]): Uint8Array[] {
  return hops.map((h) => (h.legacy === true ? legacyHopFrame(h) : frameHopPayload(encodeHopPayload(onionPayload(h)))));
}
